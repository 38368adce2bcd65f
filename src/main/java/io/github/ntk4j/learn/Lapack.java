package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;

/**
 * The few BLAS/LAPACK routines of the learn package. Matrices are dense {@code double[]} in
 * column-major order (Fortran's), leading dimension = row count; a symmetric matrix stored
 * row-major is the same array.
 *
 * <p>Two implementations behind one set of calls: {@link NativeLapack} (OpenBLAS 0.3.31 with its
 * LAPACK through the JavaCPP presets, when {@code org.bytedeco:openblas} and natives for this
 * platform are on the class path) and {@link JavaLapack} (EJML, pure Java) otherwise, or when the
 * system property {@value LinearAlgebra#PROPERTY}{@code =java} asks for it (read on every call,
 * so a test can compare the two). Choosing the pure-Java one because natives are missing is said
 * once, through {@link LinearAlgebra#setNotice}.
 */
final class Lapack {
    /** Below this order the pure-Java routines run on one thread (JavaLapack). */
    static final int PARALLEL_ORDER = 1000;

    private Lapack() {
    }

    /** Whether OpenBLAS loaded, decided once on first use: null when it did, otherwise why not. */
    private static final class Natives {
        static final String PROBLEM = probe();

        private static String probe() {
            try {
                Class.forName("org.bytedeco.openblas.global.openblas", false, Lapack.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return "org.bytedeco:openblas is not on the class path";
            }
            try {
                NativeLapack.load();
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "no OpenBLAS natives for " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + " on the class path";
            }
        }
    }

    /** @return whether the next call runs natively; announces the fallback once when it does not */
    static boolean useNative() {
        if ("java".equalsIgnoreCase(System.getProperty(LinearAlgebra.PROPERTY))) {
            return false;
        }
        String problem = Natives.PROBLEM;
        if (problem != null) {
            LinearAlgebra.announceFallback(problem);
            return false;
        }
        return true;
    }

    /** @return why the natives are not used (null when they are loaded), probing once */
    static String nativeProblem() {
        return Natives.PROBLEM;
    }

    /**
     * A matrix kept for repeated use (a Cholesky factor, a kernel matrix): off the Java heap for the
     * native routines (see NativeLapack.offHeap), a plain array for the Java ones. Its routines are
     * those of the implementation that made it.
     */
    static final class Stored {
        /** a DoublePointer (native) or null */
        private final Object pointer;
        private final JavaLapack.Stored array;

        private Stored(Object pointer, JavaLapack.Stored array) {
            this.pointer = pointer;
            this.array = array;
        }

        /** @return entry i of the column-major array */
        double get(long i) {
            return pointer != null ? NativeLapack.get(pointer, i) : array.colMajor[(int) i];
        }

        /** Copies the column-major array into out. */
        void copyTo(double[] out) {
            if (pointer != null) {
                NativeLapack.copyOut(pointer, out);
            } else {
                System.arraycopy(array.colMajor, 0, out, 0, out.length);
            }
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
        return useNative() ? NativeLapack.gemm(transA, transB, m, n, k, a, b) : JavaLapack.gemm(transA, transB, m, n, k, a, b);
    }

    /**
     * A sum of Gram matrices A Aᵀ (m×m, lower triangle), accumulated by BLAS dsyrk (m²b flops
     * for an m×b A, against 2m²b for dgemm): off the Java heap for the native routine, so that
     * each addition copies only A through JNI, not the sum.
     */
    static final class GramSum implements AutoCloseable {
        private final int m;
        /** a DoublePointer (native) or null */
        private final Object pointer;
        private final double[] array;
        /**
         * Null while the sum H is in the lower triangle; after {@link #choleskyPlus}, H's diagonal,
         * H's off-diagonal entries being in the strict upper triangle and the lower one holding a factor.
         */
        private double[] hDiag;

        GramSum(int m) {
            this.m = m;
            if (useNative()) {
                pointer = NativeLapack.zeros((long) m * m);
                array = null;
            } else {
                pointer = null;
                array = new double[Math.multiplyExact(m, m)];
            }
        }

        /**
         * Adds A Aᵀ.
         *
         * @param a m × b column-major (a b×m matrix stored row-major, read transposed); entries beyond m·b are ignored
         * @param b columns of A
         */
        void add(double[] a, int b) {
            requireLower();
            if (b == 0) {
                return;
            }
            if (pointer != null) {
                NativeLapack.syrkLowerAdd(pointer, a, m, b);
            } else {
                JavaLapack.syrkLowerAdd(array, a, m, b);
            }
        }

        /**
         * Adds A Aᵀ for A = the first b rows of {@code rows} read as columns.
         *
         * @param rows b or more rows of length m
         * @param b rows to add
         */
        void add(double[][] rows, int b) {
            requireLower();
            if (b == 0) {
                return;
            }
            if (pointer != null) {
                NativeLapack.syrkLowerAdd(pointer, rows, m, b);
            } else {
                double[] a = new double[Math.multiplyExact(m, b)];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(rows[i], 0, a, i * m, m);
                }
                JavaLapack.syrkLowerAdd(array, a, m, b);
            }
        }

