package io.github.ntk4j.cli;

import io.github.ntk4j.Messages;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.plot.Plots;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.study.ConvergenceStudy;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ntk4j verify}: finite networks converge to the analytic kernels at rate m^(−1/2). */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks that finite networks converge to the exact kernels: per width, the RMS relative "
                + "error of single networks' empirical NTK and NNGP against the analytic values, and a log-log fit "
                + "whose slope must be consistent with -1/2 (95%% Student-t interval).",
            "Default: ReLU and erf networks, depth " + ConvergenceStudy.DEFAULT_DEPTH + ", W_std "
                + ConvergenceStudy.DEFAULT_W_STD + ", b_std " + ConvergenceStudy.DEFAULT_B_STD
                + ", inputs (1,1,1,1), (1.1,0.9,1,1), (1,-1,1,-1), widths 64..4096, "
                + ConvergenceStudy.DEFAULT_SEEDS + " networks per width.",
            "Exit code 0 when every check passes, 1 when one fails, 2 for bad input."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--widths", split = ",", paramLabel = "M",
            description = "Widths (at least 3 distinct; default: 64,128,...,4096).")
    int[] widths;

    @Option(names = "--seeds", paramLabel = "S", description = "Networks per width, >= 2 (default: "
            + ConvergenceStudy.DEFAULT_SEEDS + ").")
    Integer seeds;

    @Option(names = "--seed", paramLabel = "K", defaultValue = "0",
            description = "Seed of the run; the same seed reproduces it exactly (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--inputs", paramLabel = "X.csv", description = "Inputs, one per row (every pair i <= j is "
            + "checked) instead of the default three.")
    Path inputs;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table), json or csv (default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw error vs width (log-log) with the fits "
            + "and an m^(-1/2) guide to FILE.png or FILE.svg.")
    Path plot;

    @Option(names = "--against", paramLabel = "SPEC", description = "Negative control: compare the finite networks "
            + "with the exact kernel of this network instead (a mismatch must fail).")
    String against;

    @Mixin
    NetworkOptions network;

    @Override
    public Integer call() {
        ConvergenceStudy study = ConvergenceStudy.defaults();
        if (network.given()) {
            study = study.withNetworks(List.of(network()));
        }
        if (against != null) {
            Network ref = NetworkSpec.parse(against);
            List<Network> refs = new ArrayList<>();
            for (int i = 0; i < study.networks().size(); i++) {
                refs.add(ref);
            }
            study = study.withReferences(refs);
        }
        if (inputs != null) {
            study = study.withInputs(Csv.read(inputs));
        }
        if (widths != null) {
            study = study.withWidths(widths);
        }
        if (seeds != null) {
            study = study.withSeeds(seeds);
        }
        if (threads.given() != null) {
            study = study.withThreads(threads.given());
        }
        study = study.withSeed(seed);
        if (plot != null) {
            CliSupport.forOption("--plot", () -> Plots.vectorFormat(plot)); // refuse a bad file name before the study runs
        }
        PrintWriter out = spec.commandLine().getOut();
        final var configured = study;
        CliSupport.Timed<ConvergenceStudy.Report> run = CliSupport.runStudy(spec, "verify", configured.bytesNeeded(),
                progress -> configured.withProgress(progress).run());
        ConvergenceStudy.Report report = run.result();
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
            Plots.convergence(report, plot);
        }
        return report.pass() ? 0 : Main.CHECK_FAILED;
    }

    /** The network options with verify's own defaults for the values not given. */
    private Network network() {
        return network.network("relu", ConvergenceStudy.DEFAULT_DEPTH, ConvergenceStudy.DEFAULT_W_STD,
                ConvergenceStudy.DEFAULT_B_STD);
    }

    private static Map<String, Object> json(ConvergenceStudy.Report report, ConvergenceStudy study, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pass", report.pass());
        List<Object> results = new ArrayList<>();
        for (ConvergenceStudy.Result r : report.results()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("activation", r.activation());
            o.put("network", r.network());
            o.put("kernel", r.kernel().name().toLowerCase(Locale.ROOT));
            List<Integer> ws = new ArrayList<>();
            for (int w : r.widths()) {
                ws.add(w);
            }
            o.put("widths", ws);
            o.put("rms_rel_error", r.rmsRelError());
            o.put("rms_rel_error_stderr", r.rmsStderr());
            o.put("mean_rel_error", r.meanRelError());
            o.put("slope", r.fit().slope());
            o.put("slope_ci", new double[] {r.fit().lower(), r.fit().upper()});
            o.put("slope_stderr", r.fit().slopeStderr());
            o.put("expected_slope", ConvergenceStudy.EXPECTED_SLOPE);
            o.put("pass", r.pass());
            results.add(o);
        }
        m.put("results", results);
        m.put("seeds", report.seeds());
        m.put("seed", report.seed());
        m.put("confidence", ConvergenceStudy.CONFIDENCE);
        m.put("inputs", study.inputs());
        m.put("seconds", seconds);
        return m;
    }

    private static void csv(PrintWriter out, ConvergenceStudy.Report report) {
        out.println("activation,kernel,width,mean_rel_error,rms_rel_error,rms_rel_error_stderr,slope,slope_ci_lo,"
                + "slope_ci_hi,pass");
        for (ConvergenceStudy.Result r : report.results()) {
            for (int i = 0; i < r.widths().length; i++) {
                out.println(String.join(",", "\"" + r.activation().replace("\"", "\"\"") + "\"",
                        r.kernel().name().toLowerCase(Locale.ROOT), Integer.toString(r.widths()[i]),
                        Double.toString(r.meanRelError()[i]), Double.toString(r.rmsRelError()[i]),
                        Double.toString(r.rmsStderr()[i]), Double.toString(r.fit().slope()),
                        Double.toString(r.fit().lower()), Double.toString(r.fit().upper()), Boolean.toString(r.pass())));
            }
        }
        out.flush();
    }

    private static void text(PrintWriter out, ConvergenceStudy.Report report, ConvergenceStudy study, double seconds) {
        int n = study.inputs().length;
        out.printf(Locale.ROOT, "verify: %d inputs (%d pairs i<=j), %d networks per width, seed %d, %.1f s%n", n,
                n * (n + 1) / 2, report.seeds(), report.seed(), seconds);
        for (ConvergenceStudy.Result r : report.results()) {
            out.println();
            out.printf(Locale.ROOT, "%s %s   (%s)%n", r.activation(), r.kernel().name(), r.network());
            out.printf(Locale.ROOT, "  %7s  %14s  %14s  %10s%n", "width", "mean rel err", "RMS rel err", "s.e.");
            for (int i = 0; i < r.widths().length; i++) {
                out.printf(Locale.ROOT, "  %7d  %14.5f  %14.5f  %10.5f%n", r.widths()[i], r.meanRelError()[i],
                        r.rmsRelError()[i], r.rmsStderr()[i]);
            }
            out.printf(Locale.ROOT, "  slope %.3f, 95%% CI [%.3f, %.3f]: %s with %.1f -> %s%n", r.fit().slope(),
                    r.fit().lower(), r.fit().upper(), r.pass() ? "consistent" : "NOT consistent",
                    ConvergenceStudy.EXPECTED_SLOPE, r.pass() ? "PASS" : "FAIL");
        }
        out.println();
        long failed = report.results().stream().filter(r -> !r.pass()).count();
        out.println(report.pass() ? "PASS: all " + report.results().size() + " checks converge like m^(-1/2)"
                : "FAIL: " + failed + " of " + report.results().size() + " checks do not converge like m^(-1/2)");
        out.flush();
    }
}
