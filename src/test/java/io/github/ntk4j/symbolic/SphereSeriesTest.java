package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.Progress;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Maclaurin coefficients by series arithmetic ({@link SphereSeries}) against two independent
 * computations: Symja's Series of the closed form (a different algorithm: differentiation of
 * the whole expression), exactly, and the numeric engine ({@link NtkRecursion}, no Symja)
 * summed at a point inside the radius of convergence.
 */
class SphereSeriesTest {
    private static final SymjaSession SESSION = SymjaSession.start();
    private static final SymbolicOptions SPHERE = SymbolicOptions.defaults().withSphere(true);

    private static void assertSameAsSeriesOfClosedForm(String spec, int n) {
        Network net = NetworkSpec.parse(spec);
        SymbolicKernel k = SymbolicRecursion.of(net, SPHERE.withExpanded(true)).derive(SESSION);
        List<String> nngp = SESSION.maclaurin(k.nngpClosed().orElseThrow(), "u", n);
        List<String> ntk = SESSION.maclaurin(k.ntkClosed().orElseThrow(), "u", n);
        SphereSeries.Result s = SphereSeries.of(net, SPHERE, n, SESSION, Progress.NONE);
        // the constant terms are the kernels at u = 0, from the numeric engine: Symja's Series of
        // the closed NTK dropped a constant (relu below: 0.6048 instead of 0.6344), which
        // `derive --series` used to print
        KernelValue atZero = NtkRecursion.of(net).pair(new double[] {Math.sqrt(2), 0}, new double[] {0, Math.sqrt(2)});
        assertEquals(atZero.nngp(), SESSION.numeric(s.nngp().get(0)), 1e-14 * atZero.nngp(), spec);
        assertEquals(atZero.ntk(), SESSION.numeric(s.ntk().get(0)), 1e-14 * atZero.ntk(), spec);
        for (int i = 1; i < n; i++) {
            for (String[] pair : new String[][] {{nngp.get(i), s.nngp().get(i)}, {ntk.get(i), s.ntk().get(i)}}) {
                double a = SESSION.numeric(pair[0]);
                double b = SESSION.numeric(pair[1]);
                assertEquals(a, b, 1e-14 * Math.max(1e-300, Math.abs(a)), spec + " u^" + i + ": " + pair[0] + " vs " + pair[1]);
                assertTrue(!pair[1].contains("."), "exact: " + pair[1]);
            }
        }
    }

    @Test
    void oneHiddenLayerAgreesWithTheNumericKernelAndTheSeriesOfTheClosedForm() {
        // (the expected side, Symja's Series, takes tens of seconds beyond these orders)
        assertSameAsSeriesOfClosedForm("dense(1.4,0.1) relu dense(1.4,0.1)", 5);
        assertSameAsSeriesOfClosedForm("dense(1.2,0.3) erf dense(0.9,0.2)", 4);
    }

    @Test
    void polynomialLayersComposeAtAnyDepth() {
        // compositions of polynomial duals: the closed form is a polynomial and its series is exact
        assertSameAsSeriesOfClosedForm("dense(1.2,0.3) poly(0.5,1,0.5) dense(0.9,0.2) poly(0,1,1) dense(1,0.1)", 5);
    }

