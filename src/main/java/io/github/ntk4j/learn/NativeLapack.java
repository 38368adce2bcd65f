package io.github.ntk4j.learn;

import io.github.ntk4j.NumericalFailureException;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * {@link Lapack}'s native implementation: OpenBLAS 0.3.31 (with its LAPACK) through the JavaCPP
 * presets. The only class of ntk4j that names a JavaCPP or OpenBLAS class; it is loaded only
 * after {@link Lapack} has found those classes on the class path, so that the library runs
 * without them (on {@link JavaLapack}).
 *
 * <p>Why native: at n = 4000 on the 2-core development machine the Cholesky factorisation takes
 * 0.4 s here against 12 s in EJML, and the divide-and-conquer eigensolver (dsyevd) 4.5 s against
 * more than 100 s for EJML's QR algorithm (docs/LEARNING.md §7); numpy and scipy use the same
 * OpenBLAS, so the benchmark against them compares like with like.
 */
final class NativeLapack {
    private static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;
    private static int maxThreads;
    private static int threads;

    private NativeLapack() {
    }

    /**
     * Loads the native library.
     *
     * @throws UnsatisfiedLinkError or a RuntimeException when the natives for this platform are absent
     */
    static synchronized void load() {
        Loader.load(openblas.class);
        maxThreads = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
        threads = maxThreads;
    }

    /**
     * Sets OpenBLAS's thread count for a problem of order n: one thread below
     * {@link Lapack#PARALLEL_ORDER}, all of them (OPENBLAS_NUM_THREADS or the processors) above. Why:
     * OpenBLAS starts its threads for every LAPACK call however small, and on the shared 2-core
     * machine under load the hand-offs cost more than the work: the 5-fold classification of the
     * 150-row iris data took 53 s with two threads and 11 s with one (its matrices are 150 × 150
     * and smaller); above n ≈ 1000 the second core pays.
     */
    private static synchronized void threadsFor(long n) {
        int want = n < Lapack.PARALLEL_ORDER ? 1 : maxThreads;
        if (want != threads) {
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(want);
            threads = want;
        }
    }

    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b) {
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

    static boolean potrf(double[] a, int n) {
        threadsFor(n);
        int info = openblas.LAPACKE_dpotrf(COL_MAJOR, (byte) 'L', n, a, Math.max(1, n));
        if (info < 0) {
            throw new IllegalStateException("dpotrf: argument " + (-info) + " invalid");
        }
        return info == 0;
    }

    static double condition(Object l, int n, double norm1) {
        threadsFor(n);
        try (DoublePointer rcond = new DoublePointer(1)) {
            int info = openblas.LAPACKE_dpocon(COL_MAJOR, (byte) 'L', n, (DoublePointer) l, n, norm1, rcond);
            if (info != 0) {
                throw new IllegalStateException("dpocon: info " + info);
            }
            double r = rcond.get(0);
            return r > 0 ? 1 / r : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * @return a copy outside the Java heap. Why: JNI hands a {@code double[]} to native code by
     *         copying it in and out on every call; an n×n factor used by several solves (128 MB at
     *         n = 4000) is cheaper kept where LAPACK reads it directly.
     */
    static Object offHeap(double[] a) {
        return new DoublePointer(a);
    }

    static double get(Object p, long i) {
        return ((DoublePointer) p).get(i);
    }

    static void copyOut(Object p, double[] out) {
        ((DoublePointer) p).get(out);
    }

    static void trsmLower(Object l, int n, double[] b, int k, boolean transposed) {
        threadsFor(n);
        try (DoublePointer pb = new DoublePointer(b)) {
            openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                    transposed ? openblas.CblasTrans : openblas.CblasNoTrans, openblas.CblasNonUnit, n, k, 1.0,
                    (DoublePointer) l, n, pb, n);
            pb.get(b);
        }
    }

    static void potrs(Object l, int n, double[] b, int k) {
        threadsFor(n);
        try (DoublePointer pb = new DoublePointer(b)) {
            int info = openblas.LAPACKE_dpotrs(COL_MAJOR, (byte) 'L', n, k, (DoublePointer) l, n, pb, n);
            if (info != 0) {
                throw new IllegalStateException("dpotrs: info " + info);
            }
            pb.get(b);
        }
    }

    static double[] gemm(Object a, int m, double[] b, int k) {
        double[] c = new double[Math.multiplyExact(m, k)];
        threadsFor(m);
        try (DoublePointer pb = new DoublePointer(b); DoublePointer pc = new DoublePointer((long) m * k)) {
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, k, m, 1.0,
                    (DoublePointer) a, m, pb, m, 0.0, pc, m);
            pc.get(c);
        }
        return c;
    }

    static double[] syevd(double[] a, int n, boolean vectors) {
        double[] w = new double[n];
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
}
