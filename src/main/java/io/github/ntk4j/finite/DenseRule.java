package io.github.ntk4j.finite;

/**
 * The finite-width rule of a {@link io.github.ntk4j.net.Dense} layer in NTK parameterisation
 * (KERNELS.md §2): forward h = (W_std/√n) W g + b_std b and backward
 * δ_in = (W_std/√n) Wᵀ δ_out, for a batch of inputs, with W (out × n) never stored: its rows
 * are regenerated from {@link ParameterStreams} block by block where they are used.
 *
 * <p>Matrices are row-major {@code double[]}: a batch of N vectors of width n is N×n.
 * The forward product multiplies 4 inputs by 4 freshly generated weight rows in a
 * register-blocked dot-product tile; the backward product runs over column blocks of W
 * (one task per block, so every output entry is summed in the same order on any thread
 * count) and adds 4 weight rows at a time to each sensitivity row (a loop the JIT vectorises).
 */
final class DenseRule {
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
     * @param workers threads
     * @return H, N×out
     */
    static double[] forward(long seed, int layer, double wStd, double bStd, double[] g, int rows, int n, int out,
            Workers workers) {
        final double scale = wStd / Math.sqrt(n);
        final double[] bias = bStd == 0 ? null : ParameterStreams.biases(seed, layer, out);
        final double[] h = new double[rows * out];
        final int block = 32;
        final int tasks = (out + block - 1) / block;
        workers.forEach(tasks, t -> {
            int i0 = t * block;
            int i1 = Math.min(out, i0 + block);
            double[] w = new double[4 * n];
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                for (int r = 0; r < 4; r++) {
                    ParameterStreams.fillWeights(seed, layer, i + r, 0, n, w, r * n);
                }
                int p = 0;
                for (; p + 4 <= rows; p += 4) {
                    tile4x4(g, p, n, w, h, out, i);
                }
                for (; p < rows; p++) {
                    int gp = p * n;
                    double a0 = 0;
                    double a1 = 0;
                    double a2 = 0;
                    double a3 = 0;
                    for (int j = 0; j < n; j++) {
                        double x = g[gp + j];
                        a0 = Math.fma(x, w[j], a0);
                        a1 = Math.fma(x, w[n + j], a1);
                        a2 = Math.fma(x, w[2 * n + j], a2);
                        a3 = Math.fma(x, w[3 * n + j], a3);
                    }
                    int hp = p * out + i;
                    h[hp] = a0;
                    h[hp + 1] = a1;
                    h[hp + 2] = a2;
                    h[hp + 3] = a3;
                }
            }
            for (; i < i1; i++) {
                ParameterStreams.fillWeights(seed, layer, i, 0, n, w, 0);
                for (int p = 0; p < rows; p++) {
                    int gp = p * n;
                    double a = 0;
                    for (int j = 0; j < n; j++) {
                        a = Math.fma(g[gp + j], w[j], a);
                    }
                    h[p * out + i] = a;
                }
            }
            for (int p = 0; p < rows; p++) {
                for (int k = i0; k < i1; k++) {
                    h[p * out + k] = scale * h[p * out + k] + (bias == null ? 0 : bStd * bias[k]);
                }
            }
        });
        return h;
    }

    /** h[p..p+3][i..i+3] = g[p..p+3] · w[0..3] (16 accumulators, 8 loads per 16 FMAs). */
    private static void tile4x4(double[] g, int p, int n, double[] w, double[] h, int out, int i) {
        final int g0 = p * n;
        final int g1 = g0 + n;
        final int g2 = g1 + n;
        final int g3 = g2 + n;
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int j = 0; j < n; j++) {
            double w0 = w[j];
            double w1 = w[n + j];
            double w2 = w[2 * n + j];
            double w3 = w[3 * n + j];
            double x0 = g[g0 + j];
            double x1 = g[g1 + j];
            double x2 = g[g2 + j];
            double x3 = g[g3 + j];
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
        int r0 = p * out + i;
        h[r0] = c00;
        h[r0 + 1] = c01;
        h[r0 + 2] = c02;
        h[r0 + 3] = c03;
        int r1 = r0 + out;
        h[r1] = c10;
        h[r1 + 1] = c11;
        h[r1 + 2] = c12;
        h[r1 + 3] = c13;
        int r2 = r1 + out;
        h[r2] = c20;
        h[r2 + 1] = c21;
        h[r2 + 2] = c22;
        h[r2 + 3] = c23;
        int r3 = r2 + out;
        h[r3] = c30;
        h[r3 + 1] = c31;
        h[r3 + 2] = c32;
        h[r3 + 3] = c33;
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
     * @param workers threads
     * @return Δ_in, R×n
     */
    static double[] backward(long seed, int layer, double wStd, double[] dOut, int rows, int n, int out,
            Workers workers) {
        final double scale = wStd / Math.sqrt(n);
        final double[] dIn = new double[rows * n];
        final int cb = ParameterStreams.COLUMN_BLOCK;
        final int tasks = (n + cb - 1) / cb;
        workers.forEach(tasks, t -> {
            final int c0 = t * cb;
            final int len = Math.min(cb, n - c0);
            final double[] w = new double[4 * len];
            int i = 0;
            for (; i + 4 <= out; i += 4) {
                for (int r = 0; r < 4; r++) {
                    ParameterStreams.fillWeights(seed, layer, i + r, c0, len, w, r * len);
                }
                for (int p = 0; p < rows; p++) {
                    final int dp = p * out + i;
                    final double d0 = dOut[dp];
                    final double d1 = dOut[dp + 1];
                    final double d2 = dOut[dp + 2];
                    final double d3 = dOut[dp + 3];
                    final int base = p * n + c0;
                    for (int j = 0; j < len; j++) {
                        dIn[base + j] += d0 * w[j] + d1 * w[len + j] + d2 * w[2 * len + j] + d3 * w[3 * len + j];
                    }
                }
            }
            for (; i < out; i++) {
                ParameterStreams.fillWeights(seed, layer, i, c0, len, w, 0);
                for (int p = 0; p < rows; p++) {
                    final double d0 = dOut[p * out + i];
                    final int base = p * n + c0;
                    for (int j = 0; j < len; j++) {
                        dIn[base + j] += d0 * w[j];
                    }
                }
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
}
