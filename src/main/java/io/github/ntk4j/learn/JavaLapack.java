package io.github.ntk4j.learn;

import io.github.ntk4j.NumericalFailureException;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * {@link Lapack}'s pure-Java implementation on EJML 0.44, used when the OpenBLAS natives are
 * absent (or {@code -Dntk4j.linalg=java} asks for it): the same routines with the same
 * column-major conventions. EJML's matrices are row-major, so a column-major m × n array is EJML's
 * n × m transpose, and each routine is written on that view. At and above
 * {@link Lapack#PARALLEL_ORDER} it uses EJML's multi-threaded variants (its own fork-join pool).
 *
 * <p>Speed against the native path: docs/LIBRARY.md ("Natives and the pure-Java fallback"),
 * measured with {@code ntk4j bench predict} in one run.
 */
final class JavaLapack {
    private JavaLapack() {
    }

    /** A factor or matrix kept for repeated use: its column-major array and, made on first need, the row-major one. */
    static final class Stored {
        final double[] colMajor;
        final int n;
        private volatile double[] rowMajor;

        Stored(double[] colMajor, int n) {
            this.colMajor = colMajor;
            this.n = n;
        }

        /** @return the transpose of the column-major n × n array read row-major: the matrix itself, row-major */
        double[] rowMajor() {
            double[] r = rowMajor;
            if (r == null) {
                r = new double[colMajor.length];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        r[i * n + j] = colMajor[j * n + i];
                    }
                }
                rowMajor = r;
            }
            return r;
        }
    }

    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[Math.multiplyExact(m, n)];
        if (m == 0 || n == 0 || k == 0) {
            return c;
        }
        // C (column-major m×n) read row-major is Cᵀ = op(B)ᵀ op(A)ᵀ; op(B)ᵀ is b read row-major
        // (n×k) when B is not transposed, that view's transpose otherwise; likewise op(A)ᵀ.
        DMatrixRMaj x = transB ? DMatrixRMaj.wrap(k, n, b) : DMatrixRMaj.wrap(n, k, b);
        DMatrixRMaj y = transA ? DMatrixRMaj.wrap(m, k, a) : DMatrixRMaj.wrap(k, m, a);
        DMatrixRMaj out = DMatrixRMaj.wrap(n, m, c);
        boolean parallel = Math.max(Math.max(m, n), k) >= Lapack.PARALLEL_ORDER;
        if (transB && transA) {
            if (parallel) {
                CommonOps_MT_DDRM.multTransAB(x, y, out);
            } else {
                CommonOps_DDRM.multTransAB(x, y, out);
            }
        } else if (transB) {
            if (parallel) {
                CommonOps_MT_DDRM.multTransA(x, y, out);
            } else {
                CommonOps_DDRM.multTransA(x, y, out);
            }
        } else if (transA) {
            if (parallel) {
                CommonOps_MT_DDRM.multTransB(x, y, out);
            } else {
                CommonOps_DDRM.multTransB(x, y, out);
            }
        } else if (parallel) {
            CommonOps_MT_DDRM.mult(x, y, out);
        } else {
            CommonOps_DDRM.mult(x, y, out);
        }
        return c;
    }

    /** As dsyrk: C += A Aᵀ on the lower triangle of the column-major m×m C, A m×b column-major. */
    static void syrkLowerAdd(double[] c, double[] a, int m, int b) {
        // column-major A (m×b) read row-major is Aᵀ (b×m): A Aᵀ = (Aᵀ)ᵀ(Aᵀ)
        double[] part = a.length == (long) m * b ? a : java.util.Arrays.copyOf(a, m * b);
        double[] full = gemm(false, true, m, m, b, part, part);
        for (int j = 0; j < m; j++) {
            for (int i = j; i < m; i++) {
                c[j * m + i] += full[j * m + i];
            }
        }
    }

    /** As dpotrf: the lower factor into the lower triangle of the column-major a, its strict upper triangle left as it was. */
    static boolean potrf(double[] a, int n) {
        if (n == 0) {
            return true;
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        double[] d = m.data;
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = a[j * n + i]; // the lower triangle, as dpotrf reads it; EJML gets the whole matrix
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = n >= Lapack.PARALLEL_ORDER
                ? DecompositionFactory_MT_DDRM.chol(n, true) : DecompositionFactory_DDRM.chol(n, true);
        if (!chol.decompose(m)) {
            return false;
        }
        double[] l = chol.getT(null).data;
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = l[i * n + j];
                if (!(v == v) || (i == j && !(v > 0))) {
                    return false; // EJML reports success on some indefinite inputs with NaN or zero pivots
                }
                a[j * n + i] = v;
            }
        }
        return true;
    }

    /**
     * An estimate of the 1-norm condition number ‖A‖₁ ‖A⁻¹‖₁ of A = L Lᵀ from its factor, by
     * Hager's method with Higham's alternative estimate (Hager 1984; Higham 1988, Algorithm 4.1),
     * the algorithm of LAPACK's dpocon (dlacn2): a few solves instead of the inverse. Hand-written
     * because EJML has no condition estimator; its exact alternative, the inverse, costs n³ flops
     * against this method's few n².
     */
    static double condition(Stored l, int n, double norm1) {
        if (n == 0) {
            return 1;
        }
        double[] x = new double[n];
        Arrays.fill(x, 1.0 / n);
        double[] y = x.clone();
        potrs(l, n, y, 1);
        double est = norm1(y);
        if (n > 1) {
            double[] xi = signs(y);
            double[] z = xi.clone();
            potrs(l, n, z, 1); // A symmetric: Aᵀ⁻¹ = A⁻¹
            int j = argMaxAbs(z);
            for (int iter = 2; iter <= 5; iter++) {
                Arrays.fill(x, 0.0);
                x[j] = 1;
                y = x.clone();
                potrs(l, n, y, 1);
                double old = est;
                est = norm1(y);
                double[] s = signs(y);
                if (Arrays.equals(s, xi) || est <= old) {
                    est = Math.max(est, old);
                    break;
                }
                xi = s;
                z = xi.clone();
                potrs(l, n, z, 1);
                int last = j;
                j = argMaxAbs(z);
                if (Math.abs(z[last]) == Math.abs(z[j])) {
                    break;
                }
            }
            for (int i = 0; i < n; i++) {
                x[i] = (i % 2 == 0 ? 1 : -1) * (1 + (double) i / (n - 1));
            }
            potrs(l, n, x, 1);
            est = Math.max(est, 2 * norm1(x) / (3.0 * n));
        }
        return est > 0 ? est * norm1 : Double.POSITIVE_INFINITY;
    }

    private static double norm1(double[] v) {
        double s = 0;
        for (double e : v) {
            s += Math.abs(e);
        }
        return s;
    }

    private static double[] signs(double[] v) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i] >= 0 ? 1 : -1;
        }
        return s;
    }

    private static int argMaxAbs(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        return best;
    }

    /** B ← L⁻¹ B or L⁻ᵀ B, column by column (each column of a column-major B is contiguous). */
    static void trsmLower(Stored l, int n, double[] b, int k, boolean transposed) {
        double[] lr = l.rowMajor(); // L row-major
        double[] col = new double[n];
        for (int c = 0; c < k; c++) {
            System.arraycopy(b, c * n, col, 0, n);
            if (transposed) {
                TriangularSolver_DDRM.solveTranL(lr, col, n);
            } else {
                TriangularSolver_DDRM.solveL(lr, col, n);
            }
            System.arraycopy(col, 0, b, c * n, n);
        }
    }

    static void potrs(Stored l, int n, double[] b, int k) {
        double[] lr = l.rowMajor();
        double[] col = new double[n];
        for (int c = 0; c < k; c++) {
            System.arraycopy(b, c * n, col, 0, n);
            TriangularSolver_DDRM.solveL(lr, col, n);
            TriangularSolver_DDRM.solveTranL(lr, col, n);
            System.arraycopy(col, 0, b, c * n, n);
        }
    }

    /** As dsyevd: ascending eigenvalues, the eigenvectors into the columns of the column-major a when asked. */
    static double[] syevd(double[] a, int n, boolean vectors) {
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        double[] d = m.data;
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = a[j * n + i]; // the lower triangle, as dsyevd reads it
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = n >= Lapack.PARALLEL_ORDER
                ? DecompositionFactory_MT_DDRM.eig(n, vectors, true) : DecompositionFactory_DDRM.eig(n, vectors, true);
        if (!eig.decompose(m)) {
            throw new NumericalFailureException("the symmetric eigen-decomposition (EJML) of a " + n + "×" + n
                    + " matrix did not converge");
        }
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            values[i] = eig.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
        for (int r = 0; r < n; r++) {
            int i = order[r];
            w[r] = values[i];
            if (vectors) {
                System.arraycopy(eig.getEigenVector(i).data, 0, a, r * n, n);
            }
        }
        return w;
    }
}
