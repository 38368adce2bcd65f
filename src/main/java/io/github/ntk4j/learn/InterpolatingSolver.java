package io.github.ntk4j.learn;

import io.github.ntk4j.NumericalFailureException;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;

/**
 * The kernel machine at ridge exactly 0: the interpolant f(x) = Σᵢ αᵢ k(x, xᵢ) with K α = Y, K
 * the n×n Gram matrix of the training inputs, which fits every training target (training error
 * 0), as in Belkin, Ma &amp; Mandal, "To understand deep learning we need to understand kernel
 * learning" (ICML 2018). Its RKHS norm is ‖f‖²_H = Σ_c y_cᵀ K⁻¹ y_c (one term per output
 * column).
 *
 * <p><b>How.</b> K is factored once by Cholesky, K = L Lᵀ (LAPACK dpotrf), and each right-hand
 * side solved by dpotrs and then improved by <em>extra-precise iterative refinement</em>
 * (Demmel, Hida, Kahan, Li, Mukherjee &amp; Riedy, "Error bounds from extra-precise iterative
 * refinement", ACM TOMS 32(2), 2006): the solution is kept as an unevaluated sum α_hi + α_lo of
 * two doubles, the residual r = Y − K(α_hi + α_lo) is computed with compensated dot products
 * (Ogita, Rump &amp; Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), 2005:
 * TwoProduct by {@link Math#fma}, TwoSum), as if in twice the working precision, the correction
 * d = K⁻¹ r is solved with the same factor in doubles and added to α_hi + α_lo by TwoSum.
 * While κ(K)·ε is well below 1 each step gains a factor ~κ(K)·ε; the loop stops when the
 * correction is below 2⁻⁶⁰ of the solution, when it stops shrinking (by half), or after
 * {@value #MAX_STEPS} steps. Why not LAPACK's own refinement (dporfs): it computes the
 * residual in working precision, which leaves a residual of order n·ε·‖K‖·‖α‖ — on an
 * ill-conditioned Gram matrix the training predictions then miss the labels by about κ·ε
 * (measured in InterpolatingSolverTest on a Gaussian Gram matrix with κ ≈ 1.4e12, residuals summed
 * exactly: dporfs's residual is more than 1000 times this refinement's, which is below 1e-13,
 * and the plain dpotrs solve's is above 1e-9).
 *
 * <p><b>Numerically singular Gram matrices.</b> When dpotrf fails (K is not positive definite
 * in doubles), no double-precision interpolant is determined. The fallback is the
 * eigen-decomposition K = V Λ Vᵀ (dsyevd) and the minimum-norm least-squares solution
 * α = V Λ⁺ Vᵀ Y, eigenvalues at or below n·ε·λ_max treated as 0 (the rank is reported). When
 * Cholesky succeeds but the refinement stalls with a relative training residual above
 * {@value #MAX_RESIDUAL} (κ·ε near 1), the solution is kept but flagged. Either way
 * {@link Solution#interpolates()} is false and {@link Solution#rkhsNormSquared} refuses to give a
 * norm (it would be made of rounding errors), with a one-line reason.
 *
 * <p><b>Condition number.</b> With the Cholesky factor, the larger of (max L_ii / min L_ii)² (a
 * lower bound on the 2-norm condition number) and LAPACK dpocon's estimate of the 1-norm one
 * (Hager 1984, Higham 1988); with the eigen fallback, λ_max / λ_min (+∞ when λ_min ≤ 0).
 *
 * <p>Instances are immutable; build one with {@link #factor(double[][])} and solve any number of
 * target matrices against it (each noise level of a study reuses one factorisation).
 */
public final class InterpolatingSolver {
    /** Largest relative training residual max|Y − Kα| / max|Y| accepted for an interpolant (√ε). */
    public static final double MAX_RESIDUAL = 1.4901161193847656e-8;
    /** Most refinement steps. */
    public static final int MAX_STEPS = 10;
    private static final double EPS = Math.ulp(1.0);
    /** Refinement stops when the correction is below this share of the solution (2⁻⁶⁰). */
    private static final double CONVERGED = 0x1p-60;

    /** How the interpolant was solved. */
    public enum Method {
        /** Cholesky with extra-precise iterative refinement */
        CHOLESKY,
        /** the eigen-decomposition fallback (pseudo-inverse) for a numerically singular Gram matrix */
        EIGEN
    }

    private final int n;
    /** K, row-major flat (= column-major: symmetric) */
    private final double[] gram;
    /** the Cholesky factor L (column-major, off the heap), null when Cholesky failed */
    private final Lapack.Stored factor;
    private final double condition;
    private final boolean choleskyFailed;
    /** eigen fallback, made on first need */
    private volatile Eigen eigen;

    private record Eigen(double[] lambda, double[] v, int rank, double condition) {
    }

