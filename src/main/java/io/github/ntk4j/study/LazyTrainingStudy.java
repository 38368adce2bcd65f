package io.github.ntk4j.study;

import io.github.ntk4j.learn.KernelSpectrum;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.finite.TrainableNetwork;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.RateFit;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lazy training checked at finite width (Jacot et al. 2018; Lee et al. 2019, "Wide neural
 * networks of any depth evolve as linear models under gradient descent", NeurIPS, §2 and
 * Fig. 1): finite networks ({@link TrainableNetwork}, initialised exactly as the Monte Carlo
 * networks {@code FiniteNetwork.of(network, m, 1, EmpiricalNtk.networkSeed(seed, m, s))}) are
 * trained by S steps of full-batch gradient descent with step η on L = ½‖f(X) − Y‖², and for
 * every width m and network s the study measures
 * <ul>
 * <li>the relative parameter change ‖θ_S − θ_0‖/‖θ_0‖ over all trained parameters and per Dense
 * layer (inside branches too, in network order);</li>
 * <li>the relative change of the empirical NTK Gram matrix of the training set,
 * ‖Θ̂_S − Θ̂_0‖_F/‖Θ̂_0‖_F;</li>
 * <li>the RMS distance over the test inputs between the trained network's outputs and the
 * infinite-width linearised prediction from the SAME initial outputs (Lee et al. 2019, eq. 9,
 * in its exact discrete-step form):
 * <pre>
 *   f^lin_S(x*) = f_0(x*) + Θ(x*, X) Θ(X, X)⁻¹ (I − (I − ηΘ(X, X))^S) (Y − f_0(X))
 * </pre>
 * with Θ the analytic NTK ({@link NtkRecursion}); computed as Θ(x*, X) V diag(g_i) Vᵀ (Y − f_0(X))
 * with Θ(X, X) = V diag(λ_i) Vᵀ and g_i = (1 − (1 − ηλ_i)^S)/λ_i (= ηS as λ_i → 0), so no
 * inverse is formed.</li>
 * </ul>
 * Per width the values are averaged over the networks (mean and standard error s/√S), and each
 * quantity's mean is fitted by a power law C·m^p; the interval of p comes from the per-width
 * standard errors, at level 1 − α/(number of checks), and {@link SlopeCheck} decides PASS,
 * FAIL or INCONCLUSIVE (an interval containing 0 or wider than ±1/4 cannot decide).
 *
 * <p>The checks (each fit must have a negative slope, upper end of its CI &lt; 0, and):
 * <ul>
 * <li>test distance to the linearised infinite-width prediction: CI contains −1/2. The initial
 * empirical NTK differs from Θ by O(m^(−1/2)) (docs/KERNEL-RECURSION.md §6, {@code verify}), and the
 * linearised prediction depends smoothly on it, so this term dominates; Lee et al. 2019,
 * Theorem 2.1, bound the distance by O(m^(−1/2)).</li>
 * <li>relative NTK change, distance to the network's own linearisation (Θ̂_0 in place of Θ),
 * relative change of all parameters: at least as fast as m^(−1/2) (lower end of the CI
 * ≤ −1/2). Lee et al. 2019 (Theorem G.1) bound ‖Θ̂_t − Θ̂_0‖_F by O(m^(−1/2)); for smooth
 * activations the change is O(m^(−1)) (Dyer and Gur-Ari 2020, "Asymptotics of wide networks
 * from Feynman diagrams", ICLR), so a bound, not an exponent, is what holds across
 * activations.</li>
 * <li>relative change of each Dense layer: CI contains −1/2 for the first layer and the readout
 * and −1 for an m×m layer (every hidden layer, and every Dense layer inside a residual block or
 * other branches). The trained parameters are c times N(0, 1) numbers (c = 1 in NTK
 * parameterisation, W_std/√N or b_std in standard parameterisation, {@link TrainableNetwork}),
 * ‖θ_l,0‖ ∝ √(fan-in·fan-out), and
 * each layer moves by O(1) in total (its gradient has norm O(1): ∂f/∂W_ij = (σ/√n) δ_i g_j);
 * so a layer with one side m changes like m^(−1/2), an m×m layer like m^(−1), and the whole
 * vector like m^(−1/2) for one hidden layer and m^(−1) asymptotically for deeper networks.</li>
 * </ul>
 *
 * <p>Cost: per network and step about 3·N·P multiply-adds (forward, weight gradient,
 * back-propagated sensitivities) for P parameters, P ≈ (L−1)m² for L hidden layers; memory one
 * network of the largest width per thread ({@link #bytesNeeded}).
 */
public final class LazyTrainingStudy {
    /** Default widths. */
    public static final int[] DEFAULT_WIDTHS = {64, 128, 256, 512, 1024, 2048};
    /** Default number of networks per width. */
    public static final int DEFAULT_SEEDS = 4;
    /** Default activation: erf, smooth, so the lazy-training rates are not blurred by ReLU's kinks. */
    public static final String DEFAULT_ACTIVATION = "erf";
    /** Default number of hidden layers. */
    public static final int DEFAULT_DEPTH = 1;
    /** Default W_std of every Dense layer. */
    public static final double DEFAULT_W_STD = 1.4;
    /** Default b_std of every Dense layer. */
    public static final double DEFAULT_B_STD = 0.1;
    /** Default number of gradient-descent steps. */
    public static final int DEFAULT_STEPS = 30;
    /** Default learning rate as a fraction of 2/λ_max(Θ(X, X)), the stability limit. */
    public static final double DEFAULT_LR_FRACTION = 0.5;
    /** Default training-set size. */
    public static final int DEFAULT_TRAIN = 16;
    /** Default test-set size. */
    public static final int DEFAULT_TEST = 16;
    /**
     * Family-wise level α of a run's checks: each slope interval is at 1 − α/(number of checks)
     * (Bonferroni), from the per-width standard errors ({@link SlopeCheck}).
     */
    public static final double ALPHA = 0.05;
    /** Expected exponent of the lazy-training quantities checked. */
    public static final double EXPECTED_SLOPE = -0.5;

    /** How a fitted slope p is compared with its expected exponent e (always also p's CI &lt; 0). */
    public enum Rule {
        /** e lies in the confidence interval of p. */
        CONSISTENT,
        /** the lower end of p's interval is ≤ e: the quantity falls at least as fast as m^e. */
        AT_LEAST_AS_FAST
    }

    private final Network network;
    private final Network reference;
    private final double[][] xTrain;
    private final double[][] yTrain;
    private final double[][] xTest;
    private final int[] widths;
    private final int steps;
    private final double learningRate;
    private final int seeds;
    private final long seed;
    private final int threads;
    private final Progress progress;

    private LazyTrainingStudy(Network network, Network reference, double[][] xTrain, double[][] yTrain, double[][] xTest,
            int[] widths, int steps, double learningRate, int seeds, long seed, int threads, Progress progress) {
        this.network = network;
        this.reference = reference;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xTest = xTest;
        this.widths = widths;
        this.steps = steps;
        this.learningRate = learningRate;
        this.seeds = seeds;
        this.seed = seed;
        this.threads = threads;
        this.progress = progress;
    }

    /**
     * The default study: an erf network with one hidden layer (W_std 1.4, b_std 0.1), trained on
     * {@link #DEFAULT_TRAIN} points of the unit circle x = (cos α, sin α), α = 2πi/16, with
     * targets y = sin(2α) + 0.5 cos(3α), tested at the {@link #DEFAULT_TEST} angles halfway
     * between; widths {@link #DEFAULT_WIDTHS}, {@link #DEFAULT_STEPS} steps, η =
     * {@link #DEFAULT_LR_FRACTION}·2/λ_max, {@link #DEFAULT_SEEDS} networks per width, seed 0.
     *
     * @param network the architecture, or null for the default
     * @return the study
     */
    public static LazyTrainingStudy defaults(Network network) {
        Network net = network != null ? network
                : Network.fullyConnected(NetworkSpec.parseActivation(DEFAULT_ACTIVATION), DEFAULT_DEPTH,
                        DEFAULT_W_STD, DEFAULT_B_STD);
        double[][] x = new double[DEFAULT_TRAIN][];
        double[][] y = new double[DEFAULT_TRAIN][];
        for (int i = 0; i < DEFAULT_TRAIN; i++) {
            double a = 2 * Math.PI * i / DEFAULT_TRAIN;
            x[i] = new double[] {Math.cos(a), Math.sin(a)};
            y[i] = new double[] {Math.sin(2 * a) + 0.5 * Math.cos(3 * a)};
        }
        double[][] t = new double[DEFAULT_TEST][];
        for (int i = 0; i < DEFAULT_TEST; i++) {
            double a = 2 * Math.PI * (i + 0.5) / DEFAULT_TEST;
            t[i] = new double[] {Math.cos(a), Math.sin(a)};
        }
        return new LazyTrainingStudy(net, net, x, y, t, DEFAULT_WIDTHS.clone(), DEFAULT_STEPS, Double.NaN, DEFAULT_SEEDS, 0,
                Runtime.getRuntime().availableProcessors(), Progress.NONE);
    }

    /**
     * @param x training inputs (N×d)
     * @param y targets (N×1)
     * @param test test inputs (M×d)
     * @return a copy with that data set
     */
    public LazyTrainingStudy withData(double[][] x, double[][] y, double[][] test) {
        DataChecks.dataSet("training inputs", x);
        DataChecks.dataSet("test inputs", test);
        if (test[0].length != x[0].length) {
            throw Messages.dimensionMismatch("training input dimension", x[0].length, "test input dimension",
                    test[0].length);
        }
        double[][] yc = DataChecks.oneOutputTargets("lazy training", y, x.length);
        return new LazyTrainingStudy(network, reference, Vectors.copyRows(x), yc, Vectors.copyRows(test), widths, steps, learningRate, seeds, seed, threads,
                progress);
    }


    /**
     * A negative control: the linearised predictions use the analytic NTK of {@code ref} instead
     * of the trained network's own (the networks, their training and the default learning rate
     * are unchanged), so a mismatch must keep the test distance from falling like m^(−1/2).
     *
     * @param ref the network whose kernel the trained networks are compared with
     * @return a copy comparing with that kernel
     */
    public LazyTrainingStudy withReference(Network ref) {
        if (ref == null) {
            throw Messages.invalid("reference network is null");
        }
        return new LazyTrainingStudy(network, ref, xTrain, yTrain, xTest, widths, steps, learningRate, seeds, seed, threads,
                progress);
    }

    /**
     * @param w widths, at least 3 distinct values ≥ 1 (sorted and de-duplicated)
     * @return a copy with those widths
     */
    public LazyTrainingStudy withWidths(int... w) {
        if (w == null || w.length == 0) {
            throw Messages.empty("widths");
        }
        int[] sorted = Arrays.stream(w).sorted().distinct().toArray();
        for (int v : sorted) {
            FiniteNetwork.checkWidth(v);
        }
        if (sorted.length < 3) {
            throw Messages.tooSmall("number of distinct widths (a slope with a confidence interval needs at least 3)",
                    sorted.length, 3);
        }
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, sorted, steps, learningRate, seeds, seed, threads,
                progress);
    }

    /**
     * @param s gradient-descent steps S ≥ 1
     * @return a copy with that many steps
     */
    public LazyTrainingStudy withSteps(int s) {
        if (s < 1) {
            throw Messages.tooSmall("steps", s, 1);
        }
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, widths, s, learningRate, seeds, seed, threads,
                progress);
    }

    /**
     * @param eta learning rate η &gt; 0, or NaN for the default {@link #DEFAULT_LR_FRACTION}·2/λ_max
     * @return a copy with that learning rate
     */
    public LazyTrainingStudy withLearningRate(double eta) {
        if (!Double.isNaN(eta) && !(eta > 0 && Double.isFinite(eta))) {
            throw Messages.notPositive("learning rate", eta);
        }
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, widths, steps, eta, seeds, seed, threads, progress);
    }

    /**
     * @param s networks per width, ≥ 2 (for a standard error)
     * @return a copy with that many networks
     */
    public LazyTrainingStudy withSeeds(int s) {
        if (s < 2) {
            throw Messages.tooSmall("seeds (a standard error needs at least 2 networks per width)", s, 2);
        }
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, widths, steps, learningRate, s, seed, threads,
                progress);
    }

    /**
     * @param s the run's seed; the same seed reproduces the run exactly
     * @return a copy with that seed
     */
    public LazyTrainingStudy withSeed(long s) {
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, widths, steps, learningRate, seeds, s, threads,
                progress);
    }

    /**
     * @param t worker threads ≥ 1, one network per thread (results do not depend on it)
     * @return a copy with that many threads
     */
    public LazyTrainingStudy withThreads(int t) {
        if (t < 1) {
            throw Messages.tooSmall("threads", t, 1);
        }
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, widths, steps, learningRate, seeds, seed, t,
                progress);
    }

    /**
     * @param p progress listener, told (networks done, networks)
     * @return a copy reporting to it
     */
    public LazyTrainingStudy withProgress(Progress p) {
        return new LazyTrainingStudy(network, reference, xTrain, yTrain, xTest, widths, steps, learningRate, seeds, seed, threads,
                p == null ? Progress.NONE : p);
    }

    /** @return the architecture */
    public Network network() {
        return network;
    }

    /** @return the network whose analytic NTK the linearised predictions use (the trained one unless a reference is set) */
    public Network reference() {
        return reference;
    }

    /** @return the widths */
    public int[] widths() {
        return widths.clone();
    }

    /** @return training inputs */
    public double[][] trainInputs() {
        return Vectors.copyRows(xTrain);
    }

    /** @return the targets (N×1) */
    public double[][] targets() {
        return Vectors.copyRows(yTrain);
    }

    /** @return the test inputs */
    public double[][] testInputs() {
        return Vectors.copyRows(xTest);
    }

    /** @return the number of gradient-descent steps */
    public int steps() {
        return steps;
    }

    /**
     * Bytes the run needs at once: one {@link TrainableNetwork} of the largest width per thread
     * (its parameters dominate: about 8·m² bytes per hidden m×m layer), plus the analytic
     * kernels.
     *
     * @return estimated bytes
     */
    public long bytesNeeded() {
        int maxWidth = widths[widths.length - 1];
        int n = xTrain.length + xTest.length; // the own-linearisation NTK is taken on both sets at once
        long per = TrainableNetwork.bytesNeeded(network, n, xTrain[0].length, maxWidth, 1);
        long concurrent = Math.min(threads, (long) widths.length * seeds);
        // every network's run (its per-layer changes and test predictions) is kept for the statistics
        long kept = MemoryCheck.times((long) widths.length * seeds,
                MemoryCheck.plus(256, MemoryCheck.doubles(network.layers().size() + xTest.length + 8)));
        return MemoryCheck.plus(MemoryCheck.times(per, concurrent), MemoryCheck.times(4, MemoryCheck.doubles(n, n)), kept);
    }

    /**
     * One fitted quantity: its per-width mean over the networks, standard error, the power-law
     * fit of the means, the expected exponent (NaN when only a fall is required) and the verdict.
     *
     * @param name what was measured
     * @param mean per-width mean over networks
     * @param stderr per-width standard error s/√S
     * @param fit the log–log fit of the means
     * @param expectedSlope the exponent e it is compared with
     * @param rule how the slope is compared with e
     * @param verdict PASS, FAIL or INCONCLUSIVE ({@link SlopeCheck})
     * @param reason why, one line
     */
    public record Check(String name, double[] mean, double[] stderr, RateFit fit, double expectedSlope, Rule rule,
            Verdict verdict, String reason) {
        /** @return whether the verdict is PASS */
        public boolean pass() {
            return verdict == Verdict.PASS;
        }
    }

    /**
     * What one network's training gave.
     *
     * @param width m
     * @param index network index s
     * @param weightChange ‖θ_S − θ_0‖/‖θ_0‖ over all parameters
     * @param layerChange the same per Dense layer
     * @param ntkChange ‖Θ̂_S − Θ̂_0‖_F/‖Θ̂_0‖_F on the training set
     * @param distance RMS over test inputs of f_S(x*) − f^lin_S(x*)
     * @param ownDistance RMS over test inputs of f_S(x*) − f^elin_S(x*), the same linearisation
     *                    with the network's own initial empirical NTK Θ̂_0 instead of Θ
     * @param initialLoss ½‖f_0(X) − Y‖²
     * @param finalLoss ½‖f_S(X) − Y‖²
     * @param linearFinalLoss ½‖f^lin_S(X) − Y‖² of the linearised prediction
     */
    public record Run(int width, int index, double weightChange, double[] layerChange, double ntkChange, double distance,
            double ownDistance, double initialLoss, double finalLoss, double linearFinalLoss) {
    }

    /**
     * The study's result.
     *
     * @param widths widths m
     * @param seeds networks per width
     * @param seed run seed
     * @param steps S
     * @param learningRate η
     * @param largestEigenvalue λ_max of the analytic Θ(X, X)
     * @param smallestEigenvalue λ_min of the analytic Θ(X, X)
     * @param layers Dense layer names, e.g. "dense 1 (2→m)"
     * @param runs every network's values, width-major
     * @param distance test-prediction distance to the linearised infinite-width prediction (checked)
     * @param ownDistance test-prediction distance to the network's own linearisation (checked)
     * @param ntkChange relative NTK change (checked)
     * @param weightChange relative change of all parameters (checked)
     * @param layerChange relative change per Dense layer (checked)
     * @param pass whether every check holds
     */
    public record Report(int[] widths, int seeds, long seed, int steps, double learningRate, double largestEigenvalue,
            double smallestEigenvalue, List<String> layers, List<Run> runs, Check distance, Check ownDistance, Check ntkChange,
            Check weightChange, List<Check> layerChange, boolean pass) {
        /** @return FAIL if any check failed, else INCONCLUSIVE if any was, else PASS */
        public Verdict verdict() {
            return checks().stream().map(Check::verdict).reduce(Verdict.PASS, Verdict::and);
        }

        /** @return all checks: distance, own-linearisation distance, NTK change, all-parameter change, then per layer */
        public List<Check> checks() {
            List<Check> all = new ArrayList<>(List.of(distance, ownDistance, ntkChange, weightChange));
            all.addAll(layerChange);
            return all;
        }

        /** @return per width: the mean initial loss, final loss and linearised final loss over the networks */
        private double[][] meanLosses() {
            double[][] out = new double[widths.length][3];
            for (int w = 0; w < widths.length; w++) {
                for (int s = 0; s < seeds; s++) {
                    Run run = runs.get(w * seeds + s);
                    out[w][0] += run.initialLoss() / seeds;
                    out[w][1] += run.finalLoss() / seeds;
                    out[w][2] += run.linearFinalLoss() / seeds;
                }
            }
            return out;
        }

        /**
         * @param c a check
         * @return its name as a JSON key, e.g. {@code ntk_relative_change}
         */
        public static String key(Check c) {
            return c.name().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_+$", "").toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * The report as text: the kernel's spectrum, a table of the mean losses and checked
         * quantities per width, each check's slope fit and verdict, and the overall verdict.
         * The command {@code train} prints it after a line naming the network and the run.
         *
         * @return lines ending in a line separator
         */
        public String toText() {
            java.util.Locale root = java.util.Locale.ROOT;
            String nl = System.lineSeparator();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(root, "analytic NTK on the training set: eigenvalues %.4g .. %.4g%n", smallestEigenvalue,
                    largestEigenvalue));
            sb.append(nl);
            List<Check> checks = checks();
            sb.append(String.format(root, "  %-6s %-10s %-10s %-10s %-10s", "width", "loss 0", "loss S", "lin loss S",
                    "dist inf"));
            sb.append(String.format(root, " %-10s %-10s %-10s", "dist own", "NTK chg", "W chg all"));
            for (int c = 4; c < checks.size(); c++) {
                sb.append(String.format(root, " %-10s", "W chg L" + (c - 3)));
            }
            sb.append(nl);
            double[][] losses = meanLosses();
            for (int w = 0; w < widths.length; w++) {
                sb.append(String.format(root, "  %-6d %-10.4g %-10.4g %-10.4g", widths[w], losses[w][0], losses[w][1],
                        losses[w][2]));
                for (Check c : checks) {
                    sb.append(String.format(root, " %-10.4g", c.mean()[w]));
                }
                sb.append(nl);
            }
            sb.append(nl);
            for (Check c : checks) {
                String rule = c.rule() == Rule.CONSISTENT ? String.format(root, "consistent with %.1f", c.expectedSlope())
                        : String.format(root, "at least as steep as %.1f", c.expectedSlope());
                sb.append(String.format(root, "  %-48s slope %6.3f, %.2f%% CI [%6.3f, %6.3f]  %s: %s%n", c.name(),
                        c.fit().slope(), 100 * c.fit().confidence(), c.fit().lower(), c.fit().upper(), rule, c.verdict()));
                if (!c.pass()) {
                    sb.append("      ").append(c.reason()).append(nl);
                }
            }
            sb.append(nl);
            long failed = checks.stream().filter(c -> c.verdict() == Verdict.FAIL).count();
            long open = checks.stream().filter(c -> c.verdict() == Verdict.INCONCLUSIVE).count();
            switch (verdict()) {
                case PASS -> sb.append("PASS: all " + checks.size() + " quantities fall with width as lazy training predicts");
                case FAIL -> sb.append("FAIL: " + failed + " of " + checks.size()
                        + " quantities do not fall with width as predicted");
                default -> sb.append("INCONCLUSIVE: " + open + " of " + checks.size() + " quantities cannot be decided "
                        + "with this data: add networks (--seeds) or a wider range of widths (--widths)");
            }
            sb.append(nl);
            sb.append("  (losses and changes are means over the networks; dist = RMS over test inputs of f_S - f_lin_S;"
                    + " layers L1.. are the Dense layers in order)").append(nl);
            return sb.toString();
        }

        /**
         * The report as JSON-ready maps and lists (the keys of {@code train --format json}
         * without the networks' specs and the run's time).
         *
         * @return the verdict, the run's settings, the checks and the mean losses per width
         */
        public java.util.Map<String, Object> toMap() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("verdict", verdict().name());
            m.put("pass", pass);
            List<Integer> ws = new ArrayList<>();
            for (int w : widths) {
                ws.add(w);
            }
            m.put("widths", ws);
            m.put("steps", steps);
            m.put("learning_rate", learningRate);
            m.put("time", learningRate * steps);
            m.put("theta_eigenvalue_max", largestEigenvalue);
            m.put("theta_eigenvalue_min", smallestEigenvalue);
            m.put("seeds", seeds);
            m.put("seed", seed);
            m.put("alpha", ALPHA);
            List<Object> cs = new ArrayList<>();
            for (Check c : checks()) {
                java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
                o.put("quantity", c.name());
                o.put("key", key(c));
                o.put("mean", c.mean());
                o.put("stderr", c.stderr());
                o.put("slope", c.fit().slope());
                o.put("slope_ci", new double[] {c.fit().lower(), c.fit().upper()});
                o.put("slope_ci_level", c.fit().confidence());
                o.put("slope_df", c.fit().degreesOfFreedom());
                o.put("expected_slope", c.expectedSlope());
                o.put("rule", c.rule().name().toLowerCase(java.util.Locale.ROOT));
                o.put("verdict", c.verdict().name());
                o.put("reason", c.reason());
                o.put("pass", c.pass());
                cs.add(o);
            }
            m.put("checks", cs);
            List<Object> ls = new ArrayList<>();
            double[][] losses = meanLosses();
            for (int w = 0; w < widths.length; w++) {
                java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
                o.put("width", widths[w]);
                o.put("initial_loss", losses[w][0]);
                o.put("final_loss", losses[w][1]);
                o.put("linearised_final_loss", losses[w][2]);
                ls.add(o);
            }
            m.put("mean_losses", ls);
            return m;
        }
    }

    /**
     * Runs the study.
     *
     * @return the report
     */
    public Report run() {
        MemoryCheck.require("train", bytesNeeded());
        NtkRecursion engine = NtkRecursion.of(reference);
        double[][] thetaTrain = engine.gram(xTrain, KernelKind.NTK);
        double[][] thetaTestTrain = engine.cross(xTest, xTrain, KernelKind.NTK);
        KernelSpectrum spec = KernelSpectrum.of(thetaTrain, true);
        int n = xTrain.length;
        double[] lambda = spec.eigenvalues();
        // the default step comes from the trained network's own kernel, also under a reference:
        // a reference's smaller kernel would make the networks diverge instead of testing them
        double lmax = reference == network ? lambda[0]
                : KernelSpectrum.of(NtkRecursion.of(network).gram(xTrain, KernelKind.NTK), false).largest();
        if (Double.isNaN(learningRate) && !(lmax > 0)) {
            // the default rate is a fraction of 2/λ_max; a zero kernel (W_std = b_std = 0) has none
            throw Messages.invalid(String.format(java.util.Locale.ROOT, "the analytic NTK of the training set is zero "
                    + "(largest eigenvalue %s): the network's output does not depend on its parameters (are W_std and "
                    + "b_std all 0?), so there is nothing to train and no default learning rate 1/lambda_max", lmax));
        }
        if (!Double.isNaN(learningRate) && lmax > 0 && learningRate * lmax >= 2) {
            // gradient descent on the linearised network multiplies the residual along the top
            // eigenvector by 1 − ηλ_max per step: |1 − ηλ_max| ≥ 1 grows it instead of shrinking it
            throw Messages.invalid(String.format(java.util.Locale.ROOT, "the learning rate %s is at or above 2/lambda_max = %s "
                    + "of the analytic NTK of the training set, where gradient descent diverges (each step multiplies the "
                    + "residual by |1 - eta*lambda_max| >= 1): use a smaller learning rate (the default is 1/lambda_max)",
                    learningRate, 2 / lmax));
        }
        double eta = Double.isNaN(learningRate) ? DEFAULT_LR_FRACTION * 2 / lmax : learningRate;
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            v[i] = spec.eigenvector(i);
        }
        double[] gain = new double[n];
        for (int i = 0; i < n; i++) {
            gain[i] = io.github.ntk4j.learn.Gains.discrete(Math.max(lambda[i], 0), eta, steps);
        }
        int total = widths.length * seeds;
        AtomicInteger done = new AtomicInteger();
        Run[] runs = new Run[total];
        NetworkTraining training = new NetworkTraining(network, xTrain, yTrain, xTest, steps, seed);
        try (Workers workers = new Workers(Math.min(threads, total))) {
            // largest widths first, so the slowest networks do not start last
            workers.forEach(total, t -> {
                int wi = widths.length - 1 - t / seeds;
                int si = t % seeds;
                runs[wi * seeds + si] = training.train(widths[wi], si, eta, v, gain, thetaTestTrain, thetaTrain);
                progress.update(done.incrementAndGet(), total);
            });
        }
        List<Run> list = List.of(runs);
        List<String> names = layerNames(runs[0].layerChange().length);
        return LazyTrainingChecks.report(widths.clone(), seeds, seed, steps, eta, lambda[0], lambda[n - 1], names, list);
    }

    private List<String> layerNames(int count) {
        List<String> names = new ArrayList<>();
        int d = network.inputMap() == null ? xTrain[0].length : network.inputMap().outputDimension(xTrain[0].length);
        for (int c = 0; c < count; c++) {
            String in = c == 0 ? Integer.toString(d) : "m";
            String out = c == count - 1 ? "1" : "m";
            names.add("dense " + (c + 1) + " (" + in + "->" + out + ")");
        }
        return names;
    }
}
