package io.github.ntk4j.learn;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.NumericalFailureException;
import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.internal.Workers;
import java.util.Arrays;
import java.util.Random;

/**
 * Kernel ridge regression for training sets too large for an N×N matrix: FALKON (Rudi,
 * Carratino and Rosasco, "FALKON: An Optimal Large Scale Kernel Method", NeurIPS 2017, Alg. 1;
 * Meanti, Carratino, Rosasco and Rudi, "Kernel methods through the roof", NeurIPS 2020).
 *
 * <p>M Nyström centres C are drawn uniformly without replacement from the training inputs; the
 * estimator is f(x) = G(x, C) α with α solving the Nyström ridge problem
 * <pre>
 *   (G_nMᵀ G_nM + λ n G_MM) α = G_nMᵀ Y,     λ = r / n
 * </pre>
 * (G the NTK or NNGP, r the regulariser of the dense path: as M → N this is exactly the dense
 * t = ∞ solution G* (G + rI)⁻¹ Y). It is solved by conjugate gradient preconditioned with
 * B = (1/√n) T⁻¹A⁻¹, where G_MM = TᵀT and TTᵀ/M + λI = AᵀA are Cholesky factorisations
 * (upper T, A; here computed as lower factors L = Tᵀ, B' = Aᵀ with LAPACK): the preconditioned
 * system is
 * <pre>
 *   A⁻ᵀ (T⁻ᵀ G_nMᵀ G_nM T⁻¹ / n + λ I) A⁻¹ β = A⁻ᵀ T⁻ᵀ G_nMᵀ Y / n,     α = T⁻¹ A⁻¹ β,
 * </pre>
 * whose condition number is O(1) for M of order √n·log n, so a few tens of iterations suffice.
 *
 * <p><b>Blocks.</b> G_nM is not needed whole (as many of its row slices as fit in half the free
 * heap are kept, all of it when it fits, to save recomputing them each iteration): each iteration computes, for row
 * slices X_b of the training set, G_bᵀ(G_b u + v_b) with G_b = G(X_b, C) from the analytic
 * Gram code, and sums the M×k results. The slices are independent pure work
 * ({@link #blockProduct}), so the sum could be mapped onto any distributed engine. Memory is
 * O(M² + N·d + b·M) for slices of b rows. The centres' kernel G_MM gets a jitter of
 * M·ε·max diag so that duplicate centres do not break its factorisation.
 *
 * <p>Instances are immutable.
 */
public final class FalkonRegressor {
    /** Kernel entries per row slice (b·M): 64 MB of doubles. */
    static final long BLOCK_ENTRIES = 8_000_000L;

    private final KernelFunction engine;
    private final KernelKind kind;
    private final double[][] centres;
    private final double[] alpha; // M×k column-major
    private final int k;
    private final int iterations;
    private final double residual;

    private FalkonRegressor(KernelFunction engine, KernelKind kind, double[][] centres, double[] alpha, int k, int iterations,
            double residual) {
        this.engine = engine;
        this.kind = kind;
        this.centres = centres;
        this.alpha = alpha;
        this.k = k;
        this.iterations = iterations;
        this.residual = residual;
    }

    /**
     * Heap the solver needs beyond the data: about five M×M matrices and one row slice.
     *
     * @param n training inputs
     * @param m centres
     * @param k outputs
     * @return bytes
     */
    public static long bytesNeeded(long n, long m, long k) {
        long slice = Math.min(n, Math.max(1, BLOCK_ENTRIES / m));
        return 5 * Lapack.bytes(m, m) + 3 * Lapack.bytes(slice, m) + 6 * Lapack.bytes(m, k) + 2 * Lapack.bytes(n, k);
    }

