package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.KernelMath;
import java.util.List;

/**
 * φ(x) = x^n for x ≥ 0, 0 otherwise (n = 0 … 4), neural-tangents' {@code RectifiedMonomial(n)}:
 * the Heaviside step (n = 0), ReLU (n = 1) and its powers.
 *
 * <p>Duals: the arc-cosine kernels of Cho &amp; Saul (2009),
 * T = (ΣxxΣyy)^{n/2} J_n(θ)/(2π) with θ the angle between the inputs and
 * J_n(θ) = (−1)^n sin^{2n+1}θ ((1/sinθ)∂/∂θ)^n ((π − θ)/sinθ), written out as P_n + (π − θ)Q_n:
 * <pre>
 *   J_0 = π − θ
 *   J_1 = sin θ + (π − θ) cos θ
 *   J_2 = 3 sin θ cos θ + (π − θ)(1 + 2cos²θ)
 *   J_3 = sin θ (4 + 11cos²θ) + (π − θ)(9 cos θ + 6cos³θ)
 *   J_4 = sin θ cos θ (55 + 50cos²θ) + (π − θ)(9 + 72cos²θ + 24cos⁴θ)
 * </pre>
 * Ṫ = n²(ΣxxΣyy)^{(n−1)/2} J_{n−1}(θ)/(2π) (φ' = n·x^{n−1} on x &gt; 0), and for n = 0 Ṫ = 0 as
 * neural-tangents defines it (φ' = 0 almost everywhere; no Price's theorem). T(s, s, s) =
 * (2n−1)!! sⁿ/2. n = 1 is ReLU and uses {@link ABRelu}'s cancellation-free recursion; n = 0
 * carries D' = θ(π + δ)/(4π²) and E' = θ/π from θ and δ = π − θ (each from atan, never
 * arccos); for n ≥ 2, T and Ṫ depend on θ only to second order near collinearity, and D' is
 * formed from J_n(0) − J_n(θ) written without cancellation ({@link #gap}), which a following
 * layer's angle needs.
 */
final class RectifiedMonomial extends Activation {
    private static final ABRelu RELU = ABRelu.relu();
    /**
     * Maclaurin coefficients of J_n(π − δ) for n = 2, 3, 4 in δ^{2n+1}, δ^{2n+3}, … (odd
     * powers; exact rationals from the series of the closed forms above, rounded to double).
     * Near anti-collinear inputs J_n(π − δ) ~ δ^{2n+1} is the difference of terms of size δ, so
     * the closed form would keep only its absolute accuracy there.
     */
    private static final double[][] NEAR_PI = {
        {0.26666666666666666, -0.050793650793650794, 0.004232804232804233, -0.00020522687189353857, 6.5777843555621335e-06, -1.5034935669856304e-07, 2.5795232766910326e-09, -3.447984329745741e-11, 3.69426892472758e-13, -3.244856323871392e-15, 2.3795613041723542e-17, -1.479136785810321e-19},
        {0.34285714285714286, -0.09523809523809523, 0.012207792207792207, -0.0009601509601509602, 5.212115926401641e-05, -2.0876649027909533e-06, 6.449306322764477e-08, -1.5867340501872677e-09, 3.186416067110783e-11, -5.3258668532774e-13, 7.528345650320797e-15, -9.120432495341158e-17},
        {0.6095238095238096, -0.22164502164502164, 0.03807747807747808, -0.004113558399272685, 0.000314088650223104, -1.807916103458882e-05, 8.17804744989654e-07, -2.9941976625649746e-08, 9.07328801988966e-10, -2.3161418353439508e-11, 5.052806426707773e-13, -9.534257830203283e-15},
    };
    /** Below this δ = π − θ the series is used (its 12th term is below 1e-17 relative there). */
    private static final double SERIES_BELOW = 0.3;
    private final int n;

    /** @param n the power, 0 … 4 */
    public RectifiedMonomial(int n) {
        if (n < 0 || n > 4) {
            throw Messages.invalid("rectified_monomial(n) takes n = 0, 1, 2, 3 or 4, got " + n);
        }
        this.n = n;
    }

    /** @return the power n */
    public int degree() {
        return n;
    }

    @Override
    public String name() {
        return "rectified_monomial";
    }

    @Override
    protected List<Double> parameters() {
        return List.of((double) n);
    }

    @Override
    public double apply(double x) {
        return x >= 0 ? pow(x, n) : 0;
    }

    @Override
    public double derivative(double x) {
        return n == 0 || x < 0 ? 0 : n * pow(x, n - 1);
    }

    private static double pow(double x, int k) {
        double r = 1;
        for (int i = 0; i < k; i++) {
            r *= x;
        }
        return r;
    }

    @Override
    public boolean dualDerivativeByPriceTheorem() {
        return n > 0;
    }

    private static double doubleFactorial(int m) {
        double r = 1;
        for (int t = m; t > 1; t -= 2) {
            r *= t;
        }
        return r;
    }

