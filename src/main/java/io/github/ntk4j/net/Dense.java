package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelBatch;
import io.github.ntk4j.math.KernelRows;
import io.github.ntk4j.math.ScaledDouble;

/**
 * A fully connected layer in NTK parameterisation (docs/KERNEL-RECURSION.md §2, neural-tangents'
 * {@code stax.Dense(out_dim, W_std, b_std, parameterization='ntk')}):
 * h = (W_std/√n) W g + b_std b with W, b entries i.i.d. N(0, 1) and n the fan-in.
 *
 * <p>Kernel rule (docs/KERNEL-RECURSION.md §3): K ← W_std² K + b_std², Θ ← K + W_std² Θ; and for the
 * quantity that cancels (§5): D ← W_std⁴ D + W_std² b_std² E with E = Σxx + Σyy − 2Σxy,
 * applied in the scale-free form of {@link #mapPairs}.
 *
 * @param wStd the weight standard deviation W_std ≥ 0
 * @param bStd the bias standard deviation b_std ≥ 0
 */
public record Dense(double wStd, double bStd) implements Layer {

    /**
     * Checks the standard deviations.
     *
     * @param wStd W_std, finite and ≥ 0
     * @param bStd b_std, finite and ≥ 0
     */
    public Dense {
        check("W_std", wStd);
        check("b_std", bStd);
    }

    private static void check(String what, double v) {
        if (!Double.isFinite(v)) {
            throw Messages.notFinite(what, v);
        }
        if (v < 0) {
            throw Messages.negativeStd(what, v);
        }
    }

    @Override
    public double mapVariance(double kxx) {
        return wStd * wStd * kxx + bStd * bStd;
    }

    /**
     * Per input: r' = √(W_std² r² + b_std²) (as a scaled double, so W_std·r may exceed the
     * double range), and the coefficients p = W_std·r/r', q = b_std/r' (p² + q² = 1; both 0
     * when r' = 0) and κ = p·q.
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn) {
        int n = scaleIn.length;
        ScaledDouble[] out = new ScaledDouble[n];
        double[] ps = new double[n];
        double[] qs = new double[n];
        double[] ks = new double[n];
        ScaledDouble w = ScaledDouble.of(wStd);
        ScaledDouble b = ScaledDouble.of(bStd);
        ScaledDouble b2 = b.multiply(b);
        for (int i = 0; i < n; i++) {
            ScaledDouble wr = scaleIn[i].multiply(w);
            ScaledDouble r = wr.multiply(wr).add(b2).sqrt();
            out[i] = r;
            if (!r.isZero()) {
                ps[i] = wr.divide(r).doubleValue();
                qs[i] = b.divide(r).doubleValue();
                ks[i] = ps[i] * qs[i];
            }
        }
        return new KernelRows(scaleIn, out, new double[][] {ps, qs, ks}, null);
    }

    /**
     * Pair rule, scale-free (x, y any two inputs, p, q, κ their coefficients from
     * {@link #mapRows}): in the augmented feature space the layer maps the unit vectors of x and
     * y to (p_x x̂, q_x) and (p_y ŷ, q_y), so
     * <pre>
     *   cos θ' = p_x p_y cos θ + q_x q_y
     *   1 − cos θ' = ((p_x − p_y)² + (q_x − q_y)²)/2 + p_x p_y (1 − cos θ)
     *   sin²θ' = (p_x p_y)² sin²θ + (p_x q_y − p_y q_x)² + 2 κ_x κ_y (1 − cos θ)
     *   Θ'/√(Σ'xxΣ'yy) = cos θ' + p_x p_y · Θ/√(ΣxxΣyy)
     * </pre>
     * the second being D' = W⁴D + W²b²E (docs/KERNEL-RECURSION.md §5) divided by Σ'xxΣ'yy: every term is
     * non-negative and at most 1 (p² + q² = 1 gives the second), so nothing cancels,
     * overflows or underflows.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final double px = x.coefficients[0][i];
        final double qx = x.coefficients[1][i];
        final double kx = 2 * x.coefficients[2][i];
        final double[] py = y.coefficients[0];
        final double[] qy = y.coefficients[1];
        final double[] ky = y.coefficients[2];
        final double[] cs = batch.c;
        final double[] vs = batch.v;
        final double[] s2s = batch.s2;
        final double[] ntk = batch.ntk;
        final int n = batch.size;
        if (bStd == 0) {
            // q = 0: the angle is unchanged (p is 1, or 0 for a zero input)
            for (int k = 0; k < n; k++) {
                double pp = px * py[yFrom + k];
                double c = pp * cs[k];
                cs[k] = c;
                vs[k] = pp * vs[k];
                s2s[k] = pp * pp * s2s[k];
                ntk[k] = c + pp * ntk[k];
            }
            return;
        }
        for (int k = 0; k < n; k++) {
            final int j = yFrom + k;
            final double pj = py[j];
            final double qj = qy[j];
            final double c = cs[k];
            final double s2 = s2s[k];
            final double pp = px * pj;
            final double vers = vs[k];
            final double c1 = pp * c + qx * qj;
            final double dp = px - pj;
            final double dq = qx - qj;
            final double rot = px * qj - pj * qx;
            // no clamping (it would keep the JIT from vectorising the loop): rounding may leave
            // sin²θ' a few ulps above 1, which every rule accepts
            cs[k] = c1;
            vs[k] = 0.5 * (dp * dp + dq * dq) + pp * vers;
            s2s[k] = pp * pp * s2 + rot * rot + kx * ky[j] * vers;
            ntk[k] = c1 + pp * ntk[k];
        }
    }

    @Override
    public String spec() {
        return "dense(" + Activation.num(wStd) + "," + Activation.num(bStd) + ")";
    }
}
