package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.LayerNorm;

/**
 * The finite-width rule of {@link LayerNorm}, as neural-tangents' {@code LayerNorm(axis=-1,
 * eps=1e-12)}: for each input, over its w features, y = (h − μ)/σ with μ = mean(h) and
 * σ = √(var(h) + ε); backward (the Jacobian of y with respect to h applied to Δ)
 * Δ_in = (Δ − mean(Δ) − y·mean(Δ ⊙ y))/σ. No parameters.
 */
final class LayerNormRule implements FiniteRule {
    /** neural-tangents' default ε, added to each variance. */
    static final double EPS = 1e-12;

    @Override
    public double[] forward(double[] input, int n, Workers workers) {
        int w = input.length / n;
        double[] y = new double[input.length];
        for (int p = 0; p < n; p++) {
            normalise(input, p * w, w, y);
        }
        return y;
    }

    /** y[base …] = (h − μ)/σ for the row at base; returns 1/σ. */
    private static double normalise(double[] h, int base, int w, double[] y) {
        double mean = 0;
        for (int k = 0; k < w; k++) {
            mean += h[base + k];
        }
        mean /= w;
        double var = 0;
        for (int k = 0; k < w; k++) {
            double c = h[base + k] - mean;
            var += c * c;
        }
        double inv = 1 / Math.sqrt(var / w + EPS);
        for (int k = 0; k < w; k++) {
            y[base + k] = (h[base + k] - mean) * inv;
        }
        return inv;
    }

    @Override
    public double[] backward(double[] input, double[] dOut, int rows, int n, Workers workers) {
        int w = input.length / n;
        double[] y = new double[input.length];
        double[] inv = new double[n];
        for (int p = 0; p < n; p++) {
            inv[p] = normalise(input, p * w, w, y);
        }
        for (int r = 0; r < rows; r++) {
            int p = r % n;
            int dp = r * w;
            int yp = p * w;
            double md = 0;
            double mdy = 0;
            for (int k = 0; k < w; k++) {
                md += dOut[dp + k];
                mdy += dOut[dp + k] * y[yp + k];
            }
            md /= w;
            mdy /= w;
            for (int k = 0; k < w; k++) {
                dOut[dp + k] = (dOut[dp + k] - md - y[yp + k] * mdy) * inv[p];
            }
        }
        return dOut;
    }
}
