package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.Workers;
import java.util.Random;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;
import org.junit.jupiter.api.Test;

/**
 * The batch form of Mehler's series ({@link MehlerTable#head} over a {@link MehlerTable.Slice},
 * then {@link MehlerTable#rest}) against the pair-by-pair form ({@link MehlerTable#sums}, which
 * the single-pair path takes): the same stopping decisions and the same bits, for correlations
 * over (−0.97, 0.97) where pairs stop after the head and where they go on; and the branch-free
 * 1 − cos θ' of {@link QuadratureActivation#finish} against its two-branch definition. The
 * values themselves are held against independent quadrature by MehlerSeriesTest and the
 * reference tests.
 */
class MehlerHeadTest {
    private static MehlerTable table(double[] variances) {
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(16);
        try (Workers w = new Workers(1)) {
            return MehlerTable.of(variances, Math::tanh, x -> {
                double t = Math.tanh(x);
                return 1 - t * t;
            }, new double[0], rule.getFirst(), rule.getSecond(), w, true, "tanh");
        }
    }

    @Test
    void headThenRestIsSumsBitForBit() {
        Random rnd = new Random(18);
        int n = 300;
        double[] var = variances(rnd, n);
        MehlerTable t = table(var);
        KernelBatch batch = new KernelBatch(MehlerTable.SLICE);
        double[] g = new double[n];
        double[] rg = new double[n];
        java.util.Arrays.fill(g, 1);
        java.util.Arrays.fill(rg, 1);
        int[] counts = new int[2];
        for (int i = 0; i < 40; i++) {
            int from = rnd.nextInt(n - MehlerTable.SLICE);
            int size = 8 + rnd.nextInt(MehlerTable.SLICE - 7);
            for (int k = 0; k < size; k++) {
                double u = rnd.nextDouble();
                batch.c[k] = k % 7 == 0 ? 0.969999 * (2 * u - 1) : k % 7 == 1 ? 1e-9 * u : k % 7 == 2 ? -0 : 0.9 * (2 * u - 1);
            }
            MehlerTable.Slice s = MehlerTable.Slice.of(batch, t, from, size, g, rg, rg);
            MehlerTable.head(t, i, s, size, batch.c, batch.work, batch.work2, batch.work3, batch.work4);
            compareWithSums(t, i, from, size, batch, false, counts);
        }
        assertTrue(counts[0] > 1000 && counts[1] > 100, "both branches taken: " + counts[0] + " / " + counts[1]);
    }

    /** n input variances exp(2 Z), Z standard normal: 0.02 … 50 for most, so short and long series. */
    static double[] variances(java.util.Random rnd, int n) {
        double[] var = new double[n];
        for (int i = 0; i < n; i++) {
            var[i] = Math.exp(rnd.nextGaussian() * 2);
        }
        return var;
    }

    /**
     * Row i's pairs with columns from … from + size − 1 after {@link MehlerTable#head} (its T in
     * batch.work, times ρ = batch.c where {@code timesRho}: a series in ρ² leaves that factor
     * out; Ṫ in work2; the tests' margins in work3 and work4): a pair the head settled has the
     * bits of {@link MehlerTable#sums}, any other pair gets them from {@link MehlerTable#rest}.
     *
     * @param counts counts[0] += pairs settled by the head, counts[1] += the others
     */
    static void compareWithSums(MehlerTable t, int i, int from, int size, KernelBatch batch, boolean timesRho,
            int[] counts) {
        double[] sum = new double[2];
        double[] rest = new double[2];
        for (int k = 0; k < size; k++) {
            int j = from + k;
            boolean ok = MehlerTable.sums(t, i, t, j, batch.c[k], sum);
            if (batch.work3[k] <= 0 && batch.work4[k] <= 0) {
                counts[0]++;
                assertTrue(ok, "the head's test passed, so the series' must");
                double head = timesRho ? batch.work[k] * batch.c[k] : batch.work[k];
                assertEquals(sum[0], head, 0.0, "T, pair " + i + "," + j);
                assertEquals(sum[1], batch.work2[k], 0.0, "Ṫ, pair " + i + "," + j);
            } else {
                counts[1]++;
                assertEquals(ok, MehlerTable.rest(t, i, t, j, batch.c[k], batch.work[k], batch.work2[k], rest));
                assertEquals(sum[0], rest[0], 0.0, "T, pair " + i + "," + j);
                assertEquals(sum[1], rest[1], 0.0, "Ṫ, pair " + i + "," + j);
            }
        }
    }

