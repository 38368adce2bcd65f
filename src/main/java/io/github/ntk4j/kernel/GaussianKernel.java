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
 * exactly, and scale-safely ({@link io.github.ntk4j.internal.ScaleSafe#scaledSquaredDistance}:
 * no overflow for huge inputs, no lost differences for tiny ones). A value below the smallest
 * normal double (‖x − y‖ &gt; 37.6ℓ) comes back as exp's rounding (a subnormal, or 0 from
 * ‖x − y‖ &gt; 38.6ℓ): accurate to 2.2e-308 absolute beside k(x, x) = 1, which is what a
 * learner uses these values for. Such pairs are not refused, because a grid of length scales
 * must be able to contain a small one (it is a poor candidate, not an error), and an SVM that
 * calls {@code pair} pair by pair meets far pairs all the time.
 */
public final class GaussianKernel extends PairwiseKernel {

    private final double lengthScale;

    private GaussianKernel(double lengthScale) {
        if (!(lengthScale > 0) || Double.isInfinite(lengthScale)) {
            throw Messages.notPositive("length scale", lengthScale);
        }
        this.lengthScale = lengthScale;
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
        double[] d = io.github.ntk4j.internal.ScaleSafe.scaledSquaredDistance(x, y);
        if (d[0] == 0) {
            return 1; // also for a tiny ℓ, where −1/(2ℓ²)·0 would be −∞·0 = NaN
        }
        double unit = 2 * (d[1] / lengthScale); // 2h/ℓ; may overflow to ∞ for a tiny ℓ: then k = exp(−∞) = 0
        return Math.exp(-0.5 * d[0] * unit * unit); // ‖x − y‖²/(2ℓ²) = (2h/ℓ)²·sum/2
    }

    @Override
    public String describe() {
        return "gaussian(" + lengthScale + ")";
    }
}
