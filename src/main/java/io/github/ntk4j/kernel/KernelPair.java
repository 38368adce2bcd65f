package io.github.ntk4j.kernel;

/**
 * Working state of the kernel recursion for one pair of inputs (x, y) at one layer: the
 * 2×2 covariance block (Σxx, Σxy, Σyy) of the layer's input, the two quantities that would
 * otherwise cancel, D = ΣxxΣyy − Σxy² and E = Σxx + Σyy − 2Σxy (KERNELS.md §5), and the NTK
 * Θ(x, y) accumulated so far.
 *
 * <p>It is a mutable scratch object on purpose: the Gram engine reuses one per thread so the
 * per-pair chain allocates nothing. Layers read {@link #kxx}, {@link #kyy} (this layer's
 * input variances) and {@link #kxxOut}, {@link #kyyOut} (this layer's output variances, all
 * four precomputed once per input by the engine) and update {@link #kxy}, {@link #d},
 * {@link #e} and {@link #ntk} in place.
 */
public final class KernelPair {
    /** Σxx: variance of x's pre-activation at the input of the current layer. */
    public double kxx;
    /** Σyy: variance of y's pre-activation at the input of the current layer. */
    public double kyy;
    /** Σxx at the output of the current layer (precomputed). */
    public double kxxOut;
    /** Σyy at the output of the current layer (precomputed). */
    public double kyyOut;
    /** Σxy: the NNGP kernel of the pair at the input of the current layer. */
    public double kxy;
    /** D = ΣxxΣyy − Σxy² ≥ 0, carried without cancellation. */
    public double d;
    /** E = Σxx + Σyy − 2Σxy ≥ 0, carried without cancellation. */
    public double e;
    /**
     * Whether x and y are the same input (a Gram diagonal entry, or equal vectors). Activations
     * whose D and E are formed by subtraction use it to keep such pairs exactly identical;
     * a zero E alone cannot tell, as it may be a rounded tiny value.
     */
    public boolean same;
    /** Θ(x, y), the NTK accumulated so far (0 before the first layer). */
    public double ntk;

    /** Creates a zeroed state. */
    public KernelPair() {
    }
}
