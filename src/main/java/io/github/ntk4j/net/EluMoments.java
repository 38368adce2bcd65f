package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelMath;
import org.apache.commons.numbers.gamma.Erfcx;

/**
 * E[φ(μ + sZ)] and E[φ'(μ + sZ)] (Z standard normal, s &gt; 0) in closed form for the ELU family
 * φ(v) = λv (v &gt; 0), λα(e^v − 1) (v ≤ 0): elu (λ = 1) and selu. With a = μ/s and t = a + s,
 * <pre>
 *   E[φ'] = λ(Φ(a) + α·P3),              P3 = E[e^v; v ≤ 0] = e^{μ + s²/2}Φ(−t)
 *   E[φ]  = λ(P1 + α·P2),                P1 = E[v; v &gt; 0] = s(ϕ(a) + aΦ(a))
 *   P2 = E[e^v − 1; v ≤ 0] = P3 − Φ(−a) = expm1(μ + s²/2)·Φ(−t) − P(a &lt; Z &lt; t)
 * </pre>
 * (completing the square in the Gaussian: e^v·ϕ(z) = e^{μ + s²/2}·ϕ(z − s)). Each piece is
 * formed without cancellation: P3 for t &gt; 0 as ½ erfcx(t/√2)·e^{−a²/2} (the exponents
 * μ + s²/2 − t²/2 = −a²/2 cancel exactly, so nothing overflows); the interval's mass
 * P(a &lt; Z &lt; t), of width s, by a 16-point Gauss–Legendre rule where ϕ changes by at most a
 * factor e² across it (then exact to rounding), else as a difference of tails that differ by
 * at least that factor; e^{μ + s²/2} − 1 by expm1 while |μ + s²/2| &lt; 1, else as P3 − Φ(−t).
 * So both moments are within a few ulps of the scale |μ| + s of φ's values, as the
 * quadrature's panels are (where α = 1 and μ is within a few s of 0 the two sides cancel to
 * O(s²), for this and for the panels alike). EluMomentsTest checks them against mpmath.
 *
 * <p>Why: in the 2-D quadrature of a nearly collinear pair the inner expectation's Gaussian is
 * narrow (s small), and wherever it covers the kink the panels took about 160 evaluations of φ
 * and φ' per outer node: 427 million for 60 inputs through 6 elu layers in the ordered phase
 * (W_std 1, b_std 0.5), nine tenths of that Gram's time.
 */
final class EluMoments implements QuadratureActivation.InnerMoments {
    private static final double INV_SQRT2 = 0.7071067811865476;
    /** Gauss–Legendre nodes and weights on [−1, 1] for the interval's mass. */
    private static final double[] GL_X;
    private static final double[] GL_W;

    static {
        org.hipparchus.util.Pair<double[], double[]> rule =
                new org.hipparchus.analysis.integration.gauss.LegendreRuleFactory().getRule(16);
        GL_X = rule.getFirst().clone();
        GL_W = rule.getSecond().clone();
    }

    private final double alpha;
    private final double scale;

    /**
     * @param alpha α, the negative side's amplitude
     * @param scale λ
     */
    EluMoments(double alpha, double scale) {
        this.alpha = alpha;
        this.scale = scale;
    }

    @Override
    public boolean moments(double mean, double s, double[] out) {
        // the closed forms in doubles: spreads and means far inside the double range (the
        // panels take the rest)
        if (!(s >= 0x1p-400 && s <= 0x1p100 && Math.abs(mean) <= 0x1p100)) {
            return false;
        }
        final double a = mean / s;
        final double t = a + s;
        final double half = 0.5 * s * s;
        final double cdfA = Gaussians.cdf(a);
        final double tailT = Gaussians.cdf(-t);
        final double p3 = t > 0 ? 0.5 * Erfcx.value(t * INV_SQRT2) * Math.exp(-0.5 * a * a)
                : Math.exp(mean + half) * tailT;
        final double p1 = s * (Gaussians.pdf(a) + a * cdfA);
        final double lift = Math.abs(mean + half) < 1 ? KernelMath.expm1(mean + half) * tailT : p3 - tailT;
        final double p2 = lift - mass(a, t, s, cdfA, tailT);
        out[0] = scale * (p1 + alpha * p2);
        out[1] = scale * (cdfA + alpha * p3);
        return Double.isFinite(out[0]) && Double.isFinite(out[1]);
    }

    /**
     * P(a &lt; Z &lt; t) for t = a + s: by Gauss–Legendre where s·max(|a|, |t|) ≤ 2 and s ≤ 2 (ϕ
     * within a factor e² across the interval: the rule's error, by Cramér's bound on ϕ's
     * derivatives, is below 1e-18 of the mass), else from the tails Φ(−a) and Φ(−t), or Φ(a)
     * and Φ(t), on the side the interval lies, whose ratio is then at most 1/e (Φ(a) and Φ(−t)
     * given: the moments need them too, and the rule, the common case, needs no tail).
     */
    private static double mass(double a, double t, double s, double cdfA, double tailT) {
        if (s <= 2 && s * Math.max(Math.abs(a), Math.abs(t)) <= 2) {
            final double h = 0.5 * s;
            final double mid = a + h;
            double sum = 0;
            for (int i = 0; i < GL_X.length; i++) {
                sum += GL_W[i] * Gaussians.pdf(mid + h * GL_X[i]);
            }
            return h * sum;
        }
        if (a >= 0) {
            return Gaussians.cdf(-a) - tailT;
        }
        if (t <= 0) {
            return Gaussians.cdf(t) - cdfA;
        }
        return 1 - tailT - cdfA;
    }
}
