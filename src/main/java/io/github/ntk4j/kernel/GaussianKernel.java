package io.github.ntk4j.kernel;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.PairwiseKernel;

/**
 * The Gaussian (RBF) kernel k(x, y) = exp(−‖x − y‖² / (2ℓ²)), as a {@link
 * io.github.ntk4j.math.KernelFunction} (the same function as K and Θ): the baseline kernel of
 * Belkin, Ma &amp; Mandal, "To understand deep learning we need to understand kernel learning"
 * (ICML 2018), and an example of a user's own kernel.
 *
 * <p>‖x − y‖² is summed from the differences (no cancellation for close inputs), so k(x, x) = 1
 * exactly.
 */
public final class GaussianKernel extends PairwiseKernel {

    private final double lengthScale;
    private final double scale;

    private GaussianKernel(double lengthScale) {
        if (!(lengthScale > 0) || Double.isInfinite(lengthScale)) {
            throw Messages.notPositive("length scale", lengthScale);
        }
        this.lengthScale = lengthScale;
        this.scale = -0.5 / (lengthScale * lengthScale);
    }

    /**
     * @param lengthScale ℓ &gt; 0, finite
     * @return the Gaussian kernel with that length scale
     */
    public static GaussianKernel withLengthScale(double lengthScale) {
        return new GaussianKernel(lengthScale);
    }

    /** @return ℓ */
    public double lengthScale() {
        return lengthScale;
    }

    @Override
    protected double value(double[] x, double[] y) {
        return Math.exp(scale * LaplaceKernel.squaredDistance(x, y));
    }

    @Override
    public String describe() {
        return "gaussian(" + lengthScale + ")";
    }
}
