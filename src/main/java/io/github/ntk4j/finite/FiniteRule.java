package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Branches;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.LayerNorm;

/**
 * The finite-width rule of one layer, the counterpart of its kernel rule
 * ({@link Layer#mapPairs}): its forward map on a batch, its backward map (the vector–Jacobian
 * product with respect to its input) and, for a layer with parameters, their share of the
 * empirical NTK and of a loss gradient. {@link FinitePass} composes these rules and knows no
 * layer type; {@link #of} is the one place a layer type is mapped to its rule, so a new layer
 * adds its finite-width rule here beside its kernel rule in {@code net}.
 *
 * <p>Batches are row-major {@code double[]}: N inputs of width w are N×w. Sensitivities come
 * in R = k·N rows (one block of N rows per network output), row r belonging to input r mod N.
 */
interface FiniteRule {

    /**
     * The rule of layer {@code l}.
     *
     * @param shapes the network's widths
     * @param l layer index
     * @param weights where Dense parameters come from
     * @return the rule
     */
    static FiniteRule of(LayerShapes shapes, int l, WeightSource weights) {
        Layer layer = shapes.layer(l);
        return of(layer, layer instanceof Branches ? shapes.firstInnerId(l) : l, shapes, weights);
    }

    /**
     * The rule of a layer, top-level or inside branches.
     *
     * @param layer the layer
     * @param id parameter-stream id of its (first) Dense layer: a top-level layer's index, or an
     *           id after the top-level layers for a layer inside branches
     * @param shapes the network's widths (a Dense layer's by its id)
     * @param weights where Dense parameters come from
     * @return the rule
     */
    static FiniteRule of(Layer layer, int id, LayerShapes shapes, WeightSource weights) {
        if (layer instanceof Dense) {
            return new DenseRule(shapes.dense(id), weights);
        }
        if (layer instanceof Branches b) {
            return new BranchesRule(b, id, shapes, weights);
        }
        if (layer instanceof LayerNorm) {
            return new LayerNormRule();
        }
        return new ActivationRule((Activation) layer);
    }

    /**
     * Forward map.
     *
     * @param input the layer's inputs, N×in
     * @param n N
     * @param workers threads (results do not depend on their number)
     * @return the layer's outputs, N×out
     */
    double[] forward(double[] input, int n, Workers workers);

    /**
     * Backward map: the sensitivities at the layer's input from those at its output.
     *
     * @param input the layer's inputs of the forward pass, N×in
     * @param dOut sensitivities at the output, R×out (may be overwritten)
     * @param rows R, a multiple of N
     * @param n N
     * @param workers threads (results do not depend on their number)
     * @return sensitivities at the input, R×in
     */
    double[] backward(double[] input, double[] dOut, int rows, int n, Workers workers);

    /** @return whether the layer has trainable parameters */
    default boolean hasParameters() {
        return false;
    }

    /**
     * Adds the layer's parameters' share of the empirical NTK,
     * Σ_o Σ_θ ∂f_o(x_i)/∂θ · ∂f_o(x_j)/∂θ over this layer's parameters θ, to {@code ntk}.
     *
     * @param input the layer's inputs, N×in
     * @param dOut sensitivities ∂f_o/∂h at its output, k·N rows of width out
     * @param n N
     * @param outputs k
     * @param ntk N×N sum, updated in place
     * @return the covariance of one output unit over a redraw of the layer's parameters
     *         given its input (for the readout: the empirical NNGP K̂), or null for a layer
     *         without parameters
     */
    default double[][] addTangentKernel(double[] input, double[] dOut, int n, int outputs, double[][] ntk) {
        return null;
    }

    /**
     * Back-propagates a loss gradient Δ = ∂L/∂h at the layer's output (N rows): hands the
     * gradient of every Dense layer in it (itself, or those inside its branches) to the sink,
     * each once the sensitivities below it have been computed from its current parameters (so
     * the sink may change them in place), and returns ∂L/∂(input).
     *
     * @param input the layer's inputs, N×in
     * @param dOut ∂L/∂h, N×out (may be overwritten)
     * @param n N
     * @param needInput whether ∂L/∂(input) is needed (false below the first layer with parameters)
     * @param workers threads (results do not depend on their number)
     * @param sink receives (parameter-stream id, gradient)
     * @return ∂L/∂(input), N×in, or null when not needed
     */
    default double[] backpropagate(double[] input, double[] dOut, int n, boolean needInput, Workers workers,
            FinitePass.GradientSink sink) {
        return needInput ? backward(input, dOut, n, n, workers) : null;
    }

    /**
     * A Dense layer's gradient with respect to the parameters its {@link WeightSource} holds.
     *
     * @param weights ∂L/∂W, out×in row-major
     * @param biases ∂L/∂b
     */
    record Gradient(double[] weights, double[] biases) {
    }
}
