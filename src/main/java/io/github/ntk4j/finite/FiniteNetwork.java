package io.github.ntk4j.finite;

import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Network;

/**
 * One random finite-width realisation of a {@link Network} in NTK parameterisation
 * (docs/KERNEL-RECURSION.md §2): every hidden Dense layer has {@code width} output units, the readout has
 * {@code outputs} units, and all weights and biases are i.i.d. N(0, 1) drawn from
 * {@link ParameterStreams} under this network's seed:
 * <pre>
 *   h = (W_std/√n) W g + b_std b        (Dense, fan-in n)
 *   g = φ(h)                             (activation)
 * </pre>
 *
 * <p>{@link #evaluate} runs one forward and one backward pass for a batch of N inputs and
 * returns the empirical NTK by the per-layer formula (see {@link FinitePass}), averaged over the
 * outputs; the outputs f(x); and the readout's empirical NNGP
 * K̂(x, y) = W_std²/n_L ⟨g^L(x), g^L(y)⟩ + b_std², which is E[f(x) f(y) | hidden layers], the
 * covariance of the outputs given the hidden weights.
 *
 * <p>The passes are {@link FinitePass}'s, shared with {@link TrainableNetwork}; this class
 * only chooses the weight source: parameters regenerated from their streams
 * ({@link WeightSource.Streamed}). Each layer's finite-width rule is a {@link FiniteRule}.
 *
 * <p>Memory: a weight matrix is kept from the forward pass for the backward pass only while
 * the kept matrices of one evaluation stay within {@link #keepBytes} (default
 * {@link #DEFAULT_KEEP_BYTES}); beyond that its rows are regenerated block by block where
 * they are used, so a wide network needs only the N×width activations and sensitivities of
 * each layer ({@link #bytesNeeded}). Which path is taken never changes a result: both feed
 * the same numbers in the same order to the same kernel.
 */
public record FiniteNetwork(Network network, int width, int outputs, long seed, long keepBytes) {

    /** Default budget for weight matrices kept between the passes of one evaluation: 256 MiB. */
    public static final long DEFAULT_KEEP_BYTES = 256L << 20;

    /**
     * @param network the architecture
     * @param width hidden width m ≥ 1
     * @param outputs readout width k ≥ 1
     * @param seed the seed of all its parameters
     * @param keepBytes budget for weight matrices kept from the forward for the backward pass
     *                  (0 or less: regenerate every one); results do not depend on it, time and
     *                  memory do
     */
    public FiniteNetwork {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        checkWidth(width);
        if (outputs < 1) {
            throw Messages.tooSmall("outputs", outputs, 1);
        }
        keepBytes = Math.max(0, keepBytes);
    }

    /**
     * @param bytes budget for weight matrices kept from the forward for the backward pass
     *              (0: regenerate every one); results do not depend on it, time and memory do
     * @return a copy of this network with that budget
     */
    public FiniteNetwork withKeepBytes(long bytes) {
        return new FiniteNetwork(network, width, outputs, seed, bytes);
    }

    /**
     * Which Dense layers keep their weights between the passes under a budget: every Dense
     * layer whose backward pass runs (all but the first), from the first on, while the sum
     * of out × fan-in × 8 bytes stays within the budget.
     */
    private static boolean[] keptLayers(LayerShapes shapes, long budget) {
        boolean[] keep = new boolean[shapes.count()];
        long used = 0;
        boolean seenDense = false;
        for (int l = 0; l < keep.length; l++) {
            if (shapes.hasParameters(l)) {
                long bytes = shapes.weightCount(l) * Double.BYTES;
                if (seenDense && used + bytes <= budget) {
                    keep[l] = true;
                    used += bytes;
                }
                seenDense = true;
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

    /**
     * Output width of the layer at {@code index}: the readout (last layer) has k units, every
     * other Dense layer m; an activation keeps its input width.
     *
     * @param index layer index
     * @param inputDim input dimension d
     * @return the width after that layer
     */
    int widthAfter(int index, int inputDim) {
        return LayerShapes.of(network, inputDim, width, outputs).out(index);
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
     * One forward and one backward pass over a batch (docs/KERNEL-RECURSION.md §6).
     *
     * @param rawX inputs, N rows of dimension d (mapped by the network's Fourier features, if any)
     * @param workers threads for the matrix products (results do not depend on their number)
     * @return Θ̂, K̂ and f
     */
    public Sample evaluate(double[][] rawX, Workers workers) {
        DataChecks.dataSet("inputs", rawX);
        LayerShapes shapes = LayerShapes.of(network, rawX[0].length, width, outputs);
        WeightSource weights = new WeightSource.Streamed(seed, keptLayers(shapes, keepBytes));
        FinitePass pass = new FinitePass(shapes, weights, outputs);
        // a Fourier-feature input map is fixed (not trained): the first Dense layer sees γ(x)
        return pass.empiricalNtk(pass.forward(network.mapInputs(rawX), workers), workers);
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
        LayerShapes shapes = LayerShapes.of(network, (int) d, (int) width, (int) outputs);
        d = shapes.inputDimension();
        boolean[] keep = keptLayers(shapes, keepBytes);
        long keptDoubles = 0;
        for (int l = 0; l < keep.length; l++) {
            keptDoubles += keep[l] ? shapes.weightCount(l) : 0;
        }
        long doubles = n * d;
        long maxW = Math.max(d, width);
        for (int l = 0; l < shapes.count(); l++) {
            doubles += n * shapes.out(l); // each layer's output (activations keep a copy of their input)
            // branches keep every inner layer's input and each branch's output, and send
            // one sensitivity per branch back
            doubles += (long) LayerShapes.innerLayerCount(shapes.layer(l)) * n * (shapes.in(l) + outputs * shapes.in(l));
        }
        doubles += 2 * n * outputs * maxW;          // sensitivities in and out of a layer
        doubles += threads * (long) Math.max(DenseRule.ROW_BLOCK, ParameterStreams.COLUMN_BLOCK) * maxW; // weight blocks
        doubles += keptDoubles;
        doubles += (3 + outputs) * n * n + n * outputs;
        return doubles * Double.BYTES + 64L * 1024;
    }
}
