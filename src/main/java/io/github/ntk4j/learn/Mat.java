package io.github.ntk4j.learn;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.math.KernelKind;

/** Small dense-matrix helpers on row-major {@code double[][]} (package-private). */
final class Mat {
    private Mat() {
    }

    /** @return a·b, (m×n)(n×p), by BLAS dgemm (row-major a·b is column-major bᵀ·aᵀ: no transposes needed) */
    static double[][] mul(double[][] a, double[][] b) {
        int m = a.length;
        int n = b.length;
        int p = b[0].length;
        return unflat(Lapack.gemm(false, false, p, m, n, flat(b), flat(a)), m, p);
    }

    /**
     * @param a m×n row-major
     * @param b n×p column-major
     * @return a·b, m×p row-major
     */
    static double[][] mul(double[][] a, double[] b, int n, int p) {
        int m = a.length;
        return Lapack.rows(Lapack.gemm(true, false, m, p, n, flat(a), b), m, p);
    }

    /** @return the rows of a concatenated (row-major), which is aᵀ in column-major order */
    static double[] flat(double[][] a) {
        return flat(a, a.length);
    }

    /** @return the first {@code rows} rows of a, row-major */
    static double[] flat(double[][] a, int rows) {
        int cols = rows == 0 ? 0 : a[0].length;
        double[] out = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a[i], 0, out, i * cols, cols);
        }
        return out;
    }

    /** @return the row-major array as rows × cols */
    static double[][] unflat(double[] a, int rows, int cols) {
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = java.util.Arrays.copyOfRange(a, i * cols, (i + 1) * cols);
        }
        return out;
    }

    /** @return aᵀ */
    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Checks a matrix is rows × cols (and finite). */
    static void shape(String name, double[][] a, int rows, int cols) {
        int c = DataChecks.dataSet(name, a);
        if (a.length != rows) {
            throw Messages.dimensionMismatch(name + " (rows)", a.length, "the expected row count", rows);
        }
        if (c != cols) {
            throw Messages.dimensionMismatch(name + " (columns)", c, "the expected column count", cols);
        }
    }

    /** Checks a vector has the given length (and is finite). */
    static void length(String name, double[] a, int n) {
        DataChecks.vector(name, a);
        if (a.length != n) {
            throw Messages.dimensionMismatch(name, a.length, "the expected length", n);
        }
    }

    /** @return K(x_j, x_j) of each row, the diagonal of the Gram matrix without computing the rest */
    static double[] selfKernel(KernelFunction engine, double[][] x, KernelKind kind) {
        double[] d = new double[x.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = engine.pair(x[j], x[j]).get(kind);
        }
        return d;
    }

    /** @return y as an n×1 matrix, after checking it */
    static double[][] column(String name, double[] y) {
        io.github.ntk4j.internal.DataChecks.vector(name, y);
        double[][] out = new double[y.length][1];
        for (int i = 0; i < y.length; i++) {
            out[i][0] = y[i];
        }
        return out;
    }

}
