package demo;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;

/**
 * The NTK Gram matrix of three inputs under a two-hidden-layer ReLU network, printed row by row;
 * with the argument {@code derive}, also the closed-form NTK of a one-hidden-layer ReLU network
 * from the symbolic engine (needs Symja on the class path).
 */
public final class GramDemo {
    private GramDemo() {
    }

    public static void main(String[] args) {
        Network net = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");
        double[][] x = {{1, 0}, {0.6, 0.8}, {-0.5, 0.5}};
        GramMatrices g = NtkRecursion.of(net).gram(x);
        for (double[] row : g.ntk()) {
            StringBuilder sb = new StringBuilder("ntk");
            for (double v : row) {
                sb.append(' ').append(v);
            }
            System.out.println(sb);
        }
        System.out.println("module " + GramDemo.class.getModule().getName() + ", ntk4j in module "
                + NtkRecursion.class.getModule().getName());
        System.out.println("learn/ linear algebra: " + io.github.ntk4j.learn.LinearAlgebra.describe());
        if (args.length > 0 && args[0].equals("derive")) {
            Derive.run();
        }
    }
}
