package io.github.ntk4j.learn;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelKind;

/**
 * The infinite ensemble of infinite-width networks trained by gradient flow on the squared
 * loss L = ½‖f(X) − Y‖² with learning rate η, from the random initialisation (zero-mean
 * outputs with covariance K, the NNGP kernel): the outputs then stay Gaussian (Jacot et al.
 * 2018; Lee et al. 2019, eqs. 14–16 and S23), with, for G the training kernel of the mode,
 * G* = G(X*, X), A(t) = G⁻¹(I − e^{−η G t}) = V diag((1 − e^{−η λ_i t})/λ_i) Vᵀ:
 * <pre>
 *   mean      μ_t(X*) = G* A(t) Y
 *   ntk mode  Σ_t = K** − (Θ* A(t) K*ᵀ + K* A(t) Θ*ᵀ) + Θ* A(t) K A(t) Θ*ᵀ     (G = Θ)
 *   nngp mode Σ_t = K** − K* A(2t) K*ᵀ                                       (G = K)
 * </pre>
 * At t = ∞, A = G⁻¹ and the nngp mode is exact Bayesian inference with the NNGP prior
 * (see {@link GaussianProcessPredictor}). The nngp mode is the dynamics of training only the
 * readout layer. These are neural-tangents' {@code predict.gradient_descent_mse_ensemble}
 * formulas, except for the time unit: neural-tangents normalises the loss by the number of
 * training outputs, so its t is n·k times the t here (docs/LEARNING.md §2).
 *
 * <p>A diagonal regulariser r replaces G by G + rI everywhere (as neural-tangents'
 * {@code diag_reg} with {@code diag_reg_absolute_scale=True}).
 *
 * <p><b>How.</b> At t = ∞ no eigen-decomposition is needed: A = G⁻¹ is applied by a Cholesky
 * factorisation G = L Lᵀ (LAPACK dpotrf/dpotrs/dtrsm; Rasmussen and Williams 2006, Algorithm
 * 2.1), with P = L⁻¹Θ*ᵀ, Q = L⁻¹K*ᵀ, W = L⁻ᵀP: Σ_∞ = K** − (PᵀQ + QᵀP) + Wᵀ K W (ntk mode),
 * K** − PᵀP (nngp mode); the condition number is estimated by LAPACK dpocon and by
 * (max L_ii / min L_ii)². At finite t, or for the per-direction residual, G = V Λ Vᵀ is
 * decomposed once (divide and conquer, dsyevd) and A(t) = V diag(g) Vᵀ, g_i = (1 − e^{−λ_i s})/λ_i
 * evaluated as −expm1(−λ_i s)/λ_i (limit s at λ_i = 0), s = ηt; with B = Θ*V, C = K*V and
 * W = V diag(g) Bᵀ the ntk covariance is K** − (B diag(g) Cᵀ + C diag(g) Bᵀ) + Wᵀ K W. No n×n
 * product of two n×n matrices and no inverse is formed: the costs are one O(n³) factorisation
 * plus O(n²m) products for m test inputs. Eigenvalues in [−64·n·ε·λ₁, 0) are rounding and set
 * to 0; a more negative one is an error. A prediction whose amplification
 * λ₁ · max_i g_i (the condition number at t = ∞) exceeds {@link #maxCondition()} is refused
 * with a message suggesting a regulariser, instead of returning numbers made of rounding errors.
 *
 * <p>Instances are immutable; build one with {@link #train} (from a network and inputs) or
 * {@link #fromKernels} (from kernel matrices).
 */
public final class GradientFlowPredictor {
    /** Default limit on the amplification of rounding errors (≈ 1e-4 relative error left). */
    public static final double DEFAULT_MAX_CONDITION = 1e12;

