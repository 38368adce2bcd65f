package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.LabelledCsv;
import io.github.ntk4j.io.LabelledData;
import io.github.ntk4j.kernel.GaussianKernel;
import io.github.ntk4j.kernel.LaplaceKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.plot.InterpolationPlots;
import io.github.ntk4j.study.InterpolationStudy;
import io.github.ntk4j.study.InterpolationStudy.Data;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ntk4j interpolate}: kernel machines at ridge exactly 0 against the cross-validated
 * ridge and early stopping, under label noise, and the growth of the interpolant's RKHS norm
 * (Belkin, Ma &amp; Mandal, ICML 2018); see {@link InterpolationStudy}.
 */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Interpolating kernel machines (Belkin, Ma & Mandal 2018): the kernel machine at ridge exactly 0 "
                + "(training error 0, Cholesky with extra-precise iterative refinement) against kernel ridge regression "
                + "with a cross-validated ridge and gradient flow stopped at a cross-validated time, with label noise on "
                + "the training labels only; or, with --norm-sizes, the interpolant's RKHS norm y^T K^-1 y as n grows for "
                + "the NTK, the erf NNGP, the Gaussian and the Laplace kernel.",
            "Without --test-data the rows are split 75/25 (stratified by class, shuffled with --seed). Features are "
                + "standardised with the training statistics."})
