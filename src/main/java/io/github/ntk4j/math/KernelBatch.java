package io.github.ntk4j.math;

/**
 * Working state of the kernel recursion for a batch of input pairs (x_k, y_k) at one layer:
 * the 2×2 covariance blocks (Σxx, Σxy, Σyy) of the layer's input, the two quantities that
 * would otherwise cancel, D = ΣxxΣyy − Σxy² and E = Σxx + Σyy − 2Σxy (docs/KERNEL-RECURSION.md §5), and the
 * NTK Θ accumulated so far; one array entry per pair (structure of arrays).
 *
 * <p>Why a batch: each layer's rule is a chain of dependent square roots, divisions and an
 * arc tangent, so one pair at a time runs at the latency of that chain. Applying a layer to
 * up to 64 independent pairs in one loop lets the processor overlap them, which is several
 * times faster. It is a mutable scratch object on purpose: the Gram engine reuses one per
 * thread, so the recursion allocates nothing per pair.
 *
 * <p>Layers read {@link #kxx}, {@link #kyy} (this layer's input variances) and
 * {@link #kxxOut}, {@link #kyyOut} (its output variances; all four precomputed once per input
 * by the engine) and update {@link #kxy}, {@link #d}, {@link #e} and {@link #ntk} in place,
 * for indices 0 … {@link #size}−1.
 */
public final class KernelBatch {
    /** Number of pairs in use. */
    public int size;
    /** Σxx per pair at the input of the current layer. */
    public final double[] kxx;
    /** Σyy per pair at the input of the current layer. */
    public final double[] kyy;
    /** Σxx per pair at the output of the current layer. */
    public final double[] kxxOut;
    /** Σyy per pair at the output of the current layer. */
    public final double[] kyyOut;
    /** Σxy per pair: the NNGP kernel at the input of the current layer. */
    public final double[] kxy;
    /** D = ΣxxΣyy − Σxy² ≥ 0 per pair, carried without cancellation. */
    public final double[] d;
    /** E = Σxx + Σyy − 2Σxy ≥ 0 per pair, carried without cancellation. */
    public final double[] e;
    /** Θ per pair, the NTK accumulated so far (0 before the first layer). */
    public final double[] ntk;
    /**
     * Whether x and y are the same input (a Gram diagonal entry, or equal vectors). Activations
     * whose D and E are formed by subtraction use it to keep such pairs exactly identical; a
     * zero E alone cannot tell, as it may be a rounded tiny value.
     */
    public final boolean[] same;
    /**
     * Base fan-in N of the current layer, the same for every pair: the input dimension d for the
     * network's first layer, the hidden width for the others (NaN when the network does not
     * state one). Only standard-parameterisation Dense layers read it: their NTK grows with it.
     */
    public double fanIn = Double.NaN;
    /**
     * The current layer's per-input state for the data set of the first inputs x (from the
     * layer's {@code prepare}), or null: the pairs are then evaluated without it. Set by the
     * Gram engine only; never copied into scratch batches, whose pairs are not indexed so.
     */
    public Object preparedX;
    /** The same for the data set of the second inputs y (the same object for a Gram matrix). */
    public Object preparedY;
    /** Index of every pair's x in its data set when {@link #preparedX} is set. */
    public int row;
    /** Index of pair 0's y in its data set; pair k has y index column0 + k. */
    public int column0;
    private KernelBatch[] scratch;

    /**
     * Creates a zeroed batch.
     *
     * @param capacity the largest number of pairs it will hold
     */
    public KernelBatch(int capacity) {
        kxx = new double[capacity];
        kyy = new double[capacity];
        kxxOut = new double[capacity];
        kyyOut = new double[capacity];
        kxy = new double[capacity];
        d = new double[capacity];
        e = new double[capacity];
        ntk = new double[capacity];
        same = new boolean[capacity];
    }

    /**
     * A scratch batch of the same capacity owned by this one, for layers that run sub-networks
     * on the same pairs (branches of a residual block); created on first use and reused, so a
     * Gram computation allocates nothing per pair.
     *
     * @param i which scratch batch, ≥ 0
     * @return the scratch batch
     */
    public KernelBatch scratch(int i) {
        if (scratch == null || scratch.length <= i) {
            scratch = java.util.Arrays.copyOf(scratch == null ? new KernelBatch[0] : scratch, i + 1);
        }
        if (scratch[i] == null) {
            scratch[i] = new KernelBatch(kxx.length);
        }
        return scratch[i];
    }

    /**
     * Copies the pair states 0 … size−1 (Σxx, Σyy, Σxy, D, E, Θ, same) and the fan-in into
     * another batch of at least this size.
     *
     * @param to the target
     */
    public void copyTo(KernelBatch to) {
        int n = size;
        to.size = n;
        to.fanIn = fanIn;
        System.arraycopy(kxx, 0, to.kxx, 0, n);
        System.arraycopy(kyy, 0, to.kyy, 0, n);
        System.arraycopy(kxy, 0, to.kxy, 0, n);
        System.arraycopy(d, 0, to.d, 0, n);
        System.arraycopy(e, 0, to.e, 0, n);
        System.arraycopy(ntk, 0, to.ntk, 0, n);
        System.arraycopy(same, 0, to.same, 0, n);
    }

    /**
     * A batch holding one pair with the given covariances, D and E taken from their
     * definitions (for single evaluations of a dual; the engine fills D and E stably).
     *
     * @param kxx Σxx
     * @param kxy Σxy
     * @param kyy Σyy
     * @param kxxOut Σxx after the layer
     * @param kyyOut Σyy after the layer
     * @return a batch of size 1, Θ = 1
     */
    public static KernelBatch single(double kxx, double kxy, double kyy, double kxxOut, double kyyOut) {
        KernelBatch b = new KernelBatch(1);
        b.size = 1;
        b.kxx[0] = kxx;
        b.kyy[0] = kyy;
        b.kxy[0] = kxy;
        b.kxxOut[0] = kxxOut;
        b.kyyOut[0] = kyyOut;
        b.d[0] = Math.max(kxx * kyy - kxy * kxy, 0);
        b.e[0] = Math.max(kxx + kyy - 2 * kxy, 0);
        b.ntk[0] = 1;
        return b;
    }
}
