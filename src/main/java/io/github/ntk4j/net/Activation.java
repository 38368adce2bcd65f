package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelBatch;
import io.github.ntk4j.math.KernelRows;
import io.github.ntk4j.math.ScaledDouble;
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
 * <p>Kernel rule: K ← T(K), Θ ← Θ·Ṫ(K). The engine applies it in the scale-free form of
 * {@link KernelBatch} (per pair cos θ, sin²θ and Θ/√(ΣxxΣyy); per input the scale r = √Σxx).
 * A new activation needs only {@link #dual} and {@link #dualDerivative} (plus the forward and
 * symbolic maps): the default {@link #mapRows} and {@link #mapPairs} evaluate them at the
 * actual variances and renormalise, refusing inputs whose variance is outside the double range
 * and forming sin²θ' by subtraction. Activations whose duals have a closed form in the angle
 * override both with a cancellation-free, scale-free version (positively homogeneous duals
 * factor the scale out exactly, as {@link ABRelu} does; saturating ones depend on Σ/(1 + Σ),
 * as {@link Erf} does), keeping the contract stated in {@link KernelBatch}.
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

    /**
     * Default per-input rule, for any activation given {@link #mapVariance} (by default
     * {@link #dual} on the diagonal): r' = √T(r², r², r²), evaluated in double. Coefficients:
     * [0] Σxx = r², [1] r, [2] 1/r' (0 when r' = 0), [3] r/r'. An activation whose dual is
     * positively homogeneous or saturates should override this pair of methods with a
     * scale-free version (as {@link ABRelu} and {@link Erf} do); this default refuses an input
     * whose variance at this layer is outside the normal double range rather than return a
     * wrong number.
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn) {
        int n = scaleIn.length;
        ScaledDouble[] out = new ScaledDouble[n];
        double[] var = new double[n];
        double[] r = new double[n];
        double[] g = new double[n];
        double[] rg = new double[n];
        for (int i = 0; i < n; i++) {
            ScaledDouble v = scaleIn[i].multiply(scaleIn[i]);
            if (!v.fitsDouble()) {
                throw Messages.ruleOutOfRange("activation " + spec(), "the pre-activation variance", "about " + v.magnitude());
            }
            var[i] = v.doubleValue();
            r[i] = scaleIn[i].doubleValue();
            double t = mapVariance(var[i]);
            if (!(t >= 0 && t < Double.POSITIVE_INFINITY)) {
                throw Messages.ruleOutOfRange("activation " + spec(), "the output variance at pre-activation variance "
                        + var[i], t > 0 ? "above 1.8e+308" : Double.toString(t));
            }
            double rOut = Math.sqrt(t);
            out[i] = ScaledDouble.of(rOut);
            if (rOut > 0) {
                g[i] = 1 / rOut;
                rg[i] = r[i] / rOut;
            }
        }
        return new KernelRows(scaleIn, out, new double[][] {var, r, g, rg}, null);
    }

    /**
     * Default pair rule, correct for any activation given {@link #dual} and
     * {@link #dualDerivative}: with Σxx = r_x², Σyy = r_y², Σxy = cos θ·r_x r_y,
     * <pre>
     *   cos θ' = T/(r'_x r'_y),  1 − cos θ',  sin²θ' = (1 − cos θ')(1 + cos θ'),  ratio' = ratio·Ṫ·r_x r_y/(r'_x r'_y)
     * </pre>
     * 1 − cos θ' and sin²θ' are formed by subtraction, so nearly collinear pairs keep only about half their
     * digits in the angle after this layer (an activation with a closed form should override
     * this with a cancellation-free version); identical inputs stay exactly identical.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final double sxx = x.coefficients[0][i];
        final double rx = x.coefficients[1][i];
        final double gx = x.coefficients[2][i];
        final double rgx = x.coefficients[3][i];
        final double[] syy = y.coefficients[0];
        final double[] ry = y.coefficients[1];
        final double[] gy = y.coefficients[2];
        final double[] rgy = y.coefficients[3];
        for (int k = 0; k < batch.size; k++) {
            final int j = yFrom + k;
            final double sxy = batch.c[k] * rx * ry[j];
            final double gg = gx * gy[j];
            final double tdot = dualDerivative(sxx, sxy, syy[j]);
            if (batch.same[k]) {
                // identical inputs stay identical: no rounding may make them look different
                batch.c[k] = gg == 0 ? 0 : 1;
                batch.v[k] = gg == 0 ? 1 : 0;
                batch.s2[k] = 0;
            } else {
                double c = dual(sxx, sxy, syy[j]) * gg;
                c = c > 1 ? 1 : c < -1 ? -1 : c;
                batch.c[k] = c;
                batch.rough[k] |= Math.abs(c) > ROUGH;
                batch.v[k] = 1 - c;
                batch.s2[k] = gg == 0 ? 0 : (1 - c) * (1 + c);
            }
            batch.ntk[k] = gg == 0 ? 0 : batch.ntk[k] * tdot * (rgx * rgy[j]);
        }
    }

    /** |cos θ'| above which sin²θ' formed by subtraction has lost more than a third of its digits. */
    static final double ROUGH = 1 - 0x1p-20;

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
