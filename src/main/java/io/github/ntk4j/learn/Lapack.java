package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.NumericalFailureException;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The few BLAS/LAPACK routines of the learn package, on OpenBLAS 0.3.31 (with its LAPACK) through
 * the JavaCPP presets, whose jar carries the native library: nothing to install. Matrices are
 * dense {@code double[]} in column-major order (Fortran's), leading dimension = row count; a
 * symmetric matrix stored row-major is the same array.
 *
 * <p>Why native: at n = 4000 on the 2-core development machine the Cholesky factorisation takes
 * 0.4 s here against 12 s in EJML, and the divide-and-conquer eigensolver (dsyevd) 4.5 s against
 * more than 100 s for EJML's QR algorithm (docs/LEARNING.md §7); numpy and scipy use the same
 * OpenBLAS, so the benchmark against them compares like with like. Only the linux-x86_64
 * natives are bundled; elsewhere the first call fails with a clear message.
 */
final class Lapack {
    private static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;
    private static volatile boolean loaded;
    /** Below this order the LAPACK calls run on one thread (see {@link #threadsFor}). */
    static final int PARALLEL_ORDER = 1000;
    private static int maxThreads;
    private static int threads;

    private Lapack() {
    }

    /** Loads the native library once; a platform without the bundled natives gets one clear line. */
    static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (Lapack.class) {
            if (!loaded) {
                try {
                    Loader.load(openblas.class);
                } catch (UnsatisfiedLinkError | RuntimeException e) {
                    throw new NumericalFailureException("native BLAS/LAPACK (OpenBLAS) could not be loaded on "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                            + " (ntk4j bundles it for linux-x86_64 only): " + e.getMessage());
                }
                maxThreads = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
                threads = maxThreads;
                loaded = true;
            }
        }
    }

    /**
     * Sets OpenBLAS's thread count for a problem of order n: one thread below
     * {@link #PARALLEL_ORDER}, all of them (OPENBLAS_NUM_THREADS or the processors) above. Why:
     * OpenBLAS starts its threads for every LAPACK call however small, and on the shared 2-core
     * machine under load the hand-offs cost more than the work: the 5-fold classification of the
     * 150-row iris data took 53 s with two threads and 11 s with one (its matrices are 150 × 150
     * and smaller); above n ≈ 1000 the second core pays.
     */
    private static synchronized void threadsFor(long n) {
        int want = n < PARALLEL_ORDER ? 1 : maxThreads;
        if (want != threads) {
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(want);
            threads = want;
        }
    }

    /** @return row-major a (rows × cols) as a column-major array */
    static double[] colMajor(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        double[] out = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            double[] r = a[i];
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = r[j];
            }
        }
        return out;
    }

    /** @return the column-major rows × cols array as row-major rows */
    static double[][] rows(double[] a, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int j = 0; j < cols; j++) {
            int o = j * rows;
            for (int i = 0; i < rows; i++) {
                out[i][j] = a[o + i];
            }
        }
        return out;
    }

    /**
     * C = op(A) op(B), op = transpose when the flag says so; column-major.
     *
     * @param transA whether A is given as its transpose (k × m)
     * @param transB whether B is given as its transpose (n × k)
     * @return the m × n product
     */
    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b) {
        ensureLoaded();
        double[] c = new double[Math.multiplyExact(m, n)];
        if (m == 0 || n == 0 || k == 0) {
            return c;
        }
        threadsFor(Math.max(Math.max(m, n), k));
        openblas.cblas_dgemm(openblas.CblasColMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1.0, a, transA ? k : m, b, transB ? n : k,
                0.0, c, m);
        return c;
    }

    /**
     * LᵀL of a lower-triangular L in place (LAPACK dlauum, n³/3 flops against 2n³ for dgemm):
     * the product replaces the lower triangle, and the upper triangle is filled by symmetry.
     *
     * @param a n × n column-major, its lower triangle L (the upper one is ignored and overwritten)
     */
    static void lauumLower(double[] a, int n) {
        ensureLoaded();
        if (n == 0) {
            return;
        }
        threadsFor(n);
        int info = openblas.LAPACKE_dlauum(COL_MAJOR, (byte) 'L', n, a, Math.max(1, n));
        if (info != 0) {
            throw new IllegalStateException("dlauum: info " + info);
        }
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                a[i * n + j] = a[j * n + i]; // (j, i) in the upper triangle ← (i, j) in the lower
            }
        }
    }

    /**
     * Cholesky factorisation A = L Lᵀ in place (dpotrf, lower triangle; the upper one is left as it was).
     *
     * @param a n × n symmetric positive definite, column-major
     * @return true when it succeeded, false when A is not (numerically) positive definite
     */
    static boolean potrf(double[] a, int n) {
        ensureLoaded();
        threadsFor(n);
        int info = openblas.LAPACKE_dpotrf(COL_MAJOR, (byte) 'L', n, a, Math.max(1, n));
        if (info < 0) {
            throw new IllegalStateException("dpotrf: argument " + (-info) + " invalid");
        }
        return info == 0;
    }

    /**
     * @param l the factor of {@link #potrf}
     * @param norm1 the 1-norm of the matrix before factorisation
     * @return an estimate of its 1-norm condition number (dpocon; Hager 1984, Higham 1988), +∞ when singular
     */
    static double condition(DoublePointer l, int n, double norm1) {
        ensureLoaded();
        if (n == 0) {
            return 1;
        }
        threadsFor(n);
        try (DoublePointer rcond = new DoublePointer(1)) {
            int info = openblas.LAPACKE_dpocon(COL_MAJOR, (byte) 'L', n, l, n, norm1, rcond);
            if (info != 0) {
                throw new IllegalStateException("dpocon: info " + info);
            }
            double r = rcond.get(0);
            return r > 0 ? 1 / r : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * @param a a column-major matrix
     * @return a copy outside the Java heap. Why: JNI hands a {@code double[]} to native code by
     *         copying it in and out on every call; an n×n factor used by several solves (128 MB at
     *         n = 4000) is cheaper kept where LAPACK reads it directly.
     */
    static DoublePointer offHeap(double[] a) {
        ensureLoaded();
        return new DoublePointer(a);
    }

    /**
     * B ← L⁻¹ B, or L⁻ᵀ B when {@code transposed}, in place (dtrsm; L the lower factor of
     * {@link #potrf}, off the heap; B n × k column-major).
     */
    static void trsmLower(DoublePointer l, int n, double[] b, int k, boolean transposed) {
        if (n == 0 || k == 0) {
            return;
        }
        threadsFor(n);
        try (DoublePointer pb = new DoublePointer(b)) {
            openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                    transposed ? openblas.CblasTrans : openblas.CblasNoTrans, openblas.CblasNonUnit, n, k, 1.0, l, n, pb, n);
            pb.get(b);
        }
    }

    /** Solves A X = B in place of B (n × k) from the factor of {@link #potrf}, off the heap (dpotrs). */
    static void potrs(DoublePointer l, int n, double[] b, int k) {
        if (n == 0 || k == 0) {
            return;
        }
        threadsFor(n);
        try (DoublePointer pb = new DoublePointer(b)) {
            int info = openblas.LAPACKE_dpotrs(COL_MAJOR, (byte) 'L', n, k, l, n, pb, n);
            if (info != 0) {
                throw new IllegalStateException("dpotrs: info " + info);
            }
            pb.get(b);
        }
    }

    /** A b for an off-heap m×m column-major a and an m×k column-major b. */
    static double[] gemm(DoublePointer a, int m, double[] b, int k) {
        double[] c = new double[Math.multiplyExact(m, k)];
        if (m == 0 || k == 0) {
            return c;
        }
        threadsFor(m);
        try (DoublePointer pb = new DoublePointer(b); DoublePointer pc = new DoublePointer((long) m * k)) {
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, k, m, 1.0, a, m,
                    pb, m, 0.0, pc, m);
            pc.get(c);
        }
        return c;
    }

    /**
     * Symmetric eigen-decomposition by divide and conquer (dsyevd; Cuppen 1981, Gu and Eisenstat 1995).
     *
     * @param a n × n symmetric (its lower triangle is read), column-major; overwritten by the
     *        orthonormal eigenvectors (column i for eigenvalue i) when {@code vectors}, destroyed otherwise
     * @param vectors whether to compute the eigenvectors
     * @return the eigenvalues in increasing order
     */
    static double[] syevd(double[] a, int n, boolean vectors) {
        ensureLoaded();
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        threadsFor(n);
        int info = openblas.LAPACKE_dsyevd(COL_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'L', n, a, n, w);
        if (info < 0) {
            throw new IllegalStateException("dsyevd: argument " + (-info) + " invalid");
        }
        if (info > 0) {
            throw new NumericalFailureException("the symmetric eigen-decomposition (LAPACK dsyevd) of a " + n + "×" + n
                    + " matrix did not converge (info " + info + ")");
        }
        return w;
    }

    /** @return bytes of an r × c double matrix */
    static long bytes(long r, long c) {
        return 8L * r * c;
    }

    /**
     * Refuses up front a dense N×N computation on n training inputs needing {@code bytes} of heap
     * (or more entries than a Java array holds), pointing to the matrix-free solver.
     */
    static void requireDense(long n, long bytes) {
        if (n * n > Integer.MAX_VALUE - 8 || !io.github.ntk4j.internal.MemoryCheck.fits(bytes)) {
            throw Messages.denseTooLarge(n, bytes, io.github.ntk4j.internal.MemoryCheck.available());
        }
    }

    /** Refuses a matrix whose element count does not fit a Java array. */
    static void checkSize(String what, long rows, long cols) {
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw Messages.invalid(what + " would have " + rows + "×" + cols + " entries, more than a Java array holds");
        }
    }
}
