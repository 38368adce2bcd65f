package io.github.ntk4j.net;

import io.github.ntk4j.internal.Workers;
import java.util.function.DoubleUnaryOperator;

/**
 * Per-input Hermite coefficients of φ and φ' for the Gram path of a {@link QuadratureActivation}
 * (Mehler's expansion). For (u, v) ~ N(0, Σ) with σx² = Σxx, σy² = Σyy, ρ = Σxy/(σxσy),
 * <pre>
 *   E[f(u)g(v)] = Σ_k a_k(σx) b_k(σy) ρ^k,   a_k(σ) = E[f(σz) He_k(z)]/√k!
 * </pre>
 * (Mehler 1866; O'Donnell, <i>Analysis of Boolean Functions</i>, §11.2), so T uses the
 * coefficients of φ and Ṫ those of φ'. They depend on one input's variance only: computed once
 * per input and layer (K + 1 coefficients each, K = {@value #K}, by the same Gauss–Legendre panels
 * as the pair quadrature on [−Z, Z], Z = √K + 7, beyond which |He_k(z)|N(z)/√k! is below
 * 1e-18 for k ≤ K, N the normal density), a pair then costs O(k) multiply-adds.
 *
 * <p>Truncation bound, pair by pair: by Cauchy–Schwarz the terms beyond k sum to at most
 * |ρ|^{k+1}·t_k(σx)·t_k(σy) with t_k² = Σ_{j&gt;k} a_j² = E[f(σz)²] − Σ_{j≤k} a_j² (Parseval),
 * formed as a suffix sum of the computed coefficients plus the remainder beyond K, itself
 * bounded from E[f²] (1-D quadrature) minus Σ_{j≤K} a_j² plus a guard of 1e-13·E[f²] for the
 * rounding and quadrature error of that subtraction. The series stops at the first k where the
 * bound is below {@value #RELATIVE}·|sum| + {@value #ABSOLUTE}·√(E[f(u)²]E[f(v)²]); when it is
 * not reached by k = K (|ρ| near 1, activations with a kink whose coefficients decay slowly)
 * the caller falls back to the pair quadrature.
 */
final class MehlerTable {
    /** Highest Hermite degree kept. */
    static final int K = 63;
    private static final int STRIDE = K + 1;
    /** Terms per block of the series: the truncation bound is checked once per block. */
    private static final int TERMS = 4;
    /** Blocks per input. */
    private static final int BLOCKS = STRIDE / TERMS;
    /**
     * Doubles per block record: the four terms' coefficients of φ and φ' interleaved, then the
     * tails of both after the block.
     */
    private static final int RECORD = 2 * TERMS + 2;
    /** Relative truncation tolerance of the series. */
    static final double RELATIVE = 1e-11;
    /** Absolute truncation tolerance, in units of the Cauchy–Schwarz scale. */
    static final double ABSOLUTE = 1e-14;
    private static final double GUARD = 1e-13;
    private static final double Z = Math.sqrt(K) + 7;

    /** Input variances the coefficients belong to. */
    final double[] variance;
    /** Number of inputs. */
    private final int n;
    /**
     * The coefficients and tails, block-major: block b of input i is the record at
     * (b·n + i)·{@value #RECORD}, holding c_k of φ at 2(k − 4b) and d_k of φ' at 2(k − 4b) + 1
     * for k = 4b … 4b + 3, then t_{4b+3} of φ and of φ' (the Cauchy–Schwarz bound of the
     * terms beyond the block). Block-major because a Gram tile reads the first blocks of many
     * consecutive inputs: they lie next to each other, where an input-major layout put them a
     * power-of-two stride apart and the L1 cache's sets could not hold them (measured: the
     * series' loads were half of a tanh Gram's time with that layout).
     */
    final double[] records;
    /** √E[φ(σz)²] at 2i and √E[φ'(σz)²] at 2i + 1. */
    final double[] scale;
    /** E[φ'(σz)²] per input: Ṫ of the input with itself. */
    final double[] dphiSquare;

    private MehlerTable(int n) {
        variance = new double[n];
        this.n = n;
        records = new double[n * BLOCKS * RECORD];
        scale = new double[2 * n];
        dphiSquare = new double[n];
    }

    /**
     * Bytes a table for n inputs takes.
     *
     * @param n inputs
     * @return bytes
     */
    static long bytes(long n) {
        return n * ((long) BLOCKS * RECORD + 4) * 8;
    }

