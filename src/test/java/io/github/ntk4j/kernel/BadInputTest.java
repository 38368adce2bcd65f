package io.github.ntk4j.kernel;

import io.github.ntk4j.net.Layers;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.Network;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets a precise Ntk4jException, never a NaN. */
class BadInputTest {
    private final NtkRecursion relu = NtkRecursion.of(Network.fullyConnected(Layers.relu(), 2, 1.4, 0.1));

    private static String msg(Runnable r) {
        return assertThrows(Ntk4jException.class, r::run).getMessage();
    }

    @Test
    void nonFiniteEntries() {
        assertEquals("y[1] is NaN: only finite numbers are allowed", msg(() -> relu.pair(new double[] {1, 2}, new double[] {1, Double.NaN})));
        assertEquals("x[0] is NaN: only finite numbers are allowed", msg(() -> relu.pair(new double[] {Double.NaN, 1}, new double[] {1, 2})));
        assertEquals("x[0] is Infinity: only finite numbers are allowed",
                msg(() -> relu.pair(new double[] {Double.POSITIVE_INFINITY}, new double[] {1})));
        assertEquals("data set[1][2] is -Infinity: only finite numbers are allowed",
                msg(() -> relu.gram(new double[][] {{1, 2, 3}, {1, 2, Double.NEGATIVE_INFINITY}}, KernelKind.NTK)));
    }

    @Test
    void dimensionsAndEmptiness() {
        assertEquals("dimension mismatch: x has 2 entries but y has 3", msg(() -> relu.pair(new double[] {1, 2}, new double[] {1, 2, 3})));
        assertEquals("x is empty: at least one value is needed", msg(() -> relu.pair(new double[0], new double[0])));
        assertEquals("data set is empty: at least one value is needed", msg(() -> relu.gram(new double[0][], KernelKind.NTK)));
        assertEquals("data set[1] has 1 entries but data set[0] has 2", msg(() -> relu.gram(new double[][] {{1, 2}, {3}}, KernelKind.NTK)));
        assertEquals("dimension mismatch: the first data set's rows has 2 entries but the second's has 1",
                msg(() -> relu.cross(new double[][] {{1, 2}}, new double[][] {{3}}, KernelKind.NTK)));
        assertTrue(msg(() -> relu.withThreads(0)).contains("threads must be at least 1"));
        // a missing kernel kind is refused, never answered with null
        assertThrows(io.github.ntk4j.InvalidInputException.class, () -> relu.gram(new double[][] {{1, 2}}, null));
        assertThrows(io.github.ntk4j.InvalidInputException.class,
                () -> relu.cross(new double[][] {{1, 2}}, new double[][] {{3, 4}}, null));
    }

    @Test
    void matrixTooLargeForMemorySaysHowMuch() {
        double[][] x = new double[200_000][1];
        String m = msg(() -> relu.gram(x, KernelKind.NTK));
        assertTrue(m.startsWith("a 200000×200000 kernel matrix needs about 298.0 GiB of memory but only"), m);
    }

    /**
     * Zero vectors: the kernel is defined as the limit x = εv, ε → 0. With b_std = 0 in the
     * first layer every covariance involving x is 0, so K = Θ = 0 (for ReLU-like activations,
     * positively homogeneous, the angle never matters); with b_std &gt; 0 the first layer
     * makes the input non-degenerate. Either way: finite numbers, no NaN.
     */
    @Test
    void zeroVectorsAreTheirLimit() {
        double[] zero = {0, 0, 0};
        double[] y = {0.3, -1, 2};
        KernelValue v = NtkRecursion.of(Network.fullyConnected(Layers.relu(), 3, 1.4, 0)).pair(zero, y);
        assertEquals(0.0, v.nngp(), 0.0);
        assertEquals(0.0, v.ntk(), 0.0);
        KernelValue self = NtkRecursion.of(Network.fullyConnected(Layers.relu(), 3, 1.4, 0)).pair(zero, zero);
        assertEquals(0.0, self.ntk(), 0.0);
        // with bias, the zero input is an ordinary input: its pair with itself is the bias chain
        // K1 = b², relu halves it: K = b²/2·w² + b² …; compare with the closed form for depth 1:
        double w = 1.4;
        double b = 0.3;
        KernelValue withBias = NtkRecursion.of(Network.fullyConnected(Layers.relu(), 1, w, b)).pair(zero, zero);
        double k1 = b * b;
        double k2 = w * w * k1 / 2 + b * b;
        double theta = k2 + w * w * k1 * 0.5;
        assertEquals(k2, withBias.nngp(), 1e-15);
        assertEquals(theta, withBias.ntk(), 1e-15);
        KernelValue erf = NtkRecursion.of(Network.fullyConnected(Layers.erf(), 2, 1.4, 0)).pair(zero, y);
        assertTrue(Double.isFinite(erf.ntk()) && erf.ntk() == 0.0);
    }
}
