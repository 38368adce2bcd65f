package io.github.ntk4j.kernel;

import io.github.ntk4j.internal.Vectors;

/**
 * The inner products of the inputs that the analytic recursion starts from: x·y for a tile of
 * pairs at once, and the form that keeps its accuracy where x·y cancels — ‖x‖²‖y‖² − (x·y)²
 * by Lagrange's identity for nearly collinear pairs ({@link NtkRecursion} chooses when).
 */
final class InputProducts {
    private InputProducts() {
    }

    /**
     * Σ_{i&lt;j} (x_i y_j − x_j y_i)² (Lagrange's identity for ‖x‖²‖y‖² − (x·y)²), each
     * determinant by Kahan's algorithm with one rounding error at most.
     */
    static double lagrange(double[] x, double[] y) {
        double s = 0;
        for (int a = 0; a < x.length; a++) {
            double xa = x[a];
            double ya = y[a];
            for (int b = a + 1; b < x.length; b++) {
                double w = x[b] * ya;
                double err = Math.fma(-x[b], ya, w);
                double det = Math.fma(xa, y[b], -w) + err;
                s += det * det;
            }
        }
        return s;
    }

    /** x·y over the first d coordinates, in four interleaved partial sums. */
    /** The bits of |v| for every double v but the sign: their order as longs is that of |v|. */
    private static final long ABS_BITS = 0x7fffffffffffffffL;

    /**
     * The largest |x_k|, NaN where an entry is NaN and +∞ where one is infinite (and none NaN),
     * so that one scan both checks the entries and finds the row's scale. Taken over the bits
     * (|v| as a non-negative long orders as |v|, NaN above +∞): an integer max per entry, two
     * accumulators, instead of Math.max(double, double) whose NaN and −0 handling made this scan
     * about as costly as the rest of prepare's per-row work in the single-pair path.
     */
    static double maxAbs(double[] x) {
        long m0 = 0;
        long m1 = 0;
        int k = 0;
        for (; k + 1 < x.length; k += 2) {
            m0 = Math.max(m0, Double.doubleToRawLongBits(x[k]) & ABS_BITS);
            m1 = Math.max(m1, Double.doubleToRawLongBits(x[k + 1]) & ABS_BITS);
        }
        if (k < x.length) {
            m0 = Math.max(m0, Double.doubleToRawLongBits(x[k]) & ABS_BITS);
        }
        return Double.longBitsToDouble(Math.max(m0, m1));
    }

    /**
     * x·y in the order of {@link #dotTile}: four blocks of consecutive coordinates (the first
     * three of ⌊d/4⌋ each, the last the rest), each summed in index order (no fused multiply-add
     * in Java), then (B0 + B1) + (B2 + B3). The single-pair path uses it so that pair(x, y)
     * equals the Gram matrix's entry exactly rather than to a few ulps of the Cauchy–Schwarz
     * scale. Why blocks: one pair's dot product is a chain of d dependent additions; four
     * independent chains take a quarter of its latency (a pair() call at d = 100 waited about
     * 110 ns on the single chain), while the Gram's tiles do the same additions.
     */
    static double dotInTileOrder(double[] x, double[] y) {
        return dotInTileOrder(x, 0, y, 0, x.length);
    }

