package io.github.ntk4j.net;

import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;

/**
 * The output's D' = T(x,x)T(y,y) − T² and E' = T(x,x) + T(y,y) − 2T of a smooth activation
 * without cancellation for nearly collinear pairs (docs/KERNEL-RECURSION.md §5), where forming them by
 * subtraction would leave only absolute accuracy and a following ReLU-type layer, whose angle
 * comes from √D', would lose half the digits (measured: 3e-10 relative after gelu → relu).
 *
 * <p>With T0 = T(Σxx, √(ΣxxΣyy), Σyy), the dual at the collinear pair with the same variances,
 * <pre>
 *   D' = G + (T0 − T)(T0 + T),   E' = H + 2(T0 − T)
 *   G  = T(x,x)T(y,y) − T0² = ½ E[(φ(σx z)φ(σy z') − φ(σx z')φ(σy z))²]    (z, z' independent)
 *   H  = T(x,x) + T(y,y) − 2T0 = E[(φ(σx z) − φ(σy z))²]
 *   T0 − T = ∫_Σxy^√(ΣxxΣyy) Ṫ dc   (Gauss–Legendre in u = √(√(ΣxxΣyy) − c); the interval is D/(√(ΣxxΣyy) + Σxy))
 * </pre>
 * G and H are expectations of squares: no cancellation. G is taken for the activation scaled to
 * unit mean square at each variance (see {@link #carry}), so that it stays a sum of small squares
 * whatever the ratio of the two variances, and both are evaluated by a one-dimensional
 * Gauss–Legendre rule whose panels shrink geometrically towards z = 0 down to 1/(16σ) ({@link
 * #rule}): φ(σz) turns on the scale 1/σ there, where G of a nearly homogeneous activation
 * lives (GELU at variance 1.2e33 against 1.8e15: the 40-node Gauss–Hermite rule used before
 * missed it, and the NTK of an erf layer after it was 3e-10 off). Used only when the plain
 * difference would cancel (D' below 1e-3 of T(x,x)T(y,y)).
 */
final class CollinearDefect {
    /** Gauss–Legendre nodes and weights on [−1, 1] of 6 points, for the gap T0 − T ({@link #carry}). */
    private static final double[] GAP_X;
    private static final double[] GAP_W;
    /** Gauss–Legendre nodes per panel of {@link #rule}, and the rule's nodes and weights on [−1, 1]. */
    private static final int PANEL = 12;
    private static final double[] GL_X;
    private static final double[] GL_W;
    static {
        LegendreRuleFactory legendre = new LegendreRuleFactory();
        org.hipparchus.util.Pair<double[], double[]> gap = legendre.getRule(6);
        GAP_X = gap.getFirst().clone();
        GAP_W = gap.getSecond().clone();
        org.hipparchus.util.Pair<double[], double[]> r = legendre.getRule(PANEL);
        GL_X = r.getFirst().clone();
        GL_W = r.getSecond().clone();
    }
    /** Outer panel edges on z ≥ 0 beyond 1; the standard normal density is below 1e-31 past 12. */
    private static final double[] OUTER = {1, 2, 3, 4, 6, 8, 12};
    /** Rules by their number of inner panels ({@link #rule}), built on first use. */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<double[]> RULES =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(1200);

    /** Relative size of D' below which the plain difference loses too many digits. */
    static final double CANCELLATION = 1e-3;

    private CollinearDefect() {
    }

    /**
     * Sets D' and E' of pair k from T (already computed), T(x,x), T(y,y), by subtraction when
     * that is accurate and by the formulas above otherwise.
     */
    static void carry(Activation act, CovarianceBatch p, int k, double t) {
        carry(act, p, k, t, Double.NaN);
    }

