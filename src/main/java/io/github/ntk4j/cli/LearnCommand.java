package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.io.LabelledCsv;
import io.github.ntk4j.io.LabelledData;
import io.github.ntk4j.learn.HoldoutSelection;
import io.github.ntk4j.learn.KernelFamily;
import io.github.ntk4j.learn.KernelModel;
import io.github.ntk4j.learn.KernelModelSelection;
import io.github.ntk4j.learn.KernelModelSelection.Options;
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

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Labelled rows: numeric features and one label column (comma- or space-separated; .gz read "
                    + "through gzip); or, with --labels, features only: a numeric CSV file or an IDX file of images "
                    + "(MNIST's format, e.g. train-images-idx3-ubyte.gz).")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "The labels of --data in their own file: an IDX file (train-labels-idx1-ubyte.gz) or one label "
                    + "per line.")
    Path labels;

    @Option(names = "--test-data", paramLabel = "FILE",
            description = "A test set, in the formats of --data: choose the hyperparameters on the training data only "
                    + "(falkon: on a validation split, --validation; dense: by inner cross-validation), fit on all of it, "
                    + "and report the score on these rows instead of outer cross-validation.")
    Path testData;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "The labels of --test-data in their own file.")
    Path testLabels;

    @Option(names = "--validation", paramLabel = "F", defaultValue = "0.1",
            description = "With --test-data and --solver falkon: the fraction of the training rows held out (stratified) "
                    + "to choose the kernel and the ridge on (default: ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "100",
            description = "With --test-data and --solver falkon: conjugate-gradient iterations at most per fit "
                    + "(default: ${DEFAULT-VALUE}; stops earlier at a relative residual of 1e-7).")
    int iterations;

    @Option(names = "--header", description = "Skip the first line of the data (and of the --predict file).")
    boolean header;

    @Option(names = "--label-column", paramLabel = "K|last", defaultValue = "last",
            description = "The label column: a 1-based number, first or last (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--folds", paramLabel = "K", description = "Outer folds (default: 5).")
    Integer folds;

    @Option(names = "--inner-folds", paramLabel = "K", description = "Inner folds of the hyperparameter selection (default: 3).")
    Integer innerFolds;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the fold shuffles (default: 0).")
    Long seed;

    @Option(names = "--kernel", paramLabel = "K[,K]", defaultValue = "ntk",
            description = "Kernels to try: ntk, nngp or both as ntk,nngp (default: ${DEFAULT-VALUE}).")
    String kernels;

    @Option(names = "--net", paramLabel = "SPEC",
            description = "Any network, as a spec with placeholders {NAME} whose values --grid gives, e.g. "
                    + "\"dense({w},{b}) residual(gelu dense({w},0)) layernorm dense(1,0)\" --grid w=1,1.4,2 --grid b=0,0.1 "
                    + "(default: the fully connected networks of --activation).")
    String net;

    @Option(names = "--grid", paramLabel = "NAME=V[,V...]",
            description = "Values to try for a placeholder of --net, or for depth, w_std or b_std of the fully connected "
                    + "networks (repeatable).")
    List<String> grid = new ArrayList<>();

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation of the fully connected networks (default: relu).")
    String activation;

    @Option(names = "--depth", paramLabel = "L[,L...]",
            description = "Hidden layers to try (default: 1,2,3; the same as --grid depth=...).")
    String depths;

    @Option(names = "--w-std", paramLabel = "W[,W...]",
            description = "W_std values to try (default: 1.4,2; the same as --grid w_std=...).")
    String wStds;

    @Option(names = "--b-std", paramLabel = "B[,B...]",
            description = "b_std values to try (default: 0.1; the same as --grid b_std=...).")
    String bStds;

    @Option(names = "--ridge", paramLabel = "R[,R...]",
            description = "Ridge values to try, relative to the mean diagonal of the training kernel "
                    + "(default: 1e-4,1e-3,1e-2,1e-1,1).")
    String ridges;

    @Option(names = "--time", paramLabel = "t|inf", defaultValue = "inf", converter = PredictCommand.TimeConverter.class,
            description = "Gradient-flow training time (learning rate 1), inf for kernel ridge regression "
                    + "(default: ${DEFAULT-VALUE}).")
    double time;

    @Option(names = "--predict", paramLabel = "TEST.csv",
            description = "Also fit a final model on all the data (hyperparameters by inner cross-validation) and "
                    + "predict these rows (the features, with or without the label column).")
    Path predict;

    @Option(names = "--output", paramLabel = "P.csv", description = "With --predict (or --test-data): where to write one "
            + "prediction per row of that file.")
    Path output;

    @Option(names = "--solver", paramLabel = "SOLVER", defaultValue = "dense",
            description = "dense: the N×N kernel matrices (every ridge from one eigendecomposition per fold); falkon: the "
                    + "matrix-free FALKON solver for training sets beyond the dense limit (t = inf only; one fit per "
                    + "candidate, ridge and inner fold, so give a grid of one candidate to skip the inner "
                    + "cross-validation) (default: ${DEFAULT-VALUE}).")
    void solver(String s) { // case-insensitive, as the enum-valued options are
        solver = s.strip().toLowerCase(java.util.Locale.ROOT);
    }

    String solver;

    @Option(names = "--centres", paramLabel = "M", defaultValue = "2000",
            description = "falkon: Nystrom centres per fit, at most the rows it is fitted on (default: ${DEFAULT-VALUE}).")
    int centres;

    @Option(names = "--centre-draw", paramLabel = "DRAW", defaultValue = "uniform",
            description = "falkon with --test-data: how the Nystrom centres are chosen among the training rows of the "
                    + "split: uniform, or kpp (k-means++ in the kernel's feature space: one more pass of the training "
                    + "rows against the centres; centres that span the data better) (default: ${DEFAULT-VALUE}).")
    void centreDraw(String s) {
        centreDraw = io.github.ntk4j.learn.CentreDraw.parse(s);
    }

    io.github.ntk4j.learn.CentreDraw centreDraw = io.github.ntk4j.learn.CentreDraw.UNIFORM;

    @Option(names = "--kernel-storage", paramLabel = "PRECISION", defaultValue = "double",
            description = "falkon with --test-data: how G(X, C) is kept between the conjugate-gradient products: double, "
                    + "or single (each entry rounded to a float: half the memory, so about twice the centres fit the "
                    + "heap; all arithmetic stays double) (default: ${DEFAULT-VALUE}).")
    void kernelStorage(String s) {
        kernelStorage = io.github.ntk4j.learn.FalkonRegressor.Storage.parse(s);
    }

    io.github.ntk4j.learn.FalkonRegressor.Storage kernelStorage = io.github.ntk4j.learn.FalkonRegressor.Storage.DOUBLE;

    /** Whether the grid has one candidate (nothing for the inner cross-validation to choose). */
    private boolean singleCandidate;

    @Option(names = "--drop-constant", description = "Set feature columns that are constant over the whole file to 0 "
            + "(noted on standard error) instead of refusing the data.")
    boolean dropConstant;

    @Option(names = "--preprocess", paramLabel = "MAP", defaultValue = "standardise",
            description = "How feature rows become the kernel's inputs: standardise (per feature, with the training "
                    + "part's mean and sd), sphere (per row: centred by its own mean and scaled to norm sqrt(d), "
                    + "as Arora et al. and Novak et al. do for images) or sqrt-sphere (each feature's signed square "
                    + "root, then sphere) (default: ${DEFAULT-VALUE}).")
    void preprocess(String s) {
        preprocess = io.github.ntk4j.learn.Preprocessing.Kind.parse(s);
    }

    io.github.ntk4j.learn.Preprocessing.Kind preprocess;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or csv (one row "
            + "per outer fold, numbered from 0, or with --test-data one row for the test set: the score and the chosen kernel, "
            + "parameters and ridge; default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

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
        if (predict != null && output == null || output != null && predict == null && testData == null) {
            throw Messages.invalid("--predict and --output go together: give both or neither (or --output with --test-data)");
        }
        if (predict != null && testData != null) {
            throw Messages.invalid("give --test-data or --predict, not both");
        }
        if (testLabels != null && testData == null) {
            throw Messages.invalid("--test-labels needs --test-data");
        }
        if (output != null) {
            AtomicFile.checkWritable(output); // before the cross-validation, not after it
        }
        KernelFamily family = family();
        Options options = Options.defaults();
        if (folds != null) {
            options = options.withFolds(folds);
        }
        if (innerFolds != null) {
            options = options.withInnerFolds(innerFolds);
        }
        if (seed != null) {
            options = options.withSeed(seed);
        }
        Options ot = options;
        options = CliSupport.forOption("--time", () -> ot.withTime(time));
        if (ridges != null) {
            double[] rs = CliSupport.vector("--ridge", ridges);
            Options o = options;
            options = CliSupport.forOption("--ridge", () -> o.withRidges(rs));
        }
        singleCandidate = family.size() * options.ridges().length == 1;
        if (solver.equals("dense")) {
            options = options.withSolver(KernelModelSelection.Solver.DENSE);
        } else if (solver.equals("falkon")) {
            if (centres < 1) {
                throw Messages.tooSmall("--centres", centres, 1);
            }
            if (time != Double.POSITIVE_INFINITY) {
                throw Messages.invalid("--solver falkon gives the t = inf predictor only; drop --time");
            }
            options = options.withSolver(KernelModelSelection.Solver.falkon(centres));
        } else {
            throw Messages.invalid("--solver must be dense or falkon, got " + solver);
        }
        if (centreDraw != io.github.ntk4j.learn.CentreDraw.UNIFORM && (testData == null || !solver.equals("falkon"))) {
            throw Messages.badOption("--centre-draw", centreDraw.label() + " applies to --solver falkon with --test-data "
                    + "(the validation-split selection)");
        }
        if (kernelStorage != io.github.ntk4j.learn.FalkonRegressor.Storage.DOUBLE
                && (testData == null || !solver.equals("falkon"))) {
            throw Messages.badOption("--kernel-storage", kernelStorage.label() + " applies to --solver falkon with "
                    + "--test-data (the validation-split selection)");
        }
        options = options.withThreads(threads.orProcessors()).withPreprocessing(preprocess);
        LabelledCsv.Table table = LabelledData.read(data, labels, header, labelColumn);
        boolean sphere = preprocess != io.github.ntk4j.learn.Preprocessing.Kind.STANDARDISE; // no per-feature spread to divide by
        int[] constant = sphere ? new int[0] : KernelModelSelection.constantColumns(table.features());
        if (constant.length > 0 && !dropConstant && !io.github.ntk4j.io.Idx.isIdx(data)) { // images: blank border pixels are usual
            int c = constant[0];
            throw Messages.invalid(data + ": feature column " + featureColumn(c, table.labelColumn()) + " has the value "
                    + table.features()[0][c] + " in all " + table.features().length + " rows"
                    + (constant.length > 1 ? " (" + (constant.length - 1) + " more such column"
                            + (constant.length > 2 ? "s" : "") + ")" : "")
                    + ": it carries no information and cannot be standardised; remove it, or pass --drop-constant");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (testData != null) {
            runTest(table, constant, family, options, err);
            return;
        }
        long t0 = System.nanoTime();
        KernelModelSelection.Result r;
        try (ProgressBar bar = new ProgressBar(err, "cross-validation")) {
            r = KernelModelSelection.crossValidate(task(), table.features(), table.labels(), family, options.withProgress(bar));
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
            double[][] xt = LabelledData.readFeatures(predict, header, table.features()[0].length, labelColumn);
            KernelModel m = KernelModelSelection.fit(task(), table.features(), table.labels(), family, options);
            predicted = m.predict(xt).labels();
            write(output, predicted);
            err.println("final model: " + m.choice() + "; " + predicted.length + " predictions written to " + output);
        }
        err.flush();
        print(r, seconds, table, family, options);
    }

    /**
     * The centres a FALKON fit uses: --centres, capped at the rows it is fitted on (the library
     * takes min(M, rows)); said so when the cap applies, never the option's value as if used.
     */
    private String centresUsed(int rows) {
        return centres <= rows ? centres + " centres"
                : "at most " + rows + " centres: --centres " + centres + " is capped at the rows of each fit";
    }

    /**
     * The test-set path: hyperparameters chosen on the training data only, the final model fitted
     * on all of it, scored on the test rows (read and checked before any kernel is computed).
     */
    private void runTest(LabelledCsv.Table table, int[] constant, KernelFamily family, Options options, PrintWriter err) {
        LabelledCsv.Table test = LabelledData.read(testData, testLabels, header, labelColumn);
        int width = table.features()[0].length;
        if (test.features()[0].length != width) {
            throw Messages.dimensionMismatch(testData + " (features per row)", test.features()[0].length,
                    "the training data (" + data + ")", width);
        }
        boolean falkon = options.solver().isFalkon();
        if (falkon && iterations < 1) {
            throw Messages.tooSmall("--iterations", iterations, 1);
        }
        long t0 = System.nanoTime();
        KernelModel model;
        HoldoutSelection.Result held = null;
        try (ProgressBar bar = new ProgressBar(err, falkon ? "falkon" : "selection")) {
            if (falkon) {
                held = HoldoutSelection.fit(task(), table.features(), table.labels(), family, options.withProgress(bar),
                        validation, iterations, 1e-7, centreDraw, kernelStorage, line -> {
                            bar.close();
                            err.println(line);
                            err.flush();
                        });
                model = held.model();
            } else {
                model = KernelModelSelection.fit(task(), table.features(), table.labels(), family, options);
            }
        } catch (io.github.ntk4j.InvalidInputException e) {
            throw CliSupport.hint(e, "the matrix-free FALKON solver", "--solver falkon --centres M");
        }
        double fitSeconds = (System.nanoTime() - t0) * 1e-9;
        long t1 = System.nanoTime();
        KernelModel.Predictions p = model.predict(test.features());
        String[] predicted = p.labels();
        double testScore = HoldoutSelection.score(p, test.labels());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        double testSeconds = (System.nanoTime() - t1) * 1e-9;
        if (constant.length > 0) {
            StringBuilder cols = new StringBuilder();
            for (int i = 0; i < Math.min(constant.length, 10); i++) {
                cols.append(i == 0 ? "" : ", ").append(table.labelColumn() > 0
                        ? featureColumn(constant[i], table.labelColumn()) : constant[i] + 1);
            }
            err.println("note: " + constant.length + " feature column" + (constant.length > 1 ? "s are" : " is")
                    + " constant over the training data (" + cols + (constant.length > 10 ? ", ..." : "")
                    + "): set to 0 (standardisation would divide by a zero spread)");
        }
        if (output != null) {
            write(output, predicted);
        }
        err.flush();
        String name = scoreName();
        KernelModelSelection.Choice ch = model.choice();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.csv) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("test_" + name, testScore);
            row.put("test_rows", test.features().length);
            row.put("training_rows", held != null ? held.trainingRows() : table.features().length);
            row.putAll(ch.toMap());
            row.put("validation_" + name, Double.isNaN(ch.innerScore()) ? null : (Object) ch.innerScore());
            CliSupport.csv(out, row.keySet().toArray());
            CliSupport.csv(out, row.values().toArray());
            out.flush();
            return;
        }
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("test_" + name, testScore);
            o.put("validation_" + name, Double.isNaN(ch.innerScore()) ? null : (Object) ch.innerScore());
            o.put("validation", falkon ? "split" : options.innerFolds() + "-fold cross-validation");
            o.put("chosen", ch.toString());
            o.put("preprocess", options.preprocessing().label());
            if (held != null) {
                List<Object> tr = new ArrayList<>();
                for (HoldoutSelection.Trial t : held.trials()) {
                    Map<String, Object> tm = new LinkedHashMap<>();
                    tm.put("choice", t.choice().toString());
                    tm.put("validation_" + name, t.choice().innerScore());
                    tm.put("cg_iterations", t.iterations());
                    tm.put("cg_iteration_seconds", t.iterationSeconds());
                    tr.add(tm);
                }
                o.put("trials", tr);
                o.put("training_rows", held.trainingRows());
                o.put("validation_rows", held.validationRows());
                o.put("centres", Math.min(centres, held.trainingRows()));
                o.put("centre_draw", centreDraw.label());
                o.put("kernel_storage", kernelStorage.label());
                o.put("kernel_pass_seconds", java.util.Arrays.stream(held.kernelPassSeconds()).boxed().toList());
                o.put("kernel_kept_whole", held.keptWhole());
                o.put("final_cg_iterations", held.finalIterations());
                o.put("final_cg_iteration_seconds", held.finalFit().iterationSeconds());
            } else {
                o.put("training_rows", table.features().length);
            }
            o.put("test_rows", test.features().length);
            o.put("features", width);
            o.put("family", family.toString());
            o.put("seed", options.seed());
            o.put("fit_seconds", fitSeconds);
            o.put("test_seconds", testSeconds);
            o.put("seconds", seconds);
            CliSupport.json(out, o);
            return;
        }
        out.println("data      " + data + ": " + table.features().length + " rows, " + width + " features; test "
                + testData + ": " + test.features().length + " rows");
        out.println("model     kernel regression" + (falkon ? " (FALKON, " + centresUsed(held.trainingRows()) + ")" : "")
                + "; hyperparameters by " + (falkon ? "a validation split (" + held.validationRows()
                        + " of the training rows)" : options.innerFolds() + "-fold cross-validation")
                + " on the training data");
        out.println("family    " + family);
        out.println("chosen    " + ch + (Double.isNaN(ch.innerScore()) ? ""
                : String.format(Locale.ROOT, " (validation %s %.4f)", name, ch.innerScore())));
        out.println(String.format(Locale.ROOT, "test      %s %.4f on %d rows", name, testScore, test.features().length));
        if (held != null) {
            out.println(String.format(Locale.ROOT, "timing    kernel pass %s s; CG iteration %.2f s (final fit: %d iterations)",
                    java.util.Arrays.stream(held.kernelPassSeconds()).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                            .collect(java.util.stream.Collectors.joining(", ")),
                    held.finalFit().iterationSeconds(), held.finalIterations()));
        }
        out.println(String.format(Locale.ROOT, "time      %.1f s", seconds));
        out.flush();
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

    /**
     * The family: --net with its --grid values, or the fully connected networks of --activation
     * with the library's default grid, changed by --depth, --w-std, --b-std and --grid.
     */
    private KernelFamily family() {
        List<KernelKind> kinds = new ArrayList<>();
        for (String k : kernels.split(",")) {
            kinds.add(KernelKind.parse(k.strip()));
        }
        KernelFamily f;
        if (net != null) {
            for (String[] o : new String[][] {{"--activation", activation}, {"--depth", depths}, {"--w-std", wStds},
                {"--b-std", bStds}}) {
                if (o[1] != null) {
                    throw Messages.invalid(o[0] + " describes the fully connected networks: with --net, give the values "
                            + "of its placeholders by --grid NAME=V,...");
                }
            }
            f = CliSupport.forOption("--net", () -> KernelFamily.network(net));
        } else {
            String a = activation == null ? "relu" : activation;
            f = CliSupport.forOption("--activation", () -> KernelFamily.fullyConnected(a));
            f = withGrid(f, "--depth", "depth", depths);
            f = withGrid(f, "--w-std", "w_std", wStds);
            f = withGrid(f, "--b-std", "b_std", bStds);
        }
        for (String g : grid) {
            int eq = g.indexOf('=');
            if (eq < 1) {
                throw Messages.badOption("--grid", "expected NAME=V[,V...], got '" + g + "'");
            }
            f = withGrid(f, "--grid", g.substring(0, eq).strip(), g.substring(eq + 1));
        }
        KernelFamily fam = f;
        return CliSupport.forOption(net != null ? "--net" : "--grid", () -> {
            fam.candidates(); // a placeholder without values is refused now
            return fam.withKinds(kinds.toArray(KernelKind[]::new));
        });
    }

    private static KernelFamily withGrid(KernelFamily f, String option, String name, String values) {
        if (values == null) {
            return f;
        }
        double[] v = CliSupport.vector(option, values);
        return CliSupport.forOption(option, () -> f.withGrid(name, v));
    }

    private void print(KernelModelSelection.Result r, double seconds, LabelledCsv.Table table, KernelFamily family,
            Options options) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.csv) {
            // one row per outer fold: the library's fold and choice fields side by side; the fold
            // numbered from 0, as JSON's fold_of_row numbers it
            Map<String, Object> all = r.toMap();
            List<?> folds = (List<?>) all.get("folds");
            List<?> chosen = (List<?>) all.get("chosen");
            for (int i = 0; i < folds.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("fold", i);
                row.putAll((Map<String, ?>) folds.get(i));
                row.putAll((Map<String, ?>) chosen.get(i));
                if (i == 0) {
                    CliSupport.csv(out, row.keySet().toArray());
                }
                CliSupport.csv(out, row.values().toArray());
            }
            out.flush();
            return;
        }
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> o = new LinkedHashMap<>(r.toMap());
            Object rows = o.remove("fold_of_row");
            o.put("seconds", seconds);
            o.put("rows", table.features().length);
            o.put("features", table.features()[0].length);
            if (net == null) {
                o.put("activation", activation == null ? "relu" : activation);
            } else {
                o.put("net", net);
            }
            o.put("family", family.toString());
            o.put("time", Double.isInfinite(time) ? "inf" : time);
            o.put("seed", options.seed());
            o.put("fold_of_row", rows);
            CliSupport.json(out, o);
            return;
        }
        out.println("data      " + data + ": " + table.features().length + " rows, " + table.features()[0].length
                + " features, label column " + table.labelColumn());
        out.println("model     kernel regression" + (solver.equals("falkon") ? " (FALKON, " + centresUsed(table.features().length) + ")" : "")
                + ", t = " + (Double.isInfinite(time) ? "inf" : CliSupport.num(time)) + "; "
                + (singleCandidate && solver.equals("falkon") ? "hyperparameters as given"
                        : "hyperparameters by " + options.innerFolds() + "-fold inner cross-validation"));
        out.println("family    " + family);
        out.print(r.toText());
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
