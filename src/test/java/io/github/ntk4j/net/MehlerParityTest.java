package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.Workers;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;
import org.junit.jupiter.api.Test;

/**
 * The tables of a φ of known parity ({@link MehlerTable#of} with parity: the kept Hermite
 * degrees only, computed on the half line, the series in ρ²) against the activation's own 2-D
 * quadrature ({@link QuadratureActivation#dual}, {@link QuadratureActivation#dualDerivative}: a
 * different algorithm) for an odd φ (tanh) and an even one (tanh²), over variances 0.05 … 50 and
 * correlations over (−0.97, 0.97); the head of such a table against its pair-by-pair sums, bit
 * for bit; and negative controls: a parity declared wrongly gives values the reference rejects.
 */
class MehlerParityTest {
    private static final DoubleUnaryOperator TANH = Math::tanh;
    private static final DoubleUnaryOperator DTANH = x -> {
        double t = Math.tanh(x);
        return 1 - t * t;
    };
    private static final DoubleUnaryOperator TANH2 = x -> {
        double t = Math.tanh(x);
        return t * t;
    };
    private static final DoubleUnaryOperator DTANH2 = x -> {
        double t = Math.tanh(x);
        return 2 * t * (1 - t * t);
    };

    private static QuadratureActivation activation(String name, DoubleUnaryOperator f, DoubleUnaryOperator df, int parity) {
        return new QuadratureActivation(name, List.of(), f, df, QuadratureActivation.DEFAULT_DEGREE, false, new double[0], null,
                true, parity, null, null);
    }

    private static MehlerTable table(QuadratureActivation a, DoubleUnaryOperator f, DoubleUnaryOperator df, double[] var,
            int parity) {
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(QuadratureActivation.DEFAULT_DEGREE);
        try (Workers w = new Workers(1)) {
            return MehlerTable.of(var, f, df, new double[0], rule.getFirst(), rule.getSecond(), w, true, a.spec(), parity);
        }
    }

    /** Worst relative difference of the table's T and Ṫ from the 2-D quadrature, over the pairs. */
    private static double worst(QuadratureActivation a, DoubleUnaryOperator f, DoubleUnaryOperator df, int parity) {
        double[] var = {0.05, 0.3, 1, 1.7, 4, 12, 50};
        MehlerTable t = table(a, f, df, var, parity);
        double[] rhos = {-0.96, -0.7, -0.3, -1e-3, 0, 0.05, 0.4, 0.8, 0.969};
        double[] out = new double[2];
        double worst = 0;
        int stopped = 0;
        for (int i = 0; i < var.length; i++) {
            for (int j = 0; j < var.length; j++) {
                for (double rho : rhos) {
                    double kxy = rho * Math.sqrt(var[i]) * Math.sqrt(var[j]);
                    if (!MehlerTable.sums(t, i, t, j, rho, out)) {
                        continue; // the bound not met by degree K: the Gram path takes the quadrature
                    }
                    stopped++;
                    double tRef = a.dual(var[i], kxy, var[j]);
                    double dRef = a.dualDerivative(var[i], kxy, var[j]);
                    // relative to the Cauchy–Schwarz scale √(E[f(u)²]E[f(v)²]), as values near 0 are judged
                    double sT = Math.sqrt(a.mapVariance(var[i]) * a.mapVariance(var[j]));
                    double sD = Math.sqrt(a.dualDerivative(var[i], var[i], var[i]) * a.dualDerivative(var[j], var[j], var[j]));
                    worst = Math.max(worst, Math.abs(out[0] - tRef) / Math.max(Math.abs(tRef), 1e-3 * sT));
                    worst = Math.max(worst, Math.abs(out[1] - dRef) / Math.max(Math.abs(dRef), 1e-3 * sD));
                }
            }
        }
        // most pairs stop (large variances at |ρ| near 1 do not: tanh is close to a step there,
        // its coefficients decay slowly), or the test tests nothing
        assertTrue(stopped > 0.5 * var.length * var.length * rhos.length, "series stopped for " + stopped + " pairs");
        return worst;
    }

    @Test
    void oddAndEvenTablesAgreeWithTheQuadrature() {
        double odd = worst(activation("tanh_odd", TANH, DTANH, QuadratureActivation.ODD), TANH, DTANH, QuadratureActivation.ODD);
        double even = worst(activation("tanh2", TANH2, DTANH2, QuadratureActivation.EVEN), TANH2, DTANH2, QuadratureActivation.EVEN);
        System.out.printf("  parity tables vs 2-D quadrature: tanh (odd) %.1e, tanh² (even) %.1e%n", odd, even);
        // the series stops at 1e-12 of its sum (MehlerTable.RELATIVE); the panels are good to ~1e-15
        assertTrue(odd < 1e-12, "odd: " + odd);
        assertTrue(even < 1e-12, "even: " + even);
    }

    /** Negative controls: tanh declared even, tanh² declared odd. */
    @Test
    void wrongParityIsNoticed() {
        double odd = worst(activation("tanh_even", TANH, DTANH, QuadratureActivation.EVEN), TANH, DTANH, QuadratureActivation.EVEN);
        double even = worst(activation("tanh2_odd", TANH2, DTANH2, QuadratureActivation.ODD), TANH2, DTANH2, QuadratureActivation.ODD);
        assertTrue(odd > 1e-2, "tanh as even: " + odd);
        assertTrue(even > 1e-2, "tanh² as odd: " + even);
    }

