package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.io.LabelledCsv;
import io.github.ntk4j.learn.KernelModelSelection;
import io.github.ntk4j.learn.KernelModelSelection.Choice;
import io.github.ntk4j.learn.KernelModelSelection.Fold;
import io.github.ntk4j.learn.KernelModelSelection.Grid;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import io.github.ntk4j.math.KernelKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ntk4j classify} and {@code ntk4j regress}: kernel regression with an infinite-width
 * network's kernel on a labelled CSV file, hyperparameters chosen by inner cross-validation,
 * scored by outer cross-validation (see {@link KernelModelSelection}).
 */
abstract class LearnCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "Labelled rows: numeric features and one label column (comma- or space-separated; .gz read "
                    + "through gzip).")
    Path data;

    @Option(names = "--header", description = "Skip the first line of the data (and of the --predict file).")
    boolean header;

    @Option(names = "--label-column", paramLabel = "K|last", defaultValue = "last",
            description = "The label column: a 1-based number, first or last (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5", description = "Outer folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--inner-folds", paramLabel = "K", defaultValue = "3",
            description = "Inner folds of the hyperparameter selection (default: ${DEFAULT-VALUE}).")
    int innerFolds;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the fold shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kernel", paramLabel = "K[,K]", defaultValue = "ntk",
            description = "Kernels to try: ntk, nngp or both as ntk,nngp (default: ${DEFAULT-VALUE}).")
    String kernels;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Activation of the fully connected networks (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--depth", paramLabel = "L[,L...]", defaultValue = "1,2,3",
            description = "Hidden layers to try (default: ${DEFAULT-VALUE}).")
    String depths;

    @Option(names = "--w-std", paramLabel = "W[,W...]", defaultValue = "1.4,2",
            description = "W_std values to try (default: ${DEFAULT-VALUE}).")
    String wStds;

    @Option(names = "--b-std", paramLabel = "B[,B...]", defaultValue = "0.1",
            description = "b_std values to try (default: ${DEFAULT-VALUE}).")
    String bStds;

    @Option(names = "--ridge", paramLabel = "R[,R...]", defaultValue = "1e-4,1e-3,1e-2,1e-1,1",
            description = "Ridge values to try, relative to the mean diagonal of the training kernel "
                    + "(default: ${DEFAULT-VALUE}).")
    String ridges;

    @Option(names = "--time", paramLabel = "t|inf", defaultValue = "inf", converter = PredictCommand.TimeConverter.class,
            description = "Gradient-flow training time (learning rate 1), inf for kernel ridge regression "
                    + "(default: ${DEFAULT-VALUE}).")
    double time;

    @Option(names = "--predict", paramLabel = "TEST.csv",
            description = "Also fit a final model on all the data (hyperparameters by inner cross-validation) and "
                    + "predict these rows (the features, with or without the label column).")
    Path predict;

    @Option(names = "--output", paramLabel = "P.csv", description = "With --predict: where to write one prediction per row.")
    Path output;

    @Option(names = "--solver", paramLabel = "SOLVER", defaultValue = "dense",
            description = "dense: the N×N kernel matrices (every ridge from one eigendecomposition per fold); falkon: the "
                    + "matrix-free FALKON solver for training sets beyond the dense limit (t = inf only; one fit per "
                    + "candidate, ridge and inner fold, so give a grid of one candidate to skip the inner "
                    + "cross-validation) (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--centres", paramLabel = "M", defaultValue = "2000",
            description = "falkon: Nystrom centres per fit, at most the rows it is fitted on (default: ${DEFAULT-VALUE}).")
    int centres;

    /** Whether the grid has one candidate (nothing for the inner cross-validation to choose). */
    private boolean singleCandidate;

    @Option(names = "--drop-constant", description = "Set feature columns that are constant over the whole file to 0 "
            + "(noted on standard error) instead of refusing the data.")
    boolean dropConstant;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Formats.TextJson format;

    @Mixin
    ThreadsOption threads;

    abstract Task task();

    abstract String scoreName();

    @Mixin
    EngineOptions engineOptions;

    @Override
    public void run() {
        if (engineOptions.spark()) {
            engineOptions.runOnSpark(spec);
            return;
        }
        if ((predict == null) != (output == null)) {
            throw Messages.invalid("--predict and --output go together: give both or neither");
        }
        if (output != null) {
            AtomicFile.checkWritable(output); // before the cross-validation, not after it
        }
        List<KernelKind> kinds = new ArrayList<>();
        for (String k : kernels.split(",")) {
            kinds.add(KernelKind.parse(k.strip()));
        }
        double t = time;
        double[] ws = positive("--w-std", CliSupport.vector("--w-std", wStds), false);
        double[] bs = positive("--b-std", CliSupport.vector("--b-std", bStds), true);
        double[] rs = positive("--ridge", CliSupport.vector("--ridge", ridges), t != Double.POSITIVE_INFINITY);
        double[] ds = CliSupport.vector("--depth", depths);
        int[] dep = new int[ds.length];
        for (int i = 0; i < ds.length; i++) {
            if (ds[i] != Math.rint(ds[i]) || ds[i] < 1 || ds[i] > 50) {
                throw Messages.invalid("--depth values must be whole numbers from 1 to 50, got " + ds[i]);
            }
            dep[i] = (int) ds[i];
        }
        io.github.ntk4j.net.NetworkSpec.parseActivation(activation); // fail early on a bad name
        Grid grid = new Grid(activation, kinds, dep, ws, bs, rs, t);
        singleCandidate = grid.networks() * grid.ridges().length == 1;
        KernelModelSelection.Solver how;
        if (solver.equals("dense")) {
            how = KernelModelSelection.Solver.DENSE;
        } else if (solver.equals("falkon")) {
            if (centres < 1) {
                throw Messages.tooSmall("--centres", centres, 1);
            }
            if (t != Double.POSITIVE_INFINITY) {
                throw Messages.invalid("--solver falkon gives the t = inf predictor only; drop --time");
            }
            how = KernelModelSelection.Solver.falkon(centres);
        } else {
            throw Messages.invalid("--solver must be dense or falkon, got " + solver);
        }
        int th = threads.orProcessors();
        LabelledCsv.Table table = LabelledCsv.read(data, header, labelColumn);
        int[] constant = KernelModelSelection.constantColumns(table.features());
        if (constant.length > 0 && !dropConstant) {
            int c = constant[0];
            throw Messages.invalid(data + ": feature column " + featureColumn(c, table.labelColumn()) + " has the value "
                    + table.features()[0][c] + " in all " + table.features().length + " rows"
                    + (constant.length > 1 ? " (" + (constant.length - 1) + " more such column"
                            + (constant.length > 2 ? "s" : "") + ")" : "")
                    + ": it carries no information and cannot be standardised; remove it, or pass --drop-constant");
        }
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        KernelModelSelection.Result r;
        try (ProgressBar bar = new ProgressBar(err, "cross-validation")) {
            r = KernelModelSelection.crossValidate(task(), table.features(), table.labels(), folds, innerFolds, seed, grid, how,
                    th, bar);
        } catch (io.github.ntk4j.InvalidInputException e) {
            throw CliSupport.hint(e, "the matrix-free FALKON solver", "--solver falkon --centres M");
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        for (int c : constant) {
            err.println("note: feature column " + featureColumn(c, table.labelColumn()) + " is constant: it is set to 0 "
                    + "(standardisation would divide by its zero spread)");
        }
        String[] predicted = null;
        if (predict != null) {
            double[][] xt = LabelledCsv.readFeatures(predict, header, table.features()[0].length, labelColumn);
            KernelModelSelection.Model m = KernelModelSelection.fit(task(), table.features(), table.labels(), innerFolds, seed,
                    grid, how, th);
            predicted = m.predict(xt);
            write(output, predicted);
            err.println("final model: " + describe(m.choice()) + "; " + predicted.length + " predictions written to " + output);
        }
        err.flush();
        print(r, seconds, table);
    }

    private static int featureColumn(int feature, int labelColumn) {
        int col = feature + 1;
        return col >= labelColumn ? col + 1 : col;
    }

    private static double[] positive(String option, double[] v, boolean allowZero) {
        for (double d : v) {
            if (!(allowZero ? d >= 0 : d > 0)) {
                throw Messages.invalid(option + " values must be " + (allowZero ? ">= 0" : "> 0") + ", got " + d);
            }
        }
        return v;
    }

    private static void write(Path file, String[] lines) {
        AtomicFile.writeText(file, w -> {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        });
    }

    static String describe(Choice c) {
        return String.format(Locale.ROOT, "%s depth %d W_std %s b_std %s ridge %s", c.kind().id(), c.depth(),
                CliSupport.num(c.wStd()), CliSupport.num(c.bStd()), CliSupport.num(c.ridge()));
    }

    private void print(KernelModelSelection.Result r, double seconds, LabelledCsv.Table table) {
        PrintWriter out = spec.commandLine().getOut();
        String name = scoreName();
        if (format == Formats.TextJson.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put(name, r.mean());
            o.put(name + "_std", r.spread());
            List<Object> fl = new ArrayList<>();
            List<Object> ch = new ArrayList<>();
            for (Fold f : r.folds()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put(name, f.score());
                fm.put("test_rows", f.testSize());
                fl.add(fm);
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("kernel", f.chosen().kind().id());
                cm.put("depth", f.chosen().depth());
                cm.put("w_std", f.chosen().wStd());
                cm.put("b_std", f.chosen().bStd());
                cm.put("ridge", f.chosen().ridge());
                // no inner score when there was nothing to choose (FALKON with one candidate)
                cm.put("inner_" + name, Double.isNaN(f.chosen().innerScore()) ? null : (Object) f.chosen().innerScore());
                ch.add(cm);
            }
            o.put("folds", fl);
            o.put("chosen", ch);
            o.put("seconds", seconds);
            o.put("rows", table.features().length);
            o.put("features", table.features()[0].length);
            o.put("activation", activation);
            o.put("time", Double.isInfinite(time) ? "inf" : time);
            o.put("seed", seed);
            o.put("fold_of_row", java.util.Arrays.stream(r.assignment()).boxed().toList());
            CliSupport.json(out, o);
            return;
        }
        out.println("data      " + data + ": " + table.features().length + " rows, " + table.features()[0].length
                + " features, label column " + table.labelColumn());
        out.println("model     kernel regression" + (solver.equals("falkon") ? " (FALKON, " + centres + " centres)" : "")
                + ", " + activation + " network, t = " + (Double.isInfinite(time) ? "inf" : CliSupport.num(time)) + "; "
                + (singleCandidate && solver.equals("falkon") ? "hyperparameters as given"
                        : "hyperparameters by " + innerFolds + "-fold inner cross-validation"));
        out.println(String.format(Locale.ROOT, "%s  %.4f ± %.4f (mean ± sd over %d folds)", name, r.mean(), r.spread(),
                r.folds().size()));
        out.println();
        out.println(String.format(Locale.ROOT, "%5s  %-10s  %5s  %s", "fold", name, "rows", "chosen"));
        int i = 1;
        for (Fold f : r.folds()) {
            out.println(String.format(Locale.ROOT, "%5d  %-10.4f  %5d  %s", i++, f.score(), f.testSize(), describe(f.chosen())));
        }
        out.println();
        out.println(String.format(Locale.ROOT, "time      %.1f s", seconds));
        out.flush();
    }

    /** {@code ntk4j classify}. */
    @Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Classifies the rows of a labelled CSV file by kernel regression with an infinite-width network's "
                    + "kernel (NTK or NNGP) on one-hot targets; features standardised on each training fold; depth, "
                    + "W_std, b_std and the ridge chosen by inner cross-validation over a small grid (Arora et al., "
                    + "ICLR 2020). Prints the accuracy over the outer folds, per fold and the chosen hyperparameters."})
    static final class Classify extends LearnCommand {
        @Override
        Task task() {
            return Task.CLASSIFY;
        }

        @Override
        String scoreName() {
            return "accuracy";
        }
    }

    /** {@code ntk4j regress}. */
    @Command(name = "regress", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Kernel regression of real-valued targets of a labelled CSV file with an infinite-width "
                    + "network's kernel; features and targets standardised on each training fold; depth, W_std, b_std "
                    + "and the ridge chosen by inner cross-validation. Prints the RMSE over the outer folds."})
    static final class Regress extends LearnCommand {
        @Override
        Task task() {
            return Task.REGRESS;
        }

        @Override
        String scoreName() {
            return "rmse";
        }
    }
}
