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

    /**
     * Φ(x) = erfc(−x/√2)/2, by Commons Numbers' erfc (within 3 ulp; see pom.xml for why not
     * Hipparchus'). Relative accuracy in the lower tail: about (8 + 2x²)·2^-53, as the rounding of
     * −x/√2 (up to an ulp) is amplified by erfc's condition number x² (1e-13 at x = −26).
     */
    static double cdf(double x) {
        return 0.5 * org.apache.commons.numbers.gamma.Erfc.value(-x * INV_SQRT_2);
    }
}