    /**
     * Fits the estimator.
     *
     * @param engine the kernel engine (its progress listener is not used; pass {@code progress})
     * @param kind NTK or NNGP
     * @param x n training inputs
     * @param y n×k targets
     * @param m number of centres, 1 ≤ m ≤ n
     * @param diagReg r &gt; 0, the dense path's regulariser (λ = r/n)
     * @param maxIterations conjugate-gradient iterations at most, ≥ 1
     * @param tolerance stop when every column's preconditioned residual is below this fraction of its start
     * @param seed the seed of the centre draw
     * @param progress receives (row slices done, slices of the first pass and of every allowed iteration);
     *        the bar jumps to the end when the iteration converges early
     * @return the fitted estimator
     */
    public static FalkonRegressor fit(KernelFunction engine, KernelKind kind, double[][] x, double[][] y, int m, double diagReg,
            int maxIterations, double tolerance, long seed, Progress progress) {
        int d = DataChecks.dataSet("training inputs", x);
        DataChecks.dataSet("targets", y);
        int n = x.length;
        if (y.length != n) {
            throw Messages.dimensionMismatch("the targets", y.length, "the training inputs", n);
        }
        if (m < 1 || m > n) {
            throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + n
                    + "), got " + m);
        }
        if (!(diagReg > 0) || !Double.isFinite(diagReg)) {
            throw Messages.notPositive("diag-reg (the ridge of the matrix-free solver)", diagReg);
        }
        if (maxIterations < 1) {
            throw Messages.tooSmall("iterations", maxIterations, 1);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw Messages.invalid("the tolerance must be in (0, 1), got " + tolerance);
        }
        int k = y[0].length;
        Lapack.checkSize("the centres' kernel matrix", m, m);
        io.github.ntk4j.internal.MemoryCheck.require("the matrix-free solver with " + m + " centres", bytesNeeded(n, m, k));
        KernelFunction eng = engine.withProgress(Progress.NONE);
        Progress bar = progress == null ? Progress.NONE : progress;

