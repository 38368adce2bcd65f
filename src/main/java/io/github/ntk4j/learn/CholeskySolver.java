package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;

/**
 * The Cholesky factor G + rI = L Lᵀ of a symmetric positive definite kernel matrix (LAPACK
 * dpotrf) and the solves built on it; nothing here forms an inverse. The factorisation failing,
 * or its condition number above the limit, is
 * refused with {@link Messages#illConditioned}, which suggests a regulariser.
 */
final class CholeskySolver {
    /** L, column-major, stored for the solves (off the Java heap natively, see {@link Lapack.Stored}) */
    private final Lapack.Stored l;
    private final int n;

    private CholeskySolver(Lapack.Stored l, int n) {
        this.l = l;
        this.n = n;
    }

    /** Refuses up front an n×n factorisation that, with {@code extra} more n×n matrices, would not fit. */
    static void requireMemory(int n, int extra) {
        Lapack.requireDense(n, (2L + extra) * Lapack.bytes(n, n));
    }

    /**
     * Factors g + rI.
     *
     * @param g n×n symmetric positive semi-definite (not modified)
     * @param diagReg r ≥ 0
     * @param what the matrix's name for messages
     * @param maxCondition the largest accepted condition number, estimated as the larger of
     *        (max L_ii / min L_ii)² (a lower bound of the 2-norm one) and LAPACK dpocon's 1-norm estimate
     * @return the factor
     */
    static CholeskySolver factor(double[][] g, double diagReg, String what, double maxCondition) {
        int n = g.length;
        double[] a = new double[Math.multiplyExact(n, n)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(g[i], 0, a, i * n, n); // symmetric: row-major = column-major
        }
        return factorInPlace(a, n, diagReg, what, maxCondition);
    }

    /** As {@link #factor} on a column-major array, which it may overwrite. */
    static CholeskySolver factorInPlace(double[] a, int n, double diagReg, String what, double maxCondition) {
        if (diagReg != 0) {
            for (int i = 0; i < n; i++) {
                a[i * n + i] += diagReg;
            }
        }
        return factorOf(a, n, true, what, maxCondition);
    }

    /**
     * Factors the column-major a.
     *
     * @param scratch whether a may be overwritten; natively it is never changed (the factor is
     *        made in one copy off the Java heap), so a caller that keeps a needs no copy of its own
     */
    static CholeskySolver factorOf(double[] a, int n, boolean scratch, String what, double maxCondition) {
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
        }
        // 1-norm of the symmetric matrix (max column sum; the whole matrix is stored), before factoring
        double norm = 0;
        for (int j = 0; j < n; j++) {
            double c = 0;
            for (int i = j * n, e = i + n; i < e; i++) {
                c += Math.abs(a[i]);
            }
            norm = Math.max(norm, c);
        }
        return checked(Lapack.cholesky(a, n, scratch), n, norm, maxDiag, what, maxCondition);
    }

    /** Refuses a failed or ill-conditioned factorisation; see {@link #factor}. */
    private static CholeskySolver checked(Lapack.Stored factor, int n, double norm, double maxDiag, String what,
            double maxCondition) {
        if (factor == null) {
            throw Messages.illConditioned(what, Double.POSITIVE_INFINITY, maxCondition, maxDiag);
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            double d = factor.get((long) i * n + i);
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        double cond = Math.max((hi / lo) * (hi / lo), Lapack.condition(factor, n, norm));
        if (!(cond <= maxCondition)) {
            throw Messages.illConditioned(what, cond, maxCondition, maxDiag);
        }
        return new CholeskySolver(factor, n);
    }

    /** @return n */
    int size() {
        return n;
    }

    /** @return L_ii */
    double diagonal(int i) {
        return l.get((long) i * n + i);
    }

    /** B ← (L Lᵀ)⁻¹ B in place, B n×k column-major (dpotrs). */
    void solve(double[] b, int k) {
        Lapack.potrs(l, n, b, k);
    }

    /**
     * @param a m×n row-major (e.g. a test–train kernel)
     * @return L⁻¹ aᵀ, n×m column-major (dtrsm)
     */
    double[] whiten(double[][] a) {
        double[] z = Mat.flat(a); // row-major m×n = column-major n×m = aᵀ
        Lapack.trsmLower(l, n, z, a.length, false);
        return z;
    }

    /** B ← L⁻¹ B in place, B n×k column-major. */
    void forward(double[] b, int k) {
        Lapack.trsmLower(l, n, b, k, false);
    }

    /** @return the factor L, column-major (its strict upper triangle holds what the input had there) */
    double[] lowerFactor() {
        double[] out = new double[Math.multiplyExact(n, n)];
        l.copyTo(out);
        for (int j = 1; j < n; j++) {
            java.util.Arrays.fill(out, j * n, j * n + j, 0.0);
        }
        return out;
    }

    /** B ← L⁻ᵀ B in place, B n×k column-major. */
    void backSubstitute(double[] b, int k) {
        Lapack.trsmLower(l, n, b, k, true);
    }
}
