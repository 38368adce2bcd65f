package io.github.ntk4j.finite;

import io.github.ntk4j.MemoryCheck;
import io.github.ntk4j.Messages;
import io.github.ntk4j.math.DataChecks;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;
import java.util.List;

/**
 * One random finite-width realisation of a {@link Network} in NTK parameterisation
 * (KERNELS.md §2): every hidden Dense layer has {@code width} output units, the readout has
 * {@code outputs} units, and all weights and biases are i.i.d. N(0, 1) drawn from
 * {@link ParameterStreams} under this network's seed:
 * <pre>
 *   h = (W_std/√n) W g + b_std b        (Dense, fan-in n)
 *   g = φ(h)                             (activation)
 * </pre>
 *
 * <p>{@link #evaluate} runs one forward and one backward pass for a batch of N inputs and
 * returns the empirical NTK by the per-layer formula (KERNELS.md §6), for each output o,
 * <pre>
 *   Θ̂_o(x, y) = Σ_l ⟨δ_o^l(x), δ_o^l(y)⟩ · ( W_std,l²/n_{l−1} ⟨g^{l−1}(x), g^{l−1}(y)⟩ + b_std,l² )
 * </pre>
 * with δ_o^l = ∂f_o/∂h^l the sensitivity at the output of Dense layer l and g^{l−1} its input,
 * averaged over the outputs; the outputs f(x); and the readout's empirical NNGP
 * K̂(x, y) = W_std²/n_L ⟨g^L(x), g^L(y)⟩ + b_std², which is E[f(x) f(y) | hidden layers], the
 * covariance of the outputs given the hidden weights.
 *
 * <p>Each layer's finite rule is reached from the layer itself: an {@link Activation} brings
 * {@link Activation#apply} and {@link Activation#derivative}, and a {@link Dense} layer is
 * handled by {@code DenseRule}; a new activation needs no change here.
 *
 * <p>Memory: a weight matrix is kept from the forward pass for the backward pass only while
 * the kept matrices of one evaluation stay within {@link #keepBytes} (default
 * {@link #DEFAULT_KEEP_BYTES}); beyond that its rows are regenerated block by block where
 * they are used, so a wide network needs only the N×width activations and sensitivities of
 * each layer ({@link #bytesNeeded}). Which path is taken never changes a result: both feed
 * the same numbers in the same order to the same kernel.
 */
public final class FiniteNetwork {
    private final Network network;
    private final Layer[] layers;
    private final int width;
    private final int outputs;
    private final long seed;
    private final long keepBytes;

    /** Default budget for weight matrices kept between the passes of one evaluation: 256 MiB. */
    public static final long DEFAULT_KEEP_BYTES = 256L << 20;

    private FiniteNetwork(Network network, int width, int outputs, long seed, long keepBytes) {
        this.network = network;
        this.layers = network.layers().toArray(new Layer[0]);
        this.width = width;
        this.outputs = outputs;
        this.seed = seed;
        this.keepBytes = keepBytes;
    }

    /**
     * @param bytes budget for weight matrices kept from the forward for the backward pass
     *              (0: regenerate every one); results do not depend on it, time and memory do
     * @return a copy of this network with that budget
     */
    public FiniteNetwork withKeepBytes(long bytes) {
        return new FiniteNetwork(network, width, outputs, seed, Math.max(0, bytes));
    }

    /** @return the budget for kept weight matrices */
    public long keepBytes() {
        return keepBytes;
    }

    /**
     * Which Dense layers keep their weights between the passes under a budget: every Dense
     * layer whose backward pass runs (all but the first), from the first on, while the sum
     * of out × fan-in × 8 bytes stays within the budget.
     */
    private static boolean[] keptLayers(Layer[] layers, long d, long width, long outputs, long budget) {
        boolean[] keep = new boolean[layers.length];
        long used = 0;
        long in = d;
        boolean seenDense = false;
        for (int l = 0; l < layers.length; l++) {
            if (layers[l] instanceof Dense) {
                long out = l == layers.length - 1 ? outputs : width;
                long bytes = out * in * Double.BYTES;
                if (seenDense && used + bytes <= budget) {
                    keep[l] = true;
                    used += bytes;
                }
                seenDense = true;
                in = out;
            }
        }
        return keep;
    }