        /**
         * @param u m×k column-major
         * @return H u for the sum H (symmetric, from its lower triangle: BLAS dsymm natively), m×k
         *         column-major; the sum stays where it is (no copy of H)
         */
        double[] times(double[] u, int k) {
            if (pointer != null) {
                return hDiag == null ? NativeLapack.symmLower(pointer, m, u, k) : NativeLapack.symmUpper(pointer, m, hDiag, u, k);
            }
            double[] out = new double[Math.multiplyExact(m, k)];
            for (int c = 0; c < k; c++) {
                int o = c * m;
                for (int j = 0; j < m; j++) {
                    int col = j * m;
                    double uj = u[o + j];
                    double s = (hDiag == null ? array[col + j] : hDiag[j]) * uj;
                    for (int i = j + 1; i < m; i++) {
                        double h = hDiag == null ? array[col + i] : array[i * m + j];
                        out[o + i] += h * uj;
                        s += h * u[o + i];
                    }
                    out[o + j] += s;
                }
            }
            return out;
        }

        private void requireLower() {
            if (hDiag != null) {
                throw new IllegalStateException("the sum was factored: no more additions");
            }
        }

        /**
         * The Cholesky factor of H + alpha·G for the sum H and a symmetric m×m column-major G (its
         * lower triangle read), made in the sum's own array: H moves to the strict upper triangle
         * and a diagonal of its own (once), and the factor fills the lower triangle and the
         * diagonal. H is unchanged for {@link #times}, {@link #symmetric} and further factors (one
         * per ridge). Why in place: a second m×m array (32 MB at M = 2,000, 1.15 GB at M = 12,000)
         * was FALKON's largest allocation at the end of a fit, where its peak memory is.
         *
         * @param norm1 receives the 1-norm of H + alpha·G (for {@link Lapack#condition}) in norm1[0]
         * @return the factor, valid until the next call (not to be freed: it is the sum's array),
         *         or null when H + alpha·G is not (numerically) positive definite
         */
        Stored choleskyPlus(double alpha, double[] g, double[] norm1) {
            if (hDiag == null) {
                hDiag = pointer != null ? NativeLapack.lowerToUpper(pointer, m) : lowerToUpper(array, m);
            }
            if (pointer != null) {
                return NativeLapack.factorPlusInPlace(pointer, m, hDiag, alpha, g, norm1) ? new Stored(pointer, null) : null;
            }
            double[] colSums = new double[m];
            for (int j = 0; j < m; j++) {
                for (int i = j; i < m; i++) {
                    double h = i == j ? hDiag[j] : array[i * m + j];
                    double v = alpha * g[j * m + i] + h;
                    array[j * m + i] = v;
                    colSums[j] += Math.abs(v);
                    if (i != j) {
                        colSums[i] += Math.abs(v);
                    }
                }
            }
            double norm = 0;
            for (double c : colSums) {
                norm = Math.max(norm, c);
            }
            norm1[0] = norm;
            return JavaLapack.potrf(array, m) ? new Stored(null, new JavaLapack.Stored(array, m)) : null;
        }

        private static double[] lowerToUpper(double[] a, int m) {
            double[] diag = new double[m];
            for (int j = 0; j < m; j++) {
                diag[j] = a[j * m + j];
                for (int i = j + 1; i < m; i++) {
                    a[i * m + j] = a[j * m + i];
                }
            }
            return diag;
        }

        /** @return the sum, m×m column-major, symmetric (both triangles filled) */
        double[] symmetric() {
            double[] h = array != null && hDiag == null ? array : new double[Math.multiplyExact(m, m)];
            if (pointer != null) {
                NativeLapack.copyOut(pointer, h);
            } else if (h != array) {
                System.arraycopy(array, 0, h, 0, h.length);
            }
            for (int j = 0; j < m; j++) {
                if (hDiag != null) {
                    h[j * m + j] = hDiag[j];
                }
                for (int i = j + 1; i < m; i++) {
                    if (hDiag != null) {
                        h[j * m + i] = h[i * m + j]; // from the strict upper triangle
                    } else {
                        h[i * m + j] = h[j * m + i];
                    }
                }
            }
            return h;
        }

        @Override
        public void close() {
            if (pointer != null) {
                NativeLapack.free(pointer);
            }
        }
    }

    /**
     * LᵀL of a lower-triangular L in place (LAPACK dlauum, n³/3 flops against 2n³ for dgemm):
     * the product replaces the lower triangle, and the upper triangle is filled by symmetry.
     *
     * @param a n × n column-major, its lower triangle L (the upper one is ignored and overwritten)
     */
    static void lauumLower(double[] a, int n) {
        if (useNative()) {
            NativeLapack.lauumLower(a, n);
            return;
        }
        for (int j = 1; j < n; j++) {
            java.util.Arrays.fill(a, j * n, j * n + j, 0.0); // the strict upper triangle of column j
        }
        System.arraycopy(JavaLapack.gemm(true, false, n, n, n, a, a), 0, a, 0, a.length);
    }

