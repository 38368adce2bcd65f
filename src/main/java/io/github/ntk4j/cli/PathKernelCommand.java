package io.github.ntk4j.cli;

import io.github.ntk4j.finite.NetworkWeights;
import io.github.ntk4j.finite.PathKernel;
import io.github.ntk4j.finite.TrainableNetwork;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.plot.Plots;
import io.github.ntk4j.study.LazyTrainingStudy;
import io.github.ntk4j.study.PathKernelStudy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ntk4j pathkernel}: the trained network as a kernel machine (see {@link PathKernel}, {@link PathKernelStudy}). */
@Command(name = "pathkernel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains one finite network by full-batch gradient descent on L = 1/2 |f(X) - Y|^2 (as train) and "
                + "writes it as the kernel machine f(x; w_T) = sum_i a_i(x) K^p(x, x_i) + b(x) with Domingos' path kernel "
                + "K^p = eta sum_t K_t, K_t(x, x') = (integral over the step of grad f(x)) . grad f(x'), exact to "
                + "rounding (Gauss-Legendre along each step, split at ReLU kinks); beside it the naive path kernel "
                + "(the tangent kernel at each step's start) and the distances of K^p/(eta T) to the analytic and "
                + "empirical NTKs.",
            "Default: train's network (erf, depth 1, W_std 1.4, b_std 0.1) and data (16 points on the unit circle, "
                + "16 test points between them), width 256, 30 steps, lr = 1/lambda_max of the analytic NTK.",
            "Exit code 0 success (the kernel machine matches the network to 1e-10), 1 it does not, 2 bad input."})
final class PathKernelCommand implements Callable<Integer> {
    /** Default hidden width. */
    static final int DEFAULT_WIDTH = 256;
    /** The gap the exact path kernel must stay under. */
    static final double GAP_GOAL = 1e-10;

    @Spec
    CommandSpec spec;

    @Option(names = "--train", paramLabel = "X.csv", description = "Training inputs, one per row (with --targets and --test).")
    Path train;

    @Option(names = "--targets", paramLabel = "Y.csv", description = "Training targets, one column.")
    Path targets;

    @Option(names = "--test", paramLabel = "Xs.csv", description = "Test inputs, one per row.")
    Path test;

    @Option(names = "--steps", paramLabel = "T", defaultValue = "30",
            description = "Gradient-descent steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", paramLabel = "ETA", description = "Learning rate (default: 1/lambda_max of the analytic NTK "
            + "Gram matrix of the training set).")
    Double lr;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the network (as train's network 0 of that width; default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "WEIGHTS.json", description = "Start from these raw parameters "
            + "(docs/PATH-KERNEL.md, format {\"parameterization\": ..., \"layers\": [{\"W\": [[...]], \"b\": [...]}]}) "
            + "instead of a seeded initialisation; the width comes from the file.")
    Path init;

    @Option(names = "--save-weights", paramLabel = "WEIGHTS.json", description = "Write the trained parameters (at "
            + "w_T) in the same format.")
    Path saveWeights;

    @Option(names = "--nodes", paramLabel = "Q", defaultValue = "" + PathKernel.DEFAULT_NODES,
            description = "Gauss-Legendre nodes per segment (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or csv (one row per test input: f(x; w_0), f(x; w_T), the kernel machines and "
                    + "their relative gaps; default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also run the width sweep (--widths, --seeds), the "
            + "learning-rate sweep (eta/2^k, T*2^k) and the time sweep (T*2^k) and draw the distances against width "
            + "(log-log), the gaps against eta and the distances against eta T "
            + "against eta to FILE.png (three panels) or FILE.svg.")
    Path plot;

    @Option(names = "--widths", split = ",", paramLabel = "M", description = "Widths of the --plot sweep (default: "
            + "64,128,256,512,1024).")
    int[] widths;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "" + PathKernelStudy.DEFAULT_SEEDS,
            description = "Networks per width in the --plot sweep (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Mixin
    NetworkOptions network;