    /**
     * {@link #carry(Activation, CovarianceBatch, int, double)} given T0 − T where the caller has it
     * ({@link #collinearSeries}), NaN otherwise.
     */
    static void carry(Activation act, CovarianceBatch p, int k, double t, double knownGap) {
        double txx = p.kxxOut[k];
        double tyy = p.kyyOut[k];
        double dPlain = txx * tyy - t * t;
        double a = p.kxx[k];
        double b = p.kyy[k];
        double c = p.kxy[k];
        // inputs on the anti-collinear side (c < 0): the same formulas about the anti-collinear pair
        // (c = −√(ΣxxΣyy), φ(σy z) replaced by φ(−σy z)), D' = G1 + (T1 − T)(T1 + T) and
        // E' = H1 + 2(T1 − T), whose gap T − T1 is an integral over the short way, from −√(ΣxxΣyy)
        // to c. Why: an odd activation's nearly anti-collinear outputs had D' by subtraction (sin,
        // inputs 2.3e-7 from anti-collinear: a ReLU layer after it 2.8e-5 off in the NTK), and an
        // even one's nearly collinear outputs took T0 − T as an integral across the whole segment
        // from c to √(ΣxxΣyy), which is nearly 0 and cancelled (hermite(4), inputs 1e-8 from
        // anti-collinear: 4e-7 two layers on)
        boolean anti = c < 0;
        // where T(x,x)T(y,y) underflows (output variances below about 1e-154) the plain difference
        // and its bound are rounding: the test in the scale-free cos θ' instead (GELU after inputs of
        // variance 1e-160, 1e-9 from anti-collinear, took the difference, and a step layer after it
        // was 5.5e-8 off)
        final double tt = txx * tyy;
        final boolean tiny = !(tt >= 0x1p-900);
        final double tn = t / Math.sqrt(txx) / Math.sqrt(tyy);
        if ((tiny ? (1 - tn) * (1 + tn) >= CANCELLATION : dPlain >= CANCELLATION * tt) || a <= 0 || b <= 0
                || t <= 0 && !anti) {
            p.d[k] = Math.max(dPlain, 0);
            p.e[k] = Math.max(txx + tyy - 2 * t, 0);
            if (tiny && a > 0 && b > 0 && txx > 0 && tyy > 0) {
                p.cosOut[k] = tn;
                p.sin2Out[k] = Math.max((1 - tn) * (1 + tn), 0);
            }
            return;
        }
        double c0 = Math.sqrt(a) * Math.sqrt(b);
        // the distance of c from the reference pair's ±c0: D/(c0 + |c|) = c0 sin²θ/(1 + |cos θ|), from
        // the scale-free state (D = ΣxxΣyy sin²θ is subnormal where the variances are below about
        // 1e-154: GELU's after inputs of variance 1e-160, 1e-9 from collinear, lost 1e-7 of the angle)
        double delta = c0 * (p.sin2[k] / (1 + Math.abs(p.cos[k])));
        // T0 − T = ∫_c^c0 Ṫ dc' = ∫_0^√δ 2u Ṫ(c0 − u²) du by 6-point Gauss–Legendre in u, with D at
        // each node as u²(2c0 − u²), never ΣxxΣyy − c'² (which has only ~1e-16·ΣxxΣyy absolute
        // accuracy: GELU at Σxx = 1.2e33, Σyy = 1.8e15, D = 6.8e32 lost 1.3e-9 of D' to it). In u
        // the square-root behaviour of Ṫ at c0 (a kink of φ, or D ≫ 1 + Σxx + Σyy, where Ṫ
        // follows the angle) is a polynomial term: Simpson's rule in c' left 2.9e-10 of D' for GELU
        // at Σxx = Σyy = 1e20, D = 1e25. Ṫ may still turn inside the interval (GELU where D falls
        // through 1 + Σxx + Σyy): the rule is applied adaptively (gap())
        double gap = anti ? Double.NaN
                : knownGap >= 0 ? knownGap : act instanceof QuadratureActivation q && q.smooth() ? seriesGap(p, k, a, b, delta) : Double.NaN;
        if (!(gap >= 0)) {
            double root = Math.sqrt(delta);
            double whole = gapPanel(act, a, b, c0, anti, 0, root);
            gap = act.dualDerivativeInClosedForm() ? gap(act, a, b, c0, anti, 0, root, whole, 0x1p-50 * Math.abs(whole), 0)
                    : whole;
        }
        // T_ref − T, the reference pair's T less this one's: ∫_c^c0 Ṫ, or −∫_−c0^c Ṫ
        double toRef = anti ? -gap : gap;
        double sx = Math.sqrt(a);
        double sy = Math.sqrt(b);
        double[] closed = act.collinearDefect(a, b, anti);
        if (closed != null) {
            setDefect(p, k, closed[0], closed[0] / txx / tyy, closed[1], toRef, t);
            return;
        }
        // G from A = φ(σx z)/√T(x,x) and φ(σy z)/√T(y,y) = A + B, which have the same mean square,
        // so that B is small wherever the activation is nearly homogeneous (of any degree) at
        // these scales. Un-normalised, σx ≫ σy left a ReLU-like φ(σx z) − φ(σy z) of the size of
        // φ(σx z), and the products cancelled to nothing (GELU at Σxx = 1.2e33, Σyy = 1.8e15: D'
        // ten times too large with x first, right with y first). With z, z' independent,
        // ½E[(A(z)B(z') − A(z')B(z))²] = E[A²]E[B⊥²], B⊥ = B − βA the part of B orthogonal to A
        // (β = E[AB]/E[A²]): a sum of squares again, in one dimension
        double[] rule = rule(Math.max(sx, sy));
        int n = rule.length / 2;
        double nx = 1 / Math.sqrt(txx);
        double ny = 1 / Math.sqrt(tyy);
        double[] fxs = valuesAtNodes(act, p, sx, rule, n);
        // φ(−σy z) about the anti-collinear pair: φ(−σy z_i) = φ(σy z_(i^1)), as the rule's nodes
        // come in pairs ±z ({@link #rule}) and negation is exact
        double[] fys = valuesAtNodes(act, p, sy, rule, n);
        int flip = anti ? 1 : 0;
        // the batch's work space (written below before it is read): arrays per pair were most of
        // a sigmoid Gram's allocation once the gap came from the series (495 MB for 200 inputs at
        // depth 6), and the heap grew with it (RSS 426 MB; 88 MB with these)
        double[] as = p.work(0, n);
        double[] bs = p.work(1, n);
        double saa = 0;
        double sab = 0;
        double h = 0;
        for (int i = 0; i < n; i++) {
            double w = rule[2 * i + 1];
            double fx = fxs[i];
            double fy = fys[i ^ flip];
            double ai = fx * nx;
            double bi = fy * ny - ai;
            as[i] = ai;
            bs[i] = bi;
            saa += w * ai * ai;
            sab += w * ai * bi;
            double di = fx - fy;
            h += w * di * di;
        }
        double beta = saa > 0 ? sab / saa : 0;
        double perp = 0;
        for (int i = 0; i < n; i++) {
            double q = bs[i] - beta * as[i];
            perp += rule[2 * i + 1] * q * q;
        }
        double g = txx * tyy * (saa * perp);
        setDefect(p, k, g, saa * perp, h, toRef, t);
    }

