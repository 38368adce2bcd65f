package io.github.ntk4j.finite;

import java.util.SplittableRandom;

/**
 * Counter-based seeding of the parameters of a finite network: every block of
 * {@link #COLUMN_BLOCK} consecutive weights of one row of one layer, and every bias vector,
 * has its own {@link SplittableRandom} stream whose seed is a hash of
 * (network seed, layer, row, column block). Any block can therefore be regenerated on its own,
 * in any order and on any thread, and always yields the same N(0, 1) numbers; nothing about a
 * run's result depends on the thread count or on which weights were kept in memory.
 *
 * <p>The hash is the 64-bit finaliser of MurmurHash3 / SplitMix64 (Steele, Lea, Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014) applied to the running
 * combination; the normals come from {@link SplittableRandom#nextGaussian()} (Java 17's
 * modified ziggurat).
 */
public final class ParameterStreams {
    /** Weights per stream along a row; rows of width n use ⌈n / COLUMN_BLOCK⌉ streams. */
    public static final int COLUMN_BLOCK = 256;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private ParameterStreams() {
    }

    /**
     * SplitMix64's finaliser, a bijective avalanche mix of 64 bits.
     *
     * @param z input
     * @return mixed value
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Combines a seed with further counters into a new seed: mix(…mix(mix(seed + γ) ^ c₁ + γ)…).
     *
     * @param seed the base seed
     * @param counters counters (network index, width, layer, row, block, …)
     * @return the derived seed
     */
    public static long derive(long seed, long... counters) {
        long z = mix(seed + GOLDEN);
        for (long c : counters) {
            z = mix((z ^ c) + GOLDEN);
        }
        return z;
    }

    /**
     * Fills {@code dst[off … off+len)} with the weights W[row][col0 … col0+len) of a layer,
     * where {@code col0} is a multiple of {@link #COLUMN_BLOCK} and the range lies within
     * one block or runs over whole blocks.
     *
     * @param networkSeed the network's seed
     * @param layer index of the Dense layer in the network's layer list
     * @param row output unit
     * @param col0 first column, a multiple of COLUMN_BLOCK
     * @param len number of weights
     * @param dst destination
     * @param off offset in dst
     */
    public static void fillWeights(long networkSeed, int layer, int row, int col0, int len, double[] dst, int off) {
        int done = 0;
        while (done < len) {
            int col = col0 + done;
            int block = col / COLUMN_BLOCK;
            int n = Math.min(COLUMN_BLOCK - (col - block * COLUMN_BLOCK), len - done);
            SplittableRandom r = new SplittableRandom(derive(networkSeed, layer, row, block));
            for (int k = 0; k < n; k++) {
                dst[off + done + k] = r.nextGaussian();
            }
            done += n;
        }
    }

    /**
     * The bias vector b of a layer (i.i.d. N(0, 1)), one stream per layer.
     *
     * @param networkSeed the network's seed
     * @param layer index of the Dense layer
     * @param width output width
     * @return b
     */
    public static double[] biases(long networkSeed, int layer, int width) {
        SplittableRandom r = new SplittableRandom(derive(networkSeed, layer, -1L));
        double[] b = new double[width];
        for (int i = 0; i < width; i++) {
            b[i] = r.nextGaussian();
        }
        return b;
    }
}
