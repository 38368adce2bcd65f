package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class GradientFlowPredictorTest {
    private static final NtkRecursion ENGINE =
            NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)")).withThreads(1);

    private static double[][] randn(Random r, int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = r.nextGaussian();
            }
        }
        return x;
    }

    /** Independent solve G⁻¹B by LU with partial pivoting. */
    private static double[][] luSolve(double[][] g, double[][] b) {
        return new LUDecomposition(new Array2DRowRealMatrix(g)).getSolver().solve(new Array2DRowRealMatrix(b)).getData();
    }

    private static double[][] mul(double[][] a, double[][] b) {
        RealMatrix m = new Array2DRowRealMatrix(a).multiply(new Array2DRowRealMatrix(b));
        return m.getData();
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol, what + " (" + i + "," + j + ")");
            }
        }
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /**
     * RK4 integration of the gradient flow of the linearised network (Lee et al. 2019, eq. 7):
     * df(X)/dt = −ηΘ(f(X) − Y), df(X*)/dt = −ηΘ*(f(X) − Y), from f(X) = fx0, f(X*) = fs0.
     * Returns {f(X), f(X*)} at time t.
     */
    private static double[][][] rk4(double[][] theta, double[][] thetaStar, double[][] y, double[][] fx0, double[][] fs0,
            double eta, double t, int steps) {
        int n = theta.length;
        int m = thetaStar.length;
        int k = y[0].length;
        double[][] fx = copy(fx0);
        double[][] fs = copy(fs0);
        double h = t / steps;
        for (int s = 0; s < steps; s++) {
            double[][] k1 = grad(theta, fx, y, eta);
            double[][] k2 = grad(theta, axpy(fx, k1, h / 2), y, eta);
            double[][] k3 = grad(theta, axpy(fx, k2, h / 2), y, eta);
            double[][] k4 = grad(theta, axpy(fx, k3, h), y, eta);
            double[][] s1 = grad(thetaStar, fx, y, eta);
            double[][] s2 = grad(thetaStar, axpy(fx, k1, h / 2), y, eta);
            double[][] s3 = grad(thetaStar, axpy(fx, k2, h / 2), y, eta);
            double[][] s4 = grad(thetaStar, axpy(fx, k3, h), y, eta);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    fx[i][c] += h / 6 * (k1[i][c] + 2 * k2[i][c] + 2 * k3[i][c] + k4[i][c]);
                }
            }
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < k; c++) {
                    fs[i][c] += h / 6 * (s1[i][c] + 2 * s2[i][c] + 2 * s3[i][c] + s4[i][c]);
                }
            }
        }
        return new double[][][] {fx, fs};
    }

    private static double[][] grad(double[][] kernel, double[][] fx, double[][] y, double eta) {
        double[][] out = new double[kernel.length][y[0].length];
        for (int i = 0; i < kernel.length; i++) {
            for (int j = 0; j < y.length; j++) {
                for (int c = 0; c < y[0].length; c++) {
                    out[i][c] -= eta * kernel[i][j] * (fx[j][c] - y[j][c]);
                }
            }
        }
        return out;
    }

    private static double[][] axpy(double[][] x, double[][] d, double a) {
        double[][] out = copy(x);
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < x[0].length; c++) {
                out[i][c] += a * d[i][c];
            }
        }
        return out;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static final Random R = new Random(11);
    private static final double[][] X = randn(R, 14, 3);
    private static final double[][] XS = randn(R, 5, 3);
    private static final double[][] Y = randn(R, 14, 2);
    private static final GramMatrices TRAIN = ENGINE.gram(X);
    private static final GramMatrices CROSS = ENGINE.cross(XS, X);
    private static final GramMatrices TEST = ENGINE.gram(XS);

    /**
     * Targets at the edge of the double range (|y| up to about 1e308) and far below it (2^-1000):
     * the mean at t = ∞ against the LU solve of the unscaled targets (Hipparchus), scaled by the
     * same power of two; the finite-time mean and both residuals against the unscaled predictor's,
     * scaled. Before, the Cholesky solve overflowed to NaN and -Infinity.
     */
    @Test
    void targetsNearTheDoubleRangeAreSolvedWithoutOverflow() {
        double r = 0.01; // (G + rI)⁻¹ then amplifies: α = (G + rI)⁻¹Y overflowed
        double[][] reg = copy(TRAIN.ntk());
        for (int i = 0; i < reg.length; i++) {
            reg[i][i] += r;
        }
        double[][] expected = mul(CROSS.ntk(), luSolve(reg, Y));
        GradientFlowPredictor plain = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), TRAIN.nngp(), Y, 1, r);
        for (int e : new int[] {1023, -1000}) {
            double s = Math.scalb(1.0, e) / maxAbs(Y); // the largest |target| is 2^e
            double[][] ys = new double[Y.length][Y[0].length];
            for (int i = 0; i < Y.length; i++) {
                for (int c = 0; c < Y[0].length; c++) {
                    ys[i][c] = Y[i][c] * s;
                }
            }
            GradientFlowPredictor p = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), TRAIN.nngp(), ys, 1, r);
            double[][] mean = p.mean(CROSS.ntk(), Double.POSITIVE_INFINITY);
            assertMatrixEquals(expected, scale(mean, 1 / s), 1e-10 * maxAbs(expected), "t = inf, targets x 2^" + e);
            double[][] finite = plain.mean(CROSS.ntk(), 1.5);
            assertMatrixEquals(finite, scale(p.mean(CROSS.ntk(), 1.5), 1 / s), 1e-12 * maxAbs(finite), "t = 1.5, x 2^" + e);
            double[][] res = plain.residualValues(Double.POSITIVE_INFINITY);
            assertMatrixEquals(res, scale(p.residualValues(Double.POSITIVE_INFINITY), 1 / s), 1e-12 * maxAbs(res),
                    "residual at t = inf, x 2^" + e);
            assertEquals(TrainingResidual.rms(Y) * s, TrainingResidual.rms(ys), 1e-14 * TrainingResidual.rms(Y) * s,
                    "the targets' RMS, x 2^" + e);
            double[][] res1 = plain.residual(1.5).residual();
            assertMatrixEquals(res1, scale(p.residual(1.5).residual(), 1 / s), 1e-12 * maxAbs(res1), "residual at t = 1.5, x 2^" + e);
        }
    }

    private static double[][] scale(double[][] a, double s) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
            for (int c = 0; c < out[i].length; c++) {
                out[i][c] *= s;
            }
        }
        return out;
    }

    @Test
    void infiniteTimeMeanIsTheKernelRegressionSolve() {
        GradientFlowPredictor p = GradientFlowPredictor.train(ENGINE, KernelKind.NTK, X, Y, 0.7, 0);
        double[][] expected = mul(CROSS.ntk(), luSolve(TRAIN.ntk(), Y));
        Prediction pred = p.predict(XS, Double.POSITIVE_INFINITY, true);
        assertMatrixEquals(expected, pred.mean(), 1e-10 * maxAbs(expected), "Θ*Θ⁻¹Y");
        // with a regulariser: Θ* (Θ + rI)⁻¹ Y
        double r = 0.3;
        double[][] reg = copy(TRAIN.ntk());
        for (int i = 0; i < reg.length; i++) {
            reg[i][i] += r;
        }
        double[][] expectedReg = mul(CROSS.ntk(), luSolve(reg, Y));
        double before = TRAIN.ntk()[0][0];
        GradientFlowPredictor pr = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), TRAIN.nngp(), Y, 0.7, r);
        assertEquals(before, TRAIN.ntk()[0][0], 0, "the caller's matrix is not regularised in place");
        assertMatrixEquals(expectedReg, pr.mean(CROSS.ntk(), Double.POSITIVE_INFINITY), 1e-12 * maxAbs(expectedReg), "ridge");
    }

    @Test
    void finiteTimeMeanAndResidualFollowTheGradientFlowOde() {
        double eta = 0.5;
        double lmax = KernelSpectrum.of(TRAIN.ntk(), false).largest();
        double t = 3.0 / (eta * lmax) * 5; // slow directions still moving, fast ones converged
        GradientFlowPredictor p = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), TRAIN.nngp(), Y, eta, 0);
        double[][][] ode = rk4(TRAIN.ntk(), CROSS.ntk(), Y, new double[14][2], new double[5][2], eta, t, 4000);
        double[][] mean = p.mean(CROSS.ntk(), t);
        assertMatrixEquals(ode[1], mean, 1e-9 * maxAbs(ode[1]), "test mean vs ODE");
        TrainingResidual res = p.residual(t);
        double[][] odeRes = new double[14][2];
        for (int i = 0; i < 14; i++) {
            for (int c = 0; c < 2; c++) {
                odeRes[i][c] = ode[0][i][c] - Y[i][c];
            }
        }
        assertMatrixEquals(odeRes, res.residual(), 1e-9 * maxAbs(Y), "training residual vs ODE");
        for (int i = 0; i < 14; i++) {
            assertEquals(Math.exp(-eta * res.eigenvalues()[i] * t), res.factors()[i], 1e-15, "decay factor " + i);
        }
        assertTrue(res.rms() > 1e-3 && res.rms() < 1, "partly trained: " + res.rms());
    }

    @Test
    void timeZeroGivesZeroMeanAndFullResidual() {
        GradientFlowPredictor p = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), TRAIN.nngp(), Y, 1, 0);
        double[][] m0 = p.mean(CROSS.ntk(), 0);
        assertEquals(0, maxAbs(m0));
        double[][] tiny = p.mean(CROSS.ntk(), 1e-12);
        assertTrue(maxAbs(tiny) < 1e-10, "t → 0: " + maxAbs(tiny));
        TrainingResidual r0 = p.residual(0);
        double[][] minusY = new double[14][2];
        for (int i = 0; i < 14; i++) {
            minusY[i][0] = -Y[i][0];
            minusY[i][1] = -Y[i][1];
        }
        assertMatrixEquals(minusY, r0.residual(), 1e-13, "r(0) = −Y");
        // at t = 0 the ensemble is the prior: variance K(x*, x*)
        double[] diag = new double[5];
        for (int j = 0; j < 5; j++) {
            diag[j] = TEST.nngp()[j][j];
        }
        double[] v0 = p.variance(CROSS.ntk(), CROSS.nngp(), diag, 0);
        for (int j = 0; j < 5; j++) {
            assertEquals(diag[j], v0[j], 0, "prior variance " + j);
        }
        TrainingResidual rInf = p.residual(Double.POSITIVE_INFINITY);
        assertTrue(maxAbs(rInf.residual()) < 1e-10, "interpolates at t = ∞");
    }

    /**
     * The ensemble covariance from first principles: f_t(X*) = f₀(X*) − P(f₀(X) − Y) with
     * P = Θ*Θ⁻¹(I − e^{−ηΘt}) and f₀ ~ N(0, K) jointly on (X, X*), so
     * Σ_t = K** − P K*ᵀ − K* Pᵀ + P K Pᵀ. P is read off the ODE: starting from f₀(X) = e_j,
     * f₀(X*) = 0 and Y = 0, f_t(X*) = −P e_j.
     */
    @Test
    void ntkCovarianceMatchesTheLinearMapOfTheGaussianInitialisation() {
        double eta = 1.0;
        double lmax = KernelSpectrum.of(TRAIN.ntk(), false).largest();
        double t = 10.0 / lmax;
        int n = 14;
        double[][] p = new double[5][n];
        double[][] zeroY = new double[n][1];
        for (int j = 0; j < n; j++) {
            double[][] e = new double[n][1];
            e[j][0] = 1;
            double[][][] ode = rk4(TRAIN.ntk(), CROSS.ntk(), zeroY, e, new double[5][1], eta, t, 2000);
            for (int a = 0; a < 5; a++) {
                p[a][j] = -ode[1][a][0];
            }
        }
        double[][] pk = mul(p, TRAIN.nngp());
        double[][] expected = copy(TEST.nngp());
        double[][] pks = mul(p, new Array2DRowRealMatrix(CROSS.nngp()).transpose().getData());
        double[][] pkp = mul(pk, new Array2DRowRealMatrix(p).transpose().getData());
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                expected[a][b] += -pks[a][b] - pks[b][a] + pkp[a][b];
            }
        }
        GradientFlowPredictor gf = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), TRAIN.nngp(), Y, eta, 0);
        double[][] cov = gf.covariance(CROSS.ntk(), CROSS.nngp(), TEST.nngp(), t);
        assertMatrixEquals(expected, cov, 1e-9 * maxAbs(TEST.nngp()), "Σ_t");
        double[] diag = new double[5];
        for (int j = 0; j < 5; j++) {
            diag[j] = TEST.nngp()[j][j];
        }
        double[] var = gf.variance(CROSS.ntk(), CROSS.nngp(), diag, t);
        for (int j = 0; j < 5; j++) {
            assertEquals(cov[j][j], var[j], 1e-13 * maxAbs(TEST.nngp()), "variance " + j);
        }
        // and the network-level call computes the same
        Prediction pred = GradientFlowPredictor.train(ENGINE, KernelKind.NTK, X, Y, eta, 0).predict(XS, t, true);
        for (int j = 0; j < 5; j++) {
            assertEquals(var[j], pred.variance()[j], 1e-12 * maxAbs(TEST.nngp()), "predict variance " + j);
        }
    }

    /** At t = ∞ the nngp mode is exact Bayesian inference (Cholesky-based GP posterior). */
    @Test
    void nngpModeAtInfinityIsTheGaussianProcessPosterior() {
        double r = 1e-2;
        GradientFlowPredictor gf = GradientFlowPredictor.train(ENGINE, KernelKind.NNGP, X, Y, 1, r);
        GaussianProcessPredictor gp = GaussianProcessPredictor.train(ENGINE, KernelKind.NNGP, X, Y, r);
        Prediction a = gf.predict(XS, Double.POSITIVE_INFINITY, true);
        Prediction b = gp.predict(XS, true);
        assertMatrixEquals(b.mean(), a.mean(), 1e-10 * maxAbs(b.mean()), "mean");
        for (int j = 0; j < 5; j++) {
            assertEquals(b.variance()[j], a.variance()[j], 1e-10 * TEST.nngp()[j][j], "variance " + j);
        }
        double[][] covGp = gp.covariance(CROSS.nngp(), TEST.nngp());
        double[][] covGf = gf.covariance(CROSS.nngp(), null, TEST.nngp(), Double.POSITIVE_INFINITY);
        assertMatrixEquals(covGp, covGf, 1e-10 * maxAbs(TEST.nngp()), "covariance");
        // a long but finite time approaches it
        double[][] late = gf.mean(CROSS.nngp(), 1e4 / r);
        assertMatrixEquals(b.mean(), late, 1e-8 * maxAbs(b.mean()), "t → ∞");
    }

    @Test
    void illConditionedTrainingKernelIsRefusedWithAHint() {
        double[][] x = copy(X);
        x[3] = x[5].clone(); // a duplicated input: Θ(X, X) is singular
        GradientFlowPredictor p = GradientFlowPredictor.train(ENGINE, KernelKind.NTK, x, Y, 1, 0);
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> p.predict(XS, Double.POSITIVE_INFINITY, true));
        assertTrue(e.getMessage().contains("ill-conditioned") && e.getMessage().contains("diagonal regulariser") && !e.getMessage().contains("--"),
                "library terms, no CLI flag: " + e.getMessage());
        // finite time is well defined (the gain of a zero eigenvalue is ηt) and not NaN
        Prediction finite = p.predict(XS, 10, true);
        for (double[] row : finite.mean()) {
            for (double v : row) {
                assertTrue(Double.isFinite(v));
            }
        }
        // the regularised problem works
        Prediction reg = GradientFlowPredictor.train(ENGINE, KernelKind.NTK, x, Y, 1, 1e-6).predict(XS, Double.POSITIVE_INFINITY,
                true);
        for (int j = 0; j < 5; j++) {
            assertTrue(Double.isFinite(reg.mean()[j][0]) && Double.isFinite(reg.variance()[j]));
        }
        // the GP refuses it too
        Ntk4jException g = assertThrows(Ntk4jException.class,
                () -> GaussianProcessPredictor.train(ENGINE, KernelKind.NNGP, x, Y, 0));
        assertTrue(g.getMessage().contains("diagonal regulariser") && !g.getMessage().contains("--"), "library terms, no CLI flag: " + g.getMessage());
    }

    /** A Fourier-feature input map is a layer of the network: the predictor needs nothing else. */
    @Test
    void fourierFeatureNetworkPredictsLikeAnyOther() {
        NtkRecursion ff = NtkRecursion.of(NetworkSpec.parse("fourier(32,1,7) dense(1,0) relu dense(1,0)")).withThreads(1);
        GramMatrices train = ff.gram(X);
        double[][] expected = mul(ff.cross(XS, X, KernelKind.NTK), luSolve(train.ntk(), Y));
        Prediction p = GradientFlowPredictor.train(ff, KernelKind.NTK, X, Y, 1, 0).predict(XS, Double.POSITIVE_INFINITY, true);
        assertMatrixEquals(expected, p.mean(), 1e-9 * maxAbs(expected), "Fourier-feature network, t = ∞");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(Ntk4jException.class,
                () -> GradientFlowPredictor.fromKernels(KernelKind.NTK, new double[][] {{1, 0}, {0, -1}}, null, new double[][] {{1}, {2}},
                        1, 0));
        assertThrows(Ntk4jException.class, () -> GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), null, Y, 0, 0));
        assertThrows(Ntk4jException.class, () -> GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), null, Y, 1, -1));
        assertThrows(Ntk4jException.class,
                () -> GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), null, new double[][] {{1}}, 1, 0));
        GradientFlowPredictor p = GradientFlowPredictor.fromKernels(KernelKind.NTK, TRAIN.ntk(), null, Y, 1, 0);
        assertThrows(Ntk4jException.class, () -> p.mean(CROSS.ntk(), -1));
        assertThrows(Ntk4jException.class, () -> p.mean(CROSS.ntk(), Double.NaN));
        assertThrows(Ntk4jException.class, () -> p.variance(CROSS.ntk(), CROSS.nngp(), new double[5], 1)); // no K(X, X)
    }
}
