package io.github.ntk4j.net;

/**
 * The standard normal density and distribution function, for the activations that use them.
 */
final class Gaussians {
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double INV_SQRT_2 = 0.7071067811865476;

    private Gaussians() {
    }

    /** φ_N(x) = exp(−x²/2)/√(2π). */
    static double pdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Φ(x) = erfc(−x/√2)/2, by Hipparchus' erfc (full relative accuracy in the lower tail). */
    static double cdf(double x) {
        return 0.5 * org.hipparchus.special.Erf.erfc(-x * INV_SQRT_2);
    }
}
