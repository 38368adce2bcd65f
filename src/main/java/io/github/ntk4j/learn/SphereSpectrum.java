package io.github.ntk4j.learn;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.KernelKind;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Eigenvalues of a dot-product kernel κ(x·y) on the unit sphere S^{d−1} by the Funk–Hecke
 * formula: every spherical harmonic of degree k is an eigenfunction of the integral operator
 * (Tf)(x) = ∫ κ(⟨x, y⟩) f(y) dτ(y), τ the uniform probability measure, with eigenvalue
 * <pre>
 *   μ_k = (ω_{d−2}/ω_{d−1}) ∫_{−1}^{1} κ(u) P_k^{(d)}(u) (1 − u²)^{(d−3)/2} du,
 *   ω_{d−2}/ω_{d−1} = Γ(d/2) / (√π Γ((d−1)/2)),
 * </pre>
 * of multiplicity N(d, k) = (2k + d − 2)(k + d − 3)! / (k! (d − 2)!) (N(d, 0) = 1), where
 * P_k^{(d)} is the Legendre (Gegenbauer) polynomial of dimension d normalised to P_k(1) = 1:
 * P_0 = 1, P_1 = u, (k + d − 2) P_{k+1} = (2k + d − 2) u P_k − k P_{k−1}
 * (Atkinson and Han, Spherical Harmonics and Approximations on the Unit Sphere, 2012,
 * Thm. 2.22 and §2.1; Bietti and Mairal 2019, §3). With n points drawn uniformly on the
 * sphere, the eigenvalues of the Gram matrix divided by n approach the μ_k, each repeated
 * N(d, k) times.
 *
 * <p>The integral is taken in the angle, u = cos θ:
 * μ_k = c_d ∫_0^π κ(cos θ) P_k(cos θ) sin^{d−2} θ dθ, by composite Gauss–Legendre quadrature.
 * The substitution removes the endpoint singularity of the weight and of the arc-cosine
 * kernels (κ of a ReLU network is smooth in θ but has √(1 − u²) terms in u), so the rule
 * converges fast; the result is also computed with half the panels and the difference is
 * reported as an error estimate.
 *
 * <p>κ(u) of a network is the engine's kernel of two inputs of squared norm d (so that
 * Σxx = x·x/d = 1) at angle θ: x = √d a, y = √d (cos θ a + sin θ b). Before integrating, the
 * kernel is evaluated at the same angles along a second, random orthonormal pair (a, b): a
 * network whose kernel is not rotation invariant (e.g. one with a fixed Fourier-feature input
 * map) is refused rather than given a meaningless spectrum.
 */
public final class SphereSpectrum {
    private static final int NODES_PER_PANEL = 24;

    private final int dimension;
    private final double[] eigenvalues;
    private final double[] errors;

    private SphereSpectrum(int dimension, double[] eigenvalues, double[] errors) {
        this.dimension = dimension;
        this.eigenvalues = eigenvalues;
        this.errors = errors;
    }

    /**
     * The Funk–Hecke eigenvalues of a network's kernel on S^{d−1}.
     *
     * @param engine the kernel engine
     * @param kind NTK or NNGP
     * @param d the ambient dimension (inputs in R^d), ≥ 2
     * @param maxDegree the largest degree K ≥ 0; degrees 0..K are returned
     * @return μ_0 … μ_K
     */
    public static SphereSpectrum of(KernelFunction engine, KernelKind kind, int d, int maxDegree) {
        checkArguments(d, maxDegree);
        return compute(d, maxDegree, theta -> {
            double[] k = kernelAtAngles(engine, kind, d, theta, 0L);
            checkRotationInvariance(engine, kind, d, theta, k);
            return k;
        });
    }

    /**
     * The Funk–Hecke eigenvalues of an explicit dot-product kernel κ(u), u ∈ [−1, 1].
     *
     * @param kappa κ, evaluated on (−1, 1)
     * @param d the ambient dimension, ≥ 2
     * @param maxDegree the largest degree K ≥ 0
     * @return μ_0 … μ_K
     */
    public static SphereSpectrum of(DoubleUnaryOperator kappa, int d, int maxDegree) {
        checkArguments(d, maxDegree);
        return compute(d, maxDegree, theta -> {
            double[] k = new double[theta.length];
            for (int i = 0; i < k.length; i++) {
                k[i] = kappa.applyAsDouble(Math.cos(theta[i]));
            }
            return k;
        });
    }

