package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaussianProcessPredictorTest {

    /**
     * One training point by hand: K = 2, y = 3, σ² = 1, K* = 1, K** = 4:
     * mean = 1·3/(2 + 1) = 1, variance = 4 − 1/3 = 11/3, train residual 2·1 − 3 = −1.
     */
    @Test
    void onePointByHand() {
        GaussianProcessPredictor gp = GaussianProcessPredictor.fromKernel(new double[][] {{2}}, new double[][] {{3}}, 1);
        assertEquals(1.0, gp.mean(new double[][] {{1}})[0][0], 1e-15);
        assertEquals(11.0 / 3, gp.variance(new double[][] {{1}}, new double[] {4})[0], 1e-15);
        assertEquals(11.0 / 3, gp.covariance(new double[][] {{1}}, new double[][] {{4}})[0][0], 1e-15);
        assertEquals(-1.0, gp.trainingResidual()[0][0], 1e-15);
    }

    /**
     * Two points by hand: K = [[2, 1], [1, 2]], no noise, Y = (1, −1): (K)⁻¹Y = (1, −1), so a test
     * point with K* = (1, 0) has mean 1 and variance K** − K*K⁻¹K*ᵀ = 3 − 2/3 = 7/3; the
     * covariance of two test points (1, 0) and (0, 1) with K** = [[3, 0.5], [0.5, 3]] is
     * 0.5 − (−1/3) = 5/6 off the diagonal.
     */
    @Test
    void twoPointsByHand() {
        GaussianProcessPredictor gp = GaussianProcessPredictor.fromKernel(new double[][] {{2, 1}, {1, 2}},
                new double[][] {{1}, {-1}}, 0);
        double[][] ks = {{1, 0}, {0, 1}};
        double[][] mean = gp.mean(ks);
        assertEquals(1, mean[0][0], 1e-15);
        assertEquals(-1, mean[1][0], 1e-15);
        double[][] cov = gp.covariance(ks, new double[][] {{3, 0.5}, {0.5, 3}});
        assertEquals(7.0 / 3, cov[0][0], 1e-15);
        assertEquals(7.0 / 3, cov[1][1], 1e-15);
        assertEquals(5.0 / 6, cov[0][1], 1e-15);
        assertEquals(0, gp.trainingResidual()[0][0], 0);
    }
}
