package io.github.ntk4j.internal;

/**
 * The per-input part of one layer's kernel rule for a data set: each input's scale r = √Σxx
 * at the layer's input and output, and the bounded per-input coefficients the layer's pair rule
 * reads (their meaning is the layer's own; e.g. a Dense layer keeps p = W_std·r/r' and
 * q = b_std/r').
 *
 * <p>The scales are {@link ScaledDouble}s because they leave the double range long before
 * the kernel values do; the coefficients are plain doubles so that the pair rule, which runs
 * once per pair and layer, is pure double arithmetic. Computed once per input and layer
 * (O(N·L)); the pair rules then run O(N²·L) times.
 */
public final class KernelRows {
    /** r = √Σxx per input at the layer's input. */
    public final ScaledDouble[] scaleIn;
    /** r' = √Σxx per input at the layer's output. */
    public final ScaledDouble[] scaleOut;
    /** The layer's per-input coefficients, coefficients[m][i] for coefficient m of input i. */
    public final double[][] coefficients;
    /** Per input: whether the layer's pair rule must take its careful (slow) path; may be null (never). */
    public final boolean[] extreme;
    /**
     * For layers made of sub-networks (branches): the rows of every inner layer, inner[b][l] for
     * layer l of branch b; null for plain layers.
     */
    public final KernelRows[][] inner;
    /**
     * Further per-input state of the layer's own (the quadrature activations keep each input's
     * Hermite coefficients here), or null.
     */
    public final Object prepared;

    /**
     * @param scaleIn input scales
     * @param scaleOut output scales
     * @param coefficients the layer's coefficients (arrays of the same length)
     * @param extreme per-input flags for the careful path, or null
     */
    public KernelRows(ScaledDouble[] scaleIn, ScaledDouble[] scaleOut, double[][] coefficients, boolean[] extreme) {
        this(scaleIn, scaleOut, coefficients, extreme, null);
    }

    /**
     * @param scaleIn input scales
     * @param scaleOut output scales
     * @param coefficients the layer's coefficients (arrays of the same length)
     * @param extreme per-input flags for the careful path, or null
     * @param inner the rows of the layer's inner layers per branch, or null
     */
    public KernelRows(ScaledDouble[] scaleIn, ScaledDouble[] scaleOut, double[][] coefficients, boolean[] extreme,
            KernelRows[][] inner) {
        this(scaleIn, scaleOut, coefficients, extreme, inner, null);
    }

    /**
     * @param scaleIn input scales
     * @param scaleOut output scales
     * @param coefficients the layer's coefficients (arrays of the same length)
     * @param extreme per-input flags for the careful path, or null
     * @param inner the rows of the layer's inner layers per branch, or null
     * @param prepared further per-input state of the layer's own, or null
     */
    public KernelRows(ScaledDouble[] scaleIn, ScaledDouble[] scaleOut, double[][] coefficients, boolean[] extreme,
            KernelRows[][] inner, Object prepared) {
        this.prepared = prepared;
        this.scaleIn = scaleIn;
        this.scaleOut = scaleOut;
        this.coefficients = coefficients;
        this.extreme = extreme;
        this.inner = inner;
    }

    /** @return the number of inputs */
    public int size() {
        return scaleIn.length;
    }
}