    private final KernelKind mode;
    private final double learningRate;
    private final double diagReg;
    private final double maxCondition;
    /** The targets divided by {@link #yScale}. */
    private final double[][] y;
    /**
     * A power of two: 1 unless the largest |target| is beyond 2^±500, else near it, so that
     * targets near the double range (±1e308) are solved for without overflow (every output is
     * linear in Y, so it is multiplied back exactly at the end).
     */
    private final double yScale;
    /**
     * G + rI, n×n in one array, row-major (symmetric: also column-major, as LAPACK reads it). The
     * engine writes it there ({@link KernelFunction#gramFlat}), so training holds each n×n matrix
     * once, as one array that the collector never copies (as rows it is n objects that young
     * collections copy, see KernelFunction#gramFlat); the LAPACK calls copy it into their
     * working arrays.
     */
    private final double[] g;
    /** K, n×n row-major; ntk mode only, may be null */
    private final double[] nngpTrain;
    private final int n;
    private final KernelFunction engine;
    private final double[][] xTrain;
    /** K stored (off the Java heap natively), for the K W products of the ntk-mode covariance; made on first use */
    private volatile Lapack.Stored nngpNative;
    /** the Cholesky factor of G + rI, made on first use at t = ∞ */
    private volatile CholeskySolver chol;
    /** the eigen-decomposition of G + rI, made on first use at finite t or for the residual */
    private volatile Eigen eigen;

    /** G + rI = V diag(lambda) Vᵀ (V column-major, lambda decreasing, clipped at 0), yEigen = VᵀY. */
    private record Eigen(double[] lambda, double[] v, double[][] yEigen) {
    }

    private GradientFlowPredictor(KernelKind mode, double learningRate, double diagReg, double maxCondition, double[][] y,
            double[] g, double[] nngpTrain, int n, KernelFunction engine, double[][] xTrain, CholeskySolver chol, Eigen eigen) {
        this.mode = mode;
        this.learningRate = learningRate;
        this.diagReg = diagReg;
        this.maxCondition = maxCondition;
        double big = 0;
        for (double[] row : y) {
            for (double v : row) {
                big = Math.max(big, Math.abs(v));
            }
        }
        int e = big == 0 || !Double.isFinite(big) ? 0 : Math.getExponent(big);
        this.yScale = Math.abs(e) > 500 ? Math.scalb(1.0, e) : 1;
        if (yScale == 1) {
            this.y = y;
        } else {
            double[][] scaled = new double[y.length][];
            for (int i = 0; i < y.length; i++) {
                scaled[i] = new double[y[i].length];
                for (int c = 0; c < y[i].length; c++) {
                    scaled[i][c] = y[i][c] / yScale;
                }
            }
            this.y = scaled;
        }
        this.g = g;
        this.nngpTrain = nngpTrain;
        this.n = n;
        this.engine = engine;
        this.xTrain = xTrain;
        this.chol = chol;
        this.eigen = eigen;
    }

    /**
     * Heap the whole dense path needs, train, predict and residual, following the path it takes
     * (the sum of {@link #trainingBytes}, {@link #predictionBytes} and {@link #residualBytes}):
     * at t = ∞ without directions the Cholesky path (no eigen-decomposition), otherwise the
     * eigen-decomposition.
     *
     * @param n training inputs
     * @param m test inputs
     * @param k outputs
     * @param mode the mode (ntk keeps both kernels)
     * @param time t ≥ 0 or +∞
     * @param variances whether test variances are computed
     * @param directions whether the per-direction residual is asked for (needs the eigen-decomposition)
     * @return bytes, saturating
     */
    public static long bytesNeeded(long n, long m, long k, KernelKind mode, double time, boolean variances,
            boolean directions) {
        // the prediction makes its path's factorisation: the residual reuses it, except that the
        // directions at t = ∞ need the eigen-decomposition besides the Cholesky factor
        boolean infinite = time == Double.POSITIVE_INFINITY;
        return MemoryCheck.plus(trainingBytes(n, mode), predictionBytes(m, n, k, mode, time, variances, true),
                residualBytes(n, k, time, directions, infinite, !infinite));
    }

    /**
     * Refuses up front a dense train-predict-residual run that would not fit the heap
     * ({@link #bytesNeeded}), with a message that points to the matrix-free solver.
     *
     * @param n training inputs
     * @param m test inputs
     * @param k outputs
     * @param mode the mode
     * @param time t ≥ 0 or +∞
     * @param variances whether test variances are computed
     * @param directions whether the per-direction residual is asked for
     */
    public static void requireMemory(long n, long m, long k, KernelKind mode, double time, boolean variances,
            boolean directions) {
        Lapack.requireDense(n, bytesNeeded(n, m, k, mode, time, variances, directions));
    }

