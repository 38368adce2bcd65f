package io.github.ntk4j.learn;

import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.learn.KernelFamily.Candidate;
import io.github.ntk4j.math.KernelKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kernel classification and regression on a real data set with the kernel's hyperparameters
 * chosen by cross-validation, as Arora et al. ("Harnessing the Power of Infinitely Wide Deep
 * Nets on Small-data Tasks", ICLR 2020) do for small UCI data sets. The kernels form a
 * {@link KernelFamily} (fully connected networks by default; any network spec with
 * placeholders; any kernel function); the rest is set by {@link Options}, whose defaults are
 * those of the command line's {@code classify} and {@code regress}.
 *
 * <p><b>Model.</b> Features are standardised with the mean and standard deviation (divisor n)
 * of the training part; a feature constant on the training part is set to 0 there and on the
 * test part. Targets are one-hot class indicators (classification) or the standardised values
 * (regression). The prediction is the kernel regression mean of the infinite-width network
 * trained by gradient flow to time t (t = ∞: kernel ridge regression),
 * <pre>
 *   f(X*) = G(X*, X) V diag(g_i) Vᵀ Y,   G(X, X) + rI = V diag(λ_i) Vᵀ,
 *   g_i = (1 − e^{−λ_i t})/λ_i   (t = ∞: 1/λ_i),
 * </pre>
 * (docs/LEARNING.md §3 with η = 1; {@link Gains#flow}), G the NTK or NNGP; a class is the arg
 * max of its outputs ({@link KernelModel.Predictions}). The ridge r is given relative to the
 * mean diagonal of G(X, X) so that one grid suits every network (neural-tangents' default
 * {@code diag_reg} scaling).
 *
 * <p><b>Selection.</b> For each candidate of the family one Gram matrix of the training part
 * is computed and, for each inner fold, one eigen-decomposition of its inner training block
 * serves every ridge. The candidate with the best mean inner score (accuracy, or RMSE) is
 * refitted on the whole training part. Folds are stratified by class for classification (each
 * class dealt round-robin over the folds after a seeded shuffle) and a seeded shuffle for
 * regression.
 *
 * <p>The parts: {@link KernelFamily} (candidates), {@code Standardiser} (features),
 * {@code LabelEncoding} (targets), {@code Folds} (fold assignment), {@code CandidateSelection}
 * (inner selection, dense and FALKON), {@link KernelModel} (the fitted model), this class
 * (checks and the outer loop).
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

        @Override
        public String toString() {
            return isFalkon() ? "falkon(" + centres + " centres)" : "dense";
        }
    }

    /**
     * Everything but the kernels: folds, seed, ridges, training time, solver, threads, progress,
     * preprocessing.
     * Immutable; start from {@link #defaults()} (the command line's defaults) and change what
     * differs with the {@code with…} methods, each checked at once.
     */
    public static final class Options {
        /** Default ridges, relative to the mean diagonal of the training kernel. */
        private static final double[] DEFAULT_RIDGES = {1e-4, 1e-3, 1e-2, 1e-1, 1};

        private final int folds;
        private final int innerFolds;
        private final long seed;
        private final double[] ridges;
        private final double time;
        private final Solver solver;
        private final int threads;
        private final Progress progress;
        private final Preprocessing.Kind preprocessing;

        private Options(int folds, int innerFolds, long seed, double[] ridges, double time, Solver solver, int threads,
                Progress progress, Preprocessing.Kind preprocessing) {
            this.folds = folds;
            this.innerFolds = innerFolds;
            this.seed = seed;
            this.ridges = ridges;
            this.time = time;
            this.solver = solver;
            this.threads = threads;
            this.progress = progress;
            this.preprocessing = preprocessing;
        }

        /**
         * @return 5 outer folds, 3 inner folds, seed 0, ridges 1e-4, 1e-3, 1e-2, 0.1, 1, time ∞
         *     (kernel ridge regression), the dense solver, every processor, no progress reports,
         *     per-feature standardisation
         */
        public static Options defaults() {
            return new Options(5, 3, 0, DEFAULT_RIDGES.clone(), Double.POSITIVE_INFINITY, Solver.DENSE,
                    Runtime.getRuntime().availableProcessors(), Progress.NONE, Preprocessing.Kind.STANDARDISE);
        }

        /**
         * @param k outer folds, ≥ 2
         * @return a copy
         */
        public Options withFolds(int k) {
            if (k < 2) {
                throw Messages.tooSmall("folds", k, 2);
            }
            return new Options(k, innerFolds, seed, ridges, time, solver, threads, progress, preprocessing);
        }

        /**
         * @param k inner folds of the selection, ≥ 2 (cross-validation also refuses more than the rows of
         *     its smallest outer training part)
         * @return a copy
         */
        public Options withInnerFolds(int k) {
            if (k < 2) {
                throw Messages.tooSmall("inner folds", k, 2);
            }
            return new Options(folds, k, seed, ridges, time, solver, threads, progress, preprocessing);
        }

        /**
         * @param s seed of the fold shuffles (and of FALKON's centre draws)
         * @return a copy
         */
        public Options withSeed(long s) {
            return new Options(folds, innerFolds, s, ridges, time, solver, threads, progress, preprocessing);
        }

        /**
         * @param r ridges to try, relative to the mean diagonal of the training kernel: at least
         *     one, finite, &gt; 0 at time ∞ (else ≥ 0)
         * @return a copy
         */
        public Options withRidges(double... r) {
            return new Options(folds, innerFolds, seed, checkRidges(r, time), time, solver, threads, progress, preprocessing);
        }

        /**
         * @param t gradient-flow time (learning rate 1) ≥ 0, or +∞ for kernel ridge regression
         * @return a copy
         */
        public Options withTime(double t) {
            if (Double.isNaN(t) || t < 0) {
                throw Messages.invalid("the training time must be >= 0 or infinite, got " + t);
            }
            checkSolver(solver, t);
            return new Options(folds, innerFolds, seed, checkRidges(ridges, t), t, solver, threads, progress, preprocessing);
        }

        /**
         * @param s dense or FALKON (t = ∞ only)
         * @return a copy
         */
        public Options withSolver(Solver s) {
            if (s == null) {
                throw Messages.invalid("the solver must not be null");
            }
            checkSolver(s, time);
            return new Options(folds, innerFolds, seed, ridges, time, s, threads, progress, preprocessing);
        }

        /**
         * @param n Gram worker threads, ≥ 1
         * @return a copy
         */
        public Options withThreads(int n) {
            if (n < 1) {
                throw Messages.tooSmall("threads", n, 1);
            }
            return new Options(folds, innerFolds, seed, ridges, time, solver, n, progress, preprocessing);
        }

        /**
         * @param p receives (candidates evaluated, total); null for none
         * @return a copy
         */
        public Options withProgress(Progress p) {
            return new Options(folds, innerFolds, seed, ridges, time, solver, threads, p == null ? Progress.NONE : p,
                    preprocessing);
        }

        /**
         * @param kind how raw feature rows become the kernel's inputs ({@link Preprocessing}):
         *     per-feature standardisation (the default), per-row centring onto the sphere, or
         *     the features' signed square roots onto the sphere
         * @return a copy
         */
        public Options withPreprocessing(Preprocessing.Kind kind) {
            if (kind == null) {
                throw Messages.invalid("the preprocessing kind must not be null");
            }
            return new Options(folds, innerFolds, seed, ridges, time, solver, threads, progress, kind);
        }

        /** @return how raw feature rows become the kernel's inputs */
        public Preprocessing.Kind preprocessing() {
            return preprocessing;
        }

        private static double[] checkRidges(double[] r, double time) {
            if (r == null || r.length == 0) {
                throw Messages.empty("ridges");
            }
            boolean infinite = time == Double.POSITIVE_INFINITY;
            for (int i = 0; i < r.length; i++) {
                if (!Double.isFinite(r[i])) {
                    throw Messages.notFinite("ridges[" + i + "]", r[i]);
                }
                if (infinite ? !(r[i] > 0) : r[i] < 0) {
                    throw Messages.invalid("ridges[" + i + "] must be " + (infinite ? "> 0 at time inf" : ">= 0") + ", got "
                            + r[i]);
                }
            }
            return r.clone();
        }

        private static void checkSolver(Solver s, double time) {
            if (s.isFalkon() && time != Double.POSITIVE_INFINITY) {
                throw Messages.invalid("the matrix-free FALKON solver gives the t = ∞ predictor only, got time " + time);
            }
        }

        /** @return outer folds */
        public int folds() {
            return folds;
        }

        /** @return inner folds */
        public int innerFolds() {
            return innerFolds;
        }

        /** @return the seed */
        public long seed() {
            return seed;
        }

        /** @return a copy of the ridges */
        public double[] ridges() {
            return ridges.clone();
        }

        /** @return the training time */
        public double time() {
            return time;
        }

        /** @return the solver */
        public Solver solver() {
            return solver;
        }

        /** @return Gram worker threads */
        public int threads() {
            return threads;
        }

        /** @return the progress listener */
        public Progress progress() {
            return progress;
        }

        @Override
        public String toString() {
            StringBuilder r = new StringBuilder();
            for (int i = 0; i < ridges.length; i++) {
                r.append(i > 0 ? "," : "").append(KernelFamily.format(ridges[i]));
            }
            return "folds=" + folds + " inner_folds=" + innerFolds + " seed=" + seed + " ridges=" + r + " time="
                    + (time == Double.POSITIVE_INFINITY ? "inf" : KernelFamily.format(time)) + " solver=" + solver
                    + " threads=" + threads;
        }
    }

    /**
     * One choice of hyperparameters.
     *
     * @param candidate the kernel's hyperparameters
     * @param ridge the relative regulariser
     * @param innerScore its mean inner cross-validation score (NaN when there was nothing to choose)
     */
    public record Choice(Candidate candidate, double ridge, double innerScore) {
        /** @return the kernel kind */
        public KernelKind kind() {
            return candidate.kind();
        }

        /** @return e.g. {@code ntk depth=2 w_std=1.4 b_std=0.1 ridge=0.001} */
        @Override
        public String toString() {
            return candidate + " ridge=" + KernelFamily.format(ridge);
        }

        /**
         * @return the choice as JSON-ready fields: {@code kernel} (its id), the family's parameters
         *     in the family's order (whole numbers as longs, so a depth reads 2, not 2.0), and
         *     {@code ridge}; the inner score is left to the caller, which names it
         */
        public Map<String, Object> toMap() {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("kernel", kind().id());
            candidate.values().forEach((k, v) -> cm.put(k, v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) (double) v
                    : v));
            cm.put("ridge", ridge);
            return cm;
        }
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
            return folds.isEmpty() ? Double.NaN : io.github.ntk4j.internal.ScaleSafe.mean(scores());
        }

        private double[] scores() {
            return folds.stream().mapToDouble(Fold::score).toArray();
        }

        /** @return the sample standard deviation of the fold scores (0 for one fold) */
        public double spread() {
            return folds.size() > 1 ? io.github.ntk4j.internal.ScaleSafe.sd(scores(), mean(), 1) : 0;
        }

        /** @return "accuracy" or "rmse" */
        public String scoreName() {
            return task == Task.CLASSIFY ? "accuracy" : "rmse";
        }

        /**
         * @return the result as text: the mean score ± sd and one line per fold with its chosen
         *     hyperparameters
         */
        public String toText() {
            String name = scoreName();
            if (!Double.isFinite(mean()) || !Double.isFinite(spread())) { // never printed as NaN or Infinity
                throw Messages.notRepresentable("the mean " + name + " or its sd over the folds",
                        Double.isFinite(mean()) ? spread() : mean());
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%s  %s ± %s (mean ± sd over %d folds)%n", name, score(mean()), score(spread()),
                    folds.size()));
            sb.append(String.format(Locale.ROOT, "%n%5s  %-10s  %5s  %s%n", "fold", name, "rows", "chosen"));
            int i = 1;
            for (Fold f : folds) {
                sb.append(String.format(Locale.ROOT, "%5d  %-10s  %5d  %s%n", i++, score(f.score()), f.testSize(), f.chosen()));
            }
            return sb.toString();
        }

        /** A score with 4 decimals, or 4 significant digits in scientific notation when large or tiny. */
        private static String score(double v) {
            return v != 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4) ? String.format(Locale.ROOT, "%.4e", v)
                    : String.format(Locale.ROOT, "%.4f", v);
        }

        /**
         * @return the result as JSON-ready maps and lists: the mean score, its sd, per fold the
         *     score and test rows, the chosen kernel, parameters, ridge and inner score (null
         *     when there was nothing to choose), and the fold of each row
         */
        public Map<String, Object> toMap() {
            String name = scoreName();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put(name, mean());
            o.put(name + "_std", spread());
            List<Object> fl = new ArrayList<>();
            List<Object> ch = new ArrayList<>();
            for (Fold f : folds) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put(name, f.score());
                fm.put("test_rows", f.testSize());
                fl.add(fm);
                Map<String, Object> cm = f.chosen().toMap();
                cm.put("inner_" + name, Double.isNaN(f.chosen().innerScore()) ? null : (Object) f.chosen().innerScore());
                ch.add(cm);
            }
            o.put("folds", fl);
            o.put("chosen", ch);
            o.put("fold_of_row", Arrays.stream(assignment).boxed().toList());
            return o;
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
     * Outer cross-validation with inner selection of the family's candidate and the ridge.
     *
     * @param task classify or regress
     * @param x features, n rows
     * @param labels labels as strings (class names, or numbers for regression)
     * @param family the kernels to choose from
     * @param options folds, seed, ridges, time, solver, threads
     * @return per-fold results
     */
    public static Result crossValidate(Task task, double[][] x, String[] labels, KernelFamily family, Options options) {
        String[] classes = prepare(task, x, labels, family, options);
        int folds = options.folds();
        int[] classOf = classes == null ? new int[x.length] : LabelEncoding.classIndex(labels, classes);
        int[] assignment = Folds.assign(classOf, folds, options.seed());
        requireInnerFolds(assignment, folds, options.innerFolds());
        List<Fold> out = new ArrayList<>();
        Progress bar = options.progress();
        long perFold = family.size();
        long total = folds * perFold;
        for (int f = 0; f < folds; f++) {
            int[] train = Folds.indices(assignment, f, false);
            int[] test = Folds.indices(assignment, f, true);
            final long base = f * perFold;
            KernelModel m = CandidateSelection.fit(task, Folds.rows(x, train), Folds.pick(labels, train), classes, family,
                    options, options.seed() + 1 + f, done -> bar.update(base + done, total));
            KernelModel.Predictions p = m.predict(Folds.rows(x, test));
            out.add(new Fold(HoldoutSelection.score(p, Folds.pick(labels, test)), test.length, m.choice()));
        }
        bar.update(total, total);
        return new Result(task, out, assignment, constantColumns(x));
    }

    /**
     * Refuses more inner folds than the smallest outer training part has rows: an inner fold
     * would then be empty, its score undefined, and the selection would pick a candidate on
     * nothing.
     */
    private static void requireInnerFolds(int[] assignment, int folds, int innerFolds) {
        int[] size = new int[folds];
        for (int f : assignment) {
            size[f]++;
        }
        int largestTest = Arrays.stream(size).max().orElse(0);
        int smallestTrain = assignment.length - largestTest;
        if (innerFolds > smallestTrain) {
            throw Messages.invalid(innerFolds + " inner folds are more than the " + smallestTrain + " rows of the smallest "
                    + "training part (" + assignment.length + " rows in " + folds + " outer folds): use at most "
                    + smallestTrain + " inner folds, or fewer outer folds");
        }
    }

    /**
     * Regression by outer cross-validation with real targets.
     *
     * @param x features, n rows
     * @param y n targets
     * @param family the kernels to choose from
     * @param options folds, seed, ridges, time, solver, threads
     * @return per-fold RMSEs
     */
    public static Result crossValidate(double[][] x, double[] y, KernelFamily family, Options options) {
        return crossValidate(Task.REGRESS, x, strings(y), family, options);
    }

    /**
     * Chooses hyperparameters by inner cross-validation ({@code options.innerFolds()} folds,
     * seeded by {@code options.seed()}) on a data set and fits the final model on all of it.
     *
     * @param task classify or regress
     * @param x features
     * @param labels labels
     * @param family the kernels to choose from
     * @param options ridges, time, solver, threads, inner folds and seed (the outer folds are not used)
     * @return the model
     */
    public static KernelModel fit(Task task, double[][] x, String[] labels, KernelFamily family, Options options) {
        String[] classes = prepare(task, x, labels, family, options.withFolds(options.innerFolds()));
        return CandidateSelection.fit(task, x, labels, classes, family, options, options.seed(), done -> { });
    }

    /**
     * Regression with real targets: chooses hyperparameters by inner cross-validation and fits
     * the final model on all rows.
     *
     * @param x features
     * @param y targets
     * @param family the kernels to choose from
     * @param options ridges, time, solver, threads, inner folds and seed
     * @return the model
     */
    public static KernelModel fit(double[][] x, double[] y, KernelFamily family, Options options) {
        return fit(Task.REGRESS, x, strings(y), family, options);
    }

    private static String[] strings(double[] y) {
        if (y == null) {
            throw Messages.invalid("the targets y must not be null");
        }
        String[] s = new String[y.length];
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw Messages.notFinite("y[" + i + "]", y[i]);
            }
            s[i] = Double.toString(y[i]); // exact: parses back to the same double
        }
        return s;
    }

    /** Checks the arguments; @return the sorted classes (classification) or null. */
    private static String[] prepare(Task task, double[][] x, String[] labels, KernelFamily family, Options options) {
        if (task == null || family == null || options == null) {
            throw Messages.invalid("the task, family and options must not be null");
        }
        int d = DataChecks.dataSet("x", x);
        if (labels == null || labels.length != x.length) {
            throw Messages.dimensionMismatch("the labels", labels == null ? 0 : labels.length, "the feature rows", x.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == null) {
                throw Messages.invalid("labels[" + i + "] is null");
            }
        }
        family.candidates(); // refuses an incomplete family now
        int folds = options.folds();
        if (x.length < folds) {
            throw Messages.invalid(x.length + " rows cannot be split into " + folds + " folds");
        }
        if (d < 1) {
            throw Messages.tooSmall("features", d, 1);
        }
        if (task == Task.REGRESS) {
            LabelEncoding.values(labels);
            return null;
        }
        String[] classes = LabelEncoding.classes(labels);
        if (classes.length < 2) {
            throw Messages.invalid("classification needs at least two classes, the labels are all '" + classes[0] + "'");
        }
        int[] idx = LabelEncoding.classIndex(labels, classes);
        int[] count = new int[classes.length];
        for (int c : idx) {
            count[c]++;
        }
        // each class needs a member in every outer fold
        for (int c = 0; c < classes.length; c++) {
            if (count[c] < folds) {
                throw Messages.invalid("class '" + classes[c] + "' has " + count[c] + " member" + (count[c] == 1 ? "" : "s")
                        + ", fewer than the " + folds + " folds (every fold needs one): use fewer folds or drop the class");
            }
        }
        return classes;
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
        DataChecks.dataSet("x", x);
        return Standardiser.constantColumns(x);
    }
}
