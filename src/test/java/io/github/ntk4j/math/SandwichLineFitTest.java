package io.github.ntk4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.Ntk4jException;
import java.util.SplittableRandom;
import org.hipparchus.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

/**
 * {@link SandwichLineFit} against Hipparchus' {@link SimpleRegression} (coefficients, integer
 * weights as repeated points), the textbook variances for equal known variances, a closed form
 * for two points, and a Monte Carlo of the variances.
 */
class SandwichLineFitTest {
    @Test
    void weightedCoefficientsEqualOrdinaryLeastSquaresOnRepeatedPoints() {
        double[] x = {0.1, 0.4, 0.5, 1.3};
        double[] y = {2.0, 1.1, 1.6, -0.4};
        double[] w = {1, 3, 2, 1};
        SimpleRegression reg = new SimpleRegression();
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < w[i]; k++) {
                reg.addData(x[i], y[i]);
            }
        }
        SandwichLineFit f = SandwichLineFit.fit(x, y, w, new double[] {1, 1, 1, 1}, new double[] {5, 5, 5, 5});
        assertEquals(reg.getSlope(), f.slope(), 1e-13);
        assertEquals(reg.getIntercept(), f.intercept(), 1e-13);
    }

    @Test
    void equalKnownVariancesGiveTheTextbookFormulas() {
        // Var(b) = σ²/Sxx, Var(a) = σ²(1/n + x̄²/Sxx) (Draper & Smith §1.4), infinite degrees of freedom
        double[] x = {1, 2, 4, 7};
        double sigma2 = 0.3;
        double xbar = 3.5;
        double sxx = 2.5 * 2.5 + 1.5 * 1.5 + 0.5 * 0.5 + 3.5 * 3.5;
        SandwichLineFit f = SandwichLineFit.fit(x, new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1},
                new double[] {sigma2, sigma2, sigma2, sigma2}, new double[] {Double.POSITIVE_INFINITY,
                    Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY});
        assertEquals(sigma2 / sxx, f.slopeVariance(), 1e-15);
        assertEquals(sigma2 * (0.25 + xbar * xbar / sxx), f.interceptVariance(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, f.slopeDf());
    }

    @Test
    void twoPointsGiveTheClosedForm() {
        // through (x1, y1), (x2, y2): a = (x2 y1 − x1 y2)/(x2 − x1), Var(a) = (x2² v1 + x1² v2)/(x2 − x1)²,
        // and with one variance term each, ν_eff = V²/Σ(k_i v_i)²/ν_i
        double x1 = 1.0 / 64;
        double x2 = 1.0 / 1024;
        double v1 = 0.04;
        double v2 = 0.01;
        SandwichLineFit f = SandwichLineFit.fit(new double[] {x1, x2}, new double[] {3.0, 2.5}, new double[] {64, 1024},
                new double[] {v1, v2}, new double[] {7, 15});
        double d = x2 - x1;
        assertEquals((x2 * 3.0 - x1 * 2.5) / d, f.intercept(), 1e-13);
        double t1 = x2 * x2 * v1 / (d * d);
        double t2 = x1 * x1 * v2 / (d * d);
        assertEquals(t1 + t2, f.interceptVariance(), 1e-15);
        assertEquals((t1 + t2) * (t1 + t2) / (t1 * t1 / 7 + t2 * t2 / 15), f.interceptDf(), 1e-9);
        assertEquals((v1 + v2) / (d * d), f.slopeVariance(), 1e-9 * f.slopeVariance());
    }

    @Test
    void varianceMatchesAMonteCarloOfTheFit() {
        double[] x = {0, 1, 2, 5};
        double[] v = {0.5, 0.1, 0.2, 1.0};
        double[] w = {1, 2, 1, 3};
        double[] inf = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY};
        SandwichLineFit ref = SandwichLineFit.fit(x, new double[4], w, v, inf);
        SplittableRandom rng = new SplittableRandom(1);
        int n = 40_000;
        double sa = 0;
        double sb = 0;
        for (int k = 0; k < n; k++) {
            double[] y = new double[4];
            for (int i = 0; i < 4; i++) {
                y[i] = Math.sqrt(v[i]) * gaussian(rng);
            }
            SandwichLineFit f = SandwichLineFit.fit(x, y, w, v, inf);
            sa += f.intercept() * f.intercept();
            sb += f.slope() * f.slope();
        }
        // sample variances of n normals have relative standard error √(2/n) = 0.7%: 4% is 5.6 of them
        assertEquals(ref.interceptVariance(), sa / n, 0.04 * ref.interceptVariance());
        assertEquals(ref.slopeVariance(), sb / n, 0.04 * ref.slopeVariance());
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void badInputIsRefused() {
        double[] one = {1, 1};
        assertThrows(Ntk4jException.class, () -> SandwichLineFit.fit(new double[] {1}, new double[] {1}, new double[] {1},
                new double[] {1}, new double[] {1}));
        assertThrows(Ntk4jException.class, () -> SandwichLineFit.fit(new double[] {2, 2}, one, one, one, one));
        assertThrows(Ntk4jException.class, () -> SandwichLineFit.fit(new double[] {1, 2}, one, new double[] {0, 1}, one,
                one));
        assertThrows(Ntk4jException.class, () -> SandwichLineFit.fit(new double[] {1, 2}, one, one,
                new double[] {-1, 1}, one));
        assertThrows(Ntk4jException.class, () -> SandwichLineFit.fit(new double[] {1, 2}, new double[] {1, Double.NaN},
                one, one, one));
    }
}
