package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The discrete path-kernel identity f(x; w_T) = Σᵢ aᵢ(x) K^p(x, xᵢ) + b(x) to rounding on every
 * kind of network, checked against the network's own forward pass at w_T (an independent
 * computation: the identity holds only if the quadrature of every step is exact).
 */
class PathKernelTest {
    static double[][] circle(int n, double phase) {
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * (i + phase) / n;
            x[i] = new double[] {Math.cos(a), Math.sin(a)};
        }
        return x;
    }

    static double[][] targets(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double a = Math.atan2(x[i][1], x[i][0]);
            y[i] = new double[] {Math.sin(2 * a) + 0.5 * Math.cos(3 * a)};
        }
        return y;
    }

    static PathKernel.Result run(String spec, int width, int steps, double eta, long seed) {
        Network net = NetworkSpec.parse(spec);
        double[][] x = circle(8, 0);
        TrainableNetwork t = TrainableNetwork.initialise(net, width, 1, seed, 2);
        return PathKernel.of(x, targets(x), circle(6, 0.5), steps, eta).run(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dense(1.4,0.1) relu dense(1,0)",
        "dense(1.4,0.1) erf dense(1.4,0.1) erf dense(1,0)",
        "dense(1.4,0.1) gelu dense(1,0.1)",
        "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1,0)",
        "dense(1,0.1) residual(relu dense(1,0)) relu dense(1,0)",
        "dense(1.4,0.1) layernorm relu dense(1,0)",
        "width(32) dense(1.4,0.1,standard) relu dense(1,0.1,standard)",
        "dense(1.4,0.1) leaky_relu(0.1) dense(1,0)"})
    void kernelMachineIsTheNetworkToRounding(String spec) {
        PathKernel.Result r = run(spec, 32, 40, spec.contains("standard") ? 0.3 / 32 : 0.3, 7);
        System.out.printf("%-70s gap %.3e naive %.3e segments %d kinks %d res %.2e loss %.3g -> %.3g%n", spec,
                r.maxRelativeGap(), r.naiveMaxRelativeGap(), r.segments(), r.kinkSplits(), r.maxStepResidual(),
                r.losses()[0], r.losses()[r.steps()]);
        assertTrue(r.maxRelativeGap() <= 1e-10, "gap " + r.maxRelativeGap());
        assertTrue(r.losses()[r.steps()] < r.losses()[0], "training lowers the loss");
        assertTrue(r.naiveMaxRelativeGap() > 1e3 * r.maxRelativeGap(), "the naive kernel is visibly off");
    }

    @Test
    void naiveGapShrinksLikeEtaAtFixedTimeWhileTheExactGapStaysAtRounding() {
        double[] naive = new double[3];
        for (int k = 0; k < 3; k++) {
            PathKernel.Result r = run("dense(1.4,0.1) relu dense(1,0.1)", 32, 4 << k, 0.3 / (1 << k), 3);
            assertTrue(r.maxRelativeGap() <= 1e-10, "gap " + r.maxRelativeGap());
            naive[k] = r.naiveMaxRelativeGap();
        }
        for (int k = 1; k < 3; k++) {
            double ratio = naive[k - 1] / naive[k];
            assertTrue(ratio > 1.5 && ratio < 2.7, "halving eta divides the naive gap by " + ratio);
        }
    }

    @Test
    void aRuleTooSmallForTheStepIsRefinedAndAnUnrefinedOneIsReportedNotHidden() {
        // erf along a step is not a polynomial: 2 nodes per segment miss f(x; w_{t+1}) - f(x; w_t)
        // on large steps, and the check against it must split until they do not
        Network net = NetworkSpec.parse("dense(1.4,0.1) erf dense(1.4,0.1) erf dense(1,0)");
        double[][] x = circle(6, 0);
        PathKernel.Result r = PathKernel.of(x, targets(x), circle(3, 0.5), 10, 0.4).withNodes(2)
                .run(TrainableNetwork.initialise(net, 16, 1, 5, 2));
        assertTrue(r.segments() > 9L * 10, "segments " + r.segments());
        assertTrue(r.maxRelativeGap() <= 1e-10, "gap " + r.maxRelativeGap());
        // with no budget to refine, the residual and the gap say so instead of a silent error
        PathKernel.Result none = PathKernel.of(x, targets(x), circle(3, 0.5), 10, 0.4).withNodes(1).withBudget(1)
                .run(TrainableNetwork.initialise(net, 16, 1, 5, 2));
        assertTrue(none.maxStepResidual() > 1e-10, "residual " + none.maxStepResidual());
        assertTrue(none.maxRelativeGap() > 1e-10, "gap " + none.maxRelativeGap());
    }

    @Test
    void atInitialisationThePathKernelIsTheEmpiricalNtk() {
        // one tiny step: K^p/eta = g_bar(x).g_i -> the tangent kernel at w_0, by O(eta)
        double[] d = new double[2];
        for (int k = 0; k < 2; k++) {
            PathKernel.Result r = run("dense(1.4,0.1) gelu dense(1,0.1)", 16, 1, k == 0 ? 1e-3 : 1e-4, 9);
            double num = 0;
            double den = 0;
            for (int i = 0; i < r.trainPathKernel().length; i++) {
                for (int j = 0; j < r.trainPathKernel()[i].length; j++) {
                    double e = r.trainPathKernel()[i][j] / r.time() - r.initialTrainNtk()[i][j];
                    num += e * e;
                    den += r.initialTrainNtk()[i][j] * r.initialTrainNtk()[i][j];
                }
            }
            d[k] = Math.sqrt(num / den);
        }
        assertTrue(d[0] < 1e-2, "distance " + d[0]);
        assertEquals(10, d[0] / d[1], 1.0);
    }

    @Test
    void badInputIsRefused() {
        double[][] x = circle(4, 0);
        assertThrows(InvalidInputException.class, () -> PathKernel.of(x, targets(x), x, 0, 0.1));
        assertThrows(InvalidInputException.class, () -> PathKernel.of(x, targets(x), x, 3, -1));
        assertThrows(InvalidInputException.class, () -> PathKernel.of(x, new double[][] {{1, 2}, {1, 2}, {1, 2}, {1, 2}},
                x, 3, 0.1));
        TrainableNetwork two = TrainableNetwork.initialise(NetworkSpec.parse("dense(1,0) relu dense(1,0)"), 4, 2, 0, 2);
        assertThrows(InvalidInputException.class, () -> PathKernel.of(x, targets(x), x, 3, 0.1).run(two));
        TrainableNetwork sign = TrainableNetwork.initialise(NetworkSpec.parse("dense(1,0) sign dense(1,0)"), 4, 1, 0, 2);
        assertThrows(InvalidInputException.class, () -> PathKernel.of(x, targets(x), x, 3, 0.1).run(sign));
    }

    @Test
    void wideReluStaysAtRoundingThoughRoundingInFGrowsWithWidth() {
        // at width 1024 the rounding of f(b) − f(a) exceeds the quadrature's tolerance on short
        // parts: such parts must be accepted once two rules agree, not refined until the budget
        // runs out (which once left parts with unlocated kinks: gaps of 1e-4)
        PathKernel.Result r = run("dense(1.4,0.1) relu dense(1.4,0.1)", 1024, 12, 0.15, 4);
        assertTrue(r.kinkSplits() > 50, "kinks " + r.kinkSplits());
        assertTrue(r.maxRelativeGap() <= 1e-10, "gap " + r.maxRelativeGap());
        assertTrue(r.maxStepResidual() <= 1e-13, "residual " + r.maxStepResidual());
    }
}