    /**
     * Heap {@link #train} holds: the training kernel matrices (both in ntk mode) as the
     * engine's rows, k n² doubles, and one row more.
     *
     * @param n training inputs
     * @param mode the mode
     * @return bytes, saturating
     */
    public static long trainingBytes(long n, KernelKind mode) {
        return MemoryCheck.plus(MemoryCheck.times(kernels(mode), MemoryCheck.times(8, MemoryCheck.times(n, n))),
                MemoryCheck.doubles(n));
    }

    private static int kernels(KernelKind mode) {
        return mode == KernelKind.NNGP ? 1 : 2;
    }

    /**
     * Heap a prediction on m test inputs adds to a trained predictor, along its path:
     * <ul>
     * <li>at t = ∞ the Cholesky factor of G + rI, n²: on the pure-Java LAPACK a copy factored in
     * place; natively one copy off the heap, counted as heap because JavaCPP bounds its memory by
     * the heap's maximum;</li>
     * <li>at finite t the eigen-decomposition: a copy of G + rI and
     * {@link KernelSpectrum#decompositionBytes} with vectors;</li>
     * <li>ntk-mode variances: the NNGP kernel kept for the products K W (on the heap only on the
     * pure-Java LAPACK), n²;</li>
     * <li>the m×n cross kernels (both in ntk mode) as rows and their flat copies, and the m×n
     * factors of the variance (P, Q, W, K W), 7 m n at most.</li>
     * </ul>
     *
     * @param m test inputs
     * @param n training inputs
     * @param k outputs
     * @param mode the mode
     * @param time t ≥ 0 or +∞
     * @param variances whether variances are computed
     * @param factorise whether the factorisation of the path is still to be made
     * @return bytes, saturating
     */
    public static long predictionBytes(long m, long n, long k, KernelKind mode, double time, boolean variances,
            boolean factorise) {
        long nn = MemoryCheck.times(8, MemoryCheck.times(n, n));
        boolean javaLapack = !Lapack.useNative();
        long factor = 0;
        if (factorise) {
            factor = time == Double.POSITIVE_INFINITY ? nn
                    : MemoryCheck.plus(nn, KernelSpectrum.decompositionBytes(n, true));
        }
        long stored = mode == KernelKind.NTK && variances && javaLapack ? nn : 0;
        long cross = MemoryCheck.times(variances ? 7 : kernels(mode) + 1, MemoryCheck.doubles(m, n));
        return MemoryCheck.plus(factor, stored, cross, MemoryCheck.times(3, MemoryCheck.doubles(Math.max(m, n), k)));
    }

    /**
     * Heap of the training residual: at t = ∞ without directions two n×k arrays (the solve
     * reuses the Cholesky factor); with directions (or at finite t) the eigen-decomposition, when
     * not already made, and the n×k products.
     *
     * @param n training inputs
     * @param k outputs
     * @param time t ≥ 0 or +∞
     * @param directions whether the per-direction decomposition is asked for
     * @param factorMade whether the Cholesky factor exists (t = ∞ without directions)
     * @param eigenMade whether the eigen-decomposition exists
     * @return bytes, saturating
     */
    public static long residualBytes(long n, long k, double time, boolean directions, boolean factorMade,
            boolean eigenMade) {
        long small = MemoryCheck.times(4, MemoryCheck.doubles(n, k));
        boolean eigen = time != Double.POSITIVE_INFINITY || directions;
        if (!eigen) {
            return factorMade ? small : MemoryCheck.plus(small, predictionBytes(0, n, k, KernelKind.NNGP, time, false, true));
        }
        return eigenMade ? small : MemoryCheck.plus(small, MemoryCheck.times(8, MemoryCheck.times(n, n)),
                KernelSpectrum.decompositionBytes(n, true));
    }

