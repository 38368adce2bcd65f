package io.github.ntk4j.finite;

import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.Parameterization;
import java.util.List;

/**
 * A finite-width network whose parameters are held in memory and can be trained by full-batch
 * gradient descent: any network {@link FiniteNetwork} evaluates (NTK or standard
 * parameterisation, residual blocks and other branches, layernorm, any activation with φ and
 * φ′). At construction every trained parameter is c times the N(0, 1) number that
 * {@link FiniteNetwork} draws from {@link ParameterStreams} for the same architecture, width,
 * readout width and seed, so the untrained network computes what {@link FiniteNetwork#evaluate}
 * computes (bit for bit in NTK parameterisation, where c = 1; to rounding in standard
 * parameterisation):
 * <pre>
 *   h = α θ_W g + β θ_b                   (Dense, fan-in n, base fan-in N)
 *     NTK:       θ = (W, b) raw,                  α = W_std/√n,  β = b_std
 *     standard:  θ_W = (W_std/√N) W, θ_b = b_std b,  α = √(N/n),    β = 1
 *   g = φ(h)                              (activation)
 * </pre>
 * (docs/KERNEL-RECURSION.md §2; standard parameterisation as neural-tangents' width scaling
 * s = n/N, Sohl-Dickstein et al. 2020). The trained parameters θ are the ones whose empirical NTK
 * Σ_θ ∂f(x)/∂θ ∂f(y)/∂θ tends to the analytic NTK of the parameterisation, so gradient descent on
 * them is the dynamics the linearised model predicts.
 *
 * <p>Loss and gradient descent, as in {@code GradientFlowPredictor}'s convention:
 * <pre>
 *   L(θ) = ½ ‖f(X) − Y‖²  (summed over inputs and outputs),     θ ← θ − η ∇_θ L(θ)
 * </pre>
 * with ∇_θW L = α Δᵀ G and ∇_θb L = β Σ_p Δ_p for a Dense layer with inputs G (N×n)
 * and output sensitivities Δ = ∂L/∂h (N×out), back-propagated by Δ_in = α Δ θ_W,
 * Δ ← Δ ⊙ φ'(h) through an activation, through layernorm by its Jacobian, and through branches
 * by each branch, summed at their input; Δ = f − Y at the readout.
 *
 * <p>Dense layers are named by their parameter-stream id: a top-level layer's index in the
 * network's layer list, ids after those for the Dense layers inside branches (depth first);
 * {@link #denseLayers} lists them in network order.
 *
 * <p>The forward pass, the empirical NTK ({@link #evaluate}) and back-propagation are
 * {@link FinitePass}'s, shared with {@link FiniteNetwork}; this class holds the parameters
 * ({@link WeightSource.Stored}) and applies the steps. A Fourier-feature input map of the
 * network is applied and not trained.
 *
 * <p>Memory: the parameters (8 bytes each, {@link #parameterCount}) plus the N×width
 * activations of every layer ({@link #bytesNeeded}); the initial parameters are not copied:
 * {@link #relativeChangePerLayer} regenerates them from their streams. Not thread-safe; one
 * network per thread.
 */
public final class TrainableNetwork {
    private final FiniteNetwork initial;
    private final Network network;
    private final int outputs;
    private final int inputDim;
    private final LayerShapes shapes;
    private final WeightSource.Stored weights;
    private final FinitePass pass;
    private final Workers workers = Workers.serial();

    private TrainableNetwork(FiniteNetwork initial, int inputDim) {
        this.initial = initial;
        this.network = initial.network();
        this.outputs = initial.outputs();
        this.inputDim = inputDim;
        this.shapes = LayerShapes.of(network, inputDim, initial.width(), outputs);
        this.weights = new WeightSource.Stored(initial.seed(), shapes);
        this.pass = new FinitePass(shapes, weights, outputs);
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
        FiniteNetwork initial = FiniteNetwork.of(network, width, outputs, seed); // checks the arguments
        if (network.needsWidth() && network.width() == 0) {
            // the trained weights of a standard layer are N(0, W_std²/N): N must be known
            throw Messages.invalid("a network in standard parameterisation needs its hidden width N to be trained "
                    + "(Network.withWidth, or width(N) in the spec)");
        }
        if (inputDim < 1) {
            throw Messages.tooSmall("input dimension", inputDim, 1);
        }
        MemoryCheck.require("a trainable network of width " + width, bytesNeeded(network, 1, inputDim, width, outputs));
        return new TrainableNetwork(initial, inputDim);
    }

