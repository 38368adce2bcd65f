package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.List;
import java.util.Objects;

/**
 * φ(x) = a·sin(b·x + c) ({@code sin(a,b,c)}, neural-tangents' {@code Sin}) or a·cos(b·x + c)
 * ({@code cos(a,b,c)}, neural-tangents' {@code Cos} = {@code Sin(a, b, c + π/2)}); defaults
 * (1, 1, 0).
 *
 * <p>Duals (from E[e^{i(bu ± bv)}] = e^{−b²(Σxx + Σyy ± 2Σxy)/2}; neural-tangents' {@code Sin}
 * kernel function), with S = Σxx + Σyy, β = b² and σ² = sin²c for sin, cos²c for cos:
 * <pre>
 *   T = a² e^{−βS/2} [ sinh(βΣxy) + e^{−βΣxy} σ² ]
 *   Ṫ = a²β e^{−βS/2} [ cosh(βΣxy) − e^{−βΣxy} σ² ]
 * </pre>
 * (for cos the same with σ² = cos²c). Evaluated as e^{−βS/2} sinh(βΣxy) = ±½ e^{−βm/2}(1 − e^{−2β|Σxy|})
 * with m = min(S − 2Σxy, S + 2Σxy) formed from D = ΣxxΣyy − Σxy² ({@link #nearer}): T keeps full
 * relative accuracy for nearly orthogonal inputs (Σxy → 0), where neural-tangents' form
 * (a²/2)(e^{β(Σxy − S/2)} − e^{−β(Σxy + S/2)}cos 2c) cancels, no exponential overflows or
 * underflows before the value does, and nearly collinear or anti-collinear inputs of large variance
 * keep the small exponent m to its last digits.
 */
final class Sinusoid extends Activation {
    private final boolean cosine;
    private final double a;
    private final double b;
    private final double c;
    /** sin²c for sin, cos²c for cos, each computed directly (not through c + π/2). */
    private final double phase2;
    /** 1 − σ²: cos²c for sin, sin²c for cos, computed directly. */
    private final double complement2;

