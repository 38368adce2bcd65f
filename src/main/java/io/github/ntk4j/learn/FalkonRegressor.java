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
 * <p><b>Blocks.</b> G_nM is not needed whole. Where it fits in {@link #keepBudget} (64·M² bytes,
 * about eight M×M matrices) and, with two M×M matrices for a fit beside it, in the free heap
 * ({@link #keepsWhole}), its row slices are computed once and
 * kept, and each iteration computes G_bᵀ(G_b u + v_b) for the row slices X_b (G_b = G(X_b, C)
 * from the analytic Gram code) and sums the M×k results ({@link #blockProduct}: independent pure
 * work, so the sum maps onto any distributed engine). Otherwise one kernel pass forms the normal
 * matrix H = G_nMᵀG_nM (M×M, BLAS dsyrk over the slices, kept off the Java heap) and G_nMᵀY:
 * memory O(M² + N·d + b·M) for slices of b rows, as a numpy Nyström solver that accumulates H.
 * That fit then solves (H + r G_MM) α = G_nMᵀY directly (one Cholesky factorisation and a step of
 * iterative refinement, {@link Problem#fit}) where that is the cheaper and its error estimate is
 * within the tolerance, otherwise by the conjugate gradient above with the products H u. The
 * centres' kernel G_MM gets a jitter of M·ε·max diag so that duplicate centres do not break its
 * factorisation; where the centres are rows of X it is copied out of the pass over G(X, C).
 *
 * <p>Instances are immutable.
 */
public final class FalkonRegressor {
    /**
     * Kernel entries per row slice (b·M): 16 MB of doubles. Why not more: each slice's kernel
     * computation allocates a few times its size, and the JVM's heap (and so the process's
     * resident memory) grows with it; with 64 MB slices the N = 20,000, M = 2,000 fit peaked
     * at 0.70 GB of heap.
     */
    static final long BLOCK_ENTRIES = 2_000_000L;

    /**
     * How a {@link Problem} keeps G(X, C) in the heap between its products.
     *
     * <p>{@link #DOUBLE} (the default) keeps the kernel entries as computed. {@link #SINGLE}
     * rounds each entry to the nearest float (IEEE 754 binary32, relative error at most 2⁻²⁴ ≈
     * 6·10⁻⁸) and keeps half the bytes, 4·N·M instead of 8·N·M, so about twice the centres fit
     * the same heap (N = 60,000, M = 16,000: 3.8 GB instead of 7.7 GB). Each slice is widened back
     * to doubles before its product, and every product, right-hand side and prediction of the
     * problem's rows reads the same rounded entries, so a fit solves exactly the Nyström problem
     * of the rounded G̃ = G + E, |E_ij| ≤ 2⁻²⁴|G_ij|, with the centres' factors (G_MM, LᵀL/M) and
     * all arithmetic in double precision; predictions of new inputs ({@link #predict}) use the
     * unrounded kernel. The rounding is far below the ridge: on the proxy of Fashion-MNIST's
     * validation split (docs/LEARNING.md §10: 27,000 training images, M = 3,000, ridges 10⁻³ and
     * 10⁻², exact and 10–20 CG iterations) it changes none of the 6,000 validation predictions.
     * Without G(X, C) kept (each fit forms its normal matrix in one pass) the storage makes no difference.
     */
    public enum Storage {
        /** 8 bytes per entry, the entries as computed. */
        DOUBLE("double"),
        /** 4 bytes per entry, each entry rounded to the nearest float. */
        SINGLE("single");

        private final String label;

        Storage(String label) {
            this.label = label;
        }

        /** @return "double" or "single" (the CLI's {@code --kernel-storage} values) */
        public String label() {
            return label;
        }

        /** @return bytes per kept kernel entry */
        public int bytes() {
            return this == SINGLE ? 4 : 8;
        }

        /**
         * @param s "double" or "single" (case ignored)
         * @return the storage
         * @throws io.github.ntk4j.InvalidInputException for another value
         */
        public static Storage parse(String s) {
            Storage st = DataChecks.byLabel(values(), Storage::label, s);
            if (st != null) {
                return st;
            }
            throw Messages.badChoice("--kernel-storage", String.valueOf(s), "double or single");
        }
    }

    private final KernelFunction engine;
    private final KernelKind kind;
    private final double[][] centres;
    private final double[] alpha; // M×k column-major
    private final int k;
    private final int iterations;
    private final double residual;
    private final Timing timing;
    /** Per output column, the sum of squared training residuals of the fit; null where not known. */
    private final double[] residualSquares;
    /** Training rows of the fit (for {@link #trainingResidualRms}). */
    private final long rows;

    /** Whether α came from the direct solve of the normal equations (no conjugate-gradient iterations). */
    private final boolean direct;

    private FalkonRegressor(KernelFunction engine, KernelKind kind, double[][] centres, double[] alpha, int k, int iterations,
            double residual, Timing timing) {
        this(engine, kind, centres, alpha, k, iterations, residual, timing, null, 0, false);
    }

    private FalkonRegressor(KernelFunction engine, KernelKind kind, double[][] centres, double[] alpha, int k, int iterations,
            double residual, Timing timing, double[] residualSquares, long rows, boolean direct) {
        this.direct = direct;
        this.residualSquares = residualSquares;
        this.rows = rows;
        this.timing = timing;
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
     * Heap of {@link #predict} on {@code rows} inputs: the results (rows × k) and one slice of
     * the cross kernel to the centres (at most {@code BLOCK_ENTRIES} entries) with its product.
     *
     * @param rows inputs to predict
     * @param m centres
     * @param k outputs
     * @return bytes, saturating
     */
    public static long predictionBytes(long rows, long m, long k) {
        long slice = Math.min(Math.max(rows, 1), Math.max(1, BLOCK_ENTRIES / Math.max(m, 1)));
        return io.github.ntk4j.internal.MemoryCheck.plus(io.github.ntk4j.internal.MemoryCheck.doubles(rows, k),
                io.github.ntk4j.internal.MemoryCheck.times(2, io.github.ntk4j.internal.MemoryCheck.doubles(slice, m)),
                io.github.ntk4j.internal.MemoryCheck.doubles(slice, k));
    }

    /**
     * Heap of a fit followed by predictions on {@code tests} inputs and on the n training inputs
     * (their residual): {@link #bytesNeeded(long, long, long)} plus the larger prediction (they
     * run one after the other) and the kept test predictions. Nothing here grows with n², so a
     * data set the dense path refuses fits in O(M² + N d) (the inputs themselves are already read).
     *
     * @param n training inputs
     * @param tests test inputs
     * @param m centres
     * @param k outputs
     * @return bytes, saturating
     */
    public static long bytesNeeded(long n, long tests, long m, long k) {
        return io.github.ntk4j.internal.MemoryCheck.plus(bytesNeeded(n, m, k), predictionBytes(Math.max(n, tests), m, k),
                io.github.ntk4j.internal.MemoryCheck.doubles(tests, k));
    }

    /**
     * FALKON's settings, named: the ridge (required, no default), then optional changes from the
     * defaults, which are the CLI's ({@code --centres 2000} capped at the number of training
     * inputs, {@code --iterations 100}, {@code --tolerance 1e-7}, seed 0, no progress).
     * Immutable; each {@code with…} returns a copy, checked at once.
     *
     * <pre>{@code
     * FalkonRegressor f = FalkonRegressor.fit(kernel, KernelKind.NTK, x, y,
     *         FalkonRegressor.Options.ridge(1e-3).withCentres(500).withSeed(7));
     * }</pre>
     */
    public static final class Options {
        /** The default number of centres (capped at the number of training inputs). */
        public static final int DEFAULT_CENTRES = 2000;
        private final int centres; // 0: the default, min(DEFAULT_CENTRES, n)
        private final double diagReg;
        private final int maxIterations;
        private final double tolerance;
        private final long seed;
        private final Progress progress;

        private Options(int centres, double diagReg, int maxIterations, double tolerance, long seed, Progress progress) {
            if (!(diagReg > 0) || !Double.isFinite(diagReg)) {
                throw Messages.notPositive("diag-reg (the ridge of the matrix-free solver)", diagReg);
            }
            if (maxIterations < 1) {
                throw Messages.tooSmall("iterations", maxIterations, 1);
            }
            if (!(tolerance > 0 && tolerance < 1)) {
                throw Messages.invalid("the tolerance must be in (0, 1), got " + tolerance);
            }
            this.centres = centres;
            this.diagReg = diagReg;
            this.maxIterations = maxIterations;
            this.tolerance = tolerance;
            this.seed = seed;
            this.progress = progress == null ? Progress.NONE : progress;
        }

        /**
         * @param diagReg r &gt; 0, the regulariser (λ = r/n)
         * @return options with that ridge and the defaults
         */
        public static Options ridge(double diagReg) {
            return new Options(0, diagReg, 100, 1e-7, 0, Progress.NONE);
        }

        /**
         * @param m number of centres, 1 ≤ m (and m ≤ n, checked by {@code fit})
         * @return a copy with m centres
         */
        public Options withCentres(int m) {
            if (m < 1) {
                throw Messages.tooSmall("centres", m, 1);
            }
            return new Options(m, diagReg, maxIterations, tolerance, seed, progress);
        }

        /**
         * @param iterations conjugate-gradient iterations at most, ≥ 1
         * @return a copy
         */
        public Options withIterations(int iterations) {
            return new Options(centres, diagReg, iterations, tolerance, seed, progress);
        }

        /**
         * @param tol stop when every column's preconditioned residual is below this fraction of its start, in (0, 1)
         * @return a copy
         */
        public Options withTolerance(double tol) {
            return new Options(centres, diagReg, maxIterations, tol, seed, progress);
        }

        /**
         * @param s the seed of the centre draw
         * @return a copy
         */
        public Options withSeed(long s) {
            return new Options(centres, diagReg, maxIterations, tolerance, s, progress);
        }

        /**
         * @param listener receives (row slices done, slices of the first pass and of every allowed
         *        iteration); the bar jumps to the end when the iteration converges early
         * @return a copy
         */
        public Options withProgress(Progress listener) {
            return new Options(centres, diagReg, maxIterations, tolerance, seed, listener);
        }

        /**
         * @param n training inputs
         * @return the number of centres for n inputs: the one set, or min(2000, n)
         */
        public int centres(int n) {
            return centres > 0 ? centres : Math.min(DEFAULT_CENTRES, n);
        }

        /** @return the ridge r (λ = r/n) */
        public double ridge() {
            return diagReg;
        }

        /** @return the iteration cap */
        public int iterations() {
            return maxIterations;
        }

        /** @return the relative tolerance */
        public double tolerance() {
            return tolerance;
        }

        /** @return the seed of the centre draw */
        public long seed() {
            return seed;
        }

        @Override
        public String toString() {
            return "FalkonRegressor.Options[centres=" + (centres > 0 ? Integer.toString(centres) : "min(2000, n)")
                    + ", ridge=" + diagReg + ", iterations=" + maxIterations + ", tolerance=" + tolerance
                    + ", seed=" + seed + "]";
        }
    }

    /**
     * Fits the estimator.
     *
     * @param engine the kernel engine (its progress listener is not used; see {@link Options#withProgress})
     * @param kind NTK or NNGP
     * @param x n training inputs
     * @param y n×k targets
     * @param options the ridge, centres, iterations, tolerance, seed and progress
     * @return the fitted estimator
     */
    public static FalkonRegressor fit(KernelFunction engine, KernelKind kind, double[][] x, double[][] y, Options options) {
        if (options == null) {
            throw Messages.invalid("options is null (FalkonRegressor.Options.ridge(r) makes them)");
        }
        double diagReg = options.diagReg;
        int maxIterations = options.maxIterations;
        double tolerance = options.tolerance;
        long seed = options.seed;
        Progress progress = options.progress;
        int d = DataChecks.dataSet("training inputs", x);
        DataChecks.dataSet("targets", y);
        int n = x.length;
        if (y.length != n) {
            throw Messages.dimensionMismatch("the targets", y.length, "the training inputs", n);
        }
        int m = options.centres(n);
        if (m > n) {
            throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + n
                    + "), got " + m);
        }
        int k = y[0].length;
        Lapack.checkSize("the centres' kernel matrix", m, m);
        io.github.ntk4j.internal.MemoryCheck.require("the matrix-free solver with " + m + " centres", bytesNeeded(n, m, k));
        Problem p = Problem.prepare(engine, kind, x, centres(x, n, m, seed), progress,
                maxIterations + 2L); // the kernel pass, the right-hand side's pass and one per iteration
        return p.fit(n, y, diagReg, maxIterations, tolerance, null);
    }

    /**
     * M centres drawn uniformly without replacement from the first {@code rows} inputs (a partial
     * Fisher–Yates shuffle with {@link Random}{@code (seed)}), copied.
     *
     * @param x inputs
     * @param rows draw from x[0..rows)
     * @param m centres, 1 ≤ m ≤ rows
     * @param seed the seed
     * @return m rows of x
     */
    public static double[][] centres(double[][] x, int rows, int m, long seed) {
        if (rows < 1 || rows > x.length) {
            throw Messages.invalid("the centres are drawn from the first 1.." + x.length + " rows, got " + rows);
        }
        if (m < 1 || m > rows) {
            throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + rows
                    + "), got " + m);
        }
        int[] drawn = centreIndices(rows, m, seed);
        double[][] c = new double[m][];
        for (int i = 0; i < m; i++) {
            c[i] = x[drawn[i]].clone();
        }
        return c;
    }

    /**
     * The centres' row numbers of {@link #centres}: a uniform draw of m of 0..n−1 without
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
     * row slices in a {@link Problem}; row partitions of a cluster in the Spark engine). Each is
     * a sum of independent per-slice terms ({@link #sliceProduct}).
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
     * {@link Products#gram}. {@link Problem#fit} runs the same solve over this JVM's row slices.
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
        checkSolve(diagReg, maxIterations, tolerance);
        Lapack.checkSize("the centres' kernel matrix", m, m);
        long t0 = System.nanoTime();
        KernelFunction eng = engine.withProgress(Progress.NONE);
        CentreFactors f = CentreFactors.of(eng, kind, centres);
        double setup = (System.nanoTime() - t0) * 1e-9;
        return conjugateGradient(eng, kind, centres, f, n, k, diagReg, maxIterations, tolerance, products, Double.NaN, Double.NaN, setup);
    }

    private static void checkSolve(double diagReg, int maxIterations, double tolerance) {
        if (!(diagReg > 0) || !Double.isFinite(diagReg)) {
            throw Messages.notPositive("diag-reg (the ridge of the matrix-free solver)", diagReg);
        }
        if (maxIterations < 1) {
            throw Messages.tooSmall("iterations", maxIterations, 1);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw Messages.invalid("the tolerance must be in (0, 1), got " + tolerance);
        }
    }

    /**
     * G' = G_MM + jI, the centres' kernel with a jitter j = M·ε·max diag so that duplicate centres
     * do not break its factorisation: column-major (symmetric), on the heap.
     */
    static double[] centreKernel(KernelFunction eng, KernelKind kind, double[][] centres) {
        int m = centres.length;
        double[] kmm = eng.gramFlat(centres, kind); // written in place: no rows to copy (KernelFunction#gramFlat)
        double maxDiag = 0;
        for (int i = 0; i < m; i++) {
            maxDiag = Math.max(maxDiag, kmm[i * m + i]);
        }
        double jitter = m * Math.ulp(1.0) * maxDiag;
        for (int i = 0; i < m; i++) {
            kmm[i * m + i] += jitter;
        }
        return kmm;
    }

    /** G' = L Lᵀ and S = LᵀL/M (independent of the ridge and of the rows fitted). */
    private record CentreFactors(CholeskySolver l, double[] s) {
        static CentreFactors of(KernelFunction eng, KernelKind kind, double[][] centres) {
            return of(centreKernel(eng, kind, centres), centres.length);
        }

        /** @param g G' of {@link #centreKernel} (not changed) */
        static CentreFactors of(double[] g, int m) {
            // G' = L Lᵀ (L = Tᵀ), then S = LᵀL/M (dlauum: L is triangular)
            CholeskySolver l = CholeskySolver.factorOf(g, m, false, "the kernel matrix of the " + m + " centres",
                    Double.POSITIVE_INFINITY);
            double[] s = l.lowerFactor();
            Lapack.lauumLower(s, m); // LᵀL
            for (int i = 0; i < s.length; i++) {
                s[i] /= m;
            }
            return new CentreFactors(l, s);
        }

        /** @return the Cholesky factor of S + λI (S itself unchanged: its diagonal is restored exactly) */
        CholeskySolver preconditioner(int m, double lambda) {
            double[] diag = new double[m];
            for (int i = 0; i < m; i++) {
                diag[i] = s[i * m + i];
                s[i * m + i] += lambda;
            }
            try {
                return CholeskySolver.factorOf(s, m, false, "the FALKON preconditioner", Double.POSITIVE_INFINITY);
            } finally {
                for (int i = 0; i < m; i++) {
                    s[i * m + i] = diag[i];
                }
            }
        }
    }

    /**
     * A FALKON problem set up once for several fits: the inputs X, the centres C, the Cholesky
     * factor L of G_MM and LᵀL/M (both independent of the ridge and of the rows fitted), and
     * G(X, C) by row slices, computed once ({@link #kernelSeconds}) and kept where it fits
     * {@link FalkonRegressor#keepBudget} (otherwise each fit forms the M×M normal matrix of its rows in one pass). A fit on the
     * first n rows of X with a ridge r then costs one M×M Cholesky factorisation and its
     * conjugate-gradient iterations (without G(X, C) kept: its pass, and where cheaper a direct
     * solve instead of the iterations); predictions for any rows of X reuse the kept slices. This is
     * what a validation split needs: the network's kernel computed once for the training and the
     * validation rows, every ridge fitted on the training rows and scored on the validation rows,
     * and the final model fitted on all rows with the same centres.
     *
     * <p>The products G_nMᵀ(G_nM u + v) are sums over row slices of independent pure work
     * ({@link FalkonRegressor#blockProduct}), so they map onto a distributed engine as they are.
     */
    public static final class Problem {
        private final KernelFunction engine;
        private final KernelKind kind;
        private final double[][] x;
        private final double[][] c;
        /**
         * G' = G_MM + jI's factor L and LᵀL/M; made by {@link #prepare} where G(X, C) is kept
         * whole, otherwise by the first fit that runs the conjugate gradient ({@link #factors()}).
         */
        private CentreFactors factors;
        /**
         * G' itself where G(X, C) is not kept whole (the direct solve adds r·G' to the normal
         * matrix), else null; in the first case made by the first fit's pass where the centres are
         * rows of X ({@link Blocks#collectCentres}), otherwise by {@link #prepare}.
         */
        private double[] centreKernel;
        private final Blocks blocks;
        private final double kernelSeconds;
        private final double evaluationSeconds;
        private double setupSeconds;

        private Problem(KernelFunction engine, KernelKind kind, double[][] x, double[][] c, CentreFactors factors,
                double[] centreKernel, Blocks blocks, double kernelSeconds, double evaluationSeconds, double setupSeconds) {
            this.engine = engine;
            this.kind = kind;
            this.x = x;
            this.c = c;
            this.factors = factors;
            this.centreKernel = centreKernel;
            this.blocks = blocks;
            this.kernelSeconds = kernelSeconds;
            this.evaluationSeconds = evaluationSeconds;
            this.setupSeconds = setupSeconds;
        }

        /** @return G' (normal-matrix mode): from the last pass if it collected the centres' rows, else computed now */
        private double[] centreKernel() {
            if (centreKernel == null) {
                double[] g = blocks.takeCentreKernel();
                centreKernel = g != null ? g : FalkonRegressor.centreKernel(engine, kind, c);
                blocks.centreRows = null;
            }
            return centreKernel;
        }

        /** @return the centres' factors, made now from G' if no fit needed them before */
        private CentreFactors factors() {
            if (factors == null) {
                long t0 = System.nanoTime();
                factors = CentreFactors.of(centreKernel(), c.length);
                setupSeconds += (System.nanoTime() - t0) * 1e-9;
            }
            return factors;
        }

        /**
         * Heap a problem needs beyond the data and the kept kernel slices: about four M×M matrices and one row slice.
         *
         * @param n rows
         * @param m centres
         * @param k outputs of the fits
         * @return bytes
         */
        public static long bytesNeeded(long n, long m, long k) {
            return FalkonRegressor.bytesNeeded(n, m, k);
        }

        /**
         * Sets up the problem: G_MM's factor, LᵀL/M (LAPACK dpotrf and dlauum) and one kernel pass
         * over the row slices that are kept.
         *
         * @param engine the kernel engine (its progress listener is not used; pass {@code progress})
         * @param kind NTK or NNGP
         * @param x the inputs (all rows a fit or a prediction will use)
         * @param centres the M centres ({@link FalkonRegressor#centres})
         * @param progress receives (row slices computed, slices of the kernel pass)
         * @return the problem
         */
        public static Problem prepare(KernelFunction engine, KernelKind kind, double[][] x, double[][] centres,
                Progress progress) {
            return prepare(engine, kind, x, centres, progress == null ? Progress.NONE : progress, 1);
        }

        /**
         * As {@link #prepare(KernelFunction, KernelKind, double[][], double[][], Progress)}, with
         * G(X, C) kept in the given {@link Storage} (single precision: half the heap).
         *
         * @param engine the kernel engine
         * @param kind NTK or NNGP
         * @param x the inputs
         * @param centres the M centres
         * @param progress receives (row slices computed, slices of the kernel pass)
         * @param storage {@link Storage#DOUBLE} or {@link Storage#SINGLE} (not null)
         * @return the problem
         */
        public static Problem prepare(KernelFunction engine, KernelKind kind, double[][] x, double[][] centres,
                Progress progress, Storage storage) {
            if (storage == null) {
                throw Messages.invalid("the kernel storage must be given: Storage.DOUBLE or Storage.SINGLE");
            }
            return prepare(engine, kind, x, centres, progress == null ? Progress.NONE : progress, 1,
                    keepBudget(centres.length), storage);
        }

        static Problem prepare(KernelFunction engine, KernelKind kind, double[][] x, double[][] centres, Progress bar,
                long passes) {
            return prepare(engine, kind, x, centres, bar, passes, keepBudget(centres.length));
        }

        /** As {@link #prepare(KernelFunction, KernelKind, double[][], double[][], Progress)} with G(X, C) kept whole only within {@code keepBytes}. */
        static Problem prepare(KernelFunction engine, KernelKind kind, double[][] x, double[][] centres, Progress bar,
                long passes, long keepBytes) {
            return prepare(engine, kind, x, centres, bar, passes, keepBytes, Storage.DOUBLE);
        }

        static Problem prepare(KernelFunction engine, KernelKind kind, double[][] x, double[][] centres, Progress bar,
                long passes, long keepBytes, Storage storage) {
            DataChecks.dataSet("inputs", x);
            DataChecks.dataSet("centres", centres);
            int m = centres.length;
            if (centres[0].length != x[0].length) {
                throw Messages.dimensionMismatch("the centres", centres[0].length, "the inputs", x[0].length);
            }
            Lapack.checkSize("the centres' kernel matrix", m, m);
            io.github.ntk4j.internal.MemoryCheck.require("the matrix-free solver with " + m + " centres",
                    bytesNeeded(x.length, m, 1));
            long t0 = System.nanoTime();
            KernelFunction eng = engine.withProgress(Progress.NONE);
            // asked as if G' were on the heap, where the factors L (off the heap) and LᵀL/M will be
            Blocks blocks = new Blocks(eng, kind, x, centres, keepBytes, Lapack.bytes(m, m), storage);
            // G(X, C) kept: every fit iterates over its slices and needs the factors; otherwise the
            // factors wait for a fit that iterates (the direct solve needs G' only), and G' for the
            // first fit's pass where the centres are rows of X
            double[] g = blocks.whole || !blocks.collectCentres(x.length) ? FalkonRegressor.centreKernel(eng, kind, centres)
                    : null;
            CentreFactors f = blocks.whole ? CentreFactors.of(g, m) : null;
            double setup = (System.nanoTime() - t0) * 1e-9;
            long t1 = System.nanoTime();
            blocks.computeKept(bar, passes);
            // the slices are kept all or none: without them the fits' passes are timed instead (Blocks#normal)
            double pass = blocks.whole ? (System.nanoTime() - t1) * 1e-9 : Double.NaN;
            return new Problem(eng, kind, x, centres, f, blocks.whole ? null : g, blocks, pass,
                    blocks.whole ? blocks.passEvaluationSeconds : Double.NaN, setup);
        }

        /**
         * Fits on the first {@code rows} inputs: α solving (G_nMᵀG_nM + λ n G_MM) α = G_nMᵀ Y,
         * λ = r/n, by preconditioned conjugate gradient, all k columns of Y together (one product
         * G_nMᵀ(G_nM U) per iteration for the M×k block U). Where G(X, C) is not kept whole the
         * fit forms H = G_nMᵀG_nM in one pass and, when {@link FalkonRegressor#directCheaper} says
         * the Cholesky factorisation of H + r G_MM costs less than the iterations would, solves
         * directly (the private {@code direct}: accepted when its refinement step estimates α's
         * relative error at most the tolerance, {@link FalkonRegressor#solvedDirectly}); otherwise,
         * or when not accepted, by the conjugate gradient on the products H u.
         *
         * @param rows n, fit on x[0..n)
         * @param y n×k targets
         * @param diagReg r &gt; 0 (λ = r/n)
         * @param maxIterations conjugate-gradient iterations at most, ≥ 1
         * @param tolerance stop when every column's preconditioned residual is below this fraction of its start
         * @param progress receives (row slices done, slices of every allowed iteration); null: none
         * @return the fitted estimator
         */
        public FalkonRegressor fit(int rows, double[][] y, double diagReg, int maxIterations, double tolerance,
                Progress progress) {
            if (rows < 1 || rows > x.length) {
                throw Messages.invalid("a fit uses the first 1.." + x.length + " rows, got " + rows);
            }
            DataChecks.dataSet("targets", y);
            if (y.length != rows) {
                throw Messages.dimensionMismatch("the targets", y.length, "the rows fitted", rows);
            }
            checkSolve(diagReg, maxIterations, tolerance);
            if (progress != null) {
                blocks.start(progress, (long) maxIterations + 1);
            }
            int n = rows;
            int k = y[0].length;
            double[] yc = Lapack.colMajor(y);
            FalkonRegressor fitted;
            double[] squares;
            if (blocks.whole) {
                fitted = conjugateGradient(engine, kind, c, factors(), n, k, diagReg, maxIterations, tolerance,
                        new Products() {
                            @Override
                            public double[] targets() {
                                return blocks.product(n, null, yc, k);
                            }

                            @Override
                            public double[] gram(double[] u) {
                                return blocks.product(n, u, null, k);
                            }
                        }, kernelSeconds, evaluationSeconds, setupSeconds);
                squares = blocks.residualSquares(n, fitted.alpha, yc, k);
            } else {
                Normal eq = blocks.normal(n, yc, k);
                fitted = directCheaper(c.length, k, maxIterations)
                        ? direct(eq, centreKernel(), n, k, diagReg, tolerance, blocks.passSeconds,
                                blocks.passEvaluationSeconds, setupSeconds) : null;
                if (fitted == null) { // not chosen, or its error estimate above the tolerance
                    fitted = conjugateGradient(engine, kind, c, factors(), n, k, diagReg, maxIterations, tolerance,
                            new Products() {
                                @Override
                                public double[] targets() {
                                    return eq.z().clone();
                                }

                                @Override
                                public double[] gram(double[] u) {
                                    return eq.times(u, k);
                                }
                            }, blocks.passSeconds, blocks.passEvaluationSeconds, setupSeconds);
                }
                squares = eq.residualSquares(fitted.alpha, yc, n, k);
            }
            blocks.finish();
            return new FalkonRegressor(fitted.engine, fitted.kind, fitted.centres, fitted.alpha, fitted.k, fitted.iterations,
                    fitted.residual, fitted.timing, squares, n, fitted.direct);
        }

        /**
         * The direct solve of the normal equations (H + r·G') α = G_nMᵀY, H = G_nMᵀG_nM: one
         * Cholesky factorisation of H + r·G' (as a numpy Nyström solver does), then one step of
         * iterative refinement, δ = (H + r·G')⁻¹(G_nMᵀY − (H + r·G')α), whose size estimates the
         * error of α (Wilkinson 1963; LAPACK's dporfs). Accepted, as α + δ, when every column's
         * ‖δ‖ is at most the tolerance times its ‖α‖ and the factor's condition number κ (dpocon)
         * has κ·ε ≤ {@value #DIRECT_MAX_CONDITION_EPS} (so that δ estimates the error to within
         * a few per cent); otherwise null, and the fit runs the preconditioned conjugate gradient,
         * whose matrix is well conditioned whatever G' is.
         *
         * @return the fit, or null
         */
        private FalkonRegressor direct(Normal eq, double[] g, int n, int k, double diagReg, double tolerance,
                double passSeconds, double evaluationSeconds, double setupSeconds) {
            long t0 = System.nanoTime();
            int m = c.length;
            double[] norm1 = new double[1];
            Lapack.Stored f = eq.h().choleskyPlus(diagReg, g, norm1);
            if (f == null) {
                return null;
            }
            if (!(Lapack.condition(f, m, norm1[0]) * Math.ulp(1.0) <= DIRECT_MAX_CONDITION_EPS)) {
                return null;
            }
            double[] alpha = eq.z().clone();
            Lapack.potrs(f, m, alpha, k);
            // G_nMᵀY − (H + r·G')α
            double[] res = eq.times(alpha, k);
            double[] ga = symmetricTimes(g, m, alpha, k);
            double[] z = eq.z();
            for (int i = 0; i < res.length; i++) {
                res[i] = z[i] - (res[i] + diagReg * ga[i]);
            }
            Lapack.potrs(f, m, res, k);
            double worst = 0;
            for (int col = 0; col < k; col++) {
                double dd = 0;
                double aa = 0;
                for (int i = col * m, e = i + m; i < e; i++) {
                    dd += res[i] * res[i];
                    aa += alpha[i] * alpha[i];
                }
                double err = aa == 0 ? (dd == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(dd / aa);
                worst = Math.max(worst, err);
            }
            if (!(worst <= tolerance)) {
                return null;
            }
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] += res[i];
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            return new FalkonRegressor(engine, kind, c, alpha, k, 0, worst, new Timing(passSeconds, evaluationSeconds, 0,
                    seconds + setupSeconds), null, 0, true);
        }

        /**
         * Predictions G(X[from..to), C) α of a model fitted on this problem, from the kept kernel slices.
         *
         * @param f a model fitted by {@link #fit} on this problem
         * @param from first row
         * @param to row after the last
         * @return (to − from)×k
         */
        public double[][] predictRows(FalkonRegressor f, int from, int to) {
            if (f.centres != c) {
                throw Messages.invalid("the model was not fitted on this FALKON problem");
            }
            if (from < 0 || to > x.length || from >= to) {
                throw Messages.invalid("rows " + from + ".." + to + " are not a range of the " + x.length + " rows");
            }
            return blocks.rows(from, to, f.alpha, f.k);
        }

        /**
         * @return seconds of one kernel pass G(X, C): the pass of {@link #prepare} where G(X, C) is
         *         kept whole, else the last fit's pass (NaN before the first fit)
         */
        public double kernelSeconds() {
            return blocks.whole ? kernelSeconds : blocks.passSeconds;
        }

        /**
         * @return the part of {@link #kernelSeconds()} spent evaluating G(X, C) alone (without
         *         keeping the slices or accumulating the normal matrix; NaN likewise)
         */
        public double kernelEvaluationSeconds() {
            return blocks.whole ? evaluationSeconds : blocks.passEvaluationSeconds;
        }

        /**
         * @return whether G(X, C) is kept whole (false: each fit forms G_nMᵀG_nM in one kernel
         *         pass instead, and predictions recompute their rows' kernel)
         */
        public boolean keptWhole() {
            return blocks.whole;
        }

        /** @return how G(X, C) is kept (meaningful where {@link #keptWhole}) */
        public Storage storage() {
            return blocks.storage;
        }

        /** @return the number of rows of X */
        public int rows() {
            return x.length;
        }

        /** @return the number of centres M */
        public int centres() {
            return c.length;
        }
    }

    /**
     * The preconditioned conjugate gradient shared by {@link Problem#fit} and {@link #solve}.
     *
     * @param kernelSeconds the problem's kernel-pass time (NaN where the rows are elsewhere)
     * @param evaluationSeconds the kernel evaluation within it (NaN likewise)
     * @param setupSeconds the time spent on the centres' factors
     */
    private static FalkonRegressor conjugateGradient(KernelFunction engine, KernelKind kind, double[][] c,
            CentreFactors factors, long n, int k, double diagReg, int maxIterations, double tolerance, Products products,
            double kernelSeconds, double evaluationSeconds, double setupSeconds) {
        CholeskySolver l = factors.l();
        int m = c.length;
        double lambda = diagReg / n;
        long t0 = System.nanoTime();
        CholeskySolver b = factors.preconditioner(m, lambda);

        // right-hand side B⁻¹ L⁻¹ G_nMᵀ Y / n
        double[] rhs = products.targets();
        scale(rhs, 1.0 / n);
        l.forward(rhs, k);
        b.forward(rhs, k);

        // preconditioned conjugate gradient, one independent recursion per output column
        double[] beta = new double[m * k];
        double[] r = rhs.clone();
        double[] p = r.clone();
        double[] rr = dots(r, r, m, k);
        double[] start = rr.clone();
        int it = 0;
        double worst = 1;
        long tIter = System.nanoTime();
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
        double perIteration = it == 0 ? 0 : (System.nanoTime() - tIter) * 1e-9 / it;
        if (it == maxIterations) {
            worst = 0;
            for (int c2 = 0; c2 < k; c2++) {
                worst = Math.max(worst, start[c2] == 0 ? 0 : Math.sqrt(rr[c2] / start[c2]));
            }
        }
        // α = L⁻ᵀ B⁻ᵀ β
        b.backSubstitute(beta, k);
        l.backSubstitute(beta, k);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        return new FalkonRegressor(engine, kind, c, beta, k, it, worst, new Timing(kernelSeconds, evaluationSeconds, perIteration,
                seconds + setupSeconds));
    }

    /**
     * Times of a fit.
     *
     * @param kernelPassSeconds one pass of the kernel G(X, C) over all rows: its evaluation and
     *     what the pass does with each slice (keeping it, or adding it to G_nMᵀG_nM and G_nMᵀY)
     * @param kernelEvaluationSeconds the part of that pass spent evaluating G(X, C) alone (the
     *     engine's {@link KernelFunction.Against#cross} calls), so that the kernel's cost and the
     *     linear algebra's can be told apart
     * @param iterationSeconds the mean wall time of one conjugate-gradient iteration
     * @param fitSeconds the fit, without the kernel pass of its problem
     */
    public record Timing(double kernelPassSeconds, double kernelEvaluationSeconds, double iterationSeconds,
            double fitSeconds) {
    }

    /** The preconditioned operator B⁻¹ (L⁻¹ G_nMᵀ G_nM L⁻ᵀ / n + λ I) B⁻ᵀ u. */
    private static double[] apply(double[] u, CholeskySolver l, CholeskySolver b, Products products, double lambda, long n, int m,
            int k) {
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
            double[] z = new double[4 * k];
            int i = t * TASK_ROWS;
            int end = Math.min(rows, i + TASK_ROWS);
            // four rows at a time: each loaded u entry serves four dot products (four independent
            // chains), and each w entry is loaded and stored once for four rows
            for (; i + 3 < end; i += 4) {
                int r0 = i * m;
                if (u != null) {
                    int c = 0;
                    for (; c + 1 < k; c += 2) {
                        Vectors.dot4x2(kernelBlock, r0, m, u, c * m, (c + 1) * m, z, 4 * c);
                    }
                    if (c < k) {
                        Vectors.dot4(kernelBlock, r0, m, u, c * m, z, 4 * c);
                    }
                } else {
                    java.util.Arrays.fill(z, 0.0);
                }
                for (int c = 0; c < k; c++) {
                    if (v != null) {
                        for (int q = 0; q < 4; q++) {
                            z[4 * c + q] += v[c * rows + i + q];
                        }
                    }
                    Vectors.axpy4Rows(w, c * m, z, 4 * c, kernelBlock, r0, m);
                }
            }
            for (; i < end; i++) {
                int row = i * m;
                for (int c = 0; c < k; c++) {
                    double zi = (v == null ? 0 : v[c * rows + i])
                            + (u == null ? 0 : Vectors.dot(kernelBlock, row, u, c * m, m));
                    if (zi != 0) {
                        Vectors.axpy(w, c * m, zi, kernelBlock, row, m);
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
     * One row slice's term of the products: G_sᵀ(G_s u + v) for a slice's kernel block G_s
     * (rows×M, row-major), on the calling thread: the unit of work a distributed engine sums.
     *
     * @param kernelBlock rows×M kernel entries, row-major
     * @param rows the slice's rows
     * @param m centres
     * @param u M×k column-major, or null (then only v)
     * @param v rows×k column-major, or null (then only u)
     * @param k columns
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

    /**
     * Bytes of G(X, C) that a problem keeps whole: with the JVM's default heap, 64·M² bytes
     * (eight M×M matrices, about what the solver holds anyway), at least 64 MB; where the user
     * sized the heap ({@code -Xmx}, {@code -XX:MaxHeapSize}, {@code -XX:MaxRAMPercentage}), all
     * of it that fits in the free heap with two M×M matrices of a fit beside it ({@link #keepsWhole}).
     * Beyond it each fit forms the normal matrix
     * H = G_nMᵀG_nM (M×M) in one kernel pass instead (BLAS dsyrk over the row slices, as a numpy
     * Nyström solver accumulates it), and every conjugate-gradient product is H u. Why: measured
     * as whole processes at N = 100,000, M = 2,000, keeping the slices held 2.96 GB against the
     * numpy peer's 0.71 GB; H costs N·M² extra operations in one matrix-matrix
     * product, against the 2·N·M memory-bound operations of each of the 30–60 iterations over
     * kept slices, and kept slices saved nothing where some had to be recomputed by every
     * iteration.
     *
     * @param m centres
     * @return bytes
     */
    static long keepBudget(long m) {
        return keepBudget(m, HEAP_CHOSEN);
    }

    /**
     * Whether G(X, C) of {@code gBytes} bytes is kept whole: when it fits in the {@code available}
     * heap bytes with {@link #fitWorkspace} beside it (the M×M preconditioner factor of a fit and
     * one M×M temporary; the centres' two M×M factors are already allocated when this is asked).
     * Why not half the free heap: at N = 60,000, M = 12,000 under {@code -Xmx16g} (G 5.8 GB,
     * about 11 GB free) that rule chose the normal matrix, a kernel pass and an N·M² product per
     * fit instead of one pass in all (docs/LEARNING.md §10).
     *
     * @param gBytes bytes of G(X, C)
     * @param m centres
     * @param available free heap bytes
     * @return whether it is kept
     */
    static boolean keepsWhole(long gBytes, long m, long available) {
        return gBytes >= 0 && gBytes + fitWorkspace(m) <= available;
    }

    /** @return 16·M² bytes: a fit's M×M preconditioner factor and one M×M temporary */
    static long fitWorkspace(long m) {
        return 16 * m * m;
    }

    static long keepBudget(long m, boolean heapChosen) {
        return heapChosen ? Long.MAX_VALUE : Math.max(64L << 20, 64 * m * m);
    }

    /** Whether the JVM was started with a heap size of the user's choosing. */
    private static final boolean HEAP_CHOSEN = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
            .stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize=")
                    || a.startsWith("-XX:MaxRAMPercentage=") || a.startsWith("-XX:MaxRAM="));

    /**
     * The normal equations of a fit on the first rows: H = G_nMᵀG_nM (M×M, symmetric, as BLAS
     * dsyrk summed it: off the Java heap natively, its lower triangle) and z = G_nMᵀY (M×k).
     */
    private record Normal(Lapack.GramSum h, double[] z, int m) {
        /** @return H u, M×k column-major (dsymv/dsymm where H is) */
        double[] times(double[] u, int k) {
            return h.times(u, k);
        }

        /**
         * Σ_i (G_nM α − Y)_ic² = YᵀY − 2 αᵀz + αᵀHα per column, or null when a column's terms
         * cancel by more than {@link #MAX_CANCELLATION} (or overflow): the rounding errors of the
         * three sums, a few n·ε relative at worst and √n·ε typically, are then amplified by at most
         * that factor (about 1e-11 relative at n = 10⁵ typically).
         */
        double[] residualSquares(double[] alpha, double[] yc, int n, int k) {
            double[] ha = times(alpha, k);
            double[] out = new double[k];
            for (int col = 0; col < k; col++) {
                double yy = 0;
                for (int i = col * n, e = i + n; i < e; i++) {
                    yy += yc[i] * yc[i];
                }
                double az = 0;
                double aha = 0;
                for (int i = col * m, e = i + m; i < e; i++) {
                    az += alpha[i] * z[i];
                    aha += alpha[i] * ha[i];
                }
                double rss = yy - 2 * az + aha;
                double terms = yy + 2 * Math.abs(az) + Math.abs(aha);
                if (!(rss > 0) || !Double.isFinite(terms) || terms > MAX_CANCELLATION * rss) {
                    return null;
                }
                out[col] = rss;
            }
            return out;
        }
    }

    /**
     * How many times faster per operation the direct solve's Cholesky factorisation (matrix–matrix
     * work, BLAS 3) runs than a conjugate-gradient iteration's triangular solves and product
     * (matrix–vector work, bound by memory), measured at M = 2,000, k = 1 on the 2-core machine
     * (load 7, timing prints in one process): the factorisation (M³/3 operations, 111 iterations'
     * worth) took as long as 4–6 iterations (6M² operations each), so 20–28 times; the lower figure.
     */
    static final double DIRECT_SPEED = 20;

    /** The fewest iterations the direct solve is weighed against: FALKON's CG ran 14–54 at tolerance 1e-7 (docs/LEARNING.md §8). */
    static final int DIRECT_ITERATIONS = 10;

    /** Largest κ·ε of H + r·G' for which the direct solve's refinement step is trusted as its error estimate. */
    static final double DIRECT_MAX_CONDITION_EPS = 1e-4;

    /**
     * Whether a fit on the normal matrix solves directly: when the Cholesky factorisation of order
     * M (M³/3 operations, at {@link #DIRECT_SPEED} times the rate) costs less than
     * min(iterations, {@value #DIRECT_ITERATIONS}) conjugate-gradient iterations of 6M²k
     * operations each (four triangular solves and the product H u per column): M ≤ 3,600·k at
     * the default cap.
     *
     * @param m centres
     * @param k outputs
     * @param maxIterations the iteration cap
     * @return whether to solve directly
     */
    static boolean directCheaper(long m, int k, int maxIterations) {
        return m / 3.0 <= DIRECT_SPEED * 6.0 * k * Math.min(maxIterations, DIRECT_ITERATIONS);
    }

    /** @return G u for a symmetric m×m column-major G on the heap and an m×k column-major u */
    private static double[] symmetricTimes(double[] g, int m, double[] u, int k) {
        double[] out = new double[m * k];
        for (int col = 0; col < k; col++) {
            for (int j = 0; j < m; j++) {
                double uj = u[col * m + j];
                if (uj != 0) {
                    Vectors.axpy(out, col * m, uj, g, j * m, m);
                }
            }
        }
        return out;
    }

    /** Largest cancellation accepted in {@link Normal#residualSquares}. */
    static final double MAX_CANCELLATION = 1e3;

    /** G_nM by row slices: kept whole within {@link #keepBudget}, otherwise the normal matrix of each fit's rows. */
    private static final class Blocks {
        final KernelFunction engine;
        final KernelKind kind;
        final double[][] x;
        final double[][] c;
        final int rowsPerBlock;
        /** Kept slices: the first {@link #keep} of them, once computed (double storage). */
        final double[][] cache;
        /** Kept slices in single precision (single storage; else null). */
        final float[][] cacheSingle;
        /** How the kept slices are stored. */
        final Storage storage;
        /** One slice widened from {@link #cacheSingle} for a product (reused: one slice at a time). */
        private double[] widened;
        final int keep;
        /** Slices computed and kept so far. */
        int kept;
        /** The rows each slice's kernel is written into before its flat copy (one slice, reused). */
        private double[][] rowsBuffer;
        /** The kernel against the centres, prepared once for every slice of every pass. */
        private KernelFunction.Against againstCentres;
        Progress progress = Progress.NONE;
        long total;
        long done;

        /** Whether all of G_nM is kept; otherwise none of it, and fits use {@link #normal}. */
        final boolean whole;
        /** Seconds of the last kernel pass of {@link #normal} (NaN before). */
        double passSeconds = Double.NaN;
        /** Seconds of the last pass ({@link #normal} or {@link #computeKept}) spent in {@link #cross} (NaN before). */
        double passEvaluationSeconds = Double.NaN;
        /** Nanoseconds spent in {@link #cross} since the current pass began. */
        private long evaluationNanos;
        /** The normal equations of the last fit and the rows and targets they belong to. */
        private Normal normal;
        private int normalRows = -1;
        private double[] normalTargets;

        /**
         * @param reserved heap bytes to count as taken in the keep decision (G' where it is not yet
         *        allocated, so that the decision is the one made with it on the heap)
         */
        Blocks(KernelFunction engine, KernelKind kind, double[][] x, double[][] c, long keepBytes, long reserved,
                Storage storage) {
            this.engine = engine;
            this.storage = storage;
            this.kind = kind;
            this.x = x;
            this.c = c;
            int m = c.length;
            this.rowsPerBlock = (int) Math.max(1, Math.min(x.length, BLOCK_ENTRIES / m));
            int count = (x.length + rowsPerBlock - 1) / rowsPerBlock;
            // G_nM whole when it is within the budget and fits in the free heap beside a fit's
            // M×M matrices; memory stays O(M² + N·d + one slice) otherwise
            long g = (long) storage.bytes() * x.length * m;
            boolean w = g <= keepBytes && keepsWhole(g, m, io.github.ntk4j.internal.MemoryCheck.available() - reserved);
            if (!w && g <= keepBytes) {
                System.gc(); // the heap may hold garbage (the centres' factorisation) that a collection frees
                w = keepsWhole(g, m, io.github.ntk4j.internal.MemoryCheck.available() - reserved);
            }
            this.whole = w;
            this.keep = whole ? count : 0;
            this.cache = new double[count][];
            this.cacheSingle = storage == Storage.SINGLE ? new float[count][] : null;
        }

        /**
         * H = G_nMᵀG_nM and z = G_nMᵀY over the first n rows, in one kernel pass (kept from the
         * previous fit when n and Y are the same).
         */
        /**
         * The centres' kernel rows as the pass of {@link #normal} meets them: (row of x) × 2³² +
         * centre for every centre equal to a row of x (the smallest such row), sorted; null when
         * not asked for.
         */
        private long[] centreRows;
        /** G' filled from the pass (rows of the centres found), until {@link #takeCentreKernel}. */
        private double[] centreKernel;

        /**
         * Asks the next pass of {@link #normal} over n rows to copy the centres' rows of G(X, C)
         * out as they go by: the centres are rows of x (the draw of {@link FalkonRegressor#centres}),
         * so G(X, C) holds G_MM, and no separate Gram matrix of the centres is computed (nor
         * compiled for: JFR showed HotSpot's C2 compiling the Gram loop once for the centres' square
         * matrix and again, after a deoptimisation, for the pass's slices).
         *
         * @return whether every centre is among the first n rows
         */
        boolean collectCentres(int n) {
            int m = c.length;
            java.util.Map<Key, Integer> first = new java.util.HashMap<>();
            for (int i = 0; i < m; i++) {
                first.putIfAbsent(new Key(c[i]), i);
            }
            long[] found = new long[m];
            int count = 0;
            java.util.Map<Key, Integer> rowOf = new java.util.HashMap<>();
            for (int r = 0; r < n && rowOf.size() < first.size(); r++) {
                Key key = new Key(x[r]);
                if (first.containsKey(key)) {
                    rowOf.putIfAbsent(key, r);
                }
            }
            for (int i = 0; i < m; i++) {
                Integer r = rowOf.get(new Key(c[i]));
                if (r == null) {
                    return false;
                }
                found[count++] = ((long) r << 32) | i;
            }
            java.util.Arrays.sort(found);
            centreRows = found;
            return true;
        }

        /** A row's values as a hash key (bitwise equality, {@link Arrays#equals(double[], double[])}). */
        private record Key(double[] v) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Key k && Arrays.equals(v, k.v);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(v);
            }
        }

        /** @return G' made from the centres' rows of the last pass (once), or null */
        double[] takeCentreKernel() {
            double[] g = centreKernel;
            centreKernel = null;
            if (g == null) {
                return null;
            }
            // exactly symmetric: the lower triangle (centre i's row, entries j > i) mirrored
            int m = c.length;
            double maxDiag = 0;
            for (int i = 0; i < m; i++) {
                maxDiag = Math.max(maxDiag, g[i * m + i]);
                for (int j = i + 1; j < m; j++) {
                    g[j * m + i] = g[i * m + j];
                }
            }
            double jitter = m * Math.ulp(1.0) * maxDiag;
            for (int i = 0; i < m; i++) {
                g[i * m + i] += jitter;
            }
            return g;
        }

        Normal normal(int n, double[] yc, int k) {
            if (n == normalRows && java.util.Arrays.equals(yc, normalTargets)) {
                return normal;
            }
            if (normal != null) {
                normal.h().close(); // its memory is free for the new one
                normal = null;
            }
            int m = c.length;
            double[] z = new double[m * k];
            long t0 = System.nanoTime();
            Lapack.GramSum sum = new Lapack.GramSum(m);
            // the centres' rows when this pass covers them all (a fit on fewer rows leaves them to
            // a later pass, or to G_MM computed on its own)
            long[] wanted = centreRows != null && (int) (centreRows[centreRows.length - 1] >>> 32) < n ? centreRows : null;
            if (wanted != null) {
                centreRows = null;
            }
            double[] g = wanted == null ? null : new double[m * m];
            int next = 0;
            evaluationNanos = 0;
            try {
                // every slice written into the same rows: no flat copy and no new matrix per slice
                // (garbage that the JVM's heap grew for: a pass over 20,000 rows left 320 MB of it)
                double[][] kb = new double[Math.min(n, rowsPerBlock)][m];
                for (int s = 0; s < n; s += rowsPerBlock) {
                    int e = Math.min(n, s + rowsPerBlock);
                    cross(s, e, kb);
                    sum.add(kb, e - s);
                    // the centres' rows: row i of G_MM (centre i) at column i of G' (symmetric)
                    for (; wanted != null && next < wanted.length && (int) (wanted[next] >>> 32) < e; next++) {
                        int r = (int) (wanted[next] >>> 32);
                        int ci = (int) wanted[next];
                        System.arraycopy(kb[r - s], 0, g, ci * m, m);
                    }
                    for (int i = s; i < e; i++) {
                        for (int col = 0; col < k; col++) {
                            double yi = yc[col * n + i];
                            if (yi != 0) {
                                Vectors.axpy(z, col * m, yi, kb[i - s], 0, m);
                            }
                        }
                    }
                    progress.update(++done, total);
                }
            } catch (RuntimeException | Error e) {
                sum.close();
                throw e;
            }
            passSeconds = (System.nanoTime() - t0) * 1e-9;
            passEvaluationSeconds = evaluationNanos * 1e-9;
            normal = new Normal(sum, z, m);
            centreKernel = g;
            normalRows = n;
            normalTargets = yc.clone();
            return normal;
        }

        /** Σ_i (G_nM α − Y)_ic² per column over the first n rows, from the kept slices. */
        double[] residualSquares(int n, double[] alpha, double[] yc, int k) {
            double[][] f = rows(0, n, alpha, k);
            double[] out = new double[k];
            for (int col = 0; col < k; col++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    double r = f[i][col] - yc[col * n + i];
                    s += r * r;
                }
                out[col] = s;
            }
            return out;
        }

        /** Progress over {@code passes} passes from now on. */
        void start(Progress p, long passes) {
            progress = p;
            total = (whole ? passes : 1) * cache.length; // without G_nM kept, one pass forms the normal matrix
            done = 0;
            progress.update(0, total);
        }

        /** The kernel pass: computes the slices to keep. */
        void computeKept(Progress p, long passes) {
            start(p, passes);
            evaluationNanos = 0;
            for (int blk = 0; blk < keep; blk++) {
                slice(blk);
                progress.update(++done, total);
            }
            kept = keep;
            if (keep > 0) { // otherwise no pass here: the fits' passes form the normal matrix
                passEvaluationSeconds = evaluationNanos * 1e-9;
            }
        }

        void finish() {
            progress.update(total, total);
        }

        /** G(X[s..e), C) into the first e − s rows of {@code into}. */
        private double[][] cross(int s, int e, double[][] into) {
            long t0 = System.nanoTime();
            if (againstCentres == null) {
                againstCentres = engine.against(c, kind);
            }
            double[][] out = againstCentres.cross(Arrays.copyOfRange(x, s, e), into);
            evaluationNanos += System.nanoTime() - t0;
            return out;
        }

        private double[] slice(int blk) {
            if (cache[blk] != null) {
                return cache[blk];
            }
            if (cacheSingle != null && cacheSingle[blk] != null) {
                return widen(cacheSingle[blk]);
            }
            int s = blk * rowsPerBlock;
            int e = Math.min(x.length, s + rowsPerBlock);
            if (rowsBuffer == null) {
                rowsBuffer = new double[Math.min(x.length, rowsPerBlock)][c.length];
            }
            double[] kb = Mat.flat(cross(s, e, rowsBuffer), e - s);
            if (blk < keep) {
                if (cacheSingle != null) {
                    float[] f = new float[kb.length];
                    for (int i = 0; i < kb.length; i++) {
                        f[i] = (float) kb[i]; // round to nearest
                    }
                    cacheSingle[blk] = f;
                    return widen(f); // the rounded entries, as every later use reads them
                }
                cache[blk] = kb;
            }
            return kb;
        }

        /** @return the slice's entries as doubles (exactly: every float is a double), in the reused buffer */
        private double[] widen(float[] f) {
            if (widened == null || widened.length < f.length) {
                widened = new double[Math.min(x.length, rowsPerBlock) * c.length];
            }
            double[] out = f.length == widened.length ? widened : new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }

        /**
         * @return G_nMᵀ(G_nM u + v), M×k, over the first n rows (u, v null for 0; v n×k column-major)
         *
         * <p>The kept slices are shared among the workers, a slice per task ({@link #blockProduct}
         * on one thread each), and their terms added in slice order: the same sums, bit for bit,
         * as one slice after another with the rows of each shared among the workers, whatever
         * the thread count. Why not the rows within a slice: a slice holds {@value #BLOCK_ENTRIES}
         * entries, so beyond M = 7,812 it is one task of at most {@value #TASK_ROWS} rows, and the
         * products ran on one core (Fashion-MNIST at M = 12,000: 496 s of CPU in 391 s of wall
         * time on the 2 cores, the CG iterations most of it; docs/LEARNING.md §10).
         */
        double[] product(int n, double[] u, double[] v, int k) {
            int m = c.length;
            double[] w = new double[m * k];
            int slices = (n + rowsPerBlock - 1) / rowsPerBlock;
            try (Workers workers = new Workers(engine.threads())) {
                int group = Math.max(1, workers.threads());
                double[][] buffers = new double[group][];
                double[][] parts = new double[group][];
                for (int first = 0; first < slices; first += group) {
                    int start = first;
                    int count = Math.min(group, slices - first);
                    if (!whole || count == 1) { // slices computed on the way (not kept): one at a time
                        for (int t = 0; t < count; t++) {
                            parts[t] = term(start + t, n, u, v, k, slice(start + t), workers);
                        }
                    } else {
                        workers.forEach(count, t -> {
                            int blk = start + t;
                            double[] kb = cacheSingle == null ? cache[blk] : widen(cacheSingle[blk], buffers, t);
                            try (Workers one = Workers.serial()) {
                                parts[t] = term(blk, n, u, v, k, kb, one);
                            }
                        });
                    }
                    for (int t = 0; t < count; t++) {
                        double[] part = parts[t];
                        for (int i = 0; i < w.length; i++) {
                            w[i] += part[i];
                        }
                        parts[t] = null;
                        progress.update(++done, total);
                    }
                }
            }
            return w;
        }

        /** One slice's term G_bᵀ(G_b u + v_b) of {@link #product}. */
        private double[] term(int blk, int n, double[] u, double[] v, int k, double[] kb, Workers workers) {
            int s = blk * rowsPerBlock;
            int rows = Math.min(n, s + rowsPerBlock) - s;
            double[] vb = null;
            if (v != null) {
                vb = new double[rows * k];
                for (int col = 0; col < k; col++) {
                    System.arraycopy(v, col * n + s, vb, col * rows, rows);
                }
            }
            return blockProduct(kb, rows, c.length, u, vb, k, workers);
        }

        /** @return a kept single-precision slice widened into the worker's own buffer {@code buffers[t]} */
        private static double[] widen(float[] f, double[][] buffers, int t) {
            double[] out = buffers[t];
            if (out == null || out.length != f.length) {
                out = new double[f.length];
                buffers[t] = out;
            }
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }

        /** @return G(X[from..to), C) α, (to − from)×k, α M×k column-major */
        double[][] rows(int from, int to, double[] alpha, int k) {
            int m = c.length;
            double[][] out = new double[to - from][k];
            for (int blk = from / rowsPerBlock; blk * rowsPerBlock < to; blk++) {
                int s = blk * rowsPerBlock;
                double[] kb = slice(blk);
                for (int i = Math.max(from, s), e = Math.min(to, s + rowsPerBlock); i < e; i++) {
                    for (int col = 0; col < k; col++) {
                        out[i - from][col] = Vectors.dot(kb, (i - s) * m, alpha, col * m, m);
                    }
                }
            }
            return out;
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
        int rows = (int) Math.min(xTest.length, Math.max(1, BLOCK_ENTRIES / m));
        // the centres prepared once, and one slice's rows reused for every slice
        KernelFunction.Against g = engine.against(centres, kind);
        double[][] kb = new double[rows][m];
        for (int s = 0; s < xTest.length; s += rows) {
            int e = Math.min(xTest.length, s + rows);
            int r = e - s;
            double[] flat = Mat.flat(g.cross(Arrays.copyOfRange(xTest, s, e), kb), r);
            System.arraycopy(Lapack.rows(Lapack.gemm(true, false, r, k, m, flat, alpha), r, k), 0, out, s, r);
        }
        return out;
    }

    /** @return the number of centres M */
    public int centres() {
        return centres.length;
    }

    /**
     * The root mean square of the training residual G(X, C)α − Y over the n rows and k outputs
     * of the fit, where the fit knows it without another kernel pass: from the kept slices of
     * G(X, C) (exact to rounding), or from the normal equations as
     * √(Σ_c (YᵀY − 2αᵀG_nMᵀY + αᵀG_nMᵀG_nMα)_c / (n k)), which is returned only when its terms
     * cancel by less than a factor 1e3 (relative error about 1e-11 at 10⁵ rows). Empty otherwise,
     * and for {@link #solve} over rows held elsewhere: then {@code predict(x)} gives the residual.
     *
     * @return the rms, or empty
     */
    public java.util.OptionalDouble trainingResidualRms() {
        if (residualSquares == null) {
            return java.util.OptionalDouble.empty();
        }
        double s = 0;
        for (double v : residualSquares) {
            s += v;
        }
        return java.util.OptionalDouble.of(Math.sqrt(s / ((double) rows * k)));
    }

    /** @return the coefficients α (M×k, column-major), a copy */
    public double[] coefficients() {
        return alpha.clone();
    }

    /** @return conjugate-gradient iterations run */
    public int iterations() {
        return iterations;
    }

    /**
     * @return the largest final relative residual of the preconditioned system over the outputs;
     *         after a direct solve ({@link #solvedDirectly}), the largest relative size ‖δ‖/‖α‖ of
     *         its refinement step, an estimate of α's relative error
     */
    public double relativeResidual() {
        return residual;
    }

    /**
     * @return whether α was found by the direct solve of the normal equations (one Cholesky
     *         factorisation, {@link #iterations} 0) rather than by conjugate gradient: chosen by a
     *         fit that forms the normal matrix when it is the cheaper and accepted when its error
     *         estimate is within the tolerance (see {@link Problem#fit})
     */
    public boolean solvedDirectly() {
        return direct;
    }

    /** @return the times of the fit: one kernel pass, one conjugate-gradient iteration, the fit */
    public Timing timing() {
        return timing;
    }

    /** @return the kernel */
    public KernelKind kind() {
        return kind;
    }
}
