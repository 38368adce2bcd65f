package io.github.ntk4j.learn;

import io.github.ntk4j.study.FourierFeatureStudy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Tancik et al. 2020 show for a 1-D regression (their §5, Fig. 3), reproduced with the
 * infinite-width NTK: Gaussian Fourier features flatten the NTK eigenvalue fall-off by orders
 * of magnitude and, trained for the same budget, cut the test error on a high-frequency signal;
 * a σ far too large overfits (aliasing), so the error is not monotone in σ.
 */
class FourierFeatureStudyTest {

    @Test
    void fourierFeaturesFlattenTheSpectrumAndCutTheTestError() {
        FourierFeatureStudy study = FourierFeatureStudy.standard(1);
        List<FourierFeatureStudy.Result> r = study.run(2);
        assertEquals(4, r.size());
        FourierFeatureStudy.Result plain = r.get(0);
        FourierFeatureStudy.Result sigma10 = r.get(2);
        FourierFeatureStudy.Result sigma100 = r.get(3);
        assertEquals("no mapping", plain.label());
        assertEquals(10.0, sigma10.sigma());
        // the spectrum: λ50/λ1 grows by more than two orders of magnitude
        assertTrue(sigma10.falloff(50) > 100 * plain.falloff(50),
                "λ50/λ1 " + plain.falloff(50) + " -> " + sigma10.falloff(50));
        // the test error after the same training budget: more than ten times smaller
        assertTrue(sigma10.testError() < 0.1 * plain.testError(), plain.testError() + " -> " + sigma10.testError());
        // the plain network has not learned the high frequencies: its error is most of the signal's variance
        double[] y = study.testTargets();
        double var = 0;
        for (double v : y) {
            var += v * v;
        }
        var /= y.length;
        assertTrue(plain.testError() > 0.5 * var, plain.testError() + " vs variance " + var);
        // too large a σ interpolates the training points but generalises worse than σ = 10
        assertTrue(sigma100.trainError() < 1e-6 && sigma100.testError() > 10 * sigma10.testError());
        for (FourierFeatureStudy.Result x : r) {
            for (int i = 1; i < x.eigenvalues().length; i++) {
                assertTrue(x.eigenvalues()[i] <= x.eigenvalues()[i - 1] && x.eigenvalues()[i] > -1e-10 * x.eigenvalues()[0]);
            }
        }
    }
}
