package io.github.ntk4j.net;

import io.github.ntk4j.math.KernelBatch;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

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
 *
 * <p>The type is open: a user adds an activation either by subclassing (the four numeric
 * methods and {@link #name()} are all that is required; the symbolic methods are optional) or,
 * with nothing but φ and φ', through {@link #of(String, DoubleUnaryOperator, DoubleUnaryOperator)},
 * whose duals are computed by Gauss–Hermite quadrature ({@link QuadratureActivation}). Spec
 * tokens for the built-in activations are listed in {@link Activations}.
 */
public abstract non-sealed class Activation implements Layer {

    /** Creates an activation. */
    protected Activation() {
    }

    /**
     * An activation given only by φ and φ'; its duals T and Ṫ are evaluated by 2-D
     * Gauss–Hermite quadrature at the default degree (neural-tangents' {@code
     * ElementwiseNumerical}; accuracy in {@link QuadratureActivation}).
     *
     * @param name the name shown in specs and messages (letters, digits, '_')
     * @param phi φ, finite for finite arguments
     * @param derivative φ'
     * @return the activation
     */
    public static Activation of(String name, DoubleUnaryOperator phi, DoubleUnaryOperator derivative) {
        return new QuadratureActivation(name, List.of(), phi, derivative, QuadratureActivation.DEFAULT_DEGREE);
    }

    /**
     * Whether the symbolic engine derives Ṫ from {@link #symbolicDual} by Price's theorem
     * (Ṫ = ∂T/∂Σxy). False for activations whose Ṫ is defined otherwise, such as sign, whose
     * φ' is 0 almost everywhere and whose Ṫ is therefore 0 (neural-tangents' convention),
     * while ∂T/∂Σxy is the delta-function contribution.
     *
     * @return true unless overridden
     */
    public boolean dualDerivativeByPriceTheorem() {
        return true;
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
     * @throws UnsupportedOperationException if the activation has no closed-form dual (the
     *     default)
     */
    public String symbolicDual(String xx, String xy, String yy) {
        throw new UnsupportedOperationException(spec() + " has no closed-form dual");
    }

    /**
     * The tabulated Ṫ in Symja syntax, used only to check the derivation by Price's theorem.
     *
     * @param xx expression for Σxx
     * @param xy expression for Σxy
     * @param yy expression for Σyy
     * @return Ṫ in Symja syntax
     * @throws UnsupportedOperationException if the activation has no closed-form dual (the
     *     default)
     */
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        throw new UnsupportedOperationException(spec() + " has no closed-form dual");
    }

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
     * @return parameter list (empty by default)
     */
    protected List<Double> parameters() {
        return List.of();
    }

    @Override
    public double mapVariance(double kxx) {
        return finite(dual(kxx, kxx, kxx), "T", kxx, kxx, kxx);
    }

    /**
     * A dual value checked for NaN and infinity, so that an activation whose Gaussian moments
     * diverge (or a user's φ that returns NaN) is reported instead of propagating silently.
     */
    final double finite(double v, String what, double kxx, double kxy, double kyy) {
        if (!Double.isFinite(v)) {
            throw io.github.ntk4j.Messages.invalid("activation " + spec() + ": " + what + " = E[" + (what.equals("T") ? "φ(u)φ(v)"
                    : "φ'(u)φ'(v)") + "] is " + v + " at Σxx=" + kxx + ", Σxy=" + kxy + ", Σyy=" + kyy
                    + " (its Gaussian moments diverge there or do not fit a double)");
        }
        return v;
    }

    @Override
    public void mapPairs(KernelBatch p) {
        for (int k = 0; k < p.size; k++) {
            double tdot = finite(dualDerivative(p.kxx[k], p.kxy[k], p.kyy[k]), "Ṫ", p.kxx[k], p.kxy[k], p.kyy[k]);
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            if (p.same[k]) {
                // identical inputs stay identical: no rounding may make them look different
                p.kxy[k] = txx;
                p.d[k] = 0;
            } else {
                double t = finite(dual(p.kxx[k], p.kxy[k], p.kyy[k]), "T", p.kxx[k], p.kxy[k], p.kyy[k]);
                CollinearDefect.carry(this, p, k, t);
                p.kxy[k] = t;
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