    @Override
    public Integer call() {
        if (plot != null) {
            CliSupport.forOption("--plot", () -> Plots.vectorFormat(plot));
        }
        if (saveWeights != null) {
            CliSupport.forOption("--save-weights", () -> {
                AtomicFile.checkWritable(saveWeights);
                return null;
            });
        }
        Network net = network.given() ? network.network(LazyTrainingStudy.DEFAULT_ACTIVATION, LazyTrainingStudy.DEFAULT_DEPTH,
                LazyTrainingStudy.DEFAULT_W_STD, LazyTrainingStudy.DEFAULT_B_STD) : null;
        double[][] x = null;
        double[][] y = null;
        double[][] xs = null;
        if (train != null || targets != null || test != null) {
            if (train == null || targets == null || test == null) {
                throw Messages.invalid("--train, --targets and --test go together");
            }
            x = Csv.read(train);
            y = Csv.read(targets);
            xs = Csv.read(test);
            if (y.length != x.length) {
                throw Messages.dimensionMismatch(targets + " (rows)", y.length, train + " (rows)", x.length);
            }
        }
        if (lr != null && (!(lr > 0) || !Double.isFinite(lr))) {
            throw Messages.notPositive("--lr", lr);
        }
        PathKernelStudy study = PathKernelStudy.of(net, x, y, xs, steps, lr == null ? Double.NaN : lr, seed);
        Network used = study.network();
        TrainableNetwork trainable;
        int width;
        if (init != null) {
            trainable = TrainableNetwork.fromWeights(used, NetworkWeights.read(init), study.trainInputs()[0].length);
            width = trainable.shape(trainable.denseLayers()[0])[1];
            if (network.width() != null && network.width() != width) {
                throw Messages.badOption("--width", network.width() + " does not match the width " + width + " of " + init);
            }
        } else {
            width = network.width() != null ? network.width() : DEFAULT_WIDTH;
            trainable = study.network(width, 0);
        }
        PathKernel pk = CliSupport.forOption("--nodes", () -> study.pathKernel().withNodes(nodes));
        long bytes = pk.bytesNeeded(used, width);
        MemoryCheck.require("pathkernel", bytes);
        if (plot != null) {
            for (int w : widths != null ? widths : PathKernelStudy.DEFAULT_WIDTHS) {
                if (w < 1) {
                    throw Messages.tooSmall("--widths", w, 1);
                }
                MemoryCheck.require("pathkernel --plot at width " + w, pk.bytesNeeded(used, w));
            }
        }
        final TrainableNetwork t = trainable;
        CliSupport.Timed<PathKernel.Result> run = CliSupport.runStudy(spec, "pathkernel", bytes,
                progress -> pk.withProgress(progress).run(t));
        PathKernel.Result r = run.result();
        PathKernelStudy.Distances d = study.distances(r);
        if (saveWeights != null) {
            trainable.weights().write(saveWeights);
        }
        PathKernelStudy.WidthSweep sweep = null;
        PathKernelStudy.RatePoint[] rates = null;
        PathKernelStudy.TimePoint[] times = null;
        if (plot != null) {
            int[] ws = widths != null ? widths : PathKernelStudy.DEFAULT_WIDTHS;
            try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "pathkernel sweep")) {
                sweep = study.withProgress(bar).widthSweep(ws, seeds);
                rates = study.withProgress(bar).learningRateSweep(width, 4);
                times = study.withProgress(bar).timeSweep(width, 4);
            }
            Plots.pathKernel(sweep, rates, times, plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.json) {
            CliSupport.json(out, json(r, d, study, width, sweep, rates, times, run.seconds()));
        } else if (format == Formats.TextJsonCsv.csv) {
            csv(out, r);
        } else {
            text(out, r, d, study, width, sweep, rates, times, run.seconds());
        }
        return r.maxRelativeGap() <= GAP_GOAL ? 0 : 1;
    }

    private static Map<String, Object> json(PathKernel.Result r, PathKernelStudy.Distances d, PathKernelStudy study,
            int width, PathKernelStudy.WidthSweep sweep, PathKernelStudy.RatePoint[] rates, PathKernelStudy.TimePoint[] times,
            double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", study.network().spec());
        m.put("width", width);
        m.put("steps", r.steps());
        m.put("learning_rate", r.learningRate());
        m.put("time", r.time());
        m.put("network_output", r.testOutput());
        m.put("kernel_machine_output", r.testMachine());
        m.put("naive_kernel_machine_output", r.testNaiveMachine());
        m.put("max_relative_gap", r.maxRelativeGap());
        m.put("naive_max_relative_gap", r.naiveMaxRelativeGap());
        m.put("rms_relative_gap", r.rmsRelativeGap());
        m.put("naive_rms_relative_gap", r.naiveRmsRelativeGap());
        m.put("path_kernel", r.testPathKernel());
        m.put("path_kernel_train", r.trainPathKernel());
        m.put("naive_path_kernel", r.testNaivePathKernel());
        List<Object> coef = new ArrayList<>();
        for (int i = 0; i < r.testCoefficients().length; i++) {
            List<Object> row = new ArrayList<>();
            for (int j = 0; j < r.testCoefficients()[i].length; j++) {
                row.add(r.testCoefficientDefined()[i][j] ? r.testCoefficients()[i][j] : null);
            }
            coef.add(row);
        }
        m.put("coefficients", coef);
        m.put("undefined_coefficients", r.undefinedCoefficients());
        m.put("bias", r.testBias());
        Map<String, Object> dist = new LinkedHashMap<>();
        dist.put("analytic_ntk_train", d.toAnalytic());
        dist.put("analytic_ntk_test_train", d.testToAnalytic());
        dist.put("empirical_ntk_initial", d.toInitial());
        dist.put("empirical_ntk_final", d.toFinal());
        m.put("ntk_distance", dist);
        m.put("gradient_flow_prediction", d.flowPrediction());
        m.put("prediction_rms_to_gradient_flow", d.predictionToFlow());
        m.put("losses", r.losses());
        m.put("segments", r.segments());
        m.put("kink_splits", r.kinkSplits());
        m.put("max_step_residual", r.maxStepResidual());
        if (sweep != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("widths", sweep.widths());
            s.put("seeds", sweep.seeds());
            List<Object> qs = new ArrayList<>();
            for (int k = 0; k < sweep.fits().length; k++) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("quantity", PathKernelStudy.WidthSweep.QUANTITIES[k]);
                q.put("mean", sweep.distances()[k]);
                q.put("stderr", sweep.stderr()[k]);
                q.put("slope", sweep.fits()[k].slope());
                q.put("slope_ci", new double[] {sweep.fits()[k].lower(), sweep.fits()[k].upper()});
                q.put("slope_ci_level", sweep.fits()[k].confidence());
                qs.add(q);
            }
            s.put("distances", qs);
            s.put("max_relative_gap", sweep.gaps());
            m.put("width_sweep", s);
            List<Object> rs = new ArrayList<>();
            for (PathKernelStudy.RatePoint p : rates) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("learning_rate", p.learningRate());
                q.put("steps", p.steps());
                q.put("max_relative_gap", p.gap());
                q.put("naive_max_relative_gap", p.naiveGap());
                q.put("naive_rms_relative_gap", p.naiveRmsGap());
                q.put("analytic_ntk_distance", p.toAnalytic());
                rs.add(q);
            }
            m.put("learning_rate_sweep", rs);
            List<Object> ts = new ArrayList<>();
            for (PathKernelStudy.TimePoint p : times) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("steps", p.steps());
                q.put("time", p.time());
                q.put("max_relative_gap", p.gap());
                q.put("analytic_ntk_distance", p.toAnalytic());
                q.put("empirical_ntk_initial_distance", p.toInitial());
                ts.add(q);
            }
            m.put("time_sweep", ts);
        }
        m.put("seconds", seconds);
        return m;
    }

    /**
     * One row per test input (numbered from 0): the outputs and the two machines' gaps relative to
     * the change |f(x; w_T) − f(x; w_0)| (empty where training did not change the output).
     */
    private static void csv(PrintWriter out, PathKernel.Result r) {
        CliSupport.csv(out, "input", "initial_output", "network_output", "kernel_machine_output",
                "naive_kernel_machine_output", "relative_gap", "naive_relative_gap");
        for (int i = 0; i < r.testOutput().length; i++) {
            double change = Math.abs(r.testOutput()[i] - r.testBias()[i]);
            CliSupport.csv(out, i, r.testBias()[i], r.testOutput()[i], r.testMachine()[i], r.testNaiveMachine()[i],
                    change > 0 ? (Object) (Math.abs(r.testMachine()[i] - r.testOutput()[i]) / change) : null,
                    change > 0 ? (Object) (Math.abs(r.testNaiveMachine()[i] - r.testOutput()[i]) / change) : null);
        }
        out.flush();
    }

    private static void text(PrintWriter out, PathKernel.Result r, PathKernelStudy.Distances d, PathKernelStudy study,
            int width, PathKernelStudy.WidthSweep sweep, PathKernelStudy.RatePoint[] rates, PathKernelStudy.TimePoint[] times,
            double seconds) {
        out.printf(Locale.ROOT, "pathkernel: %s, width %d, %d training inputs, %d steps of lr %.4g (time %.3g), %.1f s%n",
                study.network().spec(), width, study.trainInputs().length, r.steps(), r.learningRate(), r.time(), seconds);
        out.printf(Locale.ROOT, "loss %.6g -> %.6g; %d quadrature segments, %d split where a pre-activation crosses 0, "
                + "largest step residual %.2e%n%n", r.losses()[0], r.losses()[r.steps()], r.segments(), r.kinkSplits(),
                r.maxStepResidual());
        out.printf(Locale.ROOT, "  %-4s %-22s %-22s %-22s %-10s %-10s%n", "x", "b(x) = f(x; w_0)", "f(x; w_T)",
                "kernel machine", "rel gap", "naive gap");
        for (int i = 0; i < r.testOutput().length; i++) {
            double change = Math.abs(r.testOutput()[i] - r.testBias()[i]);
            out.printf(Locale.ROOT, "  %-4d %-22.16g %-22.16g %-22.16g %-10.2e %-10.2e%n", i + 1, r.testBias()[i],
                    r.testOutput()[i], r.testMachine()[i], Math.abs(r.testMachine()[i] - r.testOutput()[i]) / change,
                    Math.abs(r.testNaiveMachine()[i] - r.testOutput()[i]) / change);
        }
        out.println();
        out.printf(Locale.ROOT, "largest relative gap |machine - f(x; w_T)| / |f(x; w_T) - f(x; w_0)| (test and train): "
                + "exact %.3e, naive %.3e; relative to the RMS change: exact %.3e, naive %.3e%n", r.maxRelativeGap(),
                r.naiveMaxRelativeGap(), r.rmsRelativeGap(), r.naiveRmsRelativeGap());
        out.printf(Locale.ROOT, "coefficients a_i(x): %d undefined (sum_t K_t(x, x_i) = 0 to rounding; their terms are "
                + "summed directly)%n", r.undefinedCoefficients());
        out.printf(Locale.ROOT, "relative Frobenius distance of K^p/(eta T) (train x train) to: analytic NTK %.4g, "
                + "empirical NTK at init %.4g, at end %.4g; test x train to analytic %.4g%n", d.toAnalytic(),
                d.toInitial(), d.toFinal(), d.testToAnalytic());
        out.printf(Locale.ROOT, "RMS distance of the predictions to gradient flow with the analytic NTK at time %.3g: "
                + "%.4g%n", r.time(), d.predictionToFlow());
        if (sweep != null) {
            out.println();
            out.printf(Locale.ROOT, "  %-6s", "width");
            for (int k = 0; k < sweep.fits().length; k++) {
                out.printf(Locale.ROOT, " %-12s", new String[] {"vs analytic", "vs init", "vs end", "pred vs flow"}[k]);
            }
            out.printf(Locale.ROOT, " %-10s%n", "max gap");
            for (int w = 0; w < sweep.widths().length; w++) {
                out.printf(Locale.ROOT, "  %-6d", sweep.widths()[w]);
                for (int k = 0; k < sweep.fits().length; k++) {
                    out.printf(Locale.ROOT, " %-12.4g", sweep.distances()[k][w]);
                }
                out.printf(Locale.ROOT, " %-10.2e%n", sweep.gaps()[w]);
            }
            for (int k = 0; k < sweep.fits().length; k++) {
                out.printf(Locale.ROOT, "  %-48s slope %6.3f, %.0f%% CI [%6.3f, %6.3f]%n",
                        PathKernelStudy.WidthSweep.QUANTITIES[k], sweep.fits()[k].slope(),
                        100 * sweep.fits()[k].confidence(), sweep.fits()[k].lower(), sweep.fits()[k].upper());
            }
            out.println();
            out.printf(Locale.ROOT, "  %-10s %-6s %-10s %-10s %-14s %-10s%n", "lr", "steps", "gap", "naive gap",
                    "naive rms gap", "vs analytic");
            for (PathKernelStudy.RatePoint p : rates) {
                out.printf(Locale.ROOT, "  %-10.4g %-6d %-10.2e %-10.2e %-14.2e %-10.4g%n", p.learningRate(), p.steps(),
                        p.gap(), p.naiveGap(), p.naiveRmsGap(), p.toAnalytic());
            }
            out.println();
            out.printf(Locale.ROOT, "  %-10s %-6s %-10s %-12s %-10s%n", "eta T", "steps", "gap", "vs analytic", "vs init");
            for (PathKernelStudy.TimePoint p : times) {
                out.printf(Locale.ROOT, "  %-10.4g %-6d %-10.2e %-12.4g %-10.4g%n", p.time(), p.steps(), p.gap(),
                        p.toAnalytic(), p.toInitial());
            }
        }
        out.println(r.maxRelativeGap() <= GAP_GOAL ? "PASS: the kernel machine is the trained network to 1e-10"
                : "FAIL: the kernel machine misses the trained network by more than 1e-10");
        out.flush();
    }
}