    /**
     * Integrates with P and P/2 panels; {@code kernel} maps all the angles of both rules (in one
     * call, so that the engine computes them as one batch) to κ(cos θ).
     */
    private static SphereSpectrum compute(int d, int maxDegree, UnaryOperator<double[]> kernel) {
        int panels = panels(maxDegree);
        Rule fine = nodes(panels, 0, Math.PI);
        Rule coarse = nodes(panels / 2, 0, Math.PI);
        int nf = fine.points.length;
        double[] all = new double[nf + coarse.points.length];
        System.arraycopy(fine.points, 0, all, 0, nf);
        System.arraycopy(coarse.points, 0, all, nf, coarse.points.length);
        double[] k = kernel.apply(all);
        double[] mu = integrate(d, maxDegree, fine, java.util.Arrays.copyOfRange(k, 0, nf));
        double[] muCoarse = integrate(d, maxDegree, coarse, java.util.Arrays.copyOfRange(k, nf, k.length));
        double[] err = new double[mu.length];
        for (int j = 0; j < mu.length; j++) {
            err[j] = Math.abs(mu[j] - muCoarse[j]);
        }
        return new SphereSpectrum(d, mu, err);
    }

    private static void checkArguments(int d, int maxDegree) {
        if (d < 2) {
            throw Messages.tooSmall("sphere dimension d (inputs in R^d, sphere S^(d-1))", d, 2);
        }
        if (d > 100_000) {
            throw Messages.tooLarge("sphere dimension d", d, 100_000);
        }
        if (maxDegree < 0) {
            throw Messages.tooSmall("degrees", maxDegree, 0);
        }
        if (maxDegree > 10_000) {
            throw Messages.tooLarge("degrees", maxDegree, 10_000);
        }
    }

    /** Enough panels that each holds at most about one oscillation of P_K in θ, and at least 16. */
    private static int panels(int maxDegree) {
        int p = Math.max(16, maxDegree + 8);
        return p + (p & 1);
    }

    /** μ_k = c_d Σ w_i κ(cos θ_i) P_k(cos θ_i) sin^{d−2} θ_i for k = 0..K. */
    private static double[] integrate(int d, int maxDegree, Rule rule, double[] kappa) {
        double c = Math.exp(org.hipparchus.special.Gamma.logGamma(d / 2.0)
                - org.hipparchus.special.Gamma.logGamma((d - 1) / 2.0)) / Math.sqrt(Math.PI);
        double[] mu = new double[maxDegree + 1];
        for (int i = 0; i < rule.points.length; i++) {
            double th = rule.points[i];
            double u = Math.cos(th);
            double s = Math.sin(th);
            double w = rule.weights[i] * kappa[i] * Math.pow(s, d - 2);
            double pPrev = 1;
            double p = u;
            mu[0] += w;
            if (maxDegree >= 1) {
                mu[1] += w * u;
            }
            for (int k = 1; k < maxDegree; k++) {
                double next = ((2.0 * k + d - 2) * u * p - k * pPrev) / (k + d - 2.0);
                pPrev = p;
                p = next;
                mu[k + 1] += w * p;
            }
        }
        for (int k = 0; k <= maxDegree; k++) {
            mu[k] *= c;
        }
        return mu;
    }

    private record Rule(double[] points, double[] weights) {
    }

    /** Composite Gauss–Legendre rule: {@code panels} equal panels of NODES_PER_PANEL nodes on [a, b]. */
    private static Rule nodes(int panels, double a, double b) {
        GaussIntegrator g = new GaussIntegratorFactory().legendre(NODES_PER_PANEL);
        int m = g.getNumberOfPoints();
        double[] x = new double[panels * m];
        double[] w = new double[panels * m];
        double h = (b - a) / panels;
        for (int p = 0; p < panels; p++) {
            double mid = a + (p + 0.5) * h;
            for (int i = 0; i < m; i++) {
                x[p * m + i] = mid + 0.5 * h * g.getPoint(i);
                w[p * m + i] = 0.5 * h * g.getWeight(i);
            }
        }
        return new Rule(x, w);
    }

