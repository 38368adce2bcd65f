package io.github.ntk4j.learn;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.DataChecks;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigen-decomposition G = V Λ Vᵀ of a symmetric kernel (Gram) matrix, eigenvalues in
 * decreasing order λ₁ ≥ λ₂ ≥ … ≥ λ_n, eigenvectors orthonormal (column i of V belongs to λ_i).
 *
 * <p>Computed with EJML's symmetric eigen-decomposition (Householder tridiagonalisation, then
 * the implicit symmetric QR algorithm; Golub and Van Loan, Matrix Computations, §8.3), which at
 * n = 1000 was 5 times faster than Hipparchus' {@code EigenDecompositionSymmetric} with
 * eigenvectors and 17 times without (docs/LEARNING.md §1).
 * Under gradient flow on the squared loss the component of the training residual along v_i
 * decays like exp(−η λ_i t) (docs/LEARNING.md §2), so the spectrum tells which directions a
 * network learns fast.
 *
 * <p>Instances are immutable.
 */
public final class KernelSpectrum {
    private final double[] eigenvalues;
    private final double[][] vectors;

    private KernelSpectrum(double[] eigenvalues, double[][] vectors) {
        this.eigenvalues = eigenvalues;
        this.vectors = vectors;
    }

    /**
     * Decomposes a symmetric matrix.
     *
     * @param matrix n×n, symmetric (as every Gram matrix of {@link NtkRecursion} is, exactly), finite
     * @param withVectors whether to keep the eigenvectors
     * @return eigenvalues in decreasing order (and eigenvectors)
     */
    public static KernelSpectrum of(double[][] matrix, boolean withVectors) {
        int n = DataChecks.dataSet("kernel matrix", matrix);
        if (n != matrix.length) {
            throw Messages.dimensionMismatch("the kernel matrix's rows", n, "its row count", matrix.length);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double a = matrix[i][j];
                double b = matrix[j][i];
                if (Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b))) {
                    throw Messages.invalid("the kernel matrix is not symmetric: entry (" + (i + 1) + "," + (j + 1) + ") is "
                            + a + " but (" + (j + 1) + "," + (i + 1) + ") is " + b);
                }
            }
        }
        io.github.ntk4j.MemoryCheck.require("the eigen-decomposition of a " + n + "×" + n + " kernel matrix",
                decompositionBytes(n, withVectors));
        // The QR iteration squares entries: a matrix near the top of the double range (a
        // regulariser of 1e308) overflows inside it. Its eigenvalues are those of A/s times s,
        // so it is decomposed at scale 1.
        double scale = 0;
        for (double[] row : matrix) {
            for (double a : row) {
                if (!Double.isFinite(a)) {
                    throw Messages.notFinite("a kernel matrix entry", a);
                }
                scale = Math.max(scale, Math.abs(a));
            }
        }
        // only far from 1, and by a power of two, so that ordinary matrices are decomposed unchanged
        scale = scale > 0x1p500 || (scale > 0 && scale < 0x1p-500) ? Math.scalb(1.0, Math.getExponent(scale)) : 1;
        DMatrixRMaj scaled = new DMatrixRMaj(matrix);
        if (scale != 1) {
            org.ejml.dense.row.CommonOps_DDRM.divide(scaled, scale);
        }
        EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(n, withVectors, true);
        if (!e.decompose(scaled)) {
            throw Messages.noConvergence("the symmetric eigen-decomposition of the " + n + "×" + n + " kernel matrix");
        }
        // EJML returns them unordered: sort decreasing, eigenvectors along
        Integer[] order = new Integer[n];
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            raw[i] = e.getEigenvalue(i).real * scale;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(raw[b], raw[a]));
        double[] values = new double[n];
        double[][] v = withVectors ? new double[n][n] : null;
        for (int i = 0; i < n; i++) {
            values[i] = raw[order[i]];
            if (withVectors) {
                DMatrixRMaj col = e.getEigenVector(order[i]);
                for (int r = 0; r < n; r++) {
                    v[r][i] = col.get(r, 0);
                }
            }
        }
        return new KernelSpectrum(values, v);
    }

    /**
     * The spectrum of one Gram matrix of a network on a data set.
     *
     * @param engine the kernel engine (network and thread count)
     * @param x the data set, N rows
     * @param kind NTK or NNGP
     * @param withVectors whether to keep the eigenvectors
     * @return its spectrum
     */
    public static KernelSpectrum ofGram(NtkRecursion engine, double[][] x, KernelKind kind, boolean withVectors) {
        // the Gram matrix and its decomposition, refused before the Gram matrix is computed
        long n = x == null ? 0 : x.length;
        io.github.ntk4j.MemoryCheck.require("the spectrum of a " + n + "×" + n + " Gram matrix",
                io.github.ntk4j.MemoryCheck.plus(NtkRecursion.resultBytes(n, n, 1), decompositionBytes(n, withVectors)));
        return of(engine.gram(x, kind), withVectors);
    }

    /**
     * Memory of the eigen-decomposition of an n×n matrix (EJML's symmetric QR algorithm: a
     * copy of the matrix, its tridiagonal form and workspace, and the eigenvectors in both
     * EJML's and ntk4j's layout), measured as about 2 n² doubles without and 5 n² with
     * eigenvectors.
     *
     * @param n the order
     * @param withVectors whether the eigenvectors are kept
     * @return bytes, saturating
     */
    public static long decompositionBytes(long n, boolean withVectors) {
        return io.github.ntk4j.MemoryCheck.times(withVectors ? 5 : 2, io.github.ntk4j.MemoryCheck.doubles(n, n));
    }

    /** @return n, the matrix order */
    public int size() {
        return eigenvalues.length;
    }

    /** @return a copy of the eigenvalues, decreasing */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /**
     * @param i 0-based index in decreasing order
     * @return λ_{i+1}
     */
    public double eigenvalue(int i) {
        return eigenvalues[i];
    }

    /** @return whether the eigenvectors were kept */
    public boolean hasVectors() {
        return vectors != null;
    }

    /**
     * @param i 0-based index in decreasing order
     * @return a copy of the unit eigenvector of λ_{i+1} (its sign is arbitrary)
     */
    public double[] eigenvector(int i) {
        if (vectors == null) {
            throw Messages.invalid("the eigenvectors were not computed (ask for them with withVectors = true)");
        }
        double[] out = new double[vectors.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = vectors[r][i];
        }
        return out;
    }

    /** @return V as a copy, column i the eigenvector of λ_{i+1}; null when not computed */
    double[][] vectorMatrix() {
        return vectors;
    }

    /** @return the largest eigenvalue λ₁ */
    public double largest() {
        return eigenvalues[0];
    }

    /** @return the smallest eigenvalue λ_n (may be slightly negative from rounding) */
    public double smallest() {
        return eigenvalues[eigenvalues.length - 1];
    }

    /** @return λ₁/λ_n, or +∞ when λ_n ≤ 0 */
    public double conditionNumber() {
        return smallest() > 0 ? largest() / smallest() : Double.POSITIVE_INFINITY;
    }

    /**
     * Tolerance below which an eigenvalue is indistinguishable from zero: 64·n·ε·λ₁ (the
     * rounding error of a backward-stable symmetric eigensolver is O(n·ε·‖G‖₂); the kernel
     * entries themselves are good to a few ε).
     *
     * @return the tolerance
     */
    public double zeroTolerance() {
        return 64.0 * eigenvalues.length * Math.ulp(1.0) * Math.max(Math.abs(largest()), Double.MIN_NORMAL);
    }

    /**
     * Throws unless every eigenvalue is ≥ −{@link #zeroTolerance()}.
     *
     * @param what the matrix's name in the message
     */
    public void requirePositiveSemiDefinite(String what) {
        if (smallest() < -zeroTolerance()) {
            throw Messages.notPositiveSemiDefinite(what, smallest(), largest());
        }
    }
}
