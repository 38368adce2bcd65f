package io.github.ntk4j.math;

import io.github.ntk4j.internal.DataChecks;

import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.Vectors;

/**
 * A kernel function in the sense of neural-tangents' {@code kernel_fn}: the NNGP kernel K and
 * the neural tangent kernel Θ of pairs of inputs, of a data set (Gram matrix) and between two
 * data sets (cross-Gram matrix). Every learner of ntk4j (gradient-flow and GP prediction,
 * FALKON, spectra, model selection) takes one, so it works the same with
 * <ul>
 *   <li>the exact infinite-width kernels ({@code io.github.ntk4j.kernel.NtkRecursion}),</li>
 *   <li>their Monte Carlo estimate over finite networks, or the empirical NTK of one given finite
 *       network ({@code io.github.ntk4j.finite}),</li>
 *   <li>a kernel of the user's own ({@link PairwiseKernel}: one function of a pair that serves as
 *       both K and Θ; the Gaussian and Laplace kernels of {@code io.github.ntk4j.kernel} are
 *       examples).</li>
 * </ul>
 *
 * <p>Contract: inputs are rows of equal length d ≥ 1 with finite entries; {@code gram} returns
 * a symmetric N×N matrix and {@code cross} an N1×N2 matrix, both freshly allocated, with
 * entries that are finite doubles (a value that does not fit a double is refused with an
 * {@link io.github.ntk4j.InvalidInputException}, never returned as NaN or infinity).
 * {@code gram(x, kind)} equals {@code cross(x, x, kind)} and its entries equal
 * {@code pair(x[i], x[j]).get(kind)} (up to rounding for implementations that compute them by
 * different algorithms). Implementations are immutable and thread-safe.
 */
public interface KernelFunction {

    /**
     * Both kernels of one pair of inputs.
     *
     * @param x first input (length d ≥ 1, finite)
     * @param y second input (length d)
     * @return K(x, y) and Θ(x, y)
     */
    KernelValue pair(double[] x, double[] y);

    /**
     * One Gram matrix.
     *
     * @param x the data set, N rows of dimension d
     * @param kind which kernel
     * @return the N×N symmetric matrix
     */
    double[][] gram(double[][] x, KernelKind kind);

    /**
     * One cross-Gram matrix.
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @param kind which kernel
     * @return the N1×N2 matrix K(X, Y) or Θ(X, Y), rows indexed by X
     */
    double[][] cross(double[][] x, double[][] y, KernelKind kind);

    /**
     * One cross-Gram matrix written into rows that the caller provides: the values of
     * {@link #cross(double[][], double[][], KernelKind)}, without a new matrix for every call. For
     * passes over a large data set in slices (FALKON's kernel pass), where a new N1×N2 matrix per
     * slice is garbage that the JVM's heap grows for. The analytic engine writes into the rows
     * directly; this default copies.
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @param kind which kernel
     * @param into at least N1 rows, each of length N2; rows 0..N1−1 are overwritten, the others kept
     * @return {@code into}
     */
    default double[][] cross(double[][] x, double[][] y, KernelKind kind, double[][] into) {
        DataChecks.rowsInto("into", into, x == null ? 0 : x.length, y == null ? 0 : y.length);
        double[][] k = cross(x, y, kind);
        for (int i = 0; i < k.length; i++) {
            System.arraycopy(k[i], 0, into[i], 0, k[i].length);
        }
        return into;
    }

    /**
     * The cross-Gram against fixed columns Y, for many row blocks X_b: {@code against(y, kind)
     * .cross(xb, into)} gives the values of {@link #cross(double[][], double[][], KernelKind,
     * double[][])} for each block. For passes over a large data set in slices against the same
     * centres (FALKON's kernel pass); the analytic engine prepares Y's per-input recursion once
     * here instead of once per slice (at N = 100,000 rows against 2,000 centres, two thirds of
     * the pass's garbage). Y is copied: later changes to the caller's rows do not reach it.
     *
     * @param y N2 rows of dimension d
     * @param kind which kernel
     * @return the kernel against Y, safe to share between threads
     */
    default Against against(double[][] y, KernelKind kind) {
        DataChecks.dataSet("second data set", y);
        if (kind == null) {
            throw io.github.ntk4j.internal.Messages.invalid("the kernel kind must not be null (NNGP or NTK)");
        }
        double[][] columns = Vectors.copyRows(y);
        return (x, into) -> cross(x, columns, kind, into);
    }

    /** A kernel function with its second argument fixed: see {@link KernelFunction#against}. */
    @FunctionalInterface
    interface Against {
        /**
         * The kernel between each row of X and each fixed column row, written into the caller's rows.
         *
         * @param x N1 rows of dimension d
         * @param into at least N1 rows, each of length N2; rows 0..N1−1 are overwritten, the others kept
         * @return {@code into}
         */
        double[][] cross(double[][] x, double[][] into);
    }

    /**
     * Both Gram matrices; implementations that share work between K and Θ override it.
     *
     * @param x the data set, N rows of dimension d
     * @return K(X, X) and Θ(X, X)
     */
    default GramMatrices gram(double[][] x) {
        return new GramMatrices(gram(x, KernelKind.NNGP), gram(x, KernelKind.NTK));
    }

