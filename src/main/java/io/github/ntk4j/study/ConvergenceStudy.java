package io.github.ntk4j.study;

import io.github.ntk4j.net.Layers;
import io.github.ntk4j.math.RateFit;
import io.github.ntk4j.math.Significance;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The project's main check: finite networks converge to the analytic kernels at the rate
 * 1/√m (docs/KERNEL-RECURSION.md §1, Jacot et al. 2018, Fig. 1), with a verdict that can fail
 * and says INCONCLUSIVE when the data cannot decide (docs/FINITE-WIDTH.md §5).
 *
 * <p>For every network, width m and seed s, one finite network ({@link EmpiricalNtk#networkSeed})
 * is evaluated on the inputs; for every pair p = (x_i, x_j), i ≤ j, its error against the
 * analytic value a_p ({@link NtkRecursion}) is e_{s,p} = (v_{s,p} − a_p)/c_p in units of the
 * pair's kernel scale c_p = √(a(x_i,x_i)·a(x_j,x_j)) (≥ |a_p|, and not 0 where a_p is), where v
 * is Θ̂ (NTK) or the readout NNGP K̂ = W_std²/n ⟨g^L(x), g^L(y)⟩ + b_std² (the output covariance
 * given the hidden layers; a single output's f(x)f(y) has O(1) spread at every width and shows
 * no rate). Per width: the RMS error R = √(mean_s q_s), q_s = mean_p e_{s,p}² (seeds are
 * independent, pairs of one seed are not, so they are averaged first), its delta-method standard
 * error sd(q_s)/(2R√S), and the error of the seed average.
 *
 * <p>Each network and kernel is one check with two tests, all of a run's tests forming one
 * family at level {@link #ALPHA}:
 * <ul>
 * <li>bias ({@link PairBias}): per pair, the seed means extrapolated to infinite width in 1/m
 * must equal a_p (Holm-adjusted p-values over the run);</li>
 * <li>rate: the slope of log R against log m, with its interval from the per-width standard
 * errors ({@link RateFit#withStandardErrors}) at level 1 − α/T, must contain −1/2
 * ({@link SlopeCheck}).</li>
 * </ul>
 * A check FAILs when a test rejects, is INCONCLUSIVE when none rejects but the bias test could
 * not detect an offset of {@link #MAX_OFFSET} of the kernel scale with {@link #POWER} power or the
 * slope's interval is too wide ({@link SlopeCheck}), and PASSes otherwise.
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
    /**
     * Default widths 64, 128, …, 1024. The bias test's standard error falls like 1/√(S·m_max)
     * and the cost grows like S·m_max², so many seeds at moderate widths buy the same power as
     * few seeds at large ones for a fraction of the time (docs/FINITE-WIDTH.md §5: 96 seeds up
     * to 1024 match 24 seeds up to 4096 at a quarter of the cost).
     */
    public static final int[] DEFAULT_WIDTHS = {64, 128, 256, 512, 1024};
    /** The default widths as text, for help screens. */
    public static final String DEFAULT_WIDTHS_TEXT = "64,128,...,1024";
    /** Default networks per width. */
    public static final int DEFAULT_SEEDS = 96;
    /** The slope finite networks must show. */
    public static final double EXPECTED_SLOPE = -0.5;
    /**
     * Family-wise error rate α of a run: the chance that a run whose finite networks do converge
     * to the exact kernel at rate m^(−1/2) says FAIL. Every test of the run (each pair's bias
     * test, each check's rate test: T in all) is run at α/T (Bonferroni; Holm for which
     * hypotheses are reported rejected), valid however the tests depend on each other.
     */
    public static final double ALPHA = 0.05;
    /** Power at which {@link #MAX_OFFSET} must be detectable. */
    public static final double POWER = 0.8;
    /**
     * Largest offset of the extrapolated mean kernel, in units of the kernel scale
     * √(k(x,x)k(y,y)), that a PASS guarantees to have had a {@link #POWER} chance of detecting
     * at every pair; a run whose bias test cannot detect it is INCONCLUSIVE.
     */
    public static final double MAX_OFFSET = 0.05;
    /** An exact value below this fraction of the pair's kernel scale is reported as zero. */
    static final double ZERO_FRACTION = 1e-9;
    /** Margin on the seeds or width advised for an INCONCLUSIVE run (quantiles shift with them). */
    static final double ADVICE_MARGIN = 1.2;
    /** Least growth advised (when the normal-quantile projection alone would already decide). */
    static final double MIN_ADVICE = 1.5;

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
        return List.of(Network.fullyConnected(Layers.relu(), DEFAULT_DEPTH, DEFAULT_W_STD, DEFAULT_B_STD),
                Network.fullyConnected(Layers.erf(), DEFAULT_DEPTH, DEFAULT_W_STD, DEFAULT_B_STD));
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
     * @param w widths, at least 2 distinct, each ≥ 1 (with few widths the verdict is likely
     *          INCONCLUSIVE, not an error)
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
        if (distinct < 2) {
            throw Messages.tooSmall("number of distinct widths (a slope needs at least 2)", distinct, 2);
        }
        if (distinct < sorted.length) {
            throw Messages.invalid("widths must be distinct, got " + java.util.Arrays.toString(w));
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
        return analyse(sample());
    }

    /**
     * Evaluates every network (package-private so that a calibration can compare one set of
     * networks with several kernels).
     *
     * @return samples[network][width][seed]
     */
    FiniteNetwork.Sample[][][] sample() {
        MemoryCheck.require("verify at width " + widths[widths.length - 1] + " on " + threads + " threads",
                bytesNeeded());
        int nets = networks.size();
        int nw = widths.length;
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
        return samples;
    }

    /** The raw statistics of one check, before the run's multiple-test correction. */
    private record Raw(int net, KernelKind kind, double[] rms, double[] rmsSe, double[] meanErr, List<PairBias> bias) {
    }

    /**
     * Turns the networks' kernels into the checks' statistics and verdicts (class comment).
     *
     * @param samples from {@link #sample} of a study with the same networks, widths and seeds
     * @return the report
     */
    Report analyse(FiniteNetwork.Sample[][][] samples) {
        int nets = networks.size();
        int nw = widths.length;
        int n = inputs.length;
        List<Raw> raws = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int k = 0; k < nets; k++) {
            GramMatrices exact = NtkRecursion.of(references.get(k)).withThreads(1).gram(inputs);
            for (KernelKind kind : new KernelKind[] {KernelKind.NTK, KernelKind.NNGP}) {
                double[][] a = exact.get(kind);
                List<int[]> pairs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        double scale = Math.sqrt(a[i][i] * a[j][j]);
                        String what = label(networks.get(k)) + " " + kind.name() + " of (x" + i + ", x" + j + ")";
                        if (!(scale > 0) || !Double.isFinite(scale)) {
                            notes.add(what + " skipped: k(x,x)k(y,y) = 0, no kernel scale to compare with");
                            continue;
                        }
                        if (Math.abs(a[i][j]) < ZERO_FRACTION * scale) {
                            notes.add(String.format(Locale.ROOT, "%s: exact value %s is 0 to %.0e of the kernel "
                                    + "scale; its error is relative to the scale %.4g", what,
                                    a[i][j] == 0 ? "0" : String.format(Locale.ROOT, "%.3g", a[i][j]), ZERO_FRACTION,
                                    scale));
                        }
                        pairs.add(new int[] {i, j});
                    }
                }
                if (pairs.isEmpty()) {
                    throw Messages.invalid("every input pair has a zero kernel scale k(x,x)k(y,y) for "
                            + label(networks.get(k)) + " " + kind.name() + ": nothing to compare");
                }
                int np = pairs.size();
                double[] rms = new double[nw];
                double[] rmsSe = new double[nw];
                double[] meanErr = new double[nw];
                double[][][] values = new double[np][nw][seeds];
                for (int wi = 0; wi < nw; wi++) {
                    double[] q = new double[seeds];
                    double[] sum = new double[np];
                    for (int s = 0; s < seeds; s++) {
                        double[][] v = kind == KernelKind.NTK ? samples[k][wi][s].ntk() : samples[k][wi][s].nngp();
                        double acc = 0;
                        for (int p = 0; p < np; p++) {
                            int i = pairs.get(p)[0];
                            int j = pairs.get(p)[1];
                            double e = (v[i][j] - a[i][j]) / Math.sqrt(a[i][i] * a[j][j]);
                            acc += e * e;
                            sum[p] += v[i][j];
                            values[p][wi][s] = v[i][j];
                        }
                        q[s] = acc / np;
                    }
                    double ms = EmpiricalNtk.mean(q);
                    if (!(ms > 0)) {
                        throw Messages.invalid("the finite networks of width " + widths[wi] + " reproduce the exact "
                                + kind.name() + " of " + label(networks.get(k))
                                + " exactly: there is no finite-width error to converge");
                    }
                    rms[wi] = Math.sqrt(ms);
                    rmsSe[wi] = EmpiricalNtk.stderr(q) / (2 * rms[wi]);
                    double me = 0;
                    for (int p = 0; p < np; p++) {
                        int i = pairs.get(p)[0];
                        int j = pairs.get(p)[1];
                        me += Math.abs(sum[p] / seeds - a[i][j]) / Math.sqrt(a[i][i] * a[j][j]);
                    }
                    meanErr[wi] = me / np;
                }
                List<PairBias> bias = new ArrayList<>();
                for (int p = 0; p < np; p++) {
                    int i = pairs.get(p)[0];
                    int j = pairs.get(p)[1];
                    bias.add(PairBias.test(i, j, a[i][j], Math.sqrt(a[i][i] * a[j][j]), widths, values[p]));
                }
                raws.add(new Raw(k, kind, rms, rmsSe, meanErr, List.copyOf(bias)));
            }
        }
        // the run's family: every pair's bias test and every check's rate test
        int tests = 0;
        for (Raw r : raws) {
            tests += r.bias().size() + 1;
        }
        double level = 1 - ALPHA / tests;
        double[] m = new double[nw];
        double[] dfs = new double[nw];
        for (int wi = 0; wi < nw; wi++) {
            m[wi] = widths[wi];
            dfs[wi] = seeds - 1;
        }
        List<RateFit> fits = new ArrayList<>();
        double[] allP = new double[tests];
        int t = 0;
        for (Raw r : raws) {
            RateFit fit = RateFit.withStandardErrors(m, r.rms(), r.rmsSe(), dfs, level);
            fits.add(fit);
            for (PairBias b : r.bias()) {
                allP[t++] = b.p();
            }
            allP[t++] = Significance.twoSidedP((fit.slope() - EXPECTED_SLOPE) / fit.slopeStderr(), fit.degreesOfFreedom());
        }
        double[] holm = Significance.holm(allP);
        List<Result> results = new ArrayList<>();
        t = 0;
        double seedsFactor = 1;
        double widthFactor = 1;
        for (int c = 0; c < raws.size(); c++) {
            Raw r = raws.get(c);
            RateFit fit = fits.get(c);
            List<String> reasons = new ArrayList<>();
            double[] biasHolm = new double[r.bias().size()];
            Verdict biasVerdict = Verdict.PASS;
            double detectable = 0;
            PairBias worst = null;
            for (int p = 0; p < biasHolm.length; p++) {
                PairBias b = r.bias().get(p);
                biasHolm[p] = holm[t++];
                detectable = Math.max(detectable, b.detectable(ALPHA / tests, POWER));
                if (worst == null || Math.abs(b.t()) > Math.abs(worst.t())) {
                    worst = b;
                }
                if (biasHolm[p] <= ALPHA) {
                    biasVerdict = Verdict.FAIL;
                    reasons.add(String.format(Locale.ROOT, "bias: the mean of (x%d, x%d) extrapolates to %.6g, the "
                            + "exact value is %.6g: off by %.1f%% of the kernel scale, %.1f standard errors "
                            + "(Holm p = %.2g)", b.i(), b.j(), b.extrapolated(), b.exact(), 100 * b.offset(), b.t(),
                            biasHolm[p]));
                }
            }
            double slopeHolm = holm[t++];
            if (biasVerdict == Verdict.PASS) {
                if (detectable > MAX_OFFSET) {
                    biasVerdict = Verdict.INCONCLUSIVE;
                    // the offset detectable with many degrees of freedom (normal quantiles): the
                    // t quantile of a few seeds would exaggerate how many more are needed
                    double zs = Significance.normalQuantile(1 - ALPHA / tests / 2) + Significance.normalQuantile(POWER);
                    double dz = 0;
                    for (PairBias b : r.bias()) {
                        dz = Math.max(dz, zs * b.stderr() / b.scale());
                    }
                    double f = Math.max(MIN_ADVICE, (dz / MAX_OFFSET) * (dz / MAX_OFFSET));
                    seedsFactor = Math.max(seedsFactor, f);
                    widthFactor = Math.max(widthFactor, f);
                    reasons.add(String.format(Locale.ROOT, "bias: no offset seen, but only offsets above %.1f%% of "
                            + "the kernel scale would be detected (bound %.1f%%)", 100 * detectable, 100 * MAX_OFFSET));
                } else {
                    reasons.add(String.format(Locale.ROOT, "bias: no offset seen (largest %.2f%% of the kernel scale, "
                            + "%.1f standard errors, at (x%d, x%d)); offsets above %.1f%% would be detected",
                            100 * Math.abs(worst.offset()), Math.abs(worst.t()), worst.i(), worst.j(), 100 * detectable));
                }
            }
            SlopeCheck.Outcome rate = SlopeCheck.decide(fit, EXPECTED_SLOPE, true, SlopeCheck.MAX_HALF_WIDTH);
            seedsFactor = Math.max(seedsFactor, rate.seedsFactor());
            reasons.add("rate: " + rate.reason());
            Verdict verdict = biasVerdict.and(rate.verdict());
            results.add(new Result(label(networks.get(r.net())), networks.get(r.net()).spec(), r.kind(), widths.clone(),
                    r.rms(), r.rmsSe(), r.meanErr(), fit, slopeHolm, r.bias(), biasHolm, detectable, verdict,
                    List.copyOf(reasons)));
        }
        Verdict verdict = Verdict.PASS;
        for (Result r : results) {
            verdict = verdict.and(r.verdict());
        }
        int moreSeeds = verdict == Verdict.INCONCLUSIVE ? (int) Math.min(Integer.MAX_VALUE,
                (long) Math.ceil(seeds * seedsFactor * ADVICE_MARGIN)) : seeds;
        int largest = widths[nw - 1];
        // a wider network is only advised within a factor 16 of the largest width (cost ~ m²)
        int widerTo = verdict == Verdict.INCONCLUSIVE && widthFactor > 1 && widthFactor <= 16 ? (int) Math.min(
                Integer.MAX_VALUE,
                (long) Math.ceil(largest * widthFactor * ADVICE_MARGIN)) : largest;
        return new Report(verdict, List.copyOf(results), seeds, seed, ALPHA, tests, List.copyOf(notes), moreSeeds,
                widerTo);
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
     * @param rmsRelError RMS over networks and pairs of the error relative to each pair's kernel scale
     *                    √(k(x,x)k(y,y)), per width
     * @param rmsStderr standard error of that RMS, per width
     * @param meanRelError error of the seed average relative to the kernel scale, averaged over
     *                     pairs, per width
     * @param fit the log–log fit of the RMS error against the width, its interval at the run's
     *            Bonferroni level 1 − α/T
     * @param slopeHolmP Holm-adjusted p-value of "slope = −1/2" in the run's family
     * @param bias the bias test of each pair compared (pairs with a zero kernel scale are left out)
     * @param biasHolmP Holm-adjusted p-value of each pair's bias test, in the run's family
     * @param detectableOffset the largest over pairs of the offset (in units of the kernel scale)
     *                         the bias test detects with 80% power
     * @param verdict PASS, FAIL or INCONCLUSIVE
     * @param reasons one line per test saying what it found
     */
    public record Result(String activation, String network, KernelKind kernel, int[] widths, double[] rmsRelError,
            double[] rmsStderr, double[] meanRelError, RateFit fit, double slopeHolmP, List<PairBias> bias,
            double[] biasHolmP, double detectableOffset, Verdict verdict, List<String> reasons) {
        /** @return whether the verdict is PASS */
        public boolean pass() {
            return verdict == Verdict.PASS;
        }
    }

    /**
     * The whole study.
     *
     * @param verdict FAIL if any check failed, else INCONCLUSIVE if any was, else PASS
     * @param results per network and kernel
     * @param seeds networks per width
     * @param seed the run's seed
     * @param alpha the family-wise error rate α of the run
     * @param tests T, the number of hypotheses in the run's family (every pair's bias test and
     *              every check's rate test)
     * @param notes pairs left out or measured against the kernel scale because their exact value is 0
     * @param suggestedSeeds networks per width that would likely decide an INCONCLUSIVE run (the
     *                       seeds of the run otherwise)
     * @param suggestedWidth a largest width that would likely decide the bias test of an
     *                       INCONCLUSIVE run at the same seeds, when within 16 times the largest
     *                       width (the largest width otherwise)
     */
    public record Report(Verdict verdict, List<Result> results, int seeds, long seed, double alpha, int tests,
            List<String> notes, int suggestedSeeds, int suggestedWidth) {
        /** @return whether the verdict is PASS */
        public boolean pass() {
            return verdict == Verdict.PASS;
        }

        /**
         * The report as text: the test family, then per network and kernel the errors by width,
         * the reasons and the verdict, then the overall verdict (and, when INCONCLUSIVE, how
         * many seeds or how wide a network would decide). The command {@code verify} prints it.
         *
         * @return lines ending in a line separator
         */
        public String toText() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "errors are relative to each pair's kernel scale sqrt(k(x,x) k(y,y)); %d tests "
                    + "at family-wise level %.2g (each at %.2g, Holm)%n", tests, alpha, alpha / tests));
            for (String note : notes) {
                sb.append("note: ").append(note).append(System.lineSeparator());
            }
            for (Result r : results) {
                sb.append(System.lineSeparator());
                sb.append(String.format(Locale.ROOT, "%s %s   (%s)%n", r.activation(), r.kernel().name(), r.network()));
                sb.append(String.format(Locale.ROOT, "  %7s  %14s  %14s  %10s%n", "width", "mean rel err", "RMS rel err",
                        "s.e."));
                for (int i = 0; i < r.widths().length; i++) {
                    sb.append(String.format(Locale.ROOT, "  %7d  %14.5f  %14.5f  %10.5f%n", r.widths()[i],
                            r.meanRelError()[i], r.rmsRelError()[i], r.rmsStderr()[i]));
                }
                for (String reason : r.reasons()) {
                    sb.append("  ").append(reason).append(System.lineSeparator());
                }
                sb.append("  -> ").append(r.verdict()).append(System.lineSeparator());
            }
            sb.append(System.lineSeparator());
            int size = results.size();
            long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
            long open = results.stream().filter(r -> r.verdict() == Verdict.INCONCLUSIVE).count();
            switch (verdict) {
                case PASS -> sb.append(String.format(Locale.ROOT, "PASS: all %d checks: the networks converge to these "
                        + "kernels (an offset of %.0f%% of the kernel scale would have been seen) like m^(-1/2)%n", size,
                        100 * MAX_OFFSET));
                case FAIL -> sb.append(String.format(Locale.ROOT, "FAIL: %d of %d checks: the finite networks do not "
                        + "converge to these kernels like m^(-1/2)%n", failed, size));
                default -> {
                    int[] w = results.get(0).widths();
                    sb.append(String.format(Locale.ROOT, "INCONCLUSIVE: %d of %d checks cannot decide with this data%n",
                            open, size));
                    sb.append(String.format(Locale.ROOT, "to decide: more seeds (%d)%s%n", suggestedSeeds,
                            suggestedWidth > w[w.length - 1] ? String.format(Locale.ROOT,
                                    ", or, for the bias test, a larger largest width (about %d)", suggestedWidth) : ""));
                }
            }
            return sb.toString();
        }

        /**
         * The report as JSON-ready maps and lists (the keys of {@code verify --format json}
         * without the run's inputs and time).
         *
         * @return the verdict, per result its errors, slope fit and bias tests, and the test family
         */
        public java.util.Map<String, Object> toMap() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("verdict", verdict.name());
            m.put("pass", pass());
            List<Object> out = new ArrayList<>();
            for (Result r : results) {
                java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
                o.put("activation", r.activation());
                o.put("network", r.network());
                o.put("kernel", r.kernel().name().toLowerCase(Locale.ROOT));
                o.put("verdict", r.verdict().name());
                o.put("pass", r.pass());
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
                o.put("slope_ci_level", r.fit().confidence());
                o.put("slope_stderr", r.fit().slopeStderr());
                o.put("slope_df", r.fit().degreesOfFreedom());
                o.put("expected_slope", EXPECTED_SLOPE);
                o.put("slope_holm_p", r.slopeHolmP());
                List<Object> bias = new ArrayList<>();
                for (int p = 0; p < r.bias().size(); p++) {
                    PairBias b = r.bias().get(p);
                    java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
                    e.put("pair", List.of(b.i(), b.j()));
                    e.put("exact", b.exact());
                    e.put("scale", b.scale());
                    e.put("extrapolated", b.extrapolated());
                    e.put("stderr", b.stderr());
                    e.put("offset", b.offset());
                    e.put("t", b.t());
                    e.put("df", b.df());
                    e.put("p", b.p());
                    e.put("holm_p", r.biasHolmP()[p]);
                    bias.add(e);
                }
                o.put("bias", bias);
                o.put("detectable_offset", r.detectableOffset());
                o.put("reasons", r.reasons());
                out.add(o);
            }
            m.put("results", out);
            m.put("seeds", seeds);
            m.put("seed", seed);
            m.put("alpha", alpha);
            m.put("tests", tests);
            m.put("power", POWER);
            m.put("max_offset", MAX_OFFSET);
            m.put("max_slope_half_width", SlopeCheck.MAX_HALF_WIDTH);
            m.put("notes", notes);
            if (verdict == Verdict.INCONCLUSIVE) {
                m.put("suggested_seeds", suggestedSeeds);
                m.put("suggested_width", suggestedWidth);
            }
            return m;
        }
    }
}
