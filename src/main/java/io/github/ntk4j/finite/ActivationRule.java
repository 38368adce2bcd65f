package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Activation;

/**
 * The finite-width rule of an {@link Activation}: g = φ(h) elementwise forward and
 * Δ_in = Δ_out ⊙ φ′(h) backward, both read from the activation itself, so a new activation
 * needs no change here. No parameters.
 */
final class ActivationRule implements FiniteRule {
    private final Activation phi;

    ActivationRule(Activation phi) {
        this.phi = phi;
    }

    @Override
    public double[] forward(double[] input, int n, Workers workers) {
        double[] g = new double[input.length];
        for (int k = 0; k < g.length; k++) {
            g[k] = phi.apply(input[k]);
        }
        return g;
    }

    @Override
    public double[] backward(double[] input, double[] dOut, int rows, int n, Workers workers) {
        int w = input.length / n;
        for (int r = 0; r < rows; r++) {
            int hp = (r % n) * w;
            int dp = r * w;
            for (int k = 0; k < w; k++) {
                dOut[dp + k] *= phi.derivative(input[hp + k]);
            }
        }
        return dOut;
    }
}
