package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Preprocessing}: the sphere map against an independent computation in 60-digit decimal
 * arithmetic (BigDecimal, where no scale overflows or underflows), at magnitudes 1, 1e300,
 * 1e-300 and subnormal; the standardise map is {@link Standardiser}'s; bad rows are refused.
 */
class PreprocessingTest {
    private static final MathContext MC = new MathContext(60);

    /** √d (x − mean)/‖x − mean‖ in BigDecimal. */
    private static double[] sphereReference(double[] x) {
        int d = x.length;
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : x) {
            sum = sum.add(new BigDecimal(v), MC);
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(d), MC);
        BigDecimal ss = BigDecimal.ZERO;
        for (double v : x) {
            BigDecimal c = new BigDecimal(v).subtract(mean, MC);
            ss = ss.add(c.multiply(c, MC), MC);
        }
        BigDecimal f = BigDecimal.valueOf(d).divide(ss, MC).sqrt(MC);
        double[] z = new double[d];
        for (int j = 0; j < d; j++) {
            z[j] = new BigDecimal(x[j]).subtract(mean, MC).multiply(f, MC).doubleValue();
        }
        return z;
    }

    private static void assertClose(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int j = 0; j < want.length; j++) {
            assertEquals(want[j], got[j], 1e-13 * Math.max(1, Math.abs(want[j])), what + " [" + j + "]");
        }
    }

    @Test
    void sphereByHand() {
        // (1, 2, 3): mean 2, centred (−1, 0, 1), norm √2, times √3: (−√1.5, 0, √1.5)
        double[][] z = Preprocessing.fit(Preprocessing.Kind.SPHERE, new double[][] {{1, 2, 3}})
                .apply(new double[][] {{1, 2, 3}});
        assertClose(new double[] {-1.224744871391589, 0, 1.224744871391589}, z[0], "(1,2,3)");
    }

    @Test
    void sqrtSphereByHandAndAgainstTheDecimalReference() {
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.SQRT_SPHERE, new double[][] {{0, 0, 0}});
        // (1, 4, 9) -> (1, 2, 3) -> (−√1.5, 0, √1.5); (−4, 0, 4) -> (−2, 0, 2) -> the same
        double[][] z = p.apply(new double[][] {{1, 4, 9}, {-4, 0, 4}});
        assertClose(new double[] {-1.224744871391589, 0, 1.224744871391589}, z[0], "(1,4,9)");
        assertClose(new double[] {-1.224744871391589, 0, 1.224744871391589}, z[1], "(-4,0,4)");
        Random r = new Random(5);
        Preprocessing q = Preprocessing.fit(Preprocessing.Kind.SQRT_SPHERE, new double[][] {new double[784]});
        for (double scale : new double[] {1, 1e300, 1e-300}) {
            double[] x = new double[784];
            double[] root = new double[784];
            for (int j = 0; j < x.length; j++) {
                x[j] = (r.nextInt(511) - 255) * scale;
                BigDecimal s = new BigDecimal(Math.abs(x[j])).sqrt(MC);
                root[j] = (x[j] < 0 ? s.negate() : s).doubleValue();
            }
            assertClose(sphereReference(root), q.apply(new double[][] {x})[0], "sqrt-sphere, scale " + scale);
        }
        assertEquals("sqrt-sphere", Preprocessing.Kind.SQRT_SPHERE.label());
        assertEquals(Preprocessing.Kind.SQRT_SPHERE, Preprocessing.Kind.parse("SQRT-sphere"));
    }

    @Test
    void sphereMatchesDecimalReferenceAtEveryMagnitude() {
        Random r = new Random(11);
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.SPHERE, new double[][] {new double[784]});
        for (double scale : new double[] {1, 255, 1e300, 1e-300, Double.MIN_VALUE * 1e6}) {
            for (int t = 0; t < 5; t++) {
                double[] x = new double[784];
                for (int j = 0; j < x.length; j++) {
                    x[j] = r.nextInt(256) * (scale == Double.MIN_VALUE * 1e6 ? Double.MIN_VALUE * 4096 : scale / 255);
                }
                double[] z = p.apply(new double[][] {x})[0];
                assertClose(sphereReference(x), z, "scale " + scale);
                double ss = 0;
                double s = 0;
                for (double v : z) {
                    ss += v * v;
                    s += v;
                }
                assertEquals(784, ss, 1e-9, "norm² = d");
                assertEquals(0, s, 1e-9, "centred");
            }
        }
    }

    @Test
    void constantRowsMapToZeroAndTheMapIsPerRow() {
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.SPHERE, new double[][] {{5, 1, 2}});
        double[][] z = p.apply(new double[][] {{0, 0, 0}, {7, 7, 7}, {1, 2, 3}});
        assertArrayEquals(new double[3], z[0]);
        assertArrayEquals(new double[3], z[1]);
        // the training rows play no part: the map of (1,2,3) is the same as fitted on itself
        assertClose(Preprocessing.fit(Preprocessing.Kind.SPHERE, new double[][] {{1, 2, 3}}).apply(new double[][] {{1, 2, 3}})[0],
                z[2], "per row");
    }

    @Test
    void standardiseIsTheStandardiser() {
        double[][] x = {{1, 10}, {2, 30}, {4, 20}};
        double[][] want = Standardiser.fit(x).apply(new double[][] {{3, 25}});
        double[][] got = Preprocessing.fit(Preprocessing.Kind.STANDARDISE, x).apply(new double[][] {{3, 25}});
        assertArrayEquals(want[0], got[0], 0.0);
        assertEquals(Preprocessing.Kind.STANDARDISE, KernelModelSelection.Options.defaults().preprocessing());
    }

    @Test
    void badRowsAndNamesAreRefused() {
        Preprocessing p = Preprocessing.fit(Preprocessing.Kind.SPHERE, new double[][] {{1, 2, 3}});
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> p.apply(new double[][] {{1, 2}}));
        assertTrue(e.getMessage().contains("features"), e.getMessage());
        e = assertThrows(Ntk4jException.class, () -> p.apply(new double[][] {{1, Double.NaN, 3}}));
        assertTrue(e.getMessage().contains("x[0][1]"), e.getMessage());
        e = assertThrows(Ntk4jException.class, () -> Preprocessing.Kind.parse("zca"));
        assertTrue(e.getMessage().contains("standardise, sphere or sqrt-sphere"), e.getMessage());
        assertEquals(Preprocessing.Kind.SPHERE, Preprocessing.Kind.parse(" Sphere "));
        assertThrows(Ntk4jException.class, () -> KernelModelSelection.Options.defaults().withPreprocessing(null));
    }
}
