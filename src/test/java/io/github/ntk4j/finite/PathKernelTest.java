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
}
