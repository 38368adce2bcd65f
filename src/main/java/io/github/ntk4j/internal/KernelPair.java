package io.github.ntk4j.internal;

/**
 * The working state of the kernel recursion for one pair, the scalar form of {@link KernelBatch}
 * (same quantities, same contract) for the single-pair path: a layer's one-pair rule
 * ({@link io.github.ntk4j.net.Layer#mapPair}) reads and writes these fields, which the JIT keeps
 * in registers once the rules are inlined, where a batch of one pair passes every intermediate
 * through its arrays and loops.
 *
 * <p>Only a general pair is carried here: two different inputs of non-zero scale, not nearly
 * collinear at the input ({@link KernelBatch#same} and {@link KernelBatch#rough} are false
 * throughout). A rule that meets any other case (a zero pair, a value outside its fast range)
 * returns false, and the engine computes the pair again through {@link KernelBatch}, so that
 * the special cases have one implementation.
 */
public final class KernelPair {
    /** cos θ. */
    public double c;
    /** 1 − cos θ, without cancellation. */
    public double v;
    /** sin²θ, without cancellation. */
    public double s2;
    /** Θ/(s_x s_y), as {@link KernelBatch#ntk}. */
    public double ntk;
    /** Base fan-in N of the current layer, as {@link KernelBatch#fanIn}. */
    public double fanIn = Double.NaN;
}
