package io.github.ntk4j.finite;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelKind;

/**
 * What the finite-width kernel functions share: inputs checked, one evaluation of the joint set
 * [X; Y] for a cross-Gram matrix (so Θ̂(X, Y) comes from the same networks as Θ̂(X, X)), and the
 * blocks of the result.
 */
final class FiniteKernels {
    private FiniteKernels() {
    }

    static void checkKind(KernelKind kind) {
        if (kind == null) {
            throw Messages.invalid("the kernel kind must not be null");
        }
    }

    /** @return [x; y] after checking both (same dimension) */
    static double[][] joint(double[][] x, double[][] y) {
        int d = DataChecks.dataSet("x", x);
        int e = DataChecks.dataSet("y", y);
        if (d != e) {
            throw Messages.dimensionMismatch("x[0]", d, "y[0]", e);
        }
        double[][] all = new double[x.length + y.length][];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        return all;
    }

    /** @return rows [0, n1) and columns [n1, end) of g */
    static double[][] offDiagonal(double[][] g, int n1) {
        int n2 = g.length - n1;
        double[][] out = new double[n1][n2];
        for (int i = 0; i < n1; i++) {
            System.arraycopy(g[i], n1, out[i], 0, n2);
        }
        return out;
    }

    static double[][] get(GramMatrices m, KernelKind kind) {
        return kind == KernelKind.NTK ? m.ntk() : m.nngp();
    }
}