    /**
     * Gram matrices written into arrays that the caller provides, one array per matrix: entry
     * (i, j) of the N×N matrix at index {@code i·N + j} (row-major; the matrix is symmetric, so
     * this is also the column-major layout that LAPACK reads). The values are those of
     * {@link #gram(double[][], KernelKind)}, bit for bit.
     *
     * <p>Why one array: a {@code double[N][N]} is N small objects, which the JVM's collector (G1)
     * allocates among the young objects and copies, whole, at every young collection that finds
     * them alive; one array of N² doubles is a single large ("humongous") object, allocated
     * directly in the old generation and never copied. Measured at N = 4,000, erf depth 5, two
     * threads ({@code java -Xlog:gc -jar target/ntk4j.jar bench gram --n 4000 --d 100 --depth 5
     * --activation erf --threads 2 --repeat 3}): each Gram as {@code double[][]} contained a young
     * pause of about 45 ms copying about 130 MB of result rows, a sixth of its 0.27 s. A flat
     * matrix is also the form that the LAPACK routines take, so a learner that decomposes a
     * Gram matrix does not copy it first.
     *
     * <p>Where an entry is refused (a value beyond the double range), the exception may leave the
     * arrays partly written (the analytic engine's tiles finished before it, in no fixed order
     * across threads); write into fresh arrays where that matters.
     *
     * <p>The analytic engine writes its tiles straight into the arrays; this default computes
     * {@link #gram(double[][])} (both kernels) or {@link #gram(double[][], KernelKind)} (one) and
     * copies.
     *
     * @param x the data set, N rows of dimension d, N ≤ 46,340 (so that N² entries fit one Java array)
     * @param nngpInto receives K(X, X), length N·N; or null to skip the NNGP
     * @param ntkInto receives Θ(X, X), length N·N; or null to skip the NTK (not the same array as {@code nngpInto})
     * @throws io.github.ntk4j.InvalidInputException when x is not a data set, N is too large, both
     *         arrays are null or the same array, or an array's length is not N·N
     */
    default void gramFlat(double[][] x, double[] nngpInto, double[] ntkInto) {
        DataChecks.dataSet("data set", x);
        int n = x.length;
        DataChecks.squaresInto(n, "nngpInto", nngpInto, "ntkInto", ntkInto);
        if (nngpInto != null && ntkInto != null) {
            GramMatrices g = gram(x);
            copyFlat(g.nngp(), n, nngpInto);
            copyFlat(g.ntk(), n, ntkInto);
        } else if (nngpInto != null) {
            copyFlat(gram(x, KernelKind.NNGP), n, nngpInto);
        } else {
            copyFlat(gram(x, KernelKind.NTK), n, ntkInto);
        }
    }

    /**
     * One Gram matrix in a new array, row-major: see {@link #gramFlat(double[][], double[], double[])}
     * for the layout and why. The array (8N² bytes) is refused up front when the heap cannot hold it.
     *
     * @param x the data set, N rows of dimension d, N ≤ 46,340
     * @param kind which kernel
     * @return the N×N symmetric matrix, entry (i, j) at {@code i·N + j}
     * @throws io.github.ntk4j.InvalidInputException when x is not a data set, kind is null, N is too
     *         large or the array does not fit in the heap
     */
    default double[] gramFlat(double[][] x, KernelKind kind) {
        if (kind == null) {
            throw io.github.ntk4j.internal.Messages.invalid("the kernel kind must not be null (NNGP or NTK)");
        }
        DataChecks.dataSet("data set", x);
        int n = x.length;
        DataChecks.flatOrder("a Gram matrix", n);
        io.github.ntk4j.internal.MemoryCheck.require("a " + n + "×" + n + " Gram matrix",
                io.github.ntk4j.internal.MemoryCheck.doubles((long) n * n));
        double[] g = new double[n * n];
        gramFlat(x, kind == KernelKind.NNGP ? g : null, kind == KernelKind.NTK ? g : null);
        return g;
    }

    /** Copies an implementation's N×N rows into one row-major array, checking their shape. */
    private static void copyFlat(double[][] rows, int n, double[] into) {
        DataChecks.rowsInto("the Gram matrix", rows, n, n);
        if (rows.length != n) {
            throw io.github.ntk4j.internal.Messages.invalid("the Gram matrix has " + rows.length + " rows, " + n + " expected");
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, into, i * n, n);
        }
    }

    /**
     * Both cross-Gram matrices; implementations that share work between K and Θ override it.
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @return K(X, Y) and Θ(X, Y)
     */
    default GramMatrices cross(double[][] x, double[][] y) {
        return new GramMatrices(cross(x, y, KernelKind.NNGP), cross(x, y, KernelKind.NTK));
    }

    /**
     * The diagonal k(xᵢ, xᵢ) of the Gram matrix without forming it.
     *
     * @param x the data set, N rows of dimension d
     * @param kind which kernel
     * @return N values
     */
    default double[] diagonal(double[][] x, KernelKind kind) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = pair(x[i], x[i]).get(kind);
        }
        return d;
    }

    /**
     * A copy that computes Gram matrices on {@code threads} worker threads; implementations
     * without threads return themselves.
     *
     * @param threads ≥ 1
     * @return the kernel function with that many workers
     */
    default KernelFunction withThreads(int threads) {
        return this;
    }

    /**
     * @return the worker threads its Gram matrices use (1 for implementations without threads)
     */
    default int threads() {
        return 1;
    }

    /**
     * A copy that reports progress on long computations to {@code listener}; implementations
     * without progress reports return themselves.
     *
     * @param listener receives the fraction done
     * @return the kernel function with that listener
     */
    default KernelFunction withProgress(Progress listener) {
        return this;
    }

    /**
     * @return a one-line description (a network spec, or a kernel's name and parameters)
     */
    String describe();
}
