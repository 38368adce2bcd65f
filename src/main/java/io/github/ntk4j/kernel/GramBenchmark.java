package io.github.ntk4j.kernel;

import io.github.ntk4j.Messages;
import io.github.ntk4j.net.Network;
import java.util.Random;

/**
 * Times the Gram computation the way {@code ../shared/baselines/numpy_gram.py} does, so the two
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
     * @param ntk00 Θ(x₀, x₀), to compare with the baseline's output
     * @param ntk01 Θ(x₀, x₁)
     */
    public record Result(int n, int d, int threads, double seconds, double entriesPerSecond, double ntk00,
            double ntk01) {
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
     * @return timings
     */
    public static Result run(Network network, int n, int d, int threads, int repeat, long seed) {
        if (n < 2) {
            throw Messages.tooSmall("n", n, 2);
        }
        if (d < 1) {
            throw Messages.tooSmall("d", d, 1);
        }
        if (repeat < 1) {
            throw Messages.tooSmall("repeat", repeat, 1);
        }
        Random rng = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        NtkRecursion engine = NtkRecursion.of(network).withThreads(threads);
        GramMatrices g = engine.gram(x); // warm-up (JIT)
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeat; r++) {
            long t0 = System.nanoTime();
            g = engine.gram(x);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return new Result(n, d, threads, best, (double) n * n / best, g.ntk()[0][0], g.ntk()[0][1]);
    }
}
