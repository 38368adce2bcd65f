package io.github.ntk4j.learn;

import io.github.ntk4j.Progress;
import io.github.ntk4j.learn.KernelFamily.Candidate;
import io.github.ntk4j.learn.KernelModelSelection.Choice;
import io.github.ntk4j.learn.KernelModelSelection.Options;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.util.Arrays;

/**
 * The inner selection of {@link KernelModelSelection}: every candidate of a family and every
 * ridge scored by inner cross-validation on standardised rows, and the best refitted on all of
 * them. The dense path computes one Gram matrix per candidate and one eigen-decomposition per
 * inner fold that serves every ridge ({@link SpectralSolver}); the FALKON path fits
 * {@link FalkonRegressor} per candidate, ridge and inner fold.
 */
final class CandidateSelection {
    private CandidateSelection() {
    }

    /** FALKON's iteration limit and tolerance here: the defaults of {@code predict --solver falkon}. */
    static final int FALKON_ITERATIONS = 100;
    static final double FALKON_TOLERANCE = 1e-7;
    /** Rows per block of {@link #meanDiagonal(KernelFunction, double[][], KernelKind)}. */
    private static final int DIAGONAL_BLOCK = 32;

    /** Receives the number of candidates evaluated so far. */
    interface Counter {
        void done(long candidates);
    }

    /**
     * Chooses hyperparameters by inner cross-validation and fits the final model.
     *
     * @param seed the inner folds' seed (and FALKON's centre draws)
     */
    static KernelModel fit(Task task, double[][] xRaw, String[] labels, String[] classes, KernelFamily family,
            Options options, long seed, Counter counter) {
        int n = xRaw.length;
        if (!options.solver().isFalkon()) {
            Lapack.requireDense(n, KernelModelSelection.bytesNeeded(n));
        }
        Preprocessing scaler = Preprocessing.fit(options.preprocessing(), xRaw);
        double[][] x = scaler.apply(xRaw);
        LabelEncoding.Targets t = LabelEncoding.encode(task, labels, classes);
        int[] inner = Folds.assign(t.classOf(), options.innerFolds(), seed);
        if (options.solver().isFalkon()) {
            return fitFalkon(task, classes, scaler, x, t, inner, family, options, seed, counter);
        }
        double[] ridges = options.ridges();
        double time = options.time();
        Choice best = null;
        long done = 0;
        for (Candidate c : family.candidates()) {
            double[][] g = family.kernel(c).withThreads(options.threads()).gram(x, c.kind());
            double[] scores = new double[ridges.length];
            for (int f = 0; f < options.innerFolds(); f++) {
                int[] tr = Folds.indices(inner, f, false);
                int[] te = Folds.indices(inner, f, true);
                double[][][] preds = solve(Folds.block(g, tr, tr), Folds.block(g, te, tr), Folds.rows(t.y(), tr), ridges, time);
                for (int r = 0; r < scores.length; r++) {
                    scores[r] += innerScore(task, preds[r], Folds.rows(t.y(), te), t.scale()) / options.innerFolds();
                }
            }
            for (int r = 0; r < scores.length; r++) {
                if (better(task, scores[r], best)) {
                    best = new Choice(c, ridges[r], scores[r]);
                }
            }
            counter.done(++done);
        }
        KernelFunction kernel = family.kernel(best.candidate()).withThreads(options.threads());
        KernelKind kind = best.kind();
        double[][] g = kernel.gram(x, kind);
        double[][] coef = SpectralSolver.of(g).coefficients(t.y(), best.ridge() * SpectralSolver.meanDiagonal(g), time);
        return new KernelModel(task, classes, scaler, best, xs -> Mat.mul(kernel.cross(xs, x, kind), coef), t.mean(),
                t.scale());
    }

