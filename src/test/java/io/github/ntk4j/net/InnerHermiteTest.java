package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;
import org.junit.jupiter.api.Test;

/**
 * The inner Gauss–Hermite rules of the nearly collinear quadrature against a different
 * algorithm: composite Gauss–Legendre, 16 nodes on each of 480 panels of [−12, 12] (panels
 * 0.05 long in z, at most 0.0175 in x at the largest spread: far finer than any of these
 * integrands varies). Each rule is checked at its limit and below for f = 1/(1 + x²), whose poles
 * at ±i sit at the distance the rules assume, and for tanh, sech² (φ' of tanh), the logistic
 * sigmoid and silu; the negative control shows the limits are not loose: twice the limit of the
 * 8-node rule misses the reference by far more than the tolerance. The built-in activations'
 * analytic strips (QuadratureActivation's strip) are checked the same way for φ and φ'.
 */
class InnerHermiteTest {
    private static final double TOL = 1e-14;

    private static final double[] SPREADS = {1e-6, 0.01, 0.05, 0.1, 0.12, 0.2, 0.22, 0.3, 0.35};

    private static final DoubleUnaryOperator CAUCHY = x -> 1 / (1 + x * x);
    private static final DoubleUnaryOperator[] FUNCTIONS = {CAUCHY, Math::tanh, x -> 1 / (Math.cosh(x) * Math.cosh(x)),
        x -> 1 / (1 + Math.exp(-x)), x -> x / (1 + Math.exp(-x))};

    /** E[f(μ + sZ)] by composite Gauss–Legendre. */
    private static double panels(DoubleUnaryOperator f, double mu, double s) {
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(16);
        double[] x = rule.getFirst();
        double[] w = rule.getSecond();
        int n = 480;
        double h = 24.0 / n;
        double sum = 0;
        for (int p = 0; p < n; p++) {
            double mid = -12 + (p + 0.5) * h;
            for (int i = 0; i < x.length; i++) {
                double z = mid + 0.5 * h * x[i];
                sum += 0.5 * h * w[i] * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * f.applyAsDouble(mu + s * z);
            }
        }
        return sum;
    }

    private static double hermite(double[] rule, DoubleUnaryOperator f, double mu, double s) {
        double sum = 0;
        for (int j = 0; j < rule.length; j += 2) {
            sum += rule[j + 1] * f.applyAsDouble(mu + s * rule[j]);
        }
        return sum;
    }

    @Test
    void everyRuleMatchesThePanelsUpToItsLimit() {
        for (DoubleUnaryOperator f : FUNCTIONS) {
            double scale = Math.max(Math.abs(f.applyAsDouble(0)), Math.abs(f.applyAsDouble(4)));
            for (double s : SPREADS) {
                double[] rule = InnerHermite.rule(s);
                assertNotNull(rule, "s = " + s);
                for (int k = -16; k <= 16; k++) {
                    double mu = k / 4.0;
                    double want = panels(f, mu, s);
                    double got = hermite(rule, f, mu, s);
                    assertTrue(Math.abs(got - want) <= TOL * Math.max(Math.abs(want), scale),
                            "s = " + s + ", mu = " + mu + ": " + got + " vs " + want);
                }
            }
        }
    }

    /**
     * The built-in smooth activations with their analytic strips τ (the rules taken at s/τ, as
     * QuadratureActivation does): every rule at τ times its limit and below, for φ and φ', μ over
     * [−6, 6]; and the check has the power to fail: each misses at 2τ.
     */
    @Test
    void builtInStripsHoldForPhiAndItsDerivative() {
        double[] limits = {0.05, 0.12, 0.22, 0.35};
        for (String name : new String[] {"tanh", "sigmoid", "softplus", "silu", "mish"}) {
            QuadratureActivation a = (QuadratureActivation) Activations.of(name);
            double tau = a.strip();
            assertTrue(tau > 1, name);
            double worstBeyond = 0;
            for (DoubleUnaryOperator f : new DoubleUnaryOperator[] {a::apply, a::derivative}) {
                double scale = Math.max(Math.abs(f.applyAsDouble(0)), Math.abs(f.applyAsDouble(4)));
                for (double limit : limits) {
                    for (double s : new double[] {0.5 * tau * limit, tau * limit}) {
                        double[] rule = InnerHermite.rule(s / tau);
                        assertNotNull(rule, name + " s = " + s);
                        for (int k = -24; k <= 24; k++) {
                            double mu = k / 4.0;
                            double want = panels(f, mu, s);
                            double got = hermite(rule, f, mu, s);
                            assertTrue(Math.abs(got - want) <= TOL * Math.max(Math.abs(want), scale),
                                    name + ", s = " + s + ", mu = " + mu + ": " + got + " vs " + want);
                        }
                    }
                    double[] rule = InnerHermite.rule(limit);
                    for (int k = -24; k <= 24; k++) {
                        double mu = k / 4.0;
                        double want = panels(f, mu, 2 * tau * limit);
                        worstBeyond = Math.max(worstBeyond,
                                Math.abs(hermite(rule, f, mu, 2 * tau * limit) - want) / Math.max(Math.abs(want), scale));
                    }
                }
            }
            assertTrue(worstBeyond > 10 * TOL, name + " at 2τ: worst " + worstBeyond);
        }
    }

    @Test
    void beyondTheLastLimitThePanelsApply() {
        assertNull(InnerHermite.rule(0.36));
        assertNull(InnerHermite.rule(10));
    }

    @Test
    void negativeControlTheEightNodeRuleFailsAtTwiceItsLimit() {
        double[] eight = InnerHermite.rule(0.05);
        double worst = 0;
        for (int k = -16; k <= 16; k++) {
            double mu = k / 4.0;
            double want = panels(CAUCHY, mu, 0.1);
            worst = Math.max(worst, Math.abs(hermite(eight, CAUCHY, mu, 0.1) - want) / Math.abs(want));
        }
        assertTrue(worst > 100 * TOL, "8 nodes at s = 0.1 should miss: worst relative error " + worst);
    }
}
