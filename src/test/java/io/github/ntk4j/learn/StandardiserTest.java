package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Standardisation is scale-safe. The reference is an independent
 * computation in 60-digit decimal arithmetic (BigDecimal), where no scale overflows.
 */
class StandardiserTest {
    private static final MathContext MC = new MathContext(60);

    /** (x − mean)/sd with divisor n, in BigDecimal. */
    private static double[] reference(double[] column) {
        int n = column.length;
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : column) {
            sum = sum.add(new BigDecimal(v), MC);
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), MC);
        BigDecimal ss = BigDecimal.ZERO;
        for (double v : column) {
            BigDecimal d = new BigDecimal(v).subtract(mean, MC);
            ss = ss.add(d.multiply(d, MC), MC);
        }
        BigDecimal sd = ss.divide(BigDecimal.valueOf(n), MC).sqrt(MC);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = new BigDecimal(column[i]).subtract(mean, MC).divide(sd, MC).doubleValue();
        }
        return z;
    }

    private static double[][] twoColumns(Random rng, int n, double scale) {
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            x[i][0] = 1 + rng.nextGaussian();
            x[i][1] = (2 + rng.nextGaussian()) * scale;
        }
        return x;
    }

    private static void assertStandardisesLikeReference(double scale) {
        double[][] x = twoColumns(new Random(3), 50, scale);
        double[][] z = Standardiser.fit(x).apply(x);
        double[] col = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            col[i] = x[i][1];
        }
        double[] ref = reference(col);
        for (int i = 0; i < x.length; i++) {
            assertEquals(ref[i], z[i][1], 1e-12 * Math.abs(ref[i]), "scale " + scale + " row " + i);
        }
        // and the same values as the unscaled column (the scaled draws are the unscaled ones times scale)
        double[][] plain = Standardiser.fit(twoColumns(new Random(3), 50, 1)).apply(twoColumns(new Random(3), 50, 1));
        for (int i = 0; i < x.length; i++) {
            assertEquals(plain[i][1], z[i][1], 1e-12 * Math.abs(plain[i][1]), "scale " + scale + " vs 1, row " + i);
        }
    }

    /** A reproducer: one column multiplied by 1e300 (squares overflow) or 1e-170 (squares underflow). */
    @Test
    void columnTimes1e300And1eMinus170StandardisesAsUnscaled() {
        assertStandardisesLikeReference(1e300);
        assertStandardisesLikeReference(1e-170);
    }

    /** Variants: 1e-300, subnormal magnitudes (1e-310), and the top of the range (1e307). */
    @Test
    void extremeScalesStandardiseAsUnscaled() {
        assertStandardisesLikeReference(1e-300);
        assertStandardisesLikeReference(1e-310);
        assertStandardisesLikeReference(1e307);
        assertStandardisesLikeReference(1);
    }

    /** A truly constant column is still constant (0 after standardising, and reported), at any scale. */
    @Test
    void constantColumnStaysConstant() {
        double[][] x = {{1, 1e-300}, {2, 1e-300}, {4, 1e-300}};
        double[][] z = Standardiser.fit(x).apply(x);
        for (double[] row : z) {
            assertEquals(0.0, row[1]);
        }
        assertEquals(1, Standardiser.constantColumns(x).length);
        double[][] tiny = {{1, 1e-300}, {2, 2e-300}, {4, 1e-300}};
        assertEquals(0, Standardiser.constantColumns(tiny).length);
        double[][] zt = Standardiser.fit(tiny).apply(tiny);
        assertTrue(zt[1][1] > 1, "a column of tiny but different values is not constant: " + zt[1][1]);
    }

    /** A new row whose standardised value leaves the double range is refused, not turned into infinity. */
    @Test
    void rowBeyondRangeIsRefused() {
        Standardiser s = Standardiser.fit(new double[][] {{1e-300}, {2e-300}});
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> s.apply(new double[][] {{1e300}}));
        assertTrue(e.getMessage().contains("too far outside"), e.getMessage());
    }
}