    /**
     * Trains on a data set: computes the training Gram matrices (both kernels in ntk mode, so
     * that variances can be given). The factorisations are made when a prediction needs them.
     *
     * @param engine the kernel engine of the network
     * @param mode NTK (the whole network trained) or NNGP (the readout only)
     * @param xTrain n training inputs
     * @param yTrain n×k targets
     * @param learningRate η &gt; 0
     * @param diagReg r ≥ 0 added to the diagonal of the training kernel
     * @return the predictor
     */
    public static GradientFlowPredictor train(KernelFunction engine, KernelKind mode, double[][] xTrain, double[][] yTrain,
            double learningRate, double diagReg) {
        DataChecks.dataSet("training inputs", xTrain);
        requireMemory(xTrain.length, mode);
        // nngp mode needs K only; ntk mode needs Θ and, for variances, K
        int n = xTrain.length;
        double[] k = new double[n * n]; // (requireMemory: n ≤ 46,340)
        double[] theta = mode == KernelKind.NNGP ? null : new double[n * n];
        engine.gramFlat(xTrain, k, theta);
        return build(mode, mode == KernelKind.NNGP ? k : theta, mode == KernelKind.NNGP ? null : k, n, yTrain, learningRate,
                diagReg, engine, Vectors.copyRows(xTrain));
    }

    /**
     * Trains on a data set with one output.
     *
     * @param kernel the kernel function
     * @param mode NTK (the whole network trained) or NNGP (the readout only)
     * @param xTrain n training inputs
     * @param yTrain n targets
     * @param learningRate η &gt; 0
     * @param diagReg r ≥ 0 added to the diagonal of the training kernel
     * @return the predictor
     */
    public static GradientFlowPredictor train(KernelFunction kernel, KernelKind mode, double[][] xTrain, double[] yTrain,
            double learningRate, double diagReg) {
        return train(kernel, mode, xTrain, Mat.column("yTrain", yTrain), learningRate, diagReg);
    }

    private static void requireMemory(int n, KernelKind mode) {
        Lapack.requireDense(n, trainingBytes(n, mode));
    }

    /**
     * A predictor from kernel matrices.
     *
     * @param mode which kernel drives the dynamics
     * @param modeTrain n×n training kernel of the mode (Θ for NTK, K for NNGP)
     * @param nngpTrain n×n NNGP training kernel K, needed for ntk-mode covariances; may be null
     *        (then only means), and is ignored in nngp mode
     * @param yTrain n×k targets
     * @param learningRate η &gt; 0
     * @param diagReg r ≥ 0
     * @return the predictor
     */
    public static GradientFlowPredictor fromKernels(KernelKind mode, double[][] modeTrain, double[][] nngpTrain,
            double[][] yTrain, double learningRate, double diagReg) {
        int n = modeTrain == null ? 0 : modeTrain.length;
        Mat.shape("training kernel", modeTrain, n, n);
        double[] nngp = null;
        if (mode == KernelKind.NTK && nngpTrain != null) { // needed for the ntk-mode covariance only
            Mat.shape("NNGP training kernel", nngpTrain, n, n);
            nngp = Mat.flat(nngpTrain);
        }
        return build(mode, Mat.flat(modeTrain), nngp, n, yTrain, learningRate, diagReg, null, null);
    }

