package io.github.ntk4j.learn;

import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.learn.KernelFamily.Candidate;
import io.github.ntk4j.learn.KernelModelSelection.Choice;
import io.github.ntk4j.learn.KernelModelSelection.Options;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import io.github.ntk4j.math.KernelFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Model selection on a held-out validation split of the training set, with the FALKON solver:
 * the way to choose a network and a ridge when the training set is large (Fashion-MNIST's 60,000
 * images) and a test set is kept apart for the final score.
 *
 * <p><b>Split.</b> The rows of each class (one class for regression) are shuffled with the seed
 * and the first round(f·n_c) of them held out for validation (a stratified split; f the
 * validation fraction). Features are mapped by {@code options.preprocessing()} fitted on the
 * training part (by default standardised with its mean and standard deviation, as in
 * {@link KernelModelSelection}; {@link Preprocessing}); classification targets are one-vs-rest
 * ±1 indicators, solved together (one conjugate gradient with k right-hand sides; a class is
 * the arg max of the k outputs); regression targets are standardised with the training part's
 * statistics.
 *
 * <p><b>Selection.</b> For each candidate network one {@link FalkonRegressor.Problem} holds the
 * kernel G(X, C) of all rows (training rows first, validation rows after them) against M
 * centres drawn from the training rows (uniformly, or by k-means++ in the candidate's feature space:
 * {@link CentreDraw}): one kernel pass per candidate. Each ridge r (relative to
 * the mean kernel diagonal of the training rows, as on the dense path) is fitted on the training
 * rows and scored on the validation rows from the same kernel slices. The best (network, ridge)
 * is refitted on all rows (training and validation) with the same centres and the same
 * standardisation, which needs no new kernel pass.
 */
public final class HoldoutSelection {
    private HoldoutSelection() {
    }

    /**
     * One (network, ridge) of the grid and its validation score.
     *
     * @param choice the hyperparameters (innerScore: the validation score)
     * @param iterations conjugate-gradient iterations of its fit on the training rows
     * @param iterationSeconds wall time per iteration
     */
    public record Trial(Choice choice, int iterations, double iterationSeconds) {
    }

    /**
     * The result.
     *
     * @param model the final model, fitted on all rows with the chosen hyperparameters
     * @param chosen the chosen hyperparameters (innerScore: their validation score)
     * @param trials every (network, ridge) tried, in grid order
     * @param trainingRows rows the candidates were fitted on
     * @param validationRows rows they were scored on
     * @param kernelPassSeconds per candidate network, one kernel pass over all rows
     * @param finalFit the final fit's times (its kernel pass is that of the chosen network)
     * @param finalIterations conjugate-gradient iterations of the final fit
     * @param keptWhole whether G(X, C) was kept whole (false: streamed, recomputed by every product)
     */
    public record Result(KernelModel model, Choice chosen, List<Trial> trials, int trainingRows, int validationRows,
            double[] kernelPassSeconds, FalkonRegressor.Timing finalFit, int finalIterations, boolean keptWhole) {
    }

    /**
     * Chooses the network and the ridge on a validation split and fits the final model.
     *
     * @param task classify or regress
     * @param x feature rows (raw)
     * @param labels the label of each row
     * @param family the candidate kernels
     * @param options the ridges, the seed (of the split and of the centre draw), the solver
     *        (FALKON with M centres, at most the training rows), the threads and the progress
     *        (work done, total: kernel slices and product slices, a kernel slice weighted as
     *        {@value #KERNEL_WEIGHT} product slices; a fit counts its allowed iterations and jumps
     *        ahead when it converges early); time ∞
     * @param validation the fraction of rows held out for validation, in (0, 1)
     * @param maxIterations conjugate-gradient iterations at most per fit
     * @param tolerance conjugate-gradient tolerance (relative preconditioned residual)
     * @param notes receives one line per kernel pass and per fit (timings and scores); null: none
     * @return the model, the choice and the timings
     */
    public static Result fit(Task task, double[][] x, String[] labels, KernelFamily family, Options options,
            double validation, int maxIterations, double tolerance, Consumer<String> notes) {
        return fit(task, x, labels, family, options, validation, maxIterations, tolerance, CentreDraw.UNIFORM, notes);
    }