    private InterpolatingSolver(int n, double[] gram, Lapack.Stored factor, double condition,
            boolean choleskyFailed) {
        this.n = n;
        this.gram = gram;
        this.factor = factor;
        this.condition = condition;
        this.choleskyFailed = choleskyFailed;
    }

    /**
     * Heap the solver needs for n training inputs: the caller's Gram matrix, its flat copy, the
     * factor, and the eigen fallback's vectors and workspace (about 6 n² doubles).
     *
     * @param n training inputs
     * @return bytes, saturating
     */
    public static long bytesNeeded(long n) {
        return MemoryCheck.times(6, MemoryCheck.doubles(n, n));
    }

    /**
     * Computes the Gram matrix of the training inputs and factors it.
     *
     * @param kernel the kernel function
     * @param kind which of its kernels (NTK or NNGP; the same for a pairwise kernel)
     * @param x n training inputs
     * @return the solver
     */
    public static InterpolatingSolver factor(KernelFunction kernel, KernelKind kind, double[][] x) {
        DataChecks.dataSet("training inputs", x);
        Lapack.requireDense(x.length, bytesNeeded(x.length));
        // the Gram matrix in one array, kept as it is: no copy of it (KernelFunction#gramFlat)
        return factorOf(kernel.gramFlat(x, kind), x.length);
    }

    /**
     * Factors a Gram matrix (Cholesky; when that fails, the eigen fallback is prepared at once).
     *
     * @param gram n×n symmetric positive semi-definite, finite (not modified)
     * @return the solver
     */
    public static InterpolatingSolver factor(double[][] gram) {
        int n = gram == null ? 0 : gram.length;
        if (n == 0) {
            throw Messages.empty("the Gram matrix");
        }
        Mat.shape("Gram matrix", gram, n, n);
        Lapack.requireDense(n, bytesNeeded(n) - 2 * Lapack.bytes(n, n));
        return factorOf(Mat.flat(gram), n);
    }

