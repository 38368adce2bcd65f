package io.github.ntk4j.kernel;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.PairwiseKernel;

/**
 * The Laplace kernel k(x, y) = exp(−‖x − y‖ / ℓ), as a {@link io.github.ntk4j.math.KernelFunction}
 * (the same function as K and Θ): with the Gaussian kernel, the baseline of Belkin, Ma &amp; Mandal
 * (ICML 2018), who found it the easier of the two to fit to zero training error.
 *
 * <p>‖x − y‖ is formed scale-safely ({@link io.github.ntk4j.internal.ScaleSafe#scaledSquaredDistance});
 * a value below the smallest normal double (‖x − y‖ &gt; 708.4ℓ) comes back as exp's rounding,
 * accurate to 2.2e-308 absolute beside k(x, x) = 1 (not refused: see {@link GaussianKernel}).
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
        double[] d = io.github.ntk4j.internal.ScaleSafe.scaledSquaredDistance(x, y);
        if (d[0] == 0) {
            return 1;
        }
        return Math.exp(-Math.sqrt(d[0]) * (2 * (d[1] / lengthScale))); // ‖x − y‖/ℓ = √sum·2h/ℓ, ∞ past the range
    }

    @Override
    public String describe() {
        return "laplace(" + lengthScale + ")";
    }
}
