package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ntk4j empirical}: Monte Carlo NTK and NNGP of one pair over finite networks. */
@Command(name = "empirical", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Empirical NTK and NNGP of one pair of inputs over S independent finite networks of width M "
                + "(NTK parameterisation): mean and standard error, beside the exact values.",
            "nngp_* is f(x)f(y) of the networks' outputs; readout_nngp_* is the output covariance given the hidden "
                + "layers, W_std^2/n <g(x),g(y)> + b_std^2."})
final class EmpiricalCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--x", required = true, paramLabel = "X1,X2,...", description = "First input, comma-separated.")
    String x;

    @Option(names = "--y", required = true, paramLabel = "Y1,Y2,...", description = "Second input, same dimension.")
    String y;

    @Option(names = "--samples", paramLabel = "S", defaultValue = "32",
            description = "Independent networks, >= 2 (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--outputs", paramLabel = "K", defaultValue = "1",
            description = "Readout width k; NTK and f(x)f(y) are averaged over the k outputs (default: ${DEFAULT-VALUE}).")
    int outputs;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0",
            description = "Seed; the same seed reproduces the run exactly (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table), json or csv (one row per kernel: ntk, nngp, readout_nngp; default: "
                    + "${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Mixin
    NetworkOptions network;

    @Override
    public void run() {
        if (samples < 2) {
            throw Messages.tooSmall("--samples (a standard error needs at least 2 networks)", samples, 2);
        }
        if (network.width() == null) {
            throw Messages.badOption("--width", "the hidden width of the finite networks is required");
        }
        Network net = network.network();
        int width = network.width();
        double[] vx = CliSupport.vector("--x", x);
        double[] vy = CliSupport.vector("--y", y);
        KernelValue exact = NtkRecursion.of(net).pair(vx, vy);
        EmpiricalNtk engine = EmpiricalNtk.of(net).withOutputs(outputs);
        if (threads.given() != null) {
            engine = engine.withThreads(threads.given());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println(Messages.memoryNote("empirical", engine.bytesNeeded(2, vx.length, width, samples)));
        err.flush();
        EmpiricalNtk.Estimate e;
        try (ProgressBar bar = new ProgressBar(err, "empirical")) {
            e = engine.withProgress(bar).pair(vx, vy, width, samples, seed);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ntk_mean", e.ntkMean());
        m.put("ntk_stderr", e.ntkStderr());
        m.put("nngp_mean", e.nngpMean());
        m.put("nngp_stderr", e.nngpStderr());
        m.put("readout_nngp_mean", e.readoutNngpMean());
        m.put("readout_nngp_stderr", e.readoutNngpStderr());
        m.put("ntk_exact", exact.ntk());
        m.put("nngp_exact", exact.nngp());
        m.put("width", width);
        m.put("samples", samples);
        m.put("outputs", outputs);
        m.put("seed", seed);
        m.put("network", net.spec());
        for (Map.Entry<String, Object> entry : m.entrySet()) {
            // the finite networks' sums can overflow where the exact kernel does not: refuse, never print Infinity
            if (entry.getValue() instanceof Double v && !Double.isFinite(v)) {
                throw Messages.notRepresentable(entry.getKey() + " (the finite networks' statistics at this scale)", v);
            }
        }
        if (format == Formats.TextJsonCsv.json) {
            CliSupport.json(out, m);
            return;
        }
        if (format == Formats.TextJsonCsv.csv) {
            CliSupport.csv(out, "kernel", "mean", "stderr", "exact", "z", "width", "samples", "outputs", "seed");
            csvRow(out, "ntk", e.ntkMean(), e.ntkStderr(), exact.ntk(), width, samples, seed);
            csvRow(out, "nngp", e.nngpMean(), e.nngpStderr(), exact.nngp(), width, samples, seed);
            csvRow(out, "readout_nngp", e.readoutNngpMean(), e.readoutNngpStderr(), exact.nngp(), width, samples, seed);
            out.flush();
            return;
        }
        out.println("network  " + net.spec() + "   width " + width + ", " + samples + " networks, seed " + seed);
        out.printf(Locale.ROOT, "%-12s %14s %12s %14s %8s%n", "", "mean", "std. error", "exact", "z");
        row(out, "ntk", e.ntkMean(), e.ntkStderr(), exact.ntk());
        row(out, "nngp", e.nngpMean(), e.nngpStderr(), exact.nngp());
        row(out, "readout nngp", e.readoutNngpMean(), e.readoutNngpStderr(), exact.nngp());
        out.flush();
    }

    private static void row(PrintWriter out, String name, double mean, double se, double exact) {
        out.printf(Locale.ROOT, "%-12s %14.6f %12.6f %14.6f %8.2f%n", name, mean, se, exact, z(mean, se, exact));
    }

    /** One kernel's row; z empty where the standard error is 0 (no spread to measure the distance in). */
    private void csvRow(PrintWriter out, String name, double mean, double se, double exact, int width, int samples,
            long seed) {
        CliSupport.csv(out, name, mean, se, exact, se > 0 ? (Object) z(mean, se, exact) : null, width, samples, outputs,
                seed);
    }

    /** The estimate's distance from the exact value in standard errors (0 when the spread is 0). */
    private static double z(double mean, double se, double exact) {
        return se > 0 ? (mean - exact) / se : 0.0;
    }
}
