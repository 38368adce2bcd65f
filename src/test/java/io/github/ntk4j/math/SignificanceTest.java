package io.github.ntk4j.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.Ntk4jException;
import org.junit.jupiter.api.Test;

/** {@link Significance} against printed tables and a hand-worked Holm example. */
class SignificanceTest {
    @Test
    void quantilesMatchPrintedTables() {
        // Student t, 0.975 quantiles (e.g. Abramowitz & Stegun, Table 26.10): 12.706, 2.228; normal 1.960
        assertEquals(12.706204736, Significance.tQuantile(0.975, 1), 1e-8);
        assertEquals(2.228138852, Significance.tQuantile(0.975, 10), 1e-8);
        assertEquals(1.959963985, Significance.normalQuantile(0.975), 1e-8);
        assertEquals(1.959963985, Significance.tQuantile(0.975, Double.POSITIVE_INFINITY), 1e-8);
        // the normal's 0.8 quantile, used for 80% power: 0.841621234
        assertEquals(0.841621234, Significance.normalQuantile(0.8), 1e-8);
    }

    @Test
    void twoSidedPValueInvertsTheQuantile() {
        assertEquals(0.05, Significance.twoSidedP(2.228138852, 10), 1e-9);
        assertEquals(0.05, Significance.twoSidedP(-1.959963985, Double.POSITIVE_INFINITY), 1e-9);
        assertEquals(1.0, Significance.twoSidedP(0, 3), 0);
        assertEquals(0.0, Significance.twoSidedP(Double.NEGATIVE_INFINITY, 3), 0);
        // non-integer degrees of freedom (Welch–Satterthwaite) lie between their neighbours
        double p = Significance.twoSidedP(2.5, 7.5);
        double p7 = Significance.twoSidedP(2.5, 7);
        double p8 = Significance.twoSidedP(2.5, 8);
        assertEquals(true, p < p7 && p > p8, p7 + " " + p + " " + p8);
    }

    @Test
    void holmAdjustsAsPublished() {
        // sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04, then the running
        // maximum: 0.02, 0.03, 0.06, 0.06 (the same as R's p.adjust(p, "holm"))
        double[] p = {0.01, 0.04, 0.03, 0.005};
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Significance.holm(p), 1e-15);
        // capped at 1
        assertArrayEquals(new double[] {1, 1}, Significance.holm(new double[] {0.7, 0.9}), 0);
        assertArrayEquals(new double[0], Significance.holm(new double[0]), 0);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(Ntk4jException.class, () -> Significance.tQuantile(1, 3));
        assertThrows(Ntk4jException.class, () -> Significance.tQuantile(0.5, 0));
        assertThrows(Ntk4jException.class, () -> Significance.twoSidedP(Double.NaN, 3));
        assertThrows(Ntk4jException.class, () -> Significance.holm(new double[] {0.5, 1.5}));
    }
}
