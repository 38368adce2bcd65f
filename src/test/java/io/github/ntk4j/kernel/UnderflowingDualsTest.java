package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.net.Network;
import org.junit.jupiter.api.Test;

/**
 * Duals that are exponentials of large negative numbers (rbf, exp_normalized): a value below the
 * smallest normal double is refused, never returned as 0.0 (it printed 0.0 for rbf(1e200) and
 * exp_normalized(1e200,-1)); just above it the value is right.
 *
 * <p>Inputs x = (1, 0.5), y = (0.3, −0.2), d = 2: Σxx = 0.625, Σyy = 0.065, Σxy = 0.1, so
 * E = Σxx + Σyy − 2Σxy = 0.49 and the NNGP of dense(1,0) rbf(γ) dense(1,0) is exp(−0.49γ).
 * Reference: exp(−700) = 9.8596765437597708567e-305 (Python's decimal module, 50 digits).
 */
class UnderflowingDualsTest {
    private static final double[] X = {1, 0.5};
    private static final double[] Y = {0.3, -0.2};

    @Test
    void rbfJustAboveTheDoubleRangeIsRight() {
        double gamma = 700 / 0.49;
        double k = NtkRecursion.of(Network.parse("dense(1,0) rbf(" + gamma + ") dense(1,0)")).pair(X, Y).nngp();
        assertEquals(9.8596765437597708567e-305, k, 1e-12 * 9.8596765437597708567e-305);
    }

    @Test
    void rbfBelowTheDoubleRangeIsRefused() {
        for (String g : new String[] {String.valueOf(710 / 0.49), "1e5", "1e200"}) {
            Network net = Network.parse("dense(1,0) rbf(" + g + ") dense(1,0)");
            Ntk4jException e = assertThrows(Ntk4jException.class, () -> NtkRecursion.of(net).pair(X, Y), g);
            assertTrue(e.getMessage().contains("outside the normal double range"), e.getMessage());
            assertThrows(Ntk4jException.class, () -> NtkRecursion.of(net).gram(new double[][] {X, Y}), g);
        }
        // the diagonal alone stays exact: T(x, x) = 1
        Network net = Network.parse("dense(1,0) rbf(1e200) dense(1,0)");
        assertEquals(1.0, NtkRecursion.of(net).pair(X, X).nngp(), 0.0);
    }

    @Test
    void expNormalizedBelowTheDoubleRangeIsRefused() {
        Network net = Network.parse("dense(1,0) exp_normalized(1e200,-1) dense(1,0)");
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> NtkRecursion.of(net).pair(X, Y));
        assertTrue(e.getMessage().contains("outside the normal double range"), e.getMessage());
    }
}
