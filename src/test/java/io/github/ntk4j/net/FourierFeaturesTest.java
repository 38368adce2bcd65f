package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import org.junit.jupiter.api.Test;

/**
 * The Fourier-feature map inside the analytic engine: through a single Dense(1, 0) layer the
 * NNGP is the map's own kernel, which must equal the shift-invariant closed form
 * (1/D) Σ_j cos(2π b_j·(x − y)) (Tancik et al. 2020, eq. for the composed kernel).
 */
class FourierFeaturesTest {

    static double closedForm(double[][] b, double[] x, double[] y) {
        double s = 0;
        for (double[] bj : b) {
            double dot = 0;
            for (int k = 0; k < x.length; k++) {
                dot += bj[k] * (x[k] - y[k]);
            }
            s += Math.cos(2 * Math.PI * dot);
        }
        return s / (2 * b.length);
    }

    @Test
    void inducedKernelIsShiftInvariantCosineSum() {
        double[] x = {0.12, -0.4};
        double[] y = {0.31, 0.05};
        for (FourierFeatures f : new FourierFeatures[] {FourierFeatures.gaussian(50, 3.0, 7), FourierFeatures.positional(6, 16)}) {
            Network net = Network.serial(f, Layers.dense(1, 0));
            double k = NtkRecursion.of(net).pair(x, y).nngp();
            assertEquals(closedForm(f.frequencyMatrix(2), x, y), k, 1e-14, f.spec());
            // a shift of both inputs changes nothing
            double[] xs = {x[0] + 0.25, x[1] - 0.5};
            double[] ys = {y[0] + 0.25, y[1] - 0.5};
            assertEquals(k, NtkRecursion.of(net).pair(xs, ys).nngp(), 1e-12);
            // every input has Σxx = 1/2
            assertEquals(0.5, NtkRecursion.of(net).pair(x, x).nngp(), 1e-15);
        }
    }

    @Test
    void specRoundTripAndGramUsesTheMap() {
        Network net = NetworkSpec.parse("fourier(16,4,3) dense(1.4,0.1) relu dense(1,0)");
        assertEquals("fourier(16,4,3) dense(1.4,0.1) relu dense(1,0)", net.spec());
        assertEquals(net, NetworkSpec.parse(net.spec()));
        double[][] x = {{0.1}, {0.2}, {0.7}};
        double[][] g = NtkRecursion.of(net).gram(x, KernelKind.NTK);
        assertEquals(NtkRecursion.of(net).pair(x[0], x[2]).ntk(), g[0][2], 1e-13);
        assertEquals("posenc(8,32) dense(1,0) relu dense(1,0)", NetworkSpec.parse("posenc(8,32) dense(1,0) relu dense(1,0)").spec());
    }

    @Test
    void badMapsAreRefused() {
        assertThrows(Ntk4jException.class, () -> FourierFeatures.gaussian(0, 1, 1));
        assertThrows(Ntk4jException.class, () -> FourierFeatures.gaussian(4, -1, 1));
        assertThrows(Ntk4jException.class, () -> FourierFeatures.positional(4, Double.NaN));
        String m = assertThrows(Ntk4jException.class, () -> NetworkSpec.parse("fourier(16,4) dense(1,0)")).getMessage();
        assertTrue(m.contains("fourier(m,sigma,seed) takes 3 parameters, got 2"), m);
        assertTrue(assertThrows(Ntk4jException.class, () -> NetworkSpec.parse("posenc(8,2)")).getMessage()
                .contains("expected a dense layer after the input map"));
    }
}