    /**
     * Chooses the network and the ridge on a validation split and fits the final model, with the
     * centres drawn by {@code draw} among the training rows of the split (after preprocessing):
     * {@link CentreDraw#UNIFORM} once for all candidates (as {@link #fit(Task, double[][], String[],
     * KernelFamily, Options, double, int, double, Consumer)}), {@link CentreDraw#KPP} once per
     * candidate network, in its own kernel's feature space (one more pass over the training rows
     * against the M centres, noted on {@code notes}). The seed of the draw is the split's.
     *
     * @param task classify or regress
     * @param x feature rows (raw)
     * @param labels the label of each row
     * @param family the candidate kernels
     * @param options as for the other {@code fit}
     * @param validation the fraction of rows held out for validation, in (0, 1)
     * @param maxIterations conjugate-gradient iterations at most per fit
     * @param tolerance conjugate-gradient tolerance (relative preconditioned residual)
     * @param draw how the centres are chosen (not null)
     * @param notes receives one line per centre draw (k-means++), kernel pass and fit; null: none
     * @return the model, the choice and the timings
     */
    public static Result fit(Task task, double[][] x, String[] labels, KernelFamily family, Options options,
            double validation, int maxIterations, double tolerance, CentreDraw draw, Consumer<String> notes) {
        return fit(task, x, labels, family, options, validation, maxIterations, tolerance, draw,
                FalkonRegressor.Storage.DOUBLE, notes);
    }

