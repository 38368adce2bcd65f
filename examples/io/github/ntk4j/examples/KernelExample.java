package io.github.ntk4j.examples;

import io.github.ntk4j.net.Layers;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;

/**
 * Computing exact infinite-width kernels through the public API: one pair, then a Gram matrix.
 * Run: {@code java -cp target/ntk4j.jar:target/test-classes io.github.ntk4j.examples.KernelExample}.
 */
public final class KernelExample {
    private KernelExample() {
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        // 3 hidden ReLU blocks of Dense(W_std = 1.4, b_std = 0.1), then a Dense readout
        Network relu = Network.fullyConnected(Layers.relu(), 3, 1.4, 0.1);
        KernelValue v = NtkRecursion.of(relu).pair(new double[] {1, 0.3, -0.5}, new double[] {0.2, -1, 0.7});
        System.out.printf("%s%n  NNGP K(x,y) = %.17g%n  NTK  Θ(x,y) = %.17g%n", relu, v.nngp(), v.ntk());

        // any composition, written as a spec string
        Network mixed = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)");
        double[][] x = {{1, 0}, {0.6, 0.8}, {0, 1}, {-1, 0}};
        double[][] theta = NtkRecursion.of(mixed).withThreads(2).gram(x, KernelKind.NTK);
        System.out.println(mixed);
        for (double[] row : theta) {
            StringBuilder sb = new StringBuilder("  ");
            for (double t : row) {
                sb.append(String.format("%10.6f", t));
            }
            System.out.println(sb);
        }
    }
}