    @Override
    public double mapVariance(double kxx) {
        if (n == 0) {
            return kxx > 0 ? 0.5 : 1; // φ(u)² = 1 for u ≥ 0: half the mass, or all of it for u ≡ 0
        }
        return doubleFactorial(2 * n - 1) * pow(kxx, n) / 2;
    }

    /** J_k(θ) from sin θ, cos θ and δ = π − θ. */
    private static double j(int k, double s, double c, double delta) {
        if (delta < SERIES_BELOW && k >= 1) {
            if (k == 1) {
                return KernelMath.sinMinusXCos(delta, s, -c);
            }
            double[] co = NEAR_PI[k - 2];
            double d2 = delta * delta;
            double sum = 0;
            for (int i = co.length - 1; i >= 0; i--) {
                sum = sum * d2 + co[i];
            }
            double lead = delta;
            for (int i = 0; i < 2 * k; i++) {
                lead *= delta;
            }
            return lead * sum;
        }
        switch (k) {
            case 0:
                return delta;
            case 1:
                return s + delta * c;
            case 2:
                return 3 * s * c + delta * (1 + 2 * c * c);
            case 3:
                return s * (4 + 11 * c * c) + delta * c * (9 + 6 * c * c);
            default:
                double c2 = c * c;
                return s * c * (55 + 50 * c2) + delta * (9 + c2 * (72 + 24 * c2));
        }
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return dualOfOnePair(kxx, kxy, kyy, false);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return dualOfOnePair(kxx, kxy, kyy, true);
    }

    /** n = 1 is ReLU: its scale-free rule. */
    @Override
    public io.github.ntk4j.internal.KernelRows mapRows(io.github.ntk4j.internal.ScaledDouble[] scaleIn, io.github.ntk4j.internal.Workers workers) {
        return n == 1 ? RELU.mapRows(scaleIn, workers) : super.mapRows(scaleIn, workers);
    }

    /** n = 1 is ReLU: its scale-free rule. */
    @Override
    public void mapPairs(io.github.ntk4j.internal.KernelBatch batch, io.github.ntk4j.internal.KernelRows x, int i,
            io.github.ntk4j.internal.KernelRows y, int yFrom) {
        if (n == 1) {
            RELU.mapPairs(batch, x, i, y, yFrom);
        } else {
            super.mapPairs(batch, x, i, y, yFrom);
        }
    }

    /** Reads the angle scale-free and gives it so (n = 1 is ReLU's scale-free rule). */
    @Override
    boolean needsProductsOfVariances() {
        return false;
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        if (n == 1) {
            RELU.mapCovariances(p);
            return;
        }
        for (int k = 0; k < p.size; k++) {
            double a = p.kxx[k];
            double b = p.kyy[k];
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            double norm = Math.sqrt(a) * Math.sqrt(b);
            if (norm == 0) {
                // a zero input: φ(0) = 1 for n = 0 (so T = E[φ(v)] = 1/2, or 1 if both are zero), 0 otherwise
                double t = n > 0 ? 0 : (a == 0 && b == 0 ? 1 : 0.5);
                p.kxy[k] = t;
                p.ntk[k] = 0;
                p.d[k] = Math.max(txx * tyy - t * t, 0);
                p.e[k] = Math.max(txx + tyy - 2 * t, 0);
                continue;
            }
            // the angle from the scale-free state (CovarianceBatch#cos): Σxy and √D over- or
            // underflow at variances beyond about 1e±154 (a step layer after inputs of variance
            // 1e160 was 3.5e4 times off)
            double sin = p.same[k] ? 0 : Math.sqrt(p.sin2[k]);
            double cos = p.same[k] ? 1 : p.cos[k];
            double th = KernelMath.angle(cos, sin);
            double de = KernelMath.angle(-cos, sin); // π − θ without cancellation
            if (p.same[k]) {
                th = 0;
                de = Math.PI;
            }
            double scale = pow(norm, n) / (2 * Math.PI);
            double t = scale * j(n, sin, cos, de);
            p.ntk[k] *= n == 0 ? 0 : n * n * pow(norm, n - 1) / (2 * Math.PI) * j(n - 1, sin, cos, de);
            if (p.same[k]) {
                p.kxy[k] = txx;
                p.d[k] = 0;
                p.e[k] = 0;
            } else {
                p.kxy[k] = t;
                // D' = T(x,x)T(y,y) − T² = scale²·(J_n(0)² − J_n(θ)²) = scale²·Δ(2J_n(0) − Δ), with
                // Δ = J_n(0) − J_n(θ) formed without cancellation (gap(); for n = 0 it is θ): by
                // the subtraction, a pair at sin²θ = 5e-19 came out with D' = 0, and a sign layer
                // after it with T = 1 instead of 1 − 6e-10. The angle goes out scale-free, as
                // cos θ' = J_n(θ)/J_n(0) and sin²θ' = Δ(2J_n(0) − Δ)/J_n(0)², since scale² is
                // T(x,x)T(y,y)/J_n(0)², which overflows where the output variances are beyond about
                // 1e±154 (n = 3 after inputs of variance 1e100: a ReLU layer after it 3 % off)
                double gap = n == 0 ? th : gap(n, th, sin, cos, de);
                final double defect = gap * (2 * J0[n] - gap);
                p.d[k] = scale * scale * defect;
                p.e[k] = n == 0 ? th / Math.PI : Math.max(txx + tyy - 2 * t, 0);
                p.cosOut[k] = j(n, sin, cos, de) / J0[n];
                p.sin2Out[k] = defect / (J0[n] * J0[n]);
            }
        }
    }

