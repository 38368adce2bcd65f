package io.github.ntk4j.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.math.RateFit;
import io.github.ntk4j.math.Significance;
import org.junit.jupiter.api.Test;

/** The decision rules of {@link SlopeCheck}, {@link PairBias} and {@link Verdict} on constructed data. */
class VerdictRulesTest {
    private static RateFit fit(double lo, double hi) {
        return new RateFit((lo + hi) / 2, 0, (hi - lo) / 4, lo, hi, 0.95, 5, 10);
    }

    @Test
    void slopeDecisions() {
        double h = SlopeCheck.MAX_HALF_WIDTH;
        // exact exponent −1/2
        assertEquals(Verdict.PASS, SlopeCheck.decide(fit(-0.6, -0.4), -0.5, true, h).verdict());
        assertEquals(Verdict.FAIL, SlopeCheck.decide(fit(-0.3, -0.1), -0.5, true, h).verdict());
        assertEquals(Verdict.FAIL, SlopeCheck.decide(fit(-1.2, -0.9), -0.5, true, h).verdict());
        // contains −1/2 but also 0: cannot tell convergence from none
        assertEquals(Verdict.INCONCLUSIVE, SlopeCheck.decide(fit(-0.7, 0.05), -0.5, true, h).verdict());
        // contains −1/2, excludes 0, but wider than ±h
        SlopeCheck.Outcome wide = SlopeCheck.decide(fit(-0.9, -0.1), -0.5, true, h);
        assertEquals(Verdict.INCONCLUSIVE, wide.verdict());
        // projected with the normal quantile: h_z = 1.959964 · se, se = 0.2 here
        assertEquals(Math.pow(1.959963985 * 0.2 / h, 2), wide.seedsFactor(), 1e-8);
        // at least as fast as m^−1/2
        assertEquals(Verdict.PASS, SlopeCheck.decide(fit(-1.1, -0.8), -0.5, false, h).verdict());
        assertEquals(Verdict.FAIL, SlopeCheck.decide(fit(-0.4, -0.2), -0.5, false, h).verdict());
        // growing
        assertEquals(Verdict.FAIL, SlopeCheck.decide(fit(0.1, 0.3), -0.5, false, h).verdict());
    }

    @Test
    void verdictsCombineWorstFirst() {
        assertEquals(Verdict.FAIL, Verdict.PASS.and(Verdict.FAIL));
        assertEquals(Verdict.FAIL, Verdict.INCONCLUSIVE.and(Verdict.FAIL));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.PASS.and(Verdict.INCONCLUSIVE));
        assertEquals(Verdict.PASS, Verdict.PASS.and(Verdict.PASS));
    }

    @Test
    void biasTestOfTwoWidthsHasTheClosedForm() {
        // means v̄(m) = a + b/m through two widths: a = (m2 v̄2 − m1 v̄1)/(m2 − m1),
        // Var(a) = (m2² s2²/S + m1² s1²/S)/(m2 − m1)², in units of the scale
        double[][] values = {{2.0, 2.4, 2.2, 1.8}, {2.05, 2.15, 2.1, 2.0}};
        int[] widths = {64, 256};
        double exact = 2.0;
        double scale = 4.0;
        PairBias b = PairBias.test(0, 1, exact, scale, widths, values);
        double m1 = 64;
        double m2 = 256;
        double v1 = 2.1;
        double v2 = 2.075;
        double s1 = (0.01 + 0.09 + 0.01 + 0.09) / 3 / 4; // sample variance / S
        double s2 = (0.000625 + 0.005625 + 0.000625 + 0.005625) / 3 / 4;
        double a = (m2 * v2 - m1 * v1) / (m2 - m1);
        double var = (m2 * m2 * s2 + m1 * m1 * s1) / ((m2 - m1) * (m2 - m1));
        assertEquals(a, b.extrapolated(), 1e-12);
        assertEquals(Math.sqrt(var), b.stderr(), 1e-12);
        assertEquals((a - exact) / Math.sqrt(var), b.t(), 1e-9);
        assertEquals((a - exact) / scale, b.offset(), 1e-12);
        double k1 = m1 * m1 * s1;
        double k2 = m2 * m2 * s2;
        double nu = (k1 + k2) * (k1 + k2) / (k1 * k1 / 3 + k2 * k2 / 3);
        assertEquals(nu, b.df(), 1e-9);
        assertEquals(Significance.twoSidedP(b.t(), nu), b.p(), 1e-15);
        // detectable offset: (t_{1−α/2, ν} + z_0.8)·se/scale, larger for a smaller α
        double d = b.detectable(0.05, 0.8);
        assertEquals((Significance.tQuantile(0.975, nu) + Significance.normalQuantile(0.8)) * Math.sqrt(var) / scale, d,
                1e-12);
        assertTrue(b.detectable(0.001, 0.8) > d);
    }
}
