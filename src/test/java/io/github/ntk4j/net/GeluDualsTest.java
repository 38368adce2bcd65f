package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GELU's duals and its vectorised batch rule: T and Ṫ ({@link Gelu#duals}, with ψ from the
 * half-angle arc tangent polynomial) against {@code reference/gelu-duals.json}, the Gaussian
 * expectations integrated numerically at 32 digits by {@code src/test/python/make_gelu_dual_reference.py}
 * (never the closed form), over variances 1e-6 to 1e8 and correlations −1, 1, within 1e-8 of them
 * and between, to 1e-12 of the Cauchy–Schwarz scale; and {@link Gelu#mapPairs} equal bit for bit
 * to the general rule of {@link Activation#mapPairs} (the covariance batch) on batches of random,
 * nearly collinear, collinear, anti-collinear, identical and zero-scale pairs.
 */
class GeluDualsTest {
    private static final double TOL = 1e-12;

    @Test
    void dualsAgreeWithIndependentIntegrals() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        int n = 0;
        double[] out = new double[2];
        for (Map<String, Object> c : TestData.cases("/reference/gelu-duals.json")) {
            double a = TestData.num(c, "a");
            double b = TestData.num(c, "b");
            double xy = TestData.num(c, "c");
            Gelu.duals(a, xy, b, TestData.num(c, "d"), out);
            String what = "a=" + a + " c=" + xy + " b=" + b + " (rho " + c.get("rho") + ")";
            worst = Math.max(worst, check(failures, "T " + what, out[0], TestData.num(c, "t"), TestData.num(c, "t_scale")));
            worst = Math.max(worst, check(failures, "Ṫ " + what, out[1], TestData.num(c, "tdot"),
                    TestData.num(c, "tdot_scale")));
            // negative control: a value off by 1e-10 of the scale fails the same check
            assertFalse(check(new ArrayList<>(), "control", TestData.num(c, "t") + 1e-10 * TestData.num(c, "t_scale"),
                    TestData.num(c, "t"), TestData.num(c, "t_scale")) <= TOL, "control " + what);
            n++;
        }
        System.out.printf("gelu duals: %d cases, worst error %.2e of the Cauchy–Schwarz scale%n", n, worst);
        assertTrue(n >= 300, "cases " + n);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static double check(List<String> failures, String what, double got, double want, double scale) {
        double err = Math.abs(got - want) / scale;
        if (!(err <= TOL)) {
            failures.add(what + ": " + got + " against " + want + " (" + err + " of the scale)");
        }
        return err;
    }

    @Test
    void batchRuleEqualsGeneralRuleBitForBit() {
        Random rng = new Random(18);
        Gelu gelu = Gelu.instance();
        int settled = 0;
        int pairs = 0;
        for (int round = 0; round < 200; round++) {
            int m = 140;
            ScaledDouble[] scales = new ScaledDouble[m];
            for (int j = 0; j < m; j++) {
                int kind = rng.nextInt(20);
                scales[j] = kind == 0 ? ScaledDouble.ZERO
                        : ScaledDouble.of(Math.exp(kind == 1 ? 20 * rng.nextGaussian() : 1.5 * rng.nextGaussian()));
            }
            KernelRows rows = gelu.mapRows(scales, Workers.serial());
            int n = 1 + rng.nextInt(128);
            int yFrom = rng.nextInt(m - n + 1);
            int i = rng.nextInt(m);
            KernelBatch fast = new KernelBatch(128);
            fast.size = n;
            for (int k = 0; k < n; k++) {
                int kind = rng.nextInt(12);
                double theta;
                if (kind == 0) {
                    theta = 0;
                } else if (kind == 1) {
                    theta = Math.PI;
                } else if (kind == 2) {
                    theta = Math.pow(10, -1 - 8 * rng.nextDouble());
                } else if (kind == 3) {
                    theta = Math.PI - Math.pow(10, -1 - 8 * rng.nextDouble());
                } else {
                    theta = Math.PI * rng.nextDouble();
                }
                double half = Math.sin(theta / 2);
                fast.c[k] = Math.cos(theta);
                fast.v[k] = 2 * half * half;
                fast.s2[k] = Math.sin(theta) * Math.sin(theta);
                fast.ntk[k] = rng.nextGaussian();
                fast.same[k] = yFrom + k == i;
            }
            KernelBatch general = new KernelBatch(128);
            fast.copyTo(general);
            gelu.mapPairs(fast, rows, i, rows, yFrom);
            for (int k = 0; k < n; k++) {
                settled += fast.work3[k] <= 0 && !fast.same[k] ? 1 : 0; // the fast path's keys
            }
            gelu.mapPairs(general, rows, i, rows, yFrom, 0, n);
            for (int k = 0; k < n; k++) {
                String what = "round " + round + " pair " + k + " (θ from c " + general.c[k] + ")";
                assertEquals(general.c[k], fast.c[k], 0.0, "cos θ' " + what);
                assertEquals(general.v[k], fast.v[k], 0.0, "1 − cos θ' " + what);
                assertEquals(general.s2[k], fast.s2[k], 0.0, "sin²θ' " + what);
                assertEquals(general.ntk[k], fast.ntk[k], 0.0, "ntk " + what);
                assertEquals(Double.doubleToRawLongBits(general.c[k]), Double.doubleToRawLongBits(fast.c[k]), what);
                assertEquals(Double.doubleToRawLongBits(general.v[k]), Double.doubleToRawLongBits(fast.v[k]), what);
            }
            pairs += n;
        }
        // the comparison is not vacuous: most pairs went through the vectorised loops
        assertTrue(settled > pairs / 2, "settled " + settled + " of " + pairs);
    }
}
