package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The finite-width kernel functions: Monte Carlo and the empirical kernels of one network. */
class FiniteKernelFunctionTest {
    private static final Network NET = NetworkSpec.parse("dense(1.4,0.1) erf dense(1.4,0.1) relu dense(1,0.1)");

    private static double[][] inputs(int n, int d, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return x;
    }

    /**
     * The Monte Carlo Gram matrix is the mean of the S seeded networks' empirical kernels,
     * recomputed here network by network; its cross-Gram matrix and pair are the blocks of the
     * joint evaluation, so they agree with the Gram matrix of [X; Y] exactly; threads change
     * nothing.
     */
    @Test
    void monteCarloIsTheMeanOfTheSeededNetworks() {
        double[][] x = inputs(5, 3, 1);
        double[][] y = inputs(3, 3, 2);
        int width = 64;
        int samples = 4;
        long seed = 9;
        MonteCarloKernel mc = MonteCarloKernel.of(NET, width, samples, seed);
        double[][] g = mc.gram(x, KernelKind.NTK);
        double[][] k = mc.gram(x, KernelKind.NNGP);
        double[][] expectedT = new double[5][5];
        double[][] expectedK = new double[5][5];
        for (int s = 0; s < samples; s++) {
            FiniteNetwork.Sample one = FiniteNetwork.of(NET, width, EmpiricalNtk.networkSeed(seed, width, s)).evaluate(x);
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    expectedT[i][j] += one.ntk()[i][j] / samples;
                    expectedK[i][j] += one.nngp()[i][j] / samples;
                }
            }
        }
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(expectedT[i][j], g[i][j], 1e-12 * Math.abs(expectedT[i][j]));
                assertEquals(expectedK[i][j], k[i][j], 1e-12 * Math.abs(expectedK[i][j]));
            }
        }
        double[][] joint = new double[8][];
        System.arraycopy(x, 0, joint, 0, 5);
        System.arraycopy(y, 0, joint, 5, 3);
        double[][] gj = mc.gram(joint, KernelKind.NTK);
        double[][] c = mc.withThreads(2).cross(x, y, KernelKind.NTK);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(gj[i][5 + j], c[i][j], 0.0);
            }
        }
        KernelValue p = mc.pair(x[0], y[1]);
        double[][] two = mc.gram(new double[][] {x[0], y[1]}, KernelKind.NTK);
        assertEquals(two[0][1], p.ntk(), 0.0);
        assertTrue(mc.describe().contains("width 64, 4 networks"), mc.describe());
    }

    /**
     * The empirical kernels of one network: at initialisation a trainable network's are the seeded
     * network's; after a gradient step they change; cross-Gram is the block of the joint Gram.
     */
    @Test
    void empiricalKernelOfOneNetwork() {
        double[][] x = inputs(4, 2, 3);
        double[][] y = {{0.5}, {-1}, {0.25}, {2}};
        FiniteNetwork fn = FiniteNetwork.of(NET, 32, 5);
        TrainableNetwork tn = TrainableNetwork.initialise(NET, 32, 1, 5, 2);
        KernelFunction seeded = EmpiricalKernel.of(fn);
        KernelFunction trained = EmpiricalKernel.of(tn);
        double[][] a = seeded.gram(x, KernelKind.NTK);
        double[][] b = trained.gram(x, KernelKind.NTK);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a[i], b[i], 0.0, "row " + i);
        }
        tn.step(x, y, 0.5);
        double[][] after = trained.gram(x, KernelKind.NTK);
        assertTrue(Math.abs(after[0][1] - a[0][1]) > 0, "the kernel follows the trained weights");
        double[][] c = seeded.withThreads(2).cross(x, new double[][] {x[2], x[3]}, KernelKind.NNGP);
        double[][] k = seeded.gram(x, KernelKind.NNGP);
        for (int i = 0; i < 4; i++) {
            assertEquals(k[i][2], c[i][0], 1e-12 * Math.abs(k[i][2]));
            assertEquals(k[i][3], c[i][1], 1e-12 * Math.abs(k[i][3]));
        }
        assertThrows(InvalidInputException.class, () -> seeded.gram(x, null));
        assertThrows(InvalidInputException.class, () -> seeded.cross(x, new double[][] {{1, 2, 3}}, KernelKind.NTK));
    }

    /**
     * Gradient-flow prediction with the Monte Carlo kernel tends to the prediction with the
     * analytic kernel as the width grows: the error falls like 1/√m (16 → 1024 is 8 times);
     * accepted if it falls at least 4 times and ends below 2% of the prediction's scale.
     */
    @Test
    void monteCarloPredictionConvergesToTheAnalytic() {
        double[][] x = inputs(12, 3, 4);
        double[][] xs = inputs(4, 3, 5);
        double[][] y = new double[12][1];
        for (int i = 0; i < 12; i++) {
            y[i][0] = Math.sin(x[i][0]) + 0.5 * x[i][1];
        }
        double[][] exact = GradientFlowPredictor.train(NtkRecursion.of(NET), KernelKind.NTK, x, y, 1, 1e-3)
                .predict(xs, 1.0, false).mean();
        double scale = 0;
        for (double[] r : exact) {
            scale = Math.max(scale, Math.abs(r[0]));
        }
        int[] widths = {16, 64, 256, 1024};
        double[] err = new double[widths.length];
        for (int w = 0; w < widths.length; w++) {
            KernelFunction mc = MonteCarloKernel.of(NET, widths[w], 4, 0);
            double[][] got = GradientFlowPredictor.train(mc, KernelKind.NTK, x, y, 1, 1e-3).predict(xs, 1.0, false).mean();
            for (int i = 0; i < xs.length; i++) {
                err[w] = Math.max(err[w], Math.abs(got[i][0] - exact[i][0]));
            }
        }
        System.out.println("max |Monte Carlo - analytic| by width " + java.util.Arrays.toString(widths) + ": "
                + java.util.Arrays.toString(err) + ", prediction scale " + scale);
        assertTrue(err[3] < err[0] / 4, java.util.Arrays.toString(err));
        assertTrue(err[3] < 0.02 * scale, java.util.Arrays.toString(err) + " scale " + scale);
    }
}