    /**
     * {@link #dotInTileOrder(double[], double[])} of x[xFrom …] and y[yFrom …], d entries each.
     *
     * @param x first vector's array
     * @param xFrom where it starts
     * @param y second vector's array
     * @param yFrom where it starts
     * @param d entries
     * @return their dot product, in the Gram tiles' order
     */
    static double dotInTileOrder(double[] x, int xFrom, double[] y, int yFrom, int d) {
        final int q = d >> 2;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int k = 0; k < q; k++) {
            s0 += x[xFrom + k] * y[yFrom + k];
            s1 += x[xFrom + k + q] * y[yFrom + k + q];
            s2 += x[xFrom + k + 2 * q] * y[yFrom + k + 2 * q];
            s3 += x[xFrom + k + 3 * q] * y[yFrom + k + 3 * q];
        }
        for (int k = 4 * q; k < d; k++) {
            s3 += x[xFrom + k] * y[yFrom + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double dot(double[] x, double[] y, int d) {
        return io.github.ntk4j.internal.Vectors.dot(x, 0, y, 0, d);
    }

    /**
     * Two coordinates k, k + 1 of four rows' dot products: a[j] = (a[j] + xa_k·v0[j]) + xa_{k+1}·v1[j]
     * and so on, the same additions in the same order as two {@link Vectors#axpy4} calls (so the
     * same bits), with half the loads and stores of the accumulators: the axpy form is bound by
     * its stores, and this loop is still short enough for C2 to vectorise (measured on 128×128
     * tiles at d = 100, thread CPU: 11.4 against 6.5 ns per entry; three or four coordinates per
     * sweep are not vectorised and run slower).
     */
    private static void axpy4x2(double[] a, double[] b, double[] c, double[] e, double[] xa, double[] xb, double[] xc,
            double[] xd, int k, double[] v0, double[] v1) {
        final double a0 = xa[k];
        final double a1 = xa[k + 1];
        final double b0 = xb[k];
        final double b1 = xb[k + 1];
        final double c0 = xc[k];
        final double c1 = xc[k + 1];
        final double e0 = xd[k];
        final double e1 = xd[k + 1];
        for (int j = 0; j < a.length; j++) {
            final double w0 = v0[j];
            final double w1 = v1[j];
            a[j] = (a[j] + a0 * w0) + a1 * w1;
            b[j] = (b[j] + b0 * w0) + b1 * w1;
            c[j] = (c[j] + c0 * w0) + c1 * w1;
            e[j] = (e[j] + e0 * w0) + e1 * w1;
        }
    }

    /**
     * Dot products of rows i0..i1 of x with rows j0..j1 of y into out[i−i0][j−j0]. The tile of
     * y is packed coordinate-major (yT[k][j−j0], zero-padded to a full tile), so the inner loop
     * is an axpy over one whole 128-entry array (a tile's width), the loop shape the JIT turns into SIMD
     * instructions (about 6 multiply-adds per nanosecond here against 2.5 for a scalar
     * register-blocked dot product; a dot-product loop cannot be vectorised without
     * reordering its sum).
     */
    static void dotTile(double[][] x, double[][] y, int i0, int i1, int j0, int j1, int d, double[][] yT,
            double[][] out, double[][] part) {
        for (int k = 0; k < d; k++) {
            double[] col = yT[k];
            for (int j = j0; j < j1; j++) {
                col[j - j0] = y[j][k];
            }
            java.util.Arrays.fill(col, j1 - j0, col.length, 0.0);
        }
        // the coordinates in the four blocks of dotInTileOrder: block 0 summed into the output
        // rows, blocks 1–3 into part, then added in its order
        final int q = d >> 2;
        int i = i0;
        for (; i + 3 < i1; i += 4) {
            double[] xa = x[i];
            double[] xb = x[i + 1];
            double[] xc = x[i + 2];
            double[] xd = x[i + 3];
            for (int blk = 0; blk < 4; blk++) {
                double[] a = blk == 0 ? out[i - i0] : part[4 * blk - 4];
                double[] b = blk == 0 ? out[i + 1 - i0] : part[4 * blk - 3];
                double[] c = blk == 0 ? out[i + 2 - i0] : part[4 * blk - 2];
                double[] e = blk == 0 ? out[i + 3 - i0] : part[4 * blk - 1];
                java.util.Arrays.fill(a, 0.0);
                java.util.Arrays.fill(b, 0.0);
                java.util.Arrays.fill(c, 0.0);
                java.util.Arrays.fill(e, 0.0);
                int k1 = blk == 3 ? d : (blk + 1) * q;
                int k = blk * q;
                for (; k + 1 < k1; k += 2) {
                    axpy4x2(a, b, c, e, xa, xb, xc, xd, k, yT[k], yT[k + 1]);
                }
                for (; k < k1; k++) {
                    Vectors.axpy4(a, b, c, e, xa[k], xb[k], xc[k], xd[k], yT[k]);
                }
            }
            for (int r = 0; r < 4; r++) {
                combine(out[i + r - i0], part[r], part[4 + r], part[8 + r]);
            }
        }
        for (; i < i1; i++) {
            double[] xi = x[i];
            for (int blk = 0; blk < 4; blk++) {
                double[] acc = blk == 0 ? out[i - i0] : part[4 * blk - 4];
                java.util.Arrays.fill(acc, 0.0);
                int k1 = blk == 3 ? d : (blk + 1) * q;
                for (int k = blk * q; k < k1; k++) {
                    Vectors.axpy(acc, xi[k], yT[k]);
                }
            }
            combine(out[i - i0], part[0], part[4], part[8]);
        }
    }

    /** o = (o + p1) + (p2 + p3), entry by entry: the blocks of {@link #dotInTileOrder} added. */
    private static void combine(double[] o, double[] p1, double[] p2, double[] p3) {
        for (int j = 0; j < o.length; j++) {
            o[j] = (o[j] + p1[j]) + (p2[j] + p3[j]);
        }
    }
}
