package io.github.ntk4j.net;

import io.github.ntk4j.math.KernelBatch;
import io.github.ntk4j.math.Workers;

/**
 * One layer of a fully connected network. As in neural-tangents' {@code stax}, a layer
 * carries its own kernel rule beside its forward map: how it transforms the pair
 * (K, Θ) of the infinite-width network, and (for the finite-width engine) how it maps a
 * pre-activation. A network is a composition of layers ({@link Network#serial}).
 */
public sealed interface Layer permits Dense, Activation, LayerNorm, Branches {

    /**
     * Kernel rule on the diagonal: the variance K(x, x) of this layer's output given the
     * variance of its input.
     *
     * @param kxx K(x, x) at the input of the layer
     * @return K(x, x) at the output of the layer
     */
    double mapVariance(double kxx);

    /**
     * Kernel rule on a batch of pairs: updates Σxy, D, E and Θ of every pair in place
     * (docs/KERNEL-RECURSION.md §3 and §5). {@code batch.kxx}, {@code batch.kyy}, {@code batch.kxxOut},
     * {@code batch.kyyOut} are set by the caller.
     *
     * @param batch the pair states, updated in place
     */
    void mapPairs(KernelBatch batch);

    /**
     * Optional per-input work for the Gram path: given the variance Σxx of every input of a data
     * set at this layer's input, state that {@link #mapPairs} may then read through
     * {@link KernelBatch#preparedX}, {@link KernelBatch#preparedY}, {@link KernelBatch#row} and
     * {@link KernelBatch#column0} (the quadrature activations keep each input's Hermite
     * coefficients there). A layer must give the same values with or without it.
     *
     * @param variances Σxx of each input at this layer's input
     * @param workers threads the layer may share the inputs among
     * @return the state, or null (the default) when the layer needs none
     */
    default Object prepare(double[] variances, Workers workers) {
        return null;
    }

    /**
     * Bytes {@link #prepare} allocates for a data set, so that callers can refuse a computation
     * that would not fit before starting it.
     *
     * @param inputs number of inputs
     * @return bytes (0 by default)
     */
    default long preparedBytes(int inputs) {
        return 0;
    }

    /**
     * The layer in the network-spec syntax, e.g. {@code dense(1.4,0.1)} or {@code relu};
     * {@link NetworkSpec#parse} reads it back.
     *
     * @return the spec token
     */
    String spec();
}
