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