        int[] drawn = centreIndices(n, m, seed);
        double[][] c = new double[m][];
        for (int i = 0; i < m; i++) {
            c[i] = x[drawn[i]].clone();
        }
        try (Workers workers = new Workers(eng.threads())) {
            Blocks blocks = new Blocks(eng, kind, x, c, bar, maxIterations + 1L, workers);
            double[] yc = Lapack.colMajor(y);
            FalkonRegressor fitted = solve(eng, kind, c, n, k, diagReg, maxIterations, tolerance, new Products() {
                @Override
                public double[] targets() {
                    return blocks.product(null, yc, k);
                }

                @Override
                public double[] gram(double[] u) {
                    return blocks.product(u, null, k);
                }
            });
            blocks.finish();
            return fitted;
        }
    }

    /**
     * The centres' row numbers of {@link #fit}: a uniform draw of m of 0..n−1 without
     * replacement (a partial Fisher–Yates shuffle with {@code new Random(seed)}), in draw order.
     * A distributed fit that takes these rows as its centres solves the same system.
     *
     * @param n rows
     * @param m centres, 1 ≤ m ≤ n
     * @param seed the seed
     * @return m distinct row numbers
     */
    public static int[] centreIndices(int n, int m, long seed) {
        if (m < 1 || m > n) {
            throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + n
                    + "), got " + m);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random rng = new Random(seed);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, m);
    }

    /**
     * The two sums over the training rows that FALKON needs, wherever the rows are (this JVM's
     * row slices in {@link #fit}; row partitions of a cluster in the Spark engine). Each is a sum
     * of independent per-slice terms ({@link #sliceProduct}).
     */
    public interface Products {
        /** @return G_nMᵀ Y, M×k column-major */
        double[] targets();

        /**
         * @param u M×k column-major
         * @return G_nMᵀ G_nM u, M×k column-major
         */
        double[] gram(double[] u);
    }

    /**
     * FALKON's solve given the centres and the sums over the rows: the preconditioner from G_MM
     * and the preconditioned conjugate gradient of the class comment, each iteration one call of
     * {@link Products#gram}.
     *
     * @param engine the kernel (for G_MM and for predictions)
     * @param kind NTK or NNGP
     * @param centres the M centres (not copied)
     * @param n training rows, ≥ M
     * @param k outputs
     * @param diagReg r &gt; 0 (λ = r/n)
     * @param maxIterations conjugate-gradient iterations at most, ≥ 1
     * @param tolerance stop when every column's preconditioned residual is below this fraction of its start
     * @param products the sums over the training rows
     * @return the fitted estimator
     */
    public static FalkonRegressor solve(KernelFunction engine, KernelKind kind, double[][] centres, long n, int k,
            double diagReg, int maxIterations, double tolerance, Products products) {
        DataChecks.dataSet("centres", centres);
        int m = centres.length;
        if (n < m) {
            throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + n
                    + "), got " + m);
        }
        if (!(diagReg > 0) || !Double.isFinite(diagReg)) {
            throw Messages.notPositive("diag-reg (the ridge of the matrix-free solver)", diagReg);
        }
        if (maxIterations < 1) {
            throw Messages.tooSmall("iterations", maxIterations, 1);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw Messages.invalid("the tolerance must be in (0, 1), got " + tolerance);
        }
        Lapack.checkSize("the centres' kernel matrix", m, m);
        KernelFunction eng = engine.withProgress(Progress.NONE);
        double[][] c = centres;

        // G_MM = L Lᵀ (L = Tᵀ), then LᵀL/M + λI = B Bᵀ (B = Aᵀ)
        double lambda = diagReg / n;
        double[] kmm = Mat.flat(eng.gram(c, kind));
        double maxDiag = 0;
        for (int i = 0; i < m; i++) {
            maxDiag = Math.max(maxDiag, kmm[i * m + i]);
        }
        double jitter = m * Math.ulp(1.0) * maxDiag;
        CholeskySolver l = CholeskySolver.factorInPlace(kmm, m, jitter,
                "the kernel matrix of the " + m + " centres", Double.POSITIVE_INFINITY);
        double[] lower = l.lowerFactor();
        double[] s = Lapack.gemm(true, false, m, m, m, lower, lower); // LᵀL
        for (int i = 0; i < s.length; i++) {
            s[i] /= m;
        }
        CholeskySolver b = CholeskySolver.factorInPlace(s, m, lambda, "the FALKON preconditioner", Double.POSITIVE_INFINITY);

        double[] beta;
        int it;
        double worst;
        {
            // right-hand side B⁻¹ L⁻¹ G_nMᵀ Y / n
            double[] rhs = products.targets();
            scale(rhs, 1.0 / n);
            l.forward(rhs, k);
            b.forward(rhs, k);

            // preconditioned conjugate gradient, one independent recursion per output column
            beta = new double[m * k];
            double[] r = rhs.clone();
            double[] p = r.clone();
            double[] rr = dots(r, r, m, k);
            double[] start = rr.clone();
            it = 0;
            worst = 1;
            while (it < maxIterations) {
                worst = 0;
                for (int c2 = 0; c2 < k; c2++) {
                    worst = Math.max(worst, start[c2] == 0 ? 0 : Math.sqrt(rr[c2] / start[c2]));
                }
                if (worst <= tolerance) {
                    break;
                }
                double[] ap = apply(p, l, b, products, lambda, n, m, k);
                double[] pap = dots(p, ap, m, k);
                for (int col = 0; col < k; col++) {
                    if (rr[col] == 0) {
                        continue;
                    }
                    if (!(pap[col] > 0)) {
                        throw new NumericalFailureException("FALKON's conjugate gradient broke down (p·Ap = " + pap[col]
                                + "): the preconditioned system is not positive definite in floating point; "
                                + "raise the regulariser");
                    }
                    double a = rr[col] / pap[col];
                    int o = col * m;
                    for (int i = 0; i < m; i++) {
                        beta[o + i] += a * p[o + i];
                        r[o + i] -= a * ap[o + i];
                    }
                }
                double[] rrNew = dots(r, r, m, k);
                for (int col = 0; col < k; col++) {
                    double g = rr[col] == 0 ? 0 : rrNew[col] / rr[col];
                    int o = col * m;
                    for (int i = 0; i < m; i++) {
                        p[o + i] = r[o + i] + g * p[o + i];
                    }
                }
                rr = rrNew;
                it++;
            }
            if (it == maxIterations) {
                worst = 0;
                for (int c2 = 0; c2 < k; c2++) {
                    worst = Math.max(worst, start[c2] == 0 ? 0 : Math.sqrt(rr[c2] / start[c2]));
                }
            }
        }
        // α = L⁻ᵀ B⁻ᵀ β
        b.backSubstitute(beta, k);
        l.backSubstitute(beta, k);
        return new FalkonRegressor(eng, kind, c, beta, k, it, worst);
    }

    /** The preconditioned operator B⁻¹ (L⁻¹ G_nMᵀ G_nM L⁻ᵀ / n + λ I) B⁻ᵀ u. */
    private static double[] apply(double[] u, CholeskySolver l, CholeskySolver b, Products products, double lambda, long n,
            int m, int k) {
        double[] v = u.clone();
        b.backSubstitute(v, k); // A⁻¹u = B⁻ᵀu
        double[] w = v.clone();
        l.backSubstitute(w, k); // T⁻¹A⁻¹u = L⁻ᵀ B⁻ᵀ u
        double[] q = products.gram(w);
        scale(q, 1.0 / n);
        l.forward(q, k); // T⁻ᵀ(·) = L⁻¹(·)
        for (int i = 0; i < q.length; i++) {
            q[i] += lambda * v[i];
        }
        b.forward(q, k); // A⁻ᵀ(·) = B⁻¹(·)
        return q;
    }

    private static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }

    private static double[] dots(double[] a, double[] b, int m, int k) {
        double[] out = new double[k];
        for (int col = 0; col < k; col++) {
            double s = 0;
            for (int i = col * m, e = i + m; i < e; i++) {
                s += a[i] * b[i];
            }
            out[col] = s;
        }
        return out;
    }

    /** Rows of a slice per task of {@link #blockProduct}: 256·M doubles, within the L2/L3 caches. */
    private static final int TASK_ROWS = 256;

    /**
     * One row slice's share of G_nMᵀ(G_nM u + v): G_bᵀ(G_b u + v_b), M×k column-major. Pure: it
     * depends only on its arguments, so slices can run anywhere and their results be summed.
     *
     * <p>Computed row by row in one pass: z = G_b[i,:]·u + v_i, then w += z·G_b[i,:] while the
     * row is still in the L1 cache, over tasks of {@value #TASK_ROWS} rows shared among the
     * workers, their partial sums added in task order (so the result does not depend on the
     * thread count). Why not two dgemm calls on OpenBLAS as the dense path does: for k = 1
     * those are matrix–vector products, bound by memory, and JavaCPP copies the Java array of
     * each 64 MB slice into native memory and back on every call; measured at N = 100,000,
     * M = 2000 (`bench falkon`), the conjugate-gradient iterations took most of a run that did not
     * finish in 14 minutes, and minutes in all after this change (docs/LEARNING.md §8).
     *
     * @param kernelBlock G(X_b, C), b×M row-major flattened (= G_bᵀ column-major)
     * @param rows b
     * @param m M
     * @param u M×k column-major, or null for 0
     * @param v the slice's b×k column-major part of v, or null for 0
     * @param k outputs
     * @param workers threads to share the rows among
     * @return M×k
     */
    static double[] blockProduct(double[] kernelBlock, int rows, int m, double[] u, double[] v, int k, Workers workers) {
        int tasks = (rows + TASK_ROWS - 1) / TASK_ROWS;
        double[][] parts = new double[tasks][];
        workers.forEach(tasks, t -> {
            double[] w = new double[m * k];
            for (int i = t * TASK_ROWS, end = Math.min(rows, i + TASK_ROWS); i < end; i++) {
                int row = i * m;
                for (int c = 0; c < k; c++) {
                    double z = (v == null ? 0 : v[c * rows + i])
                            + (u == null ? 0 : Vectors.dot(kernelBlock, row, u, c * m, m));
                    if (z != 0) {
                        Vectors.axpy(w, c * m, z, kernelBlock, row, m);
                    }
                }
            }
            parts[t] = w;
        });
        double[] out = parts[0];
        for (int t = 1; t < tasks; t++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += parts[t][i];
            }
        }
        return out;
    }

    /**
     * One row slice's share G_bᵀ(G_b u + v_b) of the sums of {@link Products}, on the calling
     * thread (see {@link #blockProduct}, whose partial sums it adds in the same order).
     *
     * @param kernelBlock G(X_b, C), b×M row-major flattened
     * @param rows b
     * @param m M
     * @param u M×k column-major, or null for 0
     * @param v the slice's b×k column-major part of v, or null for 0
     * @param k outputs
     * @return M×k column-major
     */
    public static double[] sliceProduct(double[] kernelBlock, int rows, int m, double[] u, double[] v, int k) {
        if (rows < 1 || m < 1 || k < 1 || kernelBlock.length != (long) rows * m) {
            throw Messages.invalid("a kernel block of " + rows + " × " + m + " needs " + (long) rows * m + " entries, got "
                    + kernelBlock.length);
        }
        try (Workers one = Workers.serial()) {
            return blockProduct(kernelBlock, rows, m, u, v, k, one);
        }
    }

    /** G_nM by row slices, kept when they fit in half the free heap. */
    private static final class Blocks {
        final KernelFunction engine;
        final KernelKind kind;
        final double[][] x;
        final double[][] c;
        final int rowsPerBlock;
        /** Kept slices: the first {@link #keep} of them, once computed. */
        final double[][] cache;
        final int keep;
        final Progress progress;
        final Workers workers;
        final long total;
        long done;

        Blocks(KernelFunction engine, KernelKind kind, double[][] x, double[][] c, Progress progress, long passes,
                Workers workers) {
            this.progress = progress;
            this.workers = workers;
            this.engine = engine;
            this.kind = kind;
            this.x = x;
            this.c = c;
            int m = c.length;
            this.rowsPerBlock = (int) Math.max(1, Math.min(x.length, BLOCK_ENTRIES / m));
            int count = (x.length + rowsPerBlock - 1) / rowsPerBlock;
            // keep as many slices as fit in half the free heap (all of G_nM when it fits), so
            // that each iteration recomputes only the others; memory stays O(M² + N·d) without
            this.keep = (int) Math.min(count, io.github.ntk4j.internal.MemoryCheck.available() / 2 / (8L * rowsPerBlock * m));
            this.cache = new double[count][];
            this.total = passes * count;
            progress.update(0, total);
        }

        void finish() {
            progress.update(total, total);
        }

        /** @return G_nMᵀ(G_nM u + v), M×k (u, v null for 0) */
        double[] product(double[] u, double[] v, int k) {
            int n = x.length;
            int m = c.length;
            double[] w = new double[m * k];
            for (int s = 0, blk = 0; s < n; s += rowsPerBlock, blk++) {
                int e = Math.min(n, s + rowsPerBlock);
                int rows = e - s;
                double[] kb = cache[blk] != null ? cache[blk]
                        : Mat.flat(engine.cross(Arrays.copyOfRange(x, s, e), c, kind));
                if (blk < keep) {
                    cache[blk] = kb;
                }
                double[] vb = null;
                if (v != null) {
                    vb = new double[rows * k];
                    for (int col = 0; col < k; col++) {
                        System.arraycopy(v, col * n + s, vb, col * rows, rows);
                    }
                }
                double[] part = blockProduct(kb, rows, m, u, vb, k, workers);
                progress.update(++done, total);
                for (int i = 0; i < w.length; i++) {
                    w[i] += part[i];
                }
            }
            return w;
        }
    }

    /**
     * Predictions G(X*, C) α.
     *
     * @param xTest test inputs
     * @return m×k
     */
    public double[][] predict(double[][] xTest) {
        DataChecks.dataSet("test inputs", xTest);
        int m = centres.length;
        double[][] out = new double[xTest.length][];
        int rows = (int) Math.max(1, BLOCK_ENTRIES / m);
        for (int s = 0; s < xTest.length; s += rows) {
            int e = Math.min(xTest.length, s + rows);
            double[][] part = Mat.mul(engine.cross(Arrays.copyOfRange(xTest, s, e), centres, kind), alpha, m, k);
            System.arraycopy(part, 0, out, s, e - s);
        }
        return out;
    }

    /** @return the number of centres M */
    public int centres() {
        return centres.length;
    }

    /** @return α, the M×k coefficients of f(x) = G(x, C) α, column-major (a copy) */
    public double[] coefficients() {
        return alpha.clone();
    }

    /** @return conjugate-gradient iterations run */
    public int iterations() {
        return iterations;
    }

    /** @return the largest final relative residual of the preconditioned system over the outputs */
    public double relativeResidual() {
        return residual;
    }

    /** @return the kernel */
    public KernelKind kind() {
        return kind;
    }
}
