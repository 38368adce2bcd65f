package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelPair;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;

/**
 * One layer of a fully connected network. As in neural-tangents' {@code stax}, a layer
 * carries its own kernel rule beside its forward map: how it transforms the pair
 * (K, Θ) of the infinite-width network, and (for the finite-width engine) how it maps a
 * pre-activation. A network is a composition of layers ({@link Network#serial}).
 *
 * <p>The analytic engine applies the rule in two parts so that no scale of the inputs, weights
 * or depth can overflow it (see {@link KernelBatch}): {@link #mapRows} once per input maps the
 * input's scale r = √Σxx (a {@link ScaledDouble}) and prepares bounded per-input coefficients;
 * {@link #mapPairs} then maps the scale-free pair state (cos θ, sin²θ, Θ/√(ΣxxΣyy)) of every
 * pair.
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
     * Per-input part of the kernel rule: the output scale r' = √Σ'xx of each input given its
     * input scale r = √Σxx, and the per-input coefficients {@link #mapPairs} reads.
     *
     * @param scaleIn r per input
     * @param workers threads for per-input work heavy enough to share (the Hermite tables of the
     *     quadrature activations); the result does not depend on their number
     * @return the scales in and out and the coefficients
     * @throws io.github.ntk4j.InvalidInputException if the rule cannot be evaluated at that
     *         scale (a variance beyond the double range for a rule that needs it as a double)
     */
    KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers);

    /**
     * Kernel rule on a batch of pairs (x_k, y_k) = (X[i], Y[yFrom + k]): updates the scale-free
     * state of every pair in place, following the contract of {@link KernelBatch}.
     *
     * @param batch the pair states, updated in place
     * @param x this layer's {@link #mapRows} result for the first data set
     * @param i the row of the first input of every pair in the batch
     * @param y this layer's {@link #mapRows} result for the second data set
     * @param yFrom the row of the second input of pair 0; pair k uses row yFrom + k
     */
    void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom);

    /**
     * The rule of {@link #mapPairs} for one general pair ({@link KernelPair}: different inputs of
     * non-zero scale), for the single-pair path: the same operations, so the same bits as
     * {@link #mapPairs} gives that pair in a batch. Each input's coefficients (its column of
     * {@link KernelRows#coefficients} from {@link #mapRows}) are given in place in one array:
     * coefficient m of x at x[xAt + m]; only inputs that no careful path is flagged for
     * ({@link KernelRows#extreme}) come here. A layer without a one-pair rule (the default), or
     * one whose pair needs a case the batch rule treats apart, returns false; the engine then
     * computes the pair through {@link #mapPairs}.
     *
     * @param pair the pair's state, updated in place (undefined when false is returned)
     * @param x the first input's coefficients, from xAt on
     * @param xAt where they start
     * @param y the second input's coefficients, from yAt on
     * @param yAt where they start
     * @return whether the rule was applied
     */
    default boolean mapPair(KernelPair pair, double[] x, int xAt, double[] y, int yAt) {
        return false;
    }

    /**
     * Bytes the layer's {@link #mapRows} keeps per data set beyond the scales and the five
     * coefficients per input (the quadrature activations keep each input's Hermite coefficients),
     * so that callers can refuse a computation that would not fit before starting it.
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
