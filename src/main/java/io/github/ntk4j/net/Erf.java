package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelMath;
import io.github.ntk4j.math.KernelBatch;
import java.util.List;
import java.util.Objects;

/**
 * φ(x) = a·erf(b·x) + c, neural-tangents' {@code Erf(a, b, c)}; plain erf is (1, 1, 0).
 *
 * <p>Duals (Williams 1997, scaled): with Σ' = b²Σ and q = √(1 + 2(Σ'xx + Σ'yy) + 4D'),
 * D' = Σ'xxΣ'yy − Σ'xy² (so q² = (1 + 2Σ'xx)(1 + 2Σ'yy) − 4Σ'xy²),
 * <pre>
 *   T = a² (2/π) arcsin(2Σ'xy/√((1 + 2Σ'xx)(1 + 2Σ'yy))) + c² = a² (2/π) atan(2Σ'xy/q) + c²
 *   Ṫ = a² b² (4/π)/q
 * </pre>
 * The atan form (docs/KERNEL-RECURSION.md §5) has no cancellation once D is known; arcsin of a number near
 * 1 would lose half the digits.
 */
public final class Erf extends Activation {
    private final double a;
    private final double b;
    private final double c;

    /**
     * @param a output scale
     * @param b input scale
     * @param c output shift
     */
    public Erf(double a, double b, double c) {
        if (!Double.isFinite(a)) {
            throw Messages.notFinite("erf parameter a", a);
        }
        if (!Double.isFinite(b)) {
            throw Messages.notFinite("erf parameter b", b);
        }
        if (!Double.isFinite(c)) {
            throw Messages.notFinite("erf parameter c", c);
        }
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /** @return plain erf, Erf(1, 1, 0) */
    public static Erf standard() {
        return new Erf(1, 1, 0);
    }

    /** @return a */
    public double a() {
        return a;
    }

    /** @return b */
    public double b() {
        return b;
    }

    /** @return c */
    public double c() {
        return c;
    }

    @Override
    public String name() {
        return "erf";
    }

    @Override
    protected List<Double> parameters() {
        return a == 1 && b == 1 && c == 0 ? List.of() : List.of(a, b, c);
    }

    @Override
    public double apply(double x) {
        return a * org.hipparchus.special.Erf.erf(b * x) + c;
    }

    @Override
    public double derivative(double x) {
        double bx = b * x;
        return a * b * (2 / Math.sqrt(Math.PI)) * Math.exp(-bx * bx);
    }

    private double dual(double sxx, double sxy, double syy, double d) {
        double b2 = b * b;
        double q = Math.sqrt(1 + 2 * b2 * (sxx + syy) + 4 * b2 * b2 * d);
        return a * a * (2 / Math.PI) * KernelMath.atan(2 * b2 * sxy / q) + c * c;
    }

    private double dualDerivativeD(double sxx, double syy, double d) {
        double b2 = b * b;
        double q = Math.sqrt(1 + 2 * b2 * (sxx + syy) + 4 * b2 * b2 * d);
        return a * a * b2 * (4 / Math.PI) / q;
    }

    @Override
    public double mapVariance(double kxx) {
        return dual(kxx, kxx, kxx, 0);
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return dual(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0));
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return dualDerivativeD(kxx, kyy, Math.max(kxx * kyy - kxy * kxy, 0));
    }

    @Override
    public void mapPairs(KernelBatch p) {
        final double b2 = b * b;
        final double tScale = a * a * (2 / Math.PI);
        final double c2 = c * c;
        final double dScale = a * a * b2 * (4 / Math.PI);
        for (int k = 0; k < p.size; k++) {
            final double q = Math.sqrt(1 + 2 * b2 * (p.kxx[k] + p.kyy[k]) + 4 * b2 * b2 * p.d[k]);
            final double invQ = 1 / q;
            final double txx = p.kxxOut[k];
            final double tyy = p.kyyOut[k];
            if (p.same[k]) {
                p.kxy[k] = txx;
                p.d[k] = 0;
            } else {
                double t = tScale * KernelMath.atan(2 * b2 * p.kxy[k] * invQ) + c2;
                p.kxy[k] = t;
                p.d[k] = Math.max(txx * tyy - t * t, 0);
                p.e[k] = Math.max(txx + tyy - 2 * t, 0);
            }
            p.ntk[k] *= dScale * invQ;
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        // squares written out, not formed in double, so that they stay exact
        String b2 = "(" + num(b) + ")^2";
        String t = "(2/Pi)*ArcSin[2*" + b2 + "*(" + xy + ")/Sqrt[(1+2*" + b2 + "*(" + xx + "))*(1+2*" + b2 + "*("
                + yy + "))]]";
        StringBuilder sb = new StringBuilder("(");
        if (a != 1) {
            sb.append('(').append(num(a)).append(")^2*");
        }
        sb.append(t);
        if (c != 0) {
            sb.append("+(").append(num(c)).append(")^2");
        }
        return sb.append(')').toString();
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String b2 = "(" + num(b) + ")^2";
        return "((" + num(a) + ")^2*" + b2 + "*(4/Pi)/Sqrt[(1+2*" + b2 + "*(" + xx + "))*(1+2*" + b2 + "*(" + yy
                + "))-4*(" + b2 + ")^2*(" + xy + ")^2])";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Erf other && other.a == a && other.b == b && other.c == c;
    }

    @Override
    public int hashCode() {
        return Objects.hash(a, b, c);
    }
}
