package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.List;
import java.util.Objects;

/**
 * φ(x) = a·exp(b·x²), neural-tangents' {@code Gaussian(a, b)} (spec {@code gaussian(a,b)},
 * default (1, −1)).
 *
 * <p>Duals (the Gaussian integral of exp(b(u² + v²)) against N(0, Σ)): with
 * q = (1 − 2bΣxx)(1 − 2bΣyy) − 4b²Σxy² = 1 − 2b(Σxx + Σyy) + 4b²D,
 * <pre>
 *   T = a²/√q,   Ṫ = 4a²b² Σxy / q^{3/2},   T(s, s, s) = a²/√(1 − 4bs)
 * </pre>
 * finite only while q &gt; 0 and 1 − 4bΣ &gt; 0 (for b &gt; 0 the moments diverge beyond; such
 * inputs are refused). The output's D' = T(x,x)T(y,y) − T² is carried as
 * a⁴(q² − P)/(q√P(q + √P)) with P = (1 − 4bΣxx)(1 − 4bΣyy) and
 * q² − P = 4b²(Σxx − Σyy)² + 8b²D(1 − 2b(Σxx + Σyy)) + 16b⁴D², which has no cancellation for b &lt; 0.
 */
final class GaussianBump extends Activation {
    private final double a;
    private final double b;

    /**
     * @param a output scale
     * @param b exponent coefficient (negative for a bump)
     */
    public GaussianBump(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw Messages.notFinite("gaussian parameter", Double.isFinite(a) ? b : a);
        }
        this.a = a;
        this.b = b;
    }

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    protected List<Double> parameters() {
        return a == 1 && b == -1 ? List.of() : List.of(a, b);
    }

    @Override
    public double apply(double x) {
        return a * Math.exp(b * x * x);
    }

    @Override
    public double derivative(double x) {
        return 2 * a * b * x * Math.exp(b * x * x);
    }

    private double q(double kxx, double kyy, double d) {
        double q = 1 - 2 * b * (kxx + kyy) + 4 * b * b * d;
        double m = Math.max(kxx, kyy);
        if (!(q > 0) || !(1 - 4 * b * m > 0)) {
            throw Messages.invalid("gaussian(" + num(a) + "," + num(b) + "): E[φ(u)²] = ∞ for a pre-activation variance "
                    + m + " ≥ 1/(4b) = " + 1 / (4 * b) + " (the Gaussian moments of exp(b·x²) diverge); use a smaller b or"
                    + " smaller weights");
        }
        return q;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return a * a / Math.sqrt(q(kxx, kyy, Math.max(kxx * kyy - kxy * kxy, 0)));
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        double q = q(kxx, kyy, Math.max(kxx * kyy - kxy * kxy, 0));
        return 4 * a * a * b * b * kxy / (q * Math.sqrt(q));
    }

    @Override
    public double mapVariance(double kxx) {
        return a * a / Math.sqrt(q(kxx, kxx, 0));
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        double a2 = a * a;
        for (int k = 0; k < p.size; k++) {
            double sxx = p.kxx[k];
            double syy = p.kyy[k];
            double d = p.d[k];
            double q = q(sxx, syy, d);
            double sq = Math.sqrt(q);
            p.ntk[k] *= 4 * a2 * b * b * p.kxy[k] / (q * sq);
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            if (p.same[k]) {
                p.kxy[k] = txx;
                p.d[k] = 0;
                continue;
            }
            double t = a2 / sq;
            double pp = (1 - 4 * b * sxx) * (1 - 4 * b * syy);
            double rp = Math.sqrt(pp);
            double diff = sxx - syy;
            double q2mp = 4 * b * b * diff * diff + 8 * b * b * d * (1 - 2 * b * (sxx + syy)) + 16 * b * b * b * b * d * d;
            double dOut = Math.max(a2 * a2 * q2mp / (q * rp * (q + rp)), 0);
            p.kxy[k] = t;
            p.d[k] = dOut;
            p.e[k] = Duals.distanceFromD(txx, tyy, t, dOut);
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        String bb = "(" + num(b) + ")";
        return "((" + num(a) + ")^2/Sqrt[(1-2*" + bb + "*(" + xx + "))*(1-2*" + bb + "*(" + yy + "))-4*" + bb + "^2*(" + xy
                + ")^2])";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String bb = "(" + num(b) + ")";
        return "(4*(" + num(a) + ")^2*" + bb + "^2*(" + xy + ")/((1-2*" + bb + "*(" + xx + "))*(1-2*" + bb + "*(" + yy
                + "))-4*" + bb + "^2*(" + xy + ")^2)^(3/2))";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianBump g && g.a == a && g.b == b;
    }

    @Override
    public int hashCode() {
        return Objects.hash(a, b, 3);
    }
}
