package io.github.ntk4j.finite;

import io.github.ntk4j.math.Workers;
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
        if (layer instanceof Dense dense) {
            return new DenseRule(l, dense, shapes.in(l), shapes.out(l), l == 0 ? shapes.in(0) : shapes.baseWidth(), weights);
        }
        if (layer instanceof Branches b) {
            return new BranchesRule(b, shapes.in(l), shapes.firstInnerId(l), shapes.baseWidth(), weights);
        }
        if (layer instanceof LayerNorm) {
            return new LayerNormRule();
        }
        return new ActivationRule((Activation) layer);
    }

    /**
     * The rule of a layer inside a branch, where every width is the hidden width.
     *
     * @param layer the layer
     * @param id parameter-stream id of its (first) Dense layer
     * @param width the hidden width m
     * @param baseWidth the hidden width N of standard-parameterisation layers
     * @param weights where Dense parameters come from
     * @return the rule
     */
    static FiniteRule inner(Layer layer, int id, int width, int baseWidth, WeightSource weights) {
        if (layer instanceof Dense dense) {
            return new DenseRule(id, dense, width, width, baseWidth, weights);
        }
        if (layer instanceof Branches b) {
            return new BranchesRule(b, width, id, baseWidth, weights);
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
     * The gradient of Σ_p ⟨Δ_p, h_p⟩ with respect to the layer's raw parameters, where h is the
     * layer's output and Δ = dOut (the chain rule for ∂L/∂θ when Δ = ∂L/∂h).
     *
     * @param input the layer's inputs, N×in
     * @param dOut ∂L/∂h, N×out
     * @param n N
     * @param workers threads (results do not depend on their number)
     * @return the gradient, or null for a layer without parameters
     */
    default Gradient gradient(double[] input, double[] dOut, int n, Workers workers) {
        return null;
    }

    /**
     * A layer's gradient with respect to its raw parameters.
     *
     * @param weights ∂L/∂W, out×in row-major
     * @param biases ∂L/∂b
     */
    record Gradient(double[] weights, double[] biases) {
    }
}
