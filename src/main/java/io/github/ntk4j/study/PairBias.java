package io.github.ntk4j.study;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.SandwichLineFit;
import io.github.ntk4j.math.Significance;

/**
 * The bias test of one input pair: is the mean of the finite networks' kernel, extrapolated to
 * infinite width, the exact value?
 *
 * <p>At width m the mean over networks of the empirical kernel is k + b/m + O(1/m²) (the finite
 * width bias of the empirical NTK's mean is O(1/m): Dyer and Gur-Ari 2020, "Asymptotics of wide
 * networks from Feynman diagrams", ICLR; Hanin and Nica 2020, "Finite depth and width
 * corrections to the neural tangent kernel", ICLR), and its sampling variance over S networks
 * is σ²/(mS). So the per-width means v̄(m) are fitted by a + b·(1/m) with fixed weights
 * w ∝ m (the inverse of that variance, up to a constant), the intercept's variance is taken
 * from the per-width sample variances ({@link SandwichLineFit}, Welch–Satterthwaite degrees
 * of freedom ν), and
 * <pre>
 *   t = (a − k) / se(a),   p = P(|T_ν| ≥ |t|)
 * </pre>
 * Everything is in units of the pair's kernel scale √(k(x,x)·k(y,y)) (≥ |k(x,y)| by
 * Cauchy–Schwarz), so a pair whose exact value is 0 (odd activation, orthogonal inputs) is
 * tested like any other. Networks of different widths are independent; networks of one width
 * give correlated values for different pairs, which the multiple-test correction (Holm) allows.
 *
 * @param i first input's index
 * @param j second input's index (i ≤ j)
 * @param exact the exact kernel value k(x_i, x_j)
 * @param scale √(k(x_i, x_i)·k(x_j, x_j)) &gt; 0
 * @param extrapolated a, the infinite-width intercept of the means
 * @param stderr se(a)
 * @param df ν, Welch–Satterthwaite degrees of freedom of se(a)
 * @param t (a − k)/se(a)
 * @param p two-sided p-value of t
 */
public record PairBias(int i, int j, double exact, double scale, double extrapolated, double stderr, double df,
        double t, double p) {

    /**
     * Runs the test.
     *
     * @param i first input's index
     * @param j second input's index
     * @param exact k(x_i, x_j)
     * @param scale the pair's kernel scale, &gt; 0
     * @param widths widths m (at least 2 distinct)
     * @param values values[w][s]: network s of width widths[w], at least 2 per width
     * @return the test
     */
    public static PairBias test(int i, int j, double exact, double scale, int[] widths, double[][] values) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw Messages.notPositive("kernel scale", scale);
        }
        int n = widths.length;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        double[] var = new double[n];
        double[] df = new double[n];
        for (int k = 0; k < n; k++) {
            int s = values[k].length;
            if (s < 2) {
                throw Messages.tooSmall("networks per width (a standard error needs 2)", s, 2);
            }
            double mean = 0;
            for (double v : values[k]) {
                mean += v;
            }
            mean /= s;
            double ss = 0;
            for (double v : values[k]) {
                ss += (v - mean) * (v - mean);
            }
            x[k] = 1.0 / widths[k];
            y[k] = (mean - exact) / scale;
            w[k] = widths[k];
            var[k] = ss / (s - 1) / s / (scale * scale);
            df[k] = s - 1;
        }
        SandwichLineFit f = SandwichLineFit.fit(x, y, w, var, df);
        double se = f.interceptStderr();
        double t;
        if (se > 0) {
            t = f.intercept() / se;
        } else {
            t = f.intercept() == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, f.intercept());
        }
        double nu = Double.isFinite(f.interceptDf()) ? f.interceptDf() : Double.POSITIVE_INFINITY;
        return new PairBias(i, j, exact, scale, exact + scale * f.intercept(), scale * se, nu, t,
                Significance.twoSidedP(t, nu));
    }

    /** @return (a − k)/scale, the extrapolated offset in units of the kernel scale */
    public double offset() {
        return (extrapolated - exact) / scale;
    }

    /**
     * The smallest offset (in units of the kernel scale) the test detects with the given power
     * at two-sided level α: (t_{1−α/2, ν} + z_power)·se(a)/scale (the usual normal-shift
     * approximation of a t test's power).
     *
     * @param alpha the level the test is run at
     * @param power the power, e.g. 0.8
     * @return the detectable offset
     */
    public double detectable(double alpha, double power) {
        return (Significance.tQuantile(1 - alpha / 2, df) + Significance.normalQuantile(power)) * stderr / scale;
    }
}
