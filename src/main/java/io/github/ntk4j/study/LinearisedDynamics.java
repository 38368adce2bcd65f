package io.github.ntk4j.study;

/**
 * The linearised dynamics of full-batch gradient descent with step η on L = ½‖f(X) − Y‖²
 * (Lee et al. 2019, "Wide neural networks of any depth evolve as linear models under gradient
 * descent", NeurIPS, eq. 9, in its exact discrete-step form): with a kernel Θ(X, X) =
 * V diag(λ_i) Vᵀ, after S steps
 * <pre>
 *   f^lin_S(x*) = f_0(x*) + Θ(x*, X) V diag(g_i) Vᵀ (Y − f_0(X)),   g_i = (1 − (1 − ηλ_i)^S)/λ_i
 * </pre>
 * so no inverse is formed; the gain g is {@link io.github.ntk4j.learn.Gains#discrete}.
 */
public final class LinearisedDynamics {
    private LinearisedDynamics() {
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
