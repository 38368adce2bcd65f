package io.github.ntk4j.finite;

import io.github.ntk4j.MemoryCheck;
import io.github.ntk4j.Messages;
import io.github.ntk4j.math.DataChecks;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;

/**
 * A finite-width network in NTK parameterisation (KERNELS.md §2) whose parameters are held in
 * memory and can be trained by full-batch gradient descent. At construction every raw weight
 * W[row][col] and bias b[row] is the N(0, 1) number that {@link FiniteNetwork} draws from
 * {@link ParameterStreams} for the same architecture, width, readout width and seed, so the
 * untrained network computes exactly what {@link FiniteNetwork#evaluate} computes (up to the
 * order of floating-point additions):
 * <pre>
 *   h = (W_std/√n) W g + b_std b        (Dense, fan-in n)
 *   g = φ(h)                             (activation)
 * </pre>
 * The trained parameters are the raw W and b (this is what makes it the NTK parameterisation:
 * ∂h/∂W_ij = (W_std/√n) g_j, ∂h/∂b_i = b_std).
 *
 * <p>Loss and gradient descent, as in {@code GradientFlowPredictor}'s convention:
 * <pre>
 *   L(θ) = ½ ‖f(X) − Y‖²  (summed over inputs and outputs),     θ ← θ − η ∇_θ L(θ)
 * </pre>
 * with ∇_W L = (W_std/√n) Δᵀ G and ∇_b L = b_std Σ_p Δ_p for a Dense layer with inputs G (N×n)
 * and output sensitivities Δ = ∂L/∂h (N×out), back-propagated by Δ_in = (W_std/√n) Δ W and
 * Δ ← Δ ⊙ φ'(h) through an activation; Δ = f − Y at the readout.
 *
 * <p>The empirical NTK {@link #evaluate} uses the per-layer formula of KERNELS.md §6 with the
 * stored weights: for each output o, Θ̂_o(x, y) = Σ_l ⟨δ_o^l(x), δ_o^l(y)⟩ (W_std,l²/n_{l−1}
 * ⟨g^{l−1}(x), g^{l−1}(y)⟩ + b_std,l²), averaged over the outputs, which is ⟨∇_θ f_o(x),
 * ∇_θ f_o(y)⟩ averaged over o. A Fourier-feature input map of the network is applied and not
 * trained.
 *
 * <p>Memory: the parameters (8 bytes each, {@link #parameterCount}) plus the N×width
 * activations of every layer ({@link #bytesNeeded}); the initial parameters are not copied:
 * {@link #relativeChangePerLayer} regenerates them from their streams. Not thread-safe; one
 * network per thread.
 */
public final class TrainableNetwork {
    private final Network network;
    private final Layer[] layers;
    private final int width;
    private final int outputs;
    private final long seed;
    private final int inputDim;
    /** Raw weights of each Dense layer, row-major out×fanIn; null for activations. */
    private final double[][] weights;
    /** Raw biases of each Dense layer; null for activations. */
    private final double[][] biases;
    private final int[] fanIn;
    private final int[] fanOut;

    private TrainableNetwork(Network network, int width, int outputs, long seed, int inputDim) {
        this.network = network;
        this.layers = network.layers().toArray(new Layer[0]);
        this.width = width;
        this.outputs = outputs;
        this.seed = seed;
        this.inputDim = inputDim;
        int count = layers.length;
        weights = new double[count][];
        biases = new double[count][];
        fanIn = new int[count];
        fanOut = new int[count];
        int in = network.inputMap() == null ? inputDim : network.inputMap().outputDimension(inputDim);
        for (int l = 0; l < count; l++) {
            if (layers[l] instanceof Dense) {
                int out = l == count - 1 ? outputs : width;
                fanIn[l] = in;
                fanOut[l] = out;
                double[] w = new double[out * in];
                for (int r = 0; r < out; r++) {
                    ParameterStreams.fillWeights(seed, l, r, 0, in, w, r * in);
                }
                weights[l] = w;
                biases[l] = ParameterStreams.biases(seed, l, out);
                in = out;
            }
        }
    }

