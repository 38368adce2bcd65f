package io.github.ntk4j.bench;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.net.Network;
import java.util.Random;

/**
 * Times the Gram computation the way {@code src/test/python/numpy_gram.py} does, so the two
 * can be compared in one run: random standard-normal X (fixed seed), one warm-up, then the best
 * of {@code repeat} timed runs of the Gram computation only (both kernels, like the baseline).
 */
public final class GramBenchmark {
    private GramBenchmark() {
    }

    /**
     * Result of a benchmark.
     *
     * @param n rows
     * @param d dimension
     * @param threads worker threads
     * @param seconds best wall time of one Gram computation
     * @param entriesPerSecond N²/seconds (the full matrix, though only the upper triangle is computed)
     * @param k00 Θ(x₀, x₀) (or K(x₀, x₀) when only the NNGP was asked for), to compare with the baseline
     * @param k01 Θ(x₀, x₁) (or K(x₀, x₁))
     */
    public record Result(int n, int d, int threads, double seconds, double entriesPerSecond, double k00,
            double k01) {
    }

    /**
     * Runs the benchmark.
     *
     * @param network the network
     * @param n rows of X, ≥ 2
     * @param d columns of X, ≥ 1
     * @param threads worker threads
     * @param repeat timed repetitions, ≥ 1
     * @param seed seed of X
     * @param kind the one kernel to compute, or null for both (as the numpy baseline does)
     * @return timings
     */
    public static Result run(Network network, int n, int d, int threads, int repeat, long seed, KernelKind kind) {
        DataChecks.atLeast("n", n, 2);
        DataChecks.atLeast("d", d, 1);
        DataChecks.atLeast("repeat", repeat, 1);
        NtkRecursion.of(network).withThreads(threads); // checks the thread count
        // X, the result kept from the previous repetition and the one being computed
        io.github.ntk4j.internal.MemoryCheck.require("a benchmark Gram matrix of " + n + " inputs of dimension " + d,
                io.github.ntk4j.internal.MemoryCheck.plus(io.github.ntk4j.internal.MemoryCheck.doubles(n, d),
                        NtkRecursion.resultBytes(n, n, kind == null ? 4 : 2)));
        Random rng = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        NtkRecursion engine = NtkRecursion.of(network).withThreads(threads);
        double[][] k = compute(engine, x, kind); // warm-up (JIT)
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeat; r++) {
            k = null; // let the previous result go before the next is allocated
            long t0 = System.nanoTime();
            k = compute(engine, x, kind);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return new Result(n, d, threads, best, (double) n * n / best, k[0][0], k[0][1]);
    }

    private static double[][] compute(NtkRecursion engine, double[][] x, KernelKind kind) {
        return kind == null ? engine.gram(x).ntk() : engine.gram(x, kind);
    }
}
