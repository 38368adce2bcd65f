package io.github.ntk4j.net;

import org.hipparchus.analysis.integration.gauss.HermiteRuleFactory;

/**
 * Gauss–Hermite rules for the inner expectation E[f(μ + sZ)] (Z standard normal) of the 2-D
 * quadrature of {@link QuadratureActivation} when f is smooth and s is small: the pairs that
 * Mehler's series leaves to the quadrature are the nearly collinear ones, where s = √(D/Σxx) is
 * the small spread of v given u, and panels over [−9, 9] spend 144 or more evaluations of f on an
 * integrand that is almost constant on the Gaussian's scale (measured: 7.7 ms per pair and
 * layer for tanh at variance 2, ρ = 0.99995, against 0.5 ms with these rules).
 *
 * <p>With n nodes x_i and weights w_i for the weight e^{−x²} (Hipparchus'
 * {@link HermiteRuleFactory}), E[f(μ + sZ)] = Σ w_i/√π · f(μ + s√2·x_i) + R_n. For f analytic in
 * the strip |Im x| &lt; 1 (the assumption the panels make for every smooth φ: its singularities
 * lie at distance ≥ 1 from the real axis), x ↦ f(μ + s√2x) is analytic in |Im x| &lt; 1/(s√2) and
 * R_n falls like exp(−2√n/s) (the trapezoidal-rule view of Gauss–Hermite: nodes about
 * π/√(2n) apart). The limits below are where the measured error for f = 1/(1 + x²), whose poles
 * at ±i sit exactly at that distance, stays at rounding level (≤ 1e-15 relative for every μ in
 * [−4, 4]; src/test/python/inner_hermite_limits.py): 8 nodes to s = 0.05, 16 to 0.12, 32 to
 * 0.22, 64 to 0.35; a larger s takes the panels.
 */
final class InnerHermite {
    private static final int[] NODES = {8, 16, 32, 64};
    private static final double[] MAX_SPREAD = {0.05, 0.12, 0.22, 0.35};
    /**
     * Per rule: node s-multipliers √2·x_i and weights w_i/√π, interleaved; built on first use
     * (Hipparchus computes the 64-node rule in about 0.5 s on a cold JVM, and most Gram
     * matrices need none of them).
     */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<double[]> RULES =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(NODES.length);

    private static double[] build(int n) {
        org.hipparchus.util.Pair<double[], double[]> rule = new HermiteRuleFactory().getRule(n);
        double[] x = rule.getFirst();
        double[] w = rule.getSecond();
        double[] out = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            out[2 * i] = Math.sqrt(2) * x[i];
            out[2 * i + 1] = w[i] / Math.sqrt(Math.PI);
        }
        return out;
    }

    private InnerHermite() {
    }

    /**
     * @param s the inner standard deviation, &gt; 0
     * @return the interleaved rule (node multiplier, weight) for this s, or null when s is too
     *     large for every rule (then the panels apply)
     */
    static double[] rule(double s) {
        for (int r = 0; r < NODES.length; r++) {
            if (s <= MAX_SPREAD[r]) {
                double[] rule = RULES.get(r);
                if (rule == null) {
                    // two threads may both build it: the same values, the first one kept
                    RULES.compareAndSet(r, null, build(NODES[r]));
                    rule = RULES.get(r);
                }
                return rule;
            }
        }
        return null;
    }
}
