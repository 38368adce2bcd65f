package io.github.ntk4j.cli;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.KernelSpectrum;
import io.github.ntk4j.learn.SphereSpectrum;
import io.github.ntk4j.net.Network;
import java.io.IOException;
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
 * {@code ntk4j spectrum}: eigenvalues of a Gram matrix on a data set, or of the kernel on the
 * sphere per spherical-harmonic degree (Funk–Hecke).
 */
@Command(name = "spectrum", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Eigenvalues of the NTK or NNGP: of the Gram matrix of the rows of a CSV file (--input), "
                + "or per spherical-harmonic degree k on the sphere S^(d-1) by Funk-Hecke (--sphere-dim d).",
                "On the sphere the eigenvalue mu_k belongs to the integral operator with the uniform probability "
                + "measure; it has multiplicity N(d,k), and the eigenvalues of Gram/n on n uniform points approach it."})
final class SpectrumCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "X.csv", description = "Inputs, one per row, no header: the spectrum of K(X, X).")
    Path input;

    @Option(names = "--sphere-dim", paramLabel = "d", description = "Instead of --input: the sphere S^(d-1) in R^d, d >= 2.")
    Integer sphereDim;

    @Option(names = "--degrees", paramLabel = "K", defaultValue = "20",
            description = "With --sphere-dim: degrees 0..K (default: ${DEFAULT-VALUE}).")
    int degrees;

    @Option(names = "--kernel", paramLabel = "KIND", defaultValue = "ntk", description = "ntk or nngp (default: ${DEFAULT-VALUE}).")
    KernelKind kernel;

    @Option(names = "--top", paramLabel = "K", description = "With --input: only the K largest eigenvalues (default: all).")
    Integer top;

    @Option(names = "--vectors", description = "With --input and --format json or csv: the eigenvectors too.")
    boolean vectors;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table), json or csv (default: ${DEFAULT-VALUE}).")
    Formats.TextJsonCsv format;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also draw the eigenvalues on a log scale into a PNG file.")
    Path plot;

    @Mixin
    ThreadsOption threads;

    @Mixin
    NetworkOptions network;

    @Override
    public void run() {
        if ((input == null) == (sphereDim == null)) {
            throw Messages.invalid("give exactly one of --input X.csv (Gram spectrum) and --sphere-dim d (Funk-Hecke)");
        }
        if (top != null && top < 1) {
            throw Messages.tooSmall("--top", top, 1);
        }
        if (sphereDim != null && (top != null || vectors)) {
            throw Messages.invalid("--top and --vectors apply to --input only; use --degrees with --sphere-dim");
        }
        if (vectors && format == Formats.TextJsonCsv.text) {
            throw Messages.invalid("--vectors needs --format json or csv");
        }
        if (plot != null) {
            io.github.ntk4j.plot.Plots.vectorFormat(plot); // a bad plot file is refused before the work
            if (sphereDim != null && degrees < 1) {
                throw Messages.badOption("--plot", "draws mu_k against the degree k >= 1 on log-log axes (degree 0 "
                        + "cannot be on a log axis): give --degrees 1 or more");
            }
        }
        KernelKind kind = kernel;
        Network net = network.network();
        NtkRecursion engine = NtkRecursion.of(net);
        if (threads.given() != null) {
            engine = engine.withThreads(threads.given());
        }
        if (input != null) {
            gram(engine, net, kind);
        } else {
            sphere(engine, net, kind);
        }
    }

    private void gram(NtkRecursion engine, Network net, KernelKind kind) {
        double[][] x = Csv.read(input);
        KernelSpectrum s;
        try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "gram")) {
            s = KernelSpectrum.ofGram(engine.withProgress(bar), x, kind, vectors);
        }
        int n = s.size();
        int shown = top == null ? n : Math.min(top, n);
        double[] values = new double[shown];
        System.arraycopy(s.eigenvalues(), 0, values, 0, shown);
        PrintWriter out = spec.commandLine().getOut();
        double trace = 0;
        for (double v : s.eigenvalues()) {
            trace += v;
        }
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("network", net.spec());
            m.put("kernel", kind.id());
            m.put("n", n);
            m.put("trace", trace);
            m.put("eigenvalues", values);
            if (vectors) {
                double[][] v = new double[shown][];
                for (int i = 0; i < shown; i++) {
                    v[i] = s.eigenvector(i);
                }
                m.put("eigenvectors", v);
            }
            CliSupport.json(out, m);
        } else if (format == Formats.TextJsonCsv.csv) {
            double[][] rows = new double[shown][];
            for (int i = 0; i < shown; i++) {
                double[] vec = vectors ? s.eigenvector(i) : new double[0];
                rows[i] = new double[2 + vec.length];
                rows[i][0] = i + 1;
                rows[i][1] = values[i];
                System.arraycopy(vec, 0, rows[i], 2, vec.length);
            }
            writeCsv(out, rows);
        } else {
            out.println("network    " + net.spec());
            out.println("kernel     " + kind.id() + " Gram matrix of " + input + " (n = " + n + ")");
            out.println("trace      " + CliSupport.num(trace));
            out.println("condition  " + (s.smallest() > 0 ? String.format(Locale.ROOT, "%.3e", s.conditionNumber())
                    : "infinite (smallest eigenvalue " + CliSupport.num(s.smallest()) + ")"));
            out.println();
            out.println(String.format(Locale.ROOT, "%6s  %-24s  %s", "i", "eigenvalue", "share of trace"));
            for (int i = 0; i < shown; i++) {
                out.println(String.format(Locale.ROOT, "%6d  %-24s  %.3e", i + 1, CliSupport.num(values[i]), values[i] / trace));
            }
            out.flush();
        }
        if (plot != null) {
            double[] idx = new double[shown];
            for (int i = 0; i < shown; i++) {
                idx[i] = i + 1;
            }
            drawPlot(idx, values, false, s.zeroTolerance(), "index i",
                    kind.id().toUpperCase(Locale.ROOT) + " Gram eigenvalues, n = " + n);
        }
    }

    private void sphere(NtkRecursion engine, Network net, KernelKind kind) {
        SphereSpectrum s;
        try {
            s = SphereSpectrum.of(engine, kind, sphereDim, degrees);
        } catch (InvalidInputException e) {
            throw CliSupport.hint(e, "a Gram matrix on data", "--input");
        }
        int d = sphereDim;
        PrintWriter out = spec.commandLine().getOut();
        double[] mu = s.eigenvalues();
        java.math.BigInteger[] mult = new java.math.BigInteger[mu.length];
        double[] err = new double[mu.length];
        double[] deg = new double[mu.length];
        for (int k = 0; k < mu.length; k++) {
            mult[k] = SphereSpectrum.exactMultiplicity(d, k); // exact: above 2^53 a double has false digits
            err[k] = s.errorEstimate(k);
            deg[k] = k;
        }
        if (format == Formats.TextJsonCsv.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("network", net.spec());
            m.put("kernel", kind.id());
            m.put("d", d);
            m.put("degree", deg);
            m.put("multiplicity", java.util.Arrays.asList(mult));
            m.put("eigenvalue", mu);
            m.put("error_estimate", err);
            CliSupport.json(out, m);
        } else if (format == Formats.TextJsonCsv.csv) {
            for (int k = 0; k < mu.length; k++) {
                out.println(k + "," + mult[k] + "," + mu[k]);
            }
            out.flush();
        } else {
            out.println("network  " + net.spec());
            out.println("kernel   " + kind.id() + " on the sphere S^" + (d - 1) + " in R^" + d
                    + " (inputs of norm sqrt(d), so u = x.y/d)");
            out.println();
            out.println(String.format(Locale.ROOT, "%6s  %14s  %-24s  %s", "degree", "multiplicity", "eigenvalue mu_k",
                    "quadrature error estimate"));
            for (int k = 0; k < mu.length; k++) {
                out.println(String.format(Locale.ROOT, "%6d  %14s  %-24s  %.1e", k, mult[k], CliSupport.num(mu[k]), err[k]));
            }
            out.flush();
        }
        if (plot != null) {
            // log-log, where a power law k^(-s) is a line; degree 0 cannot be on a log axis
            double[] ks = new double[mu.length - 1];
            double[] ms = new double[mu.length - 1];
            for (int k = 1; k < mu.length; k++) {
                ks[k - 1] = k;
                ms[k - 1] = mu[k];
            }
            drawPlot(ks, ms, true, 1e-12 * Math.abs(mu[0]), "degree k",
                    kind.id().toUpperCase(Locale.ROOT) + " eigenvalue per degree on S^" + (d - 1));
        }
    }

    private static void writeCsv(PrintWriter out, double[][] rows) {
        try {
            Csv.write(out, rows);
        } catch (IOException e) {
            throw Messages.writeFailed("standard output", String.valueOf(e.getMessage()));
        }
    }

    /**
     * Draws y against x on a log scale. Points with y ≤ floor (zero to rounding, or negative)
     * cannot be drawn there: they are left out and counted on stderr.
     */
    private void drawPlot(double[] xAll, double[] yAll, boolean logX, double floor, String xTitle, String title) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < xAll.length; i++) {
            if (yAll[i] > floor) {
                pts.add(new double[] {xAll[i], yAll[i]});
            }
        }
        if (pts.isEmpty()) {
            throw Messages.invalid("nothing to plot: no eigenvalue is positive");
        }
        if (pts.size() < xAll.length) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("spectrum: " + (xAll.length - pts.size()) + " eigenvalue(s) at or below " + String.format(Locale.ROOT,
                    "%.1e", floor) + " (zero to rounding, or negative) left out of the log-scale plot");
            err.flush();
        }
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        io.github.ntk4j.plot.Plots.eigenvalues(x, y, logX, xTitle, title, plot);
    }
}
