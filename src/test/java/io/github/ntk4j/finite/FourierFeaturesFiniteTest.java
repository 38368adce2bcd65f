package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * Finite networks with a Fourier-feature input map: the same fixed map γ in front, so the
 * empirical NTK and readout NNGP at width 2048 must agree with the analytic kernels of the
 * mapped network within 4 standard errors (fixed seed; a 4σ band fails by chance with
 * probability about 6e-5 per check).
 */
class FourierFeaturesFiniteTest {
    @Test
    void finiteNetworksWithFourierFeaturesConvergeToTheAnalyticKernel() {
        Network net = NetworkSpec.parse("fourier(32,3,1) dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");
        double[] x = {0.1};
        double[] y = {0.3};
        KernelValue exact = NtkRecursion.of(net).pair(x, y);
        EmpiricalNtk.Estimate e = EmpiricalNtk.of(net).withThreads(2).pair(x, y, 2048, 16, 3);
        assertTrue(Math.abs(e.ntkMean() - exact.ntk()) < 4 * e.ntkStderr(),
                "NTK " + e.ntkMean() + " ± " + e.ntkStderr() + " vs " + exact.ntk());
        assertTrue(Math.abs(e.readoutNngpMean() - exact.nngp()) < 4 * e.readoutNngpStderr(),
                "NNGP " + e.readoutNngpMean() + " ± " + e.readoutNngpStderr() + " vs " + exact.nngp());
        // and the map matters: without it the analytic NTK differs by many standard errors
        KernelValue plain = NtkRecursion.of(net.withInputMap(null)).pair(x, y);
        assertTrue(Math.abs(e.ntkMean() - plain.ntk()) > 10 * e.ntkStderr());
    }
}
