package io.github.ntk4j.math;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.Vectors;

/**
 * A kernel of the user's own, given by its value on a pair: one positive semi-definite function
 * k(x, y) that serves as both the NNGP kernel and the NTK, so every learner of ntk4j runs with
 * it (gradient flow with Θ = K = k is kernel ridge regression with k; its GP prior is k).
 *
 * <p>Subclasses implement {@link #value}; Gram matrices compute the upper triangle and mirror it,
 * so they are exactly symmetric. Example (a polynomial kernel):
 * <pre>{@code
 * KernelFunction poly = PairwiseKernel.of("poly2", (x, y) -> {
 *     double s = 1;
 *     for (int i = 0; i < x.length; i++) s += x[i] * y[i];
 *     return s * s;
 * });
 * }</pre>
 */
public abstract class PairwiseKernel implements KernelFunction {

    /** A kernel value as a function of a pair. */
    @FunctionalInterface
    public interface Value {
        /**
         * @param x first input
         * @param y second input, same length
         * @return k(x, y)
         */
        double apply(double[] x, double[] y);
    }

    /**
     * A kernel from a function of a pair.
     *
     * @param name its description (for reports)
     * @param value k(x, y): symmetric, positive semi-definite, finite for finite inputs
     * @return the kernel function
     */
    public static PairwiseKernel of(String name, Value value) {
        if (name == null || value == null) {
            throw Messages.invalid("the kernel's name and value function must not be null");
        }
        return new PairwiseKernel() {
            @Override
            protected double value(double[] x, double[] y) {
                return value.apply(x, y);
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    /**
     * The kernel's value; inputs are already checked (same length, finite entries).
     *
     * @param x first input
     * @param y second input
     * @return k(x, y)
     */
    protected abstract double value(double[] x, double[] y);

    private double checked(double[] x, double[] y) {
        double v = value(x, y);
        if (!Double.isFinite(v)) {
            throw Messages.invalid("kernel " + describe() + " returned " + v + " for a pair of finite inputs");
        }
        return v;
    }

    @Override
    public final KernelValue pair(double[] x, double[] y) {
        DataChecks.vector("x", x);
        DataChecks.vector("y", y);
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        double v = checked(x, y);
        return new KernelValue(v, v);
    }

    @Override
    public final double[][] gram(double[][] x, KernelKind kind) {
        checkKind(kind);
        DataChecks.dataSet("x", x);
        int n = x.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                g[i][j] = checked(x[i], x[j]);
                g[j][i] = g[i][j];
            }
        }
        return g;
    }

    @Override
    public final double[][] cross(double[][] x, double[][] y, KernelKind kind) {
        checkKind(kind);
        DataChecks.dataSet("x", x);
        DataChecks.dataSet("y", y);
        if (x[0].length != y[0].length) {
            throw Messages.dimensionMismatch("x", x[0].length, "y", y[0].length);
        }
        double[][] g = new double[x.length][y.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                g[i][j] = checked(x[i], y[j]);
            }
        }
        return g;
    }

    /** Both kernels are the one function: computed once, the NNGP matrix a copy (callers may overwrite either). */
    @Override
    public GramMatrices gram(double[][] x) {
        double[][] g = gram(x, KernelKind.NTK);
        return new GramMatrices(Vectors.copyRows(g), g);
    }

    /** Both kernels are the one function: computed once, the NNGP matrix a copy (callers may overwrite either). */
    @Override
    public GramMatrices cross(double[][] x, double[][] y) {
        double[][] g = cross(x, y, KernelKind.NTK);
        return new GramMatrices(Vectors.copyRows(g), g);
    }


    private static void checkKind(KernelKind kind) {
        if (kind == null) {
            throw Messages.invalid("the kernel kind must not be null");
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