final class InterpolateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Labelled rows: numeric features and one label column "
            + "(comma- or space-separated; .gz read through gzip), or features only (CSV or IDX images) with --labels.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "The labels of --data when it holds features only "
            + "(an IDX idx1 file or one label per line), e.g. with IDX images as --data.")
    Path labels;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "The labels of --test-data when it holds features only.")
    Path testLabels;

    @Option(names = "--header", description = "Skip the first line of --data and --test-data.")
    boolean header;

    @Option(names = "--label-column", paramLabel = "K|last", defaultValue = "last",
            description = "The label column: a 1-based number, first or last (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--test-data", paramLabel = "FILE.csv", description = "Test rows (same columns); default: a 25%% held-out "
            + "split of --data.")
    Path testData;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.25",
            description = "Share of each class held out when there is no --test-data (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--synthetic", paramLabel = "MU", description = "Instead of --data: Belkin's synthetic set, x in R^50, "
            + "x1 ~ N(0,1) for class 0 and N(MU,1) for class 1, the rest U[-1,1] (MU = 10: separable; 2: Bayes error 15.9%%).")
    Double synthetic;

    @Option(names = "--train-size", paramLabel = "N", defaultValue = "1000",
            description = "--synthetic: training rows (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--test-size", paramLabel = "M", defaultValue = "2000",
            description = "--synthetic: test rows (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--kernel", paramLabel = "K", defaultValue = "ntk",
            description = "ntk or nngp (of the network options), gaussian or laplace (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--length-scale", paramLabel = "L",
            description = "Length scale of the Gaussian and Laplace kernels (default: sqrt of the feature count, on "
                    + "standardised features).")
    Double lengthScale;

    @Option(names = "--noise", paramLabel = "E[,E...]", defaultValue = "0,0.1,0.2,0.4",
            description = "Label-noise levels: each training label replaced, with this probability, by a class drawn "
                    + "uniformly (default: ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "5",
            description = "Folds of the cross-validation of the ridge and the stopping time (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--norm-sizes", paramLabel = "N[,N...]",
            description = "Instead of the noise table: the interpolant's RKHS norm on nested subsets of these sizes, for "
                    + "the NTK of the network options, the erf NNGP (depth 2, W_std 1.4, b_std 0.1), the Gaussian and the "
                    + "Laplace kernel.")
    String normSizes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the split, the folds, the noise and the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table), json or csv (one row per noise level, or with --norm-sizes per kernel and "
                    + "size; default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the test errors against noise (or the norms "
            + "against n, log-log); .png or .svg.")
    Path plot;

    @Mixin
    NetworkOptions network;

    @Mixin
    ThreadsOption threads;

    @Override
    public void run() {
        if (plot != null) {
            io.github.ntk4j.plot.Plots.vectorFormat(plot);
        }
        if ((data == null) == (synthetic == null)) {
            throw Messages.invalid("give the data: --data FILE or --synthetic MU (one of them)");
        }
        double[] eps = CliSupport.vector("--noise", noise);
        for (double e : eps) {
            if (!(e >= 0 && e <= 1)) {
                throw Messages.badOption("--noise", "levels must be in [0, 1], got " + e);
            }
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw Messages.badOption("--test-fraction", "must be in (0, 1), got " + testFraction);
        }
        if (lengthScale != null && !(lengthScale > 0 && Double.isFinite(lengthScale))) {
            throw Messages.notPositive("--length-scale", lengthScale);
        }
        if (normSizes != null) {
            norms(eps);
        } else {
            noiseTable(eps);
        }
    }

    /** The training and test sets (and the class names), from the files or the synthetic law. */
    private record Sets(Data train, Data test, String[] classes, String source) {
    }

    private Sets sets(int poolSize) {
        if (synthetic != null) {
            if (!Double.isFinite(synthetic)) {
                throw Messages.notFinite("--synthetic", synthetic);
            }
            if (trainSize < 2) {
                throw Messages.tooSmall("--train-size", trainSize, 2);
            }
            if (testSize < 1) {
                throw Messages.tooSmall("--test-size", testSize, 1);
            }
            int n = Math.max(trainSize, poolSize);
            return new Sets(InterpolationStudy.synthetic(n, synthetic, seed), InterpolationStudy.synthetic(testSize, synthetic,
                    seed + 1), new String[] {"0", "1"}, String.format(Locale.ROOT, "synthetic mu = %s (Bayes error %.4f), "
                    + "%d training and %d test rows, seeds %d and %d", CliSupport.num(synthetic),
                    InterpolationStudy.syntheticBayesError(synthetic), n, testSize, seed, seed + 1));
        }
        LabelledCsv.Table table = LabelledData.read(data, labels, header, labelColumn);
        LabelledCsv.Table testTable = testData == null ? null : LabelledData.read(testData, testLabels, header, labelColumn);
        if (testTable != null && testTable.features()[0].length != table.features()[0].length) {
            throw Messages.dimensionMismatch(testData + " (features)", testTable.features()[0].length, data + " (features)",
                    table.features()[0].length);
        }
        List<String> names = new ArrayList<>(Arrays.asList(table.labels()));
        if (testTable != null) {
            names.addAll(Arrays.asList(testTable.labels()));
        }
        String[] classes = io.github.ntk4j.io.Labels.classes(names);
        if (classes.length < 2) {
            throw Messages.invalid(data + ": classification needs at least two classes, the labels are all '" + classes[0] + "'");
        }
        int[] y = index(table.labels(), classes);
        if (testTable != null) {
            return new Sets(new Data(table.features(), y, classes.length),
                    new Data(testTable.features(), index(testTable.labels(), classes), classes.length), classes,
                    String.format(Locale.ROOT, "%s (%d rows), test %s (%d rows)", data, y.length, testData,
                            testTable.labels().length));
        }
        if (poolSize > 0) { // the norm study uses every row
            return new Sets(new Data(table.features(), y, classes.length), null, classes,
                    String.format(Locale.ROOT, "%s (%d rows)", data, y.length));
        }
        boolean[] isTest = split(y, classes.length, testFraction, seed);
        List<Integer> tr = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            (isTest[i] ? te : tr).add(i);
        }
        if (tr.size() < 2 || te.isEmpty()) {
            throw Messages.invalid(data + ": " + y.length + " rows are too few for a held-out split");
        }
        return new Sets(subset(table.features(), y, tr, classes.length), subset(table.features(), y, te, classes.length),
                classes, String.format(Locale.ROOT, "%s: %d training and %d test rows (stratified %.0f/%.0f split, seed %d)",
                        data, tr.size(), te.size(), 100 * (1 - testFraction), 100 * testFraction, seed));
    }

    private static Data subset(double[][] x, int[] y, List<Integer> rows, int classes) {
        double[][] xs = new double[rows.size()][];
        int[] ys = new int[rows.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = x[rows.get(i)];
            ys[i] = y[rows.get(i)];
        }
        return new Data(xs, ys, classes);
    }

    /** Per class: shuffle its rows with the seed and hold out round(fraction · count) of them. */
    private static boolean[] split(int[] y, int classes, double fraction, long seed) {
        boolean[] test = new boolean[y.length];
        Random rng = new Random(seed);
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, rng);
            long hold = Math.round(fraction * members.size());
            for (int i = 0; i < hold; i++) {
                test[members.get(i)] = true;
            }
        }
        return test;
    }

    private static int[] index(String[] labels, String[] classes) {
        return io.github.ntk4j.io.Labels.index(labels, classes);
    }

    private KernelFunction kernelFunction(String name, int features) {
        double ell = lengthScale != null ? lengthScale : Math.sqrt(features);
        return switch (name) {
            case "ntk", "nngp" -> NtkRecursion.of(network.network()).withThreads(threads.orProcessors());
            case "gaussian" -> GaussianKernel.withLengthScale(ell);
            case "laplace" -> LaplaceKernel.withLengthScale(ell);
            default -> throw Messages.badChoice("--kernel", name, "ntk, nngp, gaussian or laplace");
        };
    }

    private void noiseTable(double[] eps) {
        String k = kernel.strip().toLowerCase(Locale.ROOT);
        kernelFunction(k, 1); // a bad --kernel before the data are read
        Sets s = sets(0);
        KernelFunction kf = kernelFunction(k, s.train().x()[0].length);
        KernelKind kind = k.equals("nngp") ? KernelKind.NNGP : KernelKind.NTK;
        CliSupport.Timed<InterpolationStudy.NoiseReport> t = CliSupport.runStudy(spec, "interpolate",
                InterpolationStudy.bytesNeeded(s.train().x().length, s.test().x().length),
                bar -> InterpolationStudy.noise(kf, kind, s.train(), s.test(), eps, folds, seed,
                        synthetic == null ? Double.NaN : InterpolationStudy.syntheticBayesError(synthetic), bar));
        InterpolationStudy.NoiseReport r = t.result();
        if (plot != null) {
            InterpolationPlots.noise(r, plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.csv) {
            CliSupport.csv(out, "noise", "labels_changed", "interpolant_train_accuracy", "interpolant_test_accuracy",
                    "interpolates", "relative_residual", "refinement_steps", "ridge", "ridge_train_accuracy",
                    "ridge_test_accuracy", "time", "early_stopping_train_accuracy", "early_stopping_test_accuracy",
                    "interpolant_test_error_noisy_labels", "bayes_consistent_error");
            for (InterpolationStudy.NoiseRow row : r.rows()) {
                CliSupport.csv(out, row.noise(), row.changed(), row.interpolant().train(), row.interpolant().test(),
                        row.interpolates(), row.residual(), row.refinementSteps(), row.chosenRidge(), row.ridge().train(),
                        row.ridge().test(), row.chosenTime(), row.earlyStopping().train(), row.earlyStopping().test(),
                        row.interpolantNoisyTestError(), row.bayesConsistent());
            }
            out.flush();
            return;
        }
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("data", s.source());
            o.put("kernel", r.kernel());
            o.put("kind", kind.id());
            o.put("train_rows", r.trainSize());
            o.put("test_rows", r.testSize());
            o.put("classes", r.classes());
            o.put("condition_number", finite(r.condition()));
            o.put("numerically_singular", r.singular());
            o.put("clean_error", r.cleanError());
            List<Object> levels = new ArrayList<>();
            for (InterpolationStudy.NoiseRow row : r.rows()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("noise", row.noise());
                m.put("labels_changed", row.changed());
                Map<String, Object> in = scores(row.interpolant());
                in.put("interpolates", row.interpolates());
                in.put("relative_residual", row.residual());
                in.put("refinement_steps", row.refinementSteps());
                in.put("test_error_noisy_labels", row.interpolantNoisyTestError());
                m.put("interpolant", in);
                Map<String, Object> rr = scores(row.ridge());
                rr.put("ridge", row.chosenRidge());
                m.put("cv_ridge", rr);
                Map<String, Object> es = scores(row.earlyStopping());
                es.put("time", row.chosenTime());
                m.put("early_stopping", es);
                m.put("bayes_consistent_error", row.bayesConsistent());
                levels.add(m);
            }
            o.put("levels", levels);
            o.put("seed", seed);
            o.put("seconds", t.seconds());
            CliSupport.json(out, o);
            return;
        }
        out.println(s.source());
        out.printf(Locale.ROOT, "kernel: %s (%s), %d classes; training Gram matrix: condition number %s%s%n", r.kernel(),
                kind.id(), r.classes(), sci(r.condition()), r.singular() ? " (numerically singular: Cholesky failed)" : "");
        out.printf(Locale.ROOT, "clean error P (%s): %.4f; ridge relative to the mean kernel diagonal, time in units of "
                + "its inverse%n", synthetic == null ? "cross-validated ridge, clean labels" : "Bayes error of the synthetic "
                + "set", r.cleanError());
        out.printf(Locale.ROOT, "%6s %7s | %-21s | %-21s | %-21s | %-17s%n", "", "", "interpolant (ridge 0)",
                "cross-validated ridge", "early-stopped flow", "noisy test error");
        out.printf(Locale.ROOT, "%6s %7s | %6s %6s %7s | %7s %6s %6s | %7s %6s %6s | %8s %8s%n", "noise", "changed",
                "train", "test", "resid", "ridge", "train", "test", "time", "train", "test", "interp", "Bayes-c");
        for (InterpolationStudy.NoiseRow row : r.rows()) {
            out.printf(Locale.ROOT, "%6.3f %7d | %6.4f %6.4f %7.1e | %7.0e %6.4f %6.4f | %7.0e %6.4f %6.4f | %8.4f %8.4f%n",
                    row.noise(), row.changed(), row.interpolant().train(), row.interpolant().test(), row.residual(),
                    row.chosenRidge(), row.ridge().train(), row.ridge().test(), row.chosenTime(),
                    row.earlyStopping().train(), row.earlyStopping().test(), row.interpolantNoisyTestError(),
                    row.bayesConsistent());
        }
        out.println("train/test: accuracies (test labels clean); resid: max|Y - K alpha|/max|Y|; noisy test error: the "
                + "interpolant's error on test labels with the same noise, beside Belkin's Bayes-consistent e(k-1)/k + (1-e)P");
        out.printf(Locale.ROOT, "%.1f s%n", t.seconds());
        for (InterpolationStudy.NoiseRow row : r.rows()) {
            if (!row.interpolates()) {
                spec.commandLine().getErr().println("note: at noise " + row.noise() + " the interpolant is not determined "
                        + "(numerically singular Gram matrix, residual " + sci(row.residual()) + ")");
            }
        }
    }

    private static Map<String, Object> scores(InterpolationStudy.Scores s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_accuracy", s.train());
        m.put("test_accuracy", s.test());
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "inf";
    }

    private void norms(double[] eps) {
        double[] raw = CliSupport.vector("--norm-sizes", normSizes);
        int[] sizes = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != Math.rint(raw[i]) || raw[i] < 2 || raw[i] > 100_000) {
                throw Messages.badOption("--norm-sizes", "sizes must be whole numbers from 2 to 100000, got " + raw[i]);
            }
            sizes[i] = (int) raw[i];
            if (i > 0 && sizes[i] <= sizes[i - 1]) {
                throw Messages.badOption("--norm-sizes", "sizes must increase, got " + normSizes);
            }
        }
        int max = sizes[sizes.length - 1];
        if (testData != null) {
            throw Messages.badOption("--norm-sizes", "takes its nested subsets from --data alone: drop --test-data");
        }
        Sets s = sets(max);
        int d = s.train().x()[0].length;
        int th = threads.orProcessors();
        Network ntkNet = network.network();
        Network erfNet = Network.fullyConnected(Erf.standard(), 2, 1.4, 0.1);
        double ell = lengthScale != null ? lengthScale : Math.sqrt(d);
        String ellText = String.format(Locale.ROOT, "%.3g", ell);
        List<InterpolationStudy.NamedKernel> kernels = List.of(
                new InterpolationStudy.NamedKernel("NTK", NtkRecursion.of(ntkNet).withThreads(th), KernelKind.NTK),
                new InterpolationStudy.NamedKernel("erf NNGP", NtkRecursion.of(erfNet).withThreads(th), KernelKind.NNGP),
                new InterpolationStudy.NamedKernel("Gaussian l=" + ellText, GaussianKernel.withLengthScale(ell), KernelKind.NTK),
                new InterpolationStudy.NamedKernel("Laplace l=" + ellText, LaplaceKernel.withLengthScale(ell), KernelKind.NTK));
        CliSupport.Timed<List<InterpolationStudy.NormSeries>> t = CliSupport.runStudy(spec, "interpolate --norm-sizes",
                InterpolationStudy.normGrowthBytes(max),
                bar -> InterpolationStudy.normGrowth(kernels, s.train(), sizes, eps, seed, bar));
        if (plot != null) {
            InterpolationPlots.normGrowth(t.result(), plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.csv) {
            // one row per kernel and size; the norm and condition number empty where the Gram matrix is
            // numerically singular (JSON's null), the slope repeated on each of its kernel's rows
            CliSupport.csv(out, "kernel", "noise", "n", "rkhs_norm_squared", "condition_number", "relative_residual",
                    "log_log_slope", "log_log_slope_95_lo", "log_log_slope_95_hi");
            for (InterpolationStudy.NormSeries ns : t.result()) {
                io.github.ntk4j.math.RateFit f = ns.slope();
                for (int i = 0; i < sizes.length; i++) {
                    CliSupport.csv(out, ns.kernel(), ns.noise(), sizes[i], finite(ns.normSquared()[i]),
                            finite(ns.condition()[i]), finite(ns.residual()[i]), f == null ? null : f.slope(),
                            f == null ? null : f.lower(), f == null ? null : f.upper());
                }
            }
            out.flush();
            return;
        }
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("data", s.source());
            o.put("sizes", sizes);
            List<Object> series = new ArrayList<>();
            for (InterpolationStudy.NormSeries ns : t.result()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kernel", ns.kernel());
                m.put("noise", ns.noise());
                List<Object> norms = new ArrayList<>();
                List<Object> conds = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    norms.add(finite(ns.normSquared()[i]));
                    conds.add(finite(ns.condition()[i]));
                }
                m.put("rkhs_norm_squared", norms);
                m.put("condition_number", conds);
                m.put("relative_residual", ns.residual());
                io.github.ntk4j.math.RateFit f = ns.slope();
                m.put("log_log_slope", f == null ? null : f.slope());
                m.put("log_log_slope_95", f == null ? null : new double[] {f.lower(), f.upper()});
                series.add(m);
            }
            o.put("series", series);
            o.put("seed", seed);
            o.put("seconds", t.seconds());
            CliSupport.json(out, o);
            return;
        }
        out.println(s.source() + "; nested subsets, features standardised on the largest");
        out.println("kernels: NTK of " + ntkNet.spec() + "; erf NNGP of " + erfNet.spec() + "; Gaussian exp(-|x-y|^2/(2 l^2)) "
                + "and Laplace exp(-|x-y|/l) with l = " + ellText);
        out.println("squared RKHS norm y^T K^-1 y of the interpolant of the one-hot labels (condition number of K in "
                + "brackets; 'singular': the Gram matrix is numerically singular, no norm is determined); slope: of "
                + "log norm against log n, least squares, 95% interval");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s %6s", "kernel", "noise"));
        for (int n : sizes) {
            head.append(String.format(Locale.ROOT, " %21s", "n = " + n));
        }
        head.append("   slope [95%]");
        out.println(head);
        for (InterpolationStudy.NormSeries ns : t.result()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s %6.3f", ns.kernel(),
                    ns.noise()));
            for (int i = 0; i < sizes.length; i++) {
                String v = Double.isFinite(ns.normSquared()[i]) ? String.format(Locale.ROOT, "%.3e", ns.normSquared()[i])
                        : "singular";
                line.append(String.format(Locale.ROOT, " %21s", v + " [" + String.format(Locale.ROOT, "%.0e",
                        ns.condition()[i]) + "]"));
            }
            io.github.ntk4j.math.RateFit f = ns.slope();
            line.append(f == null ? "   -" : String.format(Locale.ROOT, "   %.2f [%.2f, %.2f]", f.slope(), f.lower(),
                    f.upper()));
            out.println(line);
        }
        out.printf(Locale.ROOT, "%.1f s%n", t.seconds());
    }
}
