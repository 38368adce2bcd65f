package io.github.ntk4j.cli;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.learn.GaussianProcessPredictor;
import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.learn.Prediction;
import io.github.ntk4j.learn.TrainingResidual;
import io.github.ntk4j.net.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ntk4j predict}: mean and variance on test inputs of the infinite-width network trained
 * by gradient flow on the squared loss (or of the NNGP posterior), plus the training residual.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predictions of the infinite ensemble of infinite-width networks trained by gradient flow on "
                + "the squared loss 1/2 |f(X) - Y|^2 (zero-mean random initialisation), at time t or t = inf, "
                + "or of exact NNGP Bayesian inference (--mode gp).",
                "Prints the mean and variance per test input and the training residual f_t(X) - Y, whose component "
                + "along eigenvector i of the training kernel decays like exp(-lr * lambda_i * t)."})
final class PredictCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "X.csv",
            description = "Training inputs, one per row (CSV, or an IDX file of images read as they are).")
    Path train;

    @Option(names = "--targets", required = true, paramLabel = "Y.csv",
            description = "Training targets, one row per training input (one column per output; an idx1 file of "
                    + "labels: one column of the label numbers).")
    Path targets;

    @Option(names = "--test", required = true, paramLabel = "Xs.csv", description = "Test inputs, one per row.")
    Path test;

    @Option(names = "--time", paramLabel = "t|inf", defaultValue = "inf", converter = TimeConverter.class,
            description = "Training time t >= 0, or inf for the trained-to-convergence network (default: ${DEFAULT-VALUE}).")
    double time;

    @Option(names = "--lr", paramLabel = "ETA", defaultValue = "1", description = "Learning rate eta > 0 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--diag-reg", paramLabel = "R", defaultValue = "0",
            description = "Added to the diagonal of the training kernel (absolute; in gp mode the noise variance). "
                    + "Default: ${DEFAULT-VALUE}.")
    double diagReg;

    /** What is trained, or exact inference. */
    enum Mode { ntk, nngp, gp }

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "ntk",
            description = "ntk: the whole network trained (NTK dynamics, NNGP initialisation); nngp: the readout only "
                    + "(at t = inf this is the NNGP posterior); gp: exact NNGP Bayesian inference by Cholesky "
                    + "(t = inf only). Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, or csv (one row per test input: means, then the variance; the residual as a "
                    + "# comment). Default: ${DEFAULT-VALUE}.")
    Formats.TextJsonCsv format;

    @Option(names = "--directions", paramLabel = "N",
            description = "How many eigen-directions of the residual to list (text; json lists all when N > 0). "
                    + "Default: 10 at finite time, 0 at t = inf, where they would cost an eigendecomposition that the "
                    + "prediction (a Cholesky solve) does not need.")
    Integer directions;

    @Option(names = "--solver", paramLabel = "SOLVER", defaultValue = "dense",
            description = "dense: the N×N kernel matrices (Cholesky at t = inf, eigendecomposition at finite t); falkon: "
                    + "the matrix-free FALKON solver for large N (t = inf, ntk or nngp mode, --diag-reg > 0, means "
                    + "only; memory O(M^2 + N d)). Default: ${DEFAULT-VALUE}.")
    void solver(String s) { // case-insensitive, as the enum-valued options are
        solver = s.strip().toLowerCase(java.util.Locale.ROOT);
    }

    String solver;

    @Option(names = "--centres", paramLabel = "M",
            description = "falkon: Nystrom centres drawn from the training inputs (default: min(N, 2000)).")
    Integer centres;

    @Option(names = "--iterations", paramLabel = "I", defaultValue = "100",
            description = "falkon: conjugate-gradient iterations at most (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-7",
            description = "falkon: stop when the preconditioned residual has fallen by this factor (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "falkon: seed of the centre draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preprocess", paramLabel = "MAP",
            description = "Map the training and test inputs before the kernel, fitted on the training inputs: standardise "
                    + "(per feature, the training inputs' mean and sd), sphere (per row: centred by its own mean, scaled "
                    + "to norm sqrt(d)) or sqrt-sphere (each feature's signed square root, then sphere); as classify's "
                    + "--preprocess. Default: none, the inputs as they are.")
    void preprocess(String s) {
        preprocess = io.github.ntk4j.learn.Preprocessing.Kind.parse(s);
    }

    io.github.ntk4j.learn.Preprocessing.Kind preprocess;

    @Mixin
    ThreadsOption threads;

    @Mixin
    NetworkOptions network;

    @Mixin
    EngineOptions engineOptions;

    @Override
    public void run() {
        if (engineOptions.spark()) {
            engineOptions.runOnSpark(spec);
            return;
        }
        String m = mode.name();
        double t = time;
        if (m.equals("gp") && t != Double.POSITIVE_INFINITY) {
            throw Messages.invalid("--mode gp is Bayesian inference, the t = inf limit: leave out --time or use --mode nngp");
        }
        if (directions != null && directions < 0) {
            throw Messages.tooSmall("--directions", directions, 0);
        }
        int shownDirections = directions != null ? directions : t == Double.POSITIVE_INFINITY ? 0 : 10;
        boolean falkon = solver.equals("falkon");
        if (!falkon && !solver.equals("dense")) {
            throw Messages.badChoice("--solver", solver, "dense or falkon");
        }
        if (falkon && (m.equals("gp") || t != Double.POSITIVE_INFINITY || !(diagReg > 0))) {
            throw Messages.invalid("--solver falkon solves the t = inf problem in ntk or nngp mode and needs --diag-reg > 0");
        }
        Network net = network.network();
        NtkRecursion engine = NtkRecursion.of(net);
        if (threads.given() != null) {
            engine = engine.withThreads(threads.given());
        }
        double[][] x = io.github.ntk4j.io.LabelledData.readMatrix(train);
        double[][] y = io.github.ntk4j.io.LabelledData.readMatrix(targets);
        double[][] xs = io.github.ntk4j.io.LabelledData.readMatrix(test);
        if (y.length != x.length) {
            throw Messages.dimensionMismatch(targets + " (rows)", y.length, train + " (rows)", x.length);
        }
        if (xs[0].length != x[0].length) {
            throw Messages.dimensionMismatch(test + " (columns)", xs[0].length, train + " (columns)", x[0].length);
        }
        if (preprocess != null) {
            io.github.ntk4j.learn.Preprocessing map = io.github.ntk4j.learn.Preprocessing.fit(preprocess, x);
            x = map.apply(x);
            xs = map.apply(xs);
        }
        // training and prediction are refused up front when they cannot fit together, by the
        // estimate of the path that will run: FALKON's centres and slices, or the dense matrices
        int mc = centres != null ? centres : Math.min(x.length, 2000);
        if (falkon) {
            io.github.ntk4j.internal.MemoryCheck.require("predict --solver falkon on " + x.length + " training and "
                    + xs.length + " test inputs with " + mc + " centres", FalkonRegressor.bytesNeeded(x.length, xs.length,
                            Math.max(1, Math.min(mc, x.length)), y[0].length));
        } else {
            // gp mode: the NNGP kernel and its Cholesky factor, as the nngp mode at t = inf
            GradientFlowPredictor.requireMemory(x.length, xs.length, y[0].length,
                    m.equals("gp") ? KernelKind.NNGP : KernelKind.parse(m), t, true, shownDirections > 0);
        }
        Prediction p;
        double[][] residual;
        double residualRms = Double.NaN;
        TrainingResidual directionsOf = null;
        try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "kernels")) {
            engine = engine.withProgress(bar);
            if (falkon) {
                FalkonRegressor f = FalkonRegressor.fit(engine, KernelKind.parse(m), x, y, FalkonRegressor.Options.ridge(diagReg)
                        .withCentres(mc).withIterations(iterations).withTolerance(tolerance).withSeed(seed).withProgress(bar));
                p = new Prediction(f.predict(xs), null, t);
                java.util.OptionalDouble known = f.trainingResidualRms();
                if (format != Formats.TextJsonCsv.json && known.isPresent()) {
                    residual = null; // only its rms is printed, and the fit knows it: no second kernel pass
                    residualRms = known.getAsDouble();
                } else {
                    residual = f.predict(x);
                    for (int i = 0; i < residual.length; i++) {
                        for (int c = 0; c < residual[i].length; c++) {
                            residual[i][c] -= y[i][c];
                        }
                    }
                }
                spec.commandLine().getErr().println("falkon: " + mc + " centres, " + (f.solvedDirectly()
                        ? "solved directly (Cholesky), estimated relative error "
                        : f.iterations() + " conjugate-gradient iterations, relative residual ")
                        + CliSupport.num(f.relativeResidual()));
            } else if (m.equals("gp")) {
                GaussianProcessPredictor gp = GaussianProcessPredictor.train(engine, KernelKind.NNGP, x, y, diagReg);
                p = gp.predict(xs, true);
                residual = gp.trainingResidual();
            } else {
                GradientFlowPredictor gf = GradientFlowPredictor.train(engine, KernelKind.parse(m), x, y, lr, diagReg);
                p = gf.predict(xs, t, true);
                if (shownDirections > 0) {
                    directionsOf = gf.residual(t);
                    residual = directionsOf.residual();
                } else {
                    residual = gf.residualValues(t);
                }
            }
        } catch (InvalidInputException e) {
            throw CliSupport.hint(CliSupport.hint(e, "a diagonal regulariser", "--diag-reg"), "the matrix-free FALKON solver",
                    "--solver falkon --centres M");
        }
        print(net, m, t, x, y, p, residual, residual != null ? TrainingResidual.rms(residual) : residualRms, directionsOf,
                shownDirections);
    }

    /** Parses {@code --time}: a number t >= 0, or inf (infinity). */
    static final class TimeConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (v.equals("inf") || v.equals("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            double t;
            try {
                t = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                t = Double.NaN;
            }
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new CommandLine.TypeConversionException("must be a number >= 0 or inf, got '" + s + "'");
            }
            return t;
        }
    }

    private void print(Network net, String m, double t, double[][] x, double[][] y, Prediction p, double[][] residual,
            double residualRms, TrainingResidual dir, int directions) {
        PrintWriter out = spec.commandLine().getOut();
        String timeText = t == Double.POSITIVE_INFINITY ? "inf" : CliSupport.num(t);
        int k = y[0].length;
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("network", net.spec());
            o.put("mode", m);
            o.put("solver", solver);
            o.put("preprocess", preprocess == null ? "none" : preprocess.label());
            o.put("time", t == Double.POSITIVE_INFINITY ? "inf" : (Object) t);
            o.put("lr", lr);
            o.put("diag_reg", diagReg);
            o.put("mean", p.mean());
            o.put("variance", p.variance());
            o.put("train_residual_rms", residualRms);
            o.put("train_residual", residual);
            if (dir != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("eigenvalue", dir.eigenvalues());
                d.put("decay", dir.factors());
                d.put("target_coefficient", dir.targetCoefficients());
                o.put("directions", d);
            }
            CliSupport.json(out, o);
            return;
        }
        if (format == Formats.TextJsonCsv.csv) {
            int cols = p.variance() == null ? k : k + 1;
            double[][] rows = new double[p.mean().length][cols];
            for (int j = 0; j < rows.length; j++) {
                System.arraycopy(p.mean()[j], 0, rows[j], 0, k);
                if (cols > k) {
                    rows[j][k] = p.variance()[j];
                }
            }
            try {
                Csv.write(out, rows);
            } catch (IOException e) {
                throw Messages.writeFailed("standard output", String.valueOf(e.getMessage()));
            }
            out.println("# train residual rms " + CliSupport.num(residualRms) + " at t = " + timeText);
            out.flush();
            return;
        }
        out.println("network   " + net.spec());
        out.println("mode      " + switch (m) {
            case "ntk" -> "ntk: gradient flow of the whole network (NTK), NNGP initialisation";
            case "nngp" -> "nngp: gradient flow of the readout layer only (NNGP kernel)";
            default -> "gp: NNGP Bayesian inference (Gaussian-process posterior)";
        });
        out.println("time      " + timeText + (m.equals("gp") ? "" : "   lr " + CliSupport.num(lr)) + "   diag-reg "
                + CliSupport.num(diagReg));
        if (solver.equals("falkon")) {
            out.println("solver    falkon (matrix-free Nystrom kernel ridge regression; no variances)");
        }
        out.println("train     " + x.length + " inputs of dimension " + x[0].length + ", " + k + " output" + (k > 1 ? "s" : ""));
        out.println();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%6s", "test"));
        for (int c = 0; c < k; c++) {
            head.append(String.format(Locale.ROOT, "  %-24s", k == 1 ? "mean" : "mean[" + (c + 1) + "]"));
        }
        head.append("  variance");
        out.println(head);
        for (int j = 0; j < p.mean().length; j++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", j + 1));
            for (int c = 0; c < k; c++) {
                row.append(String.format(Locale.ROOT, "  %-24s", CliSupport.num(p.mean()[j][c])));
            }
            row.append("  ").append(p.variance() == null ? "-" : CliSupport.num(p.variance()[j]));
            out.println(row);
        }
        out.println();
        out.println("training residual f_t(X) - Y: rms " + CliSupport.num(residualRms) + " (targets rms "
                + CliSupport.num(TrainingResidual.rms(y)) + ")");
        if (dir != null && directions > 0) {
            out.println("per eigen-direction i of the training kernel: residual_i = decay_i * (v_i . Y), "
                    + "decay_i = exp(-lr lambda_i t)" + (diagReg > 0 ? " + r (1 - exp(-lr lambda_i t))/lambda_i" : ""));
            out.println(String.format(Locale.ROOT, "%6s  %-12s  %-12s  %-12s  %s", "i", "lambda_i", "decay_i", "|v_i . Y|",
                    "|residual_i|"));
            int shown = Math.min(directions, dir.eigenvalues().length);
            for (int i = 0; i < shown; i++) {
                double c = 0;
                for (double v : dir.targetCoefficients()[i]) {
                    c += v * v;
                }
                c = Math.sqrt(c);
                out.println(String.format(Locale.ROOT, "%6d  %-12.5e  %-12.5e  %-12.5e  %.5e", i + 1, dir.eigenvalues()[i],
                        dir.factors()[i], c, c * dir.factors()[i]));
            }
            if (shown < dir.eigenvalues().length) {
                out.println("   ... " + (dir.eigenvalues().length - shown) + " more (--directions N, or --format json)");
            }
        }
        out.flush();
    }
}