    /**
     * κ(cos θ) for each θ, from the engine on inputs x = √d a, y = √d (cos θ a + sin θ b): with
     * seed 0 (a, b) = (e₁, e₂), otherwise a random orthonormal pair.
     */
    private static double[] kernelAtAngles(KernelFunction engine, KernelKind kind, int d, double[] theta, long seed) {
        double[] a = new double[d];
        double[] b = new double[d];
        if (seed == 0) {
            a[0] = 1;
            b[1] = 1;
        } else {
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < d; i++) {
                a[i] = gaussian(r);
                b[i] = gaussian(r);
            }
            scale(a, 1 / Math.sqrt(dot(a, a)));
            double ab = dot(a, b);
            for (int i = 0; i < d; i++) {
                b[i] -= ab * a[i];
            }
            scale(b, 1 / Math.sqrt(dot(b, b)));
        }
        double r = Math.sqrt(d);
        double[][] x = new double[1][d];
        for (int i = 0; i < d; i++) {
            x[0][i] = r * a[i];
        }
        double[][] y = new double[theta.length][d];
        for (int j = 0; j < theta.length; j++) {
            double c = Math.cos(theta[j]);
            double s = Math.sin(theta[j]);
            for (int i = 0; i < d; i++) {
                y[j][i] = r * (c * a[i] + s * b[i]);
            }
        }
        return engine.cross(x, y, kind)[0];
    }

    private static void checkRotationInvariance(KernelFunction engine, KernelKind kind, int d, double[] theta,
            double[] reference) {
        // seven angles along a random plane; all of them would double the cost for nothing
        int step = Math.max(1, theta.length / 7);
        int count = (theta.length + step - 1) / step;
        double[] th = new double[count];
        double[] ref = new double[count];
        for (int j = 0; j < count; j++) {
            th[j] = theta[j * step];
            ref[j] = reference[j * step];
        }
        double[] other = kernelAtAngles(engine, kind, d, th, 0x9E3779B97F4A7C15L);
        double scale = 0;
        for (int j = 0; j < reference.length; j++) {
            if (!Double.isFinite(reference[j])) {
                // an overflow, not a kernel that depends on more than the angle
                throw Messages.invalid(String.format(Locale.ROOT, "the kernel on the sphere is %s at angle %.4f: "
                        + "its value does not fit a double (reduce W_std, b_std or the depth)", reference[j], theta[j]));
            }
            scale = Math.max(scale, Math.abs(reference[j]));
        }
        for (int j = 0; j < count; j++) {
            if (!(Math.abs(other[j] - ref[j]) <= 1e-9 * scale)) {
                throw Messages.notDotProductKernel(String.format(Locale.ROOT,
                        "at angle %.4f the kernel is %.12g along e1,e2 but %.12g along another plane", th[j], ref[j], other[j]));
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; only a direction is needed, so one variate per call is enough
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void scale(double[] a, double f) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= f;
        }
    }

    /**
     * N(d, k) = (2k + d − 2)(k + d − 3)! / (k! (d − 2)!), the number of linearly independent
     * spherical harmonics of degree k on S^{d−1} (N(d, 0) = 1; N(2, k) = 2; N(3, k) = 2k + 1).
     *
     * @param d the ambient dimension, ≥ 2
     * @param k the degree, ≥ 0
     * @return N(d, k) (as a double: it overflows a long for large d and k)
     */
    public static double multiplicity(int d, int k) {
        if (d < 2) {
            throw Messages.tooSmall("sphere dimension d", d, 2);
        }
        if (k < 0) {
            throw Messages.tooSmall("degree", k, 0);
        }
        if (k == 0) {
            return 1;
        }
        return exactMultiplicity(d, k).doubleValue();
    }

    /**
     * The multiplicity N(d, k) as an exact integer (above 2^53 a double cannot hold it): the
     * dimension of the harmonic polynomials of degree k in d variables, the homogeneous ones of
     * degree k less those of degree k − 2, N(d, k) = C(k + d − 1, d − 1) − C(k + d − 3, d − 1)
     * (Atkinson and Han 2012, Thm. 2.9), equal to the formula in the class comment.
     *
     * @param d ambient dimension ≥ 2
     * @param k degree ≥ 0
     * @return N(d, k)
     */
    public static java.math.BigInteger exactMultiplicity(int d, int k) {
        if (d < 2) {
            throw Messages.tooSmall("sphere dimension d", d, 2);
        }
        if (k < 0) {
            throw Messages.tooSmall("degree", k, 0);
        }
        return binomial(k + d - 1L, d - 1L).subtract(k >= 2 ? binomial(k + d - 3L, d - 1L) : java.math.BigInteger.ZERO);
    }

    private static java.math.BigInteger binomial(long n, long r) {
        if (r < 0 || r > n) {
            return java.math.BigInteger.ZERO;
        }
        r = Math.min(r, n - r);
        java.math.BigInteger b = java.math.BigInteger.ONE;
        for (long i = 1; i <= r; i++) {
            b = b.multiply(java.math.BigInteger.valueOf(n - r + i)).divide(java.math.BigInteger.valueOf(i));
        }
        return b;
    }

    /** @return d, the ambient dimension */
    public int dimension() {
        return dimension;
    }

    /** @return K, the largest degree */
    public int maxDegree() {
        return eigenvalues.length - 1;
    }

    /**
     * @param k degree, 0..K
     * @return μ_k
     */
    public double eigenvalue(int k) {
        return eigenvalues[k];
    }

    /** @return a copy of μ_0 … μ_K */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /**
     * @param k degree, 0..K
     * @return |μ_k(P panels) − μ_k(P/2 panels)|, an estimate (usually a large over-estimate) of the quadrature error
     */
    public double errorEstimate(int k) {
        return errors[k];
    }
}
