package io.github.ntk4j.net;

/**
 * The covariance form of the kernel state for a batch of pairs, in which the rules of activations
 * without a scale-free rule of their own are written ({@link Activation#mapCovariances}): the
 * 2×2 covariance blocks (Σxx, Σxy, Σyy) at the layer's input, the output variances, the two
 * quantities that would otherwise cancel, D = ΣxxΣyy − Σxy² and E = Σxx + Σyy − 2Σxy
 * (docs/KERNEL-RECURSION.md §5), and the NTK ratio Θ/√(ΣxxΣyy) (the activation rule Θ ← Θ·Ṫ is
 * linear, so the ratio passes through it unchanged in form); one entry per pair.
 *
 * <p>{@link Activation#mapPairs} fills it from the scale-free {@link io.github.ntk4j.math.CovarianceBatch}
 * at the actual variances (checked by {@link Activation#mapRows} to be normal doubles) and
 * normalises the result back. One instance per thread is reused ({@link #local}), so the Gram
 * engine allocates nothing per pair.
 */
final class CovarianceBatch {
    /** Number of pairs in use. */
    int size;
    /** Σxx per pair at the input of the current layer. */
    final double[] kxx;
    /** Σyy per pair at the input of the current layer. */
    final double[] kyy;
    /** Σxx per pair at the output of the current layer. */
    final double[] kxxOut;
    /** Σyy per pair at the output of the current layer. */
    final double[] kyyOut;
    /** Σxy per pair: the NNGP kernel at the input of the current layer. */
    final double[] kxy;
    /** D = ΣxxΣyy − Σxy² ≥ 0 per pair, carried without cancellation. */
    final double[] d;
    /** E = Σxx + Σyy − 2Σxy ≥ 0 per pair, carried without cancellation. */
    final double[] e;
    /** Θ/√(ΣxxΣyy) per pair, the NTK ratio (Θ itself in single evaluations of a dual). */
    final double[] ntk;
    /**
     * cos θ = Σxy/√(ΣxxΣyy) per pair, scale-free: the state it came from. Why: Σxy, D and the
     * products of two variances over- or underflow where the variances are beyond about
     * 1e±154 although each is a normal double (sign after inputs of variance 1e160 was 100 %
     * off); a rule that needs only the angle (a positively homogeneous activation) reads it
     * here instead.
     */
    final double[] cos;
    /** sin²θ = D/(ΣxxΣyy) per pair, scale-free, carried without cancellation like D. */
    final double[] sin2;
    /**
     * cos θ' = Σ'xy/√(Σ'xxΣ'yy) per pair, set by a rule that can give it scale-free together
     * with {@link #sin2Out} (then {@link Activation#mapPairs} takes these two instead of
     * normalising Σ'xy and D'); NaN, as {@link Activation#mapPairs} sets it, where it does not.
     */
    final double[] cosOut;
    /** sin²θ' = D'/(Σ'xxΣ'yy) per pair, set with {@link #cosOut}. */
    final double[] sin2Out;
    /**
     * Whether x and y are the same input (a Gram diagonal entry, or equal vectors). Activations
     * whose D and E are formed by subtraction use it to keep such pairs exactly identical; a
     * zero E alone cannot tell, as it may be a rounded tiny value.
     */
    final boolean[] same;
    /**
     * The layer's own per-input state ({@link io.github.ntk4j.internal.KernelRows#prepared}) for the
     * data set of the x inputs, or null; set by {@link Activation#mapPairs}, null in single
     * evaluations, whose pairs are not indexed so.
     */
    Object preparedX;
    /** The same for the data set of the y inputs. */
    Object preparedY;
    /** Index of every pair's x in its data set when {@link #preparedX} is set. */
    int row;
    /** Index of pair 0's y in its data set; pair k has y index column0 + k. */
    int column0;
    /**
     * {@link CollinearDefect#carry}'s values φ(σ z_i) at the nodes z_i of its rule, by the
     * activation, σ and rule they were computed for (a function of those alone): a table of
     * {@link #NODE_SLOTS} entries, each key in one of two slots picked by a hash of σ's bits, the
     * older of the two replaced on a miss. Allocated on first use. Why: φ is most of a nearly
     * collinear pair's cost (GELU: an erfc per node, 264 nodes at σ ≤ 1), and a Gram tile meets
     * each input's σ at a layer once per row of the tile: 400 inputs within 1 % of each other
     * through 5 GELU layers took 2.9 s with φ evaluated per pair. The table holds a tile's 128
     * columns at several layers at once (a slot per column was evicted by the next layer's σ).
     */
    private NodeValues[] nodeValues;
    private long nodeStamp;
    /** log₂ of the number of entries of the table of {@link #nodeValues}. */
    private static final int NODE_BITS = 10;
    /** Entries of the table of {@link #nodeValues}. */
    static final int NODE_SLOTS = 1 << NODE_BITS;

