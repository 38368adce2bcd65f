package io.github.ntk4j.finite;

/**
 * The finite-width rule of a {@link io.github.ntk4j.net.Dense} layer in NTK parameterisation
 * (docs/KERNEL-RECURSION.md §2): forward h = (W_std/√n) W g + b_std b and backward
 * δ_in = (W_std/√n) Wᵀ δ_out, for a batch of inputs.
 *
 * <p>W (out × n) is either kept from the forward pass ({@link #forward} returns it when asked
 * to) or regenerated from {@link ParameterStreams} in the backward pass, block by block; both
 * paths feed the same numbers in the same order to the same kernel, so the result does not
 * depend on which was used. Matrices are row-major {@code double[]}; a batch of N vectors of
 * width n is N×n.
 *
 * <p>Both products are C = A·Bᵀ, computed by {@link #multiplyAxpy} from A's columns (the
 * batch transposed once per layer) as vectorisable axpys, four columns of C at a time (about
 * twice as fast here as 4×4 register tiles of scalar fused multiply-adds). The forward pass splits the output units into fixed blocks of rows of W;
 * the backward pass splits the fan-in into fixed column blocks of W, transposed into a
 * buffer. Task boundaries never depend on the thread count and every entry is one task's
 * dot product in index order, so results are bit-for-bit the same on any number of threads.
 */
final class DenseRule {
    /** Output units per forward task. */
    static final int ROW_BLOCK = 16;

    private DenseRule() {
    }

    /**
     * Forward pass H = (W_std/√n) G Wᵀ + b_std 1 bᵀ.
     *
     * @param seed network seed
     * @param layer layer index
     * @param wStd W_std
     * @param bStd b_std
     * @param g inputs, N×n
     * @param rows N
     * @param n fan-in
     * @param out output width
     * @param keep where to keep W (out×n), or null to discard it
     * @param workers threads
     * @return H, N×out
     */
    static double[] forward(long seed, int layer, double wStd, double bStd, double[] g, int rows, int n, int out,
            double[] keep, Workers workers) {
        final double scale = wStd / Math.sqrt(n);
        final double[] bias = ParameterStreams.biases(seed, layer, out);
        final double[] h = new double[rows * out];
        final double[][] gT = transpose(g, rows, n);
        final int tasks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.forEach(tasks, t -> {
            int i0 = t * ROW_BLOCK;
            int count = Math.min(out, i0 + ROW_BLOCK) - i0;
            double[] w = new double[count * n];
            for (int r = 0; r < count; r++) {
                ParameterStreams.fillWeights(seed, layer, i0 + r, 0, n, w, r * n);
            }
            if (keep != null) {
                System.arraycopy(w, 0, keep, i0 * n, count * n);
            }
            multiplyAxpy(gT, rows, w, 0, n, 1, count, n, h, out, i0);
            for (int p = 0; p < rows; p++) {
                for (int k = i0; k < i0 + count; k++) {
                    h[p * out + k] = scale * h[p * out + k] + bStd * bias[k];
                }
            }
        });
        return h;
    }

    /**
     * Backward pass Δ_in = (W_std/√n) Δ_out W.
     *
     * @param seed network seed
     * @param layer layer index
     * @param wStd W_std
     * @param dOut sensitivities at the layer's output, R×out
     * @param rows R
     * @param n fan-in
     * @param out output width
     * @param kept W (out×n) kept by the forward pass, or null to regenerate it
     * @param workers threads
     * @return Δ_in, R×n
     */
    static double[] backward(long seed, int layer, double wStd, double[] dOut, int rows, int n, int out,
            double[] kept, Workers workers) {
        final double scale = wStd / Math.sqrt(n);
        final double[] dIn = new double[rows * n];
        final double[][] dOutT = transpose(dOut, rows, out);
        final int cb = ParameterStreams.COLUMN_BLOCK;
        final int tasks = (n + cb - 1) / cb;
        workers.forEach(tasks, t -> {
            final int c0 = t * cb;
            final int len = Math.min(cb, n - c0);
            if (kept != null) {
                // W[i][c0 + j] = kept[i·n + c0 + j]: column j of the block, stride n along i
                multiplyAxpy(dOutT, rows, kept, c0, 1, n, len, out, dIn, n, c0);
            } else {
                final double[] wt = new double[len * out]; // Wᵀ restricted to columns c0 … c0+len
                double[] row = new double[len];
                for (int i = 0; i < out; i++) {
                    ParameterStreams.fillWeights(seed, layer, i, c0, len, row, 0);
                    for (int j = 0; j < len; j++) {
                        wt[j * out + i] = row[j];
                    }
                }
                multiplyAxpy(dOutT, rows, wt, 0, out, 1, len, out, dIn, n, c0);
            }
            for (int p = 0; p < rows; p++) {
                final int base = p * n + c0;
                for (int j = 0; j < len; j++) {
                    dIn[base + j] *= scale;
                }
            }
        });
        return dIn;
    }

