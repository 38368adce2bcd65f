package io.github.ntk4j.net;

import io.github.ntk4j.math.KernelBatch;
import java.util.List;

/**
 * A pointwise nonlinearity φ with every rule ntk4j needs of it, kept together so that a new
 * activation touches one place:
 * <ul>
 * <li>the dual kernel T(Σ) = E[φ(u)φ(v)] and its derivative Ṫ(Σ) = E[φ'(u)φ'(v)] for
 * (u, v) ~ N(0, [[Σxx, Σxy], [Σxy, Σyy]]) (docs/KERNEL-RECURSION.md §3), used by the analytic engine;</li>
 * <li>the forward map φ and its derivative φ', used by finite-width networks;</li>
 * <li>T as an expression in Symja's input syntax ({@link #symbolicDual}), from which the
 * symbolic engine derives Ṫ by Price's theorem; it is a plain string so that this class
 * does not load Symja.</li>
 * </ul>
 *
 * <p>Kernel rule: K ← T(K), Θ ← Θ·Ṫ(K). The default {@link #mapPairs} carries D and E by
 * their definitions from the output variances; activations whose duals have a closed form
 * in the angle between inputs override it with a cancellation-free version.
 */
public abstract sealed class Activation implements Layer permits ABRelu, Erf, Identity, Poly {

    /** Creates an activation. */
    protected Activation() {
    }

    /**
     * Dual kernel T(Σxx, Σxy, Σyy) = E[φ(u)φ(v)].
     *
     * @param kxx Σxx ≥ 0
     * @param kxy Σxy, |Σxy| ≤ √(ΣxxΣyy)
     * @param kyy Σyy ≥ 0
     * @return T
     */
    public abstract double dual(double kxx, double kxy, double kyy);

    /**
     * Derivative dual Ṫ(Σxx, Σxy, Σyy) = E[φ'(u)φ'(v)] = ∂T/∂Σxy (Price's theorem).
     *
     * @param kxx Σxx ≥ 0
     * @param kxy Σxy
     * @param kyy Σyy ≥ 0
     * @return Ṫ
     */
    public abstract double dualDerivative(double kxx, double kxy, double kyy);

    /**
     * The activation φ(x).
     *
     * @param x pre-activation
     * @return φ(x)
     */
    public abstract double apply(double x);

    /**
     * The derivative φ'(x) (for ReLU-like kinks, the right derivative at 0).
     *
     * @param x pre-activation
     * @return φ'(x)
     */
    public abstract double derivative(double x);

    /**
     * The dual T as an expression in Symja's input syntax in the given variable expressions,
     * e.g. for ReLU {@code Sqrt[xx*yy]/(2*Pi)*(Sqrt[1-c^2] + (Pi-ArcCos[c])*c)} with
     * c = xy/Sqrt[xx*yy]. The symbolic engine substitutes and simplifies it, and derives Ṫ
     * from it by differentiation in {@code xy}.
     *
     * @param xx expression for Σxx
     * @param xy expression for Σxy
     * @param yy expression for Σyy
     * @return T in Symja syntax
     */
    public abstract String symbolicDual(String xx, String xy, String yy);

    /**
     * The tabulated Ṫ in Symja syntax, used only to check the derivation by Price's theorem.
     *
     * @param xx expression for Σxx
     * @param xy expression for Σxy
     * @param yy expression for Σyy
     * @return Ṫ in Symja syntax
     */
    public abstract String symbolicDualDerivative(String xx, String xy, String yy);

    /**
     * Name of the activation as written in a network spec (e.g. {@code relu}).
     *
     * @return the name
     */
    public abstract String name();

    /**
     * The parameters as written in a spec, empty when the activation has none or they are the
     * defaults.
     *
     * @return parameter list
     */
    protected abstract List<Double> parameters();

    @Override
    public double mapVariance(double kxx) {
        return dual(kxx, kxx, kxx);
    }

    @Override
    public void mapPairs(KernelBatch p) {
        for (int k = 0; k < p.size; k++) {
            double tdot = dualDerivative(p.kxx[k], p.kxy[k], p.kyy[k]);
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            if (p.same[k]) {
                // identical inputs stay identical: no rounding may make them look different
                p.kxy[k] = txx;
                p.d[k] = 0;
            } else {
                double t = dual(p.kxx[k], p.kxy[k], p.kyy[k]);
                p.kxy[k] = t;
                p.d[k] = Math.max(txx * tyy - t * t, 0);
                p.e[k] = Math.max(txx + tyy - 2 * t, 0);
            }
            p.ntk[k] *= tdot;
        }
    }

    @Override
    public String spec() {
        List<Double> ps = parameters();
        if (ps.isEmpty()) {
            return name();
        }
        StringBuilder sb = new StringBuilder(name()).append('(');
        for (int i = 0; i < ps.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(num(ps.get(i)));
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return spec();
    }

    /** Shortest round-tripping text of a number: 1.4, 0, 2.5E-7. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
