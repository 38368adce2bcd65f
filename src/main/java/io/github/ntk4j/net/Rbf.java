package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.List;

/**
 * φ(x) = √2·sin(√(2γ)·x + π/4), neural-tangents' {@code Rbf(gamma)} (default γ = 1): the
 * activation whose NNGP dual is the normalised squared-exponential kernel.
 *
 * <p>Duals: T = exp(−γ(Σxx + Σyy − 2Σxy)) = exp(−γE), Ṫ = 2γT, T(s, s, s) = 1. With E carried
 * without cancellation (docs/KERNEL-RECURSION.md §5) the recursion also carries the output's
 * D' = 1 − T² = −expm1(−2γE) and E' = 2 − 2T = −2·expm1(−γE) without cancellation.
 */
final class Rbf extends Activation {
    private final double gamma;

    /** @param gamma γ &gt; 0 */
    public Rbf(double gamma) {
        if (!Double.isFinite(gamma) || gamma <= 0) {
            throw Messages.invalid("rbf parameter gamma must be a finite number > 0, got " + gamma);
        }
        this.gamma = gamma;
    }

    @Override
    public String name() {
        return "rbf";
    }

    @Override
    protected List<Double> parameters() {
        return gamma == 1 ? List.of() : List.of(gamma);
    }

    @Override
    public double apply(double x) {
        return Math.sqrt(2) * Math.sin(Math.sqrt(2 * gamma) * x + Math.PI / 4);
    }

    @Override
    public double derivative(double x) {
        return 2 * Math.sqrt(gamma) * Math.cos(Math.sqrt(2 * gamma) * x + Math.PI / 4);
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return t(Math.max(kxx + kyy - 2 * kxy, 0));
    }

    /**
     * T = exp(−γE), refused where it is not 0 but below the smallest normal double (γE above
     * −ln 2.2e-308 = 708.4): a double would round it to 0 or keep too few digits.
     */
    private double t(double e) {
        double t = Math.exp(-gamma * e);
        if (t < Double.MIN_NORMAL) {
            throw Messages.ruleOutOfRange("activation " + spec(), "T = exp(−γ(Σxx + Σyy − 2Σxy)) with γ(Σxx + Σyy − 2Σxy) = "
                    + String.format(java.util.Locale.ROOT, "%.3g", gamma * e), String.format(java.util.Locale.ROOT,
                    "about 10^-%.3g", gamma * e / Math.log(10)));
        }
        return t;
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return 2 * gamma * dual(kxx, kxy, kyy);
    }

    @Override
    public double mapVariance(double kxx) {
        return 1;
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        for (int k = 0; k < p.size; k++) {
            double e = p.e[k];
            double t = t(e);
            p.ntk[k] *= 2 * gamma * t;
            if (p.same[k]) {
                p.kxy[k] = 1;
                p.d[k] = 0;
                p.e[k] = 0;
            } else {
                p.kxy[k] = t;
                p.d[k] = -Math.expm1(-2 * gamma * e);
                p.e[k] = -2 * Math.expm1(-gamma * e);
            }
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return "Exp[-" + num(gamma) + "*((" + xx + ")+(" + yy + ")-2*(" + xy + "))]";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return "(2*" + num(gamma) + "*" + symbolicDual(xx, xy, yy) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rbf r && r.gamma == gamma;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gamma) + 7;
    }
}
