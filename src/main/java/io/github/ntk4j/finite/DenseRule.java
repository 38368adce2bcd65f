package io.github.ntk4j.finite;

/**
 * The finite-width rule of a {@link io.github.ntk4j.net.Dense} layer in NTK parameterisation
 * (KERNELS.md §2): forward h = (W_std/√n) W g + b_std b and backward
 * δ_in = (W_std/√n) Wᵀ δ_out, for a batch of inputs.
 *
 * <p>W (out × n) is either kept from the forward pass ({@link #forward} returns it when asked
 * to) or regenerated from {@link ParameterStreams} in the backward pass, block by block; both
 * paths feed the same numbers in the same order to the same kernel, so the result does not
 * depend on which was used. Matrices are row-major {@code double[]}; a batch of N vectors of
 * width n is N×n.
 *
 * <p>Both products are C = A·Bᵀ (each entry a dot product of a row of A with a row of B)
 * computed by {@link #multiplyTransposed} in 4×4 register tiles (8 loads per 16 fused
 * multiply-adds). The forward pass splits the output units into fixed blocks of rows of W;
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
            multiplyTransposed(g, rows, w, count, n, h, out, i0);
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
        final int cb = ParameterStreams.COLUMN_BLOCK;
        final int tasks = (n + cb - 1) / cb;
        workers.forEach(tasks, t -> {
            final int c0 = t * cb;
            final int len = Math.min(cb, n - c0);
            final double[] wt = new double[len * out]; // Wᵀ restricted to columns c0 … c0+len
            if (kept != null) {
                for (int i = 0; i < out; i++) {
                    int src = i * n + c0;
                    for (int j = 0; j < len; j++) {
                        wt[j * out + i] = kept[src + j];
                    }
                }
            } else {
                double[] row = new double[len];
                for (int i = 0; i < out; i++) {
                    ParameterStreams.fillWeights(seed, layer, i, c0, len, row, 0);
                    for (int j = 0; j < len; j++) {
                        wt[j * out + i] = row[j];
                    }
                }
            }
            multiplyTransposed(dOut, rows, wt, len, out, dIn, n, c0);
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
     * C[p][cOff + q] = Σ_k A[p][k] · B[q][k] for p &lt; rowsA, q &lt; rowsB, k &lt; K: A is
     * rowsA×K, B is rowsB×K (both row-major), C has row stride ldc. Each entry is summed by
     * fused multiply-adds in increasing k.
     *
     * @param a A
     * @param rowsA rows of A
     * @param b B
     * @param rowsB rows of B
     * @param kLen K
     * @param c C
     * @param ldc row stride of C
     * @param cOff column offset in C
     */
    static void multiplyTransposed(double[] a, int rowsA, double[] b, int rowsB, int kLen, double[] c, int ldc,
            int cOff) {
        int q = 0;
        for (; q + 4 <= rowsB; q += 4) {
            int p = 0;
            for (; p + 4 <= rowsA; p += 4) {
                tile4x4(a, p * kLen, b, q * kLen, kLen, c, p * ldc + cOff + q, ldc);
            }
            for (; p < rowsA; p++) {
                tile1x4(a, p * kLen, b, q * kLen, kLen, c, p * ldc + cOff + q);
            }
        }
        for (; q < rowsB; q++) {
            int bq = q * kLen;
            for (int p = 0; p < rowsA; p++) {
                int ap = p * kLen;
                double s = 0;
                for (int k = 0; k < kLen; k++) {
                    s = Math.fma(a[ap + k], b[bq + k], s);
                }
                c[p * ldc + cOff + q] = s;
            }
        }
    }

    private static void tile1x4(double[] a, int a0, double[] b, int b0, int n, double[] c, int c0) {
        final int b1 = b0 + n;
        final int b2 = b1 + n;
        final int b3 = b2 + n;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int k = 0; k < n; k++) {
            double x = a[a0 + k];
            s0 = Math.fma(x, b[b0 + k], s0);
            s1 = Math.fma(x, b[b1 + k], s1);
            s2 = Math.fma(x, b[b2 + k], s2);
            s3 = Math.fma(x, b[b3 + k], s3);
        }
        c[c0] = s0;
        c[c0 + 1] = s1;
        c[c0 + 2] = s2;
        c[c0 + 3] = s3;
    }

    private static void tile4x4(double[] a, int a0, double[] b, int b0, int n, double[] c, int c0, int ldc) {
        final int a1 = a0 + n;
        final int a2 = a1 + n;
        final int a3 = a2 + n;
        final int b1 = b0 + n;
        final int b2 = b1 + n;
        final int b3 = b2 + n;
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k = 0; k < n; k++) {
            double w0 = b[b0 + k];
            double w1 = b[b1 + k];
            double w2 = b[b2 + k];
            double w3 = b[b3 + k];
            double x0 = a[a0 + k];
            double x1 = a[a1 + k];
            double x2 = a[a2 + k];
            double x3 = a[a3 + k];
            c00 = Math.fma(x0, w0, c00);
            c01 = Math.fma(x0, w1, c01);
            c02 = Math.fma(x0, w2, c02);
            c03 = Math.fma(x0, w3, c03);
            c10 = Math.fma(x1, w0, c10);
            c11 = Math.fma(x1, w1, c11);
            c12 = Math.fma(x1, w2, c12);
            c13 = Math.fma(x1, w3, c13);
            c20 = Math.fma(x2, w0, c20);
            c21 = Math.fma(x2, w1, c21);
            c22 = Math.fma(x2, w2, c22);
            c23 = Math.fma(x2, w3, c23);
            c30 = Math.fma(x3, w0, c30);
            c31 = Math.fma(x3, w1, c31);
            c32 = Math.fma(x3, w2, c32);
            c33 = Math.fma(x3, w3, c33);
        }
        c[c0] = c00;
        c[c0 + 1] = c01;
        c[c0 + 2] = c02;
        c[c0 + 3] = c03;
        int r = c0 + ldc;
        c[r] = c10;
        c[r + 1] = c11;
        c[r + 2] = c12;
        c[r + 3] = c13;
        r += ldc;
        c[r] = c20;
        c[r + 1] = c21;
        c[r + 2] = c22;
        c[r + 3] = c23;
        r += ldc;
        c[r] = c30;
        c[r + 1] = c31;
        c[r + 2] = c32;
        c[r + 3] = c33;
    }
}
