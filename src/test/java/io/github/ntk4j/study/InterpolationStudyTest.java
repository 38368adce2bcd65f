package io.github.ntk4j.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.GaussianKernel;
import io.github.ntk4j.kernel.LaplaceKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterpolationStudyTest {

    @Test
    void bayesConsistentErrorByHand() {
        // ε = 0.2, k = 10, P = 0.05: 0.2·9/10 + 0.8·0.05 = 0.18 + 0.04
        assertEquals(0.22, InterpolationStudy.bayesConsistentError(0.2, 10, 0.05), 1e-16);
        // ε = 0.1, k = 2, P = 0: 0.05; ε = 1: pure guessing (k−1)/k
        assertEquals(0.05, InterpolationStudy.bayesConsistentError(0.1, 2, 0), 1e-17);
        assertEquals(0.75, InterpolationStudy.bayesConsistentError(1, 4, 0.3), 1e-16);
        assertThrows(io.github.ntk4j.InvalidInputException.class, () -> InterpolationStudy.bayesConsistentError(1.5, 2, 0));
    }

    @Test
    void syntheticBayesErrorIsPhiOfMinusMuOverTwo() {
        // Φ(−1) = 0.158655253931457051414767454367962077522087033273395609012605... (Abramowitz & Stegun 26.2)
        assertEquals(0.15865525393145705, InterpolationStudy.syntheticBayesError(2), 1e-16);
        // Φ(−5) = 2.8665157187919391e-7
        assertEquals(2.8665157187919391e-7, InterpolationStudy.syntheticBayesError(10), 1e-21);
    }

    @Test
    void noiseReplacesAboutEpsilonOfTheLabelsWithUniformClasses() {
        int n = 200_000;
        int[] clean = new int[n];
        int[] noisy = InterpolationStudy.corrupt(clean, 4, 0.4, 11);
        int changed = 0;
        for (int c : noisy) {
            changed += c != 0 ? 1 : 0;
        }
        // expected share changed: ε(k−1)/k = 0.3; binomial sd √(n·0.3·0.7) ≈ 205 → 5 sd ≈ 1025
        assertEquals(0.3 * n, changed, 1025);
        assertTrue(java.util.Arrays.equals(clean, InterpolationStudy.corrupt(clean, 4, 0, 11)));
    }

    @Test
    void syntheticSetHasTheStatedLaw() {
        InterpolationStudy.Data d = InterpolationStudy.synthetic(20_000, 2, 3);
        double m0 = 0;
        double m1 = 0;
        int n1 = 0;
        double maxOther = 0;
        for (int i = 0; i < d.x().length; i++) {
            if (d.labels()[i] == 1) {
                m1 += d.x()[i][0];
                n1++;
            } else {
                m0 += d.x()[i][0];
            }
            for (int j = 1; j < 50; j++) {
                maxOther = Math.max(maxOther, Math.abs(d.x()[i][j]));
            }
        }
        m0 /= d.x().length - n1;
        m1 /= n1;
        assertEquals(0, m0, 5 * Math.sqrt(1.0 / 10_000));
        assertEquals(2, m1, 5 * Math.sqrt(1.0 / 10_000));
        assertEquals(10_000, n1, 5 * 71);
        assertTrue(maxOther <= 1);
    }

    @Test
    void interpolantFitsNoisyLabelsExactlyAndStillGeneralises() {
        InterpolationStudy.Data train = InterpolationStudy.synthetic(300, 10, 1);
        InterpolationStudy.Data test = InterpolationStudy.synthetic(300, 10, 2);
        NtkRecursion ntk = NtkRecursion.of(Network.fullyConnected(NetworkSpec.parseActivation("relu"), 2, 1.4, 0.1));
        InterpolationStudy.NoiseReport r = InterpolationStudy.noise(ntk, KernelKind.NTK, train, test, new double[] {0, 0.1}, 3, 7,
                null);
        assertEquals(2, r.rows().size());
        for (InterpolationStudy.NoiseRow row : r.rows()) {
            assertTrue(row.interpolates());
            assertEquals(1.0, row.interpolant().train(), 0.0);
            assertTrue(row.residual() < InterpolatingSolverLimit.LIMIT);
        }
        // separable set (Bayes error 3e-7): clean interpolant nearly perfect, noisy labels cost a little
        assertTrue(r.rows().get(0).interpolant().test() > 0.95, "" + r.rows().get(0));
        assertTrue(r.rows().get(1).changed() > 0);
        assertTrue(r.rows().get(1).interpolant().train() == 1.0);
        // the noisy interpolant does not fit the clean training labels: it followed the noise
        assertTrue(r.rows().get(1).ridge().train() <= 1.0);
    }

    @Test
    void rkhsNormGrowsWithNoiseAndSize() {
        InterpolationStudy.Data d = InterpolationStudy.synthetic(400, 2, 4);
        List<InterpolationStudy.NormSeries> s = InterpolationStudy.normGrowth(
                List.of(new InterpolationStudy.NamedKernel("laplace", LaplaceKernel.withLengthScale(Math.sqrt(50)), KernelKind.NTK),
                        new InterpolationStudy.NamedKernel("gaussian", GaussianKernel.withLengthScale(Math.sqrt(50)),
                                KernelKind.NTK)),
                d, new int[] {100, 200, 400}, new double[] {0, 0.1}, 5, null);
        assertEquals(4, s.size());
        InterpolationStudy.NormSeries lap0 = s.get(0);
        assertTrue(lap0.complete());
        assertTrue(lap0.normSquared()[2] > lap0.normSquared()[0]);
    }

    /** The limit the study applies, restated so the test does not read it from the code under test. */
    private static final class InterpolatingSolverLimit {
        static final double LIMIT = 1.4901161193847656e-8;
    }
}
