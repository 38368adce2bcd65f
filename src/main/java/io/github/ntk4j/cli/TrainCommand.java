package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.plot.Plots;
import io.github.ntk4j.study.LazyTrainingStudy;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntk4j train}: lazy training checked at finite width (see {@link LazyTrainingStudy}). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains finite networks (the Monte Carlo networks of verify/empirical, same seeds) by full-batch "
                + "gradient descent on L = 1/2 |f(X) - Y|^2 and reports, per width, the relative change of the "
                + "weights (all and per layer) and of the empirical NTK, and the RMS distance of the test predictions "
                + "to the infinite-width linearised prediction from the same initial outputs (exact discrete-step "
                + "form), with log-log slopes whose intervals come from the networks' standard errors (family-wise "
                + "level 0.05 over the checks).",
            "Default: " + LazyTrainingStudy.DEFAULT_ACTIVATION + " network, depth " + LazyTrainingStudy.DEFAULT_DEPTH
                + ", W_std " + LazyTrainingStudy.DEFAULT_W_STD + ", b_std " + LazyTrainingStudy.DEFAULT_B_STD + "; "
                + LazyTrainingStudy.DEFAULT_TRAIN + " training points on the unit circle, y = sin(2a) + 0.5 cos(3a), "
                + LazyTrainingStudy.DEFAULT_TEST + " test points between them; widths 64..2048, "
                + LazyTrainingStudy.DEFAULT_STEPS + " steps, lr = 1/lambda_max(Theta), "
                + LazyTrainingStudy.DEFAULT_SEEDS + " networks per width.",
            "Exit code 0 PASS, 1 FAIL, 3 INCONCLUSIVE (too few networks or widths to decide), 2 bad input."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--widths", split = ",", paramLabel = "M",
            description = "Widths (at least 3 distinct; default: 64,128,...,2048).")
    int[] widths;

    @Option(names = "--steps", paramLabel = "S", description = "Gradient-descent steps (default: "
            + LazyTrainingStudy.DEFAULT_STEPS + ").")
    Integer steps;

    @Option(names = "--lr", paramLabel = "ETA", description = "Learning rate (default: 1/lambda_max of the analytic "
            + "NTK Gram matrix of the training set, half the stability limit).")
    Double lr;

    @Option(names = "--seeds", paramLabel = "S", description = "Networks per width, >= 2 (default: "
            + LazyTrainingStudy.DEFAULT_SEEDS + ").")
    Integer seeds;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0",
            description = "Seed of the run; the same seed reproduces it exactly (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--train", paramLabel = "XY.csv", description = "Training set instead of the default: one row "
            + "per point, the inputs then the target in the last column (needs --test).")
    Path train;

    @Option(names = "--test", paramLabel = "X.csv", description = "Test inputs, one per row (with --train).")
    Path test;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table), json or csv (default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the measured quantities against width "
            + "(log-log) with their fits and an m^(-1/2) guide to FILE.png or FILE.svg.")
    Path plot;

    @Option(names = "--against", paramLabel = "SPEC", description = "Negative control: predict the trained "
            + "networks by the linearised model with the analytic NTK of this network instead (a mismatch must not "
            + "pass).")
    String against;

    @Option(names = "--init", paramLabel = "WEIGHTS.json", description = "Train one network from these raw parameters "
            + "(the weights format of docs/PATH-KERNEL.md; its width comes from the file) instead of the width study.")
    Path init;

    @Option(names = "--save-weights", paramLabel = "WEIGHTS.json", description = "Train one network (from --init, or "
            + "train's network 0 of width --width, default 256) instead of the width study and write its trained "
            + "parameters in the same format.")
    Path saveWeights;

    @Mixin
    NetworkOptions network;

    @Override
    public Integer call() {
        if (plot != null) {
            CliSupport.forOption("--plot", () -> Plots.vectorFormat(plot)); // refuse a bad file name before the study runs
        }
        LazyTrainingStudy study = LazyTrainingStudy.defaults(network.given() ? network() : null);
        if ((train == null) != (test == null)) {
            throw Messages.optionsTogether("--train", "--test");
        }
        if (train != null) {
            double[][] xy = Csv.read(train);
            if (xy[0].length < 2) {
                throw Messages.invalid("--train needs at least two columns (inputs, then the target), got "
                        + xy[0].length);
            }
            int d = xy[0].length - 1;
            double[][] x = new double[xy.length][d];
            double[][] y = new double[xy.length][1];
            for (int i = 0; i < xy.length; i++) {
                System.arraycopy(xy[i], 0, x[i], 0, d);
                y[i][0] = xy[i][d];
            }
            study = study.withData(x, y, Csv.read(test));
        }
        if (against != null) {
            study = study.withReference(NetworkSpec.parse(against));
        }
        if (widths != null) {
            study = study.withWidths(widths);
        }
        if (steps != null) {
            study = study.withSteps(steps);
        }
        if (lr != null) {
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw Messages.notPositive("--lr", lr);
            }
            study = study.withLearningRate(lr);
        }
        if (seeds != null) {
            study = study.withSeeds(seeds);
        }
        if (threads.given() != null) {
            study = study.withThreads(threads.given());
        }
        study = study.withSeed(seed);
        PrintWriter out = spec.commandLine().getOut();
        if (init != null || saveWeights != null) {
            return TrainWeights.run(spec, study, lr, seed, init, saveWeights, network.width(), format);
        }
        final var configured = study;
        CliSupport.Timed<LazyTrainingStudy.Report> run = CliSupport.runStudy(spec, "train", configured.bytesNeeded(),
                progress -> configured.withProgress(progress).run());
        LazyTrainingStudy.Report report = run.result();
        double seconds = run.seconds();
        switch (format) {
            case json:
                CliSupport.json(out, json(report, study, seconds));
                break;
            case csv:
                csv(out, report);
                break;
            default:
                text(out, report, study, seconds);
        }
        if (plot != null) {
            Plots.lazyTraining(report, plot);
        }
        return VerifyCommand.exitCode(report.verdict());
    }

    /** The network options with train's own defaults for the values not given. */
    private Network network() {
        return network.network(LazyTrainingStudy.DEFAULT_ACTIVATION, LazyTrainingStudy.DEFAULT_DEPTH,
                LazyTrainingStudy.DEFAULT_W_STD, LazyTrainingStudy.DEFAULT_B_STD);
    }

    private static String key(LazyTrainingStudy.Check c) {
        return LazyTrainingStudy.Report.key(c);
    }

    private static Map<String, Object> json(LazyTrainingStudy.Report r, LazyTrainingStudy study, double seconds) {
        Map<String, Object> lib = r.toMap();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", lib.remove("verdict"));
        m.put("pass", lib.remove("pass"));
        m.put("network", study.network().spec());
        if (study.reference() != study.network()) {
            m.put("against", study.reference().spec());
        }
        m.putAll(lib);
        m.put("seconds", seconds);
        return m;
    }

    private static void csv(PrintWriter out, LazyTrainingStudy.Report r) {
        out.println("quantity,width,mean,stderr,slope,slope_ci_lo,slope_ci_hi,slope_ci_level,expected_slope,rule,verdict,"
                + "pass");
        for (LazyTrainingStudy.Check c : r.checks()) {
            for (int i = 0; i < r.widths().length; i++) {
                out.println(String.join(",", key(c), Integer.toString(r.widths()[i]), Double.toString(c.mean()[i]),
                        Double.toString(c.stderr()[i]), Double.toString(c.fit().slope()),
                        Double.toString(c.fit().lower()), Double.toString(c.fit().upper()),
                        Double.toString(c.fit().confidence()), Double.toString(c.expectedSlope()),
                        c.rule().name().toLowerCase(Locale.ROOT), c.verdict().name(), Boolean.toString(c.pass())));
            }
        }
        out.flush();
    }

    private static void text(PrintWriter out, LazyTrainingStudy.Report r, LazyTrainingStudy study, double seconds) {
        out.printf(Locale.ROOT, "train: %s, %d training inputs, %d steps of lr %.4g (time %.3g), %d networks per width, "
                + "seed %d, %.1f s%n", study.network().spec(), study.trainInputs().length, r.steps(), r.learningRate(),
                r.learningRate() * r.steps(), r.seeds(), r.seed(), seconds);
        if (study.reference() != study.network()) {
            out.println("linearised predictions with the analytic NTK of " + study.reference().spec()
                    + " (negative control)");
        }
        out.print(r.toText());
        out.flush();
    }
}
