package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.plot.Plots;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.study.ConvergenceStudy;
import io.github.ntk4j.study.PairBias;
import io.github.ntk4j.study.Verdict;
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
                + "error of single networks' empirical NTK and NNGP against the analytic values. Two tests per "
                + "check: the networks' mean kernel, extrapolated in 1/width, must match the exact kernel (every "
                + "pair), and the error's log-log slope must be consistent with -1/2; family-wise level "
                + "0.05 (Holm). See docs/FINITE-WIDTH.md.",
            "Default: ReLU and erf networks, depth " + ConvergenceStudy.DEFAULT_DEPTH + ", W_std "
                + ConvergenceStudy.DEFAULT_W_STD + ", b_std " + ConvergenceStudy.DEFAULT_B_STD
                + ", inputs (1,1,1,1), (1.1,0.9,1,1), (1,-1,1,-1), widths " + ConvergenceStudy.DEFAULT_WIDTHS_TEXT + ", "
                + ConvergenceStudy.DEFAULT_SEEDS + " networks per width.",
            "Exit code 0 PASS, 1 FAIL, 3 INCONCLUSIVE (the data cannot decide: the output says what to add), "
                + "2 bad input."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--widths", split = ",", paramLabel = "M",
            description = "Widths (at least 2 distinct; default: " + ConvergenceStudy.DEFAULT_WIDTHS_TEXT + ").")
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
        return exitCode(report.verdict());
    }

    /** The network options with verify's own defaults for the values not given. */
    private Network network() {
        return network.network("relu", ConvergenceStudy.DEFAULT_DEPTH, ConvergenceStudy.DEFAULT_W_STD,
                ConvergenceStudy.DEFAULT_B_STD);
    }

    /** The exit code of a verdict: 0 PASS, 1 FAIL, 3 INCONCLUSIVE. */
    static int exitCode(Verdict v) {
        return switch (v) {
            case PASS -> 0;
            case FAIL -> Main.CHECK_FAILED;
            case INCONCLUSIVE -> Main.INCONCLUSIVE;
        };
    }

    private static Map<String, Object> json(ConvergenceStudy.Report report, ConvergenceStudy study, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>(report.toMap());
        m.put("inputs", study.inputs());
        m.put("seconds", seconds);
        return m;
    }

    private static void csv(PrintWriter out, ConvergenceStudy.Report report) {
        out.println("activation,kernel,width,mean_rel_error,rms_rel_error,rms_rel_error_stderr,slope,slope_ci_lo,"
                + "slope_ci_hi,slope_ci_level,max_bias_offset,max_bias_t,min_bias_holm_p,detectable_offset,verdict,pass");
        for (ConvergenceStudy.Result r : report.results()) {
            PairBias worst = worst(r);
            double minHolm = java.util.Arrays.stream(r.biasHolmP()).min().orElse(1);
            for (int i = 0; i < r.widths().length; i++) {
                out.println(String.join(",", CliSupport.quoted(r.activation()),
                        r.kernel().name().toLowerCase(Locale.ROOT), Integer.toString(r.widths()[i]),
                        Double.toString(r.meanRelError()[i]), Double.toString(r.rmsRelError()[i]),
                        Double.toString(r.rmsStderr()[i]), Double.toString(r.fit().slope()),
                        Double.toString(r.fit().lower()), Double.toString(r.fit().upper()),
                        Double.toString(r.fit().confidence()), Double.toString(worst.offset()),
                        Double.toString(worst.t()), Double.toString(minHolm), Double.toString(r.detectableOffset()),
                        r.verdict().name(), Boolean.toString(r.pass())));
            }
        }
        out.flush();
    }

    /** The pair whose bias test is furthest from 0 in standard errors. */
    private static PairBias worst(ConvergenceStudy.Result r) {
        PairBias w = r.bias().get(0);
        for (PairBias b : r.bias()) {
            if (Math.abs(b.t()) > Math.abs(w.t())) {
                w = b;
            }
        }
        return w;
    }

    private static void text(PrintWriter out, ConvergenceStudy.Report report, ConvergenceStudy study, double seconds) {
        int n = study.inputs().length;
        out.printf(Locale.ROOT, "verify: %d inputs (%d pairs i<=j), %d networks per width, seed %d, %.1f s%n", n,
                n * (n + 1) / 2, report.seeds(), report.seed(), seconds);
        // the library's rendering, with the command line's name for the seed count
        out.print(report.toText().replace("to decide: more seeds (", "to decide: more seeds (--seeds "));
        out.flush();
    }
}
