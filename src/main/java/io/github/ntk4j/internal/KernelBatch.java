package io.github.ntk4j.internal;

/**
 * Working state of the kernel recursion for a batch of input pairs (x_k, y_k) at one layer
 * boundary, in scale-free form (structure of arrays, one entry per pair):
 * <ul>
 * <li>{@link #c}: cos θ = Σxy/√(ΣxxΣyy), the cosine of the angle between the pair in the
 * layer's feature space;</li>
 * <li>{@link #v}: 1 − cos θ, carried without cancellation (it is tiny for nearly collinear
 * pairs, where cos θ has lost its digits);</li>
 * <li>{@link #s2}: sin²θ = D/(ΣxxΣyy) with D = ΣxxΣyy − Σxy², carried without cancellation
 * (docs/KERNEL-RECURSION.md §5) so that nearly collinear pairs keep their digits;</li>
 * <li>{@link #ntk}: Θ/√(ΣxxΣyy), the NTK accumulated so far relative to the NNGP scale (with 1
 * in place of the scale of an input of scale 0; 0
 * before the first layer).</li>
 * </ul>
 * The scales r = √Σxx of the two inputs are per input, not per pair: they live in
 * {@link KernelRows} (as {@link ScaledDouble}s, beyond the double range if need be), so that
 * nothing carried per pair can overflow or underflow whatever the norms of the inputs, the
 * weights or the depth. The engine multiplies the scales back in at the end:
 * K = c·r_x·r_y and Θ = ntk·r_x·r_y.
 *
 * <p>Contract for layers (see {@link io.github.ntk4j.net.Layer#mapPairs}): a layer maps
 * (c, s2, ntk) at its input to the same quantities at its output, normalised by its output
 * scales r'_x, r'_y; it keeps c in [−1, 1], v = 1 − c in [0, 2], s2 in [0, 1] and ntk finite.
 * Pairs whose inputs are the same ({@link #same}) must come out with c = 1 and v = s2 = 0
 * exactly (or c = s2 = 0 if the output scale is 0). A pair in which either input has scale 0
 * carries c = s2 = ntk = 0
 * ("zero pair"): its kernel values are 0 whatever the angle, and rules must map it to finite
 * values without dividing by zero.
 *
 * <p>Why a batch: each layer's rule is a chain of dependent square roots, divisions and an
 * arc tangent, so one pair at a time runs at the latency of that chain. Applying a layer to
 * up to 128 independent pairs in one loop lets the processor overlap them, which is several
 * times faster. It is a mutable scratch object on purpose: the Gram engine reuses one per
 * thread, so the recursion allocates nothing per pair.
 */
public final class KernelBatch {
    /** Number of pairs in use. */
    public int size;
    /** cos θ per pair. */
    public final double[] c;
    /** 1 − cos θ per pair, without cancellation. */
    public final double[] v;
    /** sin²θ per pair, without cancellation. */
    public final double[] s2;
    /**
     * Θ/(s_x s_y) per pair, with the NTK scales s = r = √Σxx, or s = 1 for an input of scale 0
     * (whose Θ is not 0 after a standard-parameterisation Dense layer, which adds 1 for the bias
     * gradient, while its K is).
     */
    public final double[] ntk;
    /**
     * Whether x and y are the same input (a Gram diagonal entry, or equal vectors). Rules whose
     * output angle is formed by subtraction use it to keep such pairs exactly identical; a
     * zero s2 alone cannot tell, as it may be a rounded tiny value.
     */
    public final boolean[] same;
    /**
     * Whether the pair's angle went through a rule that forms sin²θ by subtraction (so it is
     * known to about 1e-16 absolute, not relative) while nearly collinear; a later rule whose
     * value depends on sin²θ relative to something tiny (a saturated erf) must then refuse.
     */
    public final boolean[] rough;

