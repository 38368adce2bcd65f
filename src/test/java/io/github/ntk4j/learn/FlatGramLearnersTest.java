package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learners that compute their training Gram matrix in one array
 * ({@link io.github.ntk4j.math.KernelFunction#gramFlat}) give, bit for bit, what they give on the
 * same matrices handed to them as {@code double[][]} rows (the route every learner took before):
 * gradient flow at t = ∞ (Cholesky) and at a finite t (eigen-decomposition), the GP, the
 * spectrum and the interpolating solver. N = 300 (not a multiple of the 128-wide tile).
 */
class FlatGramLearnersTest {
    private static final Network NET = Network.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1.4,0.1)");

    private static double[][] data(long seed, int n, int d) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void learnersGiveTheSameBitsFromTheFlatGram() {
        double[][] x = data(1, 300, 6);
        double[][] y = data(2, 300, 2);
        double[][] xs = data(3, 40, 6);
        NtkRecursion engine = NtkRecursion.of(NET).withThreads(2);
        GramMatrices train = engine.gram(x);
        GramMatrices test = engine.cross(xs, x);
        for (KernelKind mode : KernelKind.values()) {
            GradientFlowPredictor flat = GradientFlowPredictor.train(engine, mode, x, y, 1.0, 1e-3);
            GradientFlowPredictor rows = GradientFlowPredictor.fromKernels(mode, train.get(mode), train.nngp(), y, 1.0, 1e-3);
            for (double t : new double[] {Double.POSITIVE_INFINITY, 2.5}) {
                same(rows.mean(test.get(mode), t), flat.mean(test.get(mode), t), mode + " mean at t = " + t);
            }
            assertArrayEquals(rows.eigenvalues(), flat.eigenvalues(), 0.0, mode + " eigenvalues");
        }
        GaussianProcessPredictor gp = GaussianProcessPredictor.train(engine, KernelKind.NNGP, x, y, 1e-3);
        GaussianProcessPredictor gpRows = GaussianProcessPredictor.fromKernel(train.nngp(), y, 1e-3);
        same(gpRows.mean(test.nngp()), gp.mean(test.nngp()), "GP mean");
        for (boolean vectors : new boolean[] {false, true}) {
            KernelSpectrum s = KernelSpectrum.ofGram(engine, x, KernelKind.NTK, vectors);
            KernelSpectrum sRows = KernelSpectrum.of(train.ntk(), vectors);
            assertArrayEquals(sRows.eigenvalues(), s.eigenvalues(), 0.0, "spectrum, vectors " + vectors);
        }
        InterpolatingSolver is = InterpolatingSolver.factor(engine, KernelKind.NTK, x);
        InterpolatingSolver isRows = InterpolatingSolver.factor(train.ntk());
        // (dpocon's estimate differs in its last digits between two calls on the same matrix)
        assertEquals(isRows.condition(), is.condition(), 1e-12 * isRows.condition(), "interpolating solver's condition");
        same(isRows.solve(y).coefficients(), is.solve(y).coefficients(), "interpolating solver's coefficients");
    }

    /** A kernel of the user's own whose Gram matrix is not symmetric is refused by the spectrum, as from rows. */
    @Test
    void spectrumRefusesAnAsymmetricKernel() {
        double[][] x = data(4, 20, 3);
        io.github.ntk4j.math.PairwiseKernel gauss = io.github.ntk4j.math.PairwiseKernel.of("gauss",
                (a, b) -> Math.exp(-Math.abs(a[0] - b[0])));
        io.github.ntk4j.math.KernelFunction skew = new io.github.ntk4j.math.KernelFunction() {
            @Override
            public io.github.ntk4j.math.KernelValue pair(double[] a, double[] b) {
                return gauss.pair(a, b);
            }

            @Override
            public double[][] gram(double[][] xs, KernelKind kind) {
                double[][] g = gauss.gram(xs, kind);
                g[3][7] *= 1.001; // (7, 3) left as it is
                return g;
            }

            @Override
            public double[][] cross(double[][] xs, double[][] ys, KernelKind kind) {
                return gauss.cross(xs, ys, kind);
            }

            @Override
            public String describe() {
                return "skew";
            }
        };
        String rows = assertThrows(io.github.ntk4j.InvalidInputException.class,
                () -> KernelSpectrum.of(skew.gram(x, KernelKind.NTK), false)).getMessage();
        String flat = assertThrows(io.github.ntk4j.InvalidInputException.class,
                () -> KernelSpectrum.ofGram(skew, x, KernelKind.NTK, false)).getMessage();
        assertEquals(rows, flat);
        // and the same kernel without the change is decomposed
        assertEquals(20, KernelSpectrum.ofGram(gauss, x, KernelKind.NTK, false).size());
    }

    private static void same(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 0.0, what + " row " + i);
        }
    }
}
