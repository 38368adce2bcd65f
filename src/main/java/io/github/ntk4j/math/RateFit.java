package io.github.ntk4j.math;

import io.github.ntk4j.internal.Messages;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Least-squares fit of a power law y ≈ C·m^s through points (m_i, y_i), done as the straight
 * line log y = log C + s·log m, with the confidence interval of the slope from Student's t
 * distribution with n − 2 degrees of freedom (any regression text, e.g. Draper &amp; Smith,
 * Applied Regression Analysis, §1.4):
 * <pre>
 *   s = Sxy / Sxx,   se(s) = √( Σ r_i² / (n − 2) / Sxx ),   CI = s ± t_{1−α/2, n−2} · se(s)
 * </pre>
 * with Sxx = Σ (x_i − x̄)², Sxy = Σ (x_i − x̄)(y_i − ȳ) in the logarithms and r_i the
 * residuals. The interval reflects the scatter of the points about the line (noise and any
 * curvature), not the standard errors of the individual points.
 *
 * <p>{@link #withStandardErrors} instead takes each point's standard error (e.g. over
 * independent seeds) and gives the slope's interval from those ({@link SandwichLineFit}): with
 * three widths the residual interval above has one degree of freedom and contains almost any
 * slope, while the seeds' standard errors pin it down.
 *
 * @param slope the fitted exponent s
 * @param intercept log C
 * @param slopeStderr se(s)
 * @param lower lower end of the confidence interval of s
 * @param upper upper end
 * @param confidence the confidence level, e.g. 0.95
 * @param points number of points n
 * @param degreesOfFreedom degrees of freedom of the t quantile: n − 2 for {@link #fit}, the
 *                         Welch–Satterthwaite value for {@link #withStandardErrors}
 */
public record RateFit(double slope, double intercept, double slopeStderr, double lower, double upper,
        double confidence, int points, double degreesOfFreedom) {

    /**
     * Fits log y against log m.
     *
     * @param m abscissae (widths), positive
     * @param y ordinates (errors), positive
     * @param confidence confidence level in (0, 1)
     * @return the fit
     */
    public static RateFit fit(double[] m, double[] y, double confidence) {
        if (m.length != y.length) {
            throw Messages.dimensionMismatch("widths", m.length, "errors", y.length);
        }
        if (m.length < 3) {
            throw Messages.tooSmall("number of widths (a slope with a confidence interval needs at least 3)",
                    m.length, 3);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw Messages.invalid("confidence must be in (0, 1), got " + confidence);
        }
        int n = m.length;
        double[] lx = new double[n];
        double[] ly = new double[n];
        for (int i = 0; i < n; i++) {
            lx[i] = logOf("width", m[i]);
            ly[i] = logOf("value", y[i]);
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += lx[i];
            my += ly[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (lx[i] - mx) * (lx[i] - mx);
            sxy += (lx[i] - mx) * (ly[i] - my);
        }
        if (sxx == 0) {
            throw Messages.invalid("a slope needs at least two different widths");
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = ly[i] - intercept - slope * lx[i];
            rss += r * r;
        }
        double se = Math.sqrt(rss / (n - 2) / sxx);
        double t = new TDistribution(n - 2).inverseCumulativeProbability(0.5 + confidence / 2);
        return new RateFit(slope, intercept, se, slope - t * se, slope + t * se, confidence, n, n - 2);
    }

    /**
     * Fits log y against log m by ordinary least squares, with the slope's standard error from
     * the points' own standard errors: Var(log y_i) ≈ (se_i/y_i)² (delta method), combined as in
     * {@link SandwichLineFit} (equal weights), and the interval from Student's t with the
     * Welch–Satterthwaite degrees of freedom.
     *
     * @param m abscissae (widths), positive, at least two distinct
     * @param y ordinates, positive and finite
     * @param stderr standard error of each y_i, ≥ 0
     * @param df degrees of freedom of each standard error (S − 1 for S seeds)
     * @param confidence confidence level in (0, 1)
     * @return the fit
     */
    public static RateFit withStandardErrors(double[] m, double[] y, double[] stderr, double[] df, double confidence) {
        int n = m.length;
        if (y.length != n || stderr.length != n || df.length != n) {
            throw Messages.dimensionMismatch("widths", n, "values, standard errors or degrees of freedom",
                    y.length != n ? y.length : stderr.length != n ? stderr.length : df.length);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw Messages.invalid("confidence must be in (0, 1), got " + confidence);
        }
        double[] lx = new double[n];
        double[] ly = new double[n];
        double[] w = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            lx[i] = logOf("width", m[i]);
            ly[i] = logOf("value", y[i]);
            w[i] = 1;
            double r = stderr[i] / y[i];
            v[i] = r * r;
        }
        SandwichLineFit f = SandwichLineFit.fit(lx, ly, w, v, df);
        double se = f.slopeStderr();
        double t = Significance.tQuantile(0.5 + confidence / 2, f.slopeDf());
        return new RateFit(f.slope(), f.intercept(), se, f.slope() - t * se, f.slope() + t * se, confidence, n,
                f.slopeDf());
    }

    private static double logOf(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw Messages.invalid("a log-log fit needs positive finite values, got " + what + " " + v);
        }
        return Math.log(v);
    }

    /** @return half the width of the confidence interval */
    public double halfWidth() {
        return (upper - lower) / 2;
    }

    /**
     * @param s an exponent
     * @return whether s lies in the confidence interval
     */
    public boolean consistentWith(double s) {
        return lower <= s && s <= upper;
    }

    /**
     * @param m a width
     * @return the fitted C·m^s
     */
    public double predict(double m) {
        return Math.exp(intercept + slope * Math.log(m));
    }
}
