package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelMath;
import io.github.ntk4j.internal.KernelRows;
import java.util.List;

/**
 * GELU, φ(x) = x·Φ(x) with Φ the standard normal distribution function (Hendrycks &amp; Gimpel
 * 2016); neural-tangents' {@code Gelu} (exact φ, not the tanh approximation).
 *
 * <p>Duals (Tsuchida et al., "Avoiding kernel fixed points: computing with ELU and GELU
 * infinite networks", 2021; neural-tangents' {@code Gelu} kernel function), with
 * δ² = (1 + Σxx)(1 + Σyy) − Σxy² = 1 + Σxx + Σyy + D (D carried without cancellation) and
 * ψ = atan2(Σxy, δ):
 * <pre>
 *   T = Σxy/4 + [ (Σxy² + ΣxxΣyy δ²) / ((1 + Σxx)(1 + Σyy) δ) + Σxy ψ ] / (2π)
 *   Ṫ = 1/4 + ψ/(2π) + Σxy/(2π δ) · (1/δ² + (1 − ΣxxΣyy)/((1 + Σxx)(1 + Σyy)) + 1)
 * </pre>
 * Every quantity is formed without subtracting nearly equal numbers once D is known; Ṫ's bracket
 * is evaluated as 1/δ² + (2 + Σxx + Σyy)/((1 + Σxx)(1 + Σyy)), the same value with its last two
 * terms added exactly: as written, (1 − ΣxxΣyy)/((1 + Σxx)(1 + Σyy)) is −1 + O(1/Σ) and the + 1
 * cancelled it, which cost Ṫ about √min(Σxx, Σyy)·1e-17 relative for a positively correlated
 * pair (8e-11 at Σxx = 1.2e33, Σyy = 1.8e15).
 */
final class Gelu extends Activation {
    private static final Gelu INSTANCE = new Gelu();

    private Gelu() {
    }

    /** @return GELU */
    public static Gelu instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    public double apply(double x) {
        return x * Gaussians.cdf(x);
    }

    @Override
    public double derivative(double x) {
        return Gaussians.cdf(x) + x * Gaussians.pdf(x);
    }

    /**
     * T and Ṫ of a pair (Σxx = a, Σxy = c, Σyy = b, D = ΣxxΣyy − Σxy² = d) into out[0] and
     * out[1], from one square root and one arc tangent shared by both.
     */
    static void duals(double a, double c, double b, double d, double[] out) {
        double pa = 1 + a;
        double pb = 1 + b;
        double delta2 = 1 + a + b + d;
        double delta = Math.sqrt(delta2);
        if (opposed(c)) {
            opposedDuals(a, c, b, pa, pb, 1 / pa, 1 / pb, delta, out);
            return;
        }
        double psi = psi(c, pa, pb, delta);
        final double ipa = 1 / pa;
        final double ipb = 1 / pb;
        out[0] = dual(a, c, b, ipa, ipb, delta2, delta, psi);
        out[1] = dualDerivative(a, c, b, ipa, ipb, delta2, delta, psi);
    }

    /**
     * Whether a pair takes {@link #opposedDuals}: Σxy below −{@value #OPPOSED_BELOW}. Elsewhere the
     * cancellation of Σxy/4 against Σxy ψ/(2π) is of terms below 16 in size, and T is small only
     * for nearly anti-collinear pairs, whose Σxy is then about −√(ΣxxΣyy): so it costs at most
     * about 1e-13 relative (measured against mpmath: 3.7e-15 with this threshold).
     */
    static boolean opposed(double c) {
        return c < -OPPOSED_BELOW;
    }

    /** −Σxy above which a pair takes {@link #opposedDuals}. */
    static final double OPPOSED_BELOW = 16;