    /**
     * Materialises the parameters of {@code FiniteNetwork.of(network, width, outputs, seed)}.
     *
     * @param network the architecture
     * @param width hidden width m ≥ 1
     * @param outputs readout width k ≥ 1
     * @param seed the seed of all its parameters (as for {@link FiniteNetwork})
     * @param inputDim dimension d of the raw inputs (before any Fourier-feature map)
     * @return the network at initialisation
     */
    public static TrainableNetwork initialise(Network network, int width, int outputs, long seed, int inputDim) {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        FiniteNetwork.checkWidth(width);
        if (outputs < 1) {
            throw Messages.tooSmall("outputs", outputs, 1);
        }
        if (inputDim < 1) {
            throw Messages.tooSmall("input dimension", inputDim, 1);
        }
        MemoryCheck.require("a trainable network of width " + width, bytesNeeded(network, 1, inputDim, width, outputs));
        return new TrainableNetwork(network, width, outputs, seed, inputDim);
    }

    /**
     * Number of trainable parameters: Σ over Dense layers of out·(fan-in + 1).
     *
     * @param network the architecture
     * @param inputDim raw input dimension d
     * @param width hidden width m
     * @param outputs readout width k
     * @return P
     */
    public static long parameterCount(Network network, long inputDim, long width, long outputs) {
        long in = network.inputMap() == null ? inputDim : network.inputMap().outputDimension((int) inputDim);
        long p = 0;
        int count = network.layers().size();
        for (int l = 0; l < count; l++) {
            if (network.layers().get(l) instanceof Dense) {
                long out = l == count - 1 ? outputs : width;
                p += out * (in + 1);
                in = out;
            }
        }
        return p;
    }

