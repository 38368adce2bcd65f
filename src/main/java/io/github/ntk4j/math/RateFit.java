package io.github.ntk4j.math;

import io.github.ntk4j.Messages;
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
 * @param slope the fitted exponent s
 * @param intercept log C
 * @param slopeStderr se(s)
 * @param lower lower end of the confidence interval of s
 * @param upper upper end
 * @param confidence the confidence level, e.g. 0.95
 * @param points number of points n
 */
public record RateFit(double slope, double intercept, double slopeStderr, double lower, double upper,
        double confidence, int points) {

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
            if (!(m[i] > 0) || !(y[i] > 0) || !Double.isFinite(y[i])) {
                throw Messages.invalid("a log-log fit needs positive finite points, got (" + m[i] + ", " + y[i] + ")");
            }
            lx[i] = Math.log(m[i]);
            ly[i] = Math.log(y[i]);
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
        return new RateFit(slope, intercept, se, slope - t * se, slope + t * se, confidence, n);
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