    /**
     * T0 − T by Mehler's series ({@link MehlerTable#collinearGaps}) where the batch holds the
     * tables of both inputs at these variances (a quadrature activation's Gram path), else NaN.
     */
    private static double seriesGap(CovarianceBatch p, int k, double a, double b, double delta) {
        final MehlerTable tx = tables(p, k, a, b);
        final double[] sums = new double[2];
        return tx != null && MehlerTable.collinearGaps(tx, p.row, (MehlerTable) p.preparedY, p.column0 + k, p.cos[k],
                p.sin2[k] / (1 + p.cos[k]), Double.NaN, sums) ? delta * sums[0] : Double.NaN;
    }

    /**
     * x's table where the batch holds Mehler tables of both inputs of pair k at the variances a
     * and b, with the same parity, and the pair lies on the collinear side (0 &lt; cos θ &lt; 1); else null.
     */
    private static MehlerTable tables(CovarianceBatch p, int k, double a, double b) {
        final double cos = p.cos[k];
        return p.preparedX instanceof MehlerTable tx && p.preparedY instanceof MehlerTable ty && tx.parity == ty.parity
                && tx.variance[p.row] == a && ty.variance[p.column0 + k] == b && cos > 0 && cos < 1 && p.sin2[k] > 0 ? tx
                        : null;
    }