    /** The table of known parity against the one without: two quadratures of the same coefficients. */
    @Test
    void parityTableAgreesWithTheFullOne() {
        Random rnd = new Random(3);
        int n = 40;
        double[] var = MehlerHeadTest.variances(rnd, n);
        QuadratureActivation a = activation("tanh_odd", TANH, DTANH, QuadratureActivation.ODD);
        MehlerTable half = table(a, TANH, DTANH, var, QuadratureActivation.ODD);
        MehlerTable full = table(a, TANH, DTANH, var, 0);
        double[] h = new double[2];
        double[] f = new double[2];
        double worst = 0;
        int both = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(full.dphiSquare[i], half.dphiSquare[i], 1e-13 * full.dphiSquare[i]);
            for (int j = 0; j < n; j++) {
                double rho = 0.97 * (2 * rnd.nextDouble() - 1);
                if (!MehlerTable.sums(half, i, half, j, rho, h) | !MehlerTable.sums(full, i, full, j, rho, f)) {
                    continue;
                }
                both++;
                double sT = half.scale[i] * half.scale[j];
                double sD = half.scale[n + i] * half.scale[n + j];
                worst = Math.max(worst, Math.abs(h[0] - f[0]) / Math.max(Math.abs(f[0]), 1e-3 * sT));
                worst = Math.max(worst, Math.abs(h[1] - f[1]) / Math.max(Math.abs(f[1]), 1e-3 * sD));
            }
        }
        assertTrue(both > 0.8 * n * n, "both series stopped for " + both + " pairs");
        // two series, each stopped within 1e-12 of its sum (MehlerTable.RELATIVE)
        assertTrue(worst < 2e-12, "worst " + worst);
    }

    /**
     * The Gram path's batch form on a table of known parity: the head's sums (in ρ²), times ρ
     * where the series starts at degree 1, and then {@link MehlerTable#rest}, are the bits of
     * {@link MehlerTable#sums}; pairs stop after the head and go on.
     */
    @Test
    void headThenRestIsSumsBitForBit() {
        Random rnd = new Random(18);
        int n = 300;
        double[] var = MehlerHeadTest.variances(rnd, n);
        QuadratureActivation a = activation("tanh_odd", TANH, DTANH, QuadratureActivation.ODD);
        MehlerTable t = table(a, TANH, DTANH, var, QuadratureActivation.ODD);
        assertEquals(2, t.step);
        KernelBatch batch = new KernelBatch(MehlerTable.SLICE);
        double[] g = new double[n];
        java.util.Arrays.fill(g, 1);
        double[] x = new double[MehlerTable.SLICE];
        int[] counts = new int[2];
        for (int i = 0; i < 60; i++) {
            int from = rnd.nextInt(n - MehlerTable.SLICE);
            int size = 8 + rnd.nextInt(MehlerTable.SLICE - 7);
            for (int k = 0; k < size; k++) {
                double u = rnd.nextDouble();
                batch.c[k] = k % 5 == 0 ? 0.969999 * (2 * u - 1) : k % 5 == 1 ? 1e-9 * u : k % 5 == 2 ? -0.0 : 0.95 * (2 * u - 1);
                x[k] = batch.c[k] * batch.c[k];
            }
            MehlerTable.Slice s = MehlerTable.Slice.of(batch, t, from, size, g, g, g);
            MehlerTable.head(t, i, s, size, x, batch.work, batch.work2, batch.work3, batch.work4);
            MehlerHeadTest.compareWithSums(t, i, from, size, batch, true, counts);
        }
        assertTrue(counts[0] > 1000 && counts[1] > 50, "both branches taken: " + counts[0] + " / " + counts[1]);
    }

    /**
     * The built-in activations' φ and φ' evaluated together (as the tables do) are their φ and
     * φ' one by one, bit for bit, over the whole line (subnormals, ±0, where tanh saturates,
     * ±∞, NaN).
     */
    @Test
    void valuesTogetherAreTheValuesApart() {
        Random rnd = new Random(1);
        int n = 20000;
        double[] x = new double[n];
        double[] special = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, 1e-8, -1e-8, 0.5, 1, 19.06, 22, -22, 40, 710,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        for (int q = 0; q < n; q++) {
            x[q] = q < special.length ? special[q] : (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -12 + 14 * rnd.nextDouble());
        }
        for (String name : new String[] {"tanh", "sigmoid", "softplus", "silu", "mish", "elu", "selu"}) {
            QuadratureActivation a = (QuadratureActivation) Activations.of(name);
            double[] f = new double[n];
            double[] df = new double[n];
            double[] in = x.clone();
            a.values().values(in, n, in, df); // phi may be the points' own array
            System.arraycopy(in, 0, f, 0, n);
            for (int q = 0; q < n; q++) {
                assertEquals(Double.doubleToLongBits(a.apply(x[q])), Double.doubleToLongBits(f[q]), name + " φ at " + x[q]);
                assertEquals(Double.doubleToLongBits(a.derivative(x[q])), Double.doubleToLongBits(df[q]), name + " φ' at " + x[q]);
            }
        }
    }
}