    /**
     * A network started from given raw parameters instead of a seed (the weights format of
     * {@link NetworkWeights}); the hidden width m is the row count of its first Dense layer
     * (1 when the readout is the only Dense layer) and the readout width k the row count of the
     * last. These parameters are also its initial ones ({@link #relativeChange}); its
     * {@link #initial} Monte Carlo network (seed 0) does not describe it.
     *
     * @param network the architecture (activations, W_std, b_std, parameterisation)
     * @param weights the raw parameters, one entry per Dense layer in network order
     * @param inputDim dimension d of the raw inputs (before any Fourier-feature map)
     * @return the network at those parameters
     * @throws io.github.ntk4j.InvalidInputException when the file's parameterisation, its number
     *     of Dense layers or a layer's shape does not fit the network (one line naming the layer)
     */
    public static TrainableNetwork fromWeights(Network network, NetworkWeights weights, int inputDim) {
        int n = weights.layerCount();
        int width = n > 1 ? weights.rows(0) : 1;
        int outputs = weights.rows(n - 1);
        TrainableNetwork net = initialise(network, width, outputs, 0, inputDim);
        List<LayerShapes.DenseShape> dense = net.shapes.denseLayers();
        if (dense.size() != n) {
            throw Messages.invalid("the weights have " + n + " Dense layers, the network " + network.spec() + " has "
                    + dense.size());
        }
        double[][] tw = new double[net.shapes.idCount()][];
        double[][] tb = new double[net.shapes.idCount()][];
        for (int l = 0; l < n; l++) {
            LayerShapes.DenseShape d = dense.get(l);
            Parameterization want = d.dense().standard() ? Parameterization.STANDARD : Parameterization.NTK;
            if (want != weights.parameterization()) {
                throw Messages.invalid("the weights are in " + weights.parameterization().token()
                        + " parameterization, Dense layer " + (l + 1) + " of the network in " + want.token());
            }
            if (weights.rows(l) != d.out() || weights.columns(l) != d.in()) {
                throw Messages.invalid("weights layer " + (l + 1) + ": W is " + weights.rows(l) + "x"
                        + weights.columns(l) + ", the network needs " + d.out() + "x" + d.in() + " (outputs x inputs)");
            }
            double cw = DenseRule.trainedWeightFactor(d);
            double cb = DenseRule.trainedBiasFactor(d);
            tw[d.id()] = new double[d.out() * d.in()];
            for (int r = 0; r < d.out(); r++) {
                double[] row = weights.row(l, r);
                for (int k = 0; k < d.in(); k++) {
                    tw[d.id()][r * d.in() + k] = cw * row[k];
                }
            }
            tb[d.id()] = new double[d.out()];
            double[] b = weights.liveBiases(l);
            for (int r = 0; r < d.out(); r++) {
                tb[d.id()][r] = cb * b[r];
            }
        }
        net.weights.start(tw, tb);
        return net;
    }

    /**
     * The current parameters as raw numbers (the weights format of {@link NetworkWeights}): a
     * trained parameter divided by its factor (1 in NTK parameterisation; W_std/√N and b_std in
     * standard parameterisation).
     *
     * @return the raw parameters, one entry per Dense layer in network order
     * @throws io.github.ntk4j.InvalidInputException when the network mixes parameterisations, or
     *     a standard layer has W_std = 0 or b_std = 0 (its raw parameters are then undefined)
     */
    public NetworkWeights weights() {
        List<LayerShapes.DenseShape> dense = shapes.denseLayers();
        Parameterization par = dense.get(0).dense().standard() ? Parameterization.STANDARD : Parameterization.NTK;
        double[][][] w = new double[dense.size()][][];
        double[][] b = new double[dense.size()][];
        for (int l = 0; l < dense.size(); l++) {
            LayerShapes.DenseShape d = dense.get(l);
            if (d.dense().standard() != (par == Parameterization.STANDARD)) {
                throw Messages.invalid("the weights format holds one parameterization; this network mixes ntk and "
                        + "standard Dense layers");
            }
            double cw = DenseRule.trainedWeightFactor(d);
            double cb = DenseRule.trainedBiasFactor(d);
            if (cw == 0 || cb == 0) {
                throw Messages.invalid("Dense layer " + (l + 1) + " has W_std = 0 or b_std = 0 in standard "
                        + "parameterization: its raw parameters (trained ones divided by W_std/sqrt(N), b_std) are undefined");
            }
            double[] tw = weights.matrix(d.id());
            w[l] = new double[d.out()][d.in()];
            for (int r = 0; r < d.out(); r++) {
                for (int k = 0; k < d.in(); k++) {
                    w[l][r][k] = tw[r * d.in() + k] / cw;
                }
            }
            double[] tb = weights.liveBiases(d.id());
            b[l] = new double[d.out()];
            for (int r = 0; r < d.out(); r++) {
                b[l][r] = tb[r] / cb;
            }
        }
        return NetworkWeights.of(par, w, b);
    }

