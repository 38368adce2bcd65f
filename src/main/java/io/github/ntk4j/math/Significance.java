package io.github.ntk4j.math;

import io.github.ntk4j.internal.Messages;
import java.util.Arrays;
import java.util.Comparator;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.distribution.continuous.TDistribution;

/**
 * Student-t quantiles and p-values (Hipparchus' {@link TDistribution}, the normal distribution
 * for infinite degrees of freedom) and Holm's step-down correction for testing several
 * hypotheses at once.
 *
 * <p>Holm (1979), "A simple sequentially rejective multiple test procedure", Scand. J. Statist.
 * 6, 65–70: with the m p-values sorted, p_(1) ≤ … ≤ p_(m), the adjusted p-values are
 * <pre>
 *   p̃_(k) = max_{j ≤ k} min(1, (m − j + 1)·p_(j))
 * </pre>
 * and rejecting every hypothesis with p̃ ≤ α keeps the family-wise error rate at most α under
 * any dependence between the tests (its proof uses only Bonferroni's inequality). Whether at
 * least one hypothesis is rejected is the same decision as Bonferroni's (min p ≤ α/m).
 */
public final class Significance {
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

    private Significance() {
    }

    /**
     * The quantile t_{p, ν} of Student's t distribution.
     *
     * @param p probability in (0, 1)
     * @param df degrees of freedom ν &gt; 0, non-integer allowed; {@code POSITIVE_INFINITY} gives the
     *           normal quantile
     * @return the quantile
     */
    public static double tQuantile(double p, double df) {
        if (!(p > 0 && p < 1)) {
            throw Messages.invalid("a probability must be in (0, 1), got " + p);
        }
        if (!(df > 0)) {
            throw Messages.notPositive("degrees of freedom", df);
        }
        // beyond 1e7 degrees of freedom t and normal agree to about 1e-7 relative
        return df > 1e7 ? NORMAL.inverseCumulativeProbability(p) : new TDistribution(df).inverseCumulativeProbability(p);
    }

    /**
     * The two-sided p-value of a t statistic, P(|T_ν| ≥ |t|).
     *
     * @param t the statistic (±∞ gives 0; NaN is refused)
     * @param df degrees of freedom ν &gt; 0 (or {@code POSITIVE_INFINITY})
     * @return the p-value in [0, 1]
     */
    public static double twoSidedP(double t, double df) {
        if (Double.isNaN(t)) {
            throw Messages.notFinite("t statistic", t);
        }
        if (!(df > 0)) {
            throw Messages.notPositive("degrees of freedom", df);
        }
        double a = -Math.abs(t);
        if (a == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        double tail = df > 1e7 ? NORMAL.cumulativeProbability(a) : new TDistribution(df).cumulativeProbability(a);
        return Math.min(1, 2 * tail);
    }

    /**
     * The quantile z_p of the standard normal distribution.
     *
     * @param p probability in (0, 1)
     * @return z_p
     */
    public static double normalQuantile(double p) {
        return tQuantile(p, Double.POSITIVE_INFINITY);
    }

    /**
     * Holm's adjusted p-values (class comment), in the order given.
     *
     * @param p p-values in [0, 1]
     * @return adjusted p-values, same order
     */
    public static double[] holm(double[] p) {
        int m = p.length;
        for (double v : p) {
            if (!(v >= 0 && v <= 1)) {
                throw Messages.invalid("a p-value must be in [0, 1], got " + v);
            }
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            running = Math.max(running, Math.min(1, (m - k) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