    /**
     * A finite network with one output.
     *
     * @param network the architecture
     * @param width hidden width m ≥ 1
     * @param seed the seed of all its parameters
     * @return the network
     */
    public static FiniteNetwork of(Network network, int width, long seed) {
        return of(network, width, 1, seed);
    }

    /**
     * A finite network with k outputs.
     *
     * @param network the architecture
     * @param width hidden width m ≥ 1
     * @param outputs readout width k ≥ 1
     * @param seed the seed of all its parameters
     * @return the network
     */
    public static FiniteNetwork of(Network network, int width, int outputs, long seed) {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        checkWidth(width);
        if (outputs < 1) {
            throw Messages.tooSmall("outputs", outputs, 1);
        }
        return new FiniteNetwork(network, width, outputs, seed, DEFAULT_KEEP_BYTES);
    }

    /**
     * Rejects a hidden width below 1.
     *
     * @param width the width
     */
    public static void checkWidth(int width) {
        if (width < 1) {
            throw Messages.tooSmall("width", width, 1);
        }
    }

    /** @return the architecture */
    public Network network() {
        return network;
    }

    /** @return the hidden width m */
    public int width() {
        return width;
    }

    /** @return the readout width k */
    public int outputs() {
        return outputs;
    }

    /** @return the seed of the parameters */
    public long seed() {
        return seed;
    }

    /**
     * Output width of the layer at {@code index}: the readout (last layer) has k units, every
     * other Dense layer m; an activation keeps its input width.
     *
     * @param index layer index
     * @param inputDim input dimension d
     * @return the width after that layer
     */
    public int widthAfter(int index, int inputDim) {
        int w = inputDim;
        for (int l = 0; l <= index; l++) {
            if (layers[l] instanceof Dense) {
                w = l == layers.length - 1 ? outputs : width;
            }
        }
        return w;
    }

    /**
     * The weight W[row][col] of the Dense layer at {@code layer} (an N(0, 1) number before
     * scaling by W_std/√n), regenerated from its stream; for tests and inspection.
     *
     * @param layer index of a Dense layer
     * @param row output unit
     * @param col input unit
     * @param fanIn the layer's fan-in n
     * @return the weight
     */
    public double weight(int layer, int row, int col, int fanIn) {
        int block = col / ParameterStreams.COLUMN_BLOCK;
        int col0 = block * ParameterStreams.COLUMN_BLOCK;
        int len = Math.min(ParameterStreams.COLUMN_BLOCK, fanIn - col0);
        double[] buf = new double[len];
        ParameterStreams.fillWeights(seed, layer, row, col0, len, buf, 0);
        return buf[col - col0];
    }

    /**
     * The bias b[row] of the Dense layer at {@code layer} (an N(0, 1) number before scaling by
     * b_std).
     *
     * @param layer index of a Dense layer
     * @param row output unit
     * @param outWidth the layer's output width
     * @return the bias
     */
    public double bias(int layer, int row, int outWidth) {
        return ParameterStreams.biases(seed, layer, outWidth)[row];
    }

    /**
     * What one evaluation returns.
     *
     * @param ntk empirical NTK Θ̂ (N×N), averaged over the outputs
     * @param nngp readout NNGP K̂ = W_std²/n ⟨g^L(x), g^L(y)⟩ + b_std² (N×N), the output
     *             covariance given the hidden layers
     * @param outputs the network's outputs f (N×k)
     */
    public record Sample(double[][] ntk, double[][] nngp, double[][] outputs) {
        /**
         * The empirical NNGP from the outputs, f(x)·f(y) averaged over the k outputs.
         *
         * @param i first input
         * @param j second input
         * @return (1/k) Σ_o f_o(x_i) f_o(x_j)
         */
        public double outputProduct(int i, int j) {
            double s = 0;
            for (int o = 0; o < outputs[i].length; o++) {
                s += outputs[i][o] * outputs[j][o];
            }
            return s / outputs[i].length;
        }
    }