    /**
     * The coefficients of every input, shared among the workers in chunks of inputs (each input's
     * coefficients do not depend on how the inputs are split, so the table does not depend on the
     * thread count).
     *
     * @param variances Σxx of each input at the layer's input
     * @param f φ
     * @param df φ'
     * @param kinks points where φ or φ' is not smooth (panels are split there)
     * @param gx Gauss–Legendre nodes of one panel on [−1, 1] (the activation's rule)
     * @param gw their weights
     * @param workers threads to share the inputs among
     */
    static MehlerTable of(double[] variances, DoubleUnaryOperator f, DoubleUnaryOperator df, double[] kinks, double[] gx,
            double[] gw, Workers workers, boolean graded, String spec) {
        int n = variances.length;
        MehlerTable t = new MehlerTable(n);
        // without kinks the panels depend on σ only through their number (30 for σ ≤ 2), so
        // inputs share the nodes and the Hermite values there: built once per panel count, or
        // for graded panels once per power of two of σ (their grid is built for σ rounded up
        // to one: finer, never coarser, than σ needs)
        java.util.Map<Long, Nodes> shared = new java.util.concurrent.ConcurrentHashMap<>();
        final int degree = gx.length;
        int chunks = (n + CHUNK - 1) / CHUNK;
        workers.forEach(chunks, c -> {
            for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                double v = variances[i];
                Nodes nodes = null;
                if (v > 0) {
                    double sigma = Math.sqrt(v);
                    if (kinks.length == 0) {
                        int exponent = sigma <= 1 ? 0 : Math.getExponent(sigma) + 1;
                        double grid = graded ? Math.scalb(1.0, exponent) : sigma;
                        double[] e = panelEdges(kinks, grid, graded, gx.length, spec, v);
                        long key = (graded ? -exponent - 2000L : e.length) * 128 + degree;
                        nodes = shared.computeIfAbsent(key, k -> Nodes.cached(k, e, gx, gw));
                    } else {
                        nodes = new Nodes(panelEdges(kinks, sigma, graded, gx.length, spec, v), gx, gw);
                    }
                }
                t.fillInput(i, v, f, df, nodes);
            }
        });
        return t;
    }

    /**
     * Panel edges for an input of standard deviation σ: split at the kinks, no longer than
     * min(1, 2/σ), or graded away from 0 for the built-ins (QuadratureActivation's edges), with
     * twice the pair rule's node budget (the range here is Z, not 9: a variance the pair rule
     * accepts always fits).
     */
    private static double[] panelEdges(double[] kinks, double sigma, boolean graded, int degree, String spec, double variance) {
        double[] br = new double[kinks.length];
        for (int q = 0; q < br.length; q++) {
            br[q] = kinks[q] / sigma;
        }
        return QuadratureActivation.edges(br, new double[0], sigma, Z, 1, graded ? 0 : QuadratureActivation.NO_CENTRE, degree,
                2L * QuadratureActivation.MAX_NODES, spec, variance);
    }

    /**
     * Quadrature nodes z_q on [−Z, Z], their weights times the normal density, and the
     * normalised Hermite polynomials He_k(z_q)/√k! for k ≤ K (row k at [k·m, (k+1)·m)).
     */
    private static final class Nodes {
        final double[] z;
        final double[] weight;
        /**
         * The normalised Hermite values node-major: He_k(z_q)/√k! at q·(K + 1) + k, so that {@link #fillInput}
         * sums over the nodes with the degree k as its inner, vectorised index.
         */
        final double[] byNode;

        /**
         * Nodes kept from table to table (keyed as in {@link MehlerTable#of}: by panel count or
         * power of two of σ, and the panel degree, which determine them), up to
         * {@link #CACHE_BYTES} in all and only sets of at most {@link #CACHE_NODES} nodes. Why:
         * the single-pair path builds a table per new input, and building the nodes' Hermite
         * values anew each time was about 40 % of that (measured: pair() of two new inputs, tanh
         * at depth 5, d = 100, one thread's CPU time, 0.8–1.0 ms without this cache, 0.49 ms with
         * it; the 2-D quadrature it replaced took 7.6 ms).
         */
        private static final java.util.concurrent.ConcurrentHashMap<Long, Nodes> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final java.util.concurrent.atomic.AtomicLong CACHED_BYTES = new java.util.concurrent.atomic.AtomicLong();
        private static final long CACHE_BYTES = 16L << 20;
        private static final int CACHE_NODES = 2048;

        static Nodes cached(long key, double[] e, double[] gx, double[] gw) {
            Nodes hit = CACHE.get(key);
            if (hit != null) {
                return hit;
            }
            Nodes made = new Nodes(e, gx, gw);
            long bytes = 8L * (STRIDE + 2) * made.z.length;
            if (made.z.length <= CACHE_NODES && CACHED_BYTES.addAndGet(bytes) <= CACHE_BYTES) {
                Nodes raced = CACHE.putIfAbsent(key, made);
                return raced != null ? raced : made;
            }
            return made;
        }

        Nodes(double[] e, double[] gx, double[] gw) {
            int m = (e.length - 1) * gx.length;
            z = new double[m];
            weight = new double[m];
            int at = 0;
            for (int p = 0; p + 1 < e.length; p++) {
                double hw = 0.5 * (e[p + 1] - e[p]);
                double mid = 0.5 * (e[p + 1] + e[p]);
                for (int q = 0; q < gx.length; q++, at++) {
                    z[at] = mid + hw * gx[q];
                    weight[at] = hw * gw[q] * Gaussians.pdf(z[at]);
                }
            }
            // normalised Hermite recurrence h_{k+1} = (z h_k − √k h_{k−1})/√(k+1), over all
            // nodes at once (independent loops the JIT vectorises)
            double[] hermite = new double[STRIDE * m];
            java.util.Arrays.fill(hermite, 0, m, 1);
            System.arraycopy(z, 0, hermite, m, m);
            for (int k = 1; k + 1 < STRIDE; k++) {
                double a = SQRT[k] / SQRT[k + 1];
                double b = 1 / SQRT[k + 1];
                int h = k * m;
                int next = h + m;
                int prev = h - m;
                for (int q = 0; q < m; q++) {
                    hermite[next + q] = b * z[q] * hermite[h + q] - a * hermite[prev + q];
                }
            }
            byNode = new double[STRIDE * m];
            for (int k = 0; k < STRIDE; k++) {
                for (int q = 0; q < m; q++) {
                    byNode[q * STRIDE + k] = hermite[k * m + q];
                }
            }
        }
    }

    /** Inputs per task. */
    private static final int CHUNK = 64;
    private static final double[] SQRT = new double[STRIDE + 1];
    static {
        for (int k = 0; k <= STRIDE; k++) {
            SQRT[k] = Math.sqrt(k);
        }
    }

    /**
     * Input i's coefficients c_k = Σ_q w_q N(z_q) f(σz_q) He_k(z_q)/√k! and E[f(σz)²] =
     * Σ_q w_q N(z_q) f(σz_q)², the same sums by Parseval's measure, for f = φ and φ'.
     */
    private void fillInput(int i, double v, DoubleUnaryOperator f, DoubleUnaryOperator df, Nodes nodes) {
        double[] ca = new double[STRIDE];
        double[] cb = new double[STRIDE];
        variance[i] = v;
        double sa;
        double sb;
        if (v > 0) {
            double sigma = Math.sqrt(v);
            int m = nodes.z.length;
            double[] fa = new double[m];
            double[] fb = new double[m];
            sa = 0;
            sb = 0;
            for (int q = 0; q < m; q++) {
                double x = sigma * nodes.z[q];
                double a = f.applyAsDouble(x);
                double b = df.applyAsDouble(x);
                double w = nodes.weight[q];
                sa += w * a * a;
                sb += w * b * b;
                fa[q] = w * a;
                fb[q] = w * b;
            }
            // c_k = Σ_q (w_q f_q) h_k(z_q): four nodes at a time, each pass adding to all K + 1
            // coefficients in a loop over k that C2 vectorises. The former loop summed over q
            // innermost (a reduction, which C2 runs scalar); measured on a tanh Gram, depth 5,
            // N = 1000, one thread (thread CPU, median of 7 alternating): one node per pass 13%
            // faster than that, four 16% faster again, eight slower than four
            final double[] h = nodes.byNode;
            int q = 0;
            for (; q + 3 < m; q += 4) {
                final double a0 = fa[q];
                final double a1 = fa[q + 1];
                final double a2 = fa[q + 2];
                final double a3 = fa[q + 3];
                final double b0 = fb[q];
                final double b1 = fb[q + 1];
                final double b2 = fb[q + 2];
                final double b3 = fb[q + 3];
                final int r0 = q * STRIDE;
                final int r1 = r0 + STRIDE;
                final int r2 = r1 + STRIDE;
                final int r3 = r2 + STRIDE;
                for (int k = 0; k < STRIDE; k++) {
                    final double h0 = h[r0 + k];
                    final double h1 = h[r1 + k];
                    final double h2 = h[r2 + k];
                    final double h3 = h[r3 + k];
                    ca[k] += (a0 * h0 + a1 * h1) + (a2 * h2 + a3 * h3);
                    cb[k] += (b0 * h0 + b1 * h1) + (b2 * h2 + b3 * h3);
                }
            }
            for (; q < m; q++) {
                final double a = fa[q];
                final double b = fb[q];
                final int row = q * STRIDE;
                for (int k = 0; k < STRIDE; k++) {
                    final double hk = h[row + k];
                    ca[k] += a * hk;
                    cb[k] += b * hk;
                }
            }
        } else {
            ca[0] = f.applyAsDouble(0);
            cb[0] = df.applyAsDouble(0);
            sa = ca[0] * ca[0];
            sb = cb[0] * cb[0];
        }
        scale[2 * i] = Math.sqrt(sa);
        scale[2 * i + 1] = Math.sqrt(sb);
        dphiSquare[i] = sb;
        fill(i, ca, sa, v > 0, 0);
        fill(i, cb, sb, v > 0, 1);
    }

    /** Stores the coefficients c of input i and their tails, φ's at offset 0, φ''s at 1. */
    private void fill(int i, double[] c, double square, boolean guard, int offset) {
        double head = 0;
        for (int k = 0; k < STRIDE; k++) {
            head += c[k] * c[k];
        }
        // what lies beyond K, bounded from Parseval with a guard for the subtraction's error
        double beyond = Math.max(square - head, 0) + (guard ? GUARD * square : 0);
        double suffix = beyond;
        for (int k = K; k >= 0; k--) {
            int record = ((k / TERMS) * n + i) * RECORD;
            if (k % TERMS == TERMS - 1) {
                records[record + 2 * TERMS + offset] = Math.sqrt(suffix);
            }
            records[record + 2 * (k % TERMS) + offset] = c[k];
            suffix += c[k] * c[k];
        }
    }

    /**
     * T = Σ_k c_k(x) c_k(y) ρ^k and Ṫ = Σ_k d_k(x) d_k(y) ρ^k for input i of table tx and input
     * j of table ty, summed together in blocks of four terms (independent chains the processor
     * overlaps), into out[0] and out[1].
     *
     * @return false when the truncation bound of either series is not met by k = K (out then
     *     holds partial sums)
     */
    static boolean sums(MehlerTable tx, int i, MehlerTable ty, int j, double rho, double[] out) {
        final double[] cx = tx.records;
        final double[] cy = ty.records;
        final int strideX = tx.n * RECORD;
        final int strideY = ty.n * RECORD;
        final double floorT = ABSOLUTE * tx.scale[2 * i] * ty.scale[2 * j];
        final double floorD = ABSOLUTE * tx.scale[2 * i + 1] * ty.scale[2 * j + 1];
        final double rho2 = rho * rho;
        final double rho4 = rho2 * rho2;
        double r = 1;
        double t = 0;
        double dt = 0;
        for (int blk = 0, p = i * RECORD, q = j * RECORD; blk < BLOCKS; blk++, p += strideX, q += strideY) {
            double r1 = r * rho;
            double r2 = r * rho2;
            double r3 = r1 * rho2;
            t += cx[p] * cy[q] * r + cx[p + 2] * cy[q + 2] * r1 + cx[p + 4] * cy[q + 4] * r2 + cx[p + 6] * cy[q + 6] * r3;
            dt += cx[p + 1] * cy[q + 1] * r + cx[p + 3] * cy[q + 3] * r1 + cx[p + 5] * cy[q + 5] * r2
                    + cx[p + 7] * cy[q + 7] * r3;
            r *= rho4; // ρ^{k+4}: the bound of the terms beyond this block
            double ar = Math.abs(r);
            if (ar * cx[p + 8] * cy[q + 8] <= RELATIVE * Math.abs(t) + floorT
                    && ar * cx[p + 9] * cy[q + 9] <= RELATIVE * Math.abs(dt) + floorD) {
                out[0] = t;
                out[1] = dt;
                return true;
            }
        }
        out[0] = t;
        out[1] = dt;
        return false;
    }
}
