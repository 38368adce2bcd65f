package io.github.ntk4j.learn;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.math.KernelKind;

/**
 * Exact Gaussian-process regression with a network's kernel as prior covariance (Bayesian
 * inference in the infinite-width network; Neal 1996, Lee et al. 2018; Rasmussen and
 * Williams, Gaussian Processes for Machine Learning, 2006, eqs. 2.23–2.24 and Algorithm 2.1):
 * with K the training kernel, K* = K(X*, X), K** = K(X*, X*) and observation noise variance σ²,
 * <pre>
 *   mean       K* (K + σ²I)⁻¹ Y                       = K* α,       α = L⁻ᵀ L⁻¹ Y
 *   covariance K** − K* (K + σ²I)⁻¹ K*ᵀ               = K** − ZᵀZ,  Z = L⁻¹ K*ᵀ
 * </pre>
 * (neural-tangents' {@code predict.gp_inference} with {@code get="nngp"}, or
 * {@code get="ntkgp"} when the kernel is the NTK), with the Cholesky factor K + σ²I = L Lᵀ
 * (LAPACK dpotrf, triangular solves dpotrs/dtrsm; no inverse is formed). A matrix whose
 * factorisation fails or whose condition number is at least (max L_ii / min L_ii)² &gt;
 * {@link #DEFAULT_MAX_CONDITION} is refused with a message suggesting a regulariser (a larger σ²).
 *
 * <p>Instances are immutable.
 */
public final class GaussianProcessPredictor {
    /** Default limit on the condition number of K + σ²I. */
    public static final double DEFAULT_MAX_CONDITION = GradientFlowPredictor.DEFAULT_MAX_CONDITION;

    private final KernelKind kind;
    private final double noise;
    private final CholeskySolver chol;
    private final double[] alpha;
    private final int k;
    private final KernelFunction engine;
    private final double[][] xTrain;

    private GaussianProcessPredictor(KernelKind kind, double noise, CholeskySolver chol, double[] alpha, int k,
            KernelFunction engine, double[][] xTrain) {
        this.kind = kind;
        this.noise = noise;
        this.chol = chol;
        this.alpha = alpha;
        this.k = k;
        this.engine = engine;
        this.xTrain = xTrain;
    }

    /**
     * Conditions the GP on training data from kernel matrices.
     *
     * @param kTrain n×n training kernel K
     * @param yTrain n×k targets
     * @param noise σ² ≥ 0 added to the diagonal
     * @return the posterior
     */
    public static GaussianProcessPredictor fromKernel(double[][] kTrain, double[][] yTrain, double noise) {
        int n = kTrain == null ? 0 : kTrain.length;
        Mat.shape("training kernel", kTrain, n, n);
        return build(KernelKind.NNGP, Mat.flat(kTrain), n, yTrain, noise, null, null);
    }

    /**
     * Conditions the GP with a network's kernel on a data set.
     *
     * @param engine the kernel engine
     * @param kind the prior kernel: NNGP (Bayesian network) or NTK (the "NTK-GP")
     * @param xTrain n training inputs
     * @param yTrain n×k targets
     * @param noise σ² ≥ 0
     * @return the posterior
     */
    public static GaussianProcessPredictor train(KernelFunction engine, KernelKind kind, double[][] xTrain, double[][] yTrain,
            double noise) {
        DataChecks.dataSet("training inputs", xTrain);
        CholeskySolver.requireMemory(xTrain.length, 1);
        // the Gram matrix in one array, factored in place: no copy of it (KernelFunction#gramFlat)
        return build(kind, engine.gramFlat(xTrain, kind), xTrain.length, yTrain, noise, engine, Vectors.copyRows(xTrain));
    }

    /**
     * Conditions the GP on a data set with one output.
     *
     * @param kernel the kernel function
     * @param kind the prior kernel
     * @param xTrain n training inputs
     * @param yTrain n targets
     * @param noise σ² ≥ 0
     * @return the posterior
     */
    public static GaussianProcessPredictor train(KernelFunction kernel, KernelKind kind, double[][] xTrain, double[] yTrain,
            double noise) {
        return train(kernel, kind, xTrain, Mat.column("yTrain", yTrain), noise);
    }

    /** @param kTrain the n×n training kernel, row-major (= column-major), overwritten by its factor */
    private static GaussianProcessPredictor build(KernelKind kind, double[] kTrain, int n, double[][] yTrain, double noise,
            KernelFunction engine, double[][] xTrain) {
        if (!Double.isFinite(noise)) {
            throw Messages.notFinite("noise variance (diag-reg)", noise);
        }
        if (noise < 0) {
            throw Messages.negativeStd("noise variance (diag-reg)", noise);
        }
        DataChecks.dataSet("targets", yTrain);
        if (yTrain.length != n) {
            throw Messages.dimensionMismatch("the targets", yTrain.length, "the training inputs", n);
        }
        String what = "the " + kind.id().toUpperCase(java.util.Locale.ROOT) + " Gram matrix of the training set"
                + (noise > 0 ? " plus diag-reg " + noise : "");
        CholeskySolver chol = CholeskySolver.factorInPlace(kTrain, n, noise, what, DEFAULT_MAX_CONDITION);
        double[] alpha = Lapack.colMajor(yTrain);
        chol.solve(alpha, yTrain[0].length);
        return new GaussianProcessPredictor(kind, noise, chol, alpha, yTrain[0].length, engine, xTrain);
    }

