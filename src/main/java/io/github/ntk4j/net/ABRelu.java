package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelMath;
import io.github.ntk4j.math.KernelBatch;
import java.util.List;
import java.util.Objects;

/**
 * φ(x) = a·min(x, 0) + b·max(x, 0), neural-tangents' {@code ABRelu(a, b)}; ReLU is (0, 1),
 * {@code LeakyRelu(α)} is (α, 1), {@code Abs} is (−1, 1).
 *
 * <p>With θ the angle between the inputs (cos θ = Σxy/√(ΣxxΣyy)), δ = π − θ,
 * s(t) = sin t − t cos t, α = a² + b² and β = 2ab, the duals follow from the arc-cosine
 * kernel of degree 1 (Cho &amp; Saul 2009) applied to the two half-lines:
 * <pre>
 *   T = √(ΣxxΣyy)/(2π) · (α s(δ) − β s(θ))        [ReLU: s(δ) = sin θ + (π − θ) cos θ]
 *   Ṫ = (α δ + β θ)/(2π)
 * </pre>
 * The recursion carries D and E without cancellation (docs/KERNEL-RECURSION.md §5): θ and δ come from
 * atan of √D and Σxy, never from arccos, s(t) by its series for small t, and with
 * h = π − s(θ) − s(δ) (= π(1 − cos θ) − 2s(θ) = π(1 + cos θ) − 2s(δ), the form chosen on
 * the side where it does not cancel)
 * <pre>
 *   P1 = α h + (a + b)² s(θ),  P2 = α (h + 2 s(δ)) + (a − b)² s(θ)
 *   D' = ΣxxΣyy P1 P2 / (4π²),  E' = α (√Σxx − √Σyy)²/2 + √(ΣxxΣyy) P1/π
 * </pre>
 * every term of which is non-negative.
 */
public final class ABRelu extends Activation {
    private static final double PI = Math.PI;
    private static final double TWO_PI = 2 * Math.PI;
    private final double a;
    private final double b;
    private final String name;

    private ABRelu(double a, double b, String name) {
        if (!Double.isFinite(a)) {
            throw Messages.notFinite(name + " parameter a", a);
        }
        if (!Double.isFinite(b)) {
            throw Messages.notFinite(name + " parameter b", b);
        }
        this.a = a;
        this.b = b;
        this.name = name;
    }

    /** @return ReLU, φ(x) = max(x, 0) */
    public static ABRelu relu() {
        return new ABRelu(0, 1, "relu");
    }

    /**
     * @param a slope for x &lt; 0
     * @param b slope for x &gt; 0
     * @return φ(x) = a·min(x, 0) + b·max(x, 0)
     */
    public static ABRelu of(double a, double b) {
        return new ABRelu(a, b, "abrelu");
    }

    /**
     * @param alpha slope for x &lt; 0
     * @return LeakyReLU, φ(x) = max(x, 0) + α min(x, 0)
     */
    public static ABRelu leaky(double alpha) {
        return new ABRelu(alpha, 1, "leaky_relu");
    }

    /** @return φ(x) = |x| */
    public static ABRelu abs() {
        return new ABRelu(-1, 1, "abs");
    }

    /** @return the slope a for negative inputs */
    public double a() {
        return a;
    }