    /**
     * As {@link #fit(Task, double[][], String[], KernelFamily, Options, double, int, double, CentreDraw, Consumer)},
     * with each candidate's G(X, C) kept in the given {@link FalkonRegressor.Storage}:
     * {@link FalkonRegressor.Storage#SINGLE} keeps it in half the heap (each entry rounded to the
     * nearest float), so about twice the centres fit the same heap.
     *
     * @param task classify or regress
     * @param x feature rows (raw)
     * @param labels the label of each row
     * @param family the candidate kernels
     * @param options as for the other {@code fit}
     * @param validation the fraction of rows held out for validation, in (0, 1)
     * @param maxIterations conjugate-gradient iterations at most per fit
     * @param tolerance conjugate-gradient tolerance (relative preconditioned residual)
     * @param draw how the centres are chosen (not null)
     * @param storage how G(X, C) is kept (not null)
     * @param notes receives one line per centre draw (k-means++), kernel pass and fit; null: none
     * @return the model, the choice and the timings
     */
    public static Result fit(Task task, double[][] x, String[] labels, KernelFamily family, Options options,
            double validation, int maxIterations, double tolerance, CentreDraw draw, FalkonRegressor.Storage storage,
            Consumer<String> notes) {
        if (storage == null) {
            throw Messages.invalid("the kernel storage must be given: FalkonRegressor.Storage.DOUBLE or SINGLE");
        }
        if (draw == null) {
            throw Messages.invalid("the centre draw must be given: CentreDraw.UNIFORM or CentreDraw.KPP");
        }
        if (!(validation > 0 && validation < 1)) {
            throw Messages.invalid("the validation fraction must be in (0, 1), got " + validation);
        }
        if (options.time() != Double.POSITIVE_INFINITY) {
            throw Messages.invalid("the matrix-free FALKON solver gives the t = ∞ predictor only, got time " + options.time());
        }
        if (!options.solver().isFalkon()) {
            throw Messages.invalid("the validation-split selection runs the FALKON solver: give Solver.falkon(M)");
        }
        if (maxIterations < 1) {
            throw Messages.tooSmall("iterations", maxIterations, 1);
        }
        int centres = options.solver().centres();
        long seed = options.seed();
        int threads = options.threads();
        double[] ridgeGrid = options.ridges();
        DataChecks.dataSet("features", x);
        if (labels == null || labels.length != x.length) {
            throw Messages.dimensionMismatch("the labels", labels == null ? 0 : labels.length, "the feature rows", x.length);
        }
        String[] classes = null;
        int[] classOf = new int[x.length];
        if (task == Task.CLASSIFY) {
            classes = LabelEncoding.classes(labels);
            if (classes.length < 2) {
                throw Messages.invalid("classification needs at least two classes, the labels are all '" + classes[0] + "'");
            }
            classOf = LabelEncoding.classIndex(labels, classes);
        } else {
            LabelEncoding.values(labels);
        }
        Progress progress = options.progress();
        Consumer<String> log = notes == null ? s -> { } : notes;
        Progress bar = progress == null ? Progress.NONE : progress;
        int n = x.length;
        int[] order = split(classOf, validation, seed);
        int nVal = order[n];
        int nTr = n - nVal;
        if (nVal < 1 || nTr < 1) {
            throw Messages.invalid("a validation fraction of " + validation + " leaves " + nTr + " training and " + nVal
                    + " validation rows of " + n + ": both need at least one");
        }
        if (centres > nTr) {
            throw Messages.invalid("--centres " + centres + " is more than the " + nTr + " training rows of the split");
        }
        int[] perm = java.util.Arrays.copyOf(order, n);
        double[][] xo = new double[n][];
        for (int i = 0; i < n; i++) {
            xo[i] = x[perm[i]];
        }
        String[] lo = new String[n];
        for (int i = 0; i < n; i++) {
            lo[i] = labels[perm[i]];
        }
        Preprocessing scaler = Preprocessing.fit(options.preprocessing(), java.util.Arrays.copyOf(xo, nTr));
        double[][] xs = scaler.apply(xo);
        double yMean = 0;
        double yScale = 1;
        double[][] y = new double[n][];
        if (task == Task.CLASSIFY) {
            int[] cls = LabelEncoding.classIndex(lo, classes);
            for (int i = 0; i < n; i++) {
                y[i] = new double[classes.length];
                java.util.Arrays.fill(y[i], -1);
                y[i][cls[i]] = 1;
            }
        } else {
            double[] v = LabelEncoding.values(lo);
            double[] vTr = java.util.Arrays.copyOf(v, nTr);
            yMean = io.github.ntk4j.internal.ScaleSafe.mean(vTr); // scale-safe: targets near 1e307 overflow a plain sum
            double sd = io.github.ntk4j.internal.ScaleSafe.sd(vTr, yMean, 0);
            if (!Double.isFinite(sd)) {
                throw Messages.invalid("the standard deviation of the training targets is above 1.8e308, beyond the range of a double: "
                        + "scale the targets down");
            }
            yScale = sd > 0 ? sd : 1;
            for (int i = 0; i < n; i++) {
                y[i] = new double[] {(v[i] - yMean) / yScale};
            }
        }
        double[][] yTr = java.util.Arrays.copyOf(y, nTr);
        double[][] yVal = java.util.Arrays.copyOfRange(y, nTr, n);
        double[][] uniform = draw == CentreDraw.UNIFORM ? FalkonRegressor.centres(xs, nTr, centres, seed) : null;

        List<Candidate> candidates = family.candidates();
        int ridges = ridgeGrid.length;
        long slicesAll = slices(n, centres);
        long slicesTr = slices(nTr, centres);
        long perFit = (maxIterations + 1L) * slicesTr;
        long drawWork = draw == CentreDraw.UNIFORM ? 0 : KERNEL_WEIGHT * slicesTr;
        long total = candidates.size() * (drawWork + KERNEL_WEIGHT * slicesAll + ridges * perFit)
                + (maxIterations + 1L) * slicesAll;
        long[] base = {0};
        bar.update(0, total);

        List<Trial> trials = new ArrayList<>();
        double[] passSeconds = new double[candidates.size()];
        Choice best = null;
        FalkonRegressor.Problem bestProblem = null;
        double bestScale = Double.NaN;
        for (int ci = 0; ci < candidates.size(); ci++) {
            Candidate cand = candidates.get(ci);
            KernelFunction engine = family.kernel(cand).withThreads(threads);
            String name = cand.toString();
            double[][] c = uniform;
            if (c == null) {
                long td = System.nanoTime();
                c = draw.centres(engine, cand.kind(), xs, nTr, centres, seed);
                base[0] += drawWork;
                bar.update(base[0], total);
                log.accept(String.format(java.util.Locale.ROOT, "falkon: %s: %s centre draw of %d among %d rows in %.1f s",
                        name, draw.label(), centres, nTr, (System.nanoTime() - td) * 1e-9));
            }
            final long b0 = base[0];
            FalkonRegressor.Problem prob = FalkonRegressor.Problem.prepare(engine, cand.kind(), xs, c,
                    (d, t) -> bar.update(b0 + d * KERNEL_WEIGHT, total), storage);
            base[0] += KERNEL_WEIGHT * slicesAll;
            passSeconds[ci] = prob.kernelSeconds(); // NaN until the first fit where G(X, C) is not kept
            if (prob.keptWhole()) {
                log.accept(String.format(java.util.Locale.ROOT, "falkon: %s: kernel pass %d×%d in %.1f s%s", name, n,
                        centres, prob.kernelSeconds(), storage == FalkonRegressor.Storage.SINGLE ? " (kept in single precision)"
                                : ""));
            } else {
                log.accept(String.format(java.util.Locale.ROOT, "falkon: %s: G(X, C) %d×%d not kept: each fit forms the %d×%d "
                        + "normal matrix in one kernel pass", name, n, centres, centres, centres));
            }
            double scale = meanDiagonal(engine, xs, nTr, cand);
            for (double ridge : ridgeGrid) {
                final long b1 = base[0];
                FalkonRegressor fr = prob.fit(nTr, yTr, ridge * scale, maxIterations, tolerance,
                        (d, t) -> bar.update(b1 + d, total));
                base[0] += perFit;
                double score = CandidateSelection.innerScore(task, prob.predictRows(fr, nTr, n), yVal, yScale);
                Choice ch = new Choice(cand, ridge, score);
                trials.add(new Trial(ch, fr.iterations(), fr.timing().iterationSeconds()));
                log.accept(String.format(java.util.Locale.ROOT,
                        "falkon: %s ridge %s: %d CG iterations, %.2f s each; validation %s %.4f", name, ridge,
                        fr.iterations(), fr.timing().iterationSeconds(), task == Task.CLASSIFY ? "accuracy" : "rmse", score));
                if (best == null || (task == Task.CLASSIFY ? score > best.innerScore() : score < best.innerScore())) {
                    best = ch;
                    bestProblem = prob;
                    bestScale = scale;
                }
            }
            if (!prob.keptWhole()) {
                passSeconds[ci] = prob.kernelSeconds(); // the pass of the fits' normal matrix
            }
        }
        final long b2 = base[0];
        FalkonRegressor fin = bestProblem.fit(n, y, best.ridge() * bestScale, maxIterations, tolerance,
                (d, t) -> bar.update(b2 + d, total));
        bar.update(total, total);
        log.accept(String.format(java.util.Locale.ROOT, "falkon: final fit on all %d rows (%s ridge %s): %d CG iterations, "
                + "%.2f s each", n, best.candidate(), best.ridge(), fin.iterations(), fin.timing().iterationSeconds()));
        KernelModel model = new KernelModel(task, classes, scaler, best, fin::predict, yMean, yScale);
        return new Result(model, best, trials, nTr, nVal, passSeconds, fin.timing(), fin.iterations(),
                bestProblem.keptWhole());
    }

