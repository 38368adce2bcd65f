package io.github.ntk4j.kernel;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.PairwiseKernel;

/**
 * The Laplace kernel k(x, y) = exp(−‖x − y‖ / ℓ), as a {@link io.github.ntk4j.math.KernelFunction}
 * (the same function as K and Θ): with the Gaussian kernel, the baseline of Belkin, Ma &amp; Mandal
 * (ICML 2018), who found it the easier of the two to fit to zero training error.
 */
public final class LaplaceKernel extends PairwiseKernel {

    private final double lengthScale;

    private LaplaceKernel(double lengthScale) {
        if (!(lengthScale > 0) || Double.isInfinite(lengthScale)) {
            throw Messages.notPositive("length scale", lengthScale);
        }
        this.lengthScale = lengthScale;
    }

    /**
     * @param lengthScale ℓ &gt; 0, finite
     * @return the Laplace kernel with that length scale
     */
    public static LaplaceKernel withLengthScale(double lengthScale) {
        return new LaplaceKernel(lengthScale);
    }

    /** @return ℓ */
    public double lengthScale() {
        return lengthScale;
    }

    @Override
    protected double value(double[] x, double[] y) {
        return Math.exp(-Math.sqrt(squaredDistance(x, y)) / lengthScale);
    }

    /** ‖x − y‖², summed from the differences (exactly 0 for x = y, no cancellation nearby). */
    static double squaredDistance(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double t = x[i] - y[i];
            s += t * t;
        }
        return s;
    }

    @Override
    public String describe() {
        return "laplace(" + lengthScale + ")";
    }
}
