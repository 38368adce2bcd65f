package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Dense;

/**
 * The finite-width rule of a {@link Dense} layer, in NTK or standard parameterisation. One
 * function, written in two sets of parameters:
 * <pre>
 *   raw (what the streams give):  h = (W_std/√n) W g + b_std b,   W, b ~ N(0, 1)
 *   trained (what training moves): h = α θ_W g + β θ_b,   θ_W = c_W W,  θ_b = c_b b
 *     NTK:       c_W = c_b = 1,                α = W_std/√n,  β = b_std
 *     standard:  c_W = W_std/√N,  c_b = b_std,  α = √(N/n) = 1/√s,  β = 1
 * </pre>
 * with n the fan-in and N the base fan-in (neural-tangents' width scaling s = n/N,
 * Sohl-Dickstein et al. 2020: W' ~ N(0, W_std²/N), b' ~ N(0, b_std²), h = W' g/√s + b'). A
 * {@link WeightSource} says which set it holds ({@link WeightSource#trained}); the forward map
 * is the same function either way (α c_W = W_std/√n, β c_b = b_std). The empirical NTK is
 * taken in the trained parameters, the ones gradient descent moves: the layer's share is
 * Σ_o ⟨δ_o(x), δ_o(y)⟩ · (α² ⟨g(x), g(y)⟩ + β²), i.e. (W_std²/n ⟨g, g⟩ + b_std²) in NTK and
 * (N/n ⟨g, g⟩ + 1) in standard parameterisation; the backward map is δ_in = a Wᵀ δ_out and the
 * loss gradient ∇_W L = a Δᵀ G, ∇_b L = b Σ_p Δ_p, for a batch of inputs G (N×n), with (a, b) =
 * (α, β) over trained parameters and (W_std/√n, b_std) over raw ones.
 *
 * <p>W (out × n) comes from a {@link WeightSource}: held in memory, kept from the forward
 * pass, or regenerated block by block in each pass; every path feeds the same numbers in the
 * same order to the same kernel, so the result does not depend on which was used. Matrices
 * are row-major {@code double[]}; a batch of N vectors of width n is N×n.
 *
 * <p>The products are C = A·Bᵀ, computed by {@link #multiplyAxpy} from A's columns (the
 * batch transposed once per layer) as vectorisable axpys, four columns of C at a time (about
 * twice as fast here as 4×4 register tiles of scalar fused multiply-adds). The forward pass
 * splits the output units into fixed blocks of rows of W; the backward pass and the weight
 * gradient split the fan-in into fixed column blocks of W. Task boundaries never depend on
 * the thread count and every entry is one task's dot product in index order, so results are
 * bit-for-bit the same on any number of threads.
 */
final class DenseRule implements FiniteRule {
    /** Output units per forward task. */
    static final int ROW_BLOCK = 16;

    private final int layer;
    private final double wStd;
    private final double bStd;
    private final int n;
    private final int out;
    private final WeightSource weights;
    /** α² and β²: the weights' and the biases' factors in the layer's share of the empirical NTK. */
    private final double ntkWeight;
    private final double ntkBias;
    /** The factors of the numbers the source holds: (α, β) for trained parameters, (W_std/√n, b_std) for raw. */
    private final double scale;
    private final double biasScale;

    /**
     * @param shape the layer, its id (names its parameter streams), fan-in, output width and
     *              base fan-in
     * @param weights where its parameters come from
     */
    DenseRule(LayerShapes.DenseShape shape, WeightSource weights) {
        Dense dense = shape.dense();
        this.layer = shape.id();
        this.wStd = dense.wStd();
        this.bStd = dense.bStd();
        this.n = shape.in();
        this.out = shape.out();
        this.weights = weights;
        double alpha = dense.standard() ? Math.sqrt((double) shape.baseFanIn() / n) : wStd / Math.sqrt(n);
        double beta = dense.standard() ? 1 : bStd;
        this.ntkWeight = dense.standard() ? (double) shape.baseFanIn() / n : wStd * wStd / n;
        this.ntkBias = beta * beta;
        this.scale = weights.trained() ? alpha : wStd / Math.sqrt(n);
        this.biasScale = weights.trained() ? beta : bStd;
    }

