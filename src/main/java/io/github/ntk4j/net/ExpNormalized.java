package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.List;
import java.util.Objects;

/**
 * neural-tangents' {@code ExpNormalized(gamma, shift)} (spec {@code exp_normalized(gamma)} or
 * {@code exp_normalized(gamma,shift)}, defaults γ = 1, shift = −1): the "Gaussian normalised
 * kernel" layer of Shankar et al. 2020, defined by its kernel rule, with ρ = Σxy/√(ΣxxΣyy):
 * <pre>
 *   T = √(ΣxxΣyy)·exp(γ(ρ + shift)),   Ṫ = γ·exp(γ(ρ + shift)),   T(s, s, s) = s·e^{γ(1+shift)}
 * </pre>
 * It has no pointwise φ (neural-tangents' {@code apply_fn} raises too), so finite-width networks
 * refuse it. 1 − ρ is taken as D/(√(ΣxxΣyy)(√(ΣxxΣyy) + Σxy)) near collinearity, and the
 * output's D' = −ΣxxΣyy e^{2γ(1+shift)}·expm1(−2γ(1 − ρ)) and
 * E' = e^{γ(1+shift)}[(√Σxx − √Σyy)² − 2√(ΣxxΣyy)·expm1(−γ(1 − ρ))] without cancellation.
 */
final class ExpNormalized extends Activation {
    private final double gamma;
    private final double shift;

    /**
     * @param gamma exponent coefficient
     * @param shift shift of the normalised covariance
     */
    public ExpNormalized(double gamma, double shift) {
        if (!Double.isFinite(gamma) || !Double.isFinite(shift)) {
            throw Messages.notFinite("exp_normalized parameter", Double.isFinite(gamma) ? shift : gamma);
        }
        this.gamma = gamma;
        this.shift = shift;
    }

    @Override
    public String name() {
        return "exp_normalized";
    }

    @Override
    protected List<Double> parameters() {
        if (shift == -1) {
            return gamma == 1 ? List.of() : List.of(gamma);
        }
        return List.of(gamma, shift);
    }

    private UnsupportedOperationException noPhi() {
        return new UnsupportedOperationException("exp_normalized is defined by its kernel rule only and has no pointwise"
                + " activation φ (as neural-tangents' ExpNormalized); finite-width networks cannot use it");
    }

    @Override
    public double apply(double x) {
        throw Messages.invalid(noPhi().getMessage());
    }

    @Override
    public double derivative(double x) {
        throw Messages.invalid(noPhi().getMessage());
    }

    @Override
    public double mapVariance(double kxx) {
        return kxx * Math.exp(gamma * (1 + shift));
    }

    /** 1 − ρ without cancellation. */
    private static double oneMinusRho(double norm, double kxy, double d) {
        return kxy > 0 ? d / (norm * (norm + kxy)) : 1 - kxy / norm;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        double norm = Math.sqrt(kxx) * Math.sqrt(kyy);
        if (norm == 0) {
            return 0;
        }
        return norm * Math.exp(gamma * (1 + shift) - gamma * oneMinusRho(norm, kxy, Math.max(kxx * kyy - kxy * kxy, 0)));
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        double norm = Math.sqrt(kxx) * Math.sqrt(kyy);
        double omr = norm == 0 ? 1 : oneMinusRho(norm, kxy, Math.max(kxx * kyy - kxy * kxy, 0));
        return gamma * Math.exp(gamma * (1 + shift) - gamma * omr);
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        double g1 = Math.exp(gamma * (1 + shift));
        for (int k = 0; k < p.size; k++) {
            double rx = Math.sqrt(p.kxx[k]);
            double ry = Math.sqrt(p.kyy[k]);
            double norm = rx * ry;
            double omr = norm == 0 ? 1 : p.same[k] ? 0 : oneMinusRho(norm, p.kxy[k], p.d[k]);
            double ex = Math.exp(-gamma * omr);
            p.ntk[k] *= gamma * g1 * ex;
            if (p.same[k]) {
                p.kxy[k] = p.kxxOut[k];
                p.d[k] = 0;
                p.e[k] = 0;
                continue;
            }
            p.kxy[k] = norm * g1 * ex;
            if (p.kxy[k] < Double.MIN_NORMAL && norm > 0) { // not 0: √(ΣxxΣyy)·exp(γ(ρ + shift)) > 0
                double log10 = (Math.log(norm) + gamma * (1 + shift) - gamma * omr) / Math.log(10);
                throw io.github.ntk4j.internal.Messages.ruleOutOfRange("activation " + spec(),
                        "T = √(ΣxxΣyy)·exp(γ(ρ + shift))", String.format(java.util.Locale.ROOT, "about 10^%.4g", log10));
            }
            p.d[k] = Math.max(-norm * norm * g1 * g1 * Math.expm1(-2 * gamma * omr), 0);
            double r = rx - ry;
            p.e[k] = Math.max(g1 * (r * r - 2 * norm * Math.expm1(-gamma * omr)), 0);
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        String nrm = "Sqrt[(" + xx + ")*(" + yy + ")]";
        return "(" + nrm + "*Exp[" + num(gamma) + "*((" + xy + ")/" + nrm + "+(" + num(shift) + "))])";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String nrm = "Sqrt[(" + xx + ")*(" + yy + ")]";
        return "(" + num(gamma) + "*Exp[" + num(gamma) + "*((" + xy + ")/" + nrm + "+(" + num(shift) + "))])";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpNormalized e && e.gamma == gamma && e.shift == shift;
    }

    @Override
    public int hashCode() {
        return Objects.hash(gamma, shift, 11);
    }
}
