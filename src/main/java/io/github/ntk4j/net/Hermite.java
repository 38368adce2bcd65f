package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.List;

/**
 * φ(x) = He_n(x)/√(n!), the probabilists' Hermite polynomial normalised to unit norm under the
 * standard Gaussian, neural-tangents' {@code Hermite(n)} (n = 0 … 8 here).
 *
 * <p>Duals. neural-tangents' kernel is Σxyⁿ, which assumes unit pre-activation variances. This
 * class computes the exact Gaussian expectation for any variances: from the scaling identity
 * He_n(γz) = Σ_k γ^{n−2k}(γ² − 1)^k n!/(k!(n−2k)!2^k) He_{n−2k}(z) and the orthogonality of
 * the He_m under correlated Gaussians (Mehler),
 * <pre>
 *   T_n = Σ_{k ≤ n/2} n! / (k!² (n−2k)! 4^k) · ((Σxx − 1)(Σyy − 1))^k · Σxy^{n−2k}
 *   Ṫ_n = n·T_{n−1}          (φ' = √n·He_{n−1}/√((n−1)!))
 * </pre>
 * which is Σxyⁿ (and n·Σxy^{n−1}) at unit variances, as in neural-tangents.
 */
public final class Hermite extends Activation {
    private final int n;
    private final double[] coeffs;

    /** @param n the degree, 0 … 8 */
    public Hermite(int n) {
        if (n < 0 || n > 8) {
            throw Messages.invalid("hermite(n) takes n = 0 … 8, got " + n);
        }
        this.n = n;
        // He_n coefficients by He_{k+1} = x He_k − k He_{k−1}
        double[] p0 = {1};
        double[] p1 = {0, 1};
        if (n == 0) {
            p1 = p0;
        }
        for (int k = 1; k < n; k++) {
            double[] nx = new double[k + 2];
            for (int i = 0; i < p1.length; i++) {
                nx[i + 1] += p1[i];
            }
            for (int i = 0; i < p0.length; i++) {
                nx[i] -= k * p0[i];
            }
            p0 = p1;
            p1 = nx;
        }
        double norm = Math.sqrt(factorial(n));
        coeffs = new double[p1.length];
        for (int i = 0; i < p1.length; i++) {
            coeffs[i] = p1[i] / norm;
        }
    }

    private static double factorial(int m) {
        double r = 1;
        for (int t = 2; t <= m; t++) {
            r *= t;
        }
        return r;
    }

    @Override
    public String name() {
        return "hermite";
    }

    @Override
    protected List<Double> parameters() {
        return List.of((double) n);
    }

    @Override
    public double apply(double x) {
        return Poly.horner(coeffs, x);
    }

    @Override
    public double derivative(double x) {
        return Poly.hornerDerivative(coeffs, x);
    }

    private static double t(int m, double kxx, double kxy, double kyy) {
        double q = (kxx - 1) * (kyy - 1);
        double sum = 0;
        double fm = factorial(m);
        for (int k = 0; 2 * k <= m; k++) {
            double w = fm / (factorial(k) * factorial(k) * factorial(m - 2 * k) * Math.pow(4, k));
            sum += w * Math.pow(q, k) * Math.pow(kxy, m - 2 * k);
        }
        return sum;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return t(n, kxx, kxy, kyy);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return n == 0 ? 0 : n * t(n - 1, kxx, kxy, kyy);
    }

    private static String symbolic(int m, String xx, String xy, String yy) {
        StringBuilder sb = new StringBuilder("(");
        double fm = factorial(m);
        for (int k = 0; 2 * k <= m; k++) {
            long w = Math.round(fm / (factorial(k) * factorial(k) * factorial(m - 2 * k)));
            sb.append(k == 0 ? "" : "+").append(w).append("/").append(1L << (2 * k)).append("*((").append(xx)
                    .append(")-1)^").append(k).append("*((").append(yy).append(")-1)^").append(k).append("*(").append(xy)
                    .append(")^").append(m - 2 * k);
        }
        return sb.append(")").toString();
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return symbolic(n, xx, xy, yy);
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return n == 0 ? "0" : "(" + n + "*" + symbolic(n - 1, xx, xy, yy) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hermite h && h.n == n;
    }

    @Override
    public int hashCode() {
        return 53 + n;
    }
}
