package io.github.ntk4j.bench;

import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.finite.ParameterStreams;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Network;
import java.util.SplittableRandom;

/**
 * Times the empirical NTK Gram matrix of one finite network, the quantity a PyTorch
 * {@code torch.func} empirical NTK computes: N random standard-normal inputs (fixed seed), a
 * network of the given width, one forward and one backward pass
 * ({@link FiniteNetwork#evaluate}), parameters generated on the fly. One warm-up evaluation
 * (JIT), then the best of {@code repeat} timed evaluations, each of a fresh network (seed
 * 1, 2, …).
 */
public final class EmpiricalBenchmark {
    private EmpiricalBenchmark() {
    }

    /**
     * Result of a benchmark.
     *
     * @param seconds best wall time of one network's empirical NTK Gram matrix
     * @param meanSeconds mean wall time over the timed repetitions
     * @param cpuSeconds process CPU time per timed network (all threads, including the JIT and
     *                   the collector; −1 where the JVM cannot tell), a guide when other work
     *                   shares the processors and wall times are noisy
     * @param bytes estimated memory of one evaluation
     * @param ntk00 Θ̂(x₀, x₀) of the last network
     * @param ntk01 Θ̂(x₀, x₁) of the last network
     */
    public record Result(double seconds, double meanSeconds, double cpuSeconds, long bytes, double ntk00, double ntk01) {
    }

    /**
     * Runs the benchmark.
     *
     * @param network the architecture
     * @param n inputs N ≥ 2
     * @param d input dimension ≥ 1
     * @param width hidden width ≥ 1
     * @param threads threads for one network
     * @param repeat timed repetitions ≥ 1
     * @param seed seed of the inputs and networks
     * @return timings
     */
    public static Result run(Network network, int n, int d, int width, int threads, int repeat, long seed) {
        DataChecks.atLeast("repeat", repeat, 1);
        long bytes = bytesNeeded(network, n, d, width, threads);
        MemoryCheck.require("an empirical NTK of " + n + " inputs at width " + width, bytes);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        try (Workers workers = new Workers(threads)) {
            FiniteNetwork.of(network, width, ParameterStreams.derive(seed, 0)).evaluate(x, workers);
            double best = Double.POSITIVE_INFINITY;
            double sum = 0;
            FiniteNetwork.Sample s = null;
            long cpu0 = processCpuNanos();
            for (int r = 1; r <= repeat; r++) {
                FiniteNetwork fn = FiniteNetwork.of(network, width, ParameterStreams.derive(seed, r));
                long t0 = System.nanoTime();
                s = fn.evaluate(x, workers);
                double sec = (System.nanoTime() - t0) * 1e-9;
                best = Math.min(best, sec);
                sum += sec;
            }
            long cpu1 = processCpuNanos();
            double cpu = cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) * 1e-9 / repeat;
            return new Result(best, sum / repeat, cpu, bytes, s.ntk()[0][0], s.ntk()[0][1]);
        }
    }

    /**
     * Memory one benchmark run needs, after checking its arguments (so that a bad thread count
     * or size is reported as such, not as a negative or absurd memory need).
     *
     * @param network the architecture
     * @param n inputs N ≥ 2
     * @param d input dimension ≥ 1
     * @param width hidden width ≥ 1
     * @param threads threads, 1 … {@link Workers#MAX_THREADS}
     * @return estimated bytes
     */
    public static long bytesNeeded(Network network, int n, int d, int width, int threads) {
        DataChecks.atLeast("n", n, 2);
        DataChecks.atLeast("d", d, 1);
        FiniteNetwork.checkWidth(width);
        Workers.checkThreads(threads);
        return MemoryCheck.plus(FiniteNetwork.bytesNeeded(network, n, d, width, 1, threads), MemoryCheck.doubles(n, d));
    }

    /** The JDK-specific bean with the process CPU time; absent from runtimes without jdk.management. */
    static final String CPU_BEAN = "com.sun.management.OperatingSystemMXBean";

    /** Process CPU time in nanoseconds, or −1 when the platform does not report it. */
    private static long processCpuNanos() {
        return processCpuNanos(CPU_BEAN);
    }

    /**
     * Process CPU time through the named bean interface, looked up reflectively: a jlinked
     * runtime without the {@code jdk.management} module has no such class, and a direct
     * reference would end the benchmark with {@link NoClassDefFoundError}. Without it the
     * benchmark reports wall time only (CPU time −1).
     *
     * @param beanInterface the interface's name (a seam for tests)
     * @return nanoseconds, or −1
     */
    static long processCpuNanos(String beanInterface) {
        try {
            Class<?> type = Class.forName(beanInterface);
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (!type.isInstance(os)) {
                return -1;
            }
            Object v = type.getMethod("getProcessCpuTime").invoke(os);
            return v instanceof Long l && l >= 0 ? l : -1;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return -1;
        }
    }
}
