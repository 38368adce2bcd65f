package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Activations;
import io.github.ntk4j.net.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sphere mode against the closed forms of docs/KERNEL-RECURSION.md §4 (one hidden ReLU layer, W_std = 1,
 * b_std = 0, u = cos θ):
 * <pre>
 *   K(u) = (√(1 − u²) + (π − arccos u) u)/(2π)      Θ(u) = (√(1 − u²) + 2u(π − arccos u))/(2π)
 * </pre>
 * and their Maclaurin coefficients. Θ's follow by hand from Θ = K + u Ṫ with
 * Ṫ = 1/2 − arccos(u)/(2π) = 1/4 + u/(2π) + u³/(12π) + …: 1/(2π), 1/2, 3/(4π), 0, 5/(48π).
 */
class SphereFormsTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    private static final String K = "(Sqrt[1-u^2]+(Pi-ArcCos[u])*u)/(2*Pi)";
    private static final String THETA = "(Sqrt[1-u^2]+2*u*(Pi-ArcCos[u]))/(2*Pi)";

    private static SymbolicKernel reluOnSphere() {
        Network net = Network.fullyConnected(Activations.of("relu"), 1, 1, 0);
        return SymbolicRecursion.of(net, SymbolicOptions.defaults().withSphere(true).withExpanded(true)).derive(SESSION);
    }

    @Test
    void oneReluLayerMatchesTheArcCosineForms() {
        SymbolicKernel k = reluOnSphere();
        assertEquals(List.of("u"), k.variables());
        String nngp = k.nngpClosed().orElseThrow();
        String ntk = k.ntkClosed().orElseThrow();
        assertTrue(SESSION.simplifiesToZero("(" + nngp + ")-(" + K + ")", 5), nngp);
        assertTrue(SESSION.simplifiesToZero("(" + ntk + ")-(" + THETA + ")", 5), ntk);
        // and as numbers, through the compiled evaluator, against the formulas in plain Java
        CompiledKernel c = CompiledKernel.compile(k);
        for (double u : new double[] {-1, -0.999999, -0.5, 0, 0.3, 0.9, 1 - 1e-12, 1}) {
            double acos = Math.acos(u);
            double root = Math.sqrt(Math.max(0, 1 - u * u));
            KernelValue v = c.evaluate(u);
            // absolute tolerance: near u = −1 the two terms of the plain formula cancel to 1e-10
            // and it keeps only about 1e-16 absolute itself
            assertEquals((root + (Math.PI - acos) * u) / (2 * Math.PI), v.nngp(), 1e-14, "K at " + u);
            assertEquals((root + 2 * u * (Math.PI - acos)) / (2 * Math.PI), v.ntk(), 1e-14, "Θ at " + u);
        }
    }

    @Test
    void seriesCoefficientsAreExact() {
        SymbolicKernel k = reluOnSphere();
        List<String> kSeries = SESSION.maclaurin(k.nngpClosed().orElseThrow(), "u", 6);
        List<String> tSeries = SESSION.maclaurin(k.ntkClosed().orElseThrow(), "u", 6);
        double pi = Math.PI;
        double[] kWant = {1 / (2 * pi), 0.25, 1 / (4 * pi), 0, 1 / (48 * pi), 0};
        double[] tWant = {1 / (2 * pi), 0.5, 3 / (4 * pi), 0, 5 / (48 * pi), 0};
        for (int i = 0; i < 6; i++) {
            assertFalse(kSeries.get(i).contains(".") || tSeries.get(i).contains("."), "exact: " + kSeries + " " + tSeries);
            assertEquals(kWant[i], SESSION.numeric(kSeries.get(i)), 1e-16, "K coefficient " + i);
            assertEquals(tWant[i], SESSION.numeric(tSeries.get(i)), 1e-16, "Θ coefficient " + i);
        }
        assertEquals("1/2", tSeries.get(1));
        assertTrue(SESSION.simplifiesToZero("(" + tSeries.get(4) + ")-5/(48*Pi)", 5), tSeries.get(4));
    }

    @Test
    void symbolicParametersEvaluateLikeTheNumericEngine() {
        Network shape = Network.fullyConnected(Activations.of("relu"), 2, 1, 0);
        SymbolicKernel k = SymbolicRecursion.of(shape, SymbolicOptions.defaults().withSymbolicParams(true)).derive(SESSION);
        assertEquals(List.of("xx", "xy", "yy", "w1", "b1", "w2", "b2", "w3", "b3"), k.variables());
        CompiledKernel c = CompiledKernel.compile(k);
        // x = (1, 2), y = (2, 0.5): xx = 2.5, xy = 1.5, yy = 2.125
        KernelValue got = c.evaluate(2.5, 1.5, 2.125, 1.4, 0.1, 0.9, 0.3, 1.2, 0.05);
        Network net = io.github.ntk4j.net.NetworkSpec.parse("dense(1.4,0.1) relu dense(0.9,0.3) relu dense(1.2,0.05)");
        KernelValue want = NtkRecursion.of(net).pair(new double[] {1, 2}, new double[] {2, 0.5});
        assertEquals(want.nngp(), got.nngp(), 1e-13 * want.nngp());
        assertEquals(want.ntk(), got.ntk(), 1e-13 * want.ntk());
    }
}
