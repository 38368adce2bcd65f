package io.github.ntk4j.study;

import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.learn.KernelSpectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LazyTrainingStudy}: the linearised prediction against a step-by-step iteration of the
 * linear dynamics and against gradient flow; the finite-width trends on the default erf network
 * (one hidden layer) and on a two-hidden-layer ReLU network (fixed seeds).
 */
class LazyTrainingStudyTest {
    private static LazyTrainingStudy.Report erf;
    private static LazyTrainingStudy.Report relu2;

    @BeforeAll
    static void runStudies() {
        erf = LazyTrainingStudy.defaults(null).withWidths(64, 128, 256, 512, 1024).withSeeds(4).withSeed(0)
                .withThreads(2).run();
        relu2 = LazyTrainingStudy.defaults(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)"))
                .withWidths(32, 64, 128, 256).withSeeds(3).withSteps(60).withSeed(2).withThreads(2).run();
    }

    @Test
    void linearisedPredictionEqualsIteratedDiscreteSteps() {
        Network net = NetworkSpec.parse("dense(1.2,0.2) erf dense(1.5,0.1) relu dense(1,0.1)");
        double[][] x = {{1, 0.2}, {-0.3, 0.8}, {0.5, -1}, {0.9, 0.9}, {-1, -0.4}};
        double[][] xs = {{0.1, 0.1}, {-0.7, 0.3}};
        double[][] y = {{0.3}, {-1}, {0.8}, {0.2}, {-0.5}};
        double[][] f0 = {{0.4}, {0.1}, {-0.6}, {1.2}, {0.0}};
        double[][] f0s = {{-0.2}, {0.7}};
        NtkRecursion engine = NtkRecursion.of(net);
        double[][] th = engine.gram(x, KernelKind.NTK);
        double[][] ths = engine.cross(xs, x, KernelKind.NTK);
        double eta = 0.9 / KernelSpectrum.of(th, false).largest();
        int steps = 37;
        // iterate f_{s+1} = f_s − η Θ(·, X)(f_s(X) − Y) on train and test points
        double[] f = {f0[0][0], f0[1][0], f0[2][0], f0[3][0], f0[4][0]};
        double[] fs = {f0s[0][0], f0s[1][0]};
        for (int s = 0; s < steps; s++) {
            double[] r = new double[5];
            for (int j = 0; j < 5; j++) {
                r[j] = f[j] - y[j][0];
            }
            double[] nf = f.clone();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    nf[i] -= eta * th[i][j] * r[j];
                }
            }
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 5; j++) {
                    fs[i] -= eta * ths[i][j] * r[j];
                }
            }
            f = nf;
        }
        KernelSpectrum spec = KernelSpectrum.of(th, true);
        double[][] v = new double[5][];
        double[] g = new double[5];
        for (int i = 0; i < 5; i++) {
            v[i] = spec.eigenvector(i);
            g[i] = io.github.ntk4j.learn.Gains.discrete(spec.eigenvalue(i), eta, steps);
        }
        double[] lin = LinearisedDynamics.prediction(ths, v, g, f0s, f0, y);
        double[] linTrain = LinearisedDynamics.prediction(th, v, g, f0, f0, y);
        for (int i = 0; i < 2; i++) {
            assertEquals(fs[i], lin[i], 1e-10);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(f[i], linTrain[i], 1e-10);
        }
        // gradient flow at t = ηS is the small-step limit: with 100× smaller steps the two agree
        double[][] r0 = new double[5][1];
        for (int i = 0; i < 5; i++) {
            r0[i][0] = y[i][0] - f0[i][0];
        }
        GradientFlowPredictor flow = GradientFlowPredictor.fromKernels(KernelKind.NTK, th, null, r0, 1.0, 0);
        double t = eta * steps;
        double[][] flowMean = flow.mean(ths, t);
        for (int i = 0; i < 5; i++) {
            g[i] = io.github.ntk4j.learn.Gains.discrete(spec.eigenvalue(i), eta / 100, steps * 100);
        }
        double[] small = LinearisedDynamics.prediction(ths, v, g, f0s, f0, y);
        for (int i = 0; i < 2; i++) {
            assertEquals(f0s[i][0] + flowMean[i][0], small[i], 1e-3);
        }
        assertEquals(0.5 * steps, io.github.ntk4j.learn.Gains.discrete(0, 0.5, steps), 0);
        assertEquals(0.5 * steps, io.github.ntk4j.learn.Gains.discrete(1e-18, 0.5, steps), 1e-12);
    }

    @Test
    void trainedPredictionsApproachTheLinearisedInfiniteWidthPrediction() {
        double[] d = erf.distance().mean();
        assertTrue(d[d.length - 1] < 0.03, "distance at m = 1024: " + d[d.length - 1]);
        assertTrue(d[d.length - 1] < 0.5 * d[0], "closer at m = 1024 than at m = 64: " + d[d.length - 1] + " vs " + d[0]);
        // 4 networks per width: an interval may be too wide for a PASS (INCONCLUSIVE), but none may FAIL
        assertTrue(erf.distance().verdict() != Verdict.FAIL && erf.distance().fit().consistentWith(-0.5),
                "slope " + erf.distance().fit().slope());
        // at the largest width the finite network fits the training set as the linear model does
        double lossFinite = 0;
        double lossLinear = 0;
        double lossInitial = 0;
        for (LazyTrainingStudy.Run r : erf.runs()) {
            if (r.width() == 1024) {
                lossFinite += r.finalLoss();
                lossLinear += r.linearFinalLoss();
                lossInitial += r.initialLoss();
            }
        }
        assertTrue(lossFinite < 0.5 * lossInitial, lossFinite + " vs " + lossInitial);
        assertEquals(lossLinear, lossFinite, 0.05 * lossLinear);
    }

    @Test
    void weightAndNtkChangesFallLikeTheInverseSquareRootOfWidth() {
        // one hidden layer: both layers have one side of size m, so every change goes like m^(-1/2)
        for (LazyTrainingStudy.Check c : java.util.List.of(erf.weightChange(), erf.layerChange().get(0),
                erf.layerChange().get(1))) {
            assertEquals(-0.5, c.fit().slope(), 0.1, c.name());
            assertTrue(c.verdict() != Verdict.FAIL, c.name() + ": " + c.reason());
        }
        // the NTK change falls at least that fast (erf is smooth: faster, towards m^(-1))
        assertTrue(erf.ntkChange().fit().slope() < -0.45, "NTK change slope " + erf.ntkChange().fit().slope());
        double[] k = erf.ntkChange().mean();
        assertTrue(k[k.length - 1] < 0.02 && k[k.length - 1] < k[0] / 4);
        assertTrue(erf.verdict() != Verdict.FAIL, erf.checks().toString());
    }

    @Test
    void anMxMLayerChangesLikeTheInverseOfWidth() {
        assertEquals(3, relu2.layerChange().size());
        double first = relu2.layerChange().get(0).fit().slope();
        double square = relu2.layerChange().get(1).fit().slope();
        double readout = relu2.layerChange().get(2).fit().slope();
        assertEquals(-1.0, square, 0.1);
        // the layers with one side m fall more slowly (towards m^(-1/2); ReLU at these small widths is steeper)
        assertTrue(first > -0.85 && first < -0.35, "first layer slope " + first);
        assertTrue(readout > -0.85 && readout < -0.35, "readout slope " + readout);
        assertTrue(square < first - 0.2 && square < readout - 0.2);
        // all parameters together: dominated by the m×m layer
        assertEquals(-1.0, relu2.weightChange().fit().slope(), 0.1);
        assertTrue(relu2.ntkChange().fit().upper() < 0);
    }

    @Test
    void theChecksCanFailAndSayInconclusiveWhenUnderpowered() {
        // negative control on the same networks: the first layer's change (exponent −1/2) and the test
        // distance (−1/2) tested against the wrong exponent −1 must fail
        for (LazyTrainingStudy.Check c : java.util.List.of(erf.layerChange().get(0), erf.distance())) {
            SlopeCheck.Tested t = SlopeCheck.test(erf.widths(), c.mean(), c.stderr(), erf.seeds(), -1.0, true,
                    LazyTrainingStudy.ALPHA, erf.checks().size());
            assertEquals(Verdict.FAIL, t.outcome().verdict(), c.name() + ": " + t.outcome().reason());
        }
        // two networks at three close widths cannot decide anything: never PASS
        LazyTrainingStudy.Report few = LazyTrainingStudy.defaults(null).withWidths(64, 96, 128).withSeeds(2).withSteps(10)
                .withSeed(3).withThreads(2).run();
        assertTrue(few.verdict() != Verdict.PASS, few.checks().toString());
        assertTrue(few.checks().stream().anyMatch(c -> c.verdict() == Verdict.INCONCLUSIVE), few.checks().toString());
    }

    @Test
    void badSettingsAreRefused() {
        LazyTrainingStudy s = LazyTrainingStudy.defaults(null);
        assertThrows(Ntk4jException.class, () -> s.withWidths(64, 64, 128));
        assertThrows(Ntk4jException.class, () -> s.withWidths(0, 64, 128));
        assertThrows(Ntk4jException.class, () -> s.withSteps(0));
        assertThrows(Ntk4jException.class, () -> s.withLearningRate(-1));
        assertThrows(Ntk4jException.class, () -> s.withSeeds(1));
        assertThrows(Ntk4jException.class, () -> s.withData(new double[][] {{1, 2}}, new double[][] {{1, 2}},
                new double[][] {{1, 2}}));
        // a width whose parameters cannot fit in the heap is refused before anything is allocated
        Ntk4jException e = assertThrows(Ntk4jException.class,
                () -> LazyTrainingStudy.defaults(NetworkSpec.parse("dense(1,0) relu dense(1,0) relu dense(1,0)"))
                        .withWidths(64, 128, 1 << 20).run());
        assertTrue(e.getMessage().contains("memory"), e.getMessage());
    }
}