    /**
     * Bytes of one {@link Sample} on N inputs: Θ̂ and K̂ (N×N each) and the outputs (N×k).
     *
     * @param n inputs N
     * @param outputs readout width k
     * @return bytes, saturating at {@link Long#MAX_VALUE}
     */
    public static long sampleBytes(long n, long outputs) {
        return MemoryCheck.plus(64, MemoryCheck.times(2, MemoryCheck.doubles(n, n)), MemoryCheck.doubles(n, outputs));
    }

    /**
     * One forward and one backward pass over a batch, on the calling thread.
     *
     * @param x inputs, N rows of dimension d
     * @return Θ̂, K̂ and f
     */
    public Sample evaluate(double[][] x) {
        return evaluate(x, Workers.serial());
    }

    /**
     * One forward and one backward pass over a batch (KERNELS.md §6).
     *
     * @param rawX inputs, N rows of dimension d (mapped by the network's Fourier features, if any)
     * @param workers threads for the matrix products (results do not depend on their number)
     * @return Θ̂, K̂ and f
     */
    public Sample evaluate(double[][] rawX, Workers workers) {
        DataChecks.dataSet("inputs", rawX);
        // a Fourier-feature input map is fixed (not trained): the first Dense layer sees γ(x)
        final double[][] x = network.mapInputs(rawX);
        final int d = x[0].length;
        final int n = x.length;
        final int count = layers.length;
        final double[][] inputs = new double[count][];   // input of each Dense layer, N×fanIn
        final int[] fanIn = new int[count];
        final double[][] pre = new double[count][];      // input of each activation, N×width
        final boolean[] keep = keptLayers(layers, d, width, outputs, keepBytes);
        final double[][] kept = new double[count][];
        double[] cur = new double[n * d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(x[p], 0, cur, p * d, d);
        }
        int cw = d;
        int firstDense = -1;
        for (int l = 0; l < count; l++) {
            Layer layer = layers[l];
            if (layer instanceof Dense dense) {
                int out = l == count - 1 ? outputs : width;
                inputs[l] = cur;
                fanIn[l] = cw;
                if (firstDense < 0) {
                    firstDense = l;
                }
                kept[l] = keep[l] ? new double[out * cw] : null;
                cur = DenseRule.forward(seed, l, dense.wStd(), dense.bStd(), cur, n, cw, out, kept[l], workers);
                cw = out;
            } else {
                Activation phi = (Activation) layer;
                pre[l] = cur;
                double[] next = new double[cur.length];
                for (int k = 0; k < next.length; k++) {
                    next[k] = phi.apply(cur[k]);
                }
                cur = next;
            }
        }
        final double[][] f = new double[n][outputs];
        for (int p = 0; p < n; p++) {
            System.arraycopy(cur, p * outputs, f[p], 0, outputs);
        }
        // Backward: one sensitivity row per (output o, input p), row index o·N + p.
        final int rows = n * outputs;
        double[] delta = new double[rows * outputs];
        for (int o = 0; o < outputs; o++) {
            for (int p = 0; p < n; p++) {
                delta[(o * n + p) * outputs + o] = 1;
            }
        }
        int dw = outputs;
        double[][] ntk = new double[n][n];
        double[][] nngp = null;
        for (int l = count - 1; l >= 0; l--) {
            Layer layer = layers[l];
            if (layer instanceof Dense dense) {
                int fin = fanIn[l];
                double[][] inputTerm = gram(inputs[l], n, fin);
                double w2 = dense.wStd() * dense.wStd() / fin;
                double b2 = dense.bStd() * dense.bStd();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        inputTerm[i][j] = w2 * inputTerm[i][j] + b2;
                    }
                }
                if (l == count - 1) {
                    nngp = inputTerm;
                }
                for (int o = 0; o < outputs; o++) {
                    double[][] sens = gramRows(delta, o * n, n, dw);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            ntk[i][j] += sens[i][j] * inputTerm[i][j];
                        }
                    }
                }
                if (l > firstDense) {
                    delta = DenseRule.backward(seed, l, dense.wStd(), delta, rows, fin, dw, kept[l], workers);
                    kept[l] = null;
                    dw = fin;
                }
            } else {
                Activation phi = (Activation) layer;
                double[] h = pre[l];
                for (int r = 0; r < rows; r++) {
                    int hp = (r % n) * dw;
                    int dp = r * dw;
                    for (int k = 0; k < dw; k++) {
                        delta[dp + k] *= phi.derivative(h[hp + k]);
                    }
                }
            }
        }
        if (outputs > 1) {
            for (double[] row : ntk) {
                for (int j = 0; j < n; j++) {
                    row[j] /= outputs;
                }
            }
        }
        return new Sample(ntk, nngp, f);
    }

    /** Symmetric Gram matrix of the rows of an N×w matrix. */
    private static double[][] gram(double[] a, int n, int w) {
        return gramRows(a, 0, n, w);
    }

    private static double[][] gramRows(double[] a, int first, int n, int w) {
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            int ai = (first + i) * w;
            for (int j = i; j < n; j++) {
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
     * Bytes one evaluation needs beyond the inputs: the stored Dense inputs and activation
     * pre-activations (N × width each), two sensitivity buffers (N·k × width), the
     * per-thread weight blocks, the weight matrices kept under the default budget
     * {@link #DEFAULT_KEEP_BYTES} and the N×N results.
     *
     * @param network the architecture
     * @param n inputs N
     * @param d input dimension
     * @param width hidden width m
     * @param outputs readout width k
     * @param threads threads working on this network
     * @return estimated bytes
     */
    public static long bytesNeeded(Network network, long n, long d, long width, long outputs, long threads) {
        return bytesNeeded(network, n, d, width, outputs, threads, DEFAULT_KEEP_BYTES);
    }

    /**
     * As {@link #bytesNeeded(Network, long, long, long, long, long)} with a given budget for
     * kept weight matrices.
     *
     * @param network the architecture
     * @param n inputs N
     * @param d input dimension
     * @param width hidden width m
     * @param outputs readout width k
     * @param threads threads working on this network
     * @param keepBytes budget for kept weight matrices
     * @return estimated bytes
     */
    public static long bytesNeeded(Network network, long n, long d, long width, long outputs, long threads,
            long keepBytes) {
        if (network.inputMap() != null) {
            d = network.inputMap().outputDimension((int) d);
        }
        List<Layer> ls = network.layers();
        boolean[] keep = keptLayers(ls.toArray(new Layer[0]), d, width, outputs, keepBytes);
        long keptDoubles = 0;
        long in = d;
        for (int l = 0; l < ls.size(); l++) {
            if (ls.get(l) instanceof Dense) {
                long out = l == ls.size() - 1 ? outputs : width;
                keptDoubles += keep[l] ? out * in : 0;
                in = out;
            }
        }
        long doubles = n * d;
        long maxW = Math.max(d, width);
        for (int l = 0; l < ls.size(); l++) {
            boolean last = l == ls.size() - 1;
            long out = last ? outputs : width;
            doubles += n * out; // each layer's output (activations keep a copy of their input)
        }
        doubles += 2 * n * outputs * maxW;          // sensitivities in and out of a layer
        doubles += threads * (long) Math.max(DenseRule.ROW_BLOCK, ParameterStreams.COLUMN_BLOCK) * maxW; // weight blocks
        doubles += keptDoubles;
        doubles += (3 + outputs) * n * n + n * outputs;
        return doubles * Double.BYTES + 64L * 1024;
    }
}
