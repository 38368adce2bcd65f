package io.github.ntk4j.net;

/** Helpers shared by the activations' kernel rules. */
final class Duals {
    private Duals() {
    }

    /**
     * E' = T(x,x) + T(y,y) − 2T from a D' = T(x,x)T(y,y) − T² that was formed without
     * cancellation: E' = (√T(x,x) − √T(y,y))² + 2(√(T(x,x)T(y,y)) − T), and for T &gt; 0 the
     * last difference is D'/(√(T(x,x)T(y,y)) + T), which does not cancel as the inputs become
     * collinear.
     */
    static double distanceFromD(double txx, double tyy, double t, double dOut) {
        double rx = Math.sqrt(txx);
        double ry = Math.sqrt(tyy);
        double g = rx * ry;
        double gap = t > 0 ? dOut / (g + t) : g - t;
        double r = rx - ry;
        return Math.max(r * r + 2 * gap, 0);
    }
}
