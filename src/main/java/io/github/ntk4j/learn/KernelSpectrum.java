package io.github.ntk4j.learn;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;

/**
 * Eigen-decomposition G = V Λ Vᵀ of a symmetric kernel (Gram) matrix, eigenvalues in
 * decreasing order λ₁ ≥ λ₂ ≥ … ≥ λ_n, eigenvectors orthonormal (column i of V belongs to λ_i).
 *
 * <p>Computed with LAPACK's divide-and-conquer symmetric eigensolver dsyevd (Householder
 * tridiagonalisation, then Cuppen's divide and conquer; Gu and Eisenstat 1995) from OpenBLAS;
 * without eigenvectors it runs the Pal–Walker–Kahan QR iteration on the tridiagonal form, much
 * cheaper. At n = 2000 on one thread it is 6 times faster than EJML's QR algorithm (docs/LEARNING.md §7).
 * Under gradient flow on the squared loss the component of the training residual along v_i
 * decays like exp(−η λ_i t) (docs/LEARNING.md §2), so the spectrum tells which directions a
 * network learns fast.
 *
 * <p>Instances are immutable.
 */
public final class KernelSpectrum {
    private final double[] eigenvalues;
    /** V column-major: eigenvector i is vectors[i·n .. i·n + n) */
    private final double[] vectors;

