package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A polynomial activation φ(x) = Σ_k c_k x^k, with its duals derived from first principles:
 * by Isserlis' (Wick's) theorem the bivariate Gaussian moments are
 * <pre>
 *   E[u^i v^j] = Σ_{k ≤ min(i,j), k ≡ i ≡ j (mod 2)} C(i,k) C(j,k) k! (i−k−1)!! (j−k−1)!!
 *                 Σxy^k Σxx^((i−k)/2) Σyy^((j−k)/2)
 * </pre>
 * (k counts the pairings that join a u with a v; (−1)!! = 1), so
 * T = Σ_{i,j} c_i c_j E[u^i v^j] and Ṫ = Σ_{i,j} i j c_i c_j E[u^(i−1) v^(j−1)] (the T of the
 * derivative polynomial φ'), both polynomials in (Σxx, Σxy, Σyy).
 */
public final class Poly extends Activation {
    private final double[] coeffs;
    /** Spec name and parameters: poly(c0,…) or monomial(n). */
    private final String name;
    private final List<Double> specParams;

    /**
     * @param coeffs c_0, c_1, …, c_n (at least one, all finite)
     */
    public Poly(double... coeffs) {
        if (coeffs.length == 0) {
            throw Messages.empty("poly coefficient list");
        }
        for (int k = 0; k < coeffs.length; k++) {
            if (!Double.isFinite(coeffs[k])) {
                throw Messages.notFinite("poly coefficient c" + k, coeffs[k]);
            }
        }
        this.coeffs = coeffs.clone();
        this.name = "poly";
        this.specParams = null;
    }

    private Poly(double[] coeffs, String name, List<Double> specParams) {
        this.coeffs = coeffs;
        this.name = name;
        this.specParams = specParams;
    }

    /**
     * φ(x) = xⁿ, neural-tangents' {@code Monomial(n)}; its duals are the Isserlis moments below
     * (for n = 2: 2Σxy² + ΣxxΣyy, as neural-tangents).
     *
     * @param n the power, 0 … 12
     * @return the monomial
     */
    public static Poly monomial(int n) {
        if (n < 0 || n > 12) {
            throw Messages.invalid("monomial(n) takes n = 0 … 12, got " + n);
        }
        double[] c = new double[n + 1];
        c[n] = 1;
        return new Poly(c, "monomial", List.of((double) n));
    }

    /** @return a copy of the coefficients c_0 … c_n */
    public double[] coefficients() {
        return coeffs.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected List<Double> parameters() {
        if (specParams != null) {
            return specParams;
        }
        List<Double> l = new ArrayList<>();
        for (double c : coeffs) {
            l.add(c);
        }
        return l;
    }

    @Override
    public double apply(double x) {
        return horner(coeffs, x);
    }

    @Override
    public double derivative(double x) {
        return hornerDerivative(coeffs, x);
    }

    /** Σ c_k x^k by Horner's rule (also used by {@link Hermite}). */
    static double horner(double[] c, double x) {
        double s = 0;
        for (int k = c.length - 1; k >= 0; k--) {
            s = s * x + c[k];
        }
        return s;
    }

    /** Σ k c_k x^(k−1) by Horner's rule. */
    static double hornerDerivative(double[] c, double x) {
        double s = 0;
        for (int k = c.length - 1; k >= 1; k--) {
            s = s * x + k * c[k];
        }
        return s;
    }

    /**
     * E[u^i v^j] for (u, v) ~ N(0, [[Σxx, Σxy], [Σxy, Σyy]]) by Isserlis' theorem.
     *
     * @param i power of u
     * @param j power of v
     * @param kxx Σxx
     * @param kxy Σxy
     * @param kyy Σyy
     * @return the moment
     */
    public static double moment(int i, int j, double kxx, double kxy, double kyy) {
        double sum = 0;
        for (int k = (i & 1); k <= Math.min(i, j); k += 2) {
            if (((j - k) & 1) != 0) {
                continue;
            }
            double w = binom(i, k) * binom(j, k) * fact(k) * dfact(i - k - 1) * dfact(j - k - 1);
            sum += w * Math.pow(kxy, k) * Math.pow(kxx, (i - k) / 2) * Math.pow(kyy, (j - k) / 2);
        }
        return sum;
    }

    /**
     * The moment E[u^i v^j] as a Symja expression (same formula as {@link #moment}).
     *
     * @param i power of u
     * @param j power of v
     * @param xx expression for Σxx
     * @param xy expression for Σxy
     * @param yy expression for Σyy
     * @return Symja expression, "0" when the moment vanishes
     */
    public static String symbolicMoment(int i, int j, String xx, String xy, String yy) {
        StringBuilder sb = new StringBuilder();
        for (int k = (i & 1); k <= Math.min(i, j); k += 2) {
            if (((j - k) & 1) != 0) {
                continue;
            }
            double w = binom(i, k) * binom(j, k) * fact(k) * dfact(i - k - 1) * dfact(j - k - 1);
            sb.append(sb.length() == 0 ? "" : "+").append(num(w))
                    .append("*(").append(xy).append(")^").append(k)
                    .append("*(").append(xx).append(")^").append((i - k) / 2)
                    .append("*(").append(yy).append(")^").append((j - k) / 2);
        }
        return sb.length() == 0 ? "0" : "(" + sb + ")";
    }

    private static double binom(int n, int k) {
        double r = 1;
        for (int t = 1; t <= k; t++) {
            r = r * (n - k + t) / t;
        }
        return r;
    }

    private static double fact(int n) {
        double r = 1;
        for (int t = 2; t <= n; t++) {
            r *= t;
        }
        return r;
    }

    private static double dfact(int n) {
        double r = 1;
        for (int t = n; t > 1; t -= 2) {
            r *= t;
        }
        return r;
    }

    /** Coefficients of φ': (k+1)·c_{k+1}; Ṫ of φ is T of φ', which is Price's theorem here. */
    private double[] derivativeCoefficients() {
        double[] d = new double[Math.max(coeffs.length - 1, 1)];
        for (int k = 1; k < coeffs.length; k++) {
            d[k - 1] = k * coeffs[k];
        }
        return d;
    }

    /** Σ_{i,j} c_i c_j E[u^i v^j]. */
    private static double gaussianProduct(double[] c, double kxx, double kxy, double kyy) {
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                if (c[i] != 0 && c[j] != 0) {
                    s += c[i] * c[j] * moment(i, j, kxx, kxy, kyy);
                }
            }
        }
        return s;
    }

    /**
     * The same sum as a Symja expression for φ (derivative = false) or φ' (true). Coefficients
     * are printed as given and multiplied by Symja: c_i·c_j or k·c_k formed in double would
     * not be the exact product of the decimals the user wrote.
     */
    private String symbolicGaussianProduct(boolean derivative, String xx, String xy, String yy) {
        int shift = derivative ? 1 : 0;
        StringBuilder sb = new StringBuilder();
        for (int i = shift; i < coeffs.length; i++) {
            for (int j = shift; j < coeffs.length; j++) {
                if (coeffs[i] != 0 && coeffs[j] != 0) {
                    sb.append(sb.length() == 0 ? "" : "+").append(derivative ? (i * j) + "*" : "")
                            .append('(').append(num(coeffs[i])).append(")*(").append(num(coeffs[j])).append(")*")
                            .append(symbolicMoment(i - shift, j - shift, xx, xy, yy));
                }
            }
        }
        return sb.length() == 0 ? "0" : "(" + sb + ")";
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return gaussianProduct(coeffs, kxx, kxy, kyy);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return gaussianProduct(derivativeCoefficients(), kxx, kxy, kyy);
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return symbolicGaussianProduct(false, xx, xy, yy);
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return symbolicGaussianProduct(true, xx, xy, yy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Poly other && Arrays.equals(other.coeffs, coeffs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(coeffs);
    }
}