    /**
     * T and Ṫ for Σxy &lt; 0 without the cancellation of the general form: there Σxy/4 + Σxy ψ/(2π)
     * = −|Σxy| φ/(2π) with φ = π/2 + ψ = 2 atan u, u = δ/(P + |Σxy|), P = √((1 + Σxx)(1 + Σyy)),
     * and with P² = δ² + Σxy² the rest of T rearranges into terms of the size of T itself:
     * <pre>
     *   2π T = 1/δ + δ(u² − (2 + Σxx + Σyy)/P²) + 2|Σxy|(u − atan u)
     *   2π Ṫ = 2 atan u − (|Σxy|/δ)(1/δ² + (2 + Σxx + Σyy)/P²)
     * </pre>
     * (u² = (P − |Σxy|)/(P + |Σxy|), and u − atan u by its series below u = ½). Why: for nearly
     * anti-collinear inputs of large variance T is of the order of 1/√Σ while the two terms it was
     * the difference of are of the order of Σ: at input norm 100 T was 3e-10 off, at 1e6 of the
     * wrong sign.
     */
    static void opposedDuals(double a, double c, double b, double pa, double pb, double ipa, double ipb, double delta,
            double[] out) {
        double ac = -c;
        double p = Math.sqrt(pa) * Math.sqrt(pb);
        double u = delta / (p + ac);
        double atanU = KernelMath.atanUnit(u, 1.0);
        double uMinusAtan = u < 0.5 ? uMinusAtan(u) : u - atanU;
        double sum = 2 + a + b;
        out[0] = (1 / delta + delta * (u * u - sum * ipa * ipb) + 2 * ac * uMinusAtan) / (2 * Math.PI);
        out[1] = (2 * atanU - ac / delta * (1 / (delta * delta) + sum * ipa * ipb)) / (2 * Math.PI);
    }

    /** u − atan u for 0 ≤ u &lt; ½ by its series u³/3 − u⁵/5 + … (terms to u^41; the next is below 1e-17 relative). */
    static double uMinusAtan(double u) {
        double u2 = u * u;
        double term = u * u2;
        double sum = 0;
        for (int k = 1; k <= 20; k++) {
            sum += ((k & 1) == 1 ? term : -term) / (2 * k + 1);
            term *= u2;
        }
        return sum;
    }

    /**
     * ψ = atan2(Σxy, δ) by the half-angle identity atan2(y, x) = 2 atan(y/(x + √(x² + y²))),
     * here with x² + y² = δ² + Σxy² = (1 + Σxx)(1 + Σyy): ψ = 2 atan(Σxy/(δ + √((1 + Σxx)(1 + Σyy)))),
     * whose argument lies in (−1, 1) (Σxy² ≤ ΣxxΣyy &lt; (1 + Σxx)(1 + Σyy)), so the arc tangent
     * is {@link KernelMath#atanUnits}' polynomial, with no range reduction and no branch. The
     * square root is taken as √(1 + Σxx)·√(1 + Σyy), and every quotient by (1 + Σxx)(1 + Σyy) here
     * and in T and Ṫ as two quotients: the product of two variances overflows from about 1e154 on
     * (GELU's own output variance at Σ = 1e160 came out half its value). These are the
     * operations of {@link #mapPairs}' vectorised loops for one element (the same bits). Error:
     * the argument is within 2.5 ulps (two square roots, a sum of two positive numbers and a
     * quotient), and d atan t/dt·t/atan t ≤ 1, so ψ is within a few ulps relative; GeluDualsTest
     * checks T and Ṫ against 32-digit values over the whole domain.
     *
     * @param c Σxy
     * @param pa 1 + Σxx
     * @param pb 1 + Σyy
     * @param delta δ
     * @return ψ
     */
    static double psi(double c, double pa, double pb, double delta) {
        return KernelMath.atanUnit(c / (Math.sqrt(pa) * Math.sqrt(pb) + delta), 2.0);
    }

    /**
     * T of {@link #duals} from its shared quantities (the reciprocals 1/(1 + Σxx), 1/(1 + Σyy), δ²,
     * δ, ψ): (Σxy² + ΣxxΣyyδ²)/((1 + Σxx)(1 + Σyy)δ) as
     * (Σxy·(Σxy/(1 + Σxx))/(1 + Σyy) + (Σxx/(1 + Σxx))(Σyy/(1 + Σyy))δ²)/δ, whose products stay
     * within δ² ≤ (1 + Σxx)(1 + Σyy): ΣxxΣyyδ² is of the order of Σ⁴ and overflowed from variances
     * of about 1e77 on (inputs of variance 1e80 came out 107 % off).
     */
    private static double dual(double a, double c, double b, double ipa, double ipb, double delta2, double delta,
            double psi) {
        return 0.25 * c + ((c * (c * ipa) * ipb + a * ipa * (b * ipb) * delta2) / delta + c * psi) / (2 * Math.PI);
    }

    /** Ṫ of {@link #duals} from its shared quantities (1/(1 + Σxx), 1/(1 + Σyy), δ², δ, ψ). */
    private static double dualDerivative(double a, double c, double b, double ipa, double ipb, double delta2,
            double delta, double psi) {
        return 0.25 + psi / (2 * Math.PI) + c / (2 * Math.PI * delta) * (1 / delta2 + (2 + a + b) * ipa * ipb);
    }

