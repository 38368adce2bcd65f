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
 *
 * <p>For a φ of known parity (odd: tanh) half of each series vanishes identically; such a table
 * keeps the other degrees only, computed on the half line, and its series runs in ρ² ({@link
 * #of(double[], DoubleUnaryOperator, DoubleUnaryOperator, double[], double[], double[], Workers,
 * boolean, String, int)}).
 */
final class MehlerTable {
    /** Highest Hermite degree kept. */
    static final int K = 63;
    /** Terms per block of the series: the truncation bound is checked once per block. */
    private static final int TERMS = 4;
    /**
     * Doubles per block record: the four terms' coefficients of φ and φ' interleaved, then the
     * tails of both after the block.
     */
    private static final int RECORD = 2 * TERMS + 2;
    /** Relative truncation tolerance of the series. */
    static final double RELATIVE = 1e-12;
    /** Absolute truncation tolerance, in units of the Cauchy–Schwarz scale. */
    static final double ABSOLUTE = 1e-14;
    private static final double GUARD = 1e-13;
    /**
     * Highest Hermite degree of the wide tables ({@link #wide}), which only the collinear gaps
     * read ({@link #collinearGaps}).
     */
    static final int WIDE_K = 127;
    /**
     * Relative truncation tolerance of the collinear gaps ({@link #collinearGaps}), tighter than
     * {@value #RELATIVE}: at 1e-12 the Ṫ of pairs near cos θ = 0.97, where 1 − ρ^k is near 1,
     * took the whole tolerance (tanh at depth 8, W_std 1, b_std 0.5: the Gram 4e-13 from the
     * 2-D quadrature's; 6.7e-14 at 2e-13), and 1e-13, at the tables' guard, sent softplus at the
     * defaults back to the quadrature (0.98 against 6.8 s for 400 inputs).
     */
    static final double GAP_RELATIVE = 2e-13;

    /** Input variances the coefficients belong to. */
    final double[] variance;
    /** Number of inputs. */
    private final int n;
    /** φ's parity: 1 odd, 2 even, 0 neither (see {@link #of}). */
    final int parity;
    /**
     * The series variable: x = ρ² for an odd or even φ, whose kept degrees go in steps of two,
     * else x = ρ; T = ρ^{offsetT}·Σ_m c'_m(x) c'_m(y) x^m and Ṫ = ρ^{offsetD}·Σ_m d'_m d'_m x^m
     * with c'_m the coefficient of degree step·m + offsetT (offsetT = 1 for an odd φ, whose
     * even coefficients vanish, and offsetD = 0 for its even φ'; the other way round for an even
     * φ; both 0 without parity).
     */
    final int step;
    final int offsetT;
    final int offsetD;
    /** Blocks of {@value #TERMS} kept terms per input. */
    final int blocks;
    /** Blocks every pair sums before its truncation bound is first tested ({@link #HEAD}, {@link #HEAD_PARITY}). */
    final int headBlocks;
    /**
     * The coefficients and tails, block-major and within a block slot-major: slot s of block b of
     * input i is at (b·{@value #RECORD} + s)·n + i, slot 2(k − 4b) holding c_k of φ and slot
     * 2(k − 4b) + 1 d_k of φ' for k = 4b … 4b + 3, slots 8 and 9 t_{4b+3} of φ and of φ' (the
     * Cauchy–Schwarz bound of the terms beyond the block). Block-major because a Gram tile reads
     * the first blocks of many consecutive inputs (an input-major layout put them a power-of-two
     * stride apart, where the L1 cache's sets could not hold them: the series' loads were half of
     * a tanh Gram's time); slot-major so that one slot of a tile's consecutive inputs is one
     * contiguous run, which {@link #head}'s loop over a batch of pairs loads as vectors.
     */
    final double[] records;
    /** √E[φ(σz)²] at i and √E[φ'(σz)²] at n + i. */
    final double[] scale;
    /** E[φ'(σz)²] per input: Ṫ of the input with itself. */
    final double[] dphiSquare;

    /** Degrees kept per input and function (K + 1: 64, or 128 for a wide table), and half of them. */
    private final int stride;
    private final int half;

    /** Builds {@link #wide} (null for a wide table itself). */
    private java.util.function.Supplier<MehlerTable> wideBuilder;
    /** The same inputs to degree {@link #WIDE_K}, once built. */
    private volatile MehlerTable wide;

    /**
     * This table's inputs to degree {@link #WIDE_K} (built on the first call, by the calling thread,
     * for every input), or null for a wide table or where its memory is not free or its panels
     * exceed the node budget. Why lazily and for the collinear gaps only: near collinear inputs
     * the coefficients of φ' of softplus at the defaults (variance 4.5), or of mish and tanh on
     * near-duplicate inputs, fall too slowly to meet the bound by degree 63, and their pairs took
     * seven 2-D quadratures; tables to degree 127 for every Gram cost 15–24 % of a
     * tanh, silu or mish Gram of random inputs, and the plain series at that depth lost accuracy
     * (MehlerParityTest's tanh² 1.1e-12 against its 1e-12 bound), which the gaps, whose errors
     * are scaled by 1 − cos θ, do not.
     */
    MehlerTable wide() {
        MehlerTable w = wide;
        if (w != null || wideBuilder == null) {
            return w;
        }
        synchronized (this) {
            if (wide == null && wideBuilder != null) {
                if (!io.github.ntk4j.internal.MemoryCheck.fits(bytes(n, WIDE_K))) {
                    wideBuilder = null;
                    return null;
                }
                try {
                    wide = wideBuilder.get();
                } catch (io.github.ntk4j.InvalidInputException tooFine) {
                    // the wider range's panels beyond the node budget: the gaps stay with the quadrature
                    wideBuilder = null;
                    return null;
                }
            }
            return wide;
        }
    }