    /** @return the slope b for positive inputs */
    public double b() {
        return b;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected List<Double> parameters() {
        switch (name) {
            case "relu":
            case "abs":
                return List.of();
            case "leaky_relu":
                return List.of(a);
            default:
                return List.of(a, b);
        }
    }

    @Override
    public double apply(double x) {
        return x > 0 ? b * x : a * x;
    }

    @Override
    public double derivative(double x) {
        return x >= 0 ? b : a;
    }

    @Override
    public double mapVariance(double kxx) {
        return 0.5 * (a * a + b * b) * kxx;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        KernelBatch p = KernelBatch.single(kxx, kxy, kyy, mapVariance(kxx), mapVariance(kyy));
        mapPairs(p);
        return p.kxy[0];
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        KernelBatch p = KernelBatch.single(kxx, kxy, kyy, mapVariance(kxx), mapVariance(kyy));
        mapPairs(p);
        return p.ntk[0];
    }

    @Override
    public void mapPairs(KernelBatch p) {
        final double alpha = a * a + b * b;
        final double beta = 2 * a * b;
        final double plus2 = (a + b) * (a + b);
        final double minus2 = (a - b) * (a - b);
        final double[] kxxs = p.kxx;
        final double[] kyys = p.kyy;
        final double[] kxys = p.kxy;
        final double[] ds = p.d;
        final double[] es = p.e;
        final double[] ntks = p.ntk;
        for (int k = 0; k < p.size; k++) {
            final double kxx = kxxs[k];
            final double kyy = kyys[k];
            final double kxy = kxys[k];
            final double rx = Math.sqrt(kxx);
            final double ry = Math.sqrt(kyy);
            final double norm = rx * ry;
            if (norm == 0) {
                // A zero input: T = 0 (the kernel is positively homogeneous), and Θ, built from
                // the same zero covariances, is 0 too, so Ṫ only needs to be finite; we take
                // its value at θ = π/2.
                kxys[k] = 0;
                ds[k] = 0;
                es[k] = 0.5 * alpha * (kxx + kyy);
                ntks[k] *= 0.25 * (alpha + beta);
                continue;
            }
            final double sd = Math.sqrt(Math.max(ds[k], 0));
            final double inv = 1 / norm;
            final double sn = sd * inv;
            final double c = kxy * inv;
            final double th;
            final double de;
            if (kxy >= sd) {            // θ ≤ π/4
                th = KernelMath.atan(sd / kxy);
                de = PI - th;
            } else if (-kxy >= sd) {    // θ ≥ 3π/4
                de = KernelMath.atan(sd / -kxy);
                th = PI - de;
            } else {
                double t = KernelMath.atan(kxy / sd);
                th = 0.5 * PI - t;
                de = 0.5 * PI + t;
            }
            final double sTh = KernelMath.sinMinusXCos(th, sn, c);
            final double sDe = KernelMath.sinMinusXCos(de, sn, -c);
            // h = π − s(θ) − s(δ); 1 ∓ cos θ written as sin²θ/(1 ± cos θ) to avoid cancellation
            final double h = th <= 0.5 * PI
                    ? PI * (sn * sn / (1 + c)) - 2 * sTh
                    : PI * (sn * sn / (1 - c)) - 2 * sDe;
            final double p1 = alpha * h + plus2 * sTh;
            final double p2 = alpha * (h + 2 * sDe) + minus2 * sTh;
            final double scale = norm / TWO_PI;
            final double rootDiff = rx - ry;
            kxys[k] = scale * (alpha * sDe - beta * sTh);
            ds[k] = scale * scale * p1 * p2;
            es[k] = 0.5 * alpha * rootDiff * rootDiff + norm * p1 / PI;
            ntks[k] *= (alpha * de + beta * th) / TWO_PI;
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        String n = "Sqrt[(" + xx + ")*(" + yy + ")]";
        String c = "((" + xy + ")/" + n + ")";
        String j = "(Sqrt[1-" + c + "^2]+(Pi-ArcCos[" + c + "])*" + c + ")";
        if (a == 0 && b == 1) {
            return "(" + n + "*" + j + "/(2*Pi))";
        }
        String jFlip = "(Sqrt[1-" + c + "^2]-ArcCos[" + c + "]*" + c + ")";
        // α = a² + b² and β = 2ab written out, not formed in double, so that they stay exact
        return "(" + n + "/(2*Pi)*(" + alpha() + "*" + j + "-" + beta() + "*" + jFlip + "))";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String c = "((" + xy + ")/Sqrt[(" + xx + ")*(" + yy + ")])";
        return "((" + alpha() + "*(Pi-ArcCos[" + c + "])+" + beta() + "*ArcCos[" + c + "])/(2*Pi))";
    }

    private String alpha() {
        return "((" + num(a) + ")^2+(" + num(b) + ")^2)";
    }

    private String beta() {
        return "(2*(" + num(a) + ")*(" + num(b) + "))";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ABRelu other && other.a == a && other.b == b;
    }

    @Override
    public int hashCode() {
        return Objects.hash(a, b);
    }
}
