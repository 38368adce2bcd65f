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

    /** LᵀL in place of a lower-triangular L (dlauum), the upper triangle filled by symmetry; see {@link Lapack#lauumLower}. */
    static void lauumLower(double[] a, int n) {
        if (n == 0) {
            return;
        }
        threadsFor((double) n * n * n / 3);
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
     * Sets OpenBLAS's thread count for a call of about {@code flops} floating-point operations:
     * one thread below {@link #PARALLEL_FLOPS}, else all of them (OPENBLAS_NUM_THREADS or the
     * processors). Why: small calls (the conjugate-gradient steps of FALKON, a triangular solve
     * with one right-hand side) are not worth waking OpenBLAS's threads, which then spin beside
     * the Java workers: the 150-row iris classification took 53 s with two threads and 11 s with
     * one (shared 2-core machine, load 7–10, 2026-12-07). The count depends on the call's size
     * only, never on the machine's load, so a run's numbers do not depend on what else runs (a
     * rule by load average was tried and dropped: after a busy minute it chose one thread on
     * an idle machine, and `predict --time inf` took 1.89 s instead of 1.35 s in bench_ab.py).
     * Checked: predictions at N = 2,500 are bit-identical with one and two threads.
     */
    private static synchronized void threadsFor(double flops) {
        int want = flops < PARALLEL_FLOPS ? 1 : maxThreads;
        if (want != threads) {
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(want);
            threads = want;
        }
    }

    /** Below this many operations a call runs on one thread: a Cholesky factorisation of order 1000. */
    static final double PARALLEL_FLOPS = 1e9 / 3;

    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[Math.multiplyExact(m, n)];
        if (m == 0 || n == 0 || k == 0) {
            return c;
        }
        threadsFor(2.0 * m * n * k);
        openblas.cblas_dgemm(openblas.CblasColMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1.0, a, transA ? k : m, b, transB ? n : k,
                0.0, c, m);
        return c;
    }

    /** C += A Aᵀ (lower triangle) into an off-heap m×m C; A m×b column-major, its first m·b entries. */
    static void syrkLowerAdd(Object c, double[] a, int m, int b) {
        threadsFor((double) m * m * b);
        long len = (long) m * b;
        try (DoublePointer pa = new DoublePointer(len)) {
            pa.put(a, 0, Math.toIntExact(len));
            openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasLower, openblas.CblasNoTrans, m, b, 1.0, pa, m, 1.0,
                    (DoublePointer) c, m);
        }
    }

    /** As {@link #syrkLowerAdd(Object, double[], int, int)}, A's columns the first b of {@code rows}. */
    static void syrkLowerAdd(Object c, double[][] rows, int m, int b) {
        threadsFor((double) m * m * b);
        try (DoublePointer pa = new DoublePointer((long) m * b)) {
            for (int i = 0; i < b; i++) {
                pa.position((long) i * m).put(rows[i], 0, m);
            }
            pa.position(0);
            openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasLower, openblas.CblasNoTrans, m, b, 1.0, pa, m, 1.0,
                    (DoublePointer) c, m);
        }
    }

    /** @return n zeros off the Java heap */
    static Object zeros(long n) {
        DoublePointer p = new DoublePointer(n);
        p.zero();
        return p;
    }

    /** Frees what {@link #zeros} or {@link #offHeap} allocated. */
    static void free(Object p) {
        ((DoublePointer) p).close();
    }

    static boolean potrf(double[] a, int n) {
        threadsFor((double) n * n * n / 3);
        int info = openblas.LAPACKE_dpotrf(COL_MAJOR, (byte) 'L', n, a, Math.max(1, n));
        if (info < 0) {
            throw new IllegalStateException("dpotrf: argument " + (-info) + " invalid");
        }
        return info == 0;
    }

    static double condition(Object l, int n, double norm1) {
        threadsFor(10.0 * n * n);
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
        threadsFor((double) n * n * k);
        try (DoublePointer pb = new DoublePointer(b)) {
            openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                    transposed ? openblas.CblasTrans : openblas.CblasNoTrans, openblas.CblasNonUnit, n, k, 1.0,
                    (DoublePointer) l, n, pb, n);
            pb.get(b);
        }
    }

    static void potrs(Object l, int n, double[] b, int k) {
        threadsFor(2.0 * n * n * k);
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
        threadsFor(2.0 * m * m * k);
        try (DoublePointer pb = new DoublePointer(b); DoublePointer pc = new DoublePointer((long) m * k)) {
            openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, k, m, 1.0,
                    (DoublePointer) a, m, pb, m, 0.0, pc, m);
            pc.get(c);
        }
        return c;
    }

    static double[] syevd(double[] a, int n, boolean vectors) {
        double[] w = new double[n];
        threadsFor(vectors ? 9.0 * n * n * n : 4.0 * n * n * n / 3);
        // eigenvalues only: the two-stage tridiagonal reduction (LAPACK 3.7+), whose first stage is
        // matrix-matrix work; measured at n = 4000, one thread, load 10: 9.5–10.1 s against dsyevd's
        // 15.9–18.2 s, eigenvalues equal to 4e-14 of the largest. LAPACK has no two-stage routine
        // with eigenvectors.
        int info = vectors ? openblas.LAPACKE_dsyevd(COL_MAJOR, (byte) 'V', (byte) 'L', n, a, n, w)
                : openblas.LAPACKE_dsyevd_2stage(COL_MAJOR, (byte) 'N', (byte) 'L', n, a, n, w);
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
