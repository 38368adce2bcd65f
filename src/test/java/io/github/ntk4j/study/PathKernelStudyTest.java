package io.github.ntk4j.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.finite.PathKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import org.junit.jupiter.api.Test;

/** The path-kernel study: distances defined as documented, a small width sweep that fits. */
class PathKernelStudyTest {
    @Test
    void distancesAreRelativeFrobeniusAndTheFlowPredictionIsTheLinearisedModel() {
        PathKernelStudy s = PathKernelStudy.of(null, null, null, null, 5, Double.NaN, 1);
        // default lr: 1/lambda_max of the analytic NTK (train's default)
        double[][] theta = NtkRecursion.of(s.network()).gram(s.trainInputs(), KernelKind.NTK);
        double lmax = io.github.ntk4j.learn.KernelSpectrum.of(theta, false).largest();
        assertEquals(1 / lmax, s.learningRate(), 1e-12 / lmax);
        PathKernel.Result r = s.pathKernel().run(s.network(64, 0));
        PathKernelStudy.Distances d = s.distances(r);
        double num = 0;
        double den = 0;
        for (int i = 0; i < theta.length; i++) {
            for (int j = 0; j < theta.length; j++) {
                double e = r.trainPathKernel()[i][j] / r.time() - theta[i][j];
                num += e * e;
                den += theta[i][j] * theta[i][j];
            }
        }
        assertEquals(Math.sqrt(num / den), d.toAnalytic(), 1e-12);
        // a negative control: the distance to a wrong kernel (twice the NTK) is large
        assertTrue(PathKernelStudy.relative(r.trainPathKernel(), 1 / r.time(), times(theta, 2)) > 0.4);
        assertTrue(d.toAnalytic() < 0.3, "distance " + d.toAnalytic());
        assertTrue(d.predictionToFlow() < 0.2, "prediction distance " + d.predictionToFlow());
    }

    private static double[][] times(double[][] a, double c) {
        double[][] b = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                b[i][j] = c * a[i][j];
            }
        }
        return b;
    }

    @Test
    void aSmallWidthSweepFitsEveryQuantity() {
        PathKernelStudy s = PathKernelStudy.of(null, null, null, null, 4, Double.NaN, 2);
        PathKernelStudy.WidthSweep w = s.widthSweep(new int[] {32, 128, 512}, 2);
        assertEquals(4, w.fits().length);
        for (double g : w.gaps()) {
            assertTrue(g <= 1e-10, "gap " + g);
        }
        // the distance to the analytic NTK falls with width
        assertTrue(w.fits()[0].slope() < 0, "slope " + w.fits()[0].slope());
    }

    @Test
    void longerTrainingMovesThePathKernelAwayFromTheInitialTangentKernel() {
        PathKernelStudy s = PathKernelStudy.of(null, null, null, null, 3, Double.NaN, 3);
        PathKernelStudy.TimePoint[] t = s.timeSweep(32, 3);
        for (int k = 0; k < t.length; k++) {
            assertEquals(3 << k, t[k].steps());
            assertEquals(s.learningRate() * (3 << k), t[k].time(), 1e-15);
            assertTrue(t[k].gap() <= 1e-10, "gap " + t[k].gap());
        }
        assertTrue(t[2].toInitial() > t[0].toInitial(), t[0].toInitial() + " -> " + t[2].toInitial());
    }
}