    /**
     * The kernel matrices (n×n, row-major, checked by the caller) are kept as they are, the
     * diagonal regulariser added in place.
     */
    private static GradientFlowPredictor build(KernelKind mode, double[] modeTrain, double[] nngpTrain, int n, double[][] yTrain,
            double learningRate, double diagReg, KernelFunction engine, double[][] xTrain) {
        if (mode == null) {
            throw Messages.invalid("mode is null (ntk or nngp)");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw Double.isFinite(learningRate) ? Messages.notPositive("learning rate", learningRate)
                    : Messages.notFinite("learning rate", learningRate);
        }
        if (!Double.isFinite(diagReg)) {
            throw Messages.notFinite("diag-reg", diagReg);
        }
        if (diagReg < 0) {
            throw Messages.negativeStd("diag-reg", diagReg);
        }
        DataChecks.dataSet("targets", yTrain);
        if (yTrain.length != n) {
            throw Messages.dimensionMismatch("the targets", yTrain.length, "the training inputs", n);
        }
        double[] nngp = mode == KernelKind.NTK ? nngpTrain : null;
        double[] g = modeTrain;
        double maxDiag = 0;
        double minDiag = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            g[i * n + i] += diagReg;
            maxDiag = Math.max(maxDiag, g[i * n + i]);
            minDiag = Math.min(minDiag, g[i * n + i]);
        }
        // a positive semi-definite matrix has a non-negative diagonal: the cheap part of the check
        if (minDiag < -64.0 * n * Math.ulp(1.0) * maxDiag) {
            throw Messages.notPositiveSemiDefinite(trainName(mode, diagReg), minDiag, maxDiag);
        }
        return new GradientFlowPredictor(mode, learningRate, diagReg, DEFAULT_MAX_CONDITION, Vectors.copyRows(yTrain), g, nngp, n,
                engine, xTrain, null, null);
    }

    private static String trainName(KernelKind mode, double diagReg) {
        return "the " + mode.id().toUpperCase(java.util.Locale.ROOT) + " Gram matrix of the training set"
                + (diagReg > 0 ? " plus diag-reg " + diagReg : "");
    }

    private CholeskySolver chol() {
        CholeskySolver c = chol;
        if (c == null) {
            synchronized (this) {
                c = chol;
                if (c == null) {
                    c = CholeskySolver.factorOf(g, n, false, trainName(mode, diagReg), maxCondition);
                    chol = c;
                }
            }
        }
        return c;
    }

    private Eigen eigen() {
        Eigen e = eigen;
        if (e == null) {
            synchronized (this) {
                e = eigen;
                if (e == null) {
                    SpectralSolver sp = SpectralSolver.of(KernelSpectrum.withVectorsOfColumnMajor(g, n),
                            trainName(mode, diagReg));
                    double[] lambda = sp.lambda();
                    double[] v = sp.vectors();
                    double[][] yEigen = Lapack.rows(sp.project(y), n, y[0].length);
                    e = new Eigen(lambda, v, yEigen);
                    eigen = e;
                }
            }
        }
        return e;
    }

    /** @return K W for W n×m column-major */
    private double[] nngpTimes(double[] w, int m) {
        Lapack.Stored k = nngpNative;
        if (k == null) {
            synchronized (this) {
                k = nngpNative;
                if (k == null) {
                    k = Lapack.store(nngpTrain, n);
                    nngpNative = k;
                }
            }
        }
        return Lapack.gemm(k, n, w, m);
    }

    /**
     * @param limit the largest accepted amplification of rounding errors, ≥ 1
     * @return a copy with that limit
     */
    public GradientFlowPredictor withMaxCondition(double limit) {
        if (!(limit >= 1)) {
            throw Messages.invalid("the condition-number limit must be >= 1, got " + limit);
        }
        return new GradientFlowPredictor(mode, learningRate, diagReg, limit, y, g, nngpTrain, n, engine, xTrain, null, eigen);
    }

    /** @return the accepted amplification of rounding errors */
    public double maxCondition() {
        return maxCondition;
    }

    /** @return the mode: which kernel drives the dynamics */
    public KernelKind mode() {
        return mode;
    }

    /**
     * The spectrum of the regularised training kernel (computes the eigen-decomposition if no
     * finite-time prediction has).
     *
     * @return a copy of the eigenvalues, decreasing, negatives from rounding set to 0
     */
    public double[] eigenvalues() {
        return eigen().lambda().clone();
    }

    /** g_i(s) = (1 − e^{−λ_i s})/λ_i with s = η t ({@link Gains#flow}). */
    private static double[] gain(double[] lambda, double s) {
        return Gains.flow(lambda, s);
    }

    private double scaledTime(double time) {
        if (Double.isNaN(time) || time < 0) {
            throw Messages.invalid("the training time must be >= 0 or inf, got " + time);
        }
        return time == Double.POSITIVE_INFINITY ? time : learningRate * time;
    }

    /** Refuses gains that would turn rounding errors into the answer. */
    private void checkConditioning(double[] lambda, double[] gains, double time) {
        double max = 0;
        for (double gi : gains) {
            max = Math.max(max, gi);
        }
        double amplification = lambda.length == 0 ? 0 : lambda[0] * max;
        if (!(amplification <= maxCondition)) {
            String what = trainName(mode, diagReg) + " at time " + time;
            throw Messages.illConditioned(what, amplification, maxCondition, lambda[0]);
        }
    }

    /** @return the row-major m×n a times column-major n×n v: m×n column-major */
    private double[] timesV(double[][] a, double[] v) {
        return Lapack.gemm(true, false, a.length, n, n, Mat.flat(a), v);
    }

    /**
     * Mean prediction μ_t = G* A(t) Y from the test–train kernel of the mode.
     *
     * @param modeTestTrain m×n kernel G(X*, X) of the mode
     * @param time t ≥ 0, or {@code Double.POSITIVE_INFINITY}
     * @return m×k means
     */
    public double[][] mean(double[][] modeTestTrain, double time) {
        int m = modeTestTrain == null ? 0 : modeTestTrain.length;
        Mat.shape("test-train kernel", modeTestTrain, m, n);
        double s = scaledTime(time);
        int k = y[0].length;
        if (s == Double.POSITIVE_INFINITY) {
            double[] alpha = Lapack.colMajor(y);
            chol().solve(alpha, k);
            return unscale(Mat.mul(modeTestTrain, alpha, n, k));
        }
        Eigen e = eigen();
        double[] gains = gain(e.lambda(), s);
        checkConditioning(e.lambda(), gains, time);
        // G* V diag(g) VᵀY = G* (V (g ∘ VᵀY))
        double[] w = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                w[c * n + i] = gains[i] * e.yEigen()[i][c];
            }
        }
        double[] coef = Lapack.gemm(false, false, n, k, n, e.v(), w);
        return unscale(Mat.mul(modeTestTrain, coef, n, k));
    }

    /** Multiplies values computed from the scaled targets back by {@link #yScale} (exact: a power of two), in place. */
    private double[][] unscale(double[][] v) {
        if (yScale != 1) {
            for (double[] row : v) {
                for (int c = 0; c < row.length; c++) {
                    row[c] *= yScale;
                }
            }
        }
        return v;
    }

    /**
     * Full test covariance Σ_t (see the class comment).
     *
     * @param modeTestTrain m×n G(X*, X) of the mode
     * @param nngpTestTrain m×n K(X*, X) (ignored in nngp mode, where it equals the first)
     * @param nngpTestTest m×m K(X*, X*)
     * @param time t ≥ 0 or +∞
     * @return m×m covariance
     */
    public double[][] covariance(double[][] modeTestTrain, double[][] nngpTestTrain, double[][] nngpTestTest, double time) {
        int m = modeTestTrain == null ? 0 : modeTestTrain.length;
        Mat.shape("test-test NNGP kernel", nngpTestTest, m, m);
        Terms t = terms(modeTestTrain, nngpTestTrain, time);
        double[][] cov = Vectors.copyRows(nngpTestTest);
        // −(PᵀQ + QᵀP) + RᵀS, each m×m
        double[] pq = t.q == null ? null : Lapack.gemm(true, false, m, m, n, t.p, t.q);
        double[] rs = Lapack.gemm(true, false, m, m, n, t.r, t.s);
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double v = t.sign * rs[b * m + a];
                if (pq != null) {
                    v -= pq[b * m + a] + pq[a * m + b];
                }
                cov[a][b] += v;
            }
        }
        return cov;
    }

    /**
     * The diagonal of Σ_t: one variance per test input.
     *
     * @param modeTestTrain m×n G(X*, X) of the mode
     * @param nngpTestTrain m×n K(X*, X) (ignored in nngp mode)
     * @param nngpTestDiag m values K(x*_j, x*_j)
     * @param time t ≥ 0 or +∞
     * @return m variances
     */
    public double[] variance(double[][] modeTestTrain, double[][] nngpTestTrain, double[] nngpTestDiag, double time) {
        int m = modeTestTrain == null ? 0 : modeTestTrain.length;
        Mat.length("test NNGP variances", nngpTestDiag, m);
        Terms t = terms(modeTestTrain, nngpTestTrain, time);
        double[] out = new double[m];
        for (int a = 0; a < m; a++) {
            double v = 0;
            int o = a * n;
            for (int i = 0; i < n; i++) {
                v += t.sign * t.r[o + i] * t.s[o + i];
                if (t.q != null) {
                    v -= 2 * t.p[o + i] * t.q[o + i];
                }
            }
            out[a] = nngpTestDiag[a] + v;
        }
        return out;
    }

    /**
     * The data-dependent part of Σ_t as n×m column-major factors: Σ_t − K** = −(PᵀQ + QᵀP) + sign·RᵀS
     * (q null: no cross term).
     */
    private record Terms(double[] p, double[] q, double[] r, double[] s, double sign) {
    }

    private Terms terms(double[][] modeTestTrain, double[][] nngpTestTrain, double time) {
        int m = modeTestTrain == null ? 0 : modeTestTrain.length;
        Mat.shape("test-train kernel", modeTestTrain, m, n);
        double s = scaledTime(time);
        if (mode == KernelKind.NTK) {
            if (nngpTrain == null) {
                throw Messages.invalid("the NTK-mode covariance needs the NNGP kernel of the training set");
            }
            Mat.shape("test-train NNGP kernel", nngpTestTrain, m, n);
        }
        if (s == Double.POSITIVE_INFINITY) {
            CholeskySolver c = chol();
            double[] p = c.whiten(modeTestTrain); // L⁻¹G*ᵀ
            if (mode == KernelKind.NNGP) {
                return new Terms(null, null, p, p, -1); // −PᵀP
            }
            double[] q = c.whiten(nngpTestTrain); // L⁻¹K*ᵀ
            double[] w = p.clone();
            c.backSubstitute(w, m); // W = G⁻¹Θ*ᵀ
            return new Terms(p, q, w, nngpTimes(w, m), 1);
        }
        Eigen e = eigen();
        double[] b = timesV(modeTestTrain, e.v()); // m×n column-major: B = G*V
        if (mode == KernelKind.NNGP) {
            double[] g2 = gain(e.lambda(), 2 * s);
            checkConditioning(e.lambda(), g2, time);
            // −B diag(g(2s)) Bᵀ = −RᵀS with R = diag(g) Bᵀ, S = Bᵀ
            double[] bt = transpose(b, m, n);
            double[] r = bt.clone();
            scaleRows(r, g2, m);
            return new Terms(null, null, r, bt, -1);
        }
        double[] gains = gain(e.lambda(), s);
        checkConditioning(e.lambda(), gains, time);
        double[] c = timesV(nngpTestTrain, e.v()); // C = K*V
        double[] gbt = transpose(b, m, n);
        scaleRows(gbt, gains, m); // diag(g) Bᵀ, n×m
        double[] ct = transpose(c, m, n);
        double[] w = Lapack.gemm(false, false, n, m, n, e.v(), gbt); // W = V diag(g) Bᵀ = A Θ*ᵀ
        double[] kw = nngpTimes(w, m);
        // Θ* A K*ᵀ = B diag(g) Cᵀ = (diag(g)Bᵀ)ᵀ Cᵀ: P = diag(g)Bᵀ, Q = Cᵀ
        return new Terms(gbt, ct, w, kw, 1);
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                t[i * cols + j] = a[j * rows + i];
            }
        }
        return t;
    }

    /** Multiplies row i of the n×m column-major a by f[i]. */
    private void scaleRows(double[] a, double[] f, int m) {
        for (int c = 0; c < m; c++) {
            int o = c * n;
            for (int i = 0; i < n; i++) {
                a[o + i] *= f[i];
            }
        }
    }

    /**
     * Mean prediction on test inputs; needs a predictor made by {@link #train}.
     *
     * @param xTest m test inputs
     * @param time t ≥ 0 or {@code Double.POSITIVE_INFINITY}
     * @return the means (no variances)
     */
    public Prediction predict(double[][] xTest, double time) {
        return predict(xTest, time, false);
    }

    /**
     * Mean and variance on test inputs; needs a predictor made by {@link #train}.
     *
     * @param xTest m test inputs
     * @param time t ≥ 0 or {@code Double.POSITIVE_INFINITY}
     * @return the means and variances
     */
    public Prediction predictWithVariance(double[][] xTest, double time) {
        return predict(xTest, time, true);
    }

    /**
     * Mean prediction on test inputs, with variances when the NNGP kernel is at hand.
     * Needs a predictor made by {@link #train}.
     *
     * @param xTest m test inputs, same dimension as the training inputs
     * @param time t ≥ 0 or {@code Double.POSITIVE_INFINITY}
     * @param withVariance whether to compute the variances too
     * @return means and variances
     */
    public Prediction predict(double[][] xTest, double time, boolean withVariance) {
        if (engine == null) {
            throw Messages.invalid("this predictor was made from kernel matrices: use mean(...) and variance(...)");
        }
        DataChecks.dataSet("test inputs", xTest);
        MemoryCheck.require("predictions on " + xTest.length + " test inputs", predictionBytes(xTest.length, n, y[0].length,
                mode, time, withVariance, time == Double.POSITIVE_INFINITY ? chol == null : eigen == null));
        scaledTime(time);
        GramMatrices cross = mode == KernelKind.NNGP ? new GramMatrices(engine.cross(xTest, xTrain, KernelKind.NNGP), null)
                : engine.cross(xTest, xTrain);
        double[][] mean = mean(cross.get(mode), time);
        double[] var = null;
        if (withVariance) {
            var = variance(cross.get(mode), cross.nngp(), Mat.selfKernel(engine, xTest, KernelKind.NNGP), time);
        }
        return new Prediction(mean, var, time);
    }

    /**
     * The mean training residual r(t) = f_t(X) − Y, without its per-direction decomposition:
     * at t = ∞ it is −r (G + rI)⁻¹ Y (zero without regulariser), by the Cholesky factor, so no
     * eigen-decomposition is made; at finite t it is {@link #residual(double)}'s.
     *
     * @param time t ≥ 0 or +∞
     * @return n×k
     */
    public double[][] residualValues(double time) {
        double s = scaledTime(time);
        if (s != Double.POSITIVE_INFINITY) {
            return residual(time).residual();
        }
        int k = y[0].length;
        double[][] r = new double[n][k];
        if (diagReg == 0) {
            chol(); // the same refusal as the prediction when G is singular
            return r;
        }
        double[] alpha = Lapack.colMajor(y);
        chol().solve(alpha, k);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                r[i][c] = -diagReg * alpha[c * n + i];
            }
        }
        return unscale(r);
    }

    /**
     * The mean training residual r(t) = f_t(X) − Y and its decay per eigen-direction:
     * component i is (e^{−η λ_i t} + r g_i(ηt)) v_iᵀY (= e^{−η λ_i t} v_iᵀY without
     * regulariser r). Needs no inverse, so it is defined for every t; needs the eigen-decomposition.
     *
     * @param time t ≥ 0 or +∞
     * @return the residual
     */
    public TrainingResidual residual(double time) {
        double s = scaledTime(time);
        Eigen e = eigen();
        double[] lambda = e.lambda();
        int k = y[0].length;
        double[] factor = new double[n];
        for (int i = 0; i < n; i++) {
            double l = lambda[i];
            double ex = l == 0 ? 1 : Math.exp(-l * s);
            double gi = Gains.flow(l, s);
            factor[i] = diagReg == 0 ? ex : ex + diagReg * gi;
        }
        double[] scaled = new double[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                scaled[c * n + i] = -factor[i] * e.yEigen()[i][c];
            }
        }
        double[][] r = unscale(Lapack.rows(Lapack.gemm(false, false, n, k, n, e.v(), scaled), n, k));
        return new TrainingResidual(lambda.clone(), unscale(Vectors.copyRows(e.yEigen())), factor, r, time);
    }
}
