package io.github.ntk4j.study;

import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.learn.Standardiser;
import io.github.ntk4j.learn.FilterCrossValidation;
import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.learn.InterpolatingSolver;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Interpolating kernel machines that still generalise: the experiments of Belkin, Ma &amp;
 * Mandal, "To understand deep learning we need to understand kernel learning" (ICML 2018), on
 * any {@link KernelFunction} (the NTK and NNGP of {@code kernel.NtkRecursion}, the Gaussian and
 * Laplace kernels).
 *
 * <ul>
 *   <li>{@link #noise}: with label noise ε on the training labels only, the interpolant (ridge
 *   exactly 0, {@link InterpolatingSolver}) against kernel ridge regression with the ridge chosen
 *   by cross-validation and gradient flow stopped at a cross-validated time
 *   ({@link FilterCrossValidation}, then {@link GradientFlowPredictor}); training and clean test
 *   accuracy, and Belkin's reference, the Bayes-consistent error ε(k−1)/k + (1−ε)P on labels
 *   with the same noise ({@link #bayesConsistentError}).</li>
 *   <li>{@link #normGrowth}: the interpolant's RKHS norm ‖f‖²_H = Σ_c y_cᵀ K⁻¹ y_c on nested
 *   subsets of growing size n (Belkin et al. prove that for noisy labels it grows, for the
 *   Gaussian kernel at least exponentially in n^{1/d}).</li>
 *   <li>{@link #synthetic}: Belkin's synthetic sets, x ∈ R⁵⁰, x₁ ~ N(0,1) for class 0 and N(μ,1)
 *   for class 1 (equal priors), x₂…x₅₀ ~ U[−1,1]; Bayes error Φ(−μ/2) ({@link #syntheticBayesError}).</li>
 * </ul>
 *
 * <p><b>Label noise</b> (Belkin et al. §3): each training label is, independently with
 * probability ε, replaced by a class drawn uniformly from all k classes (so it stays right with
 * probability 1/k); test labels stay clean. A classifier consistent for this noise has clean
 * error P (the noise is symmetric, the arg max of the class probabilities is unchanged) and, on
 * labels with the same noise, ε(k−1)/k + (1−ε)P. P is estimated by the clean test error of the
 * cross-validated ridge (trained on clean labels); the interpolant's error on test labels with
 * the same noise (drawn with another seed) is reported beside the reference.
 *
 * <p><b>Features</b> are standardised with the mean and standard deviation (divisor n) of the
 * training rows; a column constant there is set to 0.
 */
public final class InterpolationStudy {
    /** Relative ridges of the cross-validated kernel ridge regression (× the mean kernel diagonal). */
    public static final double[] RIDGES = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100};
    /** Relative gradient-flow times (÷ the mean kernel diagonal) of early stopping. */
    public static final double[] TIMES = {0.01, 0.1, 1, 10, 100, 1e3, 1e4, 1e5};

    private InterpolationStudy() {
    }

    /**
     * A labelled data set with class indices.
     *
     * @param x rows of features
     * @param labels class index of each row, 0 … classes−1
     * @param classes k
     */
    public record Data(double[][] x, int[] labels, int classes) {
        /**
         * Checks the data.
         *
         * @param x rows
         * @param labels classes
         * @param classes k ≥ 2
         */
        public Data {
            DataChecks.dataSet("features", x);
            if (labels == null || labels.length != x.length) {
                throw Messages.dimensionMismatch("the labels", labels == null ? 0 : labels.length, "the feature rows", x.length);
            }
            if (classes < 2) {
                throw Messages.tooSmall("classes", classes, 2);
            }
            for (int c : labels) {
                if (c < 0 || c >= classes) {
                    throw Messages.invalid("class index " + c + " is not in 0.." + (classes - 1));
                }
            }
        }
    }

    /**
     * Accuracies of one method.
     *
     * @param train accuracy on the (noisy) training labels
     * @param test accuracy on the clean test labels
     */
    public record Scores(double train, double test) {
    }

    /**
     * One noise level.
     *
     * @param noise ε
     * @param changed training labels the noise actually changed
     * @param interpolant the interpolant's accuracies (train must be 1)
     * @param ridge the cross-validated ridge regression's
     * @param chosenRidge its relative ridge
     * @param earlyStopping early-stopped gradient flow's
     * @param chosenTime its relative time
     * @param interpolantNoisyTestError the interpolant's error on test labels with the same noise
     * @param bayesConsistent ε(k−1)/k + (1−ε)P
     * @param residual the interpolant's relative training residual max|Y − Kα|/max|Y|
     * @param refinementSteps refinement steps of the interpolating solve
     * @param interpolates whether the interpolant was determined (not numerically singular)
     */
    public record NoiseRow(double noise, int changed, Scores interpolant, Scores ridge, double chosenRidge, Scores earlyStopping,
            double chosenTime, double interpolantNoisyTestError, double bayesConsistent, double residual, int refinementSteps,
            boolean interpolates) {
    }

    /**
     * The noise experiment's result.
     *
     * @param kernel the kernel's description
     * @param kind the kernel kind used
     * @param trainSize n
     * @param testSize m
     * @param classes k
     * @param condition the condition number of the training Gram matrix
     * @param singular whether it is numerically singular (Cholesky failed)
     * @param cleanError P: the clean test error of the cross-validated ridge trained on clean labels, or
     *     the known value given
     * @param rows one per noise level
     */
    public record NoiseReport(String kernel, KernelKind kind, int trainSize, int testSize, int classes, double condition,
            boolean singular, double cleanError, List<NoiseRow> rows) {
    }

    /**
     * Belkin, Ma &amp; Mandal's reference point: the error, on labels with noise ε (each replaced
     * with probability ε by a uniformly drawn one of k classes), of a classifier whose clean
     * error is P: ε(k−1)/k + (1−ε)P.
     *
     * @param noise ε ∈ [0, 1]
     * @param classes k ≥ 2
     * @param cleanError P ∈ [0, 1]
     * @return the error
     */
    public static double bayesConsistentError(double noise, int classes, double cleanError) {
        checkFraction("noise", noise);
        checkFraction("clean error", cleanError);
        if (classes < 2) {
            throw Messages.tooSmall("classes", classes, 2);
        }
        return noise * (classes - 1) / classes + (1 - noise) * cleanError;
    }

    /**
     * Each label, independently with probability ε, replaced by a class drawn uniformly from
     * all k (java.util.Random with the seed: one uniform draw per row, then one class draw per
     * replaced row).
     *
     * @param labels class indices
     * @param classes k
     * @param noise ε ∈ [0, 1]
     * @param seed seed
     * @return the noisy labels (a new array)
     */
    public static int[] corrupt(int[] labels, int classes, double noise, long seed) {
        checkFraction("noise", noise);
        Random rng = new Random(seed);
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (rng.nextDouble() < noise) {
                out[i] = rng.nextInt(classes);
            }
        }
        return out;
    }

    private static void checkFraction(String what, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw Messages.invalid("the " + what + " must be in [0, 1], got " + v);
        }
    }

    /**
     * Heap the noise experiment needs: the n×n Gram matrix and the interpolating solver, the
     * cross-validation's folds, one gradient-flow predictor, and the m×n test kernel.
     *
     * @param n training rows
     * @param m test rows
     * @return bytes, saturating
     */
    public static long bytesNeeded(long n, long m) {
        return MemoryCheck.plus(InterpolatingSolver.bytesNeeded(n), FilterCrossValidation.bytesNeeded(n),
                // the gradient-flow predictor: its kernel, a factorisation and the solver's work space, 4 n²
                MemoryCheck.times(4, MemoryCheck.times(8, MemoryCheck.times(n, n))), MemoryCheck.times(3, MemoryCheck.doubles(m, n)));
    }

    /**
     * The noise experiment.
     *
     * @param kernel the kernel
     * @param kind which of its kernels
     * @param train training set
     * @param test test set (same classes)
     * @param noise noise levels ε ∈ [0, 1]
     * @param folds cross-validation folds (≥ 2)
     * @param seed seed of the folds and of the noise (level i uses seed + 1000·(i+1))
     * @param progress receives (steps done, total)
     * @return the report
     */
    public static NoiseReport noise(KernelFunction kernel, KernelKind kind, Data train, Data test, double[] noise, int folds,
            long seed, Progress progress) {
        return noise(kernel, kind, train, test, noise, folds, seed, Double.NaN, progress);
    }

    /**
     * The noise experiment with a known clean error P (the Bayes error of a synthetic set) for
     * the Bayes-consistent reference.
     *
     * @param kernel the kernel
     * @param kind which of its kernels
     * @param train training set
     * @param test test set (same classes)
     * @param noise noise levels ε ∈ [0, 1]
     * @param folds cross-validation folds (≥ 2)
     * @param seed seed of the folds and of the noise (level i uses seed + 1000·(i+1))
     * @param cleanError P ∈ [0, 1], or NaN to estimate it by the clean test error of the
     *     cross-validated ridge
     * @param progress receives (steps done, total)
     * @return the report
     */
    public static NoiseReport noise(KernelFunction kernel, KernelKind kind, Data train, Data test, double[] noise, int folds,
            long seed, double cleanError, Progress progress) {
        if (!Double.isNaN(cleanError)) {
            checkFraction("clean error", cleanError);
        }
        if (train.classes() != test.classes()) {
            throw Messages.dimensionMismatch("the test classes", test.classes(), "the training classes", train.classes());
        }
        if (train.x()[0].length != test.x()[0].length) {
            throw Messages.dimensionMismatch("the test features", test.x()[0].length, "the training features",
                    train.x()[0].length);
        }
        for (double e : noise) {
            checkFraction("noise", e);
        }
        Progress bar = progress == null ? Progress.NONE : progress;
        int n = train.x().length;
        int k = train.classes();
        MemoryCheck.require("the interpolation study on " + n + " training and " + test.x().length + " test rows",
                bytesNeeded(n, test.x().length));
        Standardiser scaler = Standardiser.fit(train.x());
        double[][][] z = {scaler.apply(train.x()), scaler.apply(test.x())};
        long total = 3L + noise.length;
        double[][] gram = kernel.gram(z[0], kind);
        double[][] cross = kernel.cross(z[1], z[0], kind);
        bar.update(1, total);
        InterpolatingSolver solver = InterpolatingSolver.factor(gram);
        FilterCrossValidation cv = FilterCrossValidation.prepare(gram, train.labels(), folds, seed);
        bar.update(2, total);
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale += gram[i][i];
        }
        scale /= n;
        // P: the cross-validated ridge trained on the clean labels
        FilterCrossValidation.Choice clean = cv.select(train.labels(), k, RIDGES, TIMES);
        double[][] cleanPred = GradientFlowPredictor.fromKernels(kind, gram, null, oneHot(train.labels(), k), 1.0,
                clean.ridge() * scale).mean(cross, Double.POSITIVE_INFINITY);
        double p = Double.isNaN(cleanError) ? 1 - accuracy(cleanPred, test.labels()) : cleanError;
        bar.update(3, total);
        List<NoiseRow> rows = new ArrayList<>();
        for (int l = 0; l < noise.length; l++) {
            double eps = noise[l];
            int[] noisy = corrupt(train.labels(), k, eps, seed + 1000L * (l + 1));
            int changed = 0;
            for (int i = 0; i < n; i++) {
                changed += noisy[i] != train.labels()[i] ? 1 : 0;
            }
            double[][] y = oneHot(noisy, k);
            InterpolatingSolver.Solution sol = solver.solve(y);
            double[][] interpTest = sol.predict(cross);
            Scores interp = new Scores(accuracy(sol.trainingPredictions(), noisy), accuracy(interpTest, test.labels()));
            int[] noisyTest = corrupt(test.labels(), k, eps, seed + 1000L * (l + 1) + 500);
            double noisyErr = 1 - accuracy(interpTest, noisyTest);
            FilterCrossValidation.Choice ch = cv.select(noisy, k, RIDGES, TIMES);
            GradientFlowPredictor ridge = GradientFlowPredictor.fromKernels(kind, gram, null, y, 1.0, ch.ridge() * scale);
            Scores rs = new Scores(accuracy(ridge.mean(gram, Double.POSITIVE_INFINITY), noisy),
                    accuracy(ridge.mean(cross, Double.POSITIVE_INFINITY), test.labels()));
            GradientFlowPredictor flow = GradientFlowPredictor.fromKernels(kind, gram, null, y, 1.0, 0.0);
            double t = ch.time() / scale;
            Scores es = new Scores(accuracy(flow.mean(gram, t), noisy), accuracy(flow.mean(cross, t), test.labels()));
            rows.add(new NoiseRow(eps, changed, interp, rs, ch.ridge(), es, ch.time(), noisyErr,
                    bayesConsistentError(eps, k, p), sol.relativeResidual(), sol.refinementSteps(), sol.interpolates()));
            bar.update(4 + l, total);
        }
        return new NoiseReport(kernel.describe(), kind, n, test.x().length, k, solver.condition(), solver.numericallySingular(),
                p, rows);
    }

    /**
     * A kernel of the norm-growth experiment.
     *
     * @param name its label in tables and plots
     * @param kernel the kernel function
     * @param kind which of its kernels
     */
    public record NamedKernel(String name, KernelFunction kernel, KernelKind kind) {
    }

    /**
     * The interpolant's squared RKHS norm against n for one kernel and noise level.
     *
     * @param kernel the kernel's name
     * @param noise ε
     * @param sizes n values
     * @param normSquared ‖f‖²_H at each n (NaN where the Gram matrix is numerically singular)
     * @param condition the Gram matrix's condition number at each n
     * @param residual the relative training residual at each n
     */
    public record NormSeries(String kernel, double noise, int[] sizes, double[] normSquared, double[] condition,
            double[] residual) {
        /** @return whether the norm is determined at every n */
        public boolean complete() {
            return Arrays.stream(normSquared).allMatch(Double::isFinite);
        }

        /**
         * @return the least-squares slope of log ‖f‖²_H against log n over the sizes where the
         *     norm is determined, with its 95% interval ({@link io.github.ntk4j.math.RateFit}),
         *     or null with fewer than 3 such sizes
         */
        public io.github.ntk4j.math.RateFit slope() {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                if (Double.isFinite(normSquared[i]) && normSquared[i] > 0) {
                    pts.add(new double[] {sizes[i], normSquared[i]});
                }
            }
            if (pts.size() < 3) {
                return null;
            }
            return io.github.ntk4j.math.RateFit.fit(pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(), 0.95);
        }
    }

    /**
     * Heap of the norm-growth experiment at largest size n: the Gram matrix, its leading block
     * and the solver.
     *
     * @param n largest size
     * @return bytes
     */
    public static long normGrowthBytes(long n) {
        return MemoryCheck.plus(MemoryCheck.times(2, MemoryCheck.doubles(n, n)), InterpolatingSolver.bytesNeeded(n));
    }

    /**
     * The norm-growth experiment: the rows are shuffled with the seed and the first n taken for
     * each size (nested subsets), features standardised on the largest subset; the labels of
     * the largest subset get noise ε (seed + 1000·(level+1)), the subsets share them. The
     * interpolant of the one-hot labels is solved at each n; its squared RKHS norm is Σ_c y_cᵀ K⁻¹ y_c.
     *
     * @param kernels the kernels
     * @param data the pool of rows (at least the largest size)
     * @param sizes increasing sizes ≥ 2
     * @param noise noise levels
     * @param seed seed
     * @param progress receives (kernel × size steps done, total)
     * @return one series per kernel and noise level, kernels outermost
     */
    public static List<NormSeries> normGrowth(List<NamedKernel> kernels, Data data, int[] sizes, double[] noise, long seed,
            Progress progress) {
        if (sizes.length == 0) {
            throw Messages.empty("the sizes");
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 2 || (i > 0 && sizes[i] <= sizes[i - 1])) {
                throw Messages.invalid("the sizes must be increasing and >= 2, got " + Arrays.toString(sizes));
            }
        }
        for (double e : noise) {
            checkFraction("noise", e);
        }
        int max = sizes[sizes.length - 1];
        if (max > data.x().length) {
            throw Messages.invalid("the largest size " + max + " exceeds the " + data.x().length + " rows of the data");
        }
        MemoryCheck.require("the norm-growth study up to n = " + max, normGrowthBytes(max));
        Progress bar = progress == null ? Progress.NONE : progress;
        Integer[] order = new Integer[data.x().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(Arrays.asList(order), new Random(seed));
        double[][] pool = new double[max][];
        int[] labels = new int[max];
        for (int i = 0; i < max; i++) {
            pool[i] = data.x()[order[i]];
            labels[i] = data.labels()[order[i]];
        }
        double[][] z = Standardiser.fit(pool).apply(pool);
        double[][][] y = new double[noise.length][][];
        for (int l = 0; l < noise.length; l++) {
            y[l] = oneHot(corrupt(labels, data.classes(), noise[l], seed + 1000L * (l + 1)), data.classes());
        }
        List<NormSeries> out = new ArrayList<>();
        long total = (long) kernels.size() * sizes.length;
        long done = 0;
        for (NamedKernel nk : kernels) {
            double[][] g = nk.kernel().gram(z, nk.kind());
            double[][] norms = new double[noise.length][sizes.length];
            double[][] conds = new double[noise.length][sizes.length];
            double[][] res = new double[noise.length][sizes.length];
            for (int s = 0; s < sizes.length; s++) {
                int m = sizes[s];
                double[][] block = new double[m][];
                for (int i = 0; i < m; i++) {
                    block[i] = Arrays.copyOf(g[i], m);
                }
                InterpolatingSolver solver = InterpolatingSolver.factor(block);
                block = null;
                for (int l = 0; l < noise.length; l++) {
                    InterpolatingSolver.Solution sol = solver.solve(Arrays.copyOf(y[l], m));
                    norms[l][s] = sol.interpolates() ? sol.rkhsNormSquared() : Double.NaN;
                    conds[l][s] = solver.condition();
                    res[l][s] = sol.relativeResidual();
                }
                bar.update(++done, total);
            }
            for (int l = 0; l < noise.length; l++) {
                out.add(new NormSeries(nk.name(), noise[l], sizes.clone(), norms[l], conds[l], res[l]));
            }
        }
        return out;
    }

    /**
     * Belkin's synthetic set: class 0 or 1 with probability ½ each, x₁ ~ N(0,1) for class 0 and
     * N(μ,1) for class 1, x₂…x₅₀ ~ U[−1,1] (java.util.Random with the seed).
     *
     * @param n rows
     * @param mu μ (10: separable; 2: Bayes error Φ(−1) = 15.9%)
     * @param seed seed
     * @return the data
     */
    public static Data synthetic(int n, double mu, long seed) {
        if (n < 1) {
            throw Messages.tooSmall("rows", n, 1);
        }
        if (!Double.isFinite(mu)) {
            throw Messages.notFinite("mu", mu);
        }
        Random rng = new Random(seed);
        double[][] x = new double[n][50];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextBoolean() ? 1 : 0;
            x[i][0] = rng.nextGaussian() + (y[i] == 1 ? mu : 0);
            for (int j = 1; j < 50; j++) {
                x[i][j] = 2 * rng.nextDouble() - 1;
            }
        }
        return new Data(x, y, 2);
    }

    /**
     * @param mu the separation μ of the synthetic set
     * @return its Bayes error Φ(−|μ|/2) = erfc(|μ|/(2√2))/2 (equal priors; the optimal rule is x₁ ≷ μ/2)
     */
    public static double syntheticBayesError(double mu) {
        return 0.5 * org.apache.commons.numbers.gamma.Erfc.value(Math.abs(mu) / (2 * Math.sqrt(2)));
    }

    static double[][] oneHot(int[] labels, int classes) {
        double[][] y = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1;
        }
        return y;
    }

    /** @return the share of rows whose arg max output is the label */
    static double accuracy(double[][] outputs, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < outputs[i].length; c++) {
                if (outputs[i][c] > outputs[i][best]) {
                    best = c;
                }
            }
            right += best == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }
}
