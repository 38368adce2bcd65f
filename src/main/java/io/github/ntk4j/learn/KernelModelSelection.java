package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Kernel classification and regression on a real data set with the network hyperparameters
 * chosen by cross-validation, as Arora et al. ("Harnessing the Power of Infinitely Wide Deep
 * Nets on Small-data Tasks", ICLR 2020) do for small UCI data sets.
 *
 * <p><b>Model.</b> Features are standardised with the mean and standard deviation (divisor n)
 * of the training part; a feature constant on the training part is set to 0 there and on the
 * test part (it carries no information there, and dividing by its zero spread is undefined).
 * Targets are one-hot class indicators (classification) or the standardised values
 * (regression). The prediction is the kernel regression mean of the infinite-width network
 * trained by gradient flow to time t (t = ∞: kernel ridge regression),
 * <pre>
 *   f(X*) = G(X*, X) V diag(g_i) Vᵀ Y,   G(X, X) + rI = V diag(λ_i) Vᵀ,
 *   g_i = (1 − e^{−λ_i t})/λ_i   (t = ∞: 1/λ_i),
 * </pre>
 * (docs/LEARNING.md §3 with η = 1), G the NTK or NNGP; a class is the arg max of its outputs.
 * The ridge r is given relative to the mean diagonal of G(X, X) so that one grid suits every
 * network (neural-tangents' default {@code diag_reg} scaling).
 *
 * <p><b>Selection.</b> For each candidate (kernel, depth, W_std, b_std) one Gram matrix of the
 * training part is computed and, for each inner fold, one eigen-decomposition of its inner
 * training block serves every ridge of the grid. The candidate with the best mean inner score
 * (accuracy, or RMSE) is refitted on the whole training part. Folds are stratified by class for
 * classification (each class dealt round-robin over the folds after a seeded shuffle) and a
 * seeded shuffle for regression.
 */
public final class KernelModelSelection {
    private KernelModelSelection() {
    }

    /** What is predicted. */
    public enum Task {
        /** class labels, scored by accuracy */
        CLASSIFY,
        /** real values, scored by root-mean-square error */
        REGRESS
    }

    /**
     * A grid of hyperparameters.
     *
     * @param activation the activation of the fully connected networks
     * @param kinds kernels to try
     * @param depths hidden layers to try
     * @param wStds W_std values
     * @param bStds b_std values
     * @param ridges regularisers relative to the mean diagonal of the training kernel
     * @param time gradient-flow time t (+∞: kernel ridge regression)
     */
    public record Grid(String activation, List<KernelKind> kinds, int[] depths, double[] wStds, double[] bStds,
            double[] ridges, double time) {
        /** @return the number of (network, kernel) candidates, each needing one Gram matrix per fold */
        public int networks() {
            return kinds.size() * depths.length * wStds.length * bStds.length;
        }

        /** @return the (kernel, depth, W_std, b_std) candidates, kernels outermost, b_std innermost */
        List<Choice> candidates() {
            List<Choice> out = new ArrayList<>();
            for (KernelKind kind : kinds) {
                for (int depth : depths) {
                    for (double w : wStds) {
                        for (double b : bStds) {
                            out.add(new Choice(kind, depth, w, b, Double.NaN, Double.NaN));
                        }
                    }
                }
            }
            return out;
        }

        /** @return the engine of a candidate's network */
        NtkRecursion engine(Choice c, int threads) {
            return NtkRecursion.of(Network.fullyConnected(io.github.ntk4j.net.NetworkSpec.parseActivation(activation),
                    c.depth(), c.wStd(), c.bStd())).withThreads(threads);
        }
    }

    /**
     * How each candidate is solved: the dense path (the N×N kernel, every ridge and time from one
     * eigendecomposition per fold) or the matrix-free FALKON solver ({@link FalkonRegressor}, t = ∞
     * only, one fit per candidate, ridge and fold) for training sets beyond the dense limit.
     *
     * @param centres 0 for the dense path, else the number of Nyström centres M (at most the
     *     training rows of each fit)
     */
    public record Solver(int centres) {
        /** The dense path. */
        public static final Solver DENSE = new Solver(0);

        /**
         * @param centres 0 for the dense path, else M ≥ 1
         */
        public Solver {
            if (centres < 0) {
                throw Messages.tooSmall("centres", centres, 1);
            }
        }

        /**
         * @param m Nyström centres, ≥ 1
         * @return the FALKON solver with m centres
         */
        public static Solver falkon(int m) {
            if (m < 1) {
                throw Messages.tooSmall("centres", m, 1);
            }
            return new Solver(m);
        }

        /** @return whether this is the FALKON solver */
        public boolean isFalkon() {
            return centres > 0;
        }
    }

    /**
     * One choice of hyperparameters.
     *
     * @param kind the kernel
     * @param depth hidden layers
     * @param wStd W_std
     * @param bStd b_std
     * @param ridge the relative regulariser
     * @param innerScore its mean inner cross-validation score
     */
    public record Choice(KernelKind kind, int depth, double wStd, double bStd, double ridge, double innerScore) {
    }

    /**
     * One outer fold.
     *
     * @param score accuracy or RMSE on the fold's test part
     * @param testSize rows in the test part
     * @param chosen the hyperparameters chosen on its training part
     */
    public record Fold(double score, int testSize, Choice chosen) {
    }

    /**
     * The result of cross-validation.
     *
     * @param task classification or regression
     * @param folds per outer fold
     * @param assignment the outer fold (0-based) of each row, for comparisons on the same folds
     * @param droppedConstant 0-based feature columns constant over the whole data set (set to 0)
     */
    public record Result(Task task, List<Fold> folds, int[] assignment, int[] droppedConstant) {
        /** @return the mean score over folds */
        public double mean() {
            return folds.stream().mapToDouble(Fold::score).average().orElse(Double.NaN);
        }

        /** @return the sample standard deviation of the fold scores (0 for one fold) */
        public double spread() {
            double m = mean();
            double s = 0;
            for (Fold f : folds) {
                s += (f.score() - m) * (f.score() - m);
            }
            return folds.size() > 1 ? Math.sqrt(s / (folds.size() - 1)) : 0;
        }
    }

    /**
     * A model fitted on a whole data set with its hyperparameters chosen by cross-validation.
     */
    public static final class Model {
        private final Task task;
        private final String[] classes;
        private final Standardiser scaler;
        private final Choice choice;
        /** Standardised rows ↦ the model's outputs (one-hot scores or the standardised target). */
        private final java.util.function.UnaryOperator<double[][]> outputs;
        private final double yMean;
        private final double yScale;

        Model(Task task, String[] classes, Standardiser scaler, Choice choice,
                java.util.function.UnaryOperator<double[][]> outputs, double yMean, double yScale) {
            this.task = task;
            this.classes = classes;
            this.scaler = scaler;
            this.choice = choice;
            this.outputs = outputs;
            this.yMean = yMean;
            this.yScale = yScale;
        }

        /** @return the chosen hyperparameters */
        public Choice choice() {
            return choice;
        }

        /**
         * Scores the model on labelled rows (a test set).
         *
         * @param x raw feature rows
         * @param truth their labels
         * @return accuracy (classification) or root-mean-square error (regression)
         */
        public double score(double[][] x, String[] truth) {
            if (truth.length != x.length) {
                throw Messages.dimensionMismatch("the labels", truth.length, "the rows scored", x.length);
            }
            return KernelModelSelection.score(task, predict(x), truth);
        }

        /**
         * @param x raw feature rows
         * @return the predicted class label (classification) or value (regression) of each row
         */
        public String[] predict(double[][] x) {
            double[][] out = outputs.apply(scaler.apply(x));
            String[] labels = new String[x.length];
            for (int i = 0; i < x.length; i++) {
                labels[i] = task == Task.CLASSIFY ? classes[argMax(out[i])]
                        : Double.toString(yMean + yScale * out[i][0]);
            }
            return labels;
        }
    }

    /**
     * Dense memory the selection needs for n rows: the two Gram matrices of the network and the
     * eigen-decomposition of a training block.
     *
     * @param n rows
     * @return bytes
     */
    public static long bytesNeeded(long n) {
        return 5 * Lapack.bytes(n, n);
    }

    /**
     * Outer cross-validation with inner selection.
     *
     * @param task classify or regress
     * @param x features, n rows
     * @param labels labels as strings (class names, or numbers for regression)
     * @param folds outer folds, ≥ 2
     * @param innerFolds inner folds, ≥ 2
     * @param seed seed of the fold shuffles
     * @param grid the hyperparameter grid
     * @param threads Gram worker threads
     * @param progress receives (candidates evaluated, total)
     * @return per-fold results
     */
    public static Result crossValidate(Task task, double[][] x, String[] labels, int folds, int innerFolds, long seed, Grid grid,
            int threads, Progress progress) {
        return crossValidate(task, x, labels, folds, innerFolds, seed, grid, Solver.DENSE, threads, progress);
    }

    /**
     * Outer cross-validation with inner selection, by the given solver (with FALKON and a grid of
     * one candidate the inner cross-validation is skipped: there is nothing to choose).
     *
     * @param task classify or regress
     * @param x features, n rows
     * @param labels labels as strings (class names, or numbers for regression)
     * @param folds outer folds, ≥ 2
     * @param innerFolds inner folds, ≥ 2
     * @param seed seed of the fold shuffles (and of FALKON's centre draws)
     * @param grid the hyperparameter grid (time ∞ with FALKON)
     * @param solver dense or FALKON
     * @param threads Gram worker threads
     * @param progress receives (candidates evaluated, total)
     * @return per-fold results
     */
    public static Result crossValidate(Task task, double[][] x, String[] labels, int folds, int innerFolds, long seed, Grid grid,
            Solver solver, int threads, Progress progress) {
        checkSolver(grid, solver);
        Prepared p = prepare(task, x, labels, folds, innerFolds);
        int[] assignment = assign(task, p.classIndex, folds, seed);
        List<Fold> out = new ArrayList<>();
        Progress bar = progress == null ? Progress.NONE : progress;
        long total = (long) folds * grid.networks();
        for (int f = 0; f < folds; f++) {
            int[] train = indices(assignment, f, false);
            int[] test = indices(assignment, f, true);
            final long base = (long) f * grid.networks();
            Model m = fit(task, rows(x, train), pick(labels, train), p.classes, innerFolds, seed + 1 + f, grid, solver,
                    threads, done -> bar.update(base + done, total));
            String[] predicted = m.predict(rows(x, test));
            out.add(new Fold(score(task, predicted, pick(labels, test)), test.length, m.choice()));
        }
        bar.update(total, total);
        return new Result(task, out, assignment, constantColumns(x));
    }

    /**
     * Chooses hyperparameters by inner cross-validation on a data set and fits the final model on all of it.
     *
     * @param task classify or regress
     * @param x features
     * @param labels labels
     * @param innerFolds inner folds
     * @param seed seed of the inner shuffle
     * @param grid the grid
     * @param threads Gram worker threads
     * @return the model
     */
    public static Model fit(Task task, double[][] x, String[] labels, int innerFolds, long seed, Grid grid, int threads) {
        return fit(task, x, labels, innerFolds, seed, grid, Solver.DENSE, threads);
    }

    /**
     * Chooses hyperparameters by inner cross-validation on a data set and fits the final model on
     * all of it, by the given solver.
     *
     * @param task classify or regress
     * @param x features
     * @param labels labels
     * @param innerFolds inner folds
     * @param seed seed of the inner shuffle (and of FALKON's centre draws)
     * @param grid the grid (time ∞ with FALKON)
     * @param solver dense or FALKON
     * @param threads Gram worker threads
     * @return the model
     */
    public static Model fit(Task task, double[][] x, String[] labels, int innerFolds, long seed, Grid grid, Solver solver,
            int threads) {
        checkSolver(grid, solver);
        Prepared p = prepare(task, x, labels, innerFolds, innerFolds);
        return fit(task, x, labels, p.classes, innerFolds, seed, grid, solver, threads, done -> { });
    }

    private static void checkSolver(Grid grid, Solver solver) {
        if (solver.isFalkon() && grid.time() != Double.POSITIVE_INFINITY) {
            throw Messages.invalid("the matrix-free FALKON solver gives the t = ∞ predictor only, got time " + grid.time());
        }
    }

    private interface Counter {
        void done(long candidates);
    }

    private static Model fit(Task task, double[][] xRaw, String[] labels, String[] classes, int innerFolds, long seed, Grid grid,
            Solver solver, int threads, Counter counter) {
        int n = xRaw.length;
        if (!solver.isFalkon()) {
            Lapack.requireDense(n, bytesNeeded(n));
        }
        Standardiser scaler = Standardiser.fit(xRaw);
        double[][] x = scaler.apply(xRaw);
        double yMean = 0;
        double yScale = 1;
        double[][] y;
        int[] cls = null;
        if (task == Task.CLASSIFY) {
            cls = classIndex(labels, classes);
            y = new double[n][classes.length];
            for (int i = 0; i < n; i++) {
                y[i][cls[i]] = 1;
            }
        } else {
            double[] v = values(labels);
            for (double d : v) {
                yMean += d;
            }
            yMean /= n;
            double ss = 0;
            for (double d : v) {
                ss += (d - yMean) * (d - yMean);
            }
            yScale = ss > 0 ? Math.sqrt(ss / n) : 1;
            y = new double[n][1];
            for (int i = 0; i < n; i++) {
                y[i][0] = (v[i] - yMean) / yScale;
            }
        }
        int[] inner = assign(task, cls == null ? new int[n] : cls, innerFolds, seed);
        if (solver.isFalkon()) {
            return fitFalkon(task, classes, scaler, x, y, inner, innerFolds, seed, grid, solver.centres(), threads, counter,
                    yMean, yScale);
        }
        Choice best = null;
        long done = 0;
        for (Choice c : grid.candidates()) {
            double[][] g = grid.engine(c, threads).gram(x, c.kind());
            double[] scores = new double[grid.ridges().length];
            for (int f = 0; f < innerFolds; f++) {
                int[] tr = indices(inner, f, false);
                int[] te = indices(inner, f, true);
                double[][][] preds = solve(block(g, tr, tr), block(g, te, tr), rows(y, tr), grid.ridges(), grid.time());
                for (int r = 0; r < scores.length; r++) {
                    scores[r] += innerScore(task, preds[r], rows(y, te), yScale) / innerFolds;
                }
            }
            for (int r = 0; r < scores.length; r++) {
                if (better(task, scores[r], best)) {
                    best = new Choice(c.kind(), c.depth(), c.wStd(), c.bStd(), grid.ridges()[r], scores[r]);
                }
            }
            counter.done(++done);
        }
        NtkRecursion engine = grid.engine(best, threads);
        double[][] g = engine.gram(x, best.kind());
        double[][] coef = coefficients(g, y, best.ridge(), grid.time());
        final KernelKind kind = best.kind();
        return new Model(task, classes, scaler, best, xs -> Mat.mul(engine.cross(xs, x, kind), coef), yMean, yScale);
    }

    /**
     * The FALKON path of {@link #fit}: each candidate network and ridge scored by FALKON fits on
     * the inner folds (skipped for a single candidate), the final model a FALKON fit on all rows.
     * The ridge is relative to the mean diagonal of the training kernel, as on the dense path:
     * FALKON's r = ridge·mean diag.
     */
    private static Model fitFalkon(Task task, String[] classes, Standardiser scaler, double[][] x, double[][] y, int[] inner,
            int innerFolds, long seed, Grid grid, int centres, int threads, Counter counter, double yMean, double yScale) {
        boolean choose = grid.networks() * grid.ridges().length > 1;
        Choice best = null;
        double bestScale = Double.NaN; // the mean diagonal of the best choice's kernel
        long done = 0;
        for (Choice c : grid.candidates()) {
            NtkRecursion engine = grid.engine(c, threads);
            double scale = meanDiagonal(engine, x, c.kind());
            for (double ridge : grid.ridges()) {
                double score = Double.NaN;
                if (choose) {
                    score = 0;
                    for (int f = 0; f < innerFolds; f++) {
                        int[] tr = indices(inner, f, false);
                        int[] te = indices(inner, f, true);
                        FalkonRegressor fr = FalkonRegressor.fit(engine, c.kind(), rows(x, tr), rows(y, tr),
                                Math.min(centres, tr.length), ridge * scale, FALKON_ITERATIONS, FALKON_TOLERANCE, seed + f,
                                Progress.NONE);
                        score += innerScore(task, fr.predict(rows(x, te)), rows(y, te), yScale) / innerFolds;
                    }
                }
                if (better(task, score, best)) {
                    best = new Choice(c.kind(), c.depth(), c.wStd(), c.bStd(), ridge, score);
                    bestScale = scale;
                }
            }
            counter.done(++done);
        }
        NtkRecursion engine = grid.engine(best, threads);
        FalkonRegressor fr = FalkonRegressor.fit(engine, best.kind(), x, y, Math.min(centres, x.length),
                best.ridge() * bestScale, FALKON_ITERATIONS, FALKON_TOLERANCE, seed, Progress.NONE);
        return new Model(task, classes, scaler, best, fr::predict, yMean, yScale);
    }

    /** FALKON's iteration limit and tolerance here: the defaults of {@code predict --solver falkon}. */
    private static final int FALKON_ITERATIONS = 100;
    private static final double FALKON_TOLERANCE = 1e-7;
    /** Rows per block of {@link #meanDiagonal(NtkRecursion, double[][], KernelKind)}. */
    private static final int DIAGONAL_BLOCK = 32;

    /**
     * The mean of k(x_i, x_i) over the rows without an N×N matrix: the Gram matrices of blocks of
     * {@value #DIAGONAL_BLOCK} consecutive rows (N·32 entries in all), whose diagonals are exactly
     * those of the whole Gram matrix.
     */
    private static double meanDiagonal(NtkRecursion engine, double[][] x, KernelKind kind) {
        double s = 0;
        for (int from = 0; from < x.length; from += DIAGONAL_BLOCK) {
            double[][] g = engine.gram(java.util.Arrays.copyOfRange(x, from, Math.min(x.length, from + DIAGONAL_BLOCK)), kind);
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
        double scale = meanDiagonal(gtt);
        KernelSpectrum s = KernelSpectrum.of(gtt, true);
        double[] lam = s.eigenvalues();
        double[] v = s.vectorsColumnMajor();
        int k = y[0].length;
        double[] vty = Lapack.gemm(true, false, n, k, n, v, Lapack.colMajor(y)); // n×k
        double[] b = Lapack.gemm(true, false, gvt.length, n, n, Mat.flat(gvt), v); // m×n: G_vt V
        double[][][] out = new double[ridges.length][][];
        for (int r = 0; r < ridges.length; r++) {
            double[] w = new double[n * k];
            for (int i = 0; i < n; i++) {
                double gi = gain(Math.max(lam[i], 0) + ridges[r] * scale, time);
                for (int c = 0; c < k; c++) {
                    w[c * n + i] = gi * vty[c * n + i];
                }
            }
            out[r] = Lapack.rows(Lapack.gemm(false, false, gvt.length, k, n, b, w), gvt.length, k);
        }
        return out;
    }

    /** @return V diag(g) VᵀY, the coefficients of the final model (n×k) */
    private static double[][] coefficients(double[][] g, double[][] y, double ridge, double time) {
        int n = g.length;
        double scale = meanDiagonal(g);
        KernelSpectrum s = KernelSpectrum.of(g, true);
        double[] lam = s.eigenvalues();
        double[] v = s.vectorsColumnMajor();
        int k = y[0].length;
        double[] w = Lapack.gemm(true, false, n, k, n, v, Lapack.colMajor(y));
        for (int i = 0; i < n; i++) {
            double gi = gain(Math.max(lam[i], 0) + ridge * scale, time);
            for (int c = 0; c < k; c++) {
                w[c * n + i] *= gi;
            }
        }
        return Lapack.rows(Lapack.gemm(false, false, n, k, n, v, w), n, k);
    }

    private static double gain(double lambda, double time) {
        if (time == Double.POSITIVE_INFINITY) {
            return 1 / lambda;
        }
        return lambda == 0 ? time : -Math.expm1(-lambda * time) / lambda;
    }

    private static double meanDiagonal(double[][] g) {
        double s = 0;
        for (int i = 0; i < g.length; i++) {
            s += g[i][i];
        }
        return s / g.length;
    }

    /** Whether an inner score beats the best choice so far (higher accuracy, lower RMSE; any beats none). */
    static boolean better(Task task, double score, Choice best) {
        return best == null || (task == Task.CLASSIFY ? score > best.innerScore() : score < best.innerScore());
    }

    static double innerScore(Task task, double[][] pred, double[][] y, double yScale) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            if (task == Task.CLASSIFY) {
                s += y[i][argMax(pred[i])] == 1 ? 1 : 0;
            } else {
                double e = (pred[i][0] - y[i][0]) * yScale;
                s += e * e;
            }
        }
        return task == Task.CLASSIFY ? s / pred.length : Math.sqrt(s / pred.length);
    }

    /**
     * @param task classify or regress
     * @param predicted predicted labels (or values)
     * @param truth true labels (or values), as many
     * @return the accuracy, or the root-mean-square error
     */
    public static double score(Task task, String[] predicted, String[] truth) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            if (task == Task.CLASSIFY) {
                s += predicted[i].equals(truth[i]) ? 1 : 0;
            } else {
                double e = Double.parseDouble(predicted[i]) - Double.parseDouble(truth[i]);
                s += e * e;
            }
        }
        return task == Task.CLASSIFY ? s / truth.length : Math.sqrt(s / truth.length);
    }

    static int argMax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Checked labels and classes. */
    record Prepared(String[] classes, int[] classIndex) {
    }

    static Prepared prepare(Task task, double[][] x, String[] labels, int folds, int innerFolds) {
        int n = io.github.ntk4j.internal.DataChecks.dataSet("features", x);
        if (labels == null || labels.length != x.length) {
            throw Messages.dimensionMismatch("the labels", labels == null ? 0 : labels.length, "the feature rows", x.length);
        }
        if (folds < 2) {
            throw Messages.tooSmall("folds", folds, 2);
        }
        if (innerFolds < 2) {
            throw Messages.tooSmall("inner folds", innerFolds, 2);
        }
        if (x.length < folds) {
            throw Messages.invalid(x.length + " rows cannot be split into " + folds + " folds");
        }
        if (n < 1) {
            throw Messages.tooSmall("features", n, 1);
        }
        if (task == Task.REGRESS) {
            values(labels);
            return new Prepared(null, new int[x.length]);
        }
        String[] classes = Arrays.stream(labels).distinct().sorted(KernelModelSelection::compareLabels).toArray(String[]::new);
        if (classes.length < 2) {
            throw Messages.invalid("classification needs at least two classes, the labels are all '" + classes[0] + "'");
        }
        int[] idx = classIndex(labels, classes);
        int[] count = new int[classes.length];
        for (int c : idx) {
            count[c]++;
        }
        // each outer training part is split again into innerFolds: a class needs a member in each
        int needed = folds;
        for (int c = 0; c < classes.length; c++) {
            if (count[c] < needed) {
                throw Messages.invalid("class '" + classes[c] + "' has " + count[c] + " member" + (count[c] == 1 ? "" : "s")
                        + ", fewer than the " + needed + " folds (every fold needs one): use fewer folds or drop the class");
            }
        }
        return new Prepared(classes, idx);
    }

    /** Numeric labels in numeric order, others alphabetically. */
    private static int compareLabels(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    static double[] values(String[] labels) {
        double[] v = new double[labels.length];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.parseDouble(labels[i]);
            } catch (NumberFormatException e) {
                throw Messages.invalid("row " + (i + 1) + ": the target '" + labels[i] + "' is not a number (regression needs "
                        + "real-valued targets; use classification for class labels)");
            }
            if (!Double.isFinite(v[i])) {
                throw Messages.notFinite("the target of row " + (i + 1), v[i]);
            }
        }
        return v;
    }

    static int[] classIndex(String[] labels, String[] classes) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = Arrays.asList(classes).indexOf(labels[i]);
        }
        return out;
    }

    /**
     * Fold of each row: rows of each class (one class for regression) shuffled with the seed and
     * dealt round-robin, so every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ of class c.
     */
    static int[] assign(Task task, int[] classOf, int folds, long seed) {
        int n = classOf.length;
        int classes = Arrays.stream(classOf).max().orElse(0) + 1;
        int[] fold = new int[n];
        Random rng = new Random(seed);
        int next = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (classOf[i] == c) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, rng);
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    private static int[] indices(int[] assignment, int fold, boolean in) {
        return java.util.stream.IntStream.range(0, assignment.length).filter(i -> (assignment[i] == fold) == in).toArray();
    }

    static double[][] rows(double[][] a, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static String[] pick(String[] a, int[] idx) {
        String[] out = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static double[][] block(double[][] g, int[] r, int[] c) {
        double[][] out = new double[r.length][c.length];
        for (int i = 0; i < r.length; i++) {
            double[] gi = g[r[i]];
            double[] oi = out[i];
            for (int j = 0; j < c.length; j++) {
                oi[j] = gi[c[j]];
            }
        }
        return out;
    }

    /**
     * Feature columns with one value in every row: they carry no information, and
     * standardisation would divide by their zero spread ({@link #crossValidate} and
     * {@link #fit} set them to 0; a caller may prefer to refuse such data).
     *
     * @param x feature rows (at least one)
     * @return the 0-based constant columns, in increasing order
     */
    public static int[] constantColumns(double[][] x) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < x[0].length; j++) {
            boolean constant = true;
            for (double[] row : x) {
                constant &= row[j] == x[0][j];
            }
            if (constant) {
                out.add(j);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Standardisation z = (x − mean)/sd per column with the statistics of the rows it was fitted
     * on (sd with divisor n); a column constant there maps to 0.
     */
    static final class Standardiser {
        private final double[] mean;
        private final double[] inverseSd;

        private Standardiser(double[] mean, double[] inverseSd) {
            this.mean = mean;
            this.inverseSd = inverseSd;
        }

        static Standardiser fit(double[][] x) {
            int d = x[0].length;
            double[] mean = new double[d];
            double[] inv = new double[d];
            for (int j = 0; j < d; j++) {
                double m = 0;
                for (double[] row : x) {
                    m += row[j];
                }
                m /= x.length;
                double ss = 0;
                boolean constant = true;
                for (double[] row : x) {
                    ss += (row[j] - m) * (row[j] - m);
                    constant &= row[j] == x[0][j];
                }
                mean[j] = m;
                inv[j] = constant || ss == 0 ? 0 : 1 / Math.sqrt(ss / x.length);
            }
            return new Standardiser(mean, inv);
        }

        double[][] apply(double[][] x) {
            double[][] out = new double[x.length][mean.length];
            for (int i = 0; i < x.length; i++) {
                if (x[i].length != mean.length) {
                    throw Messages.dimensionMismatch("the rows to predict (features)", x[i].length, "the training features",
                            mean.length);
                }
                for (int j = 0; j < mean.length; j++) {
                    out[i][j] = (x[i][j] - mean[j]) * inverseSd[j];
                }
            }
            return out;
        }
    }
}
