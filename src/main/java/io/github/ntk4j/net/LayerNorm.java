package io.github.ntk4j.net;

import io.github.ntk4j.math.KernelBatch;

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
 * <p>The pair maps to its correlation ρ = Σxy/√(ΣxxΣyy); the quantities that cancel follow
 * without cancellation: D' = 1 − ρ² = D/(ΣxxΣyy), and E' = 2(1 − ρ) = 2D/(n(n + Σxy)) with
 * n = √(ΣxxΣyy) when Σxy ≥ 0, 2(n − Σxy)/n (a sum of positive terms) otherwise.
 *
 * <p>A zero input (Σxx = 0, e.g. a zero vector through bias-free layers) has no direction; as
 * the finite layer with its ε, it maps to 0.
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

    @Override
    public void mapPairs(KernelBatch p) {
        for (int k = 0; k < p.size; k++) {
            double kxx = p.kxx[k];
            double kyy = p.kyy[k];
            double n = Math.sqrt(kxx) * Math.sqrt(kyy);
            if (!(n > 0)) {
                p.kxy[k] = 0;
                p.d[k] = 0;
                p.e[k] = p.kxxOut[k] + p.kyyOut[k];
                p.ntk[k] = 0;
                continue;
            }
            if (p.same[k]) {
                p.kxy[k] = 1;
                p.d[k] = 0;
                p.e[k] = 0;
                p.ntk[k] /= kxx;
                continue;
            }
            double kxy = p.kxy[k];
            double dd = Math.max(p.d[k], 0);
            p.kxy[k] = Math.max(-1, Math.min(1, kxy / n));
            p.d[k] = dd / kxx / kyy;
            p.e[k] = kxy >= 0 ? 2 * (dd / n) / (n + kxy) : 2 * (n - kxy) / n;
            p.ntk[k] /= n;
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
