package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.Progress;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code derive --series} for the closed-form activations beyond ReLU and erf, coefficient by
 * coefficient against the Hermite coefficients of φ itself, computed here by quadrature.
 *
 * <p>For {@code dense(w,0) φ dense(v,b)} on the sphere the pre-activation covariance is
 * [[w², w²u], [w²u, w²]], and Mehler's formula (equivalently Price's theorem at Σxy = 0) gives
 * <pre>
 *   K(u) = b² + v²·Σ_k h_k² u^k/k!,             h_k = E[φ(wz)·He_k(z)],   z ~ N(0, 1)
 *   Θ(u) = K(u) + v²·w²u·Σ_k g_k² u^k/k!,        g_k = E[φ'(wz)·He_k(z)]
 * </pre>
 * (Ṫ = E[φ'(u)φ'(v)] by the same formula for φ'). h_k and g_k come from the activation's forward
 * maps φ and φ' (the finite-width ones, not the dual formulas) by composite Gauss–Legendre on
 * [−12, 0] and [0, 12] (split at 0 for the jump of sign). Sign and
 * rectified_monomial(0) have φ' = 0, so Θ = K, as neural-tangents defines their NTK.
 */
class SphereSeriesActivationsTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    /**
     * Default options and the activations (parameters included) of ActivationFormulasTest: the
     * base rules (T, Ṫ by Price's theorem with a time-boxed Simplify, about a second each on the
     * shared machine) are cached per activation and options, so in a whole test run they are
     * derived once.
     */
    private static final SymbolicOptions SPHERE = SymbolicOptions.defaults().withSphere(true);
    private static final int TERMS = 4;
    private static final double W = 1.1;
    private static final double V = 0.9;
    private static final double B = 0.2;

    @Test
    void coefficientsAreTheSquaredHermiteCoefficientsOfPhi() {
        // gelu: ArcTan; sin, cos: Sinh and E^; rbf, gabor, exp: E^; then forms that compose by
        // powers and ArcSin/ArcCos alone
        for (String phi : new String[] {"gelu", "sin(1.5,0.8,0.3)", "cos", "exp(0.8,0.5)", "rbf(0.5)", "gabor", "gaussian",
            "sign", "hermite(3)", "sigmoid_like"}) {
            String spec = "dense(" + W + ",0) " + phi + " dense(" + V + "," + B + ")";
            Activation a = NetworkSpec.parseActivation(phi);
            SphereSeries.Result s = SphereSeries.of(NetworkSpec.parse(spec), SPHERE, TERMS, SESSION, Progress.NONE);
            double factorial = 1;
            double previousG2 = 0;
            for (int k = 0; k < TERMS; k++) {
                factorial *= Math.max(k, 1);
                double h = hermiteCoefficient(a::apply, k);
                double g = hermiteCoefficient(a::derivative, k);
                double kk = V * V * h * h / factorial + (k == 0 ? B * B : 0);
                double tk = kk + (k == 0 ? 0 : V * V * W * W * previousG2 * k / factorial);
                previousG2 = g * g;
                double scale = Math.abs(V * V * (a.dual(W * W, W * W, W * W))) + B * B;
                assertEquals(kk, SESSION.numeric(s.nngp().get(k)), 1e-11 * scale, spec + ": u^" + k + " of K, " + s.nngp().get(k));
                assertEquals(tk, SESSION.numeric(s.ntk().get(k)), 1e-11 * scale, spec + ": u^" + k + " of Θ, " + s.ntk().get(k));
                assertTrue(!s.nngp().get(k).contains("."), "exact: " + s.nngp().get(k));
            }
        }
    }

    /**
     * exp_normalized has no φ (its kernel is normalised by the input norms), and gelu with a
     * bias expands around Σxy = b² ≠ 0 (every coefficient then depends on the value there): their
     * series summed at u = 0.002 against the numeric engine, 1e-11. The tail beyond 4 terms is
     * below 1e-11 relative: the nearest singularity of these kernels in u is at |u| ≥ 1 (gelu's
     * at about 1.7), so the terms fall like 0.002^k. (More terms cost seconds each: gelu with a
     * bias took 6.7 s for 7 terms against 2.2 s for 5; the coefficients themselves are checked
     * one by one above.)
     */
    @Test
    void seriesSumToTheNumericKernel() {
        for (String spec : new String[] {"dense(1.1,0) exp_normalized dense(0.9,0.2)", "dense(1.2,0.3) gelu dense(0.9,0.1)",
            "dense(0.8,0.4) cos dense(1,0)"}) {
            Network net = NetworkSpec.parse(spec);
            int n = 4;
            SphereSeries.Result s = SphereSeries.of(net, SPHERE, n, SESSION, Progress.NONE);
            double u = 0.002;
            double r = Math.sqrt(2);
            KernelValue want = NtkRecursion.of(net).pair(new double[] {r, 0}, new double[] {r * u, r * Math.sqrt(1 - u * u)});
            double k = 0;
            double t = 0;
            for (int i = n - 1; i >= 0; i--) {
                k = k * u + SESSION.numeric(s.nngp().get(i));
                t = t * u + SESSION.numeric(s.ntk().get(i));
            }
            assertEquals(want.nngp(), k, 1e-11 * Math.abs(want.nngp()), spec);
            assertEquals(want.ntk(), t, 1e-11 * Math.abs(want.ntk()), spec);
        }
    }

    /** Where no exact series exists the request is refused with the reason, before any work. */
    @Test
    void refusedWhereTheSeriesDoesNotExist() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SphereSeries.check(NetworkSpec.parse("dense(1,0) tanh dense(1,0)"), 4));
        assertTrue(e.getMessage().contains("Gaussian integral"), e.getMessage());
        // E[exp(x²)·exp(x²)] diverges at variance 1: the closed form would give a finite, wrong series
        e = assertThrows(InvalidInputException.class, () -> SphereSeries.of(NetworkSpec.parse("dense(1,0) gaussian(1,1) dense(1,0)"),
                SPHERE, 4, SESSION, Progress.NONE));
        assertTrue(e.getMessage().contains("diverge"), e.getMessage());
    }

    private static final int PANELS = 64;
    private static final double[] NODES;
    private static final double[] WEIGHTS;

    static {
        org.hipparchus.util.Pair<double[], double[]> rule =
                new org.hipparchus.analysis.integration.gauss.LegendreRuleFactory().getRule(16);
        NODES = rule.getFirst();
        WEIGHTS = rule.getSecond();
    }

    /** E[f(wz)·He_k(z)] for z ~ N(0, 1). */
    private static double hermiteCoefficient(DoubleUnaryOperator f, int k) {
        DoubleUnaryOperator integrand = z -> {
            double h0 = 1;
            double h1 = z;
            for (int j = 1; j < k; j++) {
                double h2 = z * h1 - j * h0;
                h0 = h1;
                h1 = h2;
            }
            double he = k == 0 ? 1 : h1;
            return f.applyAsDouble(W * z) * he * Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        };
        // composite 16-point Gauss–Legendre, 64 panels on each of [−12, 0] and [0, 12] (split at
        // the kinks at 0): for these entire or piecewise-entire integrands far below 1e-13
        double sum = 0;
        for (int p = 0; p < 2 * PANELS; p++) {
            double lo = -12 + 12.0 * p / PANELS;
            double h = 6.0 / PANELS;
            for (int i = 0; i < NODES.length; i++) {
                sum += h * WEIGHTS[i] * integrand.applyAsDouble(lo + h + h * NODES[i]);
            }
        }
        return sum;
    }
}
