package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.plot.Plots;
import io.github.ntk4j.study.FourierFeatureStudy;
import io.github.ntk4j.net.Network;
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

/** {@code ntk4j fourier}: Tancik et al. 2020's 1-D Fourier-feature experiment with the infinite-width NTK. */
@Command(name = "fourier", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tancik et al. (2020) 1-D experiment with the infinite-width NTK: regress a signal with "
                + "high-frequency content on a grid of [0,1) from every other point, with no input mapping and with "
                + "Gaussian Fourier features at several sigma; prints the NTK eigenvalue fall-off and the test error "
                + "after a budget of gradient-descent steps (at the largest stable learning rate 1/lambda_1) and at "
                + "convergence.",
            "Default network: dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)."})
final class FourierCommand implements Runnable {
    /** Hidden blocks of the default body network. */
    static final int DEFAULT_DEPTH = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--sigmas", split = ",", paramLabel = "S1,S2,...", defaultValue = "1,10,100",
            description = "Scales of the Gaussian frequencies (default: ${DEFAULT-VALUE}).")
    List<Double> sigmas;

    @Option(names = "--features", defaultValue = "256", description = "Number of frequencies m, 2m features (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--steps", defaultValue = "1000", description = "Gradient-descent step budget (default: ${DEFAULT-VALUE}).")
    double steps;

    @Option(names = "--grid", defaultValue = "256", description = "Grid points on [0,1); half train, half test (default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--max-frequency", defaultValue = "48",
            description = "Highest frequency of the 8 random sinusoids of the signal (default: ${DEFAULT-VALUE}).")
    int maxFrequency;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the signal and the frequencies (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (a table), json (with "
            + "the eigenvalues) or csv (one row per mapping, as the table; default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the spectra and the predictions.")
    Path plot;

    @Mixin
    NetworkOptions network;

    @Override
    public void run() {
        if (plot != null) {
            Plots.checkPng(plot); // a bad plot file is refused before the work
        }
        if (maxFrequency < 1) {
            throw Messages.tooSmall("--max-frequency", maxFrequency, 1);
        }
        // the documented default body (depth 3) also fills the shorthand options not given
        Network body = network.network("relu", DEFAULT_DEPTH, 1.4, 0.1);
        FourierFeatureStudy study = FourierFeatureStudy.of(grid, FourierFeatureStudy.randomSignal(grid, 8, maxFrequency, seed),
                sigmas, features, seed, body).withSteps(steps);
        List<FourierFeatureStudy.Result> results = study.run(threads.orProcessors());
        if (plot != null) {
            Plots.fourierStudy(results, study.testInputs(), study.testTargets(), plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Formats.TextJsonCsv.csv) {
            CliSupport.csv(out, "mapping", "sigma", "network", "falloff_10", "falloff_50", "train_mse", "test_mse",
                    "test_mse_converged");
            for (FourierFeatureStudy.Result r : results) {
                CliSupport.csv(out, r.label(), r.sigma(), r.network(), falloff(r, 10), falloff(r, 50), r.trainError(),
                        r.testError(), r.testErrorConverged());
            }
            out.flush();
            return;
        }
        if (format == Formats.TextJsonCsv.json) {
            List<Map<String, Object>> rs = new ArrayList<>();
            for (FourierFeatureStudy.Result r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mapping", r.label());
                m.put("sigma", r.sigma());
                m.put("network", r.network());
                m.put("falloff_10", falloff(r, 10));
                m.put("falloff_50", falloff(r, 50));
                m.put("train_mse", r.trainError());
                m.put("test_mse", r.testError());
                m.put("test_mse_converged", r.testErrorConverged());
                m.put("eigenvalues", r.eigenvalues());
                rs.add(m);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("steps", steps);
            root.put("grid", grid);
            root.put("results", rs);
            CliSupport.json(out, root);
            return;
        }
        out.printf(Locale.ROOT, "signal: 8 sinusoids up to frequency %d on %d points of [0,1); train on %d, test on %d;"
                + " %s gradient-descent steps at lr 1/lambda_1%n", maxFrequency, grid, grid / 2, grid / 2, CliSupport.num(steps));
        // the columns name the eigenvalues they show: l10 and l50, or the last one on a small grid
        int count = results.isEmpty() ? 0 : results.get(0).eigenvalues().length;
        int k10 = Math.min(10, count);
        int k50 = Math.min(50, count);
        out.printf(Locale.ROOT, "%-18s %12s %12s %14s %14s%n", "mapping", "l" + k10 + "/l1", "l" + k50 + "/l1", "test MSE",
                "test MSE (inf)");
        for (FourierFeatureStudy.Result r : results) {
            out.printf(Locale.ROOT, "%-18s %12.3e %12.3e %14.4g %14.4g%n", r.label(), r.falloff(k10), r.falloff(k50),
                    r.testError(), r.testErrorConverged());
        }
        out.flush();
    }

    /**
     * λ_k/λ_1, or null where there is no k-th eigenvalue (a grid of fewer training points): JSON's
     * null, CSV's empty field.
     */
    private static Double falloff(FourierFeatureStudy.Result r, int k) {
        return r.eigenvalues().length >= k ? r.falloff(k) : null;
    }
}
