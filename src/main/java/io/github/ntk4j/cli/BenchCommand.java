package io.github.ntk4j.cli;

import io.github.ntk4j.kernel.GramBenchmark;
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
        subcommands = {BenchCommand.Gram.class, BenchCommand.Empirical.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is needed (gram or empirical)");
    }

    /** {@code ntk4j bench gram}. */
    @Command(name = "gram", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times both Gram matrices of random standard-normal X (fixed seed): best of --repeat runs "
                    + "after a warm-up, Gram computation only.")
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

        @Mixin
        NetworkOptions network;

        @Override
        public void run() {
            int t = threads.orProcessors();
            var net = network.network();
            KernelKind kind = kernel.equals("both") ? null : KernelKind.parse(kernel);
            GramBenchmark.Result r = GramBenchmark.run(net, n, d, t, repeat, seed, kind);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", r.seconds());
            m.put("entries_per_second", r.entriesPerSecond());
            m.put("n", n);
            m.put("d", d);
            m.put("threads", t);
            m.put("repeat", repeat);
            m.put("network", net.spec());
            m.put("kernel", kernel);
            m.put(kind == KernelKind.NNGP ? "nngp00" : "ntk00", r.k00());
            m.put(kind == KernelKind.NNGP ? "nngp01" : "ntk01", r.k01());
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
            spec.commandLine().getErr().println(io.github.ntk4j.Messages.memoryNote("bench empirical",
                    io.github.ntk4j.finite.EmpiricalBenchmark.bytesNeeded(net, n, d, width, t)));
            spec.commandLine().getErr().flush();
            io.github.ntk4j.finite.EmpiricalBenchmark.Result r =
                    io.github.ntk4j.finite.EmpiricalBenchmark.run(net, n, d, width, t, repeat, seed);
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
}
