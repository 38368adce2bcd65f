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
 * φ(x) = a·erf(b·x) + c, neural-tangents' {@code Erf(a, b, c)}; plain erf is (1, 1, 0).
 *
 * <p>Duals (Williams 1997, scaled): with Σ' = b²Σ and q = √(1 + 2(Σ'xx + Σ'yy) + 4D'),
 * D' = Σ'xxΣ'yy − Σ'xy² (so q² = (1 + 2Σ'xx)(1 + 2Σ'yy) − 4Σ'xy²),
 * <pre>
 *   T = a² (2/π) arcsin(2Σ'xy/√((1 + 2Σ'xx)(1 + 2Σ'yy))) + c² = a² (2/π) atan(2Σ'xy/q) + c²
 *   Ṫ = a² b² (4/π)/q
 * </pre>
 * The atan form (docs/KERNEL-RECURSION.md §5) has no cancellation once D is known; arcsin of a number near
 * 1 would lose half the digits. The engine applies it in the scale-free form of
 * {@link #mapPairs}: the dual saturates, depending on the variances only through
 * ζ = 2b²Σ/(1 + 2b²Σ), so inputs of any norm work.
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
        return a * org.apache.commons.numbers.gamma.Erf.value(b * x) + c;
    }

    @Override
    public double derivative(double x) {
        double bx = b * x;
        return a * b * (2 / Math.sqrt(Math.PI)) * Math.exp(-bx * bx);
    }

    @Override
    public double mapVariance(double kxx) {
        if (!(kxx >= 0) || kxx == Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        ScaledDouble r = mapRows(new ScaledDouble[] {ScaledDouble.of(kxx).sqrt()}, Workers.serial()).scaleOut[0];
        return r.multiply(r).doubleValue();
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        double[] tt = single(kxx, kxy, kyy);
        return tt[0];
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        double[] tt = single(kxx, kxy, kyy);
        return tt[1];
    }

    /** T and Ṫ at one point, through the scale-free rule (so any finite variances work). */
    private double[] single(double kxx, double kxy, double kyy) {
        ScaledDouble rx = ScaledDouble.of(kxx).sqrt();
        ScaledDouble ry = ScaledDouble.of(kyy).sqrt();
        KernelRows rows = mapRows(new ScaledDouble[] {rx, ry}, Workers.serial());
        double norm = Math.sqrt(kxx) * Math.sqrt(kyy);
        KernelBatch p = KernelBatch.single(norm == 0 ? 0 : kxy / norm);
        p.ntk[0] = 1;
        mapPairs(p, rows, 0, rows, 1);
        ScaledDouble out = rows.scaleOut[0].multiply(rows.scaleOut[1]);
        double t = out.multiply(p.c[0]).doubleValue();
        double tdot;
        if (norm == 0) {
            // Ṫ = a²b²(4/π)/q with q = √(1 + 2b²(Σxx + Σyy)) when Σxx or Σyy is 0
            double b2 = b * b;
            tdot = a * a * b2 * (4 / Math.PI) / Math.sqrt(1 + 2 * b2 * kxx + 2 * b2 * kyy);
        } else {
            tdot = out.multiply(p.ntk[0]).divide(rx.multiply(ry)).doubleValue();
        }
        return new double[] {t, tdot};
    }

    /**
     * Per input, with u = 2b²Σxx (as scaled doubles, so Σxx may exceed the double range): the
     * saturating quantities ζ = u/(1 + u) and τ = 1 − ζ = 1/(1 + u), on which the dual
     * depends, and r'² = a²(2/π) arcsin ζ + c² = a²(2/π) atan(u/√(1 + 2u)) + c².
     * Coefficients: [0] ζ, [1] τ, [2] g = 1/r', [3] c·g, [4] λ = |ab|·r/(r'√(1 + u)),
     * [5] √ζ, [6] √ζ/r', [7], [8] τ's mantissa and exponent, [9] √(1 − ζ²) = √(τ(1 + ζ)), [10] r'. An input is extreme (careful path)
     * when τ or r' is below 2^-900.
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        int n = scaleIn.length;
        ScaledDouble[] out = new ScaledDouble[n];
        double[][] co = new double[11][n];
        boolean[] extreme = new boolean[n];
        ScaledDouble twoB2 = ScaledDouble.of(b).multiply(ScaledDouble.of(b)).multiply(2.0);
        ScaledDouble tScale = ScaledDouble.of(a).multiply(ScaledDouble.of(a)).multiply(2 / Math.PI);
        ScaledDouble cc = ScaledDouble.of(c).multiply(ScaledDouble.of(c));
        ScaledDouble absAb = ScaledDouble.of(Math.abs(a)).multiply(ScaledDouble.of(Math.abs(b)));
        final boolean fast = moderate(a) && moderate(b) && moderate(c);
        for (int i = 0; i < n; i++) {
            ScaledDouble r = scaleIn[i];
            if (fast && (r.isZero() || Math.abs(r.exponent()) < MODERATE_EXPONENT)) {
                extreme[i] = plainRow(r.doubleValue(), co, i, out);
                continue;
            }
            ScaledDouble u = r.multiply(r).multiply(twoB2);
            ScaledDouble onePlusU = u.add(ScaledDouble.ONE);
            ScaledDouble tau = ScaledDouble.ONE.divide(onePlusU);
            ScaledDouble zeta = u.divide(onePlusU);
            ScaledDouble y = u.divide(u.multiply(2.0).add(ScaledDouble.ONE).sqrt());
            ScaledDouble asinZeta;
            if (y.isZero()) {
                asinZeta = ScaledDouble.ZERO;
            } else if (y.exponent() >= 0) {
                asinZeta = ScaledDouble.of(0.5 * Math.PI - KernelMath.atan(ScaledDouble.ONE.divide(y).doubleValue()));
            } else if (y.exponent() > -60) {
                asinZeta = ScaledDouble.of(KernelMath.atan(y.doubleValue()));
            } else {
                asinZeta = y; // atan y = y to double precision
            }
            ScaledDouble rOut = asinZeta.multiply(tScale).add(cc).sqrt();
            out[i] = rOut;
            co[0][i] = zeta.doubleValue();
            co[1][i] = tau.doubleValue();
            co[5][i] = Math.sqrt(co[0][i]);
            co[7][i] = tau.mantissa();
            co[8][i] = tau.exponent();
            co[9][i] = tau.multiply(zeta.add(ScaledDouble.ONE)).sqrt().doubleValue(); // cos asin ζ = √(τ(1 + ζ))
            co[10][i] = rOut.doubleValue();
            // a zero output scale (g = 0) or g below 2^-500 as well: the fast path takes g_x g_y as
            // neither 0 nor below 2^-1000 without testing it
            boolean tiny = tau.exponent() < -900 || rOut.isZero();
            if (!rOut.isZero()) {
                ScaledDouble g = ScaledDouble.ONE.divide(rOut);
                tiny |= g.exponent() > 500 || g.exponent() < -500; // g_x g_y must fit a normal double on the fast path
                co[2][i] = g.doubleValue();
                co[3][i] = g.multiply(c).doubleValue();
                co[6][i] = zeta.sqrt().divide(rOut).doubleValue();
            }
            // λ = |ab|·s/(s'√(1 + u)) with the NTK scales s (r, or 1 for a scale of 0; KernelBatch#ntk)
            ScaledDouble sIn = r.isZero() ? ScaledDouble.ONE : r;
            ScaledDouble sOut = rOut.isZero() ? ScaledDouble.ONE : rOut;
            co[4][i] = absAb.multiply(sIn).divide(sOut.multiply(onePlusU.sqrt())).doubleValue();
            extreme[i] = tiny;
        }
        boolean anyExtreme = false;
        for (boolean e : extreme) {
            anyExtreme |= e;
        }
        // null when no input is extreme, so that mapPairs need not scan the flags
        return new KernelRows(scaleIn, out, co, anyExtreme ? extreme : null);
    }

    /** Bound of {@link #mapRows}' plain-double rule: binary exponents of a, b, c and r within ±120. */
    private static final int MODERATE_EXPONENT = 120;

    private static boolean moderate(double v) {
        return v == 0 || Math.abs(Math.getExponent(v)) < MODERATE_EXPONENT;
    }

    /**
     * {@link #mapRows}' rule for one input of scale r in plain doubles, for a, b, c and r all 0 or
     * within 2^±120: then every intermediate is 0 or a normal double within 2^±800 (u = 2b²r² below
     * 2^481, r' above 2^-361), so each operation rounds exactly as its ScaledDouble counterpart,
     * whose mantissas carry the same 53 bits, and the results are the same bits (ErfRowsTest).
     * Measured reason: the ScaledDouble rule, one object per operation, took 1.4–2.9 ms per erf
     * layer for 4,000 inputs, before the Gram's tiles start (about a twentieth of the erf Gram's
     * time at N = 4,000 on 2 cores).
     *
     * @return whether the input is extreme (it never is in this range, but the test is the rule's)
     */
    private boolean plainRow(double r, double[][] co, int i, ScaledDouble[] out) {
        final double twoB2 = b * b * 2.0;
        final double tScale = a * a * (2 / Math.PI);
        final double cc = c * c;
        final double absAb = Math.abs(a) * Math.abs(b);
        final double u = r * r * twoB2;
        final double onePlusU = u + 1;
        final double tau = 1 / onePlusU;
        final double zeta = u / onePlusU;
        final double y = u / Math.sqrt(u * 2.0 + 1);
        final double asinZeta;
        if (y == 0) {
            asinZeta = 0;
        } else if (Math.getExponent(y) >= 0) {
            asinZeta = 0.5 * Math.PI - KernelMath.atan(1 / y);
        } else if (Math.getExponent(y) > -60) {
            asinZeta = KernelMath.atan(y);
        } else {
            asinZeta = y;
        }
        final double rOut = Math.sqrt(asinZeta * tScale + cc);
        out[i] = ScaledDouble.of(rOut);
        co[0][i] = zeta;
        co[1][i] = tau;
        co[5][i] = Math.sqrt(zeta);
        final int tauExponent = Math.getExponent(tau);
        co[7][i] = Math.scalb(tau, -tauExponent);
        co[8][i] = tauExponent;
        co[9][i] = Math.sqrt(tau * (zeta + 1));
        co[10][i] = rOut;
        boolean tiny = tauExponent < -900 || rOut == 0;
        if (rOut != 0) {
            final double g = 1 / rOut;
            tiny |= Math.getExponent(g) > 500 || Math.getExponent(g) < -500;
            co[2][i] = g;
            co[3][i] = c == 0 ? 0.0 : g * c; // the ScaledDouble rule's zero has no sign
            co[6][i] = Math.sqrt(zeta) / rOut;
        }
        final double sIn = r == 0 ? 1 : r;
        final double sOut = rOut == 0 ? 1 : rOut;
        co[4][i] = absAb * sIn / (sOut * Math.sqrt(onePlusU));
        return tiny;
    }

    /**
     * Pair rule, scale-free: with q² = (1 + u_x)(1 + u_y)·Q and
     * Q = 1 − ζ_x ζ_y cos²θ = τ_x + ζ_x τ_y + ζ_x ζ_y sin²θ (no cancellation),
     * <pre>
     *   T = a²(2/π) atan(cos θ·√(ζ_x ζ_y)/√Q) + c²,   cos θ' = T/(r'_x r'_y)
     *   Θ' ratio = ratio · (4/π) λ_x λ_y/√Q
     * </pre>
     * (the class formulas divided by the scales). 1 − cos θ' and sin²θ' = (1 − cos θ')(1 + cos θ')
     * are formed by subtraction, as T has no cancellation-free form for it. Inputs whose τ or r' is below
     * 2^-900 take a careful path that evaluates Q and 1/√Q as scaled doubles.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final int n = batch.size;
        if (yFrom != 0) {
            // y's rows at the batch's own index, so that the loop below vectorises (KernelBatch#slice)
            mapPairs(batch, x, i, batch.slice(y, yFrom), 0);
            return;
        }
        if (x.extreme != null && x.extreme[i] || y.extreme != null && any(y.extreme, 0, n)) {
            mapPairsOneByOne(batch, x, i, y, yFrom);
            return;
        }
        final double tScale = a * a * (2 / Math.PI);
        final double zx = x.coefficients[0][i];
        final double tx = x.coefficients[1][i];
        final double gx = x.coefficients[2][i];
        final double cgx = x.coefficients[3][i];
        final double ex = x.coefficients[5][i];
        final double tg = tScale * gx;
        final double dl = 4 / Math.PI * x.coefficients[4][i];
        final double[] zy = y.coefficients[0];
        final double[] ty = y.coefficients[1];
        final double[] gy = y.coefficients[2];
        final double[] cgy = y.coefficients[3];
        final double[] ly = y.coefficients[4];
        final double[] ey = y.coefficients[5];
        final double[] cs = batch.c;
        final double[] vs = batch.v;
        final double[] s2s = batch.s2;
        final double[] ntks = batch.ntk;
        // sin²θ' goes to s2Out, copied into the batch at the end: the second pass reads the
        // incoming sin²θ (and a loop that copies one array into another while it reads several
        // others was not vectorised by C2: 2.5 against 0.8 ns per pair for the square root's loop)
        final double[] s2Out = batch.work;
        final double[] wIn = batch.work2;
        final double[] qs = batch.work3;
        final double[] at = batch.work4;
        // first pass, in loops short and branch-free enough for C2 to unroll and vectorise them
        // (one loop holding the whole rule runs scalar): every pair by the general rule
        for (int k = 0; k < n; k++) {
            qs[k] = Math.sqrt(tx + zx * ty[k] + zx * zy[k] * s2s[k]);
            wIn[k] = cs[k] * ex * ey[k];
        }
        // (w, √Q) lies on the unit circle: w² + Q = ζ_xζ_y(cos²θ + sin²θ) + τ_x + ζ_xτ_y = 1; the
        // NTK ratio is multiplied by (4/π) λ_x λ_y/√Q there
        KernelMath.atanOnCircle(wIn, qs, at, ntks, dl, ly, n, batch.work7);
        // cos θ' is not clamped to [−1, 1] here (a min and a max kept C2 from fusing this loop
        // with the key's): every value outside has a key below 1 and is clamped by the second pass
        final double[] keys = batch.work5;
        for (int k = 0; k < n; k++) {
            final double c1 = tg * gy[k] * at[k] + cgx * cgy[k];
            cs[k] = c1;
            vs[k] = 1 - c1;
            s2Out[k] = (1 - c1) * (1 + c1);
        }
        for (int k = 0; k < n; k++) {
            keys[k] = Math.min((HALF_IN - Math.abs(cs[k])) * 0x1p60,
                    Math.min(Math.abs(wIn[k]) * 0x1p600, qs[k] * (1 / ROUGH_Q)));
        }
        // second pass: the pairs the general rule does not serve (rare but for the diagonal). The
        // loop above computes a key that is below 1 for every such pair (and for a few more,
        // which the second pass leaves as they are): cos θ' beyond [−NEAR, NEAR] (or within
        // 2^-60 of its ends, as HALF_IN is taken a little inside; this includes every pair of an
        // input with itself, KernelBatch#same, whose cos θ' is 1 up to rounding, and every value
        // outside [−1, 1]), |w| below 2^-600 (or 0), and √Q below ROUGH_Q (where a pair with a
        // rough angle is refused); then one scan tests the key. Inputs with g = 0 or g below
        // 2^-500 take the careful path (mapRows), so g_x g_y is never 0 here. (Testing the flags
        // same and rough per pair, and g_x g_y, cost about a sixth of the rule.)
        for (int k = 0; k < n; k++) {
            if (keys[k] < 1.0) {
                secondPass(batch, k, x, i, y, tg, cgx, gx, gy, cgy, wIn, qs, s2Out);
            }
        }
        System.arraycopy(s2Out, 0, s2s, 0, n);
    }

    /**
     * The general rule of {@link #mapPairs} for one pair, by the same operations (so the same
     * bits); the pairs its second pass would take (the key below 1) are left to {@link #mapPairs}.
     */
    @Override
    public boolean mapPair(KernelPair pair, double[] x, int xAt, double[] y, int yAt) {
        final double gx = x[xAt + 2];
        final double gj = y[yAt + 2];
        final double zx = x[xAt];
        final double q = Math.sqrt(x[xAt + 1] + zx * y[yAt + 1] + zx * y[yAt] * pair.s2);
        final double w = pair.c * x[xAt + 5] * y[yAt + 5];
        final double tg = a * a * (2 / Math.PI) * gx;
        // unclamped, as in mapPairs: a value outside [−1, 1] has a key below 1
        final double c1 = tg * gj * KernelMath.atanOnCircle(w, q) + x[xAt + 3] * y[yAt + 3];
        final double key = Math.min((HALF_IN - Math.abs(c1)) * 0x1p60,
                Math.min(Math.abs(w) * 0x1p600, q * (1 / ROUGH_Q)));
        if (key < 1.0) {
            return false;
        }
        pair.c = c1;
        pair.v = 1 - c1;
        pair.s2 = (1 - c1) * (1 + c1);
        // 1/q as KernelMath#atanOnCircle's array form takes it, from its one division
        final double p = 1 + q;
        pair.ntk *= 4 / Math.PI * x[xAt + 4] * y[yAt + 4] * (1 / (q * p) * p);
        return true;
    }

    /**
     * The second pass of {@link #mapPairs} for pair k (y's rows at the batch's index), with the
     * batch's sin²θ still the incoming one and sin²θ' in s2s.
     */
    private void secondPass(KernelBatch batch, int k, KernelRows x, int i, KernelRows y, double tg, double cgx, double gx,
            double[] gy, double[] cgy, double[] wIn, double[] qs, double[] s2s) {
        final double[] cs = batch.c;
        final double[] vs = batch.v;
        final int j = k;
        final boolean zero = gx * gy[j] == 0;
        final boolean same = batch.same[k];
        boolean anti = false;
        // the clamp of cos θ' to [−1, 1] that the first pass leaves to this pass
        final double clamped = Math.min(Math.max(cs[k], -1.0), 1.0);
        cs[k] = clamped;
        vs[k] = 1 - clamped;
        s2s[k] = (1 - clamped) * (1 + clamped);
        if (wIn[k] != 0 && Math.abs(wIn[k]) < 0x1p-600) {
            // atan(w/q) = w/q to double precision here (and w/(1 + q) may have lost digits to underflow)
            final double c1 = Math.min(Math.max(tg * gy[j] * (wIn[k] / qs[k]) + cgx * cgy[j], -1.0), 1.0);
            cs[k] = c1;
            vs[k] = 1 - c1;
            s2s[k] = (1 - c1) * (1 + c1);
        }
        if (same) {
            cs[k] = zero ? 0 : 1;
            vs[k] = zero ? 1 : 0;
            s2s[k] = 0;
        } else if (zero) {
            s2s[k] = 0;
        } else {
            anti = nearEnds(batch, k, x, i, y, j, wIn[k], qs[k], batch.s2[k], s2s, cgx * cgy[j]);
        }
        if (batch.rough[k] && qs[k] < ROUGH_Q) {
            throw roughAngle(qs[k]);
        }
        batch.rough[k] |= !same && cs[k] < -ROUGH && !anti;
    }

    private static boolean any(boolean[] flags, int from, int n) {
        for (int k = from; k < from + n; k++) {
            if (flags[k]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pair rule one pair at a time, with fdlibm's {@link KernelMath#atan}: for batches with
     * an extreme input ({@link #careful}).
     */
    private void mapPairsOneByOne(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final double tScale = a * a * (2 / Math.PI);
        final double dScale = 4 / Math.PI;
        final double zx = x.coefficients[0][i];
        final double tx = x.coefficients[1][i];
        final double gx = x.coefficients[2][i];
        final double cgx = x.coefficients[3][i];
        final double lx = x.coefficients[4][i];
        final double ex = x.coefficients[5][i];
        final double[] zy = y.coefficients[0];
        final double[] ty = y.coefficients[1];
        final double[] gy = y.coefficients[2];
        final double[] cgy = y.coefficients[3];
        final double[] ly = y.coefficients[4];
        final double[] ey = y.coefficients[5];
        final boolean xExtreme = x.extreme != null && x.extreme[i];
        final boolean[] yExtreme = y.extreme;
        for (int k = 0; k < batch.size; k++) {
            final int j = yFrom + k;
            if (xExtreme || yExtreme != null && yExtreme[j]) {
                careful(batch, k, x, i, y, j);
                continue;
            }
            final double c = batch.c[k];
            final double q = Math.sqrt(tx + zx * ty[j] + zx * zy[j] * batch.s2[k]);
            final double invQ = 1 / q;
            final double gg = gx * gy[j];
            boolean anti = false;
            if (batch.same[k]) {
                batch.c[k] = gg == 0 ? 0 : 1;
                batch.v[k] = gg == 0 ? 1 : 0;
                batch.s2[k] = 0;
            } else {
                final double w = c * ex * ey[j];
                double c1 = tScale * KernelMath.atan(w * invQ) * gg + cgx * cgy[j];
                c1 = c1 > 1 ? 1 : c1 < -1 ? -1 : c1;
                batch.c[k] = c1;
                final double s2In = batch.s2[k];
                batch.v[k] = 1 - c1;
                batch.s2[k] = gg == 0 ? 0 : (1 - c1) * (1 + c1);
                if (gg != 0) {
                    anti = nearEnds(batch, k, x, i, y, j, w, q, s2In, batch.s2, cgx * cgy[j]);
                }
            }
            if (batch.rough[k] && q < ROUGH_Q) {
                throw roughAngle(q);
            }
            batch.rough[k] |= !batch.same[k] && batch.c[k] < -ROUGH && !anti;
            batch.ntk[k] *= dScale * lx * ly[j] * invQ;
        }
    }

    /** |cos θ'| above which 1 ∓ cos θ' is taken without cancellation ({@link #nearEnds}). */
    private static final double NEAR = 1 - 1e-4;

    /**
     * NEAR less 2^-40 of it (so that rounding cannot hide an end): |cos θ'| up to this the general
     * rule serves (beyond −NEAR the second pass forms 1 + cos θ' without cancellation where erf is odd).
     */
    private static final double HALF_IN = NEAR * (1 - 0x1p-40);

    /**
     * Pair k (cos θ' in batch.c, its incoming sin²θ s2In) where cos θ' is beyond ±{@link #NEAR}: 1 −
     * cos θ' (into batch.v) and sin²θ' (into s2Out[k]) of nearly collinear outputs by {@link
     * #oneMinusCos}, and, where the offset c is 0 (erf odd: cc = c_x c_y), sin²θ' of nearly
     * anti-collinear ones from 1 + cos θ', {@link #oneMinusCos} of (x, −y); other pairs are left as
     * they are.
     *
     * @return whether the pair was nearly anti-collinear and served here (its angle is then not rough)
     */
    private boolean nearEnds(KernelBatch batch, int k, KernelRows x, int i, KernelRows y, int j, double w, double q,
            double s2In, double[] s2Out, double cc) {
        final double c = batch.c[k];
        if (c > NEAR) {
            final double v = oneMinusCos(x, i, y, j, w, q, s2In, c);
            batch.v[k] = v;
            s2Out[k] = v * (1 + c);
        } else if (c < -NEAR && cc == 0) {
            s2Out[k] = oneMinusCos(x, i, y, j, -w, q, s2In, -c) * (1 - c);
            return true;
        }
        return false;
    }

    /**
     * 1 − cos θ' without cancellation for a pair whose outputs are nearly collinear: with
     * φ_xx = arcsin ζ_x, φ_xy = arcsin w (w = cos θ √(ζ_x ζ_y)), T_xx + T_yy − 2T_xy =
     * a²(2/π)(φ_xx − φ_xy + φ_yy − φ_xy) (c cancels) and each difference from
     * sin(φ_xx − φ_xy) = ζ_x((τ_y − τ_x) + ζ_y sin²θ)/(ζ_x √Q + w √(1 − ζ_x²)),
     * cos(φ_xx − φ_xy) = √(1 − ζ_x²) √Q + ζ_x w; then with ρ = r'_x/r'_y,
     * 1 − cos θ' = ((T_xx + T_yy − 2T_xy)/(r'_x r'_y) − (ρ − 1)²/ρ)/2, then sin²θ' = (1 − cos θ')(1 + cos θ').
     * Where c = 0 (erf is odd) the same with −w gives 1 + cos θ' of a nearly anti-collinear pair:
     * T(x, −y) = −T(x, y), and the pair (x, −y) has the same sin²θ and the w of opposite sign. Why:
     * 1 + cos θ' by subtraction left π − θ' a relative error of about 1e-16/(π − θ')², and a
     * later step layer (rectified_monomial(0)), whose T is (π − θ')/(2π) there, was 5e-8 off.
     *
     * @return 1 − cos θ' of the pair with this w, not below 0
     */
    private double oneMinusCos(KernelRows x, int i, KernelRows y, int j, double w, double q, double s2, double cosOut) {
        double zx = x.coefficients[0][i];
        double zy = y.coefficients[0][j];
        double tx = x.coefficients[1][i];
        double ty = y.coefficients[1][j];
        double cx = x.coefficients[9][i];
        double cy = y.coefficients[9][j];
        // τ_y − τ_x = ζ_x − ζ_y (τ + ζ = 1): from the smaller pair, each known to its last digit (for
        // small pre-activation variances τ is 1 − O(u), and τ_y − τ_x lost every digit of u)
        double dTau = zx + zy < 1 ? zx - zy : ty - tx;
        double dx;
        double dy;
        if (w > 0) {
            // the quotient before the product by ζ: at variances near 1e-160 ζ_x(ζ_x − ζ_y + ζ_y sin²θ)
            // is below the normal range (it underflowed to 0, and 1 − cos θ' with it)
            dx = KernelMath.atan(zx * ((dTau + zy * s2) / (zx * q + w * cx)) / (cx * q + zx * w));
            dy = KernelMath.atan(zy * ((-dTau + zx * s2) / (zy * q + w * cy)) / (cy * q + zy * w));
        } else {
            // φ_xy ≤ 0 ≤ φ_xx: the differences are sums of magnitudes, nothing cancels
            double pxy = KernelMath.atan(w / q);
            dx = KernelMath.atan(zx / cx) - pxy;
            dy = KernelMath.atan(zy / cy) - pxy;
        }
        double rho = x.coefficients[10][i] * y.coefficients[2][j];
        double e = a * a * (2 / Math.PI) * (dx + dy) * (x.coefficients[2][i] * y.coefficients[2][j]);
        // E/(r'_x r'_y) = ρ + 1/ρ − 2 cos θ' = (ρ − 1)²/ρ + 2(1 − cos θ'): the norm term is removed, not
        // added (for ρ near 1, the nearly collinear case, it is tiny and nothing cancels)
        final double norms = (rho - 1) * (rho - 1) / rho;
        if (norms > e / 16 && w > 0 && Math.max(zx, zy) <= 0.5) {
            // the output norms far apart (the erf nearly linear at both variances, which may be
            // orders of magnitude apart): the difference below would cancel (variances 1e-2 and
            // 1e-300, 1e-9 from collinear: 1 − cos θ' was rounding, a sign layer after it 100 % off)
            return oneMinusCosApart(x, i, y, j, w, q, s2, cosOut, zx, zy, tx, ty, dTau);
        }
        double v = 0.5 * (e - norms);
        return v < 0 ? 0 : v;
    }

    /**
     * {@link #oneMinusCos} where the two output norms are far apart, about the collinear pair with
     * the same variances (cos θ = 1, w₀ = √(ζ_x ζ_y), φ₀ = arcsin w₀, cos θ'₀ = (Aφ₀ + c²)/(r'_x r'_y),
     * A = a²(2/π)): sin²θ' = sin²θ'₀ + (cos θ'₀ − cos θ')(cos θ'₀ + cos θ'), both terms without
     * cancellation. cos θ'₀ − cos θ' = A(φ₀ − φ_xy)/(r'_x r'_y), with
     * sin(φ₀ − φ_xy) = w₀ sin²θ/(q + q₀ cos θ) and cos(φ₀ − φ_xy) = q₀q + w₀w (q₀ = √(1 − ζ_xζ_y));
     * sin²θ'₀ = (T(x,x)T(y,y) − T₀²)/(T(x,x)T(y,y)) from arcsin z = z Σ s_i z^{2i}
     * (s_i = (2i)!/(4^i i!²(2i + 1))) as sums of squares:
     * <pre>
     *   φ_xx φ_yy − φ₀² = ζ_xζ_y Σ_{i&lt;j} s_i s_j (ζ_xζ_y)^{2i} (ζ_x^{j−i} − ζ_y^{j−i})²
     *   φ_xx + φ_yy − 2φ₀ = Σ_i s_i (ζ_x^{i+½} − ζ_y^{i+½})²
     *   T(x,x)T(y,y) − T₀² = A²(φ_xx φ_yy − φ₀²) + Ac²(φ_xx + φ_yy − 2φ₀)
     * </pre>
     * each power difference built from ζ_x − ζ_y by ζ_x^k − ζ_y^k = ζ_x(ζ_x^{k−1} − ζ_y^{k−1}) +
     * ζ_y^{k−1}(ζ_x − ζ_y). For ζ_x, ζ_y ≤ ½ {@link #SERIES_TERMS} terms leave out below about 1e-16
     * of the sum. Then 1 − cos θ' = sin²θ'/(1 + cos θ').
     */
    private double oneMinusCosApart(KernelRows x, int i, KernelRows y, int j, double w, double q, double s2,
            double cosOut, double zx, double zy, double tx, double ty, double dTau) {
        final double scale = a * a * (2 / Math.PI);
        final double gx = x.coefficients[2][i];
        final double gy = y.coefficients[2][j];
        final double rx = x.coefficients[5][i]; // √ζ_x
        final double ry = y.coefficients[5][j];
        final double w0 = rx * ry;
        final double q0 = Math.sqrt(tx + zx * ty); // 1 − ζ_xζ_y = τ_x + ζ_xτ_y
        final double cosIn = w / w0;
        final double dPhi = KernelMath.atan(w0 * s2 / (q + q0 * cosIn) / (q0 * q + w0 * w));
        final double dCos = scale * (dPhi * (gx * gy));
        final double cc = x.coefficients[3][i] * y.coefficients[3][j]; // c²/(r'_x r'_y)
        final double cos0 = scale * (KernelMath.atan(w0 / q0) * (gx * gy)) + cc;
        // the two series, with d = ζ_x − ζ_y (dTau, as ζ_x + ζ_y ≤ 1)
        final double d = dTau;
        final double prod = zx * zy;
        double[] pw = new double[SERIES_TERMS]; // pw[k] = ζ_x^k − ζ_y^k
        double zyk = 1; // ζ_y^(k−1)
        for (int k = 1; k < SERIES_TERMS; k++) {
            pw[k] = zx * pw[k - 1] + zyk * d;
            zyk *= zy;
        }
        double sA = 0;
        double sC = 0;
        double si = 1; // s_i
        double prodPow = 1; // (ζ_xζ_y)^(2i)
        double half = d / (rx + ry); // √ζ_x − √ζ_y, then ζ_x^{i+½} − ζ_y^{i+½}
        double zyHalf = ry; // ζ_y^{i+½}
        for (int ii = 0; ii < SERIES_TERMS; ii++) {
            sC += si * half * half;
            double sj = si;
            for (int jj = ii + 1; jj < SERIES_TERMS; jj++) {
                sj *= (2.0 * jj - 1) * (2.0 * jj - 1) / (2.0 * jj * (2.0 * jj + 1));
                final double p = pw[jj - ii];
                sA += si * sj * prodPow * p * p;
            }
            half = zx * half + zyHalf * d;
            zyHalf *= zy;
            prodPow *= prod * prod;
            si *= (2.0 * ii + 1) * (2.0 * ii + 1) / ((2.0 * ii + 2) * (2.0 * ii + 3));
        }
        // sin²θ'₀ = (A²ζ_xζ_y sA + A c² sC)/(T(x,x)T(y,y)), each factor over r'² taken apart
        final double s0 = scale * zx * (gx * gx) * (scale * zy * (gy * gy)) * sA + scale * sC * cc * (gx * gy);
        final double sin2 = s0 + dCos * (cos0 + cosOut);
        final double v = sin2 / (1 + cosOut);
        return v < 0 ? 0 : v;
    }

    /**
     * Terms of {@link #oneMinusCosApart}'s series. For ζ ≤ ½ a term falls like (2k + 1)² 2^(−2k)
     * against the first, so what is left out is below about 1e-16 of the sum.
     */
    private static final int SERIES_TERMS = 30;

    /**
     * √Q below which a rough angle (sin²θ with an absolute error of a few 1e-16, see
     * {@link KernelBatch#rough}) would cost this rule more than 1e-12 relative in Ṫ.
     */
    private static final double ROUGH_Q = 0.1;

    private io.github.ntk4j.Ntk4jException roughAngle(double q) {
        return Messages.ruleOutOfRange("activation " + spec(), "√(1 − ζ_x ζ_y cos²θ) for two inputs made nearly collinear"
                + " by an earlier saturating layer (whose angle is known only to about 1e-16), on which this saturated"
                + " layer's derivative kernel depends", "about " + ScaledDouble.of(q).magnitude());
    }

    /** The pair rule for inputs at the edge of the double range: Q and 1/√Q as scaled doubles. */
    private void careful(KernelBatch batch, int k, KernelRows x, int i, KernelRows y, int j) {
        final double c = batch.c[k];
        final double s2 = batch.s2[k];
        double zx = x.coefficients[0][i];
        ScaledDouble tauX = ScaledDouble.of(x.coefficients[7][i], (long) x.coefficients[8][i]);
        ScaledDouble tauY = ScaledDouble.of(y.coefficients[7][j], (long) y.coefficients[8][j]);
        ScaledDouble tauTerms = tauX.add(tauY.multiply(zx));
        ScaledDouble qq = tauTerms.add(ScaledDouble.of(zx * y.coefficients[0][j] * s2)).sqrt();
        if (!batch.same[k] && qq.exponent() < -507 && s2 > 0 && s2 < 0x1p-960) {
            // sin²θ is carried to an absolute 2^-1074 at best: too coarse for a Q below 2^-1014
            throw Messages.ruleOutOfRange("activation " + spec(), "√(1 − ζ_x ζ_y cos²θ) for two inputs whose pre-activation"
                    + " variance is about " + ScaledDouble.ONE.divide(tauX.add(tauY)).magnitude()
                    + " and whose angle is too small to be carried in a double", "about " + qq.magnitude());
        }
        if (batch.rough[k] && qq.compareTo(ScaledDouble.of(ROUGH_Q)) < 0) {
            throw roughAngle(qq.doubleValue());
        }
        double gg = x.coefficients[2][i] * y.coefficients[2][j];
        boolean zero = x.coefficients[2][i] == 0 || y.coefficients[2][j] == 0;
        if (batch.same[k]) {
            batch.c[k] = zero ? 0 : 1;
            batch.v[k] = zero ? 1 : 0;
            batch.s2[k] = 0;
        } else {
            double arg = ScaledDouble.of(c * x.coefficients[5][i] * y.coefficients[5][j]).divide(qq).doubleValue();
            double c1;
            if (Math.abs(arg) < 0x1p-30) {
                // atan(arg) = arg to double precision; g may not fit a double here, √ζ/r' does
                c1 = ScaledDouble.of(a * a * (2 / Math.PI) * c * x.coefficients[6][i] * y.coefficients[6][j])
                        .divide(qq).doubleValue();
            } else {
                c1 = a * a * (2 / Math.PI) * KernelMath.atan(arg) * gg;
            }
            c1 += x.coefficients[3][i] * y.coefficients[3][j];
            c1 = c1 > 1 ? 1 : c1 < -1 ? -1 : c1;
            batch.c[k] = c1;
            batch.v[k] = 1 - c1;
            batch.s2[k] = zero ? 0 : (1 - c1) * (1 + c1);
        }
        batch.rough[k] |= !batch.same[k] && Math.abs(batch.c[k]) > ROUGH;
        ScaledDouble f = ScaledDouble.of(4 / Math.PI * x.coefficients[4][i] * y.coefficients[4][j]).divide(qq);
        ScaledDouble ratio = f.multiply(batch.ntk[k]);
        if (!ratio.fitsDouble() && ratio.exponent() > 0) {
            throw Messages.ruleOutOfRange("activation " + spec(), "the NTK relative to the NNGP scale",
                    "about " + ratio.magnitude());
        }
        batch.ntk[k] = ratio.doubleValue();
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
