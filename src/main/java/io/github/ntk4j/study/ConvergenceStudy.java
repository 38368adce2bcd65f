package io.github.ntk4j.study;

import io.github.ntk4j.math.RateFit;

import io.github.ntk4j.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.MemoryCheck;
import io.github.ntk4j.math.Workers;
import io.github.ntk4j.math.DataChecks;
import io.github.ntk4j.kernel.GramMatrices;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The project's main check: finite networks converge to the analytic kernels at the rate
 * 1/√m (docs/KERNEL-RECURSION.md §1, Jacot et al. 2018, Fig. 1).
 *
 * <p>For every network, width m and seed s, one finite network ({@link EmpiricalNtk#networkSeed})
 * is evaluated on the inputs; for every pair p = (x_i, x_j), i ≤ j, its single-network
 * relative error against the analytic value a_p ({@link NtkRecursion}) is
 * e_{s,p} = (v_{s,p} − a_p)/|a_p|, where v is Θ̂ (NTK) or the readout NNGP
 * K̂ = W_std²/n ⟨g^L(x), g^L(y)⟩ + b_std² (the output covariance given the hidden layers;
 * a single output's f(x)f(y) has O(1) spread at every width and shows no rate). Per width:
 * <ul>
 * <li>RMS relative error R = √(mean_s q_s), q_s = mean_p e_{s,p}² (seeds are independent;
 * pairs of one seed are not, so they are averaged first);</li>
 * <li>its standard error by the delta method, se(R) = sd(q_s)/(2R√S);</li>
 * <li>mean relative error of the seed average, mean_p |mean_s v_{s,p} − a_p|/|a_p|
 * (finite-width bias O(1/m) plus Monte Carlo noise O(1/√(mS))).</li>
 * </ul>
 * Then {@link RateFit} fits log R against log m; the check passes when the 95% interval of
 * the slope contains −1/2.
 */
public final class ConvergenceStudy {
    /** Default hidden blocks of the verified networks. */
    public static final int DEFAULT_DEPTH = 2;
    /** Default W_std. */
    public static final double DEFAULT_W_STD = 1.4;
    /**
     * Default b_std: 0.5 rather than the CLI's usual 0.1, so that the orthogonal pair's erf
     * kernels stay well away from zero (at b_std = 0.1 its analytic NTK is 0.036 against 3.9
     * on the diagonal, and its relative error would swamp every other pair's).
     */
    public static final double DEFAULT_B_STD = 0.5;
    /** Default widths 64, 128, …, 4096. */
    public static final int[] DEFAULT_WIDTHS = {64, 128, 256, 512, 1024, 2048, 4096};
    /** Default networks per width. */
    public static final int DEFAULT_SEEDS = 24;
    /** The slope finite networks must show. */
    public static final double EXPECTED_SLOPE = -0.5;
    /** Confidence level of the slope interval. */
    public static final double CONFIDENCE = 0.95;

    private final List<Network> networks;
    private final List<Network> references;
    private final double[][] inputs;
    private final int[] widths;
    private final int seeds;
    private final long seed;
    private final int threads;
    private final Progress progress;

    private ConvergenceStudy(List<Network> networks, List<Network> references, double[][] inputs, int[] widths,
            int seeds, long seed, int threads, Progress progress) {
        this.networks = networks;
        this.references = references;
        this.inputs = inputs;
        this.widths = widths;
        this.seeds = seeds;
        this.seed = seed;
        this.threads = threads;
        this.progress = progress;
    }

    /**
     * The default inputs (d = 4, ‖x‖² = d or close to it): x₀ = (1, 1, 1, 1),
     * x₁ = (1.1, 0.9, 1, 1) (cos ∠(x₀, x₁) ≈ 0.9975, nearly collinear) and
     * x₂ = (1, −1, 1, −1) (orthogonal to x₀). All pairs i ≤ j are checked, so the diagonal
     * pairs (x_i, x_i) are included.
     *
     * @return a fresh copy of the default inputs
     */
    public static double[][] defaultInputs() {
        return new double[][] {{1, 1, 1, 1}, {1.1, 0.9, 1, 1}, {1, -1, 1, -1}};
    }

    /**
     * The default networks: ReLU and erf, {@link #DEFAULT_DEPTH} hidden blocks,
     * W_std = {@link #DEFAULT_W_STD}, b_std = {@link #DEFAULT_B_STD}, Dense readout.
     *
     * @return the two networks
     */
    public static List<Network> defaultNetworks() {
        return List.of(Network.fullyConnected(ABRelu.relu(), DEFAULT_DEPTH, DEFAULT_W_STD, DEFAULT_B_STD),
                Network.fullyConnected(Erf.standard(), DEFAULT_DEPTH, DEFAULT_W_STD, DEFAULT_B_STD));
    }

    /**
     * The default study: {@link #defaultNetworks}, {@link #defaultInputs},
     * {@link #DEFAULT_WIDTHS}, {@link #DEFAULT_SEEDS} seeds, seed 0, all processors.
     *
     * @return the study
     */
    public static ConvergenceStudy defaults() {
        return new ConvergenceStudy(defaultNetworks(), defaultNetworks(), defaultInputs(), DEFAULT_WIDTHS.clone(), DEFAULT_SEEDS, 0,
                Runtime.getRuntime().availableProcessors(), Progress.NONE);
    }

    /**
     * @param list networks to verify (at least one)
     * @return a copy verifying these
     */
    public ConvergenceStudy withNetworks(List<Network> list) {
        if (list == null || list.isEmpty()) {
            throw Messages.empty("network list");
        }
        return new ConvergenceStudy(List.copyOf(list), List.copyOf(list), inputs, widths, seeds, seed, threads, progress);
    }

    /**
     * A negative control: compares the finite networks with the exact kernels of other
     * networks (one per verified network, same order). A mismatched kernel leaves an error
     * that does not shrink with the width, and the check must fail.
     *
     * @param list the reference networks
     * @return a copy using these for the exact kernels
     */
    public ConvergenceStudy withReferences(List<Network> list) {
        if (list == null || list.size() != networks.size()) {
            throw Messages.dimensionMismatch("reference networks", list == null ? 0 : list.size(), "networks",
                    networks.size());
        }
        return new ConvergenceStudy(networks, List.copyOf(list), inputs, widths, seeds, seed, threads, progress);
    }

    /**
     * @param x inputs, N ≥ 1 rows of equal dimension (every pair i ≤ j is checked)
     * @return a copy using these inputs
     */
    public ConvergenceStudy withInputs(double[][] x) {
        DataChecks.dataSet("inputs", x);
        double[][] copy = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            copy[i] = x[i].clone();
        }
        return new ConvergenceStudy(networks, references, copy, widths, seeds, seed, threads, progress);
    }

    /**
     * @param w widths, at least 3 distinct, each ≥ 1
     * @return a copy using these widths (sorted)
     */
    public ConvergenceStudy withWidths(int... w) {
        if (w == null || w.length == 0) {
            throw Messages.empty("width list");
        }
        int[] sorted = w.clone();
        java.util.Arrays.sort(sorted);
        for (int m : sorted) {
            FiniteNetwork.checkWidth(m);
        }
        long distinct = java.util.Arrays.stream(sorted).distinct().count();
        if (distinct < 3) {
            throw Messages.tooSmall("number of distinct widths (a slope with a confidence interval needs at least 3)",
                    distinct, 3);
        }
        return new ConvergenceStudy(networks, references, inputs, sorted, seeds, seed, threads, progress);
    }

    /**
     * @param s networks per width, ≥ 2 (a standard error needs two)
     * @return a copy with that many seeds
     */
    public ConvergenceStudy withSeeds(int s) {
        if (s < 2) {
            throw Messages.tooSmall("seeds (a standard error needs at least 2 networks per width)", s, 2);
        }
        return new ConvergenceStudy(networks, references, inputs, widths, s, seed, threads, progress);
    }

    /**
     * @param s the run's seed; the same seed reproduces the run exactly
     * @return a copy with that seed
     */
    public ConvergenceStudy withSeed(long s) {
        return new ConvergenceStudy(networks, references, inputs, widths, seeds, s, threads, progress);
    }

    /**
     * @param t worker threads, 1 … 1024 (results do not depend on it)
     * @return a copy with that thread count
     */
    public ConvergenceStudy withThreads(int t) {
        if (t < 1) {
            throw Messages.tooSmall("threads", t, 1);
        }
        if (t > 1024) {
            throw Messages.tooLarge("threads", t, 1024);
        }
        return new ConvergenceStudy(networks, references, inputs, widths, seeds, seed, t, progress);
    }

    /**
     * @param p receives (work done, work in all), work counted in m² units
     * @return a copy reporting progress
     */
    public ConvergenceStudy withProgress(Progress p) {
        return new ConvergenceStudy(networks, references, inputs, widths, seeds, seed, threads, p == null ? Progress.NONE : p);
    }

    /** @return the networks */
    public List<Network> networks() {
        return networks;
    }

    /** @return a copy of the widths */
    public int[] widths() {
        return widths.clone();
    }

    /** @return the networks per width */
    public int seeds() {
        return seeds;
    }

    /** @return a copy of the inputs */
    public double[][] inputs() {
        double[][] c = new double[inputs.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = inputs[i].clone();
        }
        return c;
    }

    /**
     * Memory the run needs at once: one evaluation per thread at the largest width.
     *
     * @return bytes
     */
    public long bytesNeeded() {
        int maxWidth = widths[widths.length - 1];
        long max = 0;
        for (Network net : networks) {
            max = Math.max(max, FiniteNetwork.bytesNeeded(net, inputs.length, inputs[0].length, maxWidth, 1, 1));
        }
        // the samples of every network, width and seed are kept for the statistics
        long kept = MemoryCheck.times(MemoryCheck.times(networks.size(), widths.length),
                MemoryCheck.times(seeds, FiniteNetwork.sampleBytes(inputs.length, 1)));
        return MemoryCheck.plus(MemoryCheck.times(threads, max), kept, MemoryCheck.times(4L * widths.length, MemoryCheck.doubles(seeds)));
    }

    /**
     * Runs the study.
     *
     * @return the report, one result per network and kernel (NTK first, then NNGP)
     */
    public Report run() {
        MemoryCheck.require("verify at width " + widths[widths.length - 1] + " on " + threads + " threads",
                bytesNeeded());
        int nets = networks.size();
        int nw = widths.length;
        int n = inputs.length;
        // jobs ordered widest first so the long ones start early
        int jobs = nets * nw * seeds;
        FiniteNetwork.Sample[][][] samples = new FiniteNetwork.Sample[nets][nw][seeds];
        long total = 0;
        for (int w : widths) {
            total += (long) nets * seeds * cost(w);
        }
        final long all = total;
        AtomicLong done = new AtomicLong();
        try (Workers workers = new Workers(threads)) {
            workers.forEach(jobs, job -> {
                int wi = nw - 1 - job / (nets * seeds);
                int rest = job % (nets * seeds);
                int k = rest / seeds;
                int s = rest % seeds;
                int w = widths[wi];
                samples[k][wi][s] = FiniteNetwork.of(networks.get(k), w, EmpiricalNtk.networkSeed(seed, w, s))
                        .evaluate(inputs);
                progress.update(done.addAndGet(cost(w)), all);
            });
        }
        List<Result> results = new ArrayList<>();
        for (int k = 0; k < nets; k++) {
            GramMatrices exact = NtkRecursion.of(references.get(k)).withThreads(1).gram(inputs);
            for (KernelKind kind : new KernelKind[] {KernelKind.NTK, KernelKind.NNGP}) {
                double[][] a = exact.get(kind);
                double[] rms = new double[nw];
                double[] rmsSe = new double[nw];
                double[] meanErr = new double[nw];
                for (int wi = 0; wi < nw; wi++) {
                    double[] q = new double[seeds];
                    double[][] sum = new double[n][n];
                    for (int s = 0; s < seeds; s++) {
                        double[][] v = kind == KernelKind.NTK ? samples[k][wi][s].ntk() : samples[k][wi][s].nngp();
                        double acc = 0;
                        int pairs = 0;
                        for (int i = 0; i < n; i++) {
                            for (int j = i; j < n; j++) {
                                double e = (v[i][j] - a[i][j]) / Math.abs(a[i][j]);
                                acc += e * e;
                                pairs++;
                                sum[i][j] += v[i][j];
                            }
                        }
                        q[s] = acc / pairs;
                    }
                    double ms = EmpiricalNtk.mean(q);
                    rms[wi] = Math.sqrt(ms);
                    rmsSe[wi] = EmpiricalNtk.stderr(q) / (2 * rms[wi]);
                    double me = 0;
                    int pairs = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = i; j < n; j++) {
                            me += Math.abs(sum[i][j] / seeds - a[i][j]) / Math.abs(a[i][j]);
                            pairs++;
                        }
                    }
                    meanErr[wi] = me / pairs;
                }
                double[] m = new double[nw];
                for (int wi = 0; wi < nw; wi++) {
                    m[wi] = widths[wi];
                }
                RateFit fit = RateFit.fit(m, rms, CONFIDENCE);
                results.add(new Result(label(networks.get(k)), networks.get(k).spec(), kind, widths.clone(), rms,
                        rmsSe, meanErr, fit, fit.consistentWith(EXPECTED_SLOPE)));
            }
        }
        boolean pass = results.stream().allMatch(Result::pass);
        return new Report(pass, List.copyOf(results), seeds, seed);
    }

    private static long cost(int w) {
        return (long) w * w + 1;
    }

    /** The activation names of a network joined by '+', e.g. "relu" or "relu+erf". */
    private static String label(Network net) {
        StringBuilder sb = new StringBuilder();
        net.activations().forEach(a -> sb.append(sb.length() == 0 ? "" : "+").append(a.spec()));
        return sb.length() == 0 ? "linear" : sb.toString();
    }

    /**
     * The result for one network and one kernel.
     *
     * @param activation the network's activation(s), e.g. "relu"
     * @param network the network spec
     * @param kernel NTK or NNGP
     * @param widths the widths
     * @param rmsRelError RMS relative error of single networks, per width
     * @param rmsStderr standard error of that RMS, per width
     * @param meanRelError relative error of the seed average, averaged over pairs, per width
     * @param fit the log–log fit of the RMS error against the width
     * @param pass whether the slope's confidence interval contains −1/2
     */
    public record Result(String activation, String network, KernelKind kernel, int[] widths, double[] rmsRelError,
            double[] rmsStderr, double[] meanRelError, RateFit fit, boolean pass) {
    }

    /**
     * The whole study.
     *
     * @param pass whether every result passed
     * @param results per network and kernel
     * @param seeds networks per width
     * @param seed the run's seed
     */
    public record Report(boolean pass, List<Result> results, int seeds, long seed) {
    }
}
