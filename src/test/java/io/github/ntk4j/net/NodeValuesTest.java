package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The error function behind erf and GELU, and {@link CollinearDefect}'s table of activation
 * values at its quadrature nodes ({@link CovarianceBatch#nodeValues}).
 *
 * <p>Reference values: mpmath 1.3 at 40 digits ({@code mp.ncdf(x)}, {@code mp.erf(x)}), printed to
 * 25 digits.
 */
class NodeValuesTest {

    @Test
    void gaussianDistributionFunctionMatchesHighPrecisionValues() {
        // {x, Φ(x)} by mpmath.ncdf
        double[][] cases = {
            {-37.5, 4.605353009581954843827969e-308},
            {-26, 2.476063315503389285786931e-149},
            {-8.25, 7.919726314642477340961374e-17},
            {-1.5, 0.06680720126885806600449404},
            {-1e-3, 0.499601057786088937407105},
            {0, 0.5},
            {0.5, 0.6914624612740131036377046},
            {3, 0.9986501019683699054733482},
            {9, 0.9999999999999999998871412},
        };
        for (double[] c : cases) {
            double x = c[0];
            // Φ(x) = erfc(−x/√2)/2: the argument −x/√2 carries up to an ulp of rounding (1/√2 and the
            // product), which erfc's condition number 2z² = x² turns into x²·2^-52 relative, on top
            // of erfc's own few ulps
            double tol = (8 + 2 * x * x) * 0x1p-53;
            double got = Gaussians.cdf(x);
            assertEquals(c[1], got, tol * c[1], "Φ(" + x + ")");
        }
    }

    @Test
    void erfActivationIsRightForTinyArguments() {
        // erf(1e-300) = (2/√π)·1e-300 to double precision (mpmath: 1.128379167095512573896159e-300);
        // Hipparchus' erf gave 0 there
        Activation erf = NetworkSpec.parseActivation("erf");
        assertEquals(1.128379167095512573896159e-300, erf.apply(1e-300), 2 * Math.ulp(1.128379167095512573896159e-300));
        assertEquals(0.328626759459127427638914, erf.apply(0.3), 2 * Math.ulp(0.33));
        assertEquals(0.9995930479825550410604358, erf.apply(2.5), 2 * Math.ulp(1.0));
    }

    /**
     * The table never changes a value: Gram matrices of nearly collinear and nearly anti-collinear
     * inputs against pair() for the same inputs, each pair computed by a fresh engine on a new
     * thread, whose table is empty. Through ten GELU layers (more distinct variances per tile
     * row than the table has entries, so entries are evicted), and through three tanh layers
     * (odd, so nearly anti-collinear pairs stay so and take the nodes' mirror images). The Gram
     * entry and pair() are equal bit for bit where both run the same rules (NtkRecursion#pair).
     */
    @Test
    void tableNeverChangesAValue() throws Exception {
        List<String> failures = new ArrayList<>();
        failures.addAll(gramAgainstFreshPairs("gelu", 10, "1.4,0.1", 1e-2, 160, 40));
        // sin is odd and, at variances below 2, its defect takes the quadrature (Sinusoid); with no
        // bias, nearly anti-collinear inputs stay so, and take it about the anti-collinear pair
        failures.addAll(gramAgainstFreshPairs("sin", 2, "0.8,0", 1e-5, 24, 40));
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static List<String> gramAgainstFreshPairs(String activation, int depth, String dense, double spread, int n,
            int pairs)
            throws InterruptedException {
        Random rng = new Random(11);
        int d = 6;
        double[] base = new double[d];
        for (int k = 0; k < d; k++) {
            base[k] = rng.nextGaussian();
        }
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            // every third input on the anti-collinear side, all within about spread of ±base
            double sign = i % 3 == 0 ? -1 : 1;
            for (int k = 0; k < d; k++) {
                x[i][k] = sign * base[k] * (1 + spread * rng.nextGaussian());
            }
        }
        StringBuilder spec = new StringBuilder();
        for (int l = 0; l < depth; l++) {
            spec.append("dense(").append(dense).append(") ").append(activation).append(' ');
        }
        spec.append("dense(1,0)");
        Network net = Network.parse(spec.toString());
        GramMatrices g = NtkRecursion.of(net).withThreads(1).gram(x);
        List<String> failures = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            int i = rng.nextInt(n - 1);
            int j = i + 1 + rng.nextInt(n - 1 - i);
            AtomicReference<KernelValue> v = new AtomicReference<>();
            AtomicReference<Throwable> error = new AtomicReference<>();
            // a fresh engine on a fresh thread: no prepared input and an empty table
            Thread t = new Thread(() -> {
                try {
                    v.set(NtkRecursion.of(net).withThreads(1).pair(x[i], x[j]));
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.start();
            t.join();
            if (error.get() != null) {
                throw new AssertionError(error.get());
            }
            if (v.get().ntk() != g.ntk()[i][j] || v.get().nngp() != g.nngp()[i][j]) {
                failures.add(activation + " (" + i + ", " + j + "): pair " + v.get() + ", Gram " + g.nngp()[i][j] + ", "
                        + g.ntk()[i][j]);
            }
        }
        return failures;
    }
}
