package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses, by stratified k-fold cross-validation on one training Gram matrix, the ridge of
 * kernel ridge regression and the stopping time of gradient flow: the two regularised
 * competitors of the interpolant ({@link InterpolatingSolver}) in Belkin, Ma &amp; Mandal (ICML
 * 2018). Both are spectral filters of the fold's training kernel G = V diag(λ) Vᵀ,
 * <pre>
 *   f(X_v) = G(X_v, X) V diag(g(λ_i)) Vᵀ Y,
 *   ridge r:          g(λ) = 1/(λ + r·s)
 *   gradient flow t:  g(λ) = (1 − e^{−λ t/s})/λ     (limit t/s at λ = 0)
 * </pre>
 * with Y one-hot and a class the arg max, s the mean diagonal of the fold's training kernel
 * (so one grid suits every kernel; the learning rate is 1 as in {@link GradientFlowPredictor}).
 * One eigen-decomposition per fold (LAPACK dsyevd) serves every ridge, every time and every
 * label vector (each noise level of a study): they are made once, in {@link #prepare}.
 *
 * <p>Folds: the rows of each class are shuffled with the seed and dealt round-robin, so every
 * fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ of class c. Ties in accuracy go to the first value of the grid.
 */
public final class FilterCrossValidation {
    private final int n;
    private final int[] fold;
    private final List<FoldSpectrum> spectra;

    /** One fold: its held-out rows, B = G(X_v, X_t) V, the eigenvalues, V, and s. */
    private record FoldSpectrum(int[] train, int[] test, double[] b, double[] lambda, double[] v, double scale) {
    }

    private FilterCrossValidation(int n, int[] fold, List<FoldSpectrum> spectra) {
        this.n = n;
        this.fold = fold;
        this.spectra = spectra;
    }

    /**
     * The chosen filters.
     *
     * @param ridge the relative ridge r with the best mean held-out accuracy (absolute: r·s)
     * @param ridgeAccuracy its mean held-out accuracy
     * @param time the relative time t with the best mean held-out accuracy (absolute: t/s)
     * @param timeAccuracy its mean held-out accuracy
     */
    public record Choice(double ridge, double ridgeAccuracy, double time, double timeAccuracy) {
    }

    /**
     * Heap needed for n rows: per fold the training block, its eigenvectors and workspace, and
     * the held-out block product (about 5 n² doubles).
     *
     * @param n rows
     * @return bytes
     */
    public static long bytesNeeded(long n) {
        return 5 * Lapack.bytes(n, n);
    }

    /**
     * Splits the rows into stratified folds and decomposes each fold's training block.
     *
     * @param gram n×n training Gram matrix
     * @param strata the class of each row (0-based), for stratification
     * @param folds k ≥ 2
     * @param seed seed of the shuffle
     * @return the prepared folds
     */
    public static FilterCrossValidation prepare(double[][] gram, int[] strata, int folds, long seed) {
        int n = gram == null ? 0 : gram.length;
        Mat.shape("Gram matrix", gram, n, n);
        if (strata == null || strata.length != n) {
            throw Messages.dimensionMismatch("the classes", strata == null ? 0 : strata.length, "the Gram matrix rows", n);
        }
        if (folds < 2) {
            throw Messages.tooSmall("folds", folds, 2);
        }
        if (n < 2 * folds) {
            throw Messages.invalid(n + " rows are too few for " + folds + "-fold cross-validation (need at least " + 2 * folds
                    + ")");
        }
        Lapack.requireDense(n, bytesNeeded(n));
        for (int c : strata) {
            if (c < 0) {
                throw Messages.invalid("class indices must be >= 0, got " + c);
            }
        }
        int[] fold = Folds.assign(strata, folds, seed);
        List<FoldSpectrum> spectra = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            int[] tr = Folds.indices(fold, f, false);
            int[] te = Folds.indices(fold, f, true);
            double[][] gtt = Folds.block(gram, tr, tr);
            double scale = SpectralSolver.meanDiagonal(gtt);
            KernelSpectrum s = KernelSpectrum.of(gtt, true);
            double[] v = s.vectorsColumnMajor();
            double[] b = Lapack.gemm(true, false, te.length, tr.length, tr.length, Mat.flat(Folds.block(gram, te, tr)), v);
            double[] lambda = s.eigenvalues();
            for (int i = 0; i < lambda.length; i++) {
                lambda[i] = Math.max(lambda[i], 0); // rounding below 0 (KernelSpectrum clips at its tolerance)
            }
            spectra.add(new FoldSpectrum(tr, te, b, lambda, v, scale));
        }
        return new FilterCrossValidation(n, fold, spectra);
    }

    /** @return the fold (0-based) of each row */
    public int[] folds() {
        return fold.clone();
    }

    /**
     * Chooses the ridge and the time for one labelling of the rows.
     *
     * @param labels the class of each row (0-based, may differ from the strata: noisy labels)
     * @param classes k, the number of classes (one-hot width)
     * @param ridges relative ridges &gt; 0, in order of preference on ties
     * @param times relative times &gt; 0, in order of preference on ties
     * @return the choice
     */
    public Choice select(int[] labels, int classes, double[] ridges, double[] times) {
        if (labels == null || labels.length != n) {
            throw Messages.dimensionMismatch("the labels", labels == null ? 0 : labels.length, "the Gram matrix rows", n);
        }
        for (double r : ridges) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw Messages.notPositive("ridge", r);
            }
        }
        for (double t : times) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw Messages.notPositive("time", t);
            }
        }
        double[] ridgeAcc = new double[ridges.length];
        double[] timeAcc = new double[times.length];
        for (FoldSpectrum fs : spectra) {
            int nt = fs.train().length;
            int m = fs.test().length;
            double[] y = new double[nt * classes];
            for (int i = 0; i < nt; i++) {
                int c = labels[fs.train()[i]];
                if (c < 0 || c >= classes) {
                    throw Messages.invalid("labels[" + fs.train()[i] + "] is " + c + ", not in 0.." + (classes - 1));
                }
                y[c * nt + i] = 1;
            }
            double[] vty = Lapack.gemm(true, false, nt, classes, nt, fs.v(), y);
            for (int r = 0; r < ridges.length; r++) {
                double shift = ridges[r] * fs.scale();
                ridgeAcc[r] += accuracy(fs, vty, classes, l -> 1 / (l + shift), labels) / spectra.size();
            }
            for (int t = 0; t < times.length; t++) {
                double s = times[t] / fs.scale();
                timeAcc[t] += accuracy(fs, vty, classes, l -> Gains.flow(l, s), labels) / spectra.size();
            }
            if (m == 0) {
                throw Messages.invalid("a fold is empty");
            }
        }
        int br = 0;
        for (int r = 1; r < ridges.length; r++) {
            if (ridgeAcc[r] > ridgeAcc[br]) {
                br = r;
            }
        }
        int bt = 0;
        for (int t = 1; t < times.length; t++) {
            if (timeAcc[t] > timeAcc[bt]) {
                bt = t;
            }
        }
        return new Choice(ridges[br], ridgeAcc[br], times[bt], timeAcc[bt]);
    }

    private static double accuracy(FoldSpectrum fs, double[] vty, int classes, java.util.function.DoubleUnaryOperator g,
            int[] labels) {
        int nt = fs.train().length;
        int m = fs.test().length;
        double[] w = vty.clone();
        for (int i = 0; i < nt; i++) {
            double gi = g.applyAsDouble(fs.lambda()[i]);
            for (int c = 0; c < classes; c++) {
                w[c * nt + i] *= gi;
            }
        }
        double[] out = Lapack.gemm(false, false, m, classes, nt, fs.b(), w); // m×classes, column-major
        int right = 0;
        for (int i = 0; i < m; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (out[c * m + i] > out[best * m + i]) {
                    best = c;
                }
            }
            right += best == labels[fs.test()[i]] ? 1 : 0;
        }
        return (double) right / m;
    }
}