    /**
     * c_W: a trained weight is c_W times its raw N(0, 1) number (1 in NTK parameterisation,
     * W_std/√N in standard parameterisation).
     *
     * @param shape the layer
     * @return c_W
     */
    static double trainedWeightFactor(LayerShapes.DenseShape shape) {
        return shape.dense().standard() ? shape.dense().wStd() / Math.sqrt(shape.baseFanIn()) : 1;
    }

    /**
     * c_b: a trained bias is c_b times its raw N(0, 1) number (1 in NTK parameterisation, b_std in
     * standard parameterisation).
     *
     * @param shape the layer
     * @return c_b
     */
    static double trainedBiasFactor(LayerShapes.DenseShape shape) {
        return shape.dense().standard() ? shape.dense().bStd() : 1;
    }

    @Override
    public boolean hasParameters() {
        return true;
    }

    /** Forward pass H = a G Wᵀ + b 1 bᵀ (a = W_std/√n, b = b_std over raw parameters). */
    @Override
    public double[] forward(double[] g, int rows, Workers workers) {
        final double[] bias = weights.biases(layer, out);
        final double[] h = new double[rows * out];
        final double[][] gT = transpose(g, rows, n);
        final double[] stored = weights.matrix(layer);
        final double[] keep = stored == null ? weights.keep(layer, out * n) : null;
        final int tasks = (out + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.forEach(tasks, t -> {
            int i0 = t * ROW_BLOCK;
            int count = Math.min(out, i0 + ROW_BLOCK) - i0;
            if (stored != null) {
                multiplyAxpy(gT, rows, stored, i0 * n, n, 1, count, n, h, out, i0);
            } else {
                double[] w = new double[count * n];
                for (int r = 0; r < count; r++) {
                    weights.fillRow(layer, i0 + r, 0, n, n, w, r * n);
                }
                if (keep != null) {
                    System.arraycopy(w, 0, keep, i0 * n, count * n);
                }
                multiplyAxpy(gT, rows, w, 0, n, 1, count, n, h, out, i0);
            }
            for (int p = 0; p < rows; p++) {
                for (int k = i0; k < i0 + count; k++) {
                    h[p * out + k] = scale * h[p * out + k] + biasScale * bias[k];
                }
            }
        });
        return h;
    }

    /** Backward pass Δ_in = a Δ_out W; a weight matrix kept for it is released. */
    @Override
    public double[] backward(double[] input, double[] dOut, int rows, int nInputs, Workers workers) {
        final double[] dIn = new double[rows * n];
        final double[][] dOutT = transpose(dOut, rows, out);
        final double[] stored = weights.matrix(layer);
        final int cb = ParameterStreams.COLUMN_BLOCK;
        final int tasks = (n + cb - 1) / cb;
        workers.forEach(tasks, t -> {
            final int c0 = t * cb;
            final int len = Math.min(cb, n - c0);
            if (stored != null) {
                // W[i][c0 + j] = stored[i·n + c0 + j]: column j of the block, stride n along i
                multiplyAxpy(dOutT, rows, stored, c0, 1, n, len, out, dIn, n, c0);
            } else {
                final double[] wt = new double[len * out]; // Wᵀ restricted to columns c0 … c0+len
                double[] row = new double[len];
                for (int i = 0; i < out; i++) {
                    weights.fillRow(layer, i, c0, len, n, row, 0);
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
        weights.release(layer);
        return dIn;
    }

    /**
     * Σ_o ⟨δ_o(x_i), δ_o(x_j)⟩ · (α² ⟨g(x_i), g(x_j)⟩ + β²); returns W_std²/n ⟨g(x_i), g(x_j)⟩ + b_std²,
     * the covariance of one output unit over a redraw of the raw parameters.
     */
    @Override
    public double[][] addTangentKernel(double[] g, double[] dOut, int nInputs, int outputs, double[][] ntk) {
        double[][] gram = gramRows(g, 0, nInputs, n);
        double[][] cov = new double[nInputs][nInputs];
        double[][] inputTerm = new double[nInputs][nInputs];
        double w2 = wStd * wStd / n;
        double b2 = bStd * bStd;
        for (int i = 0; i < nInputs; i++) {
            for (int j = 0; j < nInputs; j++) {
                cov[i][j] = w2 * gram[i][j] + b2;
                inputTerm[i][j] = ntkWeight * gram[i][j] + ntkBias;
            }
        }
        for (int o = 0; o < outputs; o++) {
            double[][] sens = gramRows(dOut, o * nInputs, nInputs, out);
            for (int i = 0; i < nInputs; i++) {
                for (int j = 0; j < nInputs; j++) {
                    ntk[i][j] += sens[i][j] * inputTerm[i][j];
                }
            }
        }
        return cov;
    }

    /** The gradient, then the sensitivities at the input, then the gradient to the sink (it may update W). */
    @Override
    public double[] backpropagate(double[] input, double[] dOut, int nInputs, boolean needInput, Workers workers,
            FinitePass.GradientSink sink) {
        Gradient g = gradient(input, dOut, nInputs, workers);
        double[] dIn = needInput ? backward(input, dOut, nInputs, nInputs, workers) : null;
        sink.accept(layer, g);
        return dIn;
    }

    /** ∇_W = a Δᵀ G (column blocks of W as tasks), ∇_b = b Σ_p Δ_p, over the parameters the source holds. */
    Gradient gradient(double[] g, double[] dOut, int nInputs, Workers workers) {
        final double[] gw = new double[out * n];
        // A = Δᵀ (out×N) by its columns, the rows of Δ; B(q, p) = G[p][q]
        final double[][] rowsOfDelta = new double[nInputs][];
        for (int p = 0; p < nInputs; p++) {
            rowsOfDelta[p] = java.util.Arrays.copyOfRange(dOut, p * out, (p + 1) * out);
        }
        final int cb = ParameterStreams.COLUMN_BLOCK;
        final int tasks = (n + cb - 1) / cb;
        workers.forEach(tasks, t -> {
            final int c0 = t * cb;
            final int len = Math.min(cb, n - c0);
            multiplyAxpy(rowsOfDelta, out, g, c0, 1, n, len, nInputs, gw, n, c0);
            for (int i = 0; i < out; i++) {
                final int base = i * n + c0;
                for (int j = 0; j < len; j++) {
                    gw[base + j] *= scale;
                }
            }
        });
        double[] gb = new double[out];
        for (int p = 0; p < nInputs; p++) {
            for (int i = 0; i < out; i++) {
                gb[i] += dOut[p * out + i];
            }
        }
        for (int i = 0; i < out; i++) {
            gb[i] *= biasScale;
        }
        return new Gradient(gw, gb);
    }

    /** Gram matrix of rows first … first+N−1 of a matrix of row width w (symmetric, filled both ways). */
    static double[][] gramRows(double[] a, int first, int nRows, int w) {
        double[][] g = new double[nRows][nRows];
        for (int i = 0; i < nRows; i++) {
            int ai = (first + i) * w;
            for (int j = i; j < nRows; j++) {
                int aj = (first + j) * w;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int k = 0;
                for (; k + 4 <= w; k += 4) {
                    s0 = Math.fma(a[ai + k], a[aj + k], s0);
                    s1 = Math.fma(a[ai + k + 1], a[aj + k + 1], s1);
                    s2 = Math.fma(a[ai + k + 2], a[aj + k + 2], s2);
                    s3 = Math.fma(a[ai + k + 3], a[aj + k + 3], s3);
                }
                for (; k < w; k++) {
                    s0 = Math.fma(a[ai + k], a[aj + k], s0);
                }
                double s = (s0 + s1) + (s2 + s3);
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return g;
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
                Vectors.axpy4(c0, c1, c2, c3, b[bk], b[bk + qStride], b[bk + 2 * qStride], b[bk + 3 * qStride], aT[k]);
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
                Vectors.axpy(c0, b[bq + k * kStride], aT[k]);
            }
            for (int p = 0; p < rowsA; p++) {
                c[p * ldc + cOff + q] = c0[p];
            }
        }
    }
}