    @Test
    void fortyTermsSumToTheNumericKernel() {
        // at u = 0.3 the 40-term sum of a depth-1 ReLU network leaves a tail of about
        // |c_40| 0.3^40 ≈ 1e-22 relative; the numeric engine is an independent algorithm
        Network net = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1)");
        SphereSeries.Result s = SphereSeries.of(net, SPHERE, SphereSeries.MAX_TERMS, SESSION, Progress.NONE);
        double u = 0.3;
        double[] x = {1, 0};
        double[] y = {u, Math.sqrt(1 - u * u)};
        // Σxy = x·y/d with d = 2: inputs of squared norm 2
        KernelValue v = NtkRecursion.of(net).pair(scale(x, Math.sqrt(2)), scale(y, Math.sqrt(2)));
        double k = 0;
        double t = 0;
        for (int i = SphereSeries.MAX_TERMS - 1; i >= 0; i--) {
            k = k * u + SESSION.numeric(s.nngp().get(i));
            t = t * u + SESSION.numeric(s.ntk().get(i));
        }
        assertEquals(v.nngp(), k, 1e-14 * v.nngp());
        assertEquals(v.ntk(), t, 1e-14 * v.ntk());
    }

    private static double[] scale(double[] v, double c) {
        return new double[] {v[0] * c, v[1] * c};
    }

    @Test
    void requestsThatWouldRunForMinutesAreRefusedUpFront() {
        Network deep = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SphereSeries.check(deep, 5));
        assertTrue(e.getMessage().contains("limited to 1 hidden layer"), e.getMessage());
        assertThrows(InvalidInputException.class,
                () -> SphereSeries.check(NetworkSpec.parse("dense(1,0) relu dense(1,0)"), SphereSeries.MAX_TERMS + 1));
        Network veryDeep = Network.fullyConnected(NetworkSpec.parseActivation("relu"), SymbolicRecursion.MAX_DEPTH + 1, 1.4, 0.1);
        assertThrows(InvalidInputException.class, () -> SymbolicRecursion.checkSize(veryDeep, false));
        Network eight = Network.fullyConnected(NetworkSpec.parseActivation("relu"), 8, 1.4, 0.1);
        e = assertThrows(InvalidInputException.class, () -> SymbolicRecursion.checkSize(eight, true));
        assertTrue(e.getMessage().contains("limited to depth " + SymbolicRecursion.MAX_EXPANDED_DEPTH), e.getMessage());
        SymbolicRecursion.checkSize(eight, false); // the straight-line program is fine
    }

    /**
     * Which layers count as polynomial is read from the dual's expression,
     * not from a list of classes; hermite(2) was "non-polynomial". A negative control: every
     * transcendental dual is still counted.
     */
    @Test
    void polynomialDualsAreRecognisedByTheirExpression() {
        for (String p : List.of("hermite(0)", "hermite(1)", "hermite(2)", "hermite(5)", "hermite(8)", "poly(0.5,1,0.5)",
                "monomial(3)", "identity")) {
            assertTrue(SphereSeries.polynomialDual(NetworkSpec.parseActivation(p)), p);
        }
        for (String t : List.of("relu", "abs", "leaky_relu(0.1)", "erf", "gelu", "rectified_monomial(2)", "sign", "cos(1,1,0)",
                "gaussian(1,0)", "exp(1,0)", "tanh")) {
            assertTrue(!SphereSeries.polynomialDual(NetworkSpec.parseActivation(t)), t);
        }
        // the reproducer: two hermite(2) layers, and a variant with hermite(3) and one relu, pass the size check
        SphereSeries.check(NetworkSpec.parse("dense(1,0) hermite(2) dense(1,0) hermite(2) dense(1,0)"), 5);
        SphereSeries.check(NetworkSpec.parse("dense(1,0) hermite(3) dense(1,0) relu dense(1,0) hermite(2) dense(1,0)"), 5);
    }

    /**
     * Two hermite(2) layers: the series against an expansion by hand. φ = He₂/√2 has, at unit
     * variances, T = Σxy² and Ṫ = 2Σxy (Mehler); W_std = 1, b_std = 0 keep every variance 1.
     * Dense: K = u, Θ = u; hermite: K = u², Θ = u·2u; dense: Θ = u² + 2u² = 3u²; hermite:
     * K = u⁴, Θ = 3u²·2u²; dense: Θ = u⁴ + 6u⁴ = 7u⁴.
     */
    @Test
    void twoHermiteLayersGiveTheHandExpansion() {
        SphereSeries.Result s = SphereSeries.of(NetworkSpec.parse("dense(1,0) hermite(2) dense(1,0) hermite(2) dense(1,0)"), SPHERE,
                6, SESSION, Progress.NONE);
        assertEquals(List.of("0", "0", "0", "0", "1", "0"), s.nngp());
        assertEquals(List.of("0", "0", "0", "0", "7", "0"), s.ntk());
    }
}
