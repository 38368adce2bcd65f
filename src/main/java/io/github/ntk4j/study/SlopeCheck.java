package io.github.ntk4j.study;

import io.github.ntk4j.math.RateFit;
import io.github.ntk4j.math.Significance;
import java.util.Locale;

/**
 * The decision rule for a power-law rate: is a fitted exponent p (with its confidence
 * interval [lo, hi], {@link RateFit}) consistent with the expected exponent e, and could the
 * data have told otherwise?
 *
 * <ul>
 * <li>FAIL when the interval rules the expectation out: e ∉ [lo, hi] for an exact exponent, or
 * lo &gt; e for "falls at least as fast as m^e", or lo &gt; 0 (the quantity grows);</li>
 * <li>otherwise INCONCLUSIVE when the interval contains 0 (no fall is seen at all) or its
 * half-width exceeds the bound h_max: an interval of half-width h &lt; h_max around a slope
 * consistent with −1/2 lies inside (−1, 0), so a PASS rules out both "no convergence" (0)
 * and the 1/m rate (−1);</li>
 * <li>otherwise PASS.</li>
 * </ul>
 * The half-width of a slope's interval falls like 1/√S with S seeds per width, so
 * (h_z/h_max)² is about the factor by which the seeds must grow for a decision, with h_z the
 * half-width the normal quantile would give (at least 1.5).
 */
public final class SlopeCheck {
    /** Default bound h_max on the half-width of the slope's interval. */
    public static final double MAX_HALF_WIDTH = 0.25;

    /** Least growth of the seeds advised for an undecided slope. */
    static final double MIN_FACTOR = 1.5;

    private SlopeCheck() {
    }

    /**
     * The outcome of one check.
     *
     * @param verdict PASS, FAIL or INCONCLUSIVE
     * @param reason one line saying why, in library terms
     * @param seedsFactor factor by which the seeds per width must grow for a decision (1 when
     *                    decided)
     */
    public record Outcome(Verdict verdict, String reason, double seedsFactor) {
    }

    /**
     * A fitted and decided rate.
     *
     * @param fit the fit, its interval at level 1 − α/family
     * @param outcome the decision
     */
    public record Tested(RateFit fit, Outcome outcome) {
    }

    /**
     * Fits per-width means over S independent networks by a power law and decides, as one of
     * {@code family} tests run at family-wise level α (Bonferroni: each interval at 1 − α/family).
     * The slope's interval comes from the means' standard errors
     * ({@link RateFit#withStandardErrors}, S − 1 degrees of freedom each).
     *
     * @param widths the widths
     * @param mean per-width mean over networks, positive
     * @param stderr per-width standard error s/√S
     * @param seeds S ≥ 2
     * @param expected the expected exponent e
     * @param exact see {@link #decide}
     * @param alpha family-wise level α
     * @param family number of tests in the family, ≥ 1
     * @return the fit and decision
     */
    public static Tested test(int[] widths, double[] mean, double[] stderr, int seeds, double expected, boolean exact,
            double alpha, int family) {
        double[] m = new double[widths.length];
        double[] df = new double[widths.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = widths[i];
            df[i] = seeds - 1;
        }
        RateFit fit = RateFit.withStandardErrors(m, mean, stderr, df, 1 - alpha / family);
        return new Tested(fit, decide(fit, expected, exact, MAX_HALF_WIDTH));
    }

    /**
     * Decides.
     *
     * @param fit the fit, its interval at the level the test is run at
     * @param expected the expected exponent e
     * @param exact true: e must lie in the interval; false: the quantity must fall at least as fast
     *              as m^e (lo ≤ e)
     * @param maxHalfWidth h_max &gt; 0
     * @return the outcome
     */
    public static Outcome decide(RateFit fit, double expected, boolean exact, double maxHalfWidth) {
        String ci = String.format(Locale.ROOT, "slope %.3f, %s%% interval [%.3f, %.3f]", fit.slope(),
                percent(fit.confidence()), fit.lower(), fit.upper());
        if (exact && !fit.consistentWith(expected)) {
            return new Outcome(Verdict.FAIL, ci + " excludes " + expected, 1);
        }
        if (!exact && fit.lower() > expected) {
            return new Outcome(Verdict.FAIL, ci + ": falls more slowly than m^" + expected, 1);
        }
        if (fit.lower() > 0) {
            return new Outcome(Verdict.FAIL, ci + ": grows with the width", 1);
        }
        double h = fit.halfWidth();
        // the half-width with many degrees of freedom (normal quantile): the t quantile of a few
        // seeds would exaggerate how many more are needed
        double hz = Significance.normalQuantile(0.5 + fit.confidence() / 2) * fit.slopeStderr();
        double factor = Math.max(MIN_FACTOR, (hz / maxHalfWidth) * (hz / maxHalfWidth));
        if (fit.upper() >= 0) {
            return new Outcome(Verdict.INCONCLUSIVE, ci + " contains 0: no fall with the width is seen", factor);
        }
        if (h > maxHalfWidth) {
            return new Outcome(Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%s is wider than +-%.2f: too few seeds or widths to tell %s from its neighbours", ci, maxHalfWidth,
                    expected), factor);
        }
        return new Outcome(Verdict.PASS, ci + (exact ? " contains " + expected : " reaches down to " + expected)
                + " and excludes 0", 1);
    }

    /** 0.95 → "95", 0.99821 → "99.82". */
    static String percent(double level) {
        String s = String.format(Locale.ROOT, "%.2f", 100 * level);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