    /** As {@link #factor(double[][])} on the matrix in one array, row-major, which is kept (not changed). */
    private static InterpolatingSolver factorOf(double[] flat, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (flat[i * n + j] != flat[j * n + i]) {
                    throw Messages.invalid("the Gram matrix is not symmetric: matrix[" + i + "][" + j + "] is "
                            + flat[i * n + j] + " but matrix[" + j + "][" + i + "] is " + flat[j * n + i]);
                }
            }
        }
        double[] a = flat; // not changed: Lapack.cholesky copies it when it factors in place
        double maxDiag = 0;
        double norm = 0;
        for (int j = 0; j < n; j++) {
            maxDiag = Math.max(maxDiag, Math.abs(a[j * n + j]));
            double c = 0;
            for (int i = j * n, e = i + n; i < e; i++) {
                c += Math.abs(a[i]);
            }
            norm = Math.max(norm, c);
        }
        Lapack.Stored l = Lapack.cholesky(a, n, false);
        if (l == null) {
            InterpolatingSolver s = new InterpolatingSolver(n, flat, null, Double.POSITIVE_INFINITY, true);
            s.eigen();
            return s;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            double d = l.get((long) i * n + i);
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        double cond = Math.max((hi / lo) * (hi / lo), Lapack.condition(l, n, norm));
        return new InterpolatingSolver(n, flat, l, cond, false);
    }

    /** @return n, the training inputs */
    public int size() {
        return n;
    }

    /**
     * @return the condition number of K: with the Cholesky factor the larger of (max L_ii/min
     *     L_ii)² and LAPACK dpocon's 1-norm estimate; when Cholesky failed, λ_max/λ_min of the
     *     eigen-decomposition (+∞ when λ_min ≤ 0)
     */
    public double condition() {
        return choleskyFailed ? eigen().condition() : condition;
    }

    /** @return whether Cholesky failed: K is not positive definite in double precision */
    public boolean choleskyFailed() {
        return choleskyFailed;
    }

    /**
     * @return whether K is numerically singular: Cholesky failed (a solution may still show it
     *     by a refinement that stalls, see {@link Solution#method()})
     */
    public boolean numericallySingular() {
        return choleskyFailed;
    }

    private Eigen eigen() {
        Eigen e = eigen;
        if (e == null) {
            synchronized (this) {
                e = eigen;
                if (e == null) {
                    KernelSpectrum s = KernelSpectrum.withVectorsOfColumnMajor(gram, n);
                    double[] lambda = s.eigenvalues(); // decreasing
                    double tol = n * EPS * Math.max(lambda[0], 0);
                    int rank = 0;
                    for (double l : lambda) {
                        if (l > tol) {
                            rank++;
                        }
                    }
                    double min = lambda[n - 1];
                    e = new Eigen(lambda, s.vectorsColumnMajor(), rank, min > 0 ? lambda[0] / min : Double.POSITIVE_INFINITY);
                    eigen = e;
                }
            }
        }
        return e;
    }

    /**
     * Solves K α = Y (refined), or, when K is numerically singular, the minimum-norm least-squares
     * problem.
     *
     * @param y n×k targets, finite
     * @return the solution
     */
    public Solution solve(double[][] y) {
        DataChecks.dataSet("targets", y);
        if (y.length != n) {
            throw Messages.dimensionMismatch("the targets", y.length, "the training inputs", n);
        }
        int k = y[0].length;
        double[] yc = Lapack.colMajor(y);
        double yMax = maxAbs(yc);
        if (choleskyFailed) {
            return eigenSolve(yc, k, yMax);
        }
        double[] hi = yc.clone();
        Lapack.potrs(factor, n, hi, k);
        double[] lo = new double[hi.length];
        double[] r = residualOf(yc, hi, lo, k);
        double unrefined = relative(maxAbs(r), yMax);
        double res = unrefined;
        int steps = 0;
        double previous = Double.POSITIVE_INFINITY;
        while (steps < MAX_STEPS && res > 0) {
            double[] d = r;
            Lapack.potrs(factor, n, d, k);
            double dMax = maxAbs(d);
            if (!(dMax <= 0.5 * previous)) {
                break; // the corrections stopped shrinking: more steps would not help
            }
            for (int i = 0; i < hi.length; i++) { // (hi, lo) += d: TwoSum, then renormalise
                double s = hi[i] + d[i];
                double bb = s - hi[i];
                double e = (hi[i] - (s - bb)) + (d[i] - bb);
                double l = lo[i] + e;
                hi[i] = s + l;
                lo[i] = l - (hi[i] - s);
            }
            steps++;
            previous = dMax;
            r = residualOf(yc, hi, lo, k);
            res = relative(maxAbs(r), yMax);
            if (dMax <= CONVERGED * maxAbs(hi)) {
                break;
            }
        }
        return new Solution(yc, hi, lo, k, Method.CHOLESKY, steps, res, unrefined, n);
    }

    /**
     * The plain Cholesky solve without refinement (dpotrf/dpotrs in doubles), for comparison:
     * the solution every kernel-ridge code computes at ridge 0.
     *
     * @param y n×k targets
     * @return the unrefined solution (refinement steps 0)
     * @throws NumericalFailureException when Cholesky failed
     */
    public Solution solveUnrefined(double[][] y) {
        DataChecks.dataSet("targets", y);
        if (y.length != n) {
            throw Messages.dimensionMismatch("the targets", y.length, "the training inputs", n);
        }
        if (choleskyFailed) {
            throw new NumericalFailureException("the " + n + "×" + n + " Gram matrix is not positive definite in double "
                    + "precision (Cholesky failed)");
        }
        int k = y[0].length;
        double[] yc = Lapack.colMajor(y);
        double[] hi = yc.clone();
        Lapack.potrs(factor, n, hi, k);
        double[] lo = new double[hi.length];
        double res = relative(maxAbs(residualOf(yc, hi, lo, k)), maxAbs(yc));
        return new Solution(yc, hi, lo, k, Method.CHOLESKY, 0, res, res, n);
    }

    private Solution eigenSolve(double[] yc, int k, double yMax) {
        Eigen e = eigen();
        double[] vty = Lapack.gemm(true, false, n, k, n, e.v(), yc);
        for (int i = 0; i < n; i++) {
            double inv = i < e.rank() ? 1 / e.lambda()[i] : 0;
            for (int c = 0; c < k; c++) {
                vty[c * n + i] *= inv;
            }
        }
        double[] hi = Lapack.gemm(false, false, n, k, n, e.v(), vty);
        double[] lo = new double[hi.length];
        double res = relative(maxAbs(residualOf(yc, hi, lo, k)), yMax);
        return new Solution(yc, hi, lo, k, Method.EIGEN, 0, res, res, e.rank());
    }

    private static double relative(double r, double yMax) {
        return yMax == 0 ? r : r / yMax;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /**
     * One solved interpolation problem: α = α_hi + α_lo (n×k, column-major), how it was solved,
     * and its training residual.
     */
    public final class Solution {
        private final double[] y;
        private final double[] hi;
        private final double[] lo;
        private final int k;
        private final Method method;
        private final int steps;
        private final double residual;
        private final double unrefinedResidual;
        private final int rank;

        private Solution(double[] y, double[] hi, double[] lo, int k, Method method, int steps, double residual,
                double unrefinedResidual, int rank) {
            this.y = y;
            this.hi = hi;
            this.lo = lo;
            this.k = k;
            this.method = method;
            this.steps = steps;
            this.residual = residual;
            this.unrefinedResidual = unrefinedResidual;
            this.rank = rank;
        }

        /** @return how it was solved */
        public Method method() {
            return method;
        }

        /** @return refinement steps taken (0 for the eigen fallback) */
        public int refinementSteps() {
            return steps;
        }

        /**
         * @return the relative training residual max_{i,c} |Y − K α|_{ic} / max |Y| of the final
         *     solution, computed with compensated dot products
         */
        public double relativeResidual() {
            return residual;
        }

        /** @return the same for the first, unrefined solve (the Cholesky or eigen solve in doubles) */
        public double unrefinedResidual() {
            return unrefinedResidual;
        }

        /** @return the numerical rank used (n for Cholesky; eigenvalues above n·ε·λ_max for the fallback) */
        public int rank() {
            return rank;
        }

        /** @return whether this solution interpolates: Cholesky and relative residual ≤ {@link #MAX_RESIDUAL} */
        public boolean interpolates() {
            return method == Method.CHOLESKY && residual <= MAX_RESIDUAL;
        }

        /** @return α rounded to doubles, n×k */
        public double[][] coefficients() {
            double[] a = new double[hi.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = hi[i] + lo[i];
            }
            return Lapack.rows(a, n, k);
        }

        /**
         * @return {α_hi, α_lo}, each n×k: α = α_hi + α_lo unevaluated (α_lo is 0 without refinement),
         *     for checking the solution in more than double precision
         */
        public double[][][] coefficientParts() {
            return new double[][][] {Lapack.rows(hi, n, k), Lapack.rows(lo, n, k)};
        }

        /**
         * Predictions at new inputs, G* α_hi + G* α_lo.
         *
         * @param testTrain m×n kernel k(X*, X)
         * @return m×k outputs
         */
        public double[][] predict(double[][] testTrain) {
            int m = testTrain == null ? 0 : testTrain.length;
            Mat.shape("test-train kernel", testTrain, m, n);
            double[][] a = Mat.mul(testTrain, hi, n, k);
            double[][] b = Mat.mul(testTrain, lo, n, k);
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < k; c++) {
                    a[i][c] += b[i][c];
                }
            }
            return a;
        }

        /** @return K α at the training inputs, computed with compensated dot products (n×k) */
        public double[][] trainingPredictions() {
            double[] r = residualOf(y, hi, lo, k);
            double[] f = new double[r.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = y[i] - r[i];
            }
            return Lapack.rows(f, n, k);
        }

        /**
         * The interpolant's squared RKHS norm ‖f‖²_H = Σ_c y_cᵀ K⁻¹ y_c = Σ_{i,c} y_ic α_ic,
         * summed with compensation (Ogita–Rump–Oishi Dot2).
         *
         * @return the squared norm
         * @throws NumericalFailureException when the Gram matrix is numerically singular or the
         *     refinement did not reach {@link #MAX_RESIDUAL}: no norm is determined in doubles
         */
        public double rkhsNormSquared() {
            if (!interpolates()) {
                throw new NumericalFailureException(singularMessage());
            }
            double s = 0;
            double c = 0;
            for (int i = 0; i < y.length; i++) {
                double p = y[i] * hi[i];
                double e = Math.fma(y[i], hi[i], -p);
                double t = s + p;
                double bb = t - s;
                c += (s - (t - bb)) + (p - bb) + e + y[i] * lo[i];
                s = t;
            }
            return s + c;
        }

        /** @return one line saying why no interpolant (norm) is determined */
        public String singularMessage() {
            if (method == Method.EIGEN) {
                return "the " + n + "×" + n + " Gram matrix is numerically singular (Cholesky failed; numerical rank "
                        + rank + " of " + n + ", condition number " + fmt(condition()) + "): its interpolant and RKHS "
                        + "norm are not determined in double precision";
            }
            return "the interpolation did not converge: relative training residual " + fmt(residual) + " after "
                    + steps + " refinement steps (limit " + fmt(MAX_RESIDUAL) + "; condition number " + fmt(condition())
                    + "): the " + n + "×" + n + " Gram matrix is numerically singular";
        }
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }

    /** r = y − K(hi + lo), each entry by a compensated dot product (column-major n×k). */
    private double[] residualOf(double[] y, double[] hi, double[] lo, int k) {
        double[] r = new double[n * k];
        for (int c = 0; c < k; c++) {
            int o = c * n;
            for (int i = 0; i < n; i++) {
                int row = i * n;
                double s = y[o + i];
                double err = 0;
                for (int j = 0; j < n; j++) {
                    double kij = gram[row + j];
                    double p = -kij * hi[o + j];
                    double e = Math.fma(-kij, hi[o + j], -p);
                    double t = s + p;
                    double bb = t - s;
                    err += ((s - (t - bb)) + (p - bb)) + e - kij * lo[o + j];
                    s = t;
                }
                r[o + i] = s + err;
            }
        }
        return r;
    }
}
