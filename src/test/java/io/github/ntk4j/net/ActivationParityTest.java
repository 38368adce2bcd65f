package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Nearly anti-collinear inputs, against the exact identities of parity. A network whose layers
 * are all odd (odd activations, Dense layers without bias) has K(x, y) = −K(x, −y) and
 * Θ(x, y) = −Θ(x, −y); one whose first activation is even, after a Dense layer without bias, has
 * K(x, y) = K(x, −y) and Θ(x, y) = Θ(x, −y) (the activation's outputs for −y are those for y, and
 * Θ's first-layer term Σxy·Ṫ keeps its sign, both factors changing it). The pair (x, −y) is nearly
 * collinear, which the engine serves by its nearly collinear rules (checked against mpmath in
 * ReferenceValuesTest); (x, y) goes through the anti-collinear ones (erf's, and CollinearDefect's
 * about the anti-collinear pair), so the two must agree to 1e-12 relative (a value near 0 against
 * 1e-12 of the Cauchy–Schwarz scale). Before those rules the odd networks were 1e-8 (tanh, erf)
 * to 3e-5 (sin) off, and the even ones 3e-9 (hermite(2)) to 0.49 (cos, after a sign layer).
 */
class ActivationParityTest {
    @Test
    void oddNetworksAreOddOnNearlyAntiCollinearPairs() {
        check(new String[] {
            "dense(1.3,0) tanh dense(1,0) sign dense(1,0)",
            "dense(1.4,0) tanh dense(1.2,0) tanh dense(1,0) sign dense(1,0)",
            "dense(1.3,0) tanh dense(1.1,0) erf dense(1,0)",
            "dense(2,0) sin dense(1,0) sign dense(1,0)",
            "dense(1.1,0) erf dense(1.2,0) sign dense(1,0)",
            "dense(0.8,0) erf(2,0.5,0) dense(1.5,0) erf dense(1,0)",
            "dense(1.2,0) hermite(3) dense(1,0) sign dense(1,0)",
        }, -1);
    }

    @Test
    void evenActivationsMakeNearlyAntiCollinearPairsNearlyCollinear() {
        check(new String[] {
            "dense(1.587,0) hermite(4) dense(1.884,0.43) rectified_monomial(0) dense(1.962,0.082) relu dense(1,0)",
            "dense(1.2,0) hermite(2) dense(1,0.3) relu dense(1,0)",
            "dense(1.3,0) cos dense(1.2,0.2) sign dense(1,0)",
            "dense(1.1,0) gaussian dense(1,0.5) relu dense(1,0)",
            "dense(1.5,0) monomial(2) dense(0.5,0.3) sign dense(1,0)",
            "dense(1.2,0) abs dense(1,0.4) sign dense(1,0)",
        }, 1);
    }

    /** parity −1: K(x, y) = −K(x, −y); +1: K(x, y) = K(x, −y); Θ likewise. */
    private static void check(String[] nets, int parity) {
        Random rng = new Random(20261207);
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (String spec : nets) {
            NtkRecursion engine = NtkRecursion.of(Network.parse(spec)).withThreads(1);
            for (int t = 0; t < 40; t++) {
                int d = 1 + rng.nextInt(5);
                double scale = Math.pow(10, rng.nextInt(7) - 3);
                double apart = Math.pow(10, -2 - rng.nextInt(11));
                double ratio = rng.nextBoolean() ? 1 : Math.pow(10, rng.nextInt(5) - 2);
                double[] x = new double[d];
                double[] y = new double[d];
                double[] minusY = new double[d];
                for (int k = 0; k < d; k++) {
                    x[k] = rng.nextGaussian() * scale;
                    y[k] = -x[k] * ratio * (1 + apart * rng.nextGaussian());
                    minusY[k] = -y[k];
                }
                KernelValue anti = engine.pair(x, y);
                KernelValue image = engine.pair(x, minusY);
                KernelValue xx = engine.pair(x, x);
                KernelValue yy = engine.pair(y, y);
                String label = String.format("%s, d %d, norm %.0e, ratio %.0e, %.0e from anti-collinear", spec, d, scale,
                        ratio, apart);
                worst = Math.max(worst, compare(failures, label + ", K", anti.nngp(), parity * image.nngp(),
                        Math.sqrt(xx.nngp() * yy.nngp())));
                worst = Math.max(worst, compare(failures, label + ", Θ", anti.ntk(), parity * image.ntk(),
                        Math.sqrt(xx.ntk() * yy.ntk())));
            }
        }
        System.out.printf("%s networks, (x, y) against %s(x, −y): worst relative difference %.3g%n",
                parity < 0 ? "odd" : "even", parity < 0 ? "−" : "", worst);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    private static double compare(List<String> failures, String label, double got, double want, double scale) {
        double err = Math.abs(got - want) / Math.max(Math.abs(want), 1e-12 * scale);
        if (!(err <= 1e-12)) {
            failures.add(String.format("%s: %.17g against %.17g, relative difference %.3g", label, got, want, err));
        }
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
}
