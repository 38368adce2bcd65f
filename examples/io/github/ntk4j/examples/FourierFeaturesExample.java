package io.github.ntk4j.examples;

import io.github.ntk4j.study.FourierFeatureStudy;
import java.util.List;

/**
 * Tancik et al. 2020's 1-D experiment with the infinite-width NTK: a signal with frequencies up
 * to 48 on a 256-point grid of [0, 1), learned from every other point by a depth-3 ReLU
 * network with no input mapping and with Gaussian Fourier features at σ = 1, 10, 100. Prints
 * the NTK eigenvalue fall-off and the test error after 1000 gradient-descent steps at the
 * largest stable learning rate, and at convergence.
 * Run: {@code java -cp target/ntk4j.jar:target/test-classes io.github.ntk4j.examples.FourierFeaturesExample}.
 */
public final class FourierFeaturesExample {
    private FourierFeaturesExample() {
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        List<FourierFeatureStudy.Result> results = FourierFeatureStudy.standard(1).run(2);
        System.out.printf("%-16s %12s %12s %14s %14s%n", "mapping", "λ10/λ1", "λ50/λ1", "test MSE@1000", "test MSE@∞");
        for (FourierFeatureStudy.Result r : results) {
            System.out.printf("%-16s %12.3e %12.3e %14.4g %14.4g%n", r.label(), r.falloff(10), r.falloff(50), r.testError(),
                    r.testErrorConverged());
        }
    }
}