    /** Work space of {@link CollinearDefect#carry} ({@link #work}). */
    private final double[][] work = {new double[0], new double[0]};

    /**
     * Work array w (0 or 1) of at least n doubles, kept from call to call (its contents are the
     * last caller's).
     */
    double[] work(int w, int n) {
        if (work[w].length < n) {
            work[w] = new double[n];
        }
        return work[w];
    }

    /**
     * The table entry for φ(σ z_i) at a rule's nodes: the one holding them, or the one to fill
     * (its values to be computed and its key set by the caller).
     */
    NodeValues nodeValues(Activation act, double sigma, double[] rule) {
        if (nodeValues == null) {
            nodeValues = new NodeValues[NODE_SLOTS];
            for (int s = 0; s < NODE_SLOTS; s++) {
                nodeValues[s] = new NodeValues();
            }
        }
        final long bits = Double.doubleToRawLongBits(sigma);
        final long h = bits * 0x9E3779B97F4A7C15L;
        // two slots from two independent bit fields of the hash
        final NodeValues a = nodeValues[(int) (h >>> (64 - NODE_BITS))];
        final NodeValues b = nodeValues[(int) (h >>> 30) & (NODE_SLOTS - 1)];
        nodeStamp++;
        if (a.holds(act, bits, rule)) {
            a.stamp = nodeStamp;
            return a;
        }
        if (b.holds(act, bits, rule)) {
            b.stamp = nodeStamp;
            return b;
        }
        final NodeValues m = a.stamp <= b.stamp ? a : b;
        m.act = null; // no key until the caller has filled it
        m.stamp = nodeStamp;
        return m;
    }

    /** φ(σ z_i) at a rule's nodes, and what they were computed for (see {@link #nodeValues}). */
    static final class NodeValues {
        Activation act;
        double sigma = Double.NaN;
        double[] rule;
        /** φ(σ z_i), or null until computed. */
        double[] values;
        /** φ'(σ z_i), or null until computed. */
        double[] derivatives;
        long stamp;

        boolean holds(Activation a, long sigmaBits, double[] r) {
            return act == a && rule == r && Double.doubleToRawLongBits(sigma) == sigmaBits;
        }
    }

    private static final ThreadLocal<CovarianceBatch> LOCAL = ThreadLocal.withInitial(() -> new CovarianceBatch(64));

    /**
     * Creates a zeroed batch.
     *
     * @param capacity the largest number of pairs it will hold
     */
    CovarianceBatch(int capacity) {
        kxx = new double[capacity];
        kyy = new double[capacity];
        kxxOut = new double[capacity];
        kyyOut = new double[capacity];
        kxy = new double[capacity];
        d = new double[capacity];
        e = new double[capacity];
        ntk = new double[capacity];
        cos = new double[capacity];
        sin2 = new double[capacity];
        cosOut = new double[capacity];
        sin2Out = new double[capacity];
        same = new boolean[capacity];
    }

    /**
     * This thread's reusable batch, of at least the given size.
     *
     * @param n the number of pairs
     * @return the batch, with size n
     */
    static CovarianceBatch local(int n) {
        CovarianceBatch b = LOCAL.get();
        if (b.kxx.length < n) {
            b = new CovarianceBatch(n);
            LOCAL.set(b);
        }
        b.size = n;
        return b;
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
    static CovarianceBatch single(double kxx, double kxy, double kyy, double kxxOut, double kyyOut) {
        CovarianceBatch b = new CovarianceBatch(1);
        b.size = 1;
        b.kxx[0] = kxx;
        b.kyy[0] = kyy;
        b.kxy[0] = kxy;
        b.kxxOut[0] = kxxOut;
        b.kyyOut[0] = kyyOut;
        b.d[0] = Math.max(kxx * kyy - kxy * kxy, 0);
        b.e[0] = Math.max(kxx + kyy - 2 * kxy, 0);
        b.ntk[0] = 1;
        final double norm = Math.sqrt(kxx) * Math.sqrt(kyy);
        final double c = norm > 0 ? Math.min(Math.max(kxy / norm, -1.0), 1.0) : 0;
        b.cos[0] = c;
        // sin²θ from D (0 for a pair on the diagonal, whose cos θ may round below 1), by the
        // difference only where ΣxxΣyy leaves the double range
        final double kk = kxx * kyy;
        b.sin2[0] = norm == 0 ? 1 : kk >= Double.MIN_NORMAL && kk < Double.POSITIVE_INFINITY ? Math.min(b.d[0] / kk, 1)
                : (1 - c) * (1 + c);
        b.cosOut[0] = Double.NaN;
        b.sin2Out[0] = Double.NaN;
        return b;
    }
}