    private MehlerTable(int n, int parity, int k) {
        stride = k + 1;
        half = stride / 2;
        variance = new double[n];
        this.n = n;
        this.parity = parity;
        step = parity == 0 ? 1 : 2;
        offsetT = parity == 1 ? 1 : 0;
        offsetD = parity == 2 ? 1 : 0;
        blocks = stride / TERMS / step;
        headBlocks = parity == 0 ? HEAD : HEAD_PARITY;
        records = new double[n * blocks * RECORD];
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
        return bytes(n, K);
    }

    private static long bytes(long n, int k) {
        return n * ((long) (k + 1) / TERMS * RECORD + 4) * 8;
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
        return of(variances, f, df, kinks, gx, gw, workers, graded, spec, 0);
    }

    /**
     * The same for a φ of known parity: odd (1: φ(−x) = −φ(x), so a_k = 0 for even k and φ''s
     * b_k = 0 for odd k) or even (2: the other way round), 0 for neither. The table then keeps
     * the degrees that do not vanish only, and computes them on the half line z ≥ 0 (the
     * integrand f(σz)He_k(z)N(z) of a kept degree is even in z: twice its integral over [0, Z]
     * by the same panels there, with 0 as a panel edge), half the evaluations of φ and φ' and
     * half the multiply-adds; the series then runs in x = ρ², with half the terms for the same
     * truncation bound.
     *
     * @param parity 1 for an odd φ, 2 for an even one, 0 otherwise
     */
    static MehlerTable of(double[] variances, DoubleUnaryOperator f, DoubleUnaryOperator df, double[] kinks, double[] gx,
            double[] gw, Workers workers, boolean graded, String spec, int parity) {
        return of(variances, f, df, null, kinks, gx, gw, workers, graded, spec, parity);
    }

    /**
     * The same with φ and φ' evaluated together at each input's nodes ({@link
     * QuadratureActivation.PhiAndDerivative}; null: f and df one by one).
     */
    static MehlerTable of(double[] variances, DoubleUnaryOperator f, DoubleUnaryOperator df,
            QuadratureActivation.PhiAndDerivative both, double[] kinks, double[] gx, double[] gw, Workers workers, boolean graded,
            String spec, int parity) {
        MehlerTable t = of(variances, f, df, both, kinks, gx, gw, workers, graded, spec, parity, K);
        // the wide table of the same inputs, built on first use (its own copy of the variances)
        final double[] v = t.variance.clone();
        t.wideBuilder = () -> {
            try (Workers one = new Workers(1)) {
                return of(v, f, df, both, kinks, gx, gw, one, graded, spec, parity, WIDE_K);
            }
        };
        return t;
    }