    /** A negative control: a slice of other columns than the pairs' gives other values. */
    @Test
    void wrongSliceIsNoticed() {
        double[] var = {0.3, 0.7, 1.1, 1.9, 2.5, 3.3, 4.1, 5.2, 6.0, 7.5};
        MehlerTable t = table(var);
        KernelBatch batch = new KernelBatch(MehlerTable.SLICE);
        double[] one = new double[var.length];
        java.util.Arrays.fill(one, 1);
        java.util.Arrays.fill(batch.c, 0, 8, 0.05);
        MehlerTable.head(t, 0, MehlerTable.Slice.of(batch, t, 1, 8, one, one, one), 8, batch.c, batch.work, batch.work2, batch.work3,
                batch.work4);
        assertTrue(batch.work3[0] <= 0 && batch.work4[0] <= 0, "the bound is met after the head at ρ = 0.05");
        double[] sum = new double[2];
        MehlerTable.sums(t, 0, t, 1, 0.05, sum);
        assertEquals(sum[0], batch.work[0], 0.0);
        MehlerTable.sums(t, 0, t, 2, 0.05, sum);
        assertNotEquals(sum[0], batch.work[0]);
    }

    /** A batch's kept slice is copied again for other factor arrays of the same table and columns. */
    @Test
    void sliceFollowsTheFactors() {
        MehlerTable t = table(new double[] {0.5, 1, 2, 4, 8, 16, 32, 64, 128});
        KernelBatch batch = new KernelBatch(MehlerTable.SLICE);
        double[] g1 = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] g2 = {9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertEquals(2.0, MehlerTable.Slice.of(batch, t, 1, 8, g1, g1, g1).g[0], 0.0);
        assertEquals(8.0, MehlerTable.Slice.of(batch, t, 1, 8, g2, g1, g1).g[0], 0.0);
        assertEquals(8.0, MehlerTable.Slice.of(batch, t, 1, 8, g1, g2, g2).rg[0], 0.0);
        assertEquals(2.0, MehlerTable.Slice.of(batch, t, 1, 8, g1, g2, g1).sy[0], 0.0);
    }

