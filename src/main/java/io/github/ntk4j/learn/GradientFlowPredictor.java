package io.github.ntk4j.learn;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.DataChecks;
import io.github.ntk4j.kernel.GramMatrices;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;

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
 * {@code diag_reg} with {@code diag_reg_absolute_scale=True}). All functions of G are taken in
 * its eigenbasis; (1 − e^{−λs})/λ is evaluated as −expm1(−λs)/λ, with its limit s at λ = 0.
 * Eigenvalues in [−64·n·ε·λ₁, 0) are rounding and set to 0; a more negative one is an error.
 * A prediction whose amplification λ₁ · max_i (1 − e^{−η λ_i t})/λ_i (the condition number
 * at t = ∞) exceeds {@link #maxCondition()} is refused with a message suggesting a
 * regulariser, instead of returning numbers made of rounding errors.
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
    private final double[][] y;
    private final double[] lambda;
    private final double[][] v;
    private final double[][] yEigen;
    private final double[][] nngpTrain;
    private final NtkRecursion engine;
    private final double[][] xTrain;
    /** Vᵀ K V, for the ntk-mode covariance; computed on first use. */
    private volatile double[][] nngpEigen;

    private GradientFlowPredictor(KernelKind mode, double learningRate, double diagReg, double maxCondition, double[][] y,
            double[] lambda, double[][] v, double[][] yEigen, double[][] nngpTrain, NtkRecursion engine, double[][] xTrain) {
        this.mode = mode;
        this.learningRate = learningRate;
        this.diagReg = diagReg;
        this.maxCondition = maxCondition;
        this.y = y;
        this.lambda = lambda;
        this.v = v;
        this.yEigen = yEigen;
        this.nngpTrain = nngpTrain;
        this.engine = engine;
        this.xTrain = xTrain;
    }

    /**
     * Memory training takes on n inputs: both n×n Gram matrices, the regularised copy, its
     * eigen-decomposition with vectors ({@link KernelSpectrum#decompositionBytes}) and the
     * eigenvector products, about 10 n² doubles.
     *
     * @param n training inputs
     * @return bytes, saturating
     */
    public static long trainingBytes(long n) {
        return io.github.ntk4j.MemoryCheck.plus(io.github.ntk4j.MemoryCheck.times(5, io.github.ntk4j.MemoryCheck.doubles(n, n)),
                KernelSpectrum.decompositionBytes(n, true));
    }

    /**
     * Memory of predictions on m test inputs with n training inputs: both m×n cross kernels
     * and the m×n products of the mean and variance, and an n×n product for the variance.
     *
     * @param m test inputs
     * @param n training inputs
     * @return bytes, saturating
     */
    public static long predictionBytes(long m, long n) {
        return io.github.ntk4j.MemoryCheck.plus(io.github.ntk4j.MemoryCheck.times(7, io.github.ntk4j.MemoryCheck.doubles(m, n)),
                io.github.ntk4j.MemoryCheck.times(2, io.github.ntk4j.MemoryCheck.doubles(n, n)));
    }

    /**
     * Trains on a data set: computes the training Gram matrices (both kernels, so that
     * variances can be given) and the eigen-decomposition of the mode's kernel.
     *
     * @param engine the kernel engine of the network
     * @param mode NTK (the whole network trained) or NNGP (the readout only)
     * @param xTrain n training inputs
     * @param yTrain n×k targets
     * @param learningRate η &gt; 0
     * @param diagReg r ≥ 0 added to the diagonal of the training kernel
     * @return the predictor
     */
    public static GradientFlowPredictor train(NtkRecursion engine, KernelKind mode, double[][] xTrain, double[][] yTrain,
            double learningRate, double diagReg) {
        DataChecks.dataSet("training inputs", xTrain);
        io.github.ntk4j.MemoryCheck.require("training on " + xTrain.length + " inputs", trainingBytes(xTrain.length));
        // nngp mode needs K only; ntk mode needs Θ and, for variances, K
        GramMatrices g = mode == KernelKind.NNGP ? new GramMatrices(engine.gram(xTrain, KernelKind.NNGP), null)
                : engine.gram(xTrain);
        return build(mode, g.get(mode), g.nngp(), yTrain, learningRate, diagReg, true, engine, Mat.copy(xTrain));
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
        return build(mode, modeTrain, nngpTrain, yTrain, learningRate, diagReg, false, null, null);
    }

    /**
     * With {@code owned} the kernel matrices are fresh from the engine and are used (and the
     * mode's one regularised) in place; otherwise they are the caller's and are copied.
     */
    private static GradientFlowPredictor build(KernelKind mode, double[][] modeTrain, double[][] nngpTrain, double[][] yTrain,
            double learningRate, double diagReg, boolean owned, NtkRecursion engine, double[][] xTrain) {
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
        int n = modeTrain == null ? 0 : modeTrain.length;
        Mat.shape("training kernel", modeTrain, n, n);
        DataChecks.dataSet("targets", yTrain);
        if (yTrain.length != n) {
            throw Messages.dimensionMismatch("the targets", yTrain.length, "the training inputs", n);
        }
        // the NNGP training kernel is needed for the ntk-mode covariance only
        double[][] nngp = mode == KernelKind.NTK ? nngpTrain : null;
        if (nngp != null) {
            Mat.shape("NNGP training kernel", nngp, n, n);
            nngp = owned ? nngp : Mat.copy(nngp);
        }
        double[][] g = owned ? modeTrain : Mat.copy(modeTrain);
        for (int i = 0; i < n; i++) {
            g[i][i] += diagReg;
        }
        KernelSpectrum s = KernelSpectrum.of(g, true);
        s.requirePositiveSemiDefinite(trainName(mode, diagReg));
        double[] lambda = s.eigenvalues();
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.max(lambda[i], 0.0);
        }
        double[][] v = s.vectorMatrix();
        double[][] y = Mat.copy(yTrain);
        double[][] yEigen = Mat.mul(Mat.transpose(v), y);
        return new GradientFlowPredictor(mode, learningRate, diagReg, DEFAULT_MAX_CONDITION, y, lambda, v, yEigen, nngp,
                engine, xTrain);
    }

    private static String trainName(KernelKind mode, double diagReg) {
        return "the " + mode.id().toUpperCase(java.util.Locale.ROOT) + " Gram matrix of the training set"
                + (diagReg > 0 ? " plus diag-reg " + diagReg : "");
    }

    /**
     * @param limit the largest accepted amplification of rounding errors, ≥ 1
     * @return a copy with that limit
     */
    public GradientFlowPredictor withMaxCondition(double limit) {
        if (!(limit >= 1)) {
            throw Messages.invalid("the condition-number limit must be >= 1, got " + limit);
        }
        return new GradientFlowPredictor(mode, learningRate, diagReg, limit, y, lambda, v, yEigen, nngpTrain, engine, xTrain);
    }

    /** @return the accepted amplification of rounding errors */
    public double maxCondition() {
        return maxCondition;
    }

    /** @return the mode: which kernel drives the dynamics */
    public KernelKind mode() {
        return mode;
    }

    /** @return a copy of the eigenvalues of the regularised training kernel, decreasing, negatives from rounding set to 0 */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /**
     * g_i(s) = (1 − e^{−λ_i s})/λ_i with s = η t (limit s at λ_i = 0, 1/λ_i at s = ∞).
     */
    private double[] gain(double s) {
        double[] g = new double[lambda.length];
        for (int i = 0; i < g.length; i++) {
            double l = lambda[i];
            if (l == 0) {
                g[i] = s;
            } else if (s == Double.POSITIVE_INFINITY) {
                g[i] = 1 / l;
            } else {
                g[i] = -Math.expm1(-l * s) / l;
            }
        }
        return g;
    }

    private double scaledTime(double time) {
        if (Double.isNaN(time) || time < 0) {
            throw Messages.invalid("the training time must be >= 0 or inf, got " + time);
        }
        return time == Double.POSITIVE_INFINITY ? time : learningRate * time;
    }

    /** Refuses gains that would turn rounding errors into the answer. */
    private void checkConditioning(double[] g, double time) {
        double max = 0;
        for (double gi : g) {
            max = Math.max(max, gi);
        }
        double amplification = lambda[0] * max;
        if (!(amplification <= maxCondition)) {
            String what = trainName(mode, diagReg) + (time == Double.POSITIVE_INFINITY ? "" : " at time " + time);
            throw Messages.illConditioned(what, amplification, maxCondition, lambda[0]);
        }
    }

    /**
     * Mean prediction μ_t = G* A(t) Y from the test–train kernel of the mode.
     *
     * @param modeTestTrain m×n kernel G(X*, X) of the mode
     * @param time t ≥ 0, or {@code Double.POSITIVE_INFINITY}
     * @return m×k means
     */
    public double[][] mean(double[][] modeTestTrain, double time) {
        int n = lambda.length;
        Mat.shape("test-train kernel", modeTestTrain, modeTestTrain == null ? 0 : modeTestTrain.length, n);
        double[] g = gain(scaledTime(time));
        checkConditioning(g, time);
        double[][] b = Mat.mul(modeTestTrain, v);
        double[][] w = new double[n][];
        for (int i = 0; i < n; i++) {
            w[i] = yEigen[i].clone();
            for (int c = 0; c < w[i].length; c++) {
                w[i][c] *= g[i];
            }
        }
        return Mat.mul(b, w);
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
        double[][] cov = Mat.copy(nngpTestTest);
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                cov[a][b] += t.pair(a, b);
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
            out[a] = nngpTestDiag[a] + t.pair(a, a);
        }
        return out;
    }

    /** The data-dependent part of Σ_t, entry by entry, in the eigenbasis. */
    private final class Terms {
        final double[][] b;
        final double[][] c;
        final double[] g;
        final double[][] mb;

        Terms(double[][] b, double[][] c, double[] g, double[][] mb) {
            this.b = b;
            this.c = c;
            this.g = g;
            this.mb = mb;
        }

        /** nngp: −Σ_i B_ai g_i(2s) B_bi; ntk: −Σ_i g_i (B_ai C_bi + C_ai B_bi) + Σ_i g_i B_ai (M g∘B_b)_i. */
        double pair(int a, int bIndex) {
            double s = 0;
            double[] ba = b[a];
            double[] bb = b[bIndex];
            if (c == null) {
                for (int i = 0; i < g.length; i++) {
                    s -= ba[i] * g[i] * bb[i];
                }
                return s;
            }
            double[] ca = c[a];
            double[] cb = c[bIndex];
            double[] mbb = mb[bIndex];
            for (int i = 0; i < g.length; i++) {
                s += g[i] * (ba[i] * (mbb[i] - cb[i]) - ca[i] * bb[i]);
            }
            return s;
        }
    }

    private Terms terms(double[][] modeTestTrain, double[][] nngpTestTrain, double time) {
        int n = lambda.length;
        int m = modeTestTrain == null ? 0 : modeTestTrain.length;
        Mat.shape("test-train kernel", modeTestTrain, m, n);
        double s = scaledTime(time);
        double[][] b = Mat.mul(modeTestTrain, v);
        if (mode == KernelKind.NNGP) {
            double[] g2 = gain(2 * s);
            checkConditioning(g2, time);
            return new Terms(b, null, g2, null);
        }
        if (nngpTrain == null) {
            throw Messages.invalid("the NTK-mode covariance needs the NNGP kernel of the training set");
        }
        Mat.shape("test-train NNGP kernel", nngpTestTrain, m, n);
        double[] g = gain(s);
        checkConditioning(g, time);
        double[][] c = Mat.mul(nngpTestTrain, v);
        double[][] me = nngpEigen;
        if (me == null) {
            me = Mat.mul(Mat.transpose(v), Mat.mul(nngpTrain, v));
            nngpEigen = me;
        }
        // mb[a] = M (g ∘ B_a)
        double[][] gb = new double[m][n];
        for (int a = 0; a < m; a++) {
            for (int i = 0; i < n; i++) {
                gb[a][i] = g[i] * b[a][i];
            }
        }
        double[][] mb = Mat.mul(gb, me); // M is symmetric: (g∘B_a)ᵀ M = (M (g∘B_a))ᵀ
        return new Terms(b, c, g, mb);
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
        io.github.ntk4j.MemoryCheck.require("predictions on " + xTest.length + " test inputs",
                predictionBytes(xTest.length, xTrain.length));
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
     * The mean training residual r(t) = f_t(X) − Y and its decay per eigen-direction:
     * component i is (e^{−η λ_i t} + r g_i(ηt)) v_iᵀY (= e^{−η λ_i t} v_iᵀY without
     * regulariser r). Needs no inverse, so it is defined for every t.
     *
     * @param time t ≥ 0 or +∞
     * @return the residual
     */
    public TrainingResidual residual(double time) {
        double s = scaledTime(time);
        int n = lambda.length;
        int k = y[0].length;
        double[] g = gain(s);
        double[] factor = new double[n];
        for (int i = 0; i < n; i++) {
            double e = lambda[i] == 0 ? 1 : Math.exp(-lambda[i] * s);
            factor[i] = diagReg == 0 ? e : e + diagReg * g[i];
        }
        double[][] scaled = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                scaled[i][c] = -factor[i] * yEigen[i][c];
            }
        }
        double[][] r = Mat.mul(v, scaled);
        return new TrainingResidual(lambda.clone(), Mat.copy(yEigen), factor, r, time);
    }
}