    /** J_n(0) = (2n − 1)!!·π. */
    private static final double[] J0 = {Math.PI, Math.PI, 3 * Math.PI, 15 * Math.PI, 105 * Math.PI};

    /**
     * J_n(0) − J_n(θ) for n = 2, 3, 4 as sums of terms that are non-negative for θ ≤ π/2 (the
     * tabulated J_n rearranged with cos = 1 − (1 − cos), 1 − cos θ = sin²θ/(1 + cos θ) where cos θ
     * &gt; 0, and 1 − cos θ itself beyond, where it does not cancel but sin²θ/(1 + cos θ) did: for
     * nearly anti-collinear inputs 1 + cos θ is rounding, and n = 3 gave a D' so far off that a sign
     * layer two layers on returned 1 instead of 0.85):
     * <pre>
     *   n = 2:  3(θ − sin θ cos θ) + 2(π − θ) sin²θ
     *   n = 3:  15(θ − sin θ) + 11 sin³θ + (π − θ)(1 − cos θ)(15 + 6 cos θ + 6 cos²θ)
     *   n = 4:  105(θ − sin θ cos θ) + 50 sin³θ cos θ + (π − θ) sin²θ (96 + 24 cos²θ)
     * </pre>
     * with θ − sin θ and θ − sin θ cos θ = (2θ − sin 2θ)/2 by their Maclaurin series where θ is
     * small ({@link #xMinusSin}).
     */
    private static double gap(int n, double th, double sin, double cos, double de) {
        switch (n) {
            case 2:
                return 3 * thetaMinusSinCos(th, sin, cos) + 2 * de * (sin * sin);
            case 3:
                return 15 * (th < 1 ? xMinusSin(th) : th - sin) + 11 * (sin * sin * sin)
                        + de * (cos > 0 ? sin * sin / (1 + cos) : 1 - cos) * (15 + 6 * cos + 6 * cos * cos);
            default:
                return 105 * thetaMinusSinCos(th, sin, cos) + 50 * (sin * sin * sin) * cos
                        + de * (sin * sin) * (96 + 24 * cos * cos);
        }
    }

    /** θ − sin θ cos θ = (2θ − sin 2θ)/2, by the series below θ = 1/2. */
    private static double thetaMinusSinCos(double th, double sin, double cos) {
        return th < 0.5 ? 0.5 * xMinusSin(2 * th) : th - sin * cos;
    }

    /**
     * x − sin x for 0 ≤ x ≤ 1 by its Maclaurin series x³/3! − x⁵/5! + … (terms to x^23, the next
     * below 1e-18 relative): no cancellation.
     */
    static double xMinusSin(double x) {
        double x2 = x * x;
        double term = x * x2 / 6;
        double sum = 0;
        for (int k = 2; k <= 12; k++) {
            sum += term;
            term *= -x2 / ((2 * k) * (2 * k + 1));
        }
        return sum;
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return "(" + symbolicScaledJ(n, xx, xy, yy) + ")";
    }

    private static String symbolicScaledJ(int k, String xx, String xy, String yy) {
        String nrm = "Sqrt[(" + xx + ")*(" + yy + ")]";
        String c = "((" + xy + ")/" + nrm + ")";
        String s = "Sqrt[1-" + c + "^2]";
        String de = "(Pi-ArcCos[" + c + "])";
        String j;
        switch (k) {
            case 0: j = de; break;
            case 1: j = "(" + s + "+" + de + "*" + c + ")"; break;
            case 2: j = "(3*" + s + "*" + c + "+" + de + "*(1+2*" + c + "^2))"; break;
            case 3: j = "(" + s + "*(4+11*" + c + "^2)+" + de + "*" + c + "*(9+6*" + c + "^2))"; break;
            default: j = "(" + s + "*" + c + "*(55+50*" + c + "^2)+" + de + "*(9+72*" + c + "^2+24*" + c + "^4))";
        }
        return nrm + "^" + k + "*" + j + "/(2*Pi)";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return n == 0 ? "0" : "(" + n * n + "*" + symbolicScaledJ(n - 1, xx, xy, yy) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RectifiedMonomial r && r.n == n;
    }

    @Override
    public int hashCode() {
        return 43 + n;
    }
}