    private KernelSpectrum(double[] eigenvalues, double[] vectors) {
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
        io.github.ntk4j.internal.MemoryCheck.require("the eigen-decomposition of a " + n + "×" + n + " kernel matrix",
                decompositionBytes(n, withVectors));
        double[] a = new double[Math.multiplyExact(n, n)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix[i], 0, a, i * n, n);
        }
        requireSymmetric(a, n);
        return decompose(a, n, withVectors);
    }

    /** Refuses an n×n row-major matrix whose mirrored entries differ by more than 1e-12 relative. */
    private static void requireSymmetric(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double u = a[i * n + j];
                double v = a[j * n + i];
                if (Math.abs(u - v) > 1e-12 * Math.max(Math.abs(u), Math.abs(v))) {
                    throw Messages.invalid("the kernel matrix is not symmetric: matrix[" + i + "][" + j + "] is " + u
                            + " but matrix[" + j + "][" + i + "] is " + v);
                }
            }
        }
    }

    /**
     * Decomposes the symmetric n×n a (row-major = column-major), which it overwrites: refuses an
     * entry that is not finite, and decomposes a matrix near the edges of the double range at scale 1.
     */
    private static KernelSpectrum decompose(double[] a, int n, boolean withVectors) {
        // A matrix near the top of the double range (a regulariser of 1e308) overflows inside the
        // eigensolver. Its eigenvalues are those of A/s times s, so it is decomposed at scale 1.
        double scale = 0;
        for (double x : a) {
            if (!Double.isFinite(x)) {
                throw Messages.notFinite("a kernel matrix entry", x);
            }
            scale = Math.max(scale, Math.abs(x));
        }
        // only far from 1, and by a power of two, so that ordinary matrices are decomposed unchanged
        scale = scale > 0x1p500 || (scale > 0 && scale < 0x1p-500) ? Math.scalb(1.0, Math.getExponent(scale)) : 1;
        if (scale != 1) {
            for (int i = 0; i < a.length; i++) {
                a[i] /= scale;
            }
        }
        KernelSpectrum s = ofColumnMajor(a, n, withVectors);
        if (scale != 1) {
            for (int i = 0; i < n; i++) {
                s.eigenvalues[i] *= scale;
            }
        }
        return s;
    }

    /**
     * Decomposes a symmetric matrix given column-major (its lower triangle is read), which it overwrites.
     */
    static KernelSpectrum ofColumnMajor(double[] a, int n, boolean withVectors) {
        return increasing(Lapack.syevd(a, n, withVectors), withVectors ? a : null, n);
    }

    /** Eigenvalues and eigenvectors of a symmetric matrix given column-major, which is left as it is. */
    static KernelSpectrum withVectorsOfColumnMajor(double[] a, int n) {
        double[] w = new double[n];
        double[] v = Lapack.eigenvectorsOf(a, n, w);
        return increasing(w, v, n);
    }

    /** @return the spectrum from LAPACK's increasing order (v, the vectors or null, reordered in place) */
    private static KernelSpectrum increasing(double[] ascending, double[] a, int n) {
        boolean withVectors = a != null;
        // LAPACK orders them increasing: reverse, eigenvectors (columns) along
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = ascending[n - 1 - i];
        }
        double[] v = null;
        if (withVectors) {
            double[] tmp = new double[n];
            for (int i = 0, j = n - 1; i < j; i++, j--) { // swap columns i and j in place
                System.arraycopy(a, i * n, tmp, 0, n);
                System.arraycopy(a, j * n, a, i * n, n);
                System.arraycopy(tmp, 0, a, j * n, n);
            }
            v = a;
        }
        return new KernelSpectrum(values, v);
    }

    /**
     * The eigenvalues of a symmetric matrix, without eigenvectors.
     *
     * @param matrix n×n, symmetric, finite
     * @return the eigenvalues in decreasing order
     */
    public static KernelSpectrum of(double[][] matrix) {
        return of(matrix, false);
    }

    /**
     * Eigenvalues and eigenvectors of a symmetric matrix.
     *
     * @param matrix n×n, symmetric, finite
     * @return the decomposition
     */
    public static KernelSpectrum withVectors(double[][] matrix) {
        return of(matrix, true);
    }

    /**
     * The eigenvalues of one Gram matrix of a kernel function on a data set.
     *
     * @param kernel the kernel function
     * @param x the data set, N rows
     * @param kind NTK or NNGP
     * @return its eigenvalues in decreasing order
     */
    public static KernelSpectrum ofGram(KernelFunction kernel, double[][] x, KernelKind kind) {
        return ofGram(kernel, x, kind, false);
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
    public static KernelSpectrum ofGram(KernelFunction engine, double[][] x, KernelKind kind, boolean withVectors) {
        // the Gram matrix and its decomposition, refused before the Gram matrix is computed; the
        // Gram matrix is the decomposition's column-major copy (decomposed in place), so it is
        // counted once, in decompositionBytes
        long n = x == null ? 0 : x.length;
        io.github.ntk4j.internal.MemoryCheck.require("the spectrum of a " + n + "×" + n + " Gram matrix",
                decompositionBytes(n, withVectors));
        // the Gram matrix in one array, decomposed in place: no copy of it (KernelFunction#gramFlat)
        double[] a = engine.gramFlat(x, kind);
        int m = x.length;
        requireSymmetric(a, m); // a kernel of the user's own may not be symmetric
        return decompose(a, m, withVectors);
    }

    /**
     * Memory of the eigen-decomposition of an n×n matrix (LAPACK dsyevd: a column-major copy
     * of the matrix, overwritten by the eigenvectors, plus JNI's copy of it and dsyevd's
     * workspace of about 2n² doubles with eigenvectors): 2 n² doubles without, 5 n² with.
     *
     * @param n the order
     * @param withVectors whether the eigenvectors are kept
     * @return bytes, saturating
     */
    static long decompositionBytes(long n, boolean withVectors) {
        return io.github.ntk4j.internal.MemoryCheck.times(withVectors ? 5 : 2, io.github.ntk4j.internal.MemoryCheck.doubles(n, n));
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
        int n = eigenvalues.length;
        return java.util.Arrays.copyOfRange(vectors, i * n, i * n + n);
    }

    /** @return V column-major (not a copy), column i the eigenvector of λ_{i+1}; null when not computed */
    double[] vectorsColumnMajor() {
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
    void requirePositiveSemiDefinite(String what) {
        if (smallest() < -zeroTolerance()) {
            throw Messages.notPositiveSemiDefinite(what, smallest(), largest());
        }
    }
}
