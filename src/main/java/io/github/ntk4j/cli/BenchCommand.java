package io.github.ntk4j.cli;

import io.github.ntk4j.bench.GramBenchmark;
import io.github.ntk4j.math.KernelKind;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ntk4j bench}: benchmarks, printed as JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print JSON timings (compare with src/test/python/numpy_gram.py in the same run).",
        subcommands = {BenchCommand.Gram.class, BenchCommand.Empirical.class, BenchCommand.Predict.class,
                BenchCommand.Spectrum.class, BenchCommand.Falkon.class, BenchCommand.Pair.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is needed (gram, pair, empirical, predict, spectrum or falkon)");
    }

    /** {@code ntk4j bench gram}. */
    @Command(name = "gram", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times both Gram matrices of random standard-normal X (fixed seed): best of --repeat runs "
                    + "after a warm-up, Gram computation only; each matrix one row-major array, as numpy's (--layout).")
    static final class Gram implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", defaultValue = "4000", description = "Rows of X (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "100", description = "Columns of X (default: ${DEFAULT-VALUE}).")
        int d;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of X (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--kernel", defaultValue = "both",
                description = "both (as the numpy baseline), ntk or nngp (one N×N matrix; default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--layout", defaultValue = "flat",
                description = "flat: each matrix one row-major array of N² doubles, as numpy's; rows: double[N][N], "
                        + "whose young-GC copying is timed too (default: ${DEFAULT-VALUE}).")
        String layout;

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            int t = threads.orProcessors();
            var net = network.network();
            KernelKind kind = kernel.equals("both") ? null : KernelKind.parse(kernel);
            GramBenchmark.Layout lay = io.github.ntk4j.internal.DataChecks.byLabel(GramBenchmark.Layout.values(),
                    l -> l.name().toLowerCase(java.util.Locale.ROOT), layout);
            if (lay == null) {
                throw io.github.ntk4j.internal.Messages.badChoice("--layout", layout, "flat or rows");
            }
            GramBenchmark.Result r = GramBenchmark.run(net, n, d, t, repeat, seed, kind, lay);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", r.seconds());
            m.put("entries_per_second", r.entriesPerSecond());
            m.put("n", n);
            m.put("d", d);
            m.put("threads", t);
            m.put("repeat", repeat);
            m.put("network", net.spec());
            m.put("kernel", kernel);
            m.put("layout", lay.name().toLowerCase(java.util.Locale.ROOT));
            m.put(kind == KernelKind.NNGP ? "nngp00" : "ntk00", r.k00());
            m.put(kind == KernelKind.NNGP ? "nngp01" : "ntk01", r.k01());
            CliSupport.json(spec.commandLine().getOut(), m);
        }
    }

    /** {@code ntk4j bench pair}. */
    @Command(name = "pair", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times single-pair kernel calls (NtkRecursion.pair) against a Gram entry's amortised cost, "
                    + "both on one thread in the same run: best of --repeat after a warm-up.")
    static final class Pair implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", defaultValue = "500", description = "Inputs, and rows of the reference Gram matrix (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "100", description = "Input dimension (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--pairs", defaultValue = "100000", description = "pair() calls per repetition (default: ${DEFAULT-VALUE}).")
        int pairs;

        @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            var net = network.network();
            io.github.ntk4j.bench.PairBenchmark.Result r = io.github.ntk4j.bench.PairBenchmark.run(net, n, d, pairs, repeat,
                    seed);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", r.pairSeconds());
            m.put("gram_entry_seconds", r.gramEntrySeconds());
            m.put("ratio", r.ratio());
            m.put("n", n);
            m.put("d", d);
            m.put("pairs", pairs);
            m.put("network", net.spec());
            m.put("checksum", r.checksum());
            CliSupport.json(spec.commandLine().getOut(), m);
        }
    }

    /** {@code ntk4j bench empirical}. */
    @Command(name = "empirical", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times the empirical NTK Gram matrix of one finite network on N random standard-normal "
                    + "inputs (fixed seed): one forward and one backward pass, parameters generated on the fly; best "
                    + "of --repeat fresh networks after a warm-up.")
    static final class Empirical implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", defaultValue = "64", description = "Inputs (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "10", description = "Input dimension (default: ${DEFAULT-VALUE}).")
        int d;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--repeat", defaultValue = "3", description = "Timed networks (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs and networks (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            int t = threads.orProcessors();
            var net = network.network();
            // --width comes with the network options; the benchmark's default width is 1024
            int width = network.width() == null ? 1024 : network.width();
            spec.commandLine().getErr().println(io.github.ntk4j.internal.Messages.memoryNote("bench empirical",
                    io.github.ntk4j.bench.EmpiricalBenchmark.bytesNeeded(net, n, d, width, t)));
            spec.commandLine().getErr().flush();
            io.github.ntk4j.bench.EmpiricalBenchmark.Result r =
                    io.github.ntk4j.bench.EmpiricalBenchmark.run(net, n, d, width, t, repeat, seed);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", r.seconds());
            m.put("mean_seconds", r.meanSeconds());
            m.put("cpu_seconds", r.cpuSeconds());
            m.put("n", n);
            m.put("d", d);
            m.put("width", width);
            m.put("threads", t);
            m.put("repeat", repeat);
            m.put("memory_bytes", r.bytes());
            m.put("network", net.spec());
            m.put("ntk00", r.ntk00());
            m.put("ntk01", r.ntk01());
            CliSupport.json(spec.commandLine().getOut(), m);
        }
    }

    /** {@code ntk4j bench predict}. */
    @Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Times the linear algebra of predict (ntk mode: mean and variance of every test input) on "
                    + "random standard-normal inputs (fixed seed): Gram matrices computed first (timed apart), then "
                    + "best of --repeat runs after a warm-up. Compare with src/test/python/bench_learning.py, which "
                    + "runs this and the same computation in scipy/numpy in one invocation."})
    static final class Predict implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", defaultValue = "4000", description = "Training inputs (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--test", defaultValue = "500", description = "Test inputs (default: ${DEFAULT-VALUE}).")
        int m;

        @Option(names = "--d", defaultValue = "20", description = "Input dimension (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--time", paramLabel = "t|inf", defaultValue = "inf", converter = PredictCommand.TimeConverter.class, description = "Training time t or inf (default: ${DEFAULT-VALUE}).")
        double time;

        @Option(names = "--diag-reg", defaultValue = "1e-3", description = "Regulariser (default: ${DEFAULT-VALUE}).")
        double diagReg;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            int t = threads.orProcessors();
            var net = network.network();
            double tm = time;
            var r = io.github.ntk4j.bench.LearningBenchmark.predict(net, n, m, d, tm, diagReg, t, repeat, seed);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("seconds", r.seconds());
            o.put("gram_seconds", r.gramSeconds());
            o.put("heap_peak_bytes", r.heapPeakBytes());
            o.put("n", n);
            o.put("test", m);
            o.put("d", d);
            o.put("time", Double.isInfinite(time) ? "inf" : time);
            o.put("diag_reg", diagReg);
            o.put("repeat", repeat);
            o.put("network", net.spec());
            o.put("mean0", r.check());
            CliSupport.json(spec.commandLine().getOut(), o);
        }
    }

    /** {@code ntk4j bench spectrum}. */
    @Command(name = "spectrum", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times the eigenvalues (no vectors) of the N×N NTK Gram matrix of random standard-normal inputs "
                    + "(fixed seed): best of --repeat runs after a warm-up, the Gram matrix timed apart.")
    static final class Spectrum implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", defaultValue = "4000", description = "Inputs (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "20", description = "Input dimension (default: ${DEFAULT-VALUE}).")
        int d;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
        int repeat;

        @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            int t = threads.orProcessors();
            var net = network.network();
            var r = io.github.ntk4j.bench.LearningBenchmark.spectrum(net, n, d, t, repeat, seed);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("seconds", r.seconds());
            o.put("gram_seconds", r.gramSeconds());
            o.put("heap_peak_bytes", r.heapPeakBytes());
            o.put("n", n);
            o.put("d", d);
            o.put("repeat", repeat);
            o.put("network", net.spec());
            o.put("largest", r.check());
            CliSupport.json(spec.commandLine().getOut(), o);
        }
    }

    /** {@code ntk4j bench falkon}. */
    @Command(name = "falkon", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Runs the matrix-free FALKON solver on random standard-normal inputs (targets sin(x0) + x1/2 + "
                    + "noise) for each number of centres, with its time, iterations, peak heap and, with --dense, its "
                    + "relative distance to the dense t = inf solution on the test inputs. One JSON line per run.")
    static final class Falkon implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", defaultValue = "4000", description = "Training inputs (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--test", defaultValue = "500", description = "Test inputs (default: ${DEFAULT-VALUE}).")
        int m;

        @Option(names = "--d", defaultValue = "20", description = "Input dimension (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--centres", defaultValue = "250,500,1000,2000", split = ",",
                description = "Numbers of centres (default: ${DEFAULT-VALUE}).")
        int[] centres;

        @Option(names = "--diag-reg", defaultValue = "1e-1", description = "Ridge r (default: ${DEFAULT-VALUE}).")
        double diagReg;

        @Option(names = "--dense", description = "Also compute the dense solution and report the distance to it.")
        boolean dense;

        @Mixin
        ThreadsOption threads;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            int t = threads.orProcessors();
            var net = network.network();
            java.util.List<io.github.ntk4j.bench.LearningBenchmark.FalkonRun> runs;
            try (ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "falkon")) {
                runs = io.github.ntk4j.bench.LearningBenchmark.falkon(net, n, m, d, centres, diagReg, dense, t, seed, bar);
            }
            for (var r : runs) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("n", n);
                o.put("centres", r.centres());
                o.put("seconds", r.seconds());
                o.put("iterations", r.iterations());
                o.put("solved_directly", r.solvedDirectly());
                o.put("relative_error_vs_dense", Double.isNaN(r.relativeError()) ? null : (Object) r.relativeError());
                o.put("test_rmse", r.testRmse());
                o.put("dense_test_rmse", Double.isNaN(r.denseTestRmse()) ? null : (Object) r.denseTestRmse());
                o.put("heap_peak_bytes", r.heapPeakBytes());
                o.put("kernel_pass_seconds", r.kernelPassSeconds());
                o.put("kernel_evaluation_seconds", r.kernelEvaluationSeconds());
                o.put("diag_reg", diagReg);
                o.put("network", net.spec());
                CliSupport.json(spec.commandLine().getOut(), o);
            }
        }
    }
}