    /** The same with the highest degree k (K or {@link #WIDE_K}). */
    private static MehlerTable of(double[] variances, DoubleUnaryOperator f, DoubleUnaryOperator df,
            QuadratureActivation.PhiAndDerivative both, double[] kinks, double[] gx, double[] gw, Workers workers, boolean graded,
            String spec, int parity, int k) {
        final QuadratureActivation.PhiAndDerivative values = both != null ? both : QuadratureActivation.PhiAndDerivative.of(f, df);
        int n = variances.length;
        MehlerTable t = new MehlerTable(n, parity, k);
        final double[] breaks = parity == 0 ? kinks : withZero(kinks);
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
                        double[] e = half(panelEdges(breaks, grid, graded, gx.length, spec, v, t.stride), parity);
                        long key = (((graded ? -exponent - 2000L : e.length) * 128 + degree) * 3 + parity) * 256 + t.stride;
                        nodes = shared.computeIfAbsent(key, id -> Nodes.cached(id, e, gx, gw, parity == 0 ? 1 : 2, t.stride));
                    } else {
                        nodes = new Nodes(half(panelEdges(breaks, sigma, graded, gx.length, spec, v, t.stride), parity), gx, gw,
                                parity == 0 ? 1 : 2, t.stride);
                    }
                }
                t.fillInput(i, v, f, df, values, nodes);
            }
        });
        return t;
    }

    /** The kinks and 0. */
    private static double[] withZero(double[] kinks) {
        double[] b = java.util.Arrays.copyOf(kinks, kinks.length + 1);
        b[kinks.length] = 0;
        return b;
    }

    /** The edges from 0 on for a table of known parity (0 is one of them), all edges otherwise. */
    private static double[] half(double[] e, int parity) {
        if (parity == 0) {
            return e;
        }
        int zero = java.util.Arrays.binarySearch(e, 0.0);
        if (zero < 0) {
            zero = java.util.Arrays.binarySearch(e, -0.0);
        }
        if (zero < 0) {
            throw new IllegalStateException("0 is not a panel edge");
        }
        return java.util.Arrays.copyOfRange(e, zero, e.length);
    }

    /**
     * The table's range Z = √k + 7 for degrees up to k, beyond which |He_k(z)|N(z)/√k! is below
     * 1e-18.
     */
    private static double range(int k) {
        return Math.sqrt(k) + 7;
    }

    /**
     * Panel edges for an input of standard deviation σ: split at the kinks, no longer than
     * min(1, 2/σ), or graded away from 0 for the built-ins (QuadratureActivation's edges), with
     * twice the pair rule's node budget (the range here is Z, not 9: a variance the pair rule
     * accepts always fits).
     */
    private static double[] panelEdges(double[] kinks, double sigma, boolean graded, int degree, String spec, double variance,
            int stride) {
        double[] br = new double[kinks.length];
        for (int q = 0; q < br.length; q++) {
            br[q] = kinks[q] / sigma;
        }
        return QuadratureActivation.edges(br, new double[0], sigma, range(stride - 1), 1,
                graded ? 0 : QuadratureActivation.NO_CENTRE, degree, 2L * QuadratureActivation.MAX_NODES, spec, variance);
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
         * sums over the nodes with the degree k as its inner, vectorised index; for a half-line
         * rule (factor 2, a table of known parity) at q·(K + 1) + (k mod 2)·{@value #HALF} + ⌊k/2⌋.
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

        static Nodes cached(long key, double[] e, double[] gx, double[] gw, double factor, int stride) {
            Nodes hit = CACHE.get(key);
            if (hit != null) {
                return hit;
            }
            Nodes made = new Nodes(e, gx, gw, factor, stride);
            long bytes = 8L * (stride + 2) * made.z.length;
            if (made.z.length <= CACHE_NODES && CACHED_BYTES.addAndGet(bytes) <= CACHE_BYTES) {
                Nodes raced = CACHE.putIfAbsent(key, made);
                return raced != null ? raced : made;
            }
            return made;
        }

        /** The rule of panels e, its weights times factor (2 for a half-line rule). */
        Nodes(double[] e, double[] gx, double[] gw, double factor, int stride) {
            int m = (e.length - 1) * gx.length;
            z = new double[m];
            weight = new double[m];
            int at = 0;
            for (int p = 0; p + 1 < e.length; p++) {
                double hw = 0.5 * (e[p + 1] - e[p]);
                double mid = 0.5 * (e[p + 1] + e[p]);
                for (int q = 0; q < gx.length; q++, at++) {
                    z[at] = mid + hw * gx[q];
                    weight[at] = factor * (hw * gw[q] * Gaussians.pdf(z[at]));
                }
            }
            // normalised Hermite recurrence h_{k+1} = (z h_k − √k h_{k−1})/√(k+1), over all
            // nodes at once (independent loops the JIT vectorises)
            double[] hermite = new double[stride * m];
            java.util.Arrays.fill(hermite, 0, m, 1);
            System.arraycopy(z, 0, hermite, m, m);
            for (int k = 1; k + 1 < stride; k++) {
                double a = SQRT[k] / SQRT[k + 1];
                double b = 1 / SQRT[k + 1];
                int h = k * m;
                int next = h + m;
                int prev = h - m;
                for (int q = 0; q < m; q++) {
                    hermite[next + q] = b * z[q] * hermite[h + q] - a * hermite[prev + q];
                }
            }
            byNode = new double[stride * m];
            for (int k = 0; k < stride; k++) {
                // a half-line rule (known parity) keeps each row's even degrees first, then the odd ones
                final int slot = factor == 2 ? (k % 2) * (stride / 2) + k / 2 : k;
                for (int q = 0; q < m; q++) {
                    byNode[q * stride + slot] = hermite[k * m + q];
                }
            }
        }
    }

    /** Inputs per task. */
    private static final int CHUNK = 64;
    private static final double[] SQRT = new double[WIDE_K + 2];
    static {
        for (int k = 0; k < SQRT.length; k++) {
            SQRT[k] = Math.sqrt(k);
        }
    }

    /**
     * Input i's coefficients c_k = Σ_q w_q N(z_q) f(σz_q) He_k(z_q)/√k! and E[f(σz)²] =
     * Σ_q w_q N(z_q) f(σz_q)², the same sums by Parseval's measure, for f = φ and φ'.
     */
    private void fillInput(int i, double v, DoubleUnaryOperator f, DoubleUnaryOperator df, QuadratureActivation.PhiAndDerivative both,
            Nodes nodes) {
        double[] ca = new double[stride];
        double[] cb = new double[stride];
        double[] kt = null;
        double[] kd = null;
        variance[i] = v;
        double sa;
        double sb;
        if (v > 0) {
            double sigma = Math.sqrt(v);
            int m = nodes.z.length;
            double[] fa = new double[m];
            double[] fb = new double[m];
            for (int q = 0; q < m; q++) {
                fa[q] = sigma * nodes.z[q];
            }
            both.values(fa, m, fa, fb);
            sa = 0;
            sb = 0;
            for (int q = 0; q < m; q++) {
                double a = fa[q];
                double b = fb[q];
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
            if (step == 2) {
                // known parity: the kept degrees only, from the node rows' even and odd halves
                kt = new double[half];
                kd = new double[half];
                keptDegrees(h, m, fa, fb, offsetT * half, offsetD * half, kt, kd, stride);
            }
            int q = step == 2 ? m : 0; // with known parity the loops below have nothing left to do
            for (; q + 3 < m; q += 4) {
                final double a0 = fa[q];
                final double a1 = fa[q + 1];
                final double a2 = fa[q + 2];
                final double a3 = fa[q + 3];
                final double b0 = fb[q];
                final double b1 = fb[q + 1];
                final double b2 = fb[q + 2];
                final double b3 = fb[q + 3];
                final int r0 = q * stride;
                final int r1 = r0 + stride;
                final int r2 = r1 + stride;
                final int r3 = r2 + stride;
                for (int k = 0; k < stride; k++) {
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
                final int row = q * stride;
                for (int k = 0; k < stride; k++) {
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
        scale[i] = Math.sqrt(sa);
        scale[n + i] = Math.sqrt(sb);
        dphiSquare[i] = sb;
        fill(i, kt != null ? kt : kept(ca, offsetT), sa, v > 0, 0);
        fill(i, kd != null ? kd : kept(cb, offsetD), sb, v > 0, 1);
    }

    /**
     * For a table of known parity: c'_m = Σ_q (w_q f_q) h_{2m+offsetT}(z_q) into kt and d'_m the
     * same with φ' and offsetD into kd, four nodes a pass as in {@link #fillInput}, from the
     * nodes' rows with the even degrees first and the odd ones after ({@link Nodes}: at ot, od =
     * offset·{@value #HALF}): half the multiply-adds of all 64 degrees of both.
     */
    private static void keptDegrees(double[] h, int m, double[] fa, double[] fb, int ot, int od, double[] kt, double[] kd,
            int stride) {
        final int half = stride / 2;
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
            final int r0 = q * stride;
            final int r1 = r0 + stride;
            final int r2 = r1 + stride;
            final int r3 = r2 + stride;
            for (int k = 0; k < half; k++) {
                kt[k] += (a0 * h[r0 + ot + k] + a1 * h[r1 + ot + k]) + (a2 * h[r2 + ot + k] + a3 * h[r3 + ot + k]);
                kd[k] += (b0 * h[r0 + od + k] + b1 * h[r1 + od + k]) + (b2 * h[r2 + od + k] + b3 * h[r3 + od + k]);
            }
        }
        for (; q < m; q++) {
            final double a = fa[q];
            final double b = fb[q];
            final int row = q * stride;
            for (int k = 0; k < half; k++) {
                kt[k] += a * h[row + ot + k];
                kd[k] += b * h[row + od + k];
            }
        }
    }

    /** The coefficients of degrees offset, offset + step, …: the ones the series reads. */
    private double[] kept(double[] c, int offset) {
        if (step == 1) {
            return c;
        }
        double[] k = new double[stride / step];
        for (int m = 0; m < k.length; m++) {
            k[m] = c[step * m + offset];
        }
        return k;
    }

    /** Stores the coefficients c of input i and their tails, φ's at offset 0, φ''s at 1. */
    private void fill(int i, double[] c, double square, boolean guard, int offset) {
        double head = 0;
        for (int k = 0; k < c.length; k++) {
            head += c[k] * c[k];
        }
        // what lies beyond K, bounded from Parseval with a guard for the subtraction's error
        // (E[f²] holds the vanishing degrees of a φ of known parity too, as 0)
        double beyond = Math.max(square - head, 0) + (guard ? GUARD * square : 0);
        double suffix = beyond;
        for (int k = c.length - 1; k >= 0; k--) {
            int block = (k / TERMS) * RECORD;
            if (k % TERMS == TERMS - 1) {
                records[(block + 2 * TERMS + offset) * n + i] = Math.sqrt(suffix);
            }
            records[(block + 2 * (k % TERMS) + offset) * n + i] = c[k];
            suffix += c[k] * c[k];
        }
    }

    /**
     * Blocks every pair sums before its truncation bound is first tested: on the benchmark Gram
     * (tanh, N = 2,000, d = 100, depth 5) the bound was met after one block by 1 % of the pairs,
     * after two by 58 %, after three by 39 % and later by 3 %, so three blocks of every pair of a
     * batch go through {@link #head}'s branch-free loop and only the rest is tested pair by pair.
     * Terms summed beyond the point where the bound is met only shrink the truncation error.
     * At most 3: {@link #head}'s loops and its slots (24 … 27) are written out for three blocks
     * (with 4 the benchmark's NTK entries came out 8e-7 off, the tails read from coefficient slots).
     */
    static final int HEAD = 3;

    /**
     * {@link #HEAD} for a φ of known parity, whose blocks of four kept terms reach degree 15
     * after two blocks (beyond the eleven of three blocks without parity).
     */
    static final int HEAD_PARITY = 2;

    /**
     * T = Σ_k c_k(x) c_k(y) ρ^k and Ṫ = Σ_k d_k(x) d_k(y) ρ^k for input i of table tx and input
     * j of table ty (for a table of known parity over the kept degrees, in x = ρ², times ρ where
     * the series starts at degree 1: {@link #step}), summed together in blocks of four terms
     * (independent chains the processor overlaps), into out[0] and out[1]: the head's blocks as
     * {@link #head} sums them (the same operations in the same order, so the same bits), then
     * {@link #rest}.
     *
     * @return false when the truncation bound of either series is not met by k = K (out then
     *     holds partial sums)
     */
    static boolean sums(MehlerTable tx, int i, MehlerTable ty, int j, double correlation, double[] out) {
        final double[] cx = tx.records;
        final double[] cy = ty.records;
        final int nx = tx.n;
        final int ny = ty.n;
        // the series variable (ρ, or ρ² for a φ of known parity)
        final double rho = tx.step == 2 ? correlation * correlation : correlation;
        final double rho2 = rho * rho;
        final double rho4 = rho2 * rho2;
        // block 0 (ρ^0 = 1), block 1 (ρ^4), block 2 (ρ^8), as head() writes them
        final double b1 = rho4;
        final double b2 = rho4 * rho4;
        double t = ((cx[i] * cy[j] + cx[i + 2 * nx] * cy[j + 2 * ny] * rho) + cx[i + 4 * nx] * cy[j + 4 * ny] * rho2)
                + cx[i + 6 * nx] * cy[j + 6 * ny] * (rho * rho2);
        double dt = ((cx[i + nx] * cy[j + ny] + cx[i + 3 * nx] * cy[j + 3 * ny] * rho) + cx[i + 5 * nx] * cy[j + 5 * ny] * rho2)
                + cx[i + 7 * nx] * cy[j + 7 * ny] * (rho * rho2);
        for (int blk = 1; blk < tx.headBlocks; blk++) {
            final double r = blk == 1 ? b1 : b2;
            final int p = blk * RECORD * nx + i;
            final int q = blk * RECORD * ny + j;
            final double r1 = r * rho;
            final double r2 = r * rho2;
            final double r3 = r1 * rho2;
            t += ((cx[p] * cy[q] * r + cx[p + 2 * nx] * cy[q + 2 * ny] * r1) + cx[p + 4 * nx] * cy[q + 4 * ny] * r2)
                    + cx[p + 6 * nx] * cy[q + 6 * ny] * r3;
            dt += ((cx[p + nx] * cy[q + ny] * r + cx[p + 3 * nx] * cy[q + 3 * ny] * r1) + cx[p + 5 * nx] * cy[q + 5 * ny] * r2)
                    + cx[p + 7 * nx] * cy[q + 7 * ny] * r3;
        }
        return rest(tx, i, ty, j, correlation, t, dt, out);
    }

    /**
     * The head's blocks of T and Ṫ ({@link #sums}; {@link #headBlocks}) for input i of tx against
     * inputs yFrom … yFrom + n − 1 of ty, with the series variable of pair k (ρ, or ρ² for a table
     * of known parity) at rhos[k], into ts[k] and dts[k] (without the factor ρ of a series that
     * starts at degree 1, which the caller applies; the bound's test leaves it out as
     * {@link #rest} does): no test
     * and no branch per pair, loads of each slot contiguous over the pairs, so that HotSpot's C2
     * compiles it into vector instructions (the per-pair series with a test after every block
     * was two thirds of a tanh Gram's time: JFR, N = 4,000, d = 100, depth 5). Every pair of the
     * batch is summed, also those the caller then leaves to the quadrature (their values are
     * finite and unused). With them it tests the truncation bound after the head as {@link #rest}
     * does first, as differences: mT[k] = bound − tolerance of T, mD[k] of Ṫ; both ≤ 0 means
     * that test passes (a difference of doubles is ≤ 0 exactly when the first is ≤ the second);
     * otherwise, NaN included, the caller goes on with {@link #rest}, which tests again.
     */
    static void head(MehlerTable tx, int i, Slice ys, int n, double[] rhos, double[] ts, double[] dts, double[] mT,
            double[] mD) {
        final double[] cx = tx.records;
        final double[] y = ys.data;
        final int nx = tx.n;
        final int px = RECORD * nx;
        final double a0 = cx[i];
        final double e0 = cx[i + nx];
        final double a1 = cx[i + 2 * nx];
        final double e1 = cx[i + 3 * nx];
        final double a2 = cx[i + 4 * nx];
        final double e2 = cx[i + 5 * nx];
        final double a3 = cx[i + 6 * nx];
        final double e3 = cx[i + 7 * nx];
        final double a4 = cx[px + i];
        final double e4 = cx[px + i + nx];
        final double a5 = cx[px + i + 2 * nx];
        final double e5 = cx[px + i + 3 * nx];
        final double a6 = cx[px + i + 4 * nx];
        final double e6 = cx[px + i + 5 * nx];
        final double a7 = cx[px + i + 6 * nx];
        final double e7 = cx[px + i + 7 * nx];
        final double a8 = cx[2 * px + i];
        final double e8 = cx[2 * px + i + nx];
        final double a9 = cx[2 * px + i + 2 * nx];
        final double e9 = cx[2 * px + i + 3 * nx];
        final double a10 = cx[2 * px + i + 4 * nx];
        final double e10 = cx[2 * px + i + 5 * nx];
        final double a11 = cx[2 * px + i + 6 * nx];
        final double e11 = cx[2 * px + i + 7 * nx];
        final boolean three = tx.headBlocks == 3;
        final int last = (tx.headBlocks - 1) * px;
        final double tailX = cx[last + i + 8 * nx];
        final double tailDX = cx[last + i + 9 * nx];
        final double floorX = ABSOLUTE * tx.scale[i];
        final double floorDX = ABSOLUTE * tx.scale[nx + i];
        // the slice's slots at constant offsets from k (the layout of Slice): C2 vectorises
        // loads at k + constant, not at k + a loop invariant (measured: 3.4× slower that way);
        // one short loop per block and series, as C2 vectorises only loops it unrolls, which
        // it does not for bodies above its LoopUnrollLimit (60 nodes); the powers of ρ are
        // formed anew in each (a multiplication costs less than a load)
        for (int k = 0; k < n; k++) {
            final double rho = rhos[k];
            final double rho2 = rho * rho;
            ts[k] = ((a0 * y[k] + a1 * y[k + 2 * SLICE] * rho) + a2 * y[k + 4 * SLICE] * rho2) + a3 * y[k + 6 * SLICE] * (rho * rho2);
        }
        for (int k = 0; k < n; k++) {
            final double rho = rhos[k];
            final double rho2 = rho * rho;
            dts[k] = ((e0 * y[k + SLICE] + e1 * y[k + 3 * SLICE] * rho) + e2 * y[k + 5 * SLICE] * rho2)
                    + e3 * y[k + 7 * SLICE] * (rho * rho2);
        }
        for (int k = 0; k < n; k++) {
            final double rho = rhos[k];
            final double rho2 = rho * rho;
            final double r = rho2 * rho2;
            final double r1 = r * rho;
            ts[k] += ((a4 * y[k + 8 * SLICE] * r + a5 * y[k + 10 * SLICE] * r1) + a6 * y[k + 12 * SLICE] * (r * rho2))
                    + a7 * y[k + 14 * SLICE] * (r1 * rho2);
        }
        for (int k = 0; k < n; k++) {
            final double rho = rhos[k];
            final double rho2 = rho * rho;
            final double r = rho2 * rho2;
            final double r1 = r * rho;
            dts[k] += ((e4 * y[k + 9 * SLICE] * r + e5 * y[k + 11 * SLICE] * r1) + e6 * y[k + 13 * SLICE] * (r * rho2))
                    + e7 * y[k + 15 * SLICE] * (r1 * rho2);
        }
        if (three) {
            for (int k = 0; k < n; k++) {
                final double rho = rhos[k];
                final double rho2 = rho * rho;
                final double r = rho2 * rho2;
                final double s = r * r;
                final double s1 = s * rho;
                ts[k] += ((a8 * y[k + 16 * SLICE] * s + a9 * y[k + 18 * SLICE] * s1) + a10 * y[k + 20 * SLICE] * (s * rho2))
                        + a11 * y[k + 22 * SLICE] * (s1 * rho2);
            }
            for (int k = 0; k < n; k++) {
                final double rho = rhos[k];
                final double rho2 = rho * rho;
                final double r = rho2 * rho2;
                final double s = r * r;
                final double s1 = s * rho;
                dts[k] += ((e8 * y[k + 17 * SLICE] * s + e9 * y[k + 19 * SLICE] * s1) + e10 * y[k + 21 * SLICE] * (s * rho2))
                        + e11 * y[k + 23 * SLICE] * (s1 * rho2);
            }
        }
        if (three) {
            for (int k = 0; k < n; k++) {
                final double rho = rhos[k];
                final double rho2 = rho * rho;
                final double r = rho2 * rho2;
                final double ar = Math.abs(r * r * r);
                mT[k] = ar * tailX * y[k + 24 * SLICE] - (RELATIVE * Math.abs(ts[k]) + floorX * y[k + 26 * SLICE]);
            }
            for (int k = 0; k < n; k++) {
                final double rho = rhos[k];
                final double rho2 = rho * rho;
                final double r = rho2 * rho2;
                final double ar = Math.abs(r * r * r);
                mD[k] = ar * tailDX * y[k + 25 * SLICE] - (RELATIVE * Math.abs(dts[k]) + floorDX * y[k + 27 * SLICE]);
            }
        } else {
            for (int k = 0; k < n; k++) {
                final double rho = rhos[k];
                final double rho2 = rho * rho;
                final double r = rho2 * rho2;
                final double ar = Math.abs(r * r);
                mT[k] = ar * tailX * y[k + 24 * SLICE] - (RELATIVE * Math.abs(ts[k]) + floorX * y[k + 26 * SLICE]);
            }
            for (int k = 0; k < n; k++) {
                final double rho = rhos[k];
                final double rho2 = rho * rho;
                final double r = rho2 * rho2;
                final double ar = Math.abs(r * r);
                mD[k] = ar * tailDX * y[k + 25 * SLICE] - (RELATIVE * Math.abs(dts[k]) + floorDX * y[k + 27 * SLICE]);
            }
        }
    }

    /** Pairs per {@link Slice}: the Gram engine's tile width. */
    static final int SLICE = 128;
    /**
     * Slots per input in a {@link Slice}: the coefficients of the head's blocks (slots 0 … 23, as
     * in {@link #records}), the tails of φ and φ' after the head (24, 25), the scales (26, 27).
     */
    private static final int SLICE_SLOTS = 2 * TERMS * HEAD + 4;

    /**
     * What {@link #head} reads of up to {@value #SLICE} consecutive inputs of a table, slot-major
     * from index 0: slot s of input from + k at s·{@value #SLICE} + k. A Gram tile's rows all read
     * the same columns, so one copy serves the whole tile (kept in {@link KernelBatch#layerScratch}).
     */
    static final class Slice {
        final double[] data = new double[SLICE_SLOTS * SLICE];
        /** {@value #SLICE} ones (the factor ρ⁰ of a series that starts at degree 0). */
        final double[] one = new double[SLICE];
        /** The caller's per-input factors g and 1/g' (KernelRows coefficients 2 and 3) of the same inputs. */
        final double[] g = new double[SLICE];
        final double[] rg = new double[SLICE];
        /** Per pair: whether the head settled it (≤ 0, QuadratureActivation's settle). */
        final double[] open = new double[SLICE];
        /** The batch's ρ, sin²θ, 1 − cos θ and NTK factor before the series replaced them. */
        final double[] rhoIn = new double[SLICE];
        final double[] s2In = new double[SLICE];
        final double[] vIn = new double[SLICE];
        final double[] ntkIn = new double[SLICE];
        MehlerTable table;
        int from;
        int n;
        {
            java.util.Arrays.fill(one, 1.0);
        }
        /** The arrays the per-input factors were copied from (a slice is kept for the same ones only). */
        private double[] gOf;
        private double[] rgOf;
        private double[] syOf;
        /** The inputs' variances Σyy (KernelRows coefficient 0), for QuadratureActivation's settle. */
        final double[] sy = new double[SLICE];

        /**
         * The slice of inputs from … from + n − 1 (n ≤ {@value #SLICE}) of table t kept in the
         * batch (with the per-input factors g, rg and variances sy of the same inputs), copied
         * there if the batch holds none for the same table, inputs and arrays.
         */
        static Slice of(io.github.ntk4j.internal.KernelBatch batch, MehlerTable t, int from, int n, double[] g, double[] rg,
                double[] sy) {
            final Object[] held = batch.layerScratch;
            int free = -1;
            for (int q = 0; q < held.length; q++) {
                if (held[q] instanceof Slice sl && sl.table == t) {
                    if (sl.from != from || sl.n != n || sl.gOf != g || sl.rgOf != rg || sl.syOf != sy) {
                        sl.fill(t, from, n, g, rg, sy);
                    }
                    return sl;
                }
                if (held[q] == null && free < 0) {
                    free = q;
                }
            }
            Slice sl = new Slice();
            sl.fill(t, from, n, g, rg, sy);
            // more tables than slots (a network of over 16 quadrature layers): replace one in turn
            held[free >= 0 ? free : Math.floorMod(System.identityHashCode(t), held.length)] = sl;
            return sl;
        }

        private void fill(MehlerTable t, int from, int n, double[] g, double[] rg, double[] sy) {
            this.gOf = g;
            this.rgOf = rg;
            this.syOf = sy;
            System.arraycopy(sy, from, this.sy, 0, n);
            System.arraycopy(g, from, this.g, 0, n);
            System.arraycopy(rg, from, this.rg, 0, n);
            this.table = t;
            this.from = from;
            this.n = n;
            final int m = t.n;
            for (int s = 0; s < 2 * TERMS * t.headBlocks; s++) {
                final int block = s / (2 * TERMS);
                final int slot = s % (2 * TERMS);
                System.arraycopy(t.records, (block * RECORD + slot) * m + from, data, s * SLICE, n);
            }
            final int last = t.headBlocks - 1;
            System.arraycopy(t.records, (last * RECORD + 2 * TERMS) * m + from, data, 24 * SLICE, n);
            System.arraycopy(t.records, (last * RECORD + 2 * TERMS + 1) * m + from, data, 25 * SLICE, n);
            System.arraycopy(t.scale, from, data, 26 * SLICE, n);
            System.arraycopy(t.scale, m + from, data, 27 * SLICE, n);
        }
    }

    /**
     * The gaps of T and Ṫ from the collinear pair as series, for 0 &lt; ρ &lt; 1 (c0 = σxσy, c = ρc0),
     * with d_k φ''s coefficients (Ṫ(c') = Σ_k d_k(σx) d_k(σy) (c'/c0)^k):
     * <pre>
     *   T(c0) − T(c) = ∫_c^c0 Ṫ dc' = (c0 − c)·Σ_k d_k d_k m_k,   m_k = (1 + ρ + … + ρ^k)/(k + 1)
     *   Ṫ(c0) − Ṫ(c) = Σ_k d_k d_k (1 − ρ^k)  = (1 − ρ)·Σ_k d_k d_k s_k,   s_k = 1 + ρ + … + ρ^{k−1}
     * </pre>
     * into out[0] (Σ d d m) and out[1] (Σ d d s): every factor is a sum of positive powers, so the
     * gaps keep their relative accuracy however close ρ is to 1, where a difference of T or Ṫ
     * values keeps none. Why: {@link CollinearDefect} took T0 − T by a 6-point rule of Ṫ and
     * T, Ṫ themselves by a 2-D quadrature, seven 2-D quadratures for every pair of a deep network
     * in the ordered phase (sigmoid at the defaults, depth 5: 10 s for 400 inputs).
     *
     * <p>Truncation: 0 &lt; m_k ≤ 1 and 0 ≤ 1 − ρ^k ≤ 1, so the terms beyond a block of either gap
     * (in T0 − T and in Ṫ0 − Ṫ) sum to at most the product of φ''s Cauchy–Schwarz tails after it,
     * as {@link #rest} bounds Ṫ. The series stops at the first block where that bound, times
     * c0 − c for T's gap, is below {@value #GAP_RELATIVE} of that gap (of T's gap: stricter than of T)
     * and below {@value #GAP_RELATIVE} of |Ṫ0 − (1 − ρ)·out[1]| (Ṫ's, given Ṫ0; not tested where
     * tdot0 is NaN), each plus {@value #ABSOLUTE}·√(E[φ'(u)²]E[φ'(v)²]).
     *
     * @param rho ρ = cos θ, in (0, 1)
     * @param oneMinusRho 1 − ρ, from the state without cancellation
     * @param tdot0 Ṫ at the collinear pair, or NaN to bound T's gap alone
     * @param out the two sums
     * @return false when the bound is not met by degree K, nor by degree {@link #WIDE_K} ({@link #wide})
     */
    static boolean collinearGaps(MehlerTable tx, int i, MehlerTable ty, int j, double rho, double oneMinusRho, double tdot0,
            double[] out) {
        if (gaps(tx, i, ty, j, rho, oneMinusRho, tdot0, out)) {
            return true;
        }
        if (!(out[1] <= WIDE_HOPE)) {
            return false;
        }
        // the same to degree WIDE_K where degree K did not meet the bound
        final MehlerTable wx = tx.wide();
        final MehlerTable wy = wx == null ? null : tx == ty ? wx : ty.wide();
        return wy != null && gaps(wx, i, wy, j, rho, oneMinusRho, tdot0, out);
    }

    private static boolean gaps(MehlerTable tx, int i, MehlerTable ty, int j, double rho, double oneMinusRho, double tdot0,
            double[] out) {
        final double[] cx = tx.records;
        final double[] cy = ty.records;
        final int nx = tx.n;
        final int ny = ty.n;
        final double floorD = ABSOLUTE * tx.scale[nx + i] * ty.scale[ny + j];
        // s_k = 1 + ρ + … + ρ^{k−1} and ρ^k, advanced degree by degree to each kept degree k
        // (no arrays: this runs for every nearly collinear pair)
        double power = 1;
        double partial = 0;
        int at = 0;
        double gapT = 0;
        double gapD = 0;
        for (int blk = 0; blk < tx.blocks; blk++) {
            final int p = blk * RECORD * nx + i;
            final int q = blk * RECORD * ny + j;
            for (int s = 0; s < TERMS; s++) {
                final int degree = tx.step * (TERMS * blk + s) + tx.offsetD;
                for (; at < degree; at++) {
                    partial += power;
                    power *= rho;
                }
                final double dd = cx[p + (2 * s + 1) * nx] * cy[q + (2 * s + 1) * ny];
                gapT += dd * ((partial + power) / (degree + 1)); // m_k
                gapD += dd * partial;
            }
            final double tails = cx[p + (2 * TERMS + 1) * nx] * cy[q + (2 * TERMS + 1) * ny];
            final double tolT = GAP_RELATIVE * Math.abs(gapT) + floorD;
            final double tolD = tdot0 != tdot0 ? Double.POSITIVE_INFINITY
                    : GAP_RELATIVE * Math.abs(tdot0 - oneMinusRho * gapD) + floorD;
            if (tails <= tolT && tails <= tolD) {
                out[0] = gapT;
                out[1] = gapD;
                return true;
            }
            if (blk == tx.blocks - 1) {
                // how far the bound stayed from its tolerance, for collinearGaps
                out[0] = Double.NaN;
                out[1] = tails / Math.min(tolT, tolD);
            }
        }
        return false;
    }

    /**
     * How far the bound of degree K may stay from its tolerance for the wide table to be tried
     * ({@link #collinearGaps}): where the tails fall slowly enough to miss by more, degree 127
     * missed as well (tanh at variance 1.2: 2e5 at degree 63, still missing at 127; softplus at
     * 4.5: 700 at degree 63, met at 127), and building the wide table for nothing made sigmoid
     * and mish Grams of random inputs 12–20 % slower.
     */
    private static final double WIDE_HOPE = 1e4;

    /**
     * The series of {@link #sums} from its head's blocks (t, dt, without the factor ρ of a series
     * that starts at degree 1) on, for the correlation ρ: the truncation bound tested after the
     * head and after every further block, which is summed as sums() sums a block; out[0] and
     * out[1] get T and Ṫ with that factor.
     *
     * @return false when the truncation bound of either series is not met by k = K (out then
     *     holds partial sums)
     */
    static boolean rest(MehlerTable tx, int i, MehlerTable ty, int j, double correlation, double t, double dt, double[] out) {
        final double[] cx = tx.records;
        final double[] cy = ty.records;
        final int nx = tx.n;
        final int ny = ty.n;
        final double floorT = ABSOLUTE * tx.scale[i] * ty.scale[j];
        final double floorD = ABSOLUTE * tx.scale[nx + i] * ty.scale[ny + j];
        // the series variable x (ρ, or ρ² for a φ of known parity); the powers ρ^offset that
        // multiply the sums at the end (1 or ρ) are left out of the bound: |ρ| ≤ 1, so a tail
        // below the tolerance of the sum without them stays below it with them
        final double rho = tx.step == 2 ? correlation * correlation : correlation;
        final double rho2 = rho * rho;
        final double rho4 = rho2 * rho2;
        // x^{4·headBlocks}: the bound of the terms beyond the head
        double r = tx.headBlocks == 3 ? rho4 * rho4 * rho4 : rho4 * rho4;
        for (int blk = tx.headBlocks;; blk++) {
            // the tails after block blk − 1
            final double ar = Math.abs(r);
            final int p = ((blk - 1) * RECORD + 2 * TERMS) * nx + i;
            final int q = ((blk - 1) * RECORD + 2 * TERMS) * ny + j;
            if (ar * cx[p] * cy[q] <= RELATIVE * Math.abs(t) + floorT && ar * cx[p + nx] * cy[q + ny] <= RELATIVE * Math.abs(dt) + floorD) {
                out[0] = tx.offsetT == 1 ? t * correlation : t;
                out[1] = tx.offsetD == 1 ? dt * correlation : dt;
                return true;
            }
            if (blk == tx.blocks) {
                break;
            }
            final int pb = blk * RECORD * nx + i;
            final int qb = blk * RECORD * ny + j;
            final double r1 = r * rho;
            final double r2 = r * rho2;
            final double r3 = r1 * rho2;
            t += ((cx[pb] * cy[qb] * r + cx[pb + 2 * nx] * cy[qb + 2 * ny] * r1) + cx[pb + 4 * nx] * cy[qb + 4 * ny] * r2)
                    + cx[pb + 6 * nx] * cy[qb + 6 * ny] * r3;
            dt += ((cx[pb + nx] * cy[qb + ny] * r + cx[pb + 3 * nx] * cy[qb + 3 * ny] * r1) + cx[pb + 5 * nx] * cy[qb + 5 * ny] * r2)
                    + cx[pb + 7 * nx] * cy[qb + 7 * ny] * r3;
            r *= rho4;
        }
        out[0] = tx.offsetT == 1 ? t * correlation : t;
        out[1] = tx.offsetD == 1 ? dt * correlation : dt;
        return false;
    }
}