    /**
     * Cholesky factorisation A = L Lᵀ (dpotrf, lower triangle), kept for the solves: natively off
     * the Java heap (a single copy of a, factored there, see NativeLapack.cholesky), in Java in
     * place of a (or of a copy of it).
     *
     * @param a n × n symmetric positive definite, column-major (its lower triangle is read)
     * @param scratch whether a may be overwritten (the pure-Java factorisation then works in it);
     *        natively a is never changed
     * @return the stored factor (the strict upper triangle is not part of it), or null when A is
     *         not (numerically) positive definite
     */
    static Stored cholesky(double[] a, int n, boolean scratch) {
        if (useNative()) {
            Object p = NativeLapack.cholesky(a, n);
            return p == null ? null : new Stored(p, null);
        }
        double[] f = scratch ? a : a.clone();
        return JavaLapack.potrf(f, n) ? new Stored(null, new JavaLapack.Stored(f, n)) : null;
    }

    /**
     * @param l the factor of {@link #cholesky}
     * @param norm1 the 1-norm of the matrix before factorisation
     * @return an estimate of its 1-norm condition number (dpocon; Hager 1984, Higham 1988), +∞ when singular
     */
    static double condition(Stored l, int n, double norm1) {
        if (n == 0) {
            return 1;
        }
        return l.pointer != null ? NativeLapack.condition(l.pointer, n, norm1) : JavaLapack.condition(l.array, n, norm1);
    }

    /**
     * @param a an n × n column-major matrix
     * @return a copy kept for repeated use (see {@link Stored})
     */
    static Stored store(double[] a, int n) {
        return useNative() ? storeNative(a) : storeJava(a, n);
    }

    /** @return a copy of a kept for the native routines (off the Java heap) */
    static Stored storeNative(double[] a) {
        return new Stored(NativeLapack.offHeap(a), null);
    }

    /** @return a copy of the n×n a kept for the Java routines */
    static Stored storeJava(double[] a, int n) {
        return new Stored(null, new JavaLapack.Stored(a.clone(), n));
    }

    /**
     * B ← L⁻¹ B, or L⁻ᵀ B when {@code transposed}, in place (dtrsm; L the lower factor of
     * {@link #cholesky}; B n × k column-major).
     */
    static void trsmLower(Stored l, int n, double[] b, int k, boolean transposed) {
        if (n == 0 || k == 0) {
            return;
        }
        if (l.pointer != null) {
            NativeLapack.trsmLower(l.pointer, n, b, k, transposed);
        } else {
            JavaLapack.trsmLower(l.array, n, b, k, transposed);
        }
    }

    /** Solves A X = B in place of B (n × k) from the factor of {@link #cholesky} (dpotrs). */
    static void potrs(Stored l, int n, double[] b, int k) {
        if (n == 0 || k == 0) {
            return;
        }
        if (l.pointer != null) {
            NativeLapack.potrs(l.pointer, n, b, k);
        } else {
            JavaLapack.potrs(l.array, n, b, k);
        }
    }

    /** A b for a stored m×m column-major a and an m×k column-major b. */
    static double[] gemm(Stored a, int m, double[] b, int k) {
        if (m == 0 || k == 0) {
            return new double[Math.multiplyExact(m, k)];
        }
        return a.pointer != null ? NativeLapack.gemm(a.pointer, m, b, k)
                : JavaLapack.gemm(false, false, m, k, m, a.array.colMajor, b);
    }

    /**
     * Symmetric eigen-decomposition: divide and conquer natively (dsyevd; Cuppen 1981, Gu and
     * Eisenstat 1995), EJML's symmetric QR algorithm in Java.
     *
     * @param a n × n symmetric (its lower triangle is read), column-major; overwritten by the
     *        orthonormal eigenvectors (column i for eigenvalue i) when {@code vectors}, destroyed otherwise
     * @param vectors whether to compute the eigenvectors
     * @return the eigenvalues in increasing order
     */
    static double[] syevd(double[] a, int n, boolean vectors) {
        if (n == 0) {
            return new double[0];
        }
        return useNative() ? NativeLapack.syevd(a, n, vectors) : JavaLapack.syevd(a, n, vectors);
    }

    /**
     * As {@link #syevd} with vectors, a not changed.
     *
     * @param a n × n symmetric (its lower triangle is read), column-major
     * @param w receives the eigenvalues, increasing
     * @return the orthonormal eigenvectors, column-major, in a new array
     */
    static double[] eigenvectorsOf(double[] a, int n, double[] w) {
        if (n == 0) {
            return new double[0];
        }
        if (useNative()) {
            return NativeLapack.eigenvectors(a, n, w, false);
        }
        double[] v = a.clone();
        System.arraycopy(JavaLapack.syevd(v, n, true), 0, w, 0, n);
        return v;
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
