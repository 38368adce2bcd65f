package io.github.ntk4j.learn;

/**
 * The spectral gains of kernel learning, written once for every learner: training with a kernel
 * G = V diag(λ_i) Vᵀ on the squared loss ½‖f(X) − Y‖² moves the training outputs along
 * eigenvector i by g_i · v_iᵀ(Y − f_0(X)) times λ_i, so every prediction is
 * f(X*) = f_0(X*) + G(X*, X) V diag(g_i) Vᵀ (Y − f_0(X)) with
 * <pre>
 *   gradient flow for time s = ηt   g(λ) = (1 − e^{−λs})/λ          (s → ∞: 1/λ, ridge regression)
 *   S gradient-descent steps of η   g(λ) = (1 − (1 − ηλ)^S)/λ
 * </pre>
 * (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under gradient
 * descent", NeurIPS, eqs. 9 and 14–16; docs/LEARNING.md §2). Both tend to the step count times
 * the rate as λ → 0 and are evaluated without cancellation there (expm1, log1p).
 */
public final class Gains {
    private Gains() {
    }

    /**
     * The gradient-flow gain g(λ) = (1 − e^{−λs})/λ, evaluated as −expm1(−λs)/λ; s at λ = 0 and
     * 1/λ at s = ∞.
     *
     * @param lambda an eigenvalue λ ≥ 0 (of the regularised kernel)
     * @param s the scaled time ηt ≥ 0, or +∞
     * @return g
     */
    public static double flow(double lambda, double s) {
        if (lambda == 0) {
            return s;
        }
        return s == Double.POSITIVE_INFINITY ? 1 / lambda : -Math.expm1(-lambda * s) / lambda;
    }

    /**
     * The gradient-flow gains of a spectrum.
     *
     * @param lambda eigenvalues λ_i ≥ 0
     * @param s the scaled time ηt ≥ 0, or +∞
     * @return g(λ_i), a new array
     */
    public static double[] flow(double[] lambda, double s) {
        double[] out = new double[lambda.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = flow(lambda[i], s);
        }
        return out;
    }

    /**
     * The discrete gain g(λ) = (1 − (1 − ηλ)^S)/λ of S gradient-descent steps of size η,
     * computed as −expm1(S·log1p(−ηλ))/λ when ηλ &lt; 1 (accurate as λ → 0, where it tends to
     * ηS); it tends to {@link #flow}(λ, ηS) as η → 0 with ηS fixed.
     *
     * @param lambda an eigenvalue λ ≥ 0
     * @param eta step η
     * @param steps S
     * @return g
     */
    public static double discrete(double lambda, double eta, int steps) {
        double x = eta * lambda;
        if (x == 0) {
            return eta * steps;
        }
        if (x < 1) {
            return -Math.expm1(steps * Math.log1p(-x)) / lambda;
        }
        return (1 - Math.pow(1 - x, steps)) / lambda;
    }
}
