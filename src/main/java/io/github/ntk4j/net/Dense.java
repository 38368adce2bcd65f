package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelPair;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;

/**
 * A fully connected layer, neural-tangents' {@code stax.Dense(out_dim, W_std, b_std,
 * parameterization)}.
 * <ul>
 * <li>NTK parameterisation (docs/KERNEL-RECURSION.md §2): h = (W_std/√n) W g + b_std b with W, b entries
 * i.i.d. N(0, 1) and n the fan-in.</li>
 * <li>Standard parameterisation ({@link Parameterization#STANDARD}, Sohl-Dickstein et al. 2020):
 * W entries N(0, W_std²/N), b entries N(0, b_std²), N the base fan-in ({@link KernelBatch#fanIn}).
 * Same function at initialisation, different gradients.</li>
 * </ul>
 *
 * <p>Kernel rule (docs/KERNEL-RECURSION.md §3, neural-tangents' {@code Dense.kernel_fn}): K ← W_std² K + b_std²
 * in both; Θ ← K_new + W_std² Θ (NTK) or Θ ← N·K_old + W_std² Θ + 1 (standard); and for the
 * quantities that cancel (§5): D ← W_std⁴ D + W_std² b_std² E, E ← W_std² E; applied in the
 * scale-free form of {@link #mapPairs}.
 *
 * @param wStd the weight standard deviation W_std ≥ 0
 * @param bStd the bias standard deviation b_std ≥ 0
 * @param parameterization NTK or standard
 */
public record Dense(double wStd, double bStd, Parameterization parameterization) implements Layer {

    /**
     * Checks the standard deviations.
     *
     * @param wStd W_std, finite and ≥ 0
     * @param bStd b_std, finite and ≥ 0
     * @param parameterization NTK or standard, not null
     */
    public Dense {
        check("W_std", wStd);
        check("b_std", bStd);
        if (parameterization == null) {
            throw Messages.invalid("the parameterization of a dense layer is null");
        }
    }

    /**
     * A Dense layer in NTK parameterisation. Both arguments are standard deviations; there is no
     * width argument, because the layer is infinitely wide here (in neural-tangents'
     * {@code stax.Dense(out_dim, W_std, b_std)} the first argument is the width, so
     * {@code Dense(512, 1.5)} would be W_std = 512, b_std = 1.5, not a width of 512; so this
     * constructor is not public: outside the package a layer is made by the named factories
     * {@link Layers#dense(double, double)} and {@link Layers#denseStandard(double, double)}, or by
     * the canonical constructor that names the parameterisation). Finite widths are given where
     * finite networks are made ({@code FiniteNetwork}, {@code MonteCarloKernel}).
     *
     * @param wStd the weights' standard deviation W_std, finite and ≥ 0
     * @param bStd the biases' standard deviation b_std, finite and ≥ 0
     */
    Dense(double wStd, double bStd) {
        this(wStd, bStd, Parameterization.NTK);
    }

    /**
     * @param p the parameterisation
     * @return this layer with parameterisation p
     */
    public Dense with(Parameterization p) {
        return p == parameterization ? this : new Dense(wStd, bStd, p);
    }

