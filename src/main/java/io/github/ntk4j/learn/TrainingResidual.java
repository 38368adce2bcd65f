package io.github.ntk4j.learn;

/**
 * The mean training residual r(t) = f_t(X) − Y of gradient flow, in the eigenbasis of the
 * (regularised) training kernel G = V Λ Vᵀ: its component along eigenvector v_i is
 * factor_i(t) · (v_iᵀY) with factor_i(t) = e^{−η λ_i t} + r (1 − e^{−η λ_i t})/λ_i
 * (= e^{−η λ_i t} without regularisation r; docs/LEARNING.md §2).
 *
 * @param eigenvalues λ_i of the regularised training kernel, decreasing
 * @param targetCoefficients n×k: row i is v_iᵀY, the targets along eigenvector i
 * @param factors n decay factors factor_i(t) ∈ [0, 1]
 * @param residual n×k residual at the training inputs, r(t) = −V diag(factor) VᵀY
 * @param time t
 */
public record TrainingResidual(double[] eigenvalues, double[][] targetCoefficients, double[] factors,
        double[][] residual, double time) {

    /** @return √(Σ r²/(n·k)), the root-mean-square training residual */
    public double rms() {
        return rms(residual);
    }

    /**
     * @param r an n×k matrix
     * @return √(Σ r²/(n·k)), its root-mean-square entry
     */
    public static double rms(double[][] r) {
        // scale-safe (internal.ScaleSafe): residuals and targets near 1e308 have an RMS too
        int count = 0;
        for (double[] row : r) {
            count += row.length;
        }
        double[] flat = new double[count];
        int at = 0;
        for (double[] row : r) {
            System.arraycopy(row, 0, flat, at, row.length);
            at += row.length;
        }
        return io.github.ntk4j.internal.ScaleSafe.sd(flat, 0, 0); // about 0, divisor n: the RMS
    }

    /** @return the mean squared training error Σ r²/(n·k) */
    public double meanSquaredError() {
        double r = rms();
        return r * r;
    }
}
