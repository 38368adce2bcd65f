package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;

/**
 * Layer normalisation over the features of a fully connected layer, neural-tangents'
 * {@code stax.LayerNorm(axis=-1)}: h ↦ (h − mean(h))/√(var(h) + ε) over the n units of h.
 *
 * <p>Kernel rule (the infinite-width limit, neural-tangents' {@code LayerNorm.kernel_fn} with
 * ε = 0): for mean-zero inputs the feature mean tends to 0 and the feature variance to K(x, x),
 * so
 * <pre>
 *   K'(x, y) = K(x, y)/√(K(x, x) K(y, y)),   Θ'(x, y) = Θ(x, y)/√(K(x, x) K(y, y)),   K'(x, x) = 1.
 * </pre>
 * (neural-tangents adds ε = 1e-12 to each variance; the relative difference is ε/K(x, x).) The
 * rule ignores the mean, so the network refuses a layernorm whose input may have a non-zero
 * mean (after an activation); see {@link Network}.
 *
 * <p>In the scale-free state ({@link KernelBatch}) the rule is exact and needs no arithmetic:
 * the output scale is 1, and cos θ, 1 − cos θ, sin²θ and Θ/√(ΣxxΣyy) are unchanged (the last
 * because Θ' = Θ/√(ΣxxΣyy) and Σ'xx = Σ'yy = 1; neural-tangents' rule divides Θ by the same
 * √(K(x, x) K(y, y)) as K).
 *
 * <p>A zero input (Σxx = 0, e.g. a zero vector through bias-free layers) has no direction; as
 * the finite layer with its ε, it maps to 0 (scale 0; its pairs are already zero pairs).
 */
public final class LayerNorm implements Layer {
    private static final LayerNorm INSTANCE = new LayerNorm();

    private LayerNorm() {
    }

    /** @return the layer-normalisation layer */
    public static LayerNorm instance() {
        return INSTANCE;
    }

    @Override
    public double mapVariance(double kxx) {
        return kxx > 0 ? 1 : 0;
    }

    /** Per input: r' = 1, or 0 for a zero input; coefficient [0] = 1, or 0 for a zero input. */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        ScaledDouble[] out = new ScaledDouble[scaleIn.length];
        double[] live = new double[out.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scaleIn[i].isZero() ? ScaledDouble.ZERO : ScaledDouble.ONE;
            live[i] = scaleIn[i].isZero() ? 0 : 1;
        }
        return new KernelRows(scaleIn, out, new double[][] {live}, null);
    }

    /**
     * The scale-free state is unchanged (see the class comment), except that a pair with a zero
     * input gets Θ' = 0 (its Θ, non-zero after a standard-parameterisation layer, is divided by
     * nothing: the finite layer maps a zero input to 0 whatever its gradient).
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        final double lx = x.coefficients[0][i];
        final double[] ly = y.coefficients[0];
        for (int k = 0; k < batch.size; k++) {
            batch.ntk[k] *= lx * ly[yFrom + k];
        }
    }

    @Override
    public String spec() {
        return "layernorm";
    }

    @Override
    public String toString() {
        return spec();
    }
}
