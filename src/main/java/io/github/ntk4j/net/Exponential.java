package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.List;
import java.util.Objects;

/**
 * φ(x) = a·exp(b·x), neural-tangents' {@code Exp(a, b)} (spec {@code exp(a,b)}, default (1, 1)).
 *
 * <p>Duals (the log-normal moment E[e^{b(u+v)}] = e^{b²(Σxx + Σyy + 2Σxy)/2}):
 * <pre>
 *   T = a² exp(b²(Σxx + Σyy + 2Σxy)/2),   Ṫ = b²T,   T(s, s, s) = a² e^{2b²s}
 * </pre>
 * and the output's D' = −a⁴e^{2b²(Σxx+Σyy)}·expm1(−b²E),
 * E' = a²[(e^{b²Σxx} − e^{b²Σyy})² − 2e^{b²(Σxx+Σyy)}·expm1(−b²E/2)], both without cancellation.
 * A T that does not fit a double is refused.
 */
final class Exponential extends Activation {
    private final double a;
    private final double b;

    /**
     * @param a output scale
     * @param b input scale
     */
    public Exponential(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw Messages.notFinite("exp parameter", Double.isFinite(a) ? b : a);
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public String name() {
        return "exp";
    }

    @Override
    protected List<Double> parameters() {
        return a == 1 && b == 1 ? List.of() : List.of(a, b);
    }

    @Override
    public double apply(double x) {
        return a * Math.exp(b * x);
    }

    @Override
    public double derivative(double x) {
        return a * b * Math.exp(b * x);
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return finite(a * a * Math.exp(0.5 * b * b * (kxx + kyy + 2 * kxy)), "T", kxx, kxy, kyy);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return b * b * dual(kxx, kxy, kyy);
    }

    @Override
    public double mapVariance(double kxx) {
        return finite(a * a * Math.exp(2 * b * b * kxx), "T", kxx, kxx, kxx);
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        double b2 = b * b;
        double a2 = a * a;
        for (int k = 0; k < p.size; k++) {
            double sxx = p.kxx[k];
            double syy = p.kyy[k];
            double t = dual(sxx, p.kxy[k], syy);
            p.ntk[k] *= b2 * t;
            if (p.same[k]) {
                p.kxy[k] = p.kxxOut[k];
                p.d[k] = 0;
                continue;
            }
            double e = p.e[k];
            double ex = Math.exp(b2 * syy) * Math.expm1(b2 * (sxx - syy));
            double both = Math.exp(b2 * (sxx + syy));
            p.kxy[k] = t;
            p.d[k] = Math.max(-a2 * a2 * both * both * Math.expm1(-b2 * e), 0);
            p.e[k] = Math.max(a2 * (ex * ex - 2 * both * Math.expm1(-0.5 * b2 * e)), 0);
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return "((" + num(a) + ")^2*Exp[(" + num(b) + ")^2*((" + xx + ")+(" + yy + ")+2*(" + xy + "))/2])";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return "((" + num(b) + ")^2*" + symbolicDual(xx, xy, yy) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Exponential g && g.a == a && g.b == b;
    }

    @Override
    public int hashCode() {
        return Objects.hash(a, b, 5);
    }
}
