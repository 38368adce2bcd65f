package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Activations;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite networks against the analytic kernels ({@link NtkRecursion}, independently checked
 * against neural-tangents' reference values), by statistics with fixed seeds.
 *
 * <p>Tolerances: for a correct engine the z-score (mean − exact)/se over S independent
 * networks is Student-t with S − 1 degrees of freedom up to the O(1/m) finite-width bias,
 * which at m = 2048 is below 0.1% of the kernel while se is about 1%; |z| ≤ 4 then fails
 * with probability below 0.2% per check (t with 23 degrees of freedom), and the seeds are
 * fixed, so the outcome is reproducible.
 */
class EmpiricalNtkStatisticsTest {
    private static final double[] X = {1.0, 0.5, -0.3};
    private static final double[] Y = {0.2, 1.0, 0.4};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relu", "erf", "poly(0.1,1,0.5)"})
    void meanOverNetworksAtWidth2048IsWithinFourStandardErrorsOfTheExactKernel(String activation) {
        Network net = Network.fullyConnected(NetworkSpec.parseActivation(activation), 2, 1.4, 0.5);
        KernelValue exact = NtkRecursion.of(net).pair(X, Y);
        EmpiricalNtk.Estimate e = EmpiricalNtk.of(net).pair(X, Y, 2048, 24, 7);
        double zNtk = (e.ntkMean() - exact.ntk()) / e.ntkStderr();
        double zOut = (e.nngpMean() - exact.nngp()) / e.nngpStderr();
        double zReadout = (e.readoutNngpMean() - exact.nngp()) / e.readoutNngpStderr();
        assertTrue(Math.abs(zNtk) <= 4, "NTK z = " + zNtk + " (" + e + ", exact " + exact + ")");
        assertTrue(Math.abs(zOut) <= 4, "NNGP from outputs z = " + zOut);
        assertTrue(Math.abs(zReadout) <= 4, "readout NNGP z = " + zReadout);
        // the width-2048 spread is small: the NTK's standard error is a few percent at most
        assertTrue(e.ntkStderr() < 0.05 * Math.abs(exact.ntk()), "se " + e.ntkStderr());
    }

    /**
     * RMS relative error of single networks at 4m against m, for m = 256: the ratio should be
     * 1/2. Each RMS² is a mean over S = 64 networks of e², so its relative standard error is
     * about √((κ − 1)/S) (κ the kurtosis of e, 3 for Gaussian errors), and the ratio's, by the
     * delta method, √(se₁²/R₁² + se₂²/R₂²)/… — we compute it from the data and ask
     * |ratio − 1/2| ≤ 4 se(ratio); the O(1/m) corrections at m = 256 shift the ratio by well
     * under one standard error.
     */
    @Test
    void rmsErrorAtFourTimesTheWidthIsHalf() {
        Network net = Network.fullyConnected(Activations.of("relu"), 2, 1.4, 0.5);
        KernelValue exact = NtkRecursion.of(net).pair(X, Y);
        double[] r = new double[2];
        double[] se = new double[2];
        int[] widths = {256, 1024};
        int s = 64;
        for (int k = 0; k < 2; k++) {
            FiniteNetwork.Sample[] samples = EmpiricalNtk.of(net).samples(new double[][] {X, Y}, widths[k], s, 3);
            double[] sq = new double[s];
            for (int i = 0; i < s; i++) {
                double e = (samples[i].ntk()[0][1] - exact.ntk()) / exact.ntk();
                sq[i] = e * e;
            }
            r[k] = Math.sqrt(EmpiricalNtk.mean(sq));
            se[k] = EmpiricalNtk.stderr(sq) / (2 * r[k]);
        }
        double ratio = r[1] / r[0];
        double seRatio = ratio * Math.hypot(se[0] / r[0], se[1] / r[1]);
        assertTrue(Math.abs(ratio - 0.5) <= 4 * seRatio, "ratio " + ratio + " ± " + seRatio);
        assertTrue(seRatio < 0.15, "the test must be able to tell 1/2 from 1 and 1/4: se " + seRatio);
    }

    @Test
    void sameSeedReproducesTheRunOnAnyThreadCountAndWeightBudget() {
        Network net = Network.fullyConnected(Activations.of("erf"), 3, 1.2, 0.3);
        EmpiricalNtk.Estimate a = EmpiricalNtk.of(net).withThreads(1).pair(X, Y, 300, 5, 11);
        EmpiricalNtk.Estimate b = EmpiricalNtk.of(net).withThreads(2).pair(X, Y, 300, 5, 11);
        EmpiricalNtk.Estimate c = EmpiricalNtk.of(net).withThreads(8).pair(X, Y, 300, 5, 11);
        assertEquals(a, b);
        assertEquals(a, c);
        EmpiricalNtk.Estimate other = EmpiricalNtk.of(net).pair(X, Y, 300, 5, 12);
        assertTrue(other.ntkMean() != a.ntkMean());
        double[][] x = {X, Y, {0.3, -0.2, 0.9}};
        FiniteNetwork kept = FiniteNetwork.of(net, 300, 2, 5);
        FiniteNetwork regenerated = kept.withKeepBytes(0);
        FiniteNetwork.Sample s1 = kept.evaluate(x);
        FiniteNetwork.Sample s2 = regenerated.evaluate(x);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(s1.ntk()[i], s2.ntk()[i], 0.0);
            assertArrayEquals(s1.outputs()[i], s2.outputs()[i], 0.0);
        }
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        Network net = Network.fullyConnected(Activations.of("relu"), 2, 1.4, 0.5);
        Ntk4jException w = assertThrows(Ntk4jException.class, () -> EmpiricalNtk.of(net).pair(X, Y, 0, 4, 0));
        assertTrue(w.getMessage().contains("width must be at least 1"), w.getMessage());
        assertThrows(Ntk4jException.class, () -> FiniteNetwork.of(net, -3, 0));
        Ntk4jException s = assertThrows(Ntk4jException.class, () -> EmpiricalNtk.of(net).pair(X, Y, 64, 1, 0));
        assertTrue(s.getMessage().contains("at least 2"), s.getMessage());
        Ntk4jException m = assertThrows(Ntk4jException.class,
                () -> EmpiricalNtk.of(net).pair(X, Y, 1_500_000_000, 2, 0));
        assertTrue(m.getMessage().contains("needs about") && m.getMessage().contains("GiB"), m.getMessage());
        assertThrows(Ntk4jException.class, () -> EmpiricalNtk.of(net).samples(new double[0][], 64, 2, 0));
    }

    @Test
    void memoryEstimateOfTheWideBenchmarkCaseFitsInFourGigabytes() {
        // N = 64 inputs, d = 10, width 16384, depth 3: no 16384² matrix is ever stored (2 GiB each)
        Network net = Network.fullyConnected(Activations.of("relu"), 3, 1.4, 0.1);
        long bytes = FiniteNetwork.bytesNeeded(net, 64, 10, 16384, 1, 2);
        assertTrue(bytes < 512L << 20, "estimate " + bytes);
        assertTrue(bytes > 4L * 64 * 16384 * 8, "at least the N×m activations: " + bytes);
    }
}