    /**
     * Base fan-in N of the current layer, the same for every pair: the input dimension d for the
     * network's first layer, the hidden width for the others (NaN when the network does not
     * state one). Only standard-parameterisation Dense layers read it: their NTK grows with it.
     */
    public double fanIn = Double.NaN;
    /**
     * Scratch per pair for a rule's own use within one {@code mapPairs} call (a rule that runs
     * its pairs in a vectorised first pass and a scalar second pass keeps inputs there that the
     * first pass overwrote); its contents are undefined between calls.
     */
    public final double[] work;
    /** A second scratch array like {@link #work}. */
    public final double[] work2;
    /** A third scratch array like {@link #work}. */
    public final double[] work3;
    /** A fourth scratch array like {@link #work}. */
    public final double[] work4;
    /**
     * Fifth to seventh scratch arrays like {@link #work}: a rule split into several short loops
     * (each short enough for HotSpot's C2 to unroll and vectorise it, see docs/LAYERS.md
     * "Performance") passes its intermediates through them.
     */
    public final double[] work5;
    /** A sixth scratch array like {@link #work}. */
    public final double[] work6;
    /** A seventh scratch array like {@link #work}. */
    public final double[] work7;
    /**
     * Storage a layer may keep between its {@code mapPairs} calls on this batch, found by the
     * layer itself (the quadrature activations keep there the part of their per-input tables
     * that the current tile's columns read, copied to start at index 0 so that their pair loop
     * vectorises); null slots are free. Only the batch's owner thread uses it.
     */
    public final Object[] layerScratch = new Object[16];
    private KernelBatch[] scratch;
    private double[][] sliceCoefficients = new double[0][];
    private boolean[] sliceExtreme;

    /**
     * Creates a zeroed batch.
     *
     * @param capacity the largest number of pairs it will hold
     */
    public KernelBatch(int capacity) {
        c = new double[capacity];
        v = new double[capacity];
        s2 = new double[capacity];
        ntk = new double[capacity];
        same = new boolean[capacity];
        rough = new boolean[capacity];
        work = new double[capacity];
        work2 = new double[capacity];
        work3 = new double[capacity];
        work4 = new double[capacity];
        work5 = new double[capacity];
        work6 = new double[capacity];
        work7 = new double[capacity];
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
            scratch[i] = new KernelBatch(c.length);
        }
        return scratch[i];
    }

    /**
     * Rows from+k of y's coefficients and careful-path flags as rows k, for k &lt; {@link #size},
     * copied into buffers owned by this batch (valid until the next call). A rule whose pair loop
     * reads y's arrays at the same index k as the batch's lets the JIT vectorise it: HotSpot's C2
     * (JDK 17) does not vectorise a loop that stores to one array at k and loads from another at
     * from + k, as it cannot tell the two arrays apart. Scales, inner rows and prepared state are
     * not copied (null in the slice).
     *
     * @param y the rows
     * @param from the first row
     * @return the slice
     */
    public KernelRows slice(KernelRows y, int from) {
        int m = y.coefficients.length;
        int n = c.length;
        if (sliceCoefficients.length < m) {
            double[][] grown = java.util.Arrays.copyOf(sliceCoefficients, m);
            for (int r = sliceCoefficients.length; r < m; r++) {
                grown[r] = new double[n];
            }
            sliceCoefficients = grown;
        }
        double[][] co = new double[m][];
        int len = m == 0 ? 0 : Math.min(size, y.coefficients[0].length - from);
        for (int r = 0; r < m; r++) {
            co[r] = sliceCoefficients[r];
            System.arraycopy(y.coefficients[r], from, co[r], 0, len);
        }
        boolean[] ex = null;
        if (y.extreme != null) {
            if (sliceExtreme == null) {
                sliceExtreme = new boolean[n];
            }
            ex = sliceExtreme;
            System.arraycopy(y.extreme, from, ex, 0, len);
        }
        return new KernelRows(null, null, co, ex);
    }

    /**
     * Copies the pair states 0 … size−1 (c, v, s2, ntk, same, rough) and the fan-in into
     * another batch of at least this size.
     *
     * @param to the target
     */
    public void copyTo(KernelBatch to) {
        int n = size;
        to.size = n;
        to.fanIn = fanIn;
        System.arraycopy(c, 0, to.c, 0, n);
        System.arraycopy(v, 0, to.v, 0, n);
        System.arraycopy(s2, 0, to.s2, 0, n);
        System.arraycopy(ntk, 0, to.ntk, 0, n);
        System.arraycopy(same, 0, to.same, 0, n);
        System.arraycopy(rough, 0, to.rough, 0, n);
    }

    /**
     * A batch holding one pair with cosine c, 1 − c, sin²θ = (1 − c)(1 + c) and ntk = 1 (for single
     * evaluations of a dual; the engine fills s2 stably).
     *
     * @param c cos θ, clamped to [−1, 1]
     * @return a batch of size 1
     */
    public static KernelBatch single(double c) {
        KernelBatch b = new KernelBatch(1);
        b.size = 1;
        double cc = Math.max(-1, Math.min(1, c));
        b.c[0] = cc;
        b.v[0] = 1 - cc;
        b.s2[0] = Math.max((1 - cc) * (1 + cc), 0);
        b.ntk[0] = 1;
        return b;
    }
}
