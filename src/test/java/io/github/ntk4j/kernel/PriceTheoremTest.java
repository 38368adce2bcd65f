package io.github.ntk4j.kernel;

import io.github.ntk4j.net.Layers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.Identity;
import io.github.ntk4j.net.Poly;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Price's theorem (docs/KERNEL-RECURSION.md §3): Ṫ = ∂T/∂Σxy, for every activation. The derivative is taken
 * by a 6th-order central finite difference of the engine's T, an independent check of the
 * separately coded Ṫ (an error in either would break the identity).
 */
class PriceTheoremTest {
    static final List<Activation> ALL = List.of(Layers.relu(), ABRelu.leaky(0.2), ABRelu.abs(), ABRelu.of(-0.5, 2),
            Layers.erf(), new Erf(2, 0.5, 0.3), Layers.identity(), new Poly(0.1, 1, -0.5, 0.25));

    @Test
    void derivativeDualIsTheDerivativeOfTheDual() {
        double[][] covs = {{1, 0.3, 2}, {0.5, -0.2, 0.4}, {0.8, 0.7, 0.8}, {1.3, -1.0, 1.0}, {0.2, 0.0, 3.0}};
        for (Activation a : ALL) {
            for (double[] c : covs) {
                double h = 1e-3 * Math.sqrt(c[0] * c[2]);
                double[] w = {-1.0 / 60, 3.0 / 20, -3.0 / 4, 0, 3.0 / 4, -3.0 / 20, 1.0 / 60};
                double fd = 0;
                for (int k = -3; k <= 3; k++) {
                    fd += w[k + 3] * a.dual(c[0], c[1] + k * h, c[2]);
                }
                fd /= h;
                double td = a.dualDerivative(c[0], c[1], c[2]);
                assertEquals(fd, td, 1e-9 * Math.max(1, Math.abs(td)), a + " at " + java.util.Arrays.toString(c));
            }
        }
    }
}
