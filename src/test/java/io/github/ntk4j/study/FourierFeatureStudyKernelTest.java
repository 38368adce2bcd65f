package io.github.ntk4j.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.PairwiseKernel;
import io.github.ntk4j.net.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Fourier-feature study runs on any kernel function. */
class FourierFeatureStudyKernelTest {
    /**
     * The analytic NTK given pair by pair through a {@link PairwiseKernel} (another code path to
     * the same numbers) reproduces the default study; a Gaussian kernel changes its results.
     */
    @Test
    void studyTakesAKernelFunction() {
        Network body = Network.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");
        FourierFeatureStudy study = FourierFeatureStudy.of(32, FourierFeatureStudy.randomSignal(32, 3, 6, 1), List.of(5.0),
                16, 1, body).withSteps(200);
        List<FourierFeatureStudy.Result> exact = study.run(1);
        List<FourierFeatureStudy.Result> pairwise = study.withKernel(net -> PairwiseKernel.of("ntk pairs",
                (x, y) -> NtkRecursion.of(net).pair(x, y).ntk())).run(1);
        List<FourierFeatureStudy.Result> gaussian = study.withKernel(net -> io.github.ntk4j.kernel.GaussianKernel
                .withLengthScale(0.05)).run(1);
        for (int i = 0; i < exact.size(); i++) {
            double e = exact.get(i).testError();
            assertEquals(e, pairwise.get(i).testError(), 1e-8 * Math.max(e, 1e-3), exact.get(i).label());
            assertTrue(Math.abs(gaussian.get(i).testError() - e) > 1e-6 * e, exact.get(i).label());
        }
    }
}
