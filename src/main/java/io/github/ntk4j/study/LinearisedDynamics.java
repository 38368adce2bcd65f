package io.github.ntk4j.study;

/**
 * The linearised dynamics of full-batch gradient descent with step η on L = ½‖f(X) − Y‖²
 * (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under gradient
 * descent", NeurIPS, eq. 9, in its exact discrete-step form): with a kernel Θ(X, X) =
 * V diag(λ_i) Vᵀ, after S steps
 * <pre>
 *   f^lin_S(x*) = f_0(x*) + Θ(x*, X) V diag(g_i) Vᵀ (Y − f_0(X)),   g_i = (1 − (1 − ηλ_i)^S)/λ_i
 * </pre>
 * so no inverse is formed.
 */
public final class LinearisedDynamics {
    private LinearisedDynamics() {
    }

    /**
     * g(λ) = (1 − (1 − ηλ)^S)/λ, the discrete-step gain of the linearised dynamics, computed as
     * −expm1(S·log1p(−ηλ))/λ when ηλ &lt; 1 (accurate as λ → 0, where it tends to ηS).
     *
     * @param lambda an eigenvalue λ ≥ 0
     * @param eta step η
     * @param steps S
     * @return g
     */
    public static double discreteGain(double lambda, double eta, int steps) {
        double x = eta * lambda;
        if (x == 0) {
            return eta * steps;
        }
        if (x < 1) {
            return -Math.expm1(steps * Math.log1p(-x)) / lambda;
        }
        return (1 - Math.pow(1 - x, steps)) / lambda;
    }

    /**
     * The linearised infinite-width prediction from given initial outputs (see the class
     * comment): f_0(x*) + Θ(x*, X) V diag(g) Vᵀ (Y − f_0(X)).
     *
     * @param thetaTestTrain Θ(x*, X), M×N
     * @param vectors eigenvectors of Θ(X, X), vectors[i] the i-th
     * @param gain g_i per eigenvector
     * @param f0Test f_0(x*) (M×1)
     * @param f0Train f_0(X) (N×1)
     * @param y Y (N×1)
     * @return f^lin_S(x*) (M values)
     */
    public static double[] prediction(double[][] thetaTestTrain, double[][] vectors, double[] gain,
            double[][] f0Test, double[][] f0Train, double[][] y) {
        int n = vectors.length;
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += vectors[i][j] * (y[j][0] - f0Train[j][0]);
            }
            c[i] = gain[i] * s;
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[j] += vectors[i][j] * c[i];
            }
        }
        double[] out = new double[thetaTestTrain.length];
        for (int p = 0; p < out.length; p++) {
            double s = f0Test[p][0];
            for (int j = 0; j < n; j++) {
                s += thetaTestTrain[p][j] * a[j];
            }
            out[p] = s;
        }
        return out;
    }
}