    /** @return the network's widths (for the path kernel in this package) */
    LayerShapes shapes() {
        return shapes;
    }

    /** @return the stored trained parameters, live (for the path kernel in this package) */
    WeightSource.Stored store() {
        return weights;
    }

    /** @return the architecture */
    public Network network() {
        return network;
    }

    /** @return the readout width k */
    public int outputCount() {
        return outputs;
    }

    /**
     * Number of trainable parameters: Σ over Dense layers (inside branches too) of out·(fan-in + 1).
     *
     * @param network the architecture
     * @param inputDim raw input dimension d
     * @param width hidden width m
     * @param outputs readout width k
     * @return P
     */
    public static long parameterCount(Network network, long inputDim, long width, long outputs) {
        LayerShapes shapes = LayerShapes.of(network, (int) inputDim, (int) width, (int) outputs);
        long p = 0;
        for (LayerShapes.DenseShape d : shapes.denseLayers()) {
            p += (long) d.out() * (d.in() + 1);
        }
        return p;
    }

    /**
     * Bytes one network needs while it is trained on N inputs and its empirical NTK taken: the
     * parameters (8P bytes), one N×width activation per layer (inside branches too), two
     * sensitivity buffers of N·k×width, the gradient of the largest layer, and the N×N results.
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
        long layers = 0;
        for (io.github.ntk4j.net.Layer l : network.layers()) {
            layers += 1 + LayerShapes.innerLayerCount(l);
        }
        doubles += n * d + layers * n * maxW;
        doubles += 2 * n * outputs * maxW;
        doubles += maxW * (maxW + 1);               // one layer's gradient
        doubles += 4 * n * n + n * outputs;
        return doubles * Double.BYTES + 64L * 1024;
    }

    /**
     * @return the Monte Carlo network this one was initialised as (architecture, hidden width,
     *         readout width, seed); its {@link FiniteNetwork#evaluate} is this network's state
     *         before any step
     */
    public FiniteNetwork initial() {
        return initial;
    }

    /** @return the raw input dimension d */
    public int inputDimension() {
        return inputDim;
    }

    /**
     * @return the ids of the Dense layers in network order (depth first through branches): a
     *         top-level layer's index in the network's layer list, ids after those inside branches
     */
    public int[] denseLayers() {
        return shapes.denseLayers().stream().mapToInt(LayerShapes.DenseShape::id).toArray();
    }

    /** Live trained weights of a Dense layer (out×fanIn, row-major) by id; for tests in this package. */
    double[] weightsOf(int id) {
        return weights.matrix(id);
    }

    /** Live trained biases of a Dense layer by id; for tests in this package. */
    double[] biasesOf(int id) {
        return weights.liveBiases(id);
    }

    private FinitePass.Tape forward(double[][] rawX) {
        DataChecks.dataSet("inputs", rawX);
        if (rawX[0].length != inputDim) {
            throw Messages.dimensionMismatch("network input dimension", inputDim, "inputs", rawX[0].length);
        }
        return pass.forward(network.mapInputs(rawX), workers);
    }

    /**
     * The outputs f(x) for a batch.
     *
     * @param x N raw inputs of dimension d
     * @return N×k outputs
     */
    public double[][] outputs(double[][] x) {
        return forward(x).outputRows();
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
     * The gradient of L = ½ ‖f(X) − Y‖² with respect to the trained parameters, per Dense layer.
     *
     * @param weights ∂L/∂θ_W per Dense layer id (out×fanIn row-major; null for other ids)
     * @param biases ∂L/∂θ_b per Dense layer id (null for other ids)
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
        double[][] gw = new double[shapes.idCount()][];
        double[][] gb = new double[shapes.idCount()][];
        backpropagate(x, y, (l, g) -> {
            gw[l] = g.weights();
            gb[l] = g.biases();
        });
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
        return backpropagate(x, y, (l, g) -> weights.descend(l, g, learningRate));
    }

