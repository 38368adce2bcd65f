package io.github.ntk4j.bench;

import io.github.ntk4j.kernel.NtkRecursion;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.net.Network;
import java.util.Random;

/**
 * Times single-pair evaluations {@link NtkRecursion#pair} against the amortised cost of a Gram
 * entry, in one run: one Gram matrix of {@code n} random standard-normal inputs (fixed seed, one
 * thread), best of {@code repeat} after two seconds of warm-up, whose time per upper-triangle
 * entry is the reference; then {@code pairs} calls pair(x_i, x_j) over distinct pairs of the same
 * inputs, timed the same way. The Gram matrix is timed first, so that it runs code compiled for
 * it, not for one-pair batches. Both on the calling thread, timed by that thread's CPU time
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
        // the Gram matrix first: timed after the pair loop, it runs code that HotSpot compiled
        // from one-pair batches (measured at depth 5: 240 against 160 ns per entry, which
        // flattered the ratio by half)
        double bestGram = Double.POSITIVE_INFINITY;
        double entries = (double) n * (n + 1) / 2;
        warmUp(() -> engine.gram(x));
        for (int r = 0; r < repeat; r++) {
            long t0 = clock.getCurrentThreadCpuTime();
            engine.gram(x);
            bestGram = Math.min(bestGram, (clock.getCurrentThreadCpuTime() - t0) * 1e-9 / entries);
        }
        double[] sum = new double[1];
        Runnable pairRound = () -> {
            sum[0] = 0;
            for (int p = 0; p < pairs; p++) {
                int i = p % n;
                int j = (p / n + 1 + i) % n;
                sum[0] += engine.pair(x[i], x[j]).ntk();
            }
        };
        warmUp(pairRound);
        double bestPair = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeat; r++) {
            long t0 = clock.getCurrentThreadCpuTime();
            pairRound.run();
            bestPair = Math.min(bestPair, (clock.getCurrentThreadCpuTime() - t0) * 1e-9 / pairs);
        }
        return new Result(bestPair, bestGram, bestPair / bestGram, sum[0]);
    }

    /** Wall seconds of warm-up before either side is timed. */
    private static final double WARM_UP_SECONDS = 2;

    /**
     * Runs a round until {@link #WARM_UP_SECONDS} have passed (at least once), so that HotSpot
     * has compiled it: one round was not enough for the Gram matrix (at depth 5 a fresh JVM's
     * second Gram of 500 inputs ran about 15 % faster than its first, 152 against 181 ns per
     * entry), and a round of pair() calls may be far shorter than that.
     */
    private static void warmUp(Runnable round) {
        long t0 = System.nanoTime();
        do {
            round.run();
        } while (System.nanoTime() - t0 < WARM_UP_SECONDS * 1e9);
    }
}
