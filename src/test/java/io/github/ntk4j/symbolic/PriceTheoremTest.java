package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.NetworkSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ṫ derived as ∂T/∂Σxy (Price's theorem) with Symja, for every activation, against the
 * tabulated Ṫ ({@link Activation#symbolicDualDerivative}): the symbolic difference simplifies
 * to 0 (for erf, whose nested square roots Symja does not combine, the difference of the
 * squares does), and at random covariances the derived Ṫ agrees with the activation's numeric
 * {@link Activation#dualDerivative} (separate, hand-written code).
 */
class PriceTheoremTest {
    private static final SymjaSession SESSION = SymjaSession.shared();

    @ParameterizedTest
    @ValueSource(strings = {"relu", "abs", "leaky_relu(0.1)", "abrelu(-0.3,2)", "erf", "erf(2,0.5,0.3)", "identity",
        "poly(0.5,1,-0.25,0.1)"})
    void derivedDerivativeEqualsTabulated(String spec) {
        Activation a = NetworkSpec.parseActivation(spec);
        List<String> rules = SymbolicRecursion.baseRules(SESSION, a, 5);
        String derived = rules.get(1);
        String tabulated = SymbolicRecursion.rationalize(a.symbolicDualDerivative("xx", "xy", "yy"));
        String diff = "(" + derived + ")-(" + tabulated + ")";
        // Cheap first: Together of the difference, or of the difference of the squares (Symja
        // does not always combine nested square roots; equal squares plus the equal values at
        // random points below, which fix the sign, mean equal functions). Then Simplify, also
        // with PowerExpand (√(ab) = √a√b, valid here: every radicand is positive for a covariance).
        String squares = "(" + derived + ")^2-(" + tabulated + ")^2";
        boolean zero = "0".equals(SESSION.eval("Together[" + diff + "]")) || "0".equals(SESSION.eval("Together[" + squares + "]"))
                || SESSION.simplifiesToZero(diff, 5) || SESSION.simplifiesToZero("PowerExpand[" + diff + "]", 5);
        assertTrue(zero, spec + ": derived " + derived + " vs tabulated " + tabulated);

        Random rnd = new Random(spec.hashCode());
        for (int i = 0; i < 5; i++) {
            double xx = 0.1 + 3 * rnd.nextDouble();
            double yy = 0.1 + 3 * rnd.nextDouble();
            double xy = (2 * rnd.nextDouble() - 1) * 0.99 * Math.sqrt(xx * yy);
            double want = a.dualDerivative(xx, xy, yy);
            double got = SESSION.numeric(derived, List.of("xx", "xy", "yy"), xx, xy, yy);
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), spec + " at " + xx + "," + xy + "," + yy);
            // and T itself against the numeric dual, and the diagonal against mapVariance
            double t = SESSION.numeric(rules.get(0), List.of("xx", "xy", "yy"), xx, xy, yy);
            assertEquals(a.dual(xx, xy, yy), t, 1e-12 * Math.max(1, Math.abs(t)), spec + " T");
            double tdiag = SESSION.numeric(rules.get(2), List.of("xx"), xx);
            assertEquals(a.mapVariance(xx), tdiag, 1e-12 * Math.max(1, Math.abs(tdiag)), spec + " T(xx,xx,xx)");
        }
    }
}