    /**
     * Bytes one network needs while it is trained on N inputs and its empirical NTK taken: the
     * parameters (8P bytes), one N×width activation per layer, two sensitivity buffers of
     * N·k×width, and the N×N results.
     *
     * @param network the architecture
     * @param n inputs N
     * @param inputDim raw input dimension d
     * @param width hidden width m
     * @param outputs readout width k
     * @return estimated bytes
     */
    public static long bytesNeeded(Network network, long n, long inputDim, long width, long outputs) {
        long d = network.inputMap() == null ? inputDim : network.inputMap().outputDimension((int) inputDim);
        long maxW = Math.max(d, width);
        long doubles = parameterCount(network, inputDim, width, outputs);
        doubles += n * d + (long) network.layers().size() * n * maxW;
        doubles += 2 * n * outputs * maxW;
        doubles += 4 * n * n + n * outputs;
        return doubles * Double.BYTES + 64L * 1024;
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

    /** @return the seed the parameters were initialised from */
    public long seed() {
        return seed;
    }

    /** @return the raw input dimension d */
    public int inputDimension() {
        return inputDim;
    }

    /** @return indices (in the network's layer list) of the Dense layers, in order */
    public int[] denseLayers() {
        int c = 0;
        for (double[] w : weights) {
            c += w == null ? 0 : 1;
        }
        int[] idx = new int[c];
        c = 0;
        for (int l = 0; l < layers.length; l++) {
            if (weights[l] != null) {
                idx[c++] = l;
            }
        }
        return idx;
    }

    /** Live raw weights of a Dense layer (out×fanIn, row-major); for tests in this package. */
    double[] weightsOf(int layer) {
        return weights[layer];
    }

    /** Live raw biases of a Dense layer; for tests in this package. */
    double[] biasesOf(int layer) {
        return biases[layer];
    }

    /** The forward pass: inputs of every Dense layer and of every activation, and the output. */
    private record Forward(double[][] inputs, double[] output, int n) {
    }

    private Forward forward(double[][] rawX) {
        DataChecks.dataSet("inputs", rawX);
        if (rawX[0].length != inputDim) {
            throw Messages.dimensionMismatch("network input dimension", inputDim, "inputs", rawX[0].length);
        }
        double[][] x = network.mapInputs(rawX);
        int n = x.length;
        int d = x[0].length;
        double[][] inputs = new double[layers.length][];
        double[] cur = new double[n * d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(x[p], 0, cur, p * d, d);
        }
        for (int l = 0; l < layers.length; l++) {
            inputs[l] = cur;
            if (layers[l] instanceof Dense dense) {
                int in = fanIn[l];
                int out = fanOut[l];
                double scale = dense.wStd() / Math.sqrt(in);
                double bStd = dense.bStd();
                double[] w = weights[l];
                double[] b = biases[l];
                double[] h = new double[n * out];
                for (int p = 0; p < n; p++) {
                    int gp = p * in;
                    for (int i = 0; i < out; i++) {
                        h[p * out + i] = scale * dot(cur, gp, w, i * in, in) + bStd * b[i];
                    }
                }
                cur = h;
            } else {
                Activation phi = (Activation) layers[l];
                double[] g = new double[cur.length];
                for (int k = 0; k < g.length; k++) {
                    g[k] = phi.apply(cur[k]);
                }
                cur = g;
            }
        }
        return new Forward(inputs, cur, n);
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 = Math.fma(a[ao + k], b[bo + k], s0);
            s1 = Math.fma(a[ao + k + 1], b[bo + k + 1], s1);
            s2 = Math.fma(a[ao + k + 2], b[bo + k + 2], s2);
            s3 = Math.fma(a[ao + k + 3], b[bo + k + 3], s3);
        }
        for (; k < len; k++) {
            s0 = Math.fma(a[ao + k], b[bo + k], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    private double[][] toRows(double[] flat, int n) {
        double[][] f = new double[n][outputs];
        for (int p = 0; p < n; p++) {
            System.arraycopy(flat, p * outputs, f[p], 0, outputs);
        }
        return f;
    }

    /**
     * The outputs f(x) for a batch.
     *
     * @param x N raw inputs of dimension d
     * @return N×k outputs
     */
    public double[][] outputs(double[][] x) {
        Forward fw = forward(x);
        return toRows(fw.output(), fw.n());
    }

    /**
     * The loss L = ½ ‖f(X) − Y‖² summed over inputs and outputs.
     *
     * @param x N inputs
     * @param y N×k targets
     * @return L
     */
    public double loss(double[][] x, double[][] y) {
        double[][] f = outputs(x);
        checkTargets(y, f.length);
        double s = 0;
        for (int p = 0; p < f.length; p++) {
            for (int o = 0; o < outputs; o++) {
                double r = f[p][o] - y[p][o];
                s += r * r;
            }
        }
        return 0.5 * s;
    }

    private void checkTargets(double[][] y, int n) {
        if (y == null || y.length != n) {
            throw Messages.dimensionMismatch("inputs", n, "targets", y == null ? 0 : y.length);
        }
        for (double[] row : y) {
            if (row == null || row.length != outputs) {
                throw Messages.dimensionMismatch("network outputs", outputs, "target columns", row == null ? 0 : row.length);
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw Messages.notFinite("a target", v);
                }
            }
        }
    }

    /**
     * The gradient of L = ½ ‖f(X) − Y‖² with respect to the raw parameters, per Dense layer.
     *
     * @param weights ∂L/∂W per layer index (out×fanIn row-major; null for activations)
     * @param biases ∂L/∂b per layer index (null for activations)
     */
    public record Gradient(double[][] weights, double[][] biases) {
    }

    /**
     * ∇_θ L by back-propagation (see the class comment), without changing the parameters.
     *
     * @param x N inputs
     * @param y N×k targets
     * @return the gradient
     */
    public Gradient gradient(double[][] x, double[][] y) {
        double[][] gw = new double[layers.length][];
        double[][] gb = new double[layers.length][];
        backpropagate(x, y, 0, gw, gb);
        return new Gradient(gw, gb);
    }

    /**
     * One full-batch gradient-descent step θ ← θ − η ∇_θ L(θ) with L = ½ ‖f(X) − Y‖².
     *
     * @param x N inputs
     * @param y N×k targets
     * @param learningRate η &gt; 0
     * @return the outputs f(X) before the step (N×k)
     */
    public double[][] step(double[][] x, double[][] y, double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw Messages.notPositive("learning rate", learningRate);
        }
        return backpropagate(x, y, learningRate, null, null);
    }

    /**
     * Backward pass. With {@code lr > 0} each layer's parameters are updated in place as soon
     * as the sensitivities below it have been computed from the old weights; otherwise the
     * gradient is written to gw, gb.
     */
    private double[][] backpropagate(double[][] x, double[][] y, double lr, double[][] gw, double[][] gb) {
        Forward fw = forward(x);
        int n = fw.n();
        checkTargets(y, n);
        double[] delta = new double[n * outputs];
        for (int p = 0; p < n; p++) {
            for (int o = 0; o < outputs; o++) {
                delta[p * outputs + o] = fw.output()[p * outputs + o] - y[p][o];
            }
        }
        int first = denseLayers()[0];
        for (int l = layers.length - 1; l >= 0; l--) {
            double[] g = fw.inputs()[l];
            if (layers[l] instanceof Dense dense) {
                int in = fanIn[l];
                int out = fanOut[l];
                double scale = dense.wStd() / Math.sqrt(in);
                double bStd = dense.bStd();
                double[] w = weights[l];
                double[] dIn = l > first ? new double[n * in] : null;
                double[] rowGrad = new double[in];
                double[] bGrad = new double[out];
                for (int i = 0; i < out; i++) {
                    java.util.Arrays.fill(rowGrad, 0);
                    double bs = 0;
                    int wi = i * in;
                    for (int p = 0; p < n; p++) {
                        double dpi = delta[p * out + i];
                        if (dpi == 0) {
                            continue;
                        }
                        bs += dpi;
                        int gp = p * in;
                        for (int k = 0; k < in; k++) {
                            rowGrad[k] = Math.fma(dpi, g[gp + k], rowGrad[k]);
                        }
                        if (dIn != null) {
                            double sd = scale * dpi;
                            for (int k = 0; k < in; k++) {
                                dIn[gp + k] = Math.fma(sd, w[wi + k], dIn[gp + k]);
                            }
                        }
                    }
                    bGrad[i] = bStd * bs;
                    if (lr > 0) {
                        double c = lr * scale;
                        for (int k = 0; k < in; k++) {
                            w[wi + k] -= c * rowGrad[k];
                        }
                    } else {
                        if (gw[l] == null) {
                            gw[l] = new double[out * in];
                        }
                        for (int k = 0; k < in; k++) {
                            gw[l][wi + k] = scale * rowGrad[k];
                        }
                    }
                }
                if (lr > 0) {
                    double[] b = biases[l];
                    for (int i = 0; i < out; i++) {
                        b[i] -= lr * bGrad[i];
                    }
                } else {
                    gb[l] = bGrad;
                }
                if (dIn == null) {
                    break;
                }
                delta = dIn;
            } else {
                Activation phi = (Activation) layers[l];
                for (int k = 0; k < delta.length; k++) {
                    delta[k] *= phi.derivative(g[k]);
                }
            }
        }
        return toRows(fw.output(), n);
    }

    /**
     * Empirical NTK, readout NNGP and outputs at the current parameters, by the per-layer
     * formula (see the class comment) with the stored weights; at initialisation this equals
     * {@link FiniteNetwork#evaluate} for the same seed up to rounding.
     *
     * @param x N inputs
     * @return Θ̂ (averaged over outputs), K̂ and f
     */
    public FiniteNetwork.Sample evaluate(double[][] x) {
        Forward fw = forward(x);
        int n = fw.n();
        int rows = n * outputs;
        double[] delta = new double[rows * outputs];
        for (int o = 0; o < outputs; o++) {
            for (int p = 0; p < n; p++) {
                delta[(o * n + p) * outputs + o] = 1;
            }
        }
        int dw = outputs;
        double[][] ntk = new double[n][n];
        double[][] nngp = null;
        int first = denseLayers()[0];
        for (int l = layers.length - 1; l >= 0; l--) {
            double[] g = fw.inputs()[l];
            if (layers[l] instanceof Dense dense) {
                int in = fanIn[l];
                double w2 = dense.wStd() * dense.wStd() / in;
                double b2 = dense.bStd() * dense.bStd();
                double[][] inputTerm = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = i; j < n; j++) {
                        double v = w2 * dot(g, i * in, g, j * in, in) + b2;
                        inputTerm[i][j] = v;
                        inputTerm[j][i] = v;
                    }
                }
                if (l == layers.length - 1) {
                    nngp = inputTerm;
                }
                for (int o = 0; o < outputs; o++) {
                    for (int i = 0; i < n; i++) {
                        for (int j = i; j < n; j++) {
                            double s = dot(delta, (o * n + i) * dw, delta, (o * n + j) * dw, dw) * inputTerm[i][j];
                            ntk[i][j] += s;
                            if (j != i) {
                                ntk[j][i] += s;
                            }
                        }
                    }
                }
                if (l == first) {
                    break;
                }
                double scale = dense.wStd() / Math.sqrt(in);
                double[] w = weights[l];
                double[] dIn = new double[rows * in];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < dw; i++) {
                        double sd = scale * delta[r * dw + i];
                        if (sd == 0) {
                            continue;
                        }
                        int wi = i * in;
                        int ro = r * in;
                        for (int k = 0; k < in; k++) {
                            dIn[ro + k] = Math.fma(sd, w[wi + k], dIn[ro + k]);
                        }
                    }
                }
                delta = dIn;
                dw = in;
            } else {
                Activation phi = (Activation) layers[l];
                for (int r = 0; r < rows; r++) {
                    int hp = (r % n) * dw;
                    int dp = r * dw;
                    for (int k = 0; k < dw; k++) {
                        delta[dp + k] *= phi.derivative(g[hp + k]);
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
        return new FiniteNetwork.Sample(ntk, nngp, toRows(fw.output(), n));
    }

    /**
     * How far the parameters have moved from their initial values, per Dense layer:
     * ‖θ_l − θ_l,0‖ / ‖θ_l,0‖ over the layer's raw weights and biases, the initial values
     * regenerated from {@link ParameterStreams}.
     *
     * @return one value per Dense layer, in the order of {@link #denseLayers}
     */
    public double[] relativeChangePerLayer() {
        double[][] sq = squaredChanges();
        double[] r = new double[sq.length];
        for (int i = 0; i < sq.length; i++) {
            r[i] = Math.sqrt(sq[i][0] / sq[i][1]);
        }
        return r;
    }

    /**
     * ‖θ − θ_0‖ / ‖θ_0‖ over all raw parameters of the network.
     *
     * @return the relative change of the whole parameter vector
     */
    public double relativeChange() {
        double num = 0;
        double den = 0;
        for (double[] s : squaredChanges()) {
            num += s[0];
            den += s[1];
        }
        return Math.sqrt(num / den);
    }

    /** Per Dense layer: {‖θ_l − θ_l,0‖², ‖θ_l,0‖²}. */
    private double[][] squaredChanges() {
        int[] dense = denseLayers();
        double[][] out = new double[dense.length][2];
        for (int c = 0; c < dense.length; c++) {
            int l = dense[c];
            int in = fanIn[l];
            double[] row = new double[in];
            double num = 0;
            double den = 0;
            for (int r = 0; r < fanOut[l]; r++) {
                ParameterStreams.fillWeights(seed, l, r, 0, in, row, 0);
                for (int k = 0; k < in; k++) {
                    double dlt = weights[l][r * in + k] - row[k];
                    num += dlt * dlt;
                    den += row[k] * row[k];
                }
            }
            double[] b0 = ParameterStreams.biases(seed, l, fanOut[l]);
            for (int r = 0; r < b0.length; r++) {
                double dlt = biases[l][r] - b0[r];
                num += dlt * dlt;
                den += b0[r] * b0[r];
            }
            out[c][0] = num;
            out[c][1] = den;
        }
        return out;
    }

    /**
     * Fan-in and fan-out of a Dense layer.
     *
     * @param layer index of a Dense layer
     * @return {fan-in, fan-out}
     */
    public int[] shape(int layer) {
        if (layer < 0 || layer >= layers.length || weights[layer] == null) {
            throw Messages.invalid("layer " + layer + " is not a Dense layer");
        }
        return new int[] {fanIn[layer], fanOut[layer]};
    }
}
