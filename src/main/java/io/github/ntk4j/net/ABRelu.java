package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.KernelMath;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelPair;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
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
 * The recursion carries D and E without cancellation (docs/KERNEL-RECURSION.md §5): the smaller of
 * θ and δ, m, comes from the half-angle arc tangent of √D and Σxy, never from arccos, and s(m)
 * from the same arc tangent's series ({@link #mapPair}), and with
 * h = π − s(θ) − s(δ) (= π(1 − cos θ) − 2s(θ) = π(1 + cos θ) − 2s(δ), the form chosen on
 * the side where it does not cancel)
 * <pre>
 *   P1 = α h + (a + b)² s(θ),  P2 = α (h + 2 s(δ)) + (a − b)² s(θ)
 *   D' = ΣxxΣyy P1 P2 / (4π²)
 * </pre>
 * every term of which is non-negative. The engine applies them in scale-free form
 * ({@link #mapPairs}): the kernel is positively homogeneous, so the input norms factor out
 * exactly and only the angle is carried per pair.
 */
public final class ABRelu extends Activation {
    private static final double PI = Math.PI;
    private static final double TWO_PI = 2 * Math.PI;
    private final double a;
    private final double b;
    private final String name;
    /**
     * e with (a, b) = 2^e·(an, bn) and max(|an|, |bn|) in [1, 2): the scale-free rules use
     * (an, bn), whose squares neither overflow (a = 1e200) nor underflow (a = 1e-200), and the
     * scale 2^e goes into the per-input scales exactly. Scaling by a power of two is exact, so
     * for moderate (a, b) the rules give the same bits as with (a, b) themselves.
     */
    private final int scaleExp;
    private final double an;
    private final double bn;
    /**
     * The pair rule's constants from the normalised slopes (the rule is homogeneous of degree 0
     * in (a, b), so they give the same angles): α = an² + bn², β = 2 an bn, (an + bn)²,
     * (an − bn)² and 1/(πα) (0 when α = 0).
     */
    private final double alpha;
    private final double beta;
    private final double plus2;
    private final double minus2;
    private final double inv;
    /** Whether the slopes are ReLU's (α = (a + b)² = (a − b)² = 1, β = 0), whose rule needs no products by them. */
    private final boolean relu;

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
        double big = Math.max(Math.abs(a), Math.abs(b));
        this.scaleExp = big == 0 ? 0 : Math.getExponent(big) >= Double.MIN_EXPONENT ? Math.getExponent(big)
                : Math.getExponent(big * 0x1p54) - 54;
        this.an = Math.scalb(a, -scaleExp);
        this.bn = Math.scalb(b, -scaleExp);
        this.alpha = an * an + bn * bn;
        this.beta = 2 * an * bn;
        this.plus2 = (an + bn) * (an + bn);
        this.minus2 = (an - bn) * (an - bn);
        this.inv = alpha == 0 ? 0 : 1 / (PI * alpha);
        this.relu = alpha == 1 && beta == 0 && plus2 == 1 && minus2 == 1;
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
        double norm = Math.sqrt(kxx) * Math.sqrt(kyy);
        if (norm == 0) {
            return 0;
        }
        KernelBatch p = KernelBatch.single(kxy / norm);
        mapPairs(p, null, 0, null, 0);
        return p.c[0] * norm * (0.5 * (a * a + b * b));
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        double alpha = a * a + b * b;
        double norm = Math.sqrt(kxx) * Math.sqrt(kyy);
        if (norm == 0) {
            // the value at θ = π/2; it multiplies a zero NTK
            return 0.25 * (alpha + 2 * a * b);
        }
        KernelBatch p = KernelBatch.single(kxy / norm);
        mapPairs(p, null, 0, null, 0);
        return p.ntk[0] * (0.5 * alpha);
    }

    /**
     * Per input: r' = r·√((a² + b²)/2) (positive homogeneity); one coefficient, the NTK-scale
     * ratio s/s' ({@link KernelBatch#ntk}), used only by zero pairs: 1 for an input of scale 0,
     * √(2/(a² + b²)) otherwise.
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        // with (a, b) = 2^e (an, bn): r' = r·2^e·√((an² + bn²)/2), and the ratio √(2/α) is kept as
        // √(2/(an² + bn²)), its 2^-e cancelling against the 2^e in the zero-pair rule's α + β
        ScaledDouble f = ScaledDouble.of(Math.sqrt(0.5 * (an * an + bn * bn)), scaleExp);
        ScaledDouble[] out = new ScaledDouble[scaleIn.length];
        double[] h = new double[out.length];
        double alpha = an * an + bn * bn;
        boolean[] zero = new boolean[out.length];
        boolean anyZero = false;
        for (int i = 0; i < out.length; i++) {
            out[i] = scaleIn[i].multiply(f);
            h[i] = out[i].isZero() ? (scaleIn[i].isZero() ? 1 : 0) : Math.sqrt(2 / alpha);
            zero[i] = scaleIn[i].isZero();
            anyZero |= zero[i];
        }
        // the flags: inputs of scale 0, whose pairs are zero pairs; null when there is none
        return new KernelRows(scaleIn, out, new double[][] {h}, anyZero ? zero : null);
    }

    /**
     * Pair rule, scale-free: the dual is positively homogeneous, so with α = a² + b² the
     * output scales are r' = r√(α/2) and
     * <pre>
     *   cos θ' = (α s(δ) − β s(θ))/(πα),  1 − cos θ' = P1/(πα),  sin²θ' = P1 P2/(πα)²,  Θ' ratio ← ratio·(αδ + βθ)/(πα)
     * </pre>
     * (the class formulas divided by r'_x r'_y), which involve the angle only.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final double[] cs = batch.c;
        final double[] vs = batch.v;
        final double[] s2s = batch.s2;
        final double[] ntks = batch.ntk;
        final double[] ntkIn = batch.work;
        final int n = batch.size;
        // zero pairs (an input of scale 0, KernelBatch): looked for only where mapRows flagged such
        // an input (scanning every batch's states cost a twelfth of the rule)
        boolean zeroPairs = false;
        if (x == null || x.extreme != null && x.extreme[i] || y.extreme != null && any(y.extreme, yFrom, n)) {
            for (int k = 0; k < n; k++) {
                zeroPairs |= s2s[k] == 0 && cs[k] == 0;
            }
        }
        final double[] vIn = batch.work2;
        if (zeroPairs) {
            // keep their inputs (1 − cos θ, NaN for the other pairs; Θ ratio) for the second pass
            for (int k = 0; k < n; k++) {
                vIn[k] = s2s[k] == 0 && cs[k] == 0 ? vs[k] : Double.NaN;
                ntkIn[k] = ntks[k];
            }
        }
        // Branch-free loops, each short enough for HotSpot's C2 to unroll and vectorise it (one loop
        // holding the whole rule runs scalar); the intermediates pass through the batch's scratch
        // arrays. The operations are those of mapPair's steps (see there), spelled out: C2 (JDK 17)
        // did not vectorise these loops when their bodies were calls of the step methods.
        final double[] omas = batch.work3;
        final double[] zs = batch.work4;
        final double[] sins = batch.work5;
        final double[] rs = batch.work6;
        final double[] as = batch.work7;
        for (int k = 0; k < n; k++) {
            final double r = 1 / (1 + Math.abs(cs[k]));
            final double oma = s2s[k] * r;
            rs[k] = r;
            omas[k] = oma;
            zs[k] = oma * r;
        }
        for (int k = 0; k < n; k++) {
            sins[k] = Math.sqrt(s2s[k]);
        }
        final double[] ms = vs; // 1 − cos θ is not read any more (zero pairs keep theirs in vIn)
        KernelMath.atanSeries(zs, as, n, ms);
        for (int k = 0; k < n; k++) {
            final double t = sins[k] * rs[k];
            ms[k] = 2 * (t + t * zs[k] * as[k]);
        }
        for (int k = 0; k < n; k++) {
            final double c = cs[k];
            final double small = ms[k];
            final double large = PI - small;
            final double pos = Math.min(Math.max(cs[k] * 0x1p900, 0.0), 1.0);
            final double neg = 1 - pos;
            ntks[k] *= (alpha * (pos * large + neg * small) + beta * (pos * small + neg * large)) * inv;
        }
        final double[] sms = rs; // s(m) in place of 1/(1 + |cos θ|)
        for (int k = 0; k < n; k++) {
            final double z = zs[k];
            sms[k] = sins[k] * z * (1 - as[k] * (1 - z));
        }
        final double[] sThs = zs; // z, sin θ and A(z) are not needed any more
        final double[] sDes = sins;
        for (int k = 0; k < n; k++) {
            final double c = cs[k];
            final double sm = sms[k];
            final double ac = Math.abs(c);
            sThs[k] = sm + PI * (0.5 * (ac - c));
            sDes[k] = sm + PI * (0.5 * (ac + c));
        }
        for (int k = 0; k < n; k++) {
            final double sm = sms[k];
            final double sTh = sThs[k];
            final double sDe = sDes[k];
            final double h = PI * omas[k] - 2 * sm;
            final double p1 = alpha * h + plus2 * sTh;
            final double p2 = alpha * (h + 2 * sDe) + minus2 * sTh;
            cs[k] = Math.max((alpha * sDe - beta * sTh) * inv, -1.0);
            vs[k] = p1 * inv; // 1 − cos θ' = P1/(πα)
            s2s[k] = Math.min(p1 * p2 * inv * inv, 1.0);
        }
        if (zeroPairs) {
            for (int k = 0; k < n; k++) {
                if (!Double.isNaN(vIn[k])) {
                    // a zero pair (an input of scale 0): T = 0 by homogeneity; Θ (non-zero only after a
                    // standard-parameterisation layer) takes Ṫ at θ = π/2, as the covariance rule does
                    cs[k] = 0;
                    vs[k] = vIn[k];
                    s2s[k] = 0;
                    // Ṫ(π/2) = ¼(a² + b² + 2ab) = ¼(α + β)·2^(2e) in the normalised slopes, and each
                    // input of non-zero scale brings s/s' = 2^(−e)√(2/α) (h is √(2/α)): so 2^e per zero
                    // input (abrelu(-0.5,2), e = 1, had half its Θ after a zero input in standard
                    // parameterisation)
                    final int zeros = (x != null && x.extreme != null && x.extreme[i] ? 1 : 0)
                            + (y != null && y.extreme != null && y.extreme[yFrom + k] ? 1 : 0);
                    ntks[k] = x == null || ntkIn[k] == 0 ? 0
                            : ntkIn[k] * (0.25 * (alpha + beta)) * Math.scalb(x.coefficients[0][i]
                                    * y.coefficients[0][yFrom + k], scaleExp * zeros);
                }
            }
        }
    }

    /**
     * The rule of {@link #mapPairs} for one pair: the same operations in the same order, so the
     * same bits (PairGramAgreementTest checks it). A zero pair (c = s2 = 0: an input of scale 0)
     * is left to {@link #mapPairs}.
     *
     * <p>With m the smaller of θ and δ = π − θ, t = tan(m/2) = sin θ/(1 + |cos θ|) ∈ [0, 1]
     * (half-angle formula: no cancellation anywhere in [0, π]) and z = t² = (1 − |cos θ|)/(1 +
     * |cos θ|), where 1 − |cos θ| = sin²θ/(1 + |cos θ|): one division and no square root before
     * the series A(z) of atan t = t + t³A(z) ({@link KernelMath#atanSeries}, no range reduction),
     * from which both m and s(m) follow:
     * <pre>
     *   m = 2 atan t = 2t(1 + zA),    s(m) = sin m − m cos m = sin θ · z · (1 − A(z)(1 − z))
     * </pre>
     * (sin m = 2t/(1 + z) = sin θ, cos m = (1 − z)/(1 + z)); A lies in [−1/3, π/4 − 1], so the last
     * factor lies in [1, 4/3] and nothing cancels. The larger of s(θ), s(δ) is s(m) + π|cos θ|
     * (s(δ) − s(θ) = π cos θ), a sum of non-negative terms. So one pair waits on one division,
     * the series and a few products, where the earlier rule chained a square root, two divisions
     * and two series (the single-pair path runs at the latency of this chain).
     */
    @Override
    public boolean mapPair(KernelPair pair, double[] x, int xAt, double[] y, int yAt) {
        // in three methods, each small enough for HotSpot's C2 to inline it into the engine's
        // one-pair loop (it does not inline a method of more than 325 bytecodes, and then the
        // pair's state leaves the registers for an object on the heap)
        final double c = pair.c;
        final double s2 = pair.s2;
        if (s2 == 0 && c == 0) {
            return false;
        }
        final double r = 1 / (1 + Math.abs(c));
        final double oma = s2 * r;
        final double z = oma * r;
        final double sin = Math.sqrt(s2);
        final double a = KernelMath.atanSeries(z, KernelMath.atanSeriesHigh(z));
        final double t = sin * r;
        pair.ntk *= ntkFactor(c, 2 * (t + t * z * a));
        finish(pair, c, oma, sin * z * (1 - a * (1 - z)));
        return true;
    }

    private static boolean any(boolean[] flags, int from, int n) {
        for (int k = from; k < from + n; k++) {
            if (flags[k]) {
                return true;
            }
        }
        return false;
    }

    /** The Ṫ ratio of {@link #mapPair}, from cos θ and m (the loop's operations). */
    private double ntkFactor(double c, double small) {
        final double large = PI - small;
        final double pos = Math.min(Math.max(c * 0x1p900, 0.0), 1.0);
        final double neg = 1 - pos;
        return (alpha * (pos * large + neg * small) + beta * (pos * small + neg * large)) * inv;
    }

    /** The outputs of {@link #mapPair} from cos θ, 1 − |cos θ| and s(m) (the loops' operations). */
    private void finish(KernelPair pair, double c, double oma, double sm) {
        final double ac = Math.abs(c);
        final double sTh = sm + PI * (0.5 * (ac - c));
        final double sDe = sm + PI * (0.5 * (ac + c));
        final double h = PI * oma - 2 * sm;
        if (relu) {
            // α = (a + b)² = (a − b)² = 1 and β = 0: the products by 1 and the subtraction of
            // β s(θ) = +0 below are exact, so leaving them out gives the same bits, three
            // operations sooner on the chain
            final double p1 = h + sTh;
            pair.c = Math.max(sDe * inv, -1.0);
            pair.v = p1 * inv;
            pair.s2 = Math.min(p1 * ((h + 2 * sDe) + sTh) * inv * inv, 1.0);
            return;
        }
        final double p1 = alpha * h + plus2 * sTh;
        final double p2 = alpha * (h + 2 * sDe) + minus2 * sTh;
        pair.c = Math.max((alpha * sDe - beta * sTh) * inv, -1.0);
        pair.v = p1 * inv; // 1 − cos θ' = P1/(πα)
        pair.s2 = Math.min(p1 * p2 * inv * inv, 1.0);
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