    /**
     * The pair rule of {@link Activation#mapPairs} (with this class's {@link #mapCovariances}) by
     * the same operations in the same order, so the same bits, in loops short and branch-free
     * enough for HotSpot's C2 to vectorise them: Σxy, δ² and δ, ψ by {@link #psi}'s polynomial on
     * the whole batch, then T, Ṫ (in two loops), cos θ' = T·g_x g_y, sin²θ' = D'·(g_x g_y)² with
     * D' = T(x,x)T(y,y) − T², and 1 − cos θ', which the general rule takes as sin²θ'/(1 + cos θ')
     * where cos θ' &gt; 0 and 1 − cos θ' otherwise: here max(sin²θ', h)/(1 + c⁺) − (c − c⁺) with
     * c⁺ = max(c, 0) and h = 1 for c ≤ 0, 0 for c &gt; 0 (from max(c·2^2000, 0)), exactly the
     * same numbers for sin²θ' in [0, 1]. Per pair a key is ≤ 0 exactly when the general rule
     * would take these same operations: D' ≥ {@link CollinearDefect#CANCELLATION}·T(x,x)T(y,y)
     * (no quadrature for D') and ≥ 2^-960 (no fallback for an underflowed D'), |cos θ'| ≤ 1 and
     * sin²θ' ≤ 1 (its clamps are identities), g_x g_y &gt; 0 (no zero pair); a NaN keeps the pair
     * out as well. A scan copies the settled pairs' values into the batch in runs and hands the
     * others, and the pairs of an input with itself, to the general rule (GeluDualsTest checks
     * the two bit for bit).
     *
     * <p>Why: the general rule goes pair by pair through the covariance batch with fdlibm's
     * branching arc tangent, and ran scalar: it took 83 % of a GELU Gram's JFR samples (N = 4,000,
     * d = 100, depth 5, 2 threads); these loops made that Gram 2.1 times faster (0.854 → 0.415 s,
     * A/B in one invocation, load 1.3–2.5), 1.5 times the ReLU Gram's time. The 1 − cos θ' loop
     * in the form w·A + (1 − w)·B with w = min(max(c·2^2000, 0), 1) ran at scalar speed (111 of
     * the Gram's 755 samples against 51 in the form above).
     */
    /**
     * The default rows ({@link Activation#mapRows}) and, as coefficient [5], 1/(1 + Σxx) per
     * input: T and Ṫ divide by (1 + Σxx)(1 + Σyy), taken as products of these reciprocals (that
     * product of two variances overflows from about 1e154 on), so that the pair loop keeps one
     * division for T and none for Ṫ's bracket (in quotients by 1 + Σyy pair by pair the GELU Gram
     * ran 1.2 times slower).
     */
    @Override
    public KernelRows mapRows(io.github.ntk4j.internal.ScaledDouble[] scaleIn, io.github.ntk4j.internal.Workers workers) {
        KernelRows r = super.mapRows(scaleIn, workers);
        double[][] co = java.util.Arrays.copyOf(r.coefficients, 6);
        co[5] = new double[r.size()];
        for (int i = 0; i < co[5].length; i++) {
            co[5][i] = 1 / (1 + co[0][i]);
        }
        return new KernelRows(r.scaleIn, r.scaleOut, co, r.extreme, r.inner, r.prepared);
    }

    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final int n = batch.size;
        if (yFrom != 0) {
            // y's rows at the batch's own index, so that the loops below vectorise (KernelBatch#slice)
            mapPairs(batch, x, i, batch.slice(y, yFrom), 0);
            return;
        }
        final double a = x.coefficients[0][i];
        final double rx = x.coefficients[1][i];
        final double gx = x.coefficients[2][i];
        final double rgx = x.coefficients[3][i];
        final double txx = x.coefficients[4][i];
        final double[] syy = y.coefficients[0];
        final double[] ry = y.coefficients[1];
        final double[] gy = y.coefficients[2];
        final double[] rgy = y.coefficients[3];
        final double[] tyy = y.coefficients[4];
        final double[] cs = batch.c;
        final double[] s2s = batch.s2;
        final double[] ntks = batch.ntk;
        final double[] deltas = batch.work;
        final double[] psis = batch.work2;
        final double[] keys = batch.work3;
        final double[] cOut = batch.work4;
        final double[] s2Out = batch.work5;
        final double[] vOut = batch.work6;
        final double[] ntkOut = batch.work7;
        // Σxy and δ² live in s2Out and vOut until the last loop writes those
        final double[] xys = s2Out;
        final double[] delta2s = vOut;
        final double pa = 1 + a;
        final double sqrtPa = Math.sqrt(pa);
        final double ipa = x.coefficients[5][i];
        final double[] ipb = y.coefficients[5];
        for (int k = 0; k < n; k++) {
            final double b = syy[k];
            final double delta2 = 1 + a + b + s2s[k] * a * b;
            xys[k] = cs[k] * (rx * ry[k]);
            delta2s[k] = delta2;
            deltas[k] = Math.sqrt(delta2);
        }
        for (int k = 0; k < n; k++) {
            psis[k] = xys[k] / (sqrtPa * Math.sqrt(1 + syy[k]) + deltas[k]);
        }
        // ψ = 2 atan of the half-angle argument (psi())
        KernelMath.atanUnits(psis, psis, n, keys, 2.0);
        for (int k = 0; k < n; k++) {
            final double b = syy[k];
            cOut[k] = dual(a, xys[k], b, ipa, ipb[k], delta2s[k], deltas[k], psis[k]);
        }
        // Ṫ in two loops (dualDerivative's operations in its order): the bracket, then the rest
        final double[] bracket = keys;
        for (int k = 0; k < n; k++) {
            final double b = syy[k];
            bracket[k] = 1 / delta2s[k] + (2 + a + b) * ipa * ipb[k];
        }
        for (int k = 0; k < n; k++) {
            final double tdot = 0.25 + psis[k] / (2 * Math.PI) + xys[k] / (2 * Math.PI * deltas[k]) * bracket[k];
            ntkOut[k] = ntks[k] * tdot * (rgx * rgy[k]);
        }
        final double cancel = CollinearDefect.CANCELLATION * txx;
        for (int k = 0; k < n; k++) {
            final double xy = xys[k];
            final double t = cOut[k];
            final double c1 = t * gx * gy[k];
            final double dPlain = txx * tyy[k] - t * t;
            cOut[k] = c1;
            s2Out[k] = dPlain * gx * gy[k] * (gx * gy[k]);
            // and the pairs that take opposedDuals (Σxy < −OPPOSED_BELOW)
            keys[k] = Math.max(Math.max(cancel * tyy[k] - dPlain, 0x1p-960 - dPlain), -OPPOSED_BELOW - xy);
        }
        for (int k = 0; k < n; k++) {
            final double c1 = cOut[k];
            final double s2 = s2Out[k];
            final double cp = Math.max(c1, 0.0);
            final double h = Math.max(1 - Math.max(c1 * 0x1p1000 * 0x1p1000, 0.0), 0.0);
            vOut[k] = Math.max(s2, h) / (1 + cp) - (c1 - cp);
        }
        for (int k = 0; k < n; k++) {
            keys[k] = Math.max(keys[k], Math.max(Math.abs(cOut[k]) - 1, Math.max(s2Out[k] - 1, Double.MIN_VALUE - gx * gy[k])));
        }
        final boolean[] same = batch.same;
        int k = 0;
        while (k < n) {
            final int k0 = k;
            while (k < n && keys[k] <= 0 & !same[k]) {
                k++;
            }
            if (k > k0) {
                System.arraycopy(cOut, k0, cs, k0, k - k0);
                System.arraycopy(s2Out, k0, s2s, k0, k - k0);
                System.arraycopy(vOut, k0, batch.v, k0, k - k0);
                System.arraycopy(ntkOut, k0, ntks, k0, k - k0);
            }
            final int k1 = k;
            while (k < n && !(keys[k] <= 0 & !same[k])) {
                k++;
            }
            if (k > k1) {
                mapPairs(batch, x, i, y, 0, k1, k);
            }
        }
    }

    /**
     * The batch rule ({@link Activation#mapPairs} with this class's {@link #mapCovariances}) for
     * one general pair, by the same operations in the same order, so the same bits: the state
     * turned into covariances at the actual variances (coefficients of {@link Activation#rows}:
     * Σxx, r, 1/r', s/s', Σ'xx), the duals of {@link #duals}, D' by the plain difference, and the
     * state normalised back. A pair whose D' the plain difference would not give to full
     * accuracy ({@link CollinearDefect#carry} takes its quadrature), or with an output scale of
     * 0, is left to the batch rule. Why: through a batch of one pair, pair() on a GELU network
     * ran at 3.1 times a Gram entry's cost (ntk4j bench pair, depth 5).
     */
    @Override
    public boolean mapPair(io.github.ntk4j.internal.KernelPair pair, double[] x, int xAt, double[] y, int yAt) {
        final double gx = x[xAt + 2];
        final double gj = y[yAt + 2];
        if (gx * gj == 0) {
            return false;
        }
        final double a = x[xAt];
        final double b = y[yAt];
        final double rr = x[xAt + 1] * y[yAt + 1];
        final double c = pair.c * rr;
        final double d = pair.s2 * a * b;
        final double pa = 1 + a;
        final double pb = 1 + b;
        final double delta2 = 1 + a + b + d;
        final double delta = Math.sqrt(delta2);
        if (opposed(c)) {
            return false; // the batch rule's opposedDuals
        }
        final double psi = psi(c, pa, pb, delta);
        final double t = dual(a, c, b, x[xAt + 5], y[yAt + 5], delta2, delta, psi);
        final double txx = x[xAt + 4];
        final double tyy = y[yAt + 4];
        final double dPlain = txx * tyy - t * t;
        if (!(dPlain >= CollinearDefect.CANCELLATION * txx * tyy) && a > 0 && b > 0 && t > 0) {
            return false; // CollinearDefect#carry's quadrature
        }
        if (!(txx * tyy >= 0x1p-900)) {
            return false; // output variances so small that their product underflows: the batch rule's scale-free form
        }
        final double dOut = Math.max(dPlain, 0);
        double c1 = t * gx * gj;
        c1 = c1 > 1 ? 1 : c1 < -1 ? -1 : c1;
        double s2 = Math.min(dOut * gx * gj * (gx * gj), 1);
        if (mayHaveUnderflowed(dOut, txx * tyy) && c1 < 1) {
            s2 = (1 - c1) * (1 + c1);
        }
        pair.c = c1;
        pair.s2 = s2;
        pair.v = c1 > 0 ? s2 / (1 + c1) : 1 - c1;
        pair.ntk = pair.ntk * dualDerivative(a, c, b, x[xAt + 5], y[yAt + 5], delta2, delta, psi) * (x[xAt + 3] * y[yAt + 3]);
        return true;
    }

    private static double duals(double a, double c, double b, double d, int which) {
        double[] out = new double[2];
        duals(a, c, b, d, out);
        return out[which];
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return duals(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0), 0);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return dualDerivative(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0));
    }

    @Override
    double dualDerivative(double kxx, double kxy, double kyy, double d) {
        return duals(kxx, kxy, kyy, d, 1);
    }

    @Override
    public double mapVariance(double kxx) {
        return duals(kxx, kxx, kxx, 0, 0);
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        double[] out = new double[2];
        for (int k = 0; k < p.size; k++) {
            double a = p.kxx[k];
            double b = p.kyy[k];
            double c = p.kxy[k];
            double d = p.d[k];
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            duals(a, c, b, d, out);
            p.ntk[k] *= out[1];
            if (p.same[k]) {
                p.kxy[k] = txx;
                p.d[k] = 0;
            } else {
                CollinearDefect.carry(this, p, k, out[0]);
                p.kxy[k] = out[0];
            }
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        String a = "(" + xx + ")";
        String b = "(" + yy + ")";
        String c = "(" + xy + ")";
        String delta = "Sqrt[(1+" + a + ")*(1+" + b + ")-" + c + "^2]";
        return "(" + c + "/4+((" + c + "^2+" + a + "*" + b + "*((1+" + a + ")*(1+" + b + ")-" + c + "^2))/((1+" + a
                + ")*(1+" + b + ")*" + delta + ")+" + c + "*ArcTan[" + c + "/" + delta + "])/(2*Pi))";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String a = "(" + xx + ")";
        String b = "(" + yy + ")";
        String c = "(" + xy + ")";
        String d2 = "((1+" + a + ")*(1+" + b + ")-" + c + "^2)";
        return "(1/4+ArcTan[" + c + "/Sqrt[" + d2 + "]]/(2*Pi)+" + c + "/(2*Pi*Sqrt[" + d2 + "])*(1/" + d2 + "+(1-" + a
                + "*" + b + ")/((1+" + a + ")*(1+" + b + "))+1))";
    }

    @Override
    protected List<Double> parameters() {
        return List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gelu;
    }

    @Override
    public int hashCode() {
        return 31;
    }
}