    /**
     * The FALKON path of {@link #fit}: each candidate and ridge scored by FALKON fits on the inner
     * folds (skipped for a single candidate), the final model a FALKON fit on all rows. The ridge
     * is relative to the mean diagonal of the training kernel, as on the dense path: FALKON's
     * r = ridge·mean diag.
     */
    private static KernelModel fitFalkon(Task task, String[] classes, Preprocessing scaler, double[][] x,
            LabelEncoding.Targets t, int[] inner, KernelFamily family, Options options, long seed, Counter counter) {
        int centres = options.solver().centres();
        int innerFolds = options.innerFolds();
        double[][] y = t.y();
        boolean choose = (long) family.size() * options.ridges().length > 1;
        Choice best = null;
        double bestScale = Double.NaN; // the mean diagonal of the best choice's kernel
        long done = 0;
        for (Candidate c : family.candidates()) {
            KernelFunction kernel = family.kernel(c).withThreads(options.threads());
            double scale = meanDiagonal(kernel, x, c.kind());
            for (double ridge : options.ridges()) {
                double score = Double.NaN;
                if (choose) {
                    score = 0;
                    for (int f = 0; f < innerFolds; f++) {
                        int[] tr = Folds.indices(inner, f, false);
                        int[] te = Folds.indices(inner, f, true);
                        FalkonRegressor fr = FalkonRegressor.fit(kernel, c.kind(), Folds.rows(x, tr), Folds.rows(y, tr), FalkonRegressor.Options.ridge(ridge * scale).withCentres(Math.min(centres, tr.length)).withIterations(FALKON_ITERATIONS).withTolerance(FALKON_TOLERANCE).withSeed(seed + f));
                        score += innerScore(task, fr.predict(Folds.rows(x, te)), Folds.rows(y, te), t.scale()) / innerFolds;
                    }
                }
                if (better(task, score, best)) {
                    best = new Choice(c, ridge, score);
                    bestScale = scale;
                }
            }
            counter.done(++done);
        }
        KernelFunction kernel = family.kernel(best.candidate()).withThreads(options.threads());
        FalkonRegressor fr = FalkonRegressor.fit(kernel, best.kind(), x, y, FalkonRegressor.Options.ridge(best.ridge() * bestScale).withCentres(Math.min(centres, x.length)).withIterations(FALKON_ITERATIONS).withTolerance(FALKON_TOLERANCE).withSeed(seed));
        return new KernelModel(task, classes, scaler, best, fr::predict, t.mean(), t.scale());
    }

    /**
     * The mean of k(x_i, x_i) over the rows without an N×N matrix: the Gram matrices of blocks of
     * {@value #DIAGONAL_BLOCK} consecutive rows (N·32 entries in all), whose diagonals are exactly
     * those of the whole Gram matrix.
     */
    private static double meanDiagonal(KernelFunction kernel, double[][] x, KernelKind kind) {
        double s = 0;
        for (int from = 0; from < x.length; from += DIAGONAL_BLOCK) {
            double[][] g = kernel.gram(Arrays.copyOfRange(x, from, Math.min(x.length, from + DIAGONAL_BLOCK)), kind);
            for (int i = 0; i < g.length; i++) {
                s += g[i][i];
            }
        }
        return s / x.length;
    }

    /**
     * @return for each ridge, the predictions G_te,tr (G_tr,tr + rI)-flow(t) Y on the held-out rows,
     *         from one eigen-decomposition
     */
    private static double[][][] solve(double[][] gtt, double[][] gvt, double[][] y, double[] ridges, double time) {
        int n = gtt.length;
        double scale = SpectralSolver.meanDiagonal(gtt);
        SpectralSolver s = SpectralSolver.of(gtt);
        int k = y[0].length;
        double[] vty = s.project(y); // n×k
        double[] b = Lapack.gemm(true, false, gvt.length, n, n, Mat.flat(gvt), s.vectors()); // m×n: G_vt V
        double[][][] out = new double[ridges.length][][];
        for (int r = 0; r < ridges.length; r++) {
            double[] w = s.scale(vty, k, ridges[r] * scale, time);
            out[r] = Lapack.rows(Lapack.gemm(false, false, gvt.length, k, n, b, w), gvt.length, k);
        }
        return out;
    }

    /** Whether an inner score beats the best choice so far (higher accuracy, lower RMSE; any beats none). */
    private static boolean better(Task task, double score, Choice best) {
        return best == null || (task == Task.CLASSIFY ? score > best.innerScore() : score < best.innerScore());
    }

    /** Accuracy, or the RMSE in the targets' units, of outputs against encoded targets. */
    static double innerScore(Task task, double[][] pred, double[][] y, double yScale) {
        if (task != Task.CLASSIFY) { // scale-safe: the RMSE in the scaled units, then in the targets' units
            double[] p = new double[pred.length];
            double[] t = new double[pred.length];
            for (int i = 0; i < pred.length; i++) {
                p[i] = pred[i][0];
                t[i] = y[i][0];
            }
            return io.github.ntk4j.internal.ScaleSafe.rmsDifference(p, t) * yScale;
        }
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            s += y[i][KernelModel.argMax(pred[i])] == 1 ? 1 : 0;
        }
        return s / pred.length;
    }
}