    /** @return whether this layer is in standard parameterisation */
    public boolean standard() {
        return parameterization == Parameterization.STANDARD;
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
     * when r' = 0), κ = p·q and m = W_std·s/s' with the NTK scales s of {@link KernelBatch#ntk}
     * (r, or 1 for a scale of 0; m = p unless an input has scale 0); in standard
     * parameterisation also u = r/s' and g = 1/s'. Refused when one of them would be beyond
     * 1e150 (their products per pair must fit a double).
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        int n = scaleIn.length;
        ScaledDouble[] out = new ScaledDouble[n];
        double[] ps = new double[n];
        double[] qs = new double[n];
        double[] ks = new double[n];
        double[] ms = new double[n];
        final boolean std = standard();
        double[] us = std ? new double[n] : null;
        double[] gs = std ? new double[n] : null;
        ScaledDouble w = null; // the ScaledDouble rule's constants, made when a row first needs them
        ScaledDouble b = null;
        ScaledDouble b2 = null;
        // The same rule in plain doubles when W_std, b_std and the input scale are all 0 or within
        // 2^±240: then every intermediate is a normal double (or 0) below 2^481 < 1e150, so each
        // operation rounds exactly as its ScaledDouble counterpart (whose mantissas carry the same
        // 53 bits) and the 1e150 refusal cannot apply. Measured reason: the ScaledDouble rule was
        // the largest share of the single-pair path's time (NtkRecursion#pair, JFR samples).
        final boolean fast = moderate(wStd) && moderate(bStd);
        for (int i = 0; i < n; i++) {
            if (fast && moderate(scaleIn[i])) {
                double s = scaleIn[i].doubleValue();
                double wrd = s * wStd;
                double rd = Math.sqrt(wrd * wrd + bStd * bStd);
                out[i] = ScaledDouble.of(rd);
                if (rd != 0) {
                    ps[i] = wrd / rd;
                    qs[i] = bStd / rd;
                    ks[i] = ps[i] * qs[i];
                }
                double sOutD = rd == 0 ? 1 : rd;
                ms[i] = (s == 0 ? 1 : s) * wStd / sOutD;
                if (std) {
                    us[i] = s / sOutD;
                    gs[i] = 1 / sOutD;
                }
                continue;
            }
            if (w == null) {
                w = ScaledDouble.of(wStd);
                b = ScaledDouble.of(bStd);
                b2 = b.multiply(b);
            }
            ScaledDouble wr = scaleIn[i].multiply(w);
            ScaledDouble r = wr.multiply(wr).add(b2).sqrt();
            out[i] = r;
            if (!r.isZero()) {
                ps[i] = wr.divide(r).doubleValue();
                qs[i] = b.divide(r).doubleValue();
                ks[i] = ps[i] * qs[i];
            }
            // NTK scales (KernelBatch#ntk): r, or 1 for a scale of 0
            ScaledDouble sIn = scaleIn[i].isZero() ? ScaledDouble.ONE : scaleIn[i];
            ScaledDouble sOut = r.isZero() ? ScaledDouble.ONE : r;
            ScaledDouble m = sIn.multiply(w).divide(sOut);
            ScaledDouble g = ScaledDouble.ONE.divide(sOut);
            ScaledDouble u = scaleIn[i].divide(sOut);
            if (m.log10() > 150 || std && (g.log10() > 150 || u.log10() > 150)) {
                throw Messages.ruleOutOfRange("dense layer " + spec(), "the output scale", "about " + r.magnitude()
                        + " (with its input scale " + scaleIn[i].magnitude() + ", too small for the NTK terms"
                        + (std ? " N·K/(r'_x r'_y), W_std²Θ/(r'_x r'_y) and 1/(r'_x r'_y)" : " W_std²Θ/(r'_x r'_y)")
                        + " to fit a double)");
            }
            ms[i] = m.doubleValue();
            if (std) {
                us[i] = u.doubleValue();
                gs[i] = g.doubleValue();
            }
        }
        return new KernelRows(scaleIn, out, std ? new double[][] {ps, qs, ks, ms, us, gs} : new double[][] {ps, qs, ks, ms},
                null);
    }

    /** Bound of {@link #mapRows}' plain-double rule: binary exponents within ±240. */
    private static final int MODERATE_EXPONENT = 240;

    private static boolean moderate(double v) {
        return v == 0 || Math.abs(Math.getExponent(v)) < MODERATE_EXPONENT;
    }

    private static boolean moderate(ScaledDouble v) {
        return v.isZero() || Math.abs(v.exponent()) < MODERATE_EXPONENT;
    }

    /**
     * Pair rule, scale-free (x, y any two inputs, p, q, κ their coefficients from
     * {@link #mapRows}): in the augmented feature space the layer maps the unit vectors of x and
     * y to (p_x x̂, q_x) and (p_y ŷ, q_y), so
     * <pre>
     *   cos θ' = p_x p_y cos θ + q_x q_y
     *   1 − cos θ' = ((p_x − p_y)² + (q_x − q_y)²)/2 + p_x p_y (1 − cos θ)
     *   sin²θ' = (p_x p_y)² sin²θ + (p_x q_y − p_y q_x)² + 2 κ_x κ_y (1 − cos θ)
     *   Θ'/(s'_x s'_y) = cos θ' + m_x m_y · Θ/(s_x s_y)                        (NTK)
     *   Θ'/(s'_x s'_y) = N u_x u_y cos θ + m_x m_y · Θ/(s_x s_y) + g_x g_y       (standard)
     * </pre>
     * the second being D' = W⁴D + W²b²E (docs/KERNEL-RECURSION.md §5) divided by Σ'xxΣ'yy: every term is
     * non-negative and at most 1 (p² + q² = 1 gives the second), so nothing cancels,
     * overflows or underflows. The standard NTK rule Θ' = N·K + W_std²Θ + 1 divided by
     * √(Σ'xxΣ'yy), with u = r/r' and g = 1/r' from {@link #mapRows}, is a sum of three terms
     * that keep their sign, so it loses no digits either.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        if (yFrom != 0) {
            // y's rows at the batch's own index, so that the loops below vectorise (KernelBatch#slice)
            mapPairs(batch, x, i, batch.slice(y, yFrom), 0);
            return;
        }
        final double px = x.coefficients[0][i];
        final double qx = x.coefficients[1][i];
        final double kx = 2 * x.coefficients[2][i];
        final double[] py = y.coefficients[0];
        final double[] qy = y.coefficients[1];
        final double[] ky = y.coefficients[2];
        final double mx = x.coefficients[3][i];
        final double[] my = y.coefficients[3];
        final double[] cs = batch.c;
        final double[] vs = batch.v;
        final double[] s2s = batch.s2;
        final double[] ntk = batch.ntk;
        final int n = batch.size;
        if (standard()) {
            final double nu = batch.fanIn * x.coefficients[4][i];
            final double gx = x.coefficients[5][i];
            final double[] uy = y.coefficients[4];
            final double[] gy = y.coefficients[5];
            // two loops, short enough for C2 to vectorise (see the NTK-parameterisation rule below)
            sinSquared(px, qx, kx, py, qy, ky, vs, s2s, n);
            for (int k = 0; k < n; k++) {
                final double pj = py[k];
                final double qj = qy[k];
                final double c = cs[k];
                final double pp = px * pj;
                final double dp = px - pj;
                final double dq = qx - qj;
                cs[k] = pp * c + qx * qj;
                vs[k] = 0.5 * (dp * dp + dq * dq) + pp * vs[k];
                ntk[k] = nu * uy[k] * c + mx * my[k] * ntk[k] + gx * gy[k];
            }
            return;
        }
        if (bStd == 0) {
            // q = 0: the angle is unchanged (p is 1, or 0 for a zero input)
            for (int k = 0; k < n; k++) {
                double pp = px * py[k];
                double c = pp * cs[k];
                cs[k] = c;
                vs[k] = pp * vs[k];
                s2s[k] = pp * pp * s2s[k];
                ntk[k] = c + mx * my[k] * ntk[k];
            }
            return;
        }
        // two loops, each short enough for C2 to unroll and vectorise it (one loop holding the whole
        // rule runs scalar: 2.4 against 0.8 ns per pair in isolation); sin²θ' first, as it reads
        // the incoming 1 − cos θ
        sinSquared(px, qx, kx, py, qy, ky, vs, s2s, n);
        for (int k = 0; k < n; k++) {
            final double pj = py[k];
            final double qj = qy[k];
            final double pp = px * pj;
            final double c1 = pp * cs[k] + qx * qj;
            final double dp = px - pj;
            final double dq = qx - qj;
            cs[k] = c1;
            vs[k] = 0.5 * (dp * dp + dq * dq) + pp * vs[k];
            ntk[k] = c1 + mx * my[k] * ntk[k];
        }
    }

    /**
     * The rule of {@link #mapPairs} for one pair: the same operations in the same order (the
     * static methods below), so the same bits, which PairGramAgreementTest checks. The batch loops
     * spell the formulas out instead of calling these methods: HotSpot's C2 (JDK 17) stopped
     * vectorising loops whose bodies were calls (KernelMath#atanSeries).
     */
    @Override
    public boolean mapPair(KernelPair pair, double[] x, int xAt, double[] y, int yAt) {
        final double px = x[xAt];
        final double pj = y[yAt];
        final double mx = x[xAt + 3];
        final double mj = y[yAt + 3];
        final double c = pair.c;
        final double v = pair.v;
        if (bStd == 0 && !standard()) {
            final double pp = px * pj;
            final double c1 = pp * c;
            pair.c = c1;
            pair.v = pp * v;
            pair.s2 = pp * pp * pair.s2;
            pair.ntk = ntk(c1, mx, mj, pair.ntk);
            return true;
        }
        final double qx = x[xAt + 1];
        final double qj = y[yAt + 1];
        pair.s2 = sinSquared(px, qx, 2 * x[xAt + 2], pj, qj, y[yAt + 2], v, pair.s2);
        final double c1 = cosine(px, qx, pj, qj, c);
        pair.c = c1;
        pair.v = oneMinusCosine(px, qx, pj, qj, v);
        pair.ntk = standard() ? standardNtk(pair.fanIn * x[xAt + 4], y[yAt + 4], c, mx, mj, pair.ntk, x[xAt + 5],
                y[yAt + 5]) : ntk(c1, mx, mj, pair.ntk);
        return true;
    }

    /** cos θ' = p_x p_y cos θ + q_x q_y. */
    private static double cosine(double px, double qx, double pj, double qj, double c) {
        return px * pj * c + qx * qj;
    }

    /** 1 − cos θ' = ((p_x − p_y)² + (q_x − q_y)²)/2 + p_x p_y (1 − cos θ). */
    private static double oneMinusCosine(double px, double qx, double pj, double qj, double v) {
        final double dp = px - pj;
        final double dq = qx - qj;
        return 0.5 * (dp * dp + dq * dq) + px * pj * v;
    }

    /** Θ'/(s'_x s'_y) = cos θ' + m_x m_y · Θ/(s_x s_y) (NTK parameterisation). */
    private static double ntk(double c1, double mx, double mj, double ntk) {
        return c1 + mx * mj * ntk;
    }

    /** Θ'/(s'_x s'_y) = N u_x u_y cos θ + m_x m_y · Θ/(s_x s_y) + g_x g_y (standard; nu is N u_x). */
    private static double standardNtk(double nu, double uj, double c, double mx, double mj, double ntk, double gx,
            double gj) {
        return nu * uj * c + mx * mj * ntk + gx * gj;
    }

    /**
     * sin²θ' = (p_x p_y)² sin²θ + (p_x q_y − p_y q_x)² + 2κ_x κ_y (1 − cos θ) for the n pairs
     * (both parameterisations; kx is 2κ_x), from the incoming 1 − cos θ in vs: a loop of its own, short enough for C2
     * to vectorise. No clamping (it would keep the JIT from vectorising the loop): rounding may
     * leave sin²θ' a few ulps above 1, which every rule accepts.
     */
    private static void sinSquared(double px, double qx, double kx, double[] py, double[] qy, double[] ky, double[] vs,
            double[] s2s, int n) {
        for (int k = 0; k < n; k++) {
            final double pj = py[k];
            final double pp = px * pj;
            final double rot = px * qy[k] - pj * qx;
            s2s[k] = pp * pp * s2s[k] + rot * rot + kx * ky[k] * vs[k];
        }
    }

    /** sin²θ' of one pair (kx is 2κ_x), the operations of {@link #sinSquared(double, double, double, double[], double[], double[], double[], double[], int)}'s loop. */
    private static double sinSquared(double px, double qx, double kx, double pj, double qj, double kj, double v,
            double s2) {
        final double pp = px * pj;
        final double rot = px * qj - pj * qx;
        return pp * pp * s2 + rot * rot + kx * kj * v;
    }

    @Override
    public String spec() {
        return "dense(" + Activation.num(wStd) + "," + Activation.num(bStd)
                + (standard() ? "," + parameterization.token() : "") + ")";
    }
}