    /** Weight of one kernel slice against one product slice in the progress count (a rough cost ratio at d = 784). */
    static final int KERNEL_WEIGHT = 10;

    private static long slices(int rows, int m) {
        long per = Math.max(1, Math.min(rows, FalkonRegressor.BLOCK_ENTRIES / m));
        return (rows + per - 1) / per;
    }

    /** Mean kernel diagonal over the first {@code rows} rows (the training part). */
    private static double meanDiagonal(KernelFunction engine, double[][] x, int rows, Candidate c) {
        double[] d = engine.diagonal(java.util.Arrays.copyOf(x, rows), c.kind());
        double s = 0;
        for (double v : d) {
            s += v;
        }
        return s / rows;
    }

    /**
     * Scores predictions against labelled rows (a test set).
     *
     * @param p the predictions
     * @param truth the true labels (classification) or values (regression), as many
     * @return the accuracy, or the root-mean-square error
     */
    public static double score(KernelModel.Predictions p, String[] truth) {
        if (truth.length != p.size()) {
            throw Messages.dimensionMismatch("the labels", truth.length, "the predictions", p.size());
        }
        if (p.task() != Task.CLASSIFY) { // scale-safe: targets near 1e307 have an RMSE, not NaN
            return io.github.ntk4j.internal.ScaleSafe.rmsDifference(p.values(), LabelEncoding.values(truth));
        }
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s += io.github.ntk4j.io.Labels.same(p.label(i), truth[i]) ? 1 : 0;
        }
        return s / truth.length;
    }

    /**
     * A stratified split: the rows of each class shuffled with the seed, the first round(f·n_c)
     * of each class to validation.
     *
     * @return n+1 entries: the training rows (in their original order), then the validation rows
     *         (in their original order), then the number of validation rows
     */
    static int[] split(int[] classOf, double fraction, long seed) {
        int n = classOf.length;
        int classes = java.util.Arrays.stream(classOf).max().orElse(0) + 1;
        boolean[] val = new boolean[n];
        Random rng = new Random(seed);
        for (int cl = 0; cl < classes; cl++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (classOf[i] == cl) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, rng);
            long take = Math.round(fraction * members.size());
            for (int i = 0; i < take; i++) {
                val[members.get(i)] = true;
            }
        }
        int[] out = new int[n + 1];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (!val[i]) {
                out[at++] = i;
            }
        }
        int nTr = at;
        for (int i = 0; i < n; i++) {
            if (val[i]) {
                out[at++] = i;
            }
        }
        out[n] = n - nTr;
        return out;
    }
}
