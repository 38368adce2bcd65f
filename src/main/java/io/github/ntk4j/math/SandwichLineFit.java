package io.github.ntk4j.math;

import io.github.ntk4j.internal.Messages;

/**
 * A straight line y ≈ a + b·x fitted by least squares with fixed weights w_i, whose
 * coefficients' variances come from the given variances of the points (a "sandwich" variance)
 * rather than from the residuals, with Welch–Satterthwaite degrees of freedom.
 *
 * <p>Both coefficients are linear in the points, a = Σ c_i y_i and b = Σ d_i y_i, with
 * <pre>
 *   W = Σ w_i,  x̄ = Σ w_i x_i / W,  Sxx = Σ w_i (x_i − x̄)²,
 *   d_i = w_i (x_i − x̄) / Sxx,      c_i = w_i / W − x̄ d_i,
 * </pre>
 * so for independent points with variances v_i, Var(a) = Σ c_i² v_i and Var(b) = Σ d_i² v_i
 * exactly, whatever the weights. When each v_i is itself estimated with ν_i degrees of freedom
 * (a sample variance of S values has ν = S − 1), the estimated variance V = Σ k_i v_i is
 * approximately a scaled χ² with
 * <pre>
 *   ν_eff = V² / Σ (k_i v_i)² / ν_i        (Welch 1947; Satterthwaite 1946)
 * </pre>
 * degrees of freedom, and (estimate − true)/√V is referred to Student's t with ν_eff.
 *
 * <p>Why not the residual-based interval: with three points it has one degree of freedom
 * (t_{0.975,1} = 12.7) and measures only how straight three points happen to lie; the points'
 * own standard errors, known from the seeds, carry far more information. The weights are fixed
 * (not 1/v_i estimated from the same data) so that the coefficients stay uncorrelated with their
 * estimated variances.
 *
 * @param intercept a
 * @param slope b
 * @param interceptVariance Σ c_i² v_i
 * @param slopeVariance Σ d_i² v_i
 * @param interceptDf Welch–Satterthwaite degrees of freedom of the intercept's variance
 * @param slopeDf the same for the slope's variance
 * @param points number of points
 */
public record SandwichLineFit(double intercept, double slope, double interceptVariance, double slopeVariance,
        double interceptDf, double slopeDf, int points) {

    /**
     * Fits the line.
     *
     * @param x abscissae, at least two distinct
     * @param y ordinates, finite
     * @param weights fixed weights w_i &gt; 0 (only the fit's efficiency depends on them)
     * @param variances variances v_i ≥ 0 of the y_i, finite
     * @param df degrees of freedom ν_i &gt; 0 of each v_i ({@code Double.POSITIVE_INFINITY} for a
     *           known variance)
     * @return the fit
     */
    public static SandwichLineFit fit(double[] x, double[] y, double[] weights, double[] variances, double[] df) {
        int n = x.length;
        if (y.length != n || weights.length != n || variances.length != n || df.length != n) {
            throw Messages.dimensionMismatch("abscissae", n, "ordinates, weights, variances or degrees of freedom",
                    y.length != n ? y.length : weights.length != n ? weights.length
                            : variances.length != n ? variances.length : df.length);
        }
        if (n < 2) {
            throw Messages.tooSmall("number of points of a line fit", n, 2);
        }
        double sw = 0;
        double swx = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw Messages.notFinite("point of a line fit", Double.isFinite(x[i]) ? y[i] : x[i]);
            }
            if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
                throw Messages.notPositive("weight of a line fit", weights[i]);
            }
            if (!(variances[i] >= 0) || !Double.isFinite(variances[i])) {
                throw Messages.notFinite("variance of a line fit", variances[i]);
            }
            if (!(df[i] > 0)) {
                throw Messages.notPositive("degrees of freedom of a variance", df[i]);
            }
            sw += weights[i];
            swx += weights[i] * x[i];
        }
        double xbar = swx / sw;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxx += weights[i] * (x[i] - xbar) * (x[i] - xbar);
        }
        if (!(sxx > 0)) {
            throw Messages.invalid("a line fit needs at least two different abscissae");
        }
        double a = 0;
        double b = 0;
        double[] c = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = weights[i] * (x[i] - xbar) / sxx;
            c[i] = weights[i] / sw - xbar * d[i];
            a += c[i] * y[i];
            b += d[i] * y[i];
        }
        double va = 0;
        double vb = 0;
        double ka = 0;
        double kb = 0;
        for (int i = 0; i < n; i++) {
            double ta = c[i] * c[i] * variances[i];
            double tb = d[i] * d[i] * variances[i];
            va += ta;
            vb += tb;
            ka += ta * ta / df[i];
            kb += tb * tb / df[i];
        }
        return new SandwichLineFit(a, b, va, vb, satterthwaite(va, ka), satterthwaite(vb, kb), n);
    }

    private static double satterthwaite(double v, double k) {
        // k = 0: every variance known (ν = ∞) or zero
        return k > 0 ? v * v / k : Double.POSITIVE_INFINITY;
    }

    /** @return √Var(a) */
    public double interceptStderr() {
        return Math.sqrt(interceptVariance);
    }

    /** @return √Var(b) */
    public double slopeStderr() {
        return Math.sqrt(slopeVariance);
    }
}