    /**
     * T, Ṫ and T0 − T of pair k on the collinear side without a 2-D quadrature, where the batch
     * holds both inputs' Mehler tables: T0 = E[φ(σx z)φ(σy z)] and Ṫ0 = E[φ'(σx z)φ'(σy z)] of
     * the collinear pair by the one-dimensional rule of {@link #rule} (the nodes' values kept per
     * input), less the gaps of {@link MehlerTable#collinearGaps}: T = T0 − (c0 − c)·Σ d d m,
     * Ṫ = Ṫ0 − (1 − cos θ)·Σ d d s, with c0 − c and 1 − cos θ from the scale-free state. Why:
     * the nearly collinear pairs of a deep network in the ordered phase took a 2-D quadrature
     * for T and Ṫ and six more for the gap (sigmoid at the defaults, depth 5, 400 inputs, whole
     * process: 9.6–10.1 s, now 0.86–1.01 s; with the gap alone by the series 2.7 s).
     *
     * @param out T, Ṫ and T0 − T
     * @return false where the tables are missing or a series' bound is not met (out unchanged)
     */
    static boolean collinearSeries(Activation act, CovarianceBatch p, int k, double a, double b, double[] out) {
        final MehlerTable tx = tables(p, k, a, b);
        if (tx == null) {
            return false;
        }
        final MehlerTable ty = (MehlerTable) p.preparedY; // a table too (tables)
        final double cos = p.cos[k];
        final double oneMinus = p.sin2[k] / (1 + cos);
        final double[] sums = new double[2];
        // T's gap first, a few hundred operations: where its bound fails (coefficients that fall
        // slowly) the 1-D rule's nodes below are not worth computing
        if (!MehlerTable.collinearGaps(tx, p.row, ty, p.column0 + k, cos, oneMinus, Double.NaN, sums)) {
            return false;
        }
        final double sx = Math.sqrt(a);
        final double sy = Math.sqrt(b);
        final double[] rule = rule(Math.max(sx, sy));
        final int n = rule.length / 2;
        final double[] fx = valuesAtNodes(act, p, sx, rule, n, false);
        final double[] fy = valuesAtNodes(act, p, sy, rule, n, false);
        final double[] dx = valuesAtNodes(act, p, sx, rule, n, true);
        final double[] dy = valuesAtNodes(act, p, sy, rule, n, true);
        double t0 = 0;
        double tdot0 = 0;
        for (int i = 0; i < n; i++) {
            final double w = rule[2 * i + 1];
            t0 += w * fx[i] * fy[i];
            tdot0 += w * dx[i] * dy[i];
        }
        if (!MehlerTable.collinearGaps(tx, p.row, ty, p.column0 + k, cos, oneMinus, tdot0, sums)) {
            return false;
        }
        final double gap = sx * sy * oneMinus * sums[0];
        out[0] = t0 - gap;
        out[1] = tdot0 - oneMinus * sums[1];
        out[2] = gap;
        return true;
    }

    /**
     * φ(σ z_i) at the rule's n nodes: from the batch's table ({@link CovarianceBatch#nodeValues})
     * when it holds them for this activation, σ and rule (the same bits as computing them), else
     * computed and kept there. Rules beyond {@link #MEMO_NODES} nodes (σ above about 2^31) are
     * computed each time, so that the table stays small.
     */
    private static double[] valuesAtNodes(Activation act, CovarianceBatch p, double sigma, double[] rule, int n) {
        return valuesAtNodes(act, p, sigma, rule, n, false);
    }

