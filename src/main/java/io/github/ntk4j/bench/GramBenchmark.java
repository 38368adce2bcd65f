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
 *
 * <p>The result's layout ({@link Layout}): by default each matrix is one new row-major array of
 * N² doubles ({@link io.github.ntk4j.math.KernelFunction#gramFlat(double[][], double[], double[])}),
 * as numpy's two result arrays are, allocated inside the timed run as numpy's are; or the
 * {@code double[N][N]} rows of {@link io.github.ntk4j.math.KernelFunction#gram(double[][])}, whose
 * time includes the young collections that copy the rows (at N = 4,000, erf depth 5, two threads:
 * about 45 ms of a 0.27 s Gram; see {@code KernelFunction#gramFlat}).
 */
public final class GramBenchmark {
    private GramBenchmark() {
    }

    /** How the timed Gram matrices are stored. */
    public enum Layout {
        /** One row-major array of N² doubles per matrix ({@code KernelFunction.gramFlat}), like numpy's. */
        FLAT,
        /** N rows of N doubles per matrix ({@code KernelFunction.gram}). */
        ROWS
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
     * @param layout how the matrices were stored
     */
    public record Result(int n, int d, int threads, double seconds, double entriesPerSecond, double k00,
            double k01, Layout layout) {
    }

    /**
     * Runs the benchmark with the matrices in the given layout.
     *
     * @param network the network
     * @param n rows of X, ≥ 2 (≤ 46,340 for {@link Layout#FLAT})
     * @param d columns of X, ≥ 1
     * @param threads worker threads
     * @param repeat timed repetitions, ≥ 1
     * @param seed seed of X
     * @param kind the one kernel to compute, or null for both (as the numpy baseline does)
     * @param layout how the matrices are stored
     * @return timings
     */
    public static Result run(Network network, int n, int d, int threads, int repeat, long seed, KernelKind kind,
            Layout layout) {
        if (layout == null) {
            throw io.github.ntk4j.internal.Messages.invalid("the layout must not be null (flat or rows)");
        }
        DataChecks.atLeast("n", n, 2);
        DataChecks.atLeast("d", d, 1);
        DataChecks.atLeast("repeat", repeat, 1);
        NtkRecursion.of(network).withThreads(threads); // checks the thread count
        if (layout == Layout.FLAT) {
            if (n > DataChecks.MAX_FLAT_ORDER) { // N² entries in one Java array
                throw io.github.ntk4j.internal.Messages.tooLarge("n of the flat layout (the rows layout takes more)", n,
                        DataChecks.MAX_FLAT_ORDER);
            }
        }
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
        double[] k = compute(engine, x, kind, layout); // warm-up (JIT)
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeat; r++) {
            k = null; // let the previous result go before the next is allocated
            long t0 = System.nanoTime();
            k = compute(engine, x, kind, layout);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return new Result(n, d, threads, best, (double) n * n / best, k[0], k[1], layout);
    }

    /** @return the first two entries of row 0 of Θ (or of the one kernel asked for) */
    private static double[] compute(NtkRecursion engine, double[][] x, KernelKind kind, Layout layout) {
        int n = x.length;
        if (layout == Layout.ROWS) {
            double[][] g = kind == null ? engine.gram(x).ntk() : engine.gram(x, kind);
            return new double[] {g[0][0], g[0][1]};
        }
        double[] g;
        if (kind == null) {
            double[] nngp = new double[n * n];
            g = new double[n * n];
            engine.gramFlat(x, nngp, g);
        } else {
            g = engine.gramFlat(x, kind);
        }
        return new double[] {g[0], g[1]};
    }
}
