package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.Ntk4jException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A time limit reached Symja as Java's 1.0E7 (read as 1.0*E7), and the
 * unevaluated TimeConstrained(Simplify(…)) was printed as the kernel. Limits are bounded at the
 * library boundary, written in Symja syntax, and a Simplify never returns its own wrapper.
 */
class TimeLimitTest {
    private static final SymjaSession SESSION = SymjaSession.shared();

    @Test
    void limitsAreWrittenAsPlainDecimalsAndBounded() {
        assertEquals("2", SymjaSession.seconds(2));
        assertEquals("0.5", SymjaSession.seconds(0.5));
        assertEquals("0.001", SymjaSession.seconds(1e-3));
        assertEquals("3600", SymjaSession.seconds(3600));
        for (double bad : new double[] {1e7, 3600.5, 0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(Ntk4jException.class, () -> SymjaSession.seconds(bad), () -> "seconds " + bad);
            assertThrows(Ntk4jException.class, () -> SymbolicOptions.defaults().withSimplifySeconds(bad), () -> "simplify " + bad);
        }
        assertThrows(Ntk4jException.class, () -> SymbolicOptions.defaults().withIntegrateSeconds(1e7));
        assertEquals(0, SymbolicOptions.defaults().withIntegrateSeconds(0).integrateSeconds());
    }

    @Test
    void simplifyNeverReturnsItsWrapper() {
        String expr = "(Sqrt(xx*yy)*(Sqrt(1-xy^2/(xx*yy))+(xy*(Pi-ArcCos(xy/Sqrt(xx*yy))))/Sqrt(xx*yy)))/(2*Pi)"
                + "+(xy*(Pi-ArcCos(xy/Sqrt(xx*yy))))/(2*Pi)";
        for (double seconds : new double[] {1e-3, 0.5, 3600}) {
            String r = SESSION.simplify(expr, seconds);
            assertFalse(r.toLowerCase(Locale.ROOT).matches("(?s).*(timeconstrained|simplify|together)\\s*[\\[(].*"), r);
            // the same value as the input at a point (an independent evaluation of both in Symja)
            java.util.List<String> v = java.util.List.of("xx", "xy", "yy");
            assertEquals(SESSION.numeric(expr, v, 1, 0.3, 2), SESSION.numeric(r, v, 1, 0.3, 2), 1e-14);
        }
    }
}