    /** {@link #valuesAtNodes} of φ, or with derivative of φ' (kept in the same entry). */
    private static double[] valuesAtNodes(Activation act, CovarianceBatch p, double sigma, double[] rule, int n,
            boolean derivative) {
        CovarianceBatch.NodeValues m = n <= MEMO_NODES ? p.nodeValues(act, sigma, rule) : null;
        if (m != null && m.act != null && (derivative ? m.derivatives : m.values) != null) {
            return derivative ? m.derivatives : m.values;
        }
        // a new array, not the evicted entry's: that entry may be the other input's, in use
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = derivative ? act.derivative(sigma * rule[2 * i]) : act.apply(sigma * rule[2 * i]);
        }
        if (m != null) {
            if (m.act == null) { // a new key: the other function's values are not there yet
                m.values = null;
                m.derivatives = null;
            }
            if (derivative) {
                m.derivatives = f;
            } else {
                m.values = f;
            }
            m.rule = rule;
            m.sigma = sigma;
            m.act = act;
        }
        return f;
    }

    /** The largest rule whose values {@link #valuesAtNodes} keeps (8 KB a slot). */
    private static final int MEMO_NODES = 1024;

    /**
     * ∫_lo^hi 2u Ṫ(c0 − u²) du (about the anti-collinear pair with anti: Ṫ(u² − c0)) by the
     * 6-point Gauss–Legendre rule on one panel, D at each node as u²(2c0 − u²).
     */
    private static double gapPanel(Activation act, double a, double b, double c0, boolean anti, double lo, double hi) {
        final double half = 0.5 * (hi - lo);
        final double mid = 0.5 * (hi + lo);
        double sum = 0;
        for (int i = 0; i < GAP_X.length; i++) {
            double u = mid + half * GAP_X[i];
            double u2 = u * u;
            sum += GAP_W[i] * u * act.dualDerivative(a, anti ? u2 - c0 : c0 - u2, b, u2 * (2 * c0 - u2));
        }
        return 2 * half * sum;
    }

    /**
     * The gap integral of {@link #gapPanel} on [lo, hi], given the panel's own estimate: split in
     * halves while the halves disagree with it by more than tol (2^-50 of the whole interval's
     * estimate), at most {@link #GAP_DEPTH} levels deep. Why: GELU at Σxx = 1e6, Σyy = 1e20, inputs
     * 6e-5 from collinear, whose Ṫ turns where D falls through 1 + Σxx + Σyy, a tenth of the way
     * along the interval: one panel left 2.2e-10 in a sign layer after it. Where Ṫ is smooth on
     * the scale of the interval the first split agrees and this costs two more panels. Only for a
     * Ṫ in closed form ({@link Activation#dualDerivativeInClosedForm}): a Ṫ by quadrature, whose
     * own error is far above 2^-50, would be split without end (a pair through tanh took minutes).
     */
    private static double gap(Activation act, double a, double b, double c0, boolean anti, double lo, double hi,
            double whole, double tol, int depth) {
        final double m = 0.5 * (lo + hi);
        final double left = gapPanel(act, a, b, c0, anti, lo, m);
        final double right = gapPanel(act, a, b, c0, anti, m, hi);
        final double both = left + right;
        if (depth >= GAP_DEPTH || Math.abs(both - whole) <= tol) {
            return both;
        }
        return gap(act, a, b, c0, anti, lo, m, left, tol, depth + 1) + gap(act, a, b, c0, anti, m, hi, right, tol, depth + 1);
    }

    /** Levels of halving in {@link #gap} at most (2^12 panels of six closed-form Ṫ, a few milliseconds). */
    private static final int GAP_DEPTH = 12;

    /**
     * D' = G + (T_ref − T)(T_ref + T) and E' = H + 2(T_ref − T), from toRef = T_ref − T; and the
     * output angle scale-free ({@link CovarianceBatch#cosOut}): cos θ' = T/√(T(x,x)T(y,y)) and
     * sin²θ' = D'/(T(x,x)T(y,y)) = G/(T(x,x)T(y,y)) + (toRef/r'_x r'_y)((T + toRef)/r'_x r'_y + T/r'_x r'_y),
     * every quotient taken before a product, since T(x,x)T(y,y) underflows where the output
     * variances are below about 1e-154 (and D' with it).
     *
     * @param gRel G/(T(x,x)T(y,y))
     */
    private static void setDefect(CovarianceBatch p, int k, double g, double gRel, double h, double toRef, double t) {
        p.d[k] = Math.max(g + toRef * ((t + toRef) + t), 0);
        p.e[k] = Math.max(h + 2 * toRef, 0);
        final double nx = 1 / Math.sqrt(p.kxxOut[k]);
        final double ny = 1 / Math.sqrt(p.kyyOut[k]);
        final double tn = t * nx * ny;
        final double rn = toRef * nx * ny;
        p.cosOut[k] = tn;
        p.sin2Out[k] = Math.max(gRel + rn * ((tn + rn) + tn), 0);
    }

    /**
     * Nodes and weights (interleaved) of E[F(z)] for z standard normal, resolving a φ(σz) that
     * changes on the scale 1/σ near z = 0 (a ReLU-like activation's turn, a bounded one's
     * step) for σ up to {@code sigma}: Gauss–Legendre panels of {@value #PANEL} nodes on [0, 1]
     * with edges 2^-k … 2^-1 (k = ⌈log₂ σ⌉ + 4, so the innermost panel is at most 1/(16σ) wide),
     * then at 1, 2, 3, 4, 6, 8, 12, and their mirror images; 0 is an edge, so a kink there
     * (ELU's φ') falls between panels. Built once per k. Why halving panels: G of GELU at
     * variances 1e8 and 1e16 came out 1e-8 off with panels shrinking by 4 (12 nodes each), and
     * to 5e-16 with panels halving (mpmath, the same nodes in 50-digit arithmetic).
     */
    static double[] rule(double sigma) {
        int k = 4 + (sigma > 1 ? (int) Math.ceil(Math.log(sigma) / Math.log(2)) : 0);
        k = Math.min(k, RULES.length() - 1);
        double[] r = RULES.get(k);
        if (r == null) {
            double[] edges = new double[k + 1 + OUTER.length];
            for (int j = 0; j <= k; j++) {
                edges[j] = j == 0 ? 0 : Math.scalb(1.0, -(k + 1 - j));
            }
            System.arraycopy(OUTER, 0, edges, k + 1, OUTER.length);
            int panels = edges.length - 1;
            r = new double[4 * panels * PANEL];
            int at = 0;
            for (int p = 0; p < panels; p++) {
                double half = 0.5 * (edges[p + 1] - edges[p]);
                double mid = 0.5 * (edges[p + 1] + edges[p]);
                for (int i = 0; i < PANEL; i++) {
                    double z = mid + half * GL_X[i];
                    double w = half * GL_W[i] * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
                    r[at++] = z;
                    r[at++] = w;
                    r[at++] = -z;
                    r[at++] = w;
                }
            }
            RULES.compareAndSet(k, null, r);
            r = RULES.get(k);
        }
        return r;
    }
}