    /**
     * Back-propagates Δ = f(X) − Y at the readout; each layer's gradient goes to the sink once
     * the sensitivities below it have been computed from its current parameters.
     *
     * @return the outputs f(X) of the forward pass
     */
    private double[][] backpropagate(double[][] x, double[][] y, FinitePass.GradientSink sink) {
        FinitePass.Tape tape = forward(x);
        int n = tape.n();
        checkTargets(y, n);
        double[] delta = new double[n * outputs];
        for (int p = 0; p < n; p++) {
            for (int o = 0; o < outputs; o++) {
                delta[p * outputs + o] = tape.output()[p * outputs + o] - y[p][o];
            }
        }
        double[][] f = tape.outputRows();
        pass.backpropagate(tape, delta, workers, sink);
        return f;
    }

    /**
     * Empirical NTK, readout NNGP and outputs at the current parameters (see
     * {@link FinitePass}); at initialisation this is {@link FiniteNetwork#evaluate} for the
     * same seed, bit for bit in NTK parameterisation (to rounding in standard parameterisation,
     * whose trained weights are the raw ones times W_std/√N).
     *
     * @param x N inputs
     * @return Θ̂ (averaged over outputs), K̂ and f
     */
    public FiniteNetwork.Sample evaluate(double[][] x) {
        return pass.empiricalNtk(forward(x), workers);
    }

    /**
     * How far the parameters have moved from their initial values, per Dense layer:
     * ‖θ_l − θ_l,0‖ / ‖θ_l,0‖ over the layer's trained weights and biases, the initial values
     * regenerated from {@link ParameterStreams}.
     *
     * @return one value per Dense layer, in the order of {@link #denseLayers}
     */
    public double[] relativeChangePerLayer() {
        double[][] sq = squaredChanges();
        double[] r = new double[sq.length];
        for (int i = 0; i < sq.length; i++) {
            r[i] = Math.sqrt(sq[i][0] / nonZeroStart(sq[i][1]));
        }
        return r;
    }

    /**
     * ‖θ − θ_0‖ / ‖θ_0‖ over all trained parameters of the network.
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
        return Math.sqrt(num / nonZeroStart(den));
    }

    /** A relative change from all-zero initial parameters is undefined: refused, never Infinity or NaN. */
    private static double nonZeroStart(double squaredNorm) {
        if (!(squaredNorm > 0)) {
            throw Messages.invalid("a Dense layer's initial parameters are all zero (W_std = b_std = 0 in standard "
                    + "parameterisation), so their relative change is undefined");
        }
        return squaredNorm;
    }

    /** Per Dense layer, in the order of {@link #denseLayers}: {‖θ_l − θ_l,0‖², ‖θ_l,0‖²}. */
    private double[][] squaredChanges() {
        java.util.List<LayerShapes.DenseShape> dense = shapes.denseLayers();
        double[][] out = new double[dense.size()][2];
        for (int c = 0; c < dense.size(); c++) {
            LayerShapes.DenseShape d = dense.get(c);
            int in = d.in();
            double[] w = weights.matrix(d.id());
            double[] b = weights.liveBiases(d.id());
            double[] row = new double[in];
            double num = 0;
            double den = 0;
            for (int r = 0; r < d.out(); r++) {
                weights.initialWeights(d.id(), r, row, 0);
                for (int k = 0; k < in; k++) {
                    double dlt = w[r * in + k] - row[k];
                    num += dlt * dlt;
                    den += row[k] * row[k];
                }
            }
            double[] b0 = weights.initialBiases(d.id());
            for (int r = 0; r < b0.length; r++) {
                double dlt = b[r] - b0[r];
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
     * @param id id of a Dense layer ({@link #denseLayers})
     * @return {fan-in, fan-out}
     */
    public int[] shape(int id) {
        if (id < 0 || id >= shapes.idCount() || shapes.dense(id) == null) {
            throw Messages.invalid("layer " + id + " is not a Dense layer");
        }
        return new int[] {shapes.dense(id).in(), shapes.dense(id).out()};
    }
}
