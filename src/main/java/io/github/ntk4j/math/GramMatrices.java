package io.github.ntk4j.math;


import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.RealMatrix;

/**
 * NNGP and NTK Gram (or cross-Gram) matrices as plain row-major {@code double[][]}; an entry is
 * null when that kernel was not asked for (so that one N = 10,000 Gram fits in 2 GB).
 *
 * @param nngp K(X, Y), rows indexed by X, or null
 * @param ntk Θ(X, Y), rows indexed by X, or null
 */
public record GramMatrices(double[][] nngp, double[][] ntk) {

    /**
     * @param kind which kernel
     * @return its matrix (not a copy), or null when it was not computed
     */
    public double[][] get(KernelKind kind) {
        return kind == KernelKind.NTK ? ntk : nngp;
    }

    /**
     * A Hipparchus view of a kernel matrix without copying it.
     *
     * @param matrix the rows
     * @return a RealMatrix backed by {@code matrix}
     */
    public static RealMatrix asRealMatrix(double[][] matrix) {
        return new Array2DRowRealMatrix(matrix, false);
    }
}
