package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ScaleSafe} against exact decimal arithmetic (BigDecimal, 60 digits), at every scale. */
class ScaleSafeTest {
    private static final MathContext MC = new MathContext(60);

    private static BigDecimal exactMean(double[] v) {
        BigDecimal s = BigDecimal.ZERO;
        for (double d : v) {
            s = s.add(new BigDecimal(d));
        }
        return s.divide(BigDecimal.valueOf(v.length), MC);
    }

    private static double exactSd(double[] v, int ddof) {
        BigDecimal m = exactMean(v);
        BigDecimal s = BigDecimal.ZERO;
        for (double d : v) {
            BigDecimal e = new BigDecimal(d).subtract(m);
            s = s.add(e.multiply(e));
        }
        return s.divide(BigDecimal.valueOf(v.length - ddof), MC).sqrt(MC).doubleValue();
    }

    private static double exactRms(double[] a, double[] b) {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            BigDecimal e = new BigDecimal(a[i]).subtract(new BigDecimal(b[i]));
            s = s.add(e.multiply(e));
        }
        return s.divide(BigDecimal.valueOf(a.length), MC).sqrt(MC).doubleValue();
    }

    @Test
    void meanSdAndRmsAgreeWithExactArithmeticFromTinyToHuge() {
        Random rng = new Random(11);
        for (double scale : new double[] {1e-300, 1e-150, 1, 1e150, 1e300, 1e307, 8e307}) {
            double[] v = new double[30];
            double[] w = new double[30];
            for (int i = 0; i < v.length; i++) {
                v[i] = (rng.nextDouble() * 2 - 1) * scale;
                w[i] = (rng.nextDouble() * 2 - 1) * scale;
            }
            double mean = ScaleSafe.mean(v);
            double em = exactMean(v).doubleValue();
            assertEquals(em, mean, 1e-13 * scale, "mean at " + scale);
            double sd = ScaleSafe.sd(v, mean, 1);
            assertEquals(exactSd(v, 1), sd, 1e-13 * sd, "sd at " + scale);
            double rms = ScaleSafe.rmsDifference(v, w);
            assertTrue(Double.isFinite(rms), "finite at " + scale);
            assertEquals(exactRms(v, w), rms, 1e-13 * rms, "rms at " + scale);
        }
    }

    @Test
    void differencesThatOverflowStillHaveTheirRms() {
        // 1e308 − (−1e308) overflows a double; the RMS of ±(2e308) over half the rows... does not fit either,
        // so it comes back infinite for the caller to refuse, while 1e308 against 0 fits
        double[] a = {1e308, -1e308};
        double[] zero = {0, 0};
        assertEquals(1e308, ScaleSafe.rmsDifference(a, zero), 1e-15 * 1e308);
        assertEquals(Double.POSITIVE_INFINITY, ScaleSafe.rmsDifference(a, new double[] {-1e308, 1e308}));
        // a plain formula gives ∞ here; the value is 1e307·√(1.5)
        double[] b = {1e307, 2e307, -1e307, 0};
        double plain = Math.sqrt((1e307 * 1e307 + 4e307 * 1e307 + 1e307 * 1e307) / 4);
        assertEquals(Double.POSITIVE_INFINITY, plain);
        assertEquals(exactRms(b, new double[4]), ScaleSafe.rmsDifference(b, new double[4]), 1e-15 * 1.3e307);
    }

    @Test
    void messagesClipEchoedText() {
        String s = "y".repeat(10_000);
        String c = Messages.clip(s);
        assertTrue(c.length() < Messages.MAX_ECHO + 40, c);
        assertTrue(c.endsWith("(9800 more characters)"), c);
        assertEquals("short", Messages.clip("short"));
        assertTrue(Messages.invalid(s).getMessage().length() <= Messages.MAX_MESSAGE + 40);
    }
}