    /** @return the prior kernel */
    public KernelKind kind() {
        return kind;
    }

    /** @return σ² */
    public double noise() {
        return noise;
    }

    /**
     * Posterior mean K* (K + σ²I)⁻¹ Y.
     *
     * @param kTestTrain m×n K(X*, X)
     * @return m×k
     */
    public double[][] mean(double[][] kTestTrain) {
        int m = kTestTrain == null ? 0 : kTestTrain.length;
        Mat.shape("test-train kernel", kTestTrain, m, chol.size());
        return Mat.mul(kTestTrain, alpha, chol.size(), k);
    }

    /**
     * Posterior covariance K** − K* (K + σ²I)⁻¹ K*ᵀ = K** − ZᵀZ with Z = L⁻¹K*ᵀ.
     *
     * @param kTestTrain m×n K(X*, X)
     * @param kTestTest m×m K(X*, X*)
     * @return m×m
     */
    public double[][] covariance(double[][] kTestTrain, double[][] kTestTest) {
        int m = kTestTrain == null ? 0 : kTestTrain.length;
        int n = chol.size();
        Mat.shape("test-train kernel", kTestTrain, m, n);
        Mat.shape("test-test kernel", kTestTest, m, m);
        double[] z = chol.whiten(kTestTrain); // n×m
        double[] q = Lapack.gemm(true, false, m, m, n, z, z);
        double[][] cov = Vectors.copyRows(kTestTest);
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                cov[a][b] -= q[b * m + a];
            }
        }
        return cov;
    }

    /**
     * Posterior variances, the diagonal of {@link #covariance}: K**_aa − ‖Z_a‖², Z = L⁻¹K*ᵀ.
     *
     * @param kTestTrain m×n K(X*, X)
     * @param kTestDiag m values K(x*_j, x*_j)
     * @return m variances
     */
    public double[] variance(double[][] kTestTrain, double[] kTestDiag) {
        int m = kTestTrain == null ? 0 : kTestTrain.length;
        int n = chol.size();
        Mat.shape("test-train kernel", kTestTrain, m, n);
        Mat.length("test variances", kTestDiag, m);
        double[] z = chol.whiten(kTestTrain); // n×m
        double[] out = new double[m];
        for (int a = 0; a < m; a++) {
            double s = 0;
            for (int i = 0, o = a * n; i < n; i++) {
                s += z[o + i] * z[o + i];
            }
            out[a] = kTestDiag[a] - s;
        }
        return out;
    }

    /**
     * Posterior mean on test inputs; needs a predictor made by {@link #train}.
     *
     * @param xTest m test inputs
     * @return the means (no variances)
     */
    public Prediction predict(double[][] xTest) {
        return predict(xTest, false);
    }

    /**
     * Posterior mean and variance on test inputs; needs a predictor made by {@link #train}.
     *
     * @param xTest m test inputs
     * @return the means and variances
     */
    public Prediction predictWithVariance(double[][] xTest) {
        return predict(xTest, true);
    }

    /**
     * Posterior on test inputs; needs a predictor made by {@link #train}.
     *
     * @param xTest m test inputs
     * @param withVariance whether to compute variances
     * @return the prediction (time +∞)
     */
    public Prediction predict(double[][] xTest, boolean withVariance) {
        if (engine == null) {
            throw Messages.invalid("this predictor was made from a kernel matrix: use mean(...) and variance(...)");
        }
        DataChecks.dataSet("test inputs", xTest);
        // the cross kernel, its transpose and the solve (n×m each)
        io.github.ntk4j.internal.MemoryCheck.require("predictions on " + xTest.length + " test inputs",
                io.github.ntk4j.internal.MemoryCheck.times(4, io.github.ntk4j.internal.MemoryCheck.doubles(xTest.length, xTrain.length)));
        double[][] cross = engine.cross(xTest, xTrain, kind);
        double[] var = null;
        if (withVariance) {
            var = variance(cross, Mat.selfKernel(engine, xTest, kind));
        }
        return new Prediction(mean(cross), var, Double.POSITIVE_INFINITY);
    }

    /**
     * The residual of the posterior mean on the training inputs, K(K + σ²I)⁻¹Y − Y = −σ²(K + σ²I)⁻¹Y
     * (zero without noise: the posterior mean interpolates).
     *
     * @return n×k
     */
    public double[][] trainingResidual() {
        double[][] r = Lapack.rows(alpha, chol.size(), k);
        for (double[] row : r) {
            for (int c = 0; c < row.length; c++) {
                row[c] *= -noise;
            }
        }
        return r;
    }
}
