package io.github.ntk4j.learn;

import io.github.ntk4j.NumericalFailureException;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * {@link Lapack}'s native implementation: OpenBLAS 0.3.31 (with its LAPACK) through the JavaCPP
 * presets. The only class of ntk4j that names a JavaCPP or OpenBLAS class; it is loaded only
 * after {@link Lapack} has found those classes on the class path, so that the library runs
 * without them (on {@link JavaLapack}).
 *
 * <p>Why native: at n = 2000 on one thread the Cholesky factorisation is 2.3 times faster than
 * EJML's, the eigenproblem 6–7 times and products 12 times (docs/LEARNING.md §7); numpy and scipy use the same
 * OpenBLAS, so the benchmark against them compares like with like.
 *
 * <p><b>Threads.</b> OpenBLAS runs on one thread in every call but the eigen paths' steps that
 * cannot be split into independent parts (see {@link #setBlasThreads}); the parallelism is ntk4j's own:
 * a large call is split into independent parts (column blocks of the right-hand sides or of the
 * product, the trailing update of a blocked Cholesky factorisation, the back-transformation of the
 * eigenvectors), each a one-thread OpenBLAS call, run on as many Java threads as OpenBLAS would
 * have used (OPENBLAS_NUM_THREADS, or the processors), which wait for each other by blocking.
 * Why: OpenBLAS 0.3.31 as built for the JavaCPP presets synchronises its own threads by spinning
 * in user space (exec_blas_async_wait and its worker loop), so on a machine with other work a
 * waiting thread burns the core that the thread it waits for needs. Measured with perf on the
 * 2-core machine at load 7–13 (2026-12-07): `predict --time inf` at N = 4,000 spent 30% of its
 * CPU spinning, `--time 1` 47% and FALKON at N = 20,000 27% (its 2,000×2,000 Cholesky factor took
 * 8 s of spinning); the Cholesky factorisation of order 4,000 alone took 7.3–9.8 s wall and
 * 1.7–2.0 s CPU with OpenBLAS's two threads against 2.1–3.1 s wall and 0.53–0.58 s CPU split here
 * (load 12–14; factors equal to 4e-14).
 */
final class NativeLapack {
    private static final int COL_MAJOR = openblas.LAPACK_COL_MAJOR;
    /** Java threads for the split calls: OpenBLAS's own thread count when loaded */
    private static int parallelism = 1;

    /** Below this many operations a call runs unsplit on the caller's thread: a Cholesky factorisation of order 1000. */
    static final double PARALLEL_FLOPS = 1e9 / 3;
    /** {@link #PARALLEL_FLOPS} unless a test asks for splitting small calls */
    private static double splitFlops = PARALLEL_FLOPS;

    /** Block order of the blocked Cholesky factorisation. */
    private static final int BLOCK = 256;

    private NativeLapack() {
    }

    /**
     * Loads the native library and sets OpenBLAS to one thread.
     *
     * @throws UnsatisfiedLinkError or a RuntimeException when the natives for this platform are absent
     */
    static synchronized void load() {
        Loader.load(openblas.class);
        int p = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads(); // -1 with these presets
        parallelism = p >= 1 ? p : threadsFromEnvironment();
        setBlasThreads(1);
    }

    /**
     * @return the thread count OpenBLAS itself would take: OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS
     *         or OMP_NUM_THREADS (the first set to a positive number), else the processors
     */
    private static int threadsFromEnvironment() {
        for (String name : new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
            String v = System.getenv(name);
            if (v != null) {
                try {
                    int t = Integer.parseInt(v.strip());
                    if (t >= 1) {
                        return Math.min(t, Runtime.getRuntime().availableProcessors());
                    }
                } catch (NumberFormatException e) {
                    // not a number: OpenBLAS ignores it too
                }
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * For tests: splits every call of at least {@code minFlops} operations into {@code threads}
     * parts (so that small matrices take the split paths on any machine).
     *
     * @return the previous settings, for {@link #restore}
     */
    static synchronized double[] splitForTests(int threads, double minFlops) {
        double[] old = {parallelism, splitFlops};
        parallelism = threads;
        splitFlops = minFlops;
        return old;
    }

    /** Restores what {@link #splitForTests} returned. */
    static synchronized void restore(double[] settings) {
        parallelism = (int) settings[0];
        splitFlops = settings[1];
    }

    /** @return how many parts a call of about {@code flops} operations is split into, at most {@code max} */
    private static int parts(double flops, int max) {
        return flops < splitFlops ? 1 : Math.max(1, Math.min(parallelism, max));
    }

    /**
     * Runs body(0 … parts − 1): part 0 on the caller's thread, the others on {@link #pool}'s.
     * Why kept threads: OpenBLAS keeps a work buffer per calling thread, and fresh threads for
     * every call grew FALKON's peak memory at N = 20,000 from 546 to 709 MB.
     */
    private static void inParallel(int parts, IntConsumer body) {
        if (parts <= 1) {
            body.accept(0);
            return;
        }
        java.util.concurrent.ExecutorService threads = pool(parts - 1);
        java.util.List<java.util.concurrent.Future<?>> others = new java.util.ArrayList<>(parts - 1);
        for (int t = 1; t < parts; t++) {
            int part = t;
            others.add(threads.submit(() -> body.accept(part)));
        }
        Throwable failure = null;
        try {
            body.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (java.util.concurrent.Future<?> f : others) {
            while (true) { // every part ends before the caller goes on: they write into its buffers
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static java.util.concurrent.ThreadPoolExecutor pool;

    /** @return the kept daemon threads of the split calls, at least {@code size} of them */
    private static synchronized java.util.concurrent.ExecutorService pool(int size) {
        if (pool == null) {
            pool = (java.util.concurrent.ThreadPoolExecutor) java.util.concurrent.Executors.newFixedThreadPool(size, r -> {
                Thread t = new Thread(r, "ntk4j-lapack");
                t.setDaemon(true);
                return t;
            });
        } else if (pool.getMaximumPoolSize() < size) {
            pool.setMaximumPoolSize(size);
            pool.setCorePoolSize(size);
        }
        return pool;
    }

    /** @return the start of part t of [0, n) cut into the given number of near-equal parts */
    private static int cut(int t, int parts, int n) {
        return (int) ((long) n * t / parts);
    }

    /** @return a view of p starting {@code offset} doubles further (shares p's memory; frees nothing) */
    private static DoublePointer at(DoublePointer p, long offset) {
        return new DoublePointer(p).position(p.position() + offset);
    }

    /** LᵀL in place of a lower-triangular L (dlauum), the upper triangle filled by symmetry; see {@link Lapack#lauumLower}. */
    static void lauumLower(double[] a, int n) {
        if (n == 0) {
            return;
        }
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

    static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[Math.multiplyExact(m, n)];
        if (m == 0 || n == 0 || k == 0) {
            return c;
        }
        int parts = parts(2.0 * m * n * k, Math.max(m, n));
        if (parts == 1) {
            openblas.cblas_dgemm(openblas.CblasColMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                    transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1.0, a, transA ? k : m, b, transB ? n : k,
                    0.0, c, m);
            return c;
        }
        try (DoublePointer pa = new DoublePointer(a); DoublePointer pb = new DoublePointer(b);
                DoublePointer pc = new DoublePointer((long) m * n)) {
            gemmSplit(transA, transB, m, n, k, pa, pb, pc, parts);
            pc.get(c);
        }
        return c;
    }

    /** C = op(A) op(B) (C m×n, ld m), split by columns of C (or by rows when C has fewer columns than rows). */
    private static void gemmSplit(boolean transA, boolean transB, int m, int n, int k, DoublePointer a, DoublePointer b,
            DoublePointer c, int parts) {
        int lda = transA ? k : m;
        int ldb = transB ? n : k;
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        boolean byColumns = n >= m;
        inParallel(parts, t -> {
            if (byColumns) {
                int j0 = cut(t, parts, n);
                int j1 = cut(t + 1, parts, n);
                if (j1 > j0) { // columns j0… of op(B): columns of B, or rows of Bᵀ
                    openblas.cblas_dgemm(openblas.CblasColMajor, ta, tb, m, j1 - j0, k, 1.0, a, lda,
                            at(b, transB ? j0 : (long) j0 * k), ldb, 0.0, at(c, (long) j0 * m), m);
                }
            } else {
                int i0 = cut(t, parts, m);
                int i1 = cut(t + 1, parts, m);
                if (i1 > i0) { // rows i0… of op(A): rows of A, or columns of Aᵀ
                    openblas.cblas_dgemm(openblas.CblasColMajor, ta, tb, i1 - i0, n, k, 1.0,
                            at(a, transA ? (long) i0 * k : i0), lda, b, ldb, 0.0, at(c, i0), m);
                }
            }
        });
    }

    /** C += A Aᵀ (lower triangle) into an off-heap m×m C; A m×b column-major, its first m·b entries. */
    static void syrkLowerAdd(Object c, double[] a, int m, int b) {
        long len = (long) m * b;
        try (DoublePointer pa = new DoublePointer(len)) {
            pa.put(a, 0, Math.toIntExact(len));
            syrkLowerAdd((DoublePointer) c, m, m, pa, m, b, 1.0);
        }
    }

    /** As {@link #syrkLowerAdd(Object, double[], int, int)}, A's columns the first b of {@code rows}. */
    static void syrkLowerAdd(Object c, double[][] rows, int m, int b) {
        try (DoublePointer pa = new DoublePointer((long) m * b)) {
            for (int i = 0; i < b; i++) {
                pa.position((long) i * m).put(rows[i], 0, m);
            }
            pa.position(0);
            syrkLowerAdd((DoublePointer) c, m, m, pa, m, b, 1.0);
        }
    }

    /**
     * C += alpha A Aᵀ on the lower triangle of the r×r C (leading dimension ldc), A r×b (leading
     * dimension lda), split by column blocks of C of equal area (dsyrk on the diagonal block, dgemm
     * below it).
     */
    private static void syrkLowerAdd(DoublePointer c, int r, int ldc, DoublePointer a, int lda, int b, double alpha) {
        int parts = parts((double) r * r * b, r);
        if (parts == 1) {
            openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasLower, openblas.CblasNoTrans, r, b, alpha, a, lda, 1.0,
                    c, ldc);
            return;
        }
        int[] cuts = areaCuts(r, parts);
        inParallel(parts, t -> {
            int s = cuts[t];
            int e = cuts[t + 1];
            if (e <= s) {
                return;
            }
            openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasLower, openblas.CblasNoTrans, e - s, b, alpha,
                    at(a, s), lda, 1.0, at(c, (long) s * ldc + s), ldc);
            if (e < r) {
                openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasTrans, r - e, e - s, b, alpha,
                        at(a, e), lda, at(a, s), lda, 1.0, at(c, (long) s * ldc + e), ldc);
            }
        });
    }

    /** @return column cuts 0 = c_0 ≤ … ≤ c_parts = r splitting the lower triangle of an r×r matrix into equal areas */
    private static int[] areaCuts(int r, int parts) {
        int[] cuts = new int[parts + 1];
        cuts[parts] = r;
        double total = (double) r * (r + 1) / 2;
        double area = 0;
        int p = 1;
        for (int col = 0; col < r && p < parts; col++) {
            area += r - col;
            while (p < parts && area >= total * p / parts) {
                cuts[p++] = col + 1;
            }
        }
        while (p < parts) {
            cuts[p++] = r;
        }
        return cuts;
    }

    /**
     * @return C = A B for the symmetric m×m A off the heap (its lower triangle read) and the m×k
     *         column-major B: dsymv for one column, dsymm otherwise, on the caller's thread (a pass
     *         over A bound by memory, not worth splitting at k = 1)
     */
    static double[] symmLower(Object a, int m, double[] b, int k) {
        return symm((DoublePointer) a, m, b, k, openblas.CblasLower);
    }

    private static double[] symm(DoublePointer a, int m, double[] b, int k, int uplo) {
        double[] c = new double[Math.multiplyExact(m, k)];
        if (m == 0 || k == 0) {
            return c;
        }
        try (DoublePointer pb = new DoublePointer(b); DoublePointer pc = new DoublePointer((long) m * k)) {
            if (k == 1) {
                openblas.cblas_dsymv(openblas.CblasColMajor, uplo, m, 1.0, a, m, pb, 1, 0.0, pc, 1);
            } else {
                openblas.cblas_dsymm(openblas.CblasColMajor, openblas.CblasLeft, uplo, m, k, 1.0, a, m, pb, m, 0.0, pc, m);
            }
            pc.get(c);
        }
        return c;
    }

    /**
     * Moves the symmetric m×m matrix at p from its lower triangle to its strict upper one and
     * returns its diagonal, so that the lower triangle and the diagonal are free for a factor
     * ({@link #factorPlusInPlace}).
     */
    static double[] lowerToUpper(Object p, int m) {
        DoublePointer a = (DoublePointer) p;
        double[] diag = new double[m];
        for (int j = 0; j < m; j++) {
            diag[j] = a.get((long) j * m + j);
            if (j < m - 1) { // column j below the diagonal into row j right of it
                openblas.cblas_dcopy(m - j - 1, at(a, (long) j * m + j + 1), 1, at(a, (long) (j + 1) * m + j), m);
            }
        }
        return diag;
    }

    /**
     * The Cholesky factor of H + alpha·G in the lower triangle of p, where H is in p's strict upper
     * triangle and {@code hDiag} ({@link #lowerToUpper}) and G on the heap (its lower triangle
     * read): each column G's, scaled (dscal), plus H's row (daxpy), then factored in place; H is not
     * changed. norm1[0] receives the 1-norm of H + alpha·G (dlansy). The same roundings as
     * fl(alpha·g) + h per entry of a separate sum.
     *
     * @return whether H + alpha·G is (numerically) positive definite
     */
    static boolean factorPlusInPlace(Object p, int m, double[] hDiag, double alpha, double[] g, double[] norm1) {
        DoublePointer a = (DoublePointer) p;
        for (int j = 0; j < m; j++) {
            long d = (long) j * m + j;
            a.position(d).put(g, (int) d, m - j);
            a.position(0);
            openblas.cblas_dscal(m - j, alpha, at(a, d), 1);
            a.put(d, a.get(d) + hDiag[j]);
            if (j < m - 1) {
                openblas.cblas_daxpy(m - j - 1, 1.0, at(a, (long) (j + 1) * m + j), m, at(a, d + 1), 1);
            }
        }
        norm1[0] = openblas.LAPACKE_dlansy(COL_MAJOR, (byte) '1', (byte) 'L', m, a, m);
        return potrfInPlace(a, m);
    }

    /**
     * C = H B for H in the strict upper triangle of p and {@code hDiag}, while the diagonal holds
     * another matrix's (a factor's): H's diagonal put in for one dsymv/dsymm of the upper triangle
     * and the other put back.
     */
    static double[] symmUpper(Object p, int m, double[] hDiag, double[] b, int k) {
        DoublePointer a = (DoublePointer) p;
        double[] kept = new double[m];
        for (int j = 0; j < m; j++) {
            long d = (long) j * m + j;
            kept[j] = a.get(d);
            a.put(d, hDiag[j]);
        }
        try {
            return symm(a, m, b, k, openblas.CblasUpper);
        } finally {
            for (int j = 0; j < m; j++) {
                a.put((long) j * m + j, kept[j]);
            }
        }
    }

    /** @return n zeros off the Java heap */
    static Object zeros(long n) {
        DoublePointer p = new DoublePointer(n);
        p.zero();
        return p;
    }

    /** Frees what {@link #zeros}, {@link #offHeap} or {@link #cholesky} allocated. */
    static void free(Object p) {
        ((DoublePointer) p).close();
    }

    /**
     * The Cholesky factor of the n×n column-major a (its lower triangle read; a itself is not
     * changed), off the Java heap: blocked right-looking factorisation (order {@value #BLOCK}
     * diagonal blocks by dpotrf, the panel by dtrsm, the trailing update by dsyrk/dgemm, split).
     *
     * @return the factor (lower triangle; the strict upper one is a's), or null when a is not
     *         (numerically) positive definite
     */
    static Object cholesky(double[] a, int n) {
        return choleskyOf(new DoublePointer(a), n);
    }

    private static Object choleskyOf(DoublePointer p, int n) {
        if (!potrfInPlace(p, n)) {
            p.close();
            return null;
        }
        return p;
    }

    /** dpotrf (lower) of the n×n matrix at p, leading dimension n; false when not positive definite. */
    private static boolean potrfInPlace(DoublePointer p, int n) {
        if (parts((double) n * n * n / 3, n) == 1 || n <= 2 * BLOCK && splitFlops == PARALLEL_FLOPS) {
            return potrfBlock(p, n, n);
        }
        for (int k = 0; k < n; k += BLOCK) {
            int b = Math.min(BLOCK, n - k);
            DoublePointer diag = at(p, (long) k * n + k);
            if (!potrfBlock(diag, b, n)) {
                return false;
            }
            int r = n - k - b;
            if (r == 0) {
                break;
            }
            // panel: A21 ← A21 L11⁻ᵀ, split by rows
            DoublePointer panel = at(p, (long) k * n + k + b);
            int parts = parts((double) r * b * b, r);
            inParallel(parts, t -> {
                int i0 = cut(t, parts, r);
                int i1 = cut(t + 1, parts, r);
                if (i1 > i0) {
                    openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasRight, openblas.CblasLower,
                            openblas.CblasTrans, openblas.CblasNonUnit, i1 - i0, b, 1.0, diag, n, at(panel, i0), n);
                }
            });
            // trailing update: A22 ← A22 − A21 A21ᵀ (lower triangle)
            syrkLowerAdd(at(p, (long) (k + b) * n + k + b), r, n, panel, n, b, -1.0);
        }
        return true;
    }

    private static boolean potrfBlock(DoublePointer a, int b, int lda) {
        int info = openblas.LAPACKE_dpotrf(COL_MAJOR, (byte) 'L', b, a, lda);
        if (info < 0) {
            throw new IllegalStateException("dpotrf: argument " + (-info) + " invalid");
        }
        return info == 0;
    }

    static double condition(Object l, int n, double norm1) {
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
        int parts = parts((double) n * n * k, k);
        try (DoublePointer pb = new DoublePointer(b)) {
            inParallel(parts, t -> {
                int j0 = cut(t, parts, k);
                int j1 = cut(t + 1, parts, k);
                if (j1 > j0) {
                    openblas.cblas_dtrsm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasLower,
                            transposed ? openblas.CblasTrans : openblas.CblasNoTrans, openblas.CblasNonUnit, n, j1 - j0, 1.0,
                            (DoublePointer) l, n, at(pb, (long) j0 * n), n);
                }
            });
            pb.get(b);
        }
    }

    static void potrs(Object l, int n, double[] b, int k) {
        int parts = parts(2.0 * n * n * k, k);
        try (DoublePointer pb = new DoublePointer(b)) {
            inParallel(parts, t -> {
                int j0 = cut(t, parts, k);
                int j1 = cut(t + 1, parts, k);
                if (j1 > j0) {
                    int info = openblas.LAPACKE_dpotrs(COL_MAJOR, (byte) 'L', n, j1 - j0, (DoublePointer) l, n,
                            at(pb, (long) j0 * n), n);
                    if (info != 0) {
                        throw new IllegalStateException("dpotrs: info " + info);
                    }
                }
            });
            pb.get(b);
        }
    }

    static double[] gemm(Object a, int m, double[] b, int k) {
        double[] c = new double[Math.multiplyExact(m, k)];
        int parts = parts(2.0 * m * m * k, Math.max(m, k));
        try (DoublePointer pb = new DoublePointer(b); DoublePointer pc = new DoublePointer((long) m * k)) {
            gemmSplit(false, false, m, k, m, (DoublePointer) a, pb, pc, parts);
            pc.get(c);
        }
        return c;
    }

    /**
     * Symmetric eigenvalues, and eigenvectors when asked (written into a). With vectors: the
     * steps of LAPACK's dsyevd made here (Householder tridiagonalisation dsytrd, divide and conquer
     * dstedc on the tridiagonal matrix, back-transformation dormtr), so that the back-transformation,
     * 2n³ of about 4n³ operations, is split by columns of the eigenvector matrix. Eigenvalues only:
     * the two-stage tridiagonal reduction (LAPACK 3.7+), whose first stage is matrix-matrix work;
     * measured at n = 4000, one thread, load 10: 9.5–10.1 s against dsyevd's 15.9–18.2 s,
     * eigenvalues equal to 4e-14 of the largest.
     */
    static double[] syevd(double[] a, int n, boolean vectors) {
        double[] w = new double[n];
        if (!vectors) {
            int info;
            setBlasThreads(parts(4.0 / 3 * n * n * n, n));
            try {
                info = openblas.LAPACKE_dsyevd_2stage(COL_MAJOR, (byte) 'N', (byte) 'L', n, a, n, w);
            } finally {
                setBlasThreads(1);
            }
            check(info, n);
            return w;
        }
        eigenvectors(a, n, w, true);
        return w;
    }

    /**
     * The eigenvectors of the n×n column-major a, as {@link #syevd} makes them, in place of a or
     * in a new array (a not changed). The new array is allocated once the working copy of a is
     * freed, so that the decomposition holds at most three n×n arrays besides a (the copy being
     * reduced, the tridiagonal eigenvectors and dstedc's workspace): at n = 4000, 128 MB less
     * than a copy of a handed to dsyevd.
     *
     * @param w receives the eigenvalues, increasing
     * @return the eigenvectors (a itself when {@code inPlace})
     */
    static double[] eigenvectors(double[] a, int n, double[] w, boolean inPlace) {
        return eigenvectors(new DoublePointer(a), n, w, inPlace ? a : null);
    }

    /** @param copy the working copy, freed here; @param target the vectors' array, or null for a new one */
    private static double[] eigenvectors(DoublePointer copy, int n, double[] w, double[] target) {
        DoublePointer z = new DoublePointer((long) n * n);
        try {
            try (DoublePointer pa = copy; DoublePointer pw = new DoublePointer(n);
                    DoublePointer pe = new DoublePointer(Math.max(1, n - 1)); DoublePointer ptau = new DoublePointer(Math.max(1, n - 1))) {
                int info;
                int stedc;
                setBlasThreads(parts(4.0 / 3 * n * n * n, n));
                try {
                    info = openblas.LAPACKE_dsytrd(COL_MAJOR, (byte) 'L', n, pa, n, pw, pe, ptau);
                    stedc = info != 0 ? 0 : openblas.LAPACKE_dstedc(COL_MAJOR, (byte) 'I', n, pw, pe, z, n);
                } finally {
                    setBlasThreads(1);
                }
                if (info != 0) {
                    throw new IllegalStateException("dsytrd: info " + info);
                }
                check(stedc, n);
                pw.get(w);
                int parts = parts(2.0 * n * n * n, n);
                if (parts > 1) {
                    // the parts share the reflectors, and LAPACK's reflector routines write each
                    // reflector's implicit leading 1 into its place (the subdiagonal, which holds
                    // the tridiagonal's off-diagonal, already copied out) while they apply it, then
                    // put the stored value back: a part could read another's 1 or its restored
                    // value (measured at n = 151 on three parts: 9 of 300 calls gave wrong vectors).
                    // With the 1s written here first, every write is of the value already there.
                    for (long j = 0; j + 1 < n; j++) {
                        pa.put(j * n + j + 1, 1.0);
                    }
                }
                inParallel(parts, t -> {
                    int j0 = cut(t, parts, n);
                    int j1 = cut(t + 1, parts, n);
                    if (j1 > j0) {
                        int i = openblas.LAPACKE_dormtr(COL_MAJOR, (byte) 'L', (byte) 'L', (byte) 'N', n, j1 - j0, pa, n, ptau,
                                at(z, (long) j0 * n), n);
                        if (i != 0) {
                            throw new IllegalStateException("dormtr: info " + i);
                        }
                    }
                });
            }
            double[] v = target != null ? target : new double[Math.multiplyExact(n, n)];
            z.get(v);
            return v;
        } finally {
            z.close();
        }
    }

    /**
     * OpenBLAS's own thread count for the calls that cannot be split into independent parts here
     * (the tridiagonal reduction, the tridiagonal eigensolver): on one thread they made {@code
     * predict --time 1} and {@code spectrum} at N = 4,000 25–30% slower in wall time on a quiet
     * machine (bench_whole.py, load 2: 14.5 s against 10.9 s, 5.6 s against 4.5 s); with OpenBLAS's
     * threads they spin under load (the class comment) but use both cores when they are free.
     * Synchronised with the other callers of this class's thread settings.
     */
    private static synchronized void setBlasThreads(int threads) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(threads);
    }

    private static void check(int info, int n) {
        if (info < 0) {
            throw new IllegalStateException("dsyevd: argument " + (-info) + " invalid");
        }
        if (info > 0) {
            throw new NumericalFailureException("the symmetric eigen-decomposition (LAPACK dsyevd) of a " + n + "×" + n
                    + " matrix did not converge (info " + info + ")");
        }
    }
}