    /**
     * The columns of a row-major rows×cols matrix as separate arrays: out[k][p] = m[p·cols + k].
     *
     * @param m the matrix
     * @param rows its rows
     * @param cols its columns
     * @return cols arrays of length rows
     */
    static double[][] transpose(double[] m, int rows, int cols) {
        double[][] t = new double[cols][rows];
        for (int p = 0; p < rows; p++) {
            int base = p * cols;
            for (int k = 0; k < cols; k++) {
                t[k][p] = m[base + k];
            }
        }
        return t;
    }

    /**
     * C[p][cOff + q] = Σ_k A[p][k] · B(q, k) for p &lt; rowsA, q &lt; rowsB, k &lt; K, with A given
     * by its columns (aT[k] of length rowsA) and B(q, k) = b[base + q·qStride + k·kStride].
     * Four columns of C at a time are accumulated as whole arrays over p — c_q += B(q,k)·aT[k] —
     * the loop shape the JIT vectorises, each loaded aT[k][p] serving four multiply-adds. Each
     * entry is summed in increasing k, so the result does not depend on how the work is split.
     *
     * @param aT columns of A
     * @param rowsA rows of A (the length of every aT[k])
     * @param b storage of B
     * @param base offset of B(0, 0)
     * @param qStride step between rows of B
     * @param kStride step along a row of B
     * @param rowsB rows of B
     * @param kLen K
     * @param c C, row-major
     * @param ldc row stride of C
     * @param cOff column offset in C
     */
    static void multiplyAxpy(double[][] aT, int rowsA, double[] b, int base, int qStride, int kStride, int rowsB, int kLen,
            double[] c, int ldc, int cOff) {
        final double[] c0 = new double[rowsA];
        final double[] c1 = new double[rowsA];
        final double[] c2 = new double[rowsA];
        final double[] c3 = new double[rowsA];
        int q = 0;
        for (; q + 3 < rowsB; q += 4) {
            java.util.Arrays.fill(c0, 0.0);
            java.util.Arrays.fill(c1, 0.0);
            java.util.Arrays.fill(c2, 0.0);
            java.util.Arrays.fill(c3, 0.0);
            final int bq = base + q * qStride;
            for (int k = 0; k < kLen; k++) {
                final int bk = bq + k * kStride;
                axpy4(c0, c1, c2, c3, b[bk], b[bk + qStride], b[bk + 2 * qStride], b[bk + 3 * qStride], aT[k]);
            }
            for (int p = 0; p < rowsA; p++) {
                final int r = p * ldc + cOff + q;
                c[r] = c0[p];
                c[r + 1] = c1[p];
                c[r + 2] = c2[p];
                c[r + 3] = c3[p];
            }
        }
        for (; q < rowsB; q++) {
            java.util.Arrays.fill(c0, 0.0);
            final int bq = base + q * qStride;
            for (int k = 0; k < kLen; k++) {
                final double s = b[bq + k * kStride];
                final double[] v = aT[k];
                for (int p = 0; p < v.length; p++) {
                    c0[p] += s * v[p];
                }
            }
            for (int p = 0; p < rowsA; p++) {
                c[p * ldc + cOff + q] = c0[p];
            }
        }
    }

    private static void axpy4(double[] a, double[] b, double[] c, double[] e, double sa, double sb, double sc, double se,
            double[] v) {
        for (int p = 0; p < v.length; p++) {
            double w = v[p];
            a[p] += sa * w;
            b[p] += sb * w;
            c[p] += sc * w;
            e[p] += se * w;
        }
    }
}
