package io.github.ntk4j.internal;

/**
 * Means, standard deviations and root-mean-squares that neither overflow nor underflow on the
 * way: every value is first divided by a power of two s near the largest magnitude (exact), the
 * sums are formed in [−1, 1], and the result is multiplied back by s. So targets near 1e307
 * (whose squares, and even whose sum over 30 rows, leave the double range) give the statistics
 * they have, not NaN; a result that itself does not fit a double comes back infinite, for the
 * caller to refuse. The same technique as LAPACK's {@code dnrm2} (scaled sum of squares); for
 * values of moderate size the scaling is exact, so results are those of the plain formulas up
 * to the rounding of the final multiplication (also exact: a power of two).
 */
public final class ScaleSafe {
    private ScaleSafe() {
    }

    /** 2^e with 2^e ≤ m &lt; 2^(e+1) for m &gt; 0 normal, 1 for m = 0 (subnormal m: 2^-1022). */
    private static double scaleOf(double m) {
        if (m == 0 || !Double.isFinite(m)) {
            return 1;
        }
        return Math.scalb(1.0, Math.max(Math.getExponent(m), Double.MIN_EXPONENT));
    }

    private static double maxAbs(double[] v, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(v[i]));
        }
        return m;
    }

    /**
     * @param v finite values, at least one
     * @return their mean (always within the range of v, so finite)
     */
    public static double mean(double[] v) {
        double s = scaleOf(maxAbs(v, v.length));
        double acc = 0;
        for (double d : v) {
            acc += d / s;
        }
        return acc / v.length * s;
    }

    /**
     * The standard deviation with divisor n − ddof, about the given mean.
     *
     * @param v finite values
     * @param mean their mean
     * @param ddof 0 (population) or 1 (sample)
     * @return the deviation; infinite only when it does not fit a double
     */
    public static double sd(double[] v, double mean, int ddof) {
        int n = v.length - ddof;
        if (n <= 0) {
            return 0;
        }
        double s = scaleOf(Math.max(maxAbs(v, v.length), Math.abs(mean)));
        double m = mean / s;
        double acc = 0;
        for (double d : v) {
            double e = d / s - m; // in [-2, 2]
            acc += e * e;
        }
        return Math.sqrt(acc / n) * s;
    }

    /**
     * The root-mean-square difference √(Σ (a_i − b_i)²/n), formed without overflow even where
     * a_i − b_i itself overflows (a = 1e308, b = −1e308).
     *
     * @param a n finite values
     * @param b n finite values
     * @return the RMS difference; infinite only when it does not fit a double
     */
    public static double rmsDifference(double[] a, double[] b) {
        int n = a.length;
        double s = scaleOf(Math.max(maxAbs(a, n), maxAbs(b, n)));
        double acc = 0;
        for (int i = 0; i < n; i++) {
            double e = a[i] / s - b[i] / s;
            acc += e * e;
        }
        return Math.sqrt(acc / n) * s;
    }

    /**
     * The sum of squares Σ ((a_i − b_i)/(2h))² and the scale h of the differences, so that
     * ‖a − b‖ = 2h·√sum (multiply by 2 last: 2h itself may overflow), formed without overflow (a = 1e308, b = −1e308) and without losing
     * differences that are tiny beside the entries themselves (a = (1, 1e-200), b = (1, 2e-200):
     * the plain sum of squares would drop (1e-200)² = 1e-400). The differences are formed as
     * a_i/2 − b_i/2 (exactly (a_i − b_i)/2 for normal values) and divided by h, a power of two
     * at their largest magnitude, so each term lies in [0, 4).
     *
     * @param a n finite values
     * @param b n finite values
     * @return {sum, h}; {0, 1} when a = b
     */
    public static double[] scaledSquaredDistance(double[] a, double[] b) {
        int n = a.length;
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(a[i] * 0.5 - b[i] * 0.5));
        }
        if (m == 0) {
            return new double[] {0, 1};
        }
        double h = scaleOf(m);
        double acc = 0;
        for (int i = 0; i < n; i++) {
            double e = (a[i] * 0.5 - b[i] * 0.5) / h;
            acc += e * e;
        }
        return new double[] {acc, h};
    }
}