    /**
     * @param cosine true for a·cos(b·x + c), false for a·sin(b·x + c)
     * @param a output scale
     * @param b input scale
     * @param c phase
     */
    public Sinusoid(boolean cosine, double a, double b, double c) {
        String n = cosine ? "cos" : "sin";
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c)) {
            throw Messages.notFinite(n + " parameter", !Double.isFinite(a) ? a : !Double.isFinite(b) ? b : c);
        }
        this.cosine = cosine;
        this.a = a;
        this.b = b;
        this.c = c;
        double s = cosine ? Math.cos(c) : Math.sin(c);
        double o = cosine ? Math.sin(c) : Math.cos(c);
        this.phase2 = s * s;
        this.complement2 = o * o;
    }

    @Override
    public String name() {
        return cosine ? "cos" : "sin";
    }

    @Override
    protected List<Double> parameters() {
        return a == 1 && b == 1 && c == 0 ? List.of() : List.of(a, b, c);
    }

    @Override
    public double apply(double x) {
        return cosine ? a * Math.cos(b * x + c) : a * Math.sin(b * x + c);
    }

    @Override
    public double derivative(double x) {
        return cosine ? -a * b * Math.sin(b * x + c) : a * b * Math.cos(b * x + c);
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return dual(kxx, kxy, kyy, kxx * kyy - kxy * kxy);
    }

    /**
     * T = a²[SH + σ² e^{−βF/2}] with SH = e^{−βS/2} sinh(βΣxy) = ± ½ e^{−βm/2}(1 − e^{−2β|Σxy|}),
     * where E = S − 2Σxy, F = S + 2Σxy and m = min(E, F) is formed from D without cancellation
     * ({@link #nearer}); for Σxy &lt; 0, where F = m, T = a² ½e^{−βm/2}[(e^{2βΣxy} − 1) + 2σ²]. Every
     * factor is at most 1 and nothing cancels but where T crosses 0.
     */
    @Override
    double dual(double kxx, double kxy, double kyy, double d) {
        double beta = b * b;
        double near = 0.5 * Math.exp(-0.5 * beta * nearer(kxx, kxy, kyy, d));
        if (kxy >= 0) {
            return a * a * (-near * Math.expm1(-2 * beta * kxy) + phase2 * Math.exp(-0.5 * beta * (kxx + kyy + 2 * kxy)));
        }
        return a * a * near * (Math.expm1(2 * beta * kxy) + 2 * phase2);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return dualDerivative(kxx, kxy, kyy, kxx * kyy - kxy * kxy);
    }

    /**
     * Ṫ = a²β[CH − σ² e^{−βF/2}] with CH = e^{−βS/2} cosh(βΣxy) = ½ e^{−βm/2}(1 + e^{−2β|Σxy|})
     * (the names of {@link #dual(double, double, double, double)}), written as a²β[SH + (1 − σ²)
     * e^{−βF/2}] for Σxy ≥ 0 (two terms that are not negative) and as a² β ½e^{−βm/2}[(e^{2βΣxy} − 1)
     * + 2(1 − σ²)] for Σxy &lt; 0 (cos, σ² = 1, keeps its digits near Σxy = 0).
     */
    @Override
    double dualDerivative(double kxx, double kxy, double kyy, double d) {
        double beta = b * b;
        double near = 0.5 * Math.exp(-0.5 * beta * nearer(kxx, kxy, kyy, d));
        if (kxy >= 0) {
            return a * a * beta * (-near * Math.expm1(-2 * beta * kxy)
                    + complement2 * Math.exp(-0.5 * beta * (kxx + kyy + 2 * kxy)));
        }
        return a * a * beta * near * (Math.expm1(2 * beta * kxy) + 2 * complement2);
    }

    /**
     * min(Σxx + Σyy − 2Σxy, Σxx + Σyy + 2Σxy) = E[(u ∓ v)²], the variance of the difference (or of
     * the sum for Σxy &lt; 0), as (√Σxx − √Σyy)² + 2D/(√(ΣxxΣyy) + |Σxy|): two terms that are not
     * negative. Why: the difference S − 2|Σxy| of two large numbers left the exponent e^{−βm/2}
     * an absolute error of about 1e-16·βS (sin after inputs of norm 2,000, 1e-7 apart: 4e-10 in
     * K; anti-collinear inputs of norm 4e6: 6e-4 in a later sign layer's K). Where D overflowed,
     * the difference.
     */
    private static double nearer(double kxx, double kxy, double kyy, double d) {
        if (!(d < Double.POSITIVE_INFINITY)) {
            return Math.max(kxx + kyy - 2 * Math.abs(kxy), 0);
        }
        double sx = Math.sqrt(kxx);
        double sy = Math.sqrt(kyy);
        double den = sx * sy + Math.abs(kxy);
        return (sx - sy) * (sx - sy) + (den > 0 ? 2 * Math.max(d, 0) / den : 0);
    }

    /**
     * G and H of {@link CollinearDefect} in closed form where the standard deviations are large
     * (β·min(Σxx, Σyy) ≥ 2), where φ(σz) turns b√Σ/(2π) times per unit of z and the quadrature
     * cannot follow it (sin after inputs of norm 1,000, 8e-6 apart: 2.5e-4 in a later sign layer's
     * K). With κ = ½ − σ², Δ = √Σxx − √Σyy, M0 = e^{−β(√Σxx + √Σyy)²/2} and
     * X = e^{−βΣxx} − e^{−βΣyy}:
     * <pre>
     *   G = a⁴[(1 − e^{−βΔ²})(¼ − κ²M0²) − ½κX²]
     *   H = a²[(1 − e^{−βΔ²/2})(1 − 2κM0) − κX²]
     * </pre>
     * (from T(x,x) = a²(½ − κe^{−2βΣxx}) and T0 = a²(½e^{−βΔ²/2} − κM0)); below that threshold the
     * two terms may cancel where κ &gt; 0 (sin is nearly linear there) and the quadrature serves.
     * About the anti-collinear pair only for an odd φ (σ² = 0: T1 = −T0, so G1 = G and
     * H1 = H + 4T0, a sum of terms that are not negative) or an even one (1 − σ² = 0: T1 = T0, G1 = G,
     * H1 = H); otherwise null.
     */
    @Override
    double[] collinearDefect(double kxx, double kyy, boolean anti) {
        double beta = b * b;
        if (beta * Math.min(kxx, kyy) < 2 || anti && phase2 != 0 && complement2 != 0) {
            return null;
        }
        double kappa = 0.5 - phase2;
        double sx = Math.sqrt(kxx);
        double sy = Math.sqrt(kyy);
        double dd = beta * (sx - sy) * (sx - sy);
        double m0 = Math.exp(-0.5 * beta * (sx + sy) * (sx + sy));
        // e^{−βΣxx} − e^{−βΣyy} from the larger exponential and Σxx − Σyy = (√Σxx − √Σyy)(√Σxx + √Σyy)
        double x = Math.exp(-beta * Math.min(kxx, kyy)) * Math.expm1(-beta * Math.abs((sx - sy) * (sx + sy)));
        double a2 = a * a;
        double g = a2 * a2 * (-Math.expm1(-dd) * (0.25 - kappa * kappa * m0 * m0) - 0.5 * kappa * x * x);
        double h = a2 * (-Math.expm1(-0.5 * dd) * (1 - 2 * kappa * m0) - kappa * x * x);
        if (anti && phase2 == 0) {
            h += 4 * a2 * (0.5 * Math.exp(-0.5 * dd) - kappa * m0); // + 4T0
        }
        return new double[] {g, h};
    }

    @Override
    public double mapVariance(double kxx) {
        // T(s, s, s) = (a²/2)(1 − e^{−2βs}) + a² e^{−2βs} σ²
        double beta = b * b;
        double q = Math.exp(-2 * beta * kxx);
        return a * a * (-0.5 * Math.expm1(-2 * beta * kxx) + q * phase2);
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        String beta = "(" + num(b) + ")^2";
        String p2 = "(" + (cosine ? "Cos" : "Sin") + "[" + num(c) + "])^2";
        return "((" + num(a) + ")^2*Exp[-" + beta + "*((" + xx + ")+(" + yy + "))/2]*(Sinh[" + beta + "*(" + xy
                + ")]+Exp[-" + beta + "*(" + xy + ")]*" + p2 + "))";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String beta = "(" + num(b) + ")^2";
        String p2 = "(" + (cosine ? "Cos" : "Sin") + "[" + num(c) + "])^2";
        return "((" + num(a) + ")^2*" + beta + "*Exp[-" + beta + "*((" + xx + ")+(" + yy + "))/2]*(Cosh[" + beta + "*("
                + xy + ")]-Exp[-" + beta + "*(" + xy + ")]*" + p2 + "))";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sinusoid s && s.cosine == cosine && s.a == a && s.b == b && s.c == c;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cosine, a, b, c);
    }
}
