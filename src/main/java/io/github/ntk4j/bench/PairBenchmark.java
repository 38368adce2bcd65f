package io.github.ntk4j.bench;

import io.github.ntk4j.kernel.NtkRecursion;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.net.Network;
import java.util.Random;

/**
 * Times single-pair evaluations {@link NtkRecursion#pair} against the amortised cost of a Gram
 * entry, in one run: random standard-normal inputs (fixed seed), {@code pairs} calls
 * pair(x_i, x_j) over distinct pairs after a warm-up, best of {@code repeat}; and one Gram
 * matrix of {@code n} inputs (one thread) timed the same way, whose time per upper-triangle
 * entry is the reference. Both on the calling thread, timed by that thread's CPU time
 * (ThreadMXBean), so that other processes sharing the cores change the ratio little.
 */
public final class PairBenchmark {
    private PairBenchmark() {
    }

    /**
     * @param pairSeconds best CPU time of one pair() call
     * @param gramEntrySeconds best CPU time of one Gram matrix divided by its n(n+1)/2 computed entries
     * @param ratio pairSeconds / gramEntrySeconds
     * @param checksum the sum of the pairs' NTK values (to compare builds)
     */
    public record Result(double pairSeconds, double gramEntrySeconds, double ratio, double checksum) {
    }

    /**
     * @param network the network
     * @param n inputs, ≥ 2 (pairs are taken among them; the Gram matrix is n×n)
     * @param d input dimension, ≥ 1
     * @param pairs pair() calls per repetition, ≥ 1
     * @param repeat timed repetitions, ≥ 1
     * @param seed seed of the inputs
     * @return timings
     */
    public static Result run(Network network, int n, int d, int pairs, int repeat, long seed) {
        DataChecks.atLeast("n", n, 2);
        DataChecks.atLeast("d", d, 1);
        DataChecks.atLeast("pairs", pairs, 1);
        DataChecks.atLeast("repeat", repeat, 1);
        io.github.ntk4j.internal.MemoryCheck.require("a benchmark Gram matrix of " + n + " inputs",
                io.github.ntk4j.internal.MemoryCheck.plus(io.github.ntk4j.internal.MemoryCheck.doubles(n, d),
                        NtkRecursion.resultBytes(n, n, 2)));
        Random rng = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        NtkRecursion engine = NtkRecursion.of(network).withThreads(1);
        java.lang.management.ThreadMXBean clock = java.lang.management.ManagementFactory.getThreadMXBean();
        double sum = 0;
        double bestPair = Double.POSITIVE_INFINITY;
        for (int r = 0; r <= repeat; r++) {
            sum = 0;
            long t0 = clock.getCurrentThreadCpuTime();
            for (int p = 0; p < pairs; p++) {
                int i = p % n;
                int j = (p / n + 1 + i) % n;
                sum += engine.pair(x[i], x[j]).ntk();
            }
            double s = (clock.getCurrentThreadCpuTime() - t0) * 1e-9 / pairs;
            if (r > 0) { // the first round is the warm-up
                bestPair = Math.min(bestPair, s);
            }
        }
        double bestGram = Double.POSITIVE_INFINITY;
        double entries = (double) n * (n + 1) / 2;
        for (int r = 0; r <= repeat; r++) {
            long t0 = clock.getCurrentThreadCpuTime();
            engine.gram(x);
            double s = (clock.getCurrentThreadCpuTime() - t0) * 1e-9 / entries;
            if (r > 0) {
                bestGram = Math.min(bestGram, s);
            }
        }
        return new Result(bestPair, bestGram, bestPair / bestGram, sum);
    }
}