    @Test
    void branchFreeOneMinusCosineIsTheTwoBranchOne() {
        Random rnd = new Random(5);
        int n = MehlerTable.SLICE;
        KernelBatch batch = new KernelBatch(n);
        double[] one = new double[n];
        java.util.Arrays.fill(one, 1);
        MehlerTable t = table(new double[n]);
        MehlerTable.Slice s = MehlerTable.Slice.of(batch, t, 0, n, one, one, one);
        double[] special = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 1 - 1e-16, -1 + 1e-16,
            1 - 1e-8, -1 + 1e-8, 0.5, -0.5};
        for (int round = 0; round < 50; round++) {
            double[] ts = new double[n];
            for (int k = 0; k < n; k++) {
                ts[k] = k < special.length ? special[k] : (2 * rnd.nextDouble() - 1) * (round % 2 == 0 ? 1 : Math.pow(10, -rnd.nextInt(20)));
            }
            double[] cs = new double[n];
            double[] s2s = new double[n];
            double[] vs = new double[n];
            double[] ntk = new double[n];
            QuadratureActivation.finish(s, n, 1, 1, ts, new double[n], s.one, s.one, cs, s2s, vs, ntk);
            for (int k = 0; k < n; k++) {
                double c = ts[k];
                double s2 = (1 - c) * (1 + c);
                double v = c > 0 ? s2 / (1 + c) : 1 - c;
                assertEquals(c, cs[k], 0.0);
                assertEquals(s2, s2s[k], 0.0);
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(vs[k]), "c = " + c);
            }
        }
    }

    /**
     * The branch-free verdict of {@link QuadratureActivation#settle} against the same tests
     * written as comparisons, at their edges (the correlation limit and the double next to it,
     * 0 and the smallest positive g and Σyy, NaN, infinite Ṫ, the cancellation threshold).
     */
    @Test
    void settleIsTheComparisons() {
        Random rnd = new Random(9);
        int n = MehlerTable.SLICE;
        KernelBatch batch = new KernelBatch(n);
        MehlerTable t = table(new double[n]);
        final double limit = QuadratureActivation.MAX_SERIES_CORRELATION;
        double[] rhoEdge = {0, -0.0, limit, -limit, Math.nextDown(limit), -Math.nextDown(limit), Math.nextUp(limit), 0.5,
            Double.NaN, 1, 0.97};
        double[] gEdge = {1, 0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.NaN, 2.5};
        double[] mEdge = {0, -0.0, -1e-300, Double.MIN_VALUE, 1e-20, -3, Double.NaN};
        double[] s2Edge = {1e-3, Math.nextDown(1e-3), Math.nextUp(1e-3), 0.5, 0, Double.NaN, 1};
        double[] dEdge = {1, 0, -2, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e308};
        int settled = 0;
        int open = 0;
        for (int round = 0; round < 200; round++) {
            double[] g = new double[n];
            double[] sy = new double[n];
            double[] rho = new double[n];
            double[] dts = new double[n];
            double[] mT = new double[n];
            double[] mD = new double[n];
            double[] s2 = new double[n];
            for (int k = 0; k < n; k++) {
                boolean edge = rnd.nextInt(3) > 0;
                g[k] = edge ? gEdge[rnd.nextInt(gEdge.length)] : rnd.nextDouble();
                sy[k] = rnd.nextInt(6) == 0 ? gEdge[rnd.nextInt(gEdge.length)] : 1 + rnd.nextDouble();
                rho[k] = edge ? rhoEdge[rnd.nextInt(rhoEdge.length)] : 2 * rnd.nextDouble() - 1;
                dts[k] = edge ? dEdge[rnd.nextInt(dEdge.length)] : rnd.nextGaussian();
                mT[k] = rnd.nextInt(4) > 0 ? -rnd.nextDouble() : mEdge[rnd.nextInt(mEdge.length)];
                mD[k] = rnd.nextInt(4) > 0 ? -rnd.nextDouble() : mEdge[rnd.nextInt(mEdge.length)];
                s2[k] = edge ? s2Edge[rnd.nextInt(s2Edge.length)] : rnd.nextDouble();
            }
            double gx = round % 3 == 0 ? 1 : round % 3 == 1 ? 0.7 : Double.MIN_VALUE;
            MehlerTable.Slice s = MehlerTable.Slice.of(batch, t, 0, n, g, g, sy);
            QuadratureActivation.settle(s, n, gx, rho, s2, dts, mT, mD);
            for (int k = 0; k < n; k++) {
                boolean expected = mT[k] <= 0 && mD[k] <= 0 && s2[k] >= 1e-3 && Double.isFinite(dts[k])
                        && Math.abs(rho[k]) < limit && gx * g[k] > 0 && sy[k] > 0;
                assertEquals(expected, s.open[k] <= 0, "ρ " + rho[k] + " g " + g[k] + " Σyy " + sy[k] + " Ṫ " + dts[k] + " mT " + mT[k] + " mD "
                        + mD[k] + " s2 " + s2[k] + " gx " + gx);
                if (expected) {
                    settled++;
                } else {
                    open++;
                }
            }
        }
        assertTrue(settled > 1000 && open > 1000, settled + " / " + open);
    }
}
