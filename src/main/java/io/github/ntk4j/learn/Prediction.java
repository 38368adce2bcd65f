package io.github.ntk4j.learn;

/**
 * Predictions of the infinite ensemble of infinite-width networks (or of the NNGP posterior)
 * on test inputs: a Gaussian per test input and output, with one variance shared by all
 * outputs (the kernel is the same for every output, docs/KERNEL-RECURSION.md §2).
 *
 * @param mean m×k mean, row j for test input j, column c for output c
 * @param variance m variances (the diagonal of the covariance), or null when not computed;
 *        tiny negative values from rounding are left as they are
 * @param time the training time t (+∞ for the converged network or the Bayesian posterior)
 */
public record Prediction(double[][] mean, double[] variance, double time) {
    /**
     * The means of a single-output prediction.
     *
     * @return mean[j][0] for every test input j
     * @throws io.github.ntk4j.InvalidInputException when there is more than one output
     */
    public double[] values() {
        double[] v = new double[mean.length];
        for (int j = 0; j < v.length; j++) {
            if (mean[j].length != 1) {
                throw io.github.ntk4j.internal.Messages.invalid("values() is for one output; this prediction has "
                        + mean[j].length + ": use mean()");
            }
            v[j] = mean[j][0];
        }
        return v;
    }
}
