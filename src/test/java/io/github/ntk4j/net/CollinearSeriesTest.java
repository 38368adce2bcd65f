package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.internal.Workers;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;
import org.junit.jupiter.api.Test;

/**
 * The nearly collinear pairs' T, Ṫ and gap T0 − T by Mehler's series ({@link
 * CollinearDefect#collinearSeries}, {@link MehlerTable#collinearGaps}) against a different
 * algorithm: T and Ṫ by the activation's 2-D quadrature ({@link QuadratureActivation#dual},
 * {@link QuadratureActivation#dualDerivative}), the gap as ∫ Ṫ dc along the segment by
 * Gauss–Legendre with Ṫ by that quadrature (the path the series replaces), for sigmoid at
 * variances 0.3 … 1.5 (the defaults' ordered phase reaches 0.6), tanh at 0.6 … 0.81 and softplus at
 * 2 … 4.5 (which needs the wide tables, to degree 127) and 1 − cos θ from 3e-2 down to 1e-12. The deep networks' values are checked against 32-digit references in
 * ActivationReferenceTest (reference/ordered-phase-kernels.json); a wrong weight in either gap
 * series fails that test at 1e-9 and 1e-6 (checked by hand when the series was written). A φ with
 * kinks never takes the series (a step's φ' = 0 carries no gap): FnActivationTest's fn("Sign[x]")
 * Gram fails at 0.68 without that rule ({@link QuadratureActivation#smooth}).
 */
class CollinearSeriesTest {
    private static MehlerTable table(QuadratureActivation a, double[] var) {
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(QuadratureActivation.DEFAULT_DEGREE);
        try (Workers w = new Workers(1)) {
            return MehlerTable.of(var, a::apply, a::derivative, new double[0], rule.getFirst(), rule.getSecond(), w, true, a.spec(),
                    a.parity);
        }
    }

    /** The batch of one pair (i, j) of the table's inputs at 1 − cos θ = v, the series' output in out. */
    private static boolean series(QuadratureActivation a, MehlerTable t, int i, int j, double v, double[] out) {
        CovarianceBatch p = new CovarianceBatch(1);
        p.preparedX = t;
        p.preparedY = t;
        p.row = i;
        p.column0 = j;
        p.cos[0] = 1 - v;
        p.sin2[0] = v * (2 - v);
        return CollinearDefect.collinearSeries(a, p, 0, t.variance[i], t.variance[j], out);
    }

    @Test
    void nearCollinearPairsAgreeWithTheQuadrature() {
        // sigmoid at the defaults' variances (degree 63 suffices); softplus at variances whose
        // coefficients need the wide table (degree 127: at 4.5 the tails after degree 63 were
        // 5e-11 of Ṫ), tanh between
        check("sigmoid", new double[] {0.3, 0.6, 0.61, 1.0, 1.5}, 1.0);
        check("tanh", new double[] {0.6, 0.8, 0.81}, 1.0);
        check("softplus", new double[] {2, 4.4, 4.5}, 0.7);
    }

    /** @param share the share of the cases the series must take (the others are left to the quadrature) */
    private static void check(String name, double[] var, double share) {
        QuadratureActivation a = (QuadratureActivation) Activations.of(name);
        MehlerTable t = table(a, var);
        double[] out = new double[3];
        double worstT = 0;
        double worstD = 0;
        double worstGap = 0;
        int cases = 0;
        int stopped = 0;
        for (int i = 0; i < var.length; i++) {
            for (int j = 0; j < var.length; j++) {
                for (double v : new double[] {3e-2, 1e-2, 1e-4, 1e-6, 1e-9, 1e-12}) {
                    cases++;
                    if (!series(a, t, i, j, v, out)) {
                        continue;
                    }
                    stopped++;
                    double c0 = Math.sqrt(var[i]) * Math.sqrt(var[j]);
                    double sin2 = v * (2 - v);
                    double c = (1 - v) * c0;
                    double tRef = a.dual(var[i], c, var[j]);
                    double dRef = a.dualDerivative(var[i], c, var[j], var[i] * var[j] * sin2);
                    // ∫_c^c0 Ṫ dc' = ∫_0^√δ 2u Ṫ(c0 − u²) du, δ = c0 − c, in four 8-point panels
                    double delta = c0 * sin2 / (2 - v);
                    double gapRef = gap(a, var[i], var[j], c0, Math.sqrt(delta));
                    worstT = Math.max(worstT, Math.abs(out[0] - tRef) / Math.abs(tRef));
                    worstD = Math.max(worstD, Math.abs(out[1] - dRef) / Math.abs(dRef));
                    worstGap = Math.max(worstGap, Math.abs(out[2] - gapRef) / Math.abs(gapRef));
                }
            }
        }
        System.out.printf("  collinear series vs 2-D quadrature (%s, %d of %d pairs): T %.1e, Ṫ %.1e, T0 − T %.1e%n", name,
                stopped, cases, worstT, worstD, worstGap);
        assertTrue(stopped >= share * cases, name + ": the series took " + stopped + " of " + cases);
        // the 2-D quadrature is good to about 1e-13 (QuadratureActivation#dualDerivativeInClosedForm);
        // the gaps' series stop at 2e-13 (MehlerTable.GAP_RELATIVE)
        assertTrue(worstT < 1e-13, name + " T " + worstT);
        assertTrue(worstD < 5e-13, name + " Ṫ " + worstD);
        assertTrue(worstGap < 5e-13, name + " T0 − T " + worstGap);
    }

    /** Where the coefficients decay too slowly even for degree 127 (tanh, variance 20), the series declines. */
    @Test
    void slowlyDecayingCoefficientsAreLeftToTheQuadrature() {
        QuadratureActivation a = (QuadratureActivation) Activations.of("tanh");
        MehlerTable t = table(a, new double[] {20, 19.9});
        assertFalse(series(a, t, 0, 1, 1e-4, new double[3]));
    }

    private static double gap(QuadratureActivation a, double va, double vb, double c0, double root) {
        org.hipparchus.util.Pair<double[], double[]> r = new LegendreRuleFactory().getRule(8);
        double sum = 0;
        int panels = 4;
        for (int q = 0; q < panels; q++) {
            double lo = root * q / panels;
            double hi = root * (q + 1) / panels;
            for (int k = 0; k < 8; k++) {
                double u = 0.5 * (lo + hi) + 0.5 * (hi - lo) * r.getFirst()[k];
                double u2 = u * u;
                sum += 0.5 * (hi - lo) * r.getSecond()[k] * 2 * u * a.dualDerivative(va, c0 - u2, vb, u2 * (2 * c0 - u2));
            }
        }
        return sum;
    }
}
