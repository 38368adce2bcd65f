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
 * (for cos the same with σ² = cos²c). Written with sinh instead of the difference of two
 * exponentials, T keeps full relative accuracy for nearly orthogonal inputs (Σxy → 0), where
 * neural-tangents' form (a²/2)(e^{β(Σxy − S/2)} − e^{−β(Σxy + S/2)}cos 2c) cancels. When βS/2 is
 * so large that e^{−βS/2} would underflow, the two exponentials are formed with their exponents
 * combined instead (both ≤ 0).
 */
final class Sinusoid extends Activation {
    private final boolean cosine;
    private final double a;
    private final double b;
    private final double c;
    /** sin²c for sin, cos²c for cos, each computed directly (not through c + π/2). */
    private final double phase2;

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
        this.phase2 = s * s;
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
        double beta = b * b;
        double s = kxx + kyy;
        if (beta * s < 1200) {
            return a * a * Math.exp(-0.5 * beta * s) * (Math.sinh(beta * kxy) + Math.exp(-beta * kxy) * phase2);
        }
        double e = Math.max(s - 2 * kxy, 0);
        double f = Math.max(s + 2 * kxy, 0);
        return 0.5 * a * a * (Math.exp(-0.5 * beta * e) - Math.exp(-0.5 * beta * f) * (1 - 2 * phase2));
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        double beta = b * b;
        double s = kxx + kyy;
        if (beta * s < 1200) {
            return a * a * beta * Math.exp(-0.5 * beta * s) * (Math.cosh(beta * kxy) - Math.exp(-beta * kxy) * phase2);
        }
        double e = Math.max(s - 2 * kxy, 0);
        double f = Math.max(s + 2 * kxy, 0);
        return 0.5 * a * a * beta * (Math.exp(-0.5 * beta * e) + Math.exp(-0.5 * beta * f) * (1 - 2 * phase2));
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
