package io.github.ntk4j.kernel;

import io.github.ntk4j.net.Layers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Erf;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;

/**
 * The erf duals T = E[φ(u)φ(v)] and Ṫ = E[φ'(u)φ'(v)] against a 2-D Gauss–Hermite quadrature of
 * the Gaussian expectation (Hipparchus' Hermite rule, tensorised after a Cholesky factorisation
 * of the covariance). φ is smooth, so the rule converges exponentially; 200 nodes per axis
 * reach 1e-12 for the covariances below.
 */
class ErfQuadratureTest {
    private static final GaussIntegrator HERMITE = new GaussIntegratorFactory().hermite(100);

    /** E[f(u) g(v)] for (u, v) ~ N(0, [[a, c], [c, b]]) by ∫∫ e^{-s²-t²} with u = √(2a) s, v = L21 √2 s + L22 √2 t. */
    static double expectation(DoubleUnaryOperator f, DoubleUnaryOperator g, double a, double c, double b) {
        double l11 = Math.sqrt(a);
        double l21 = c / l11;
        double l22 = Math.sqrt(Math.max(b - l21 * l21, 0));
        double sum = 0;
        for (int i = 0; i < HERMITE.getNumberOfPoints(); i++) {
            double s = HERMITE.getPoint(i) * Math.sqrt(2);
            double wi = HERMITE.getWeight(i);
            double fu = f.applyAsDouble(l11 * s);
            double inner = 0;
            for (int j = 0; j < HERMITE.getNumberOfPoints(); j++) {
                double t = HERMITE.getPoint(j) * Math.sqrt(2);
                inner += HERMITE.getWeight(j) * g.applyAsDouble(l21 * s + l22 * t);
            }
            sum += wi * fu * inner;
        }
        return sum / Math.PI;
    }

    @Test
    void erfDualsMatchQuadrature() {
        double[][] covs = {{1, 0.3, 2}, {0.5, -0.2, 0.4}, {0.8, 0.79, 0.8}, {1.3, -1.1, 1.0}, {0.2, 0.0, 1.5}};
        Activation[] acts = {Layers.erf(), new Erf(2, 0.5, 0.3), new Erf(-1, 1.2, 0.1)};
        for (Activation act : acts) {
            for (double[] c : covs) {
                double tq = expectation(act::apply, act::apply, c[0], c[1], c[2]);
                double tdq = expectation(act::derivative, act::derivative, c[0], c[1], c[2]);
                assertEquals(tq, act.dual(c[0], c[1], c[2]), 1e-12 * Math.max(1, Math.abs(tq)), act + " T at " + c[1]);
                assertEquals(tdq, act.dualDerivative(c[0], c[1], c[2]), 1e-12 * Math.max(1, Math.abs(tdq)),
                        act + " Tdot at " + c[1]);
            }
        }
    }
}
