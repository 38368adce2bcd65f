package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
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
 * <p>Kernel rule: K ← T(K), Θ ← Θ·Ṫ(K). The engine applies it in the scale-free form of
 * {@link KernelBatch} (per pair cos θ, 1 − cos θ, sin²θ and Θ/√(ΣxxΣyy); per input the scale
 * r = √Σxx). A new activation needs only {@link #dual} and {@link #dualDerivative} (plus the
 * forward and symbolic maps): the default {@link #mapRows} and {@link #mapPairs} evaluate the
 * rule on the covariances ({@link #mapCovariances}: Σ, D = ΣxxΣyy − Σxy², E = Σxx + Σyy − 2Σxy,
 * with D' and E' carried without cancellation by {@link CollinearDefect} for smooth φ) at the
 * actual variances, and renormalise, refusing inputs whose variance is outside the double range.
 * Activations whose duals have a closed form in the angle override {@link #mapCovariances}
 * (cancellation-free D', E' from their own formulas), or {@link #mapRows} and {@link #mapPairs}
 * with a scale-free version (positively homogeneous duals factor the scale out exactly, as
 * {@link ABRelu} does; saturating ones depend on Σ/(1 + Σ), as {@link Erf} does), keeping the
 * contract stated in {@link KernelBatch}.
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
     * G = T(x,x)T(y,y) − T_ref² and H = T(x,x) + T(y,y) − 2T_ref of {@link CollinearDefect} in closed
     * form, where T_ref is T at the collinear pair (Σxy = √(ΣxxΣyy)), or at the anti-collinear one
     * (Σxy = −√(ΣxxΣyy); H is then not used), or null where the activation has none (the default),
     * for which CollinearDefect integrates G and H by quadrature, which cannot resolve an
     * activation that oscillates many times across the standard deviation ({@link Sinusoid}).
     *
     * @param kxx Σxx &gt; 0
     * @param kyy Σyy &gt; 0
     * @param anti whether about the anti-collinear pair
     * @return {G, H}, or null
     */
    double[] collinearDefect(double kxx, double kyy, boolean anti) {
        return null;
    }

    /**
     * T with D = ΣxxΣyy − Σxy² given rather than formed by that subtraction (see {@link
     * #dualDerivative(double, double, double, double)}): the default pair rule passes the D that
     * the recursion carries without cancellation. The default ignores d; an activation whose T
     * depends on Σxx + Σyy − 2Σxy (or + 2Σxy), which cancels for nearly collinear (or
     * anti-collinear) inputs of large variance, overrides it ({@link Sinusoid}).
     *
     * @param kxx Σxx ≥ 0
     * @param kxy Σxy
     * @param kyy Σyy ≥ 0
     * @param d ΣxxΣyy − Σxy² ≥ 0
     * @return T
     */
    double dual(double kxx, double kxy, double kyy, double d) {
        return dual(kxx, kxy, kyy);
    }

    /**
     * Ṫ with D = ΣxxΣyy − Σxy² given rather than formed by that subtraction, which leaves D only
     * about 1e-16·ΣxxΣyy absolutely: {@link CollinearDefect} evaluates Ṫ along a nearly collinear
     * segment, where D is far smaller than that. The default ignores d, for the activations
     * whose Ṫ does not involve it; those whose closed form or quadrature does override it.
     *
     * @param kxx Σxx ≥ 0
     * @param kxy Σxy
     * @param kyy Σyy ≥ 0
     * @param d ΣxxΣyy − Σxy² ≥ 0
     * @return Ṫ
     */
    double dualDerivative(double kxx, double kxy, double kyy, double d) {
        return dualDerivative(kxx, kxy, kyy);
    }

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
     * φ itself as an expression in {@code x} in Symja's input syntax, for activations without a
     * closed-form dual ({@link #symbolicDual} unsupported): the symbolic engine then writes T and
     * Ṫ as the Gaussian integrals E[φ(u)φ(v)] and E[φ'(u)φ'(v)], with φ' = D[φ, x] derived by
     * Symja, and tries Symja's Integrate on them under a time limit. A plain string, so that this
     * class does not load Symja.
     *
     * @return φ in Symja syntax (e.g. {@code Tanh(x)}), or empty when only the numeric φ is known
     *     (the default, and activations made by {@link #of})
     */
    public java.util.Optional<String> symbolicForm() {
        return java.util.Optional.empty();
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
        if (v == Double.POSITIVE_INFINITY || v == Double.NEGATIVE_INFINITY) {
            throw Messages.ruleOutOfRange("activation " + spec(), what + " = E[" + (what.equals("T") ? "φ(u)φ(v)"
                    : "φ'(u)φ'(v)") + "] at Σxx=" + kxx + ", Σxy=" + kxy + ", Σyy=" + kyy,
                    (v > 0 ? "above 1.8e+308" : "below -1.8e+308") + " (its Gaussian moments diverge there or do not fit a double)");
        }
        if (!Double.isFinite(v)) {
            throw io.github.ntk4j.internal.Messages.invalid("activation " + spec() + ": " + what + " = E[" + (what.equals("T") ? "φ(u)φ(v)"
                    : "φ'(u)φ'(v)") + "] is " + v + " at Σxx=" + kxx + ", Σxy=" + kxy + ", Σyy=" + kyy
                    + " (its Gaussian moments diverge there or do not fit a double)");
        }
        return v;
    }

    /**
     * Default per-input rule, for any activation given {@link #mapVariance} (by default
     * {@link #dual} on the diagonal): r' = √T(r², r², r²), evaluated in double. Coefficients:
     * [0] Σxx = r², [1] r, [2] 1/r' (0 when r' = 0), [3] s/s' (the NTK scales of
     * {@link KernelBatch#ntk}), [4] Σ'xx = r'². An activation whose dual is
     * positively homogeneous or saturates should override this pair of methods with a
     * scale-free version (as {@link ABRelu} and {@link Erf} do); this default refuses an input
     * whose variance at this layer is outside the normal double range rather than return a
     * wrong number.
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        double[] var = inputVariances(scaleIn);
        double[] tv = new double[var.length];
        for (int i = 0; i < var.length; i++) {
            tv[i] = mapVariance(var[i]);
        }
        return rows(scaleIn, var, tv, null);
    }

    /**
     * Σxx = r² of each input as a double, refused when it is not one.
     *
     * @param scaleIn r per input
     * @return Σxx per input
     */
    final double[] inputVariances(ScaledDouble[] scaleIn) {
        double[] var = new double[scaleIn.length];
        for (int i = 0; i < var.length; i++) {
            ScaledDouble v = scaleIn[i].multiply(scaleIn[i]);
            if (!v.fitsDouble()) {
                throw Messages.ruleOutOfRange("activation " + spec(), "the pre-activation variance", "about " + v.magnitude());
            }
            var[i] = v.doubleValue();
        }
        return var;
    }

    /**
     * The rows of the default per-input rule from Σxx and T(x, x) = Σ'xx per input (see
     * {@link #mapRows}).
     *
     * @param scaleIn r per input
     * @param var Σxx per input
     * @param tv Σ'xx per input, refused unless finite and ≥ 0
     * @param prepared per-input data for {@link #mapPairs} (may be null)
     * @return the rows
     */
    final KernelRows rows(ScaledDouble[] scaleIn, double[] var, double[] tv, Object prepared) {
        int n = scaleIn.length;
        ScaledDouble[] out = new ScaledDouble[n];
        double[] r = new double[n];
        double[] g = new double[n];
        double[] rg = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = scaleIn[i].doubleValue();
            double t = tv[i];
            if (!(t >= 0 && t < Double.POSITIVE_INFINITY)) {
                throw Messages.ruleOutOfRange("activation " + spec(), "the output variance at pre-activation variance "
                        + var[i], t > 0 ? "above 1.8e+308" : Double.toString(t));
            }
            if (t < Double.MIN_NORMAL && var[i] > 0 && mapVariance(1.0) > 0) {
                // an output variance that underflowed (rectified_monomial(2) at Σ = 1e-300: 1e-600),
                // which as 0 would have made the input a zero input
                throw Messages.ruleOutOfRange("activation " + spec(), "the output variance at pre-activation variance "
                        + var[i], "below 2.2e-308");
            }
            double rOut = Math.sqrt(t);
            out[i] = ScaledDouble.of(rOut);
            if (rOut > 0) {
                g[i] = 1 / rOut;
            }
            // NTK scales (KernelBatch#ntk): r, or 1 for a scale of 0
            rg[i] = (r[i] > 0 ? r[i] : 1) / (rOut > 0 ? rOut : 1);
        }
        double[][] coefficients = {var, r, g, rg, tv};
        return new KernelRows(scaleIn, out, coefficients, null, null, prepared);
    }

    /**
     * Default pair rule, correct for any activation given {@link #mapCovariances}: each pair's
     * state is turned into covariances at the actual variances (Σxx = r_x², Σyy = r_y²,
     * Σxy = cos θ·r_x r_y, D = sin²θ·ΣxxΣyy, E = (r_x − r_y)² + 2 r_x r_y (1 − cos θ), each
     * without cancellation), mapped, and normalised back by the output scales:
     * <pre>
     *   cos θ' = Σ'xy/(r'_x r'_y),  sin²θ' = D'/(r'_x r'_y)²,
     *   1 − cos θ' = sin²θ'/(1 + cos θ') (cos θ' &gt; 0) or 1 − cos θ' (no cancellation otherwise),
     *   ratio' = ratio·Ṫ·s_x s_y/(s'_x s'_y)     (s the NTK scales of KernelBatch#ntk)
     * </pre>
     * so the angle keeps whatever accuracy {@link #mapCovariances} gives D'. Identical inputs
     * stay exactly identical; a pair with an input of output scale 0 is a zero pair.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        mapPairs(batch, x, i, y, yFrom, 0, batch.size);
    }

    /**
     * The default pair rule ({@link #mapPairs(KernelBatch, KernelRows, int, KernelRows, int)})
     * on pairs from … to − 1 of the batch only, for a subclass that handles the others itself.
     */
    final void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom, int from, int to) {
        final int n = to - from;
        final CovarianceBatch p = CovarianceBatch.local(n);
        final double sxx = x.coefficients[0][i];
        final double rx = x.coefficients[1][i];
        final double[] syy = y.coefficients[0];
        final double[] ry = y.coefficients[1];
        final double txx = x.coefficients[4][i];
        final double[] tyy = y.coefficients[4];
        final boolean checkProducts = needsProductsOfVariances();
        for (int k = 0; k < n; k++) {
            final int b = from + k;
            final int j = yFrom + b;
            final double rr = rx * ry[j];
            final double dr = rx - ry[j];
            p.kxx[k] = sxx;
            p.kyy[k] = syy[j];
            p.kxxOut[k] = txx;
            p.kyyOut[k] = tyy[j];
            p.same[k] = batch.same[b];
            p.kxy[k] = batch.same[b] ? sxx : batch.c[b] * rr;
            p.d[k] = batch.same[b] ? 0 : batch.s2[b] * sxx * syy[j];
            p.e[k] = batch.same[b] ? 0 : dr * dr + 2 * rr * batch.v[b];
            p.ntk[k] = batch.ntk[b];
            p.cos[k] = batch.same[b] ? 1 : batch.c[b];
            p.sin2[k] = batch.same[b] ? 0 : batch.s2[b];
            p.cosOut[k] = Double.NaN;
            p.sin2Out[k] = Double.NaN;
            if (checkProducts && !batch.same[b]
                    && !(sxx * syy[j] <= Double.MAX_VALUE && txx * tyy[j] <= Double.MAX_VALUE)) {
                throw Messages.ruleOutOfRange("activation " + spec(), "the product of two inputs' variances (Σxx = " + sxx
                        + ", Σyy = " + syy[j] + "; after the layer " + txx + ", " + tyy[j] + ")", "above 1.8e+308");
            }
        }
        p.preparedX = x.prepared;
        p.preparedY = y.prepared;
        p.row = i;
        p.column0 = yFrom + from;
        mapCovariances(p);
        final double gx = x.coefficients[2][i];
        final double rgx = x.coefficients[3][i];
        final double[] gy = y.coefficients[2];
        final double[] rgy = y.coefficients[3];
        for (int k = 0; k < n; k++) {
            final int b = from + k;
            final int j = yFrom + b;
            final double gg = gx * gy[j];
            if (gg == 0) {
                batch.c[b] = 0;
                batch.v[b] = 1;
                batch.s2[b] = 0;
                batch.ntk[b] = p.ntk[k] * (rgx * rgy[j]);
                continue;
            }
            if (batch.same[b]) {
                batch.c[b] = 1;
                batch.v[b] = 0;
                batch.s2[b] = 0;
            } else {
                double c;
                double s2;
                if (p.cosOut[k] == p.cosOut[k]) {
                    // the rule gave the angle scale-free (CovarianceBatch#cosOut)
                    c = Math.min(Math.max(p.cosOut[k], -1.0), 1.0);
                    s2 = Math.min(Math.max(p.sin2Out[k], 0.0), 1.0);
                } else {
                    c = p.kxy[k] * gx * gy[j];
                    c = c > 1 ? 1 : c < -1 ? -1 : c;
                    // D' is of the order of the product of the output variances: scale it in two steps
                    s2 = Math.min(p.d[k] * gx * gy[j] * (gx * gy[j]), 1);
                    if (mayHaveUnderflowed(p.d[k], p.kxxOut[k] * p.kyyOut[k]) && c < 1) {
                        // D' underflowed (output variances near the bottom of the double range): fall
                        // back to the difference, accurate to about 1e-16 absolutely
                        s2 = (1 - c) * (1 + c);
                    }
                }
                batch.c[b] = c;
                batch.s2[b] = s2;
                batch.v[b] = c > 0 ? s2 / (1 + c) : 1 - c;
            }
            batch.ntk[b] = p.ntk[k] * (rgx * rgy[j]);
        }
    }

    /**
     * Whether an output D' = T(x,x)T(y,y) − T² below 2^-960 may be an underflow rather than the
     * value: only where the output variances' product is itself below 2^-900, since otherwise
     * such a D' is a sin²θ' below 2^-60, which D' gives better than the difference
     * (1 − cos θ')(1 + cos θ') (about 1e-16 absolutely). Why: an exactly collinear pair of
     * different inputs (two zero rows, x and 2x through a homogeneous layer) has D' = 0 exactly,
     * and the difference turned a last-digit rounding of cos θ' into sin²θ' ≈ 2e-16, whose
     * square root, the angle of a following ReLU, moved its NTK by 4e-9.
     *
     * @param d D'
     * @param outputVariances T(x,x)·T(y,y)
     * @return whether to take sin²θ' from cos θ' instead of from D'
     */
    static boolean mayHaveUnderflowed(double d, double outputVariances) {
        return !(d >= 0x1p-960) && !(outputVariances >= 0x1p-900);
    }

    /**
     * T (or, with {@code derivative}, Ṫ) of one pair through this activation's own
     * {@link #mapCovariances}: the single-pair form of a rule written for batches (sign,
     * rectified monomials). Only for subclasses that override {@link #mapCovariances}, whose
     * default calls {@link #dual} and {@link #dualDerivative}.
     */
    final double dualOfOnePair(double kxx, double kxy, double kyy, boolean derivative) {
        CovarianceBatch p = CovarianceBatch.single(kxx, kxy, kyy, mapVariance(kxx), mapVariance(kyy));
        mapCovariances(p);
        return derivative ? p.ntk[0] : p.kxy[0];
    }

    /**
     * Whether {@link #mapCovariances} needs the products of two variances (D = ΣxxΣyy sin²θ, and
     * D' = T(x,x)T(y,y) − T²) to be doubles. Where it does, the default pair rule refuses a pair
     * whose two variances' product, before or after the layer, is above the double range. A rule
     * that reads the incoming angle from the scale-free {@link CovarianceBatch#cos} and
     * {@link CovarianceBatch#sin2} and gives the outgoing one in {@link CovarianceBatch#cosOut}
     * and {@link CovarianceBatch#sin2Out} (or whose outputs are of order 1) says no.
     *
     * @return true unless a subclass says otherwise
     */
    boolean needsProductsOfVariances() {
        return true;
    }

    /**
     * Whether {@link #dualDerivative(double, double, double, double)} is a closed form, good to a
     * few ulps and cheap, so that {@link CollinearDefect} may refine its integral of Ṫ adaptively;
     * a Ṫ by quadrature says no.
     *
     * @return true unless a subclass says otherwise
     */
    boolean dualDerivativeInClosedForm() {
        return true;
    }

    /** |cos θ'| above which sin²θ' formed by subtraction has lost more than a third of its digits. */
    static final double ROUGH = 1 - 0x1p-20;

    /**
     * The rule on covariances for a batch of pairs (the representation of
     * docs/KERNEL-RECURSION.md §5, at the actual variances, which {@link #mapRows} has checked
     * to be normal doubles): reads Σxx, Σyy (input), T(x,x), T(y,y) (output variances), Σxy,
     * D, E, Θ and sets Σxy ← T, D ← T(x,x)T(y,y) − T², E ← T(x,x) + T(y,y) − 2T (both without
     * cancellation), Θ ← Θ·Ṫ. The default evaluates {@link #dual} and {@link #dualDerivative}
     * and carries D', E' by {@link CollinearDefect}; activations with a closed form in the
     * angle override it.
     *
     * @param p the pairs, updated in place
     */
    void mapCovariances(CovarianceBatch p) {
        for (int k = 0; k < p.size; k++) {
            double tdot = finite(dualDerivative(p.kxx[k], p.kxy[k], p.kyy[k], p.d[k]), "Ṫ", p.kxx[k], p.kxy[k],
                    p.kyy[k]);
            double txx = p.kxxOut[k];
            if (p.same[k]) {
                // identical inputs stay identical: no rounding may make them look different
                p.kxy[k] = txx;
                p.d[k] = 0;
                p.e[k] = 0;
            } else {
                double t = finite(dual(p.kxx[k], p.kxy[k], p.kyy[k], p.d[k]), "T", p.kxx[k], p.kxy[k], p.kyy[k]);
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
