package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Workers;

/**
 * The forward pass, the empirical NTK and back-propagation of a finite network, written once
 * over per-layer {@link FiniteRule}s; {@link FiniteNetwork} (weights regenerated from their
 * streams) and {@link TrainableNetwork} (weights held for training) differ only in their
 * {@link WeightSource}.
 *
 * <p>The empirical NTK by the per-layer formula, for each output o,
 * <pre>
 *   Θ̂_o(x, y) = Σ_l ⟨δ_o^l(x), δ_o^l(y)⟩ · ( W_std,l²/n_{l−1} ⟨g^{l−1}(x), g^{l−1}(y)⟩ + b_std,l² )
 * </pre>
 * with δ_o^l = ∂f_o/∂h^l the sensitivity at the output of Dense layer l and g^{l−1} its input,
 * averaged over the outputs (Jacot et al. 2018, "Neural Tangent Kernel", NeurIPS, §3:
 * Θ̂ = Σ_θ ∂f(x)/∂θ ∂f(y)/∂θ, grouped by layer); the readout's second factor is the empirical
 * NNGP K̂(x, y), the covariance of the outputs given the hidden layers.
 */
final class FinitePass {
    private final FiniteRule[] rules;
    private final int outputs;

    /**
     * @param shapes the network's widths
     * @param weights where its parameters come from
     * @param outputs readout width k
     */
    FinitePass(LayerShapes shapes, WeightSource weights, int outputs) {
        this.rules = new FiniteRule[shapes.count()];
        for (int l = 0; l < rules.length; l++) {
            rules[l] = FiniteRule.of(shapes, l, weights);
        }
        this.outputs = outputs;
    }

    /**
     * What the forward pass leaves for the backward pass.
     *
     * @param inputs the input of every layer, N×width
     * @param output the network's output, N×k
     * @param n N
     */
    record Tape(double[][] inputs, double[] output, int n) {
        /** @return the outputs as N rows of k */
        double[][] outputRows() {
            int k = output.length / n;
            double[][] f = new double[n][k];
            for (int p = 0; p < n; p++) {
                System.arraycopy(output, p * k, f[p], 0, k);
            }
            return f;
        }
    }

    /**
     * The forward pass.
     *
     * @param x N inputs, already mapped by the network's Fourier features
     * @param workers threads
     * @return every layer's input and the output
     */
    Tape forward(double[][] x, Workers workers) {
        int n = x.length;
        int d = x[0].length;
        double[] cur = new double[n * d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(x[p], 0, cur, p * d, d);
        }
        double[][] inputs = new double[rules.length][];
        for (int l = 0; l < rules.length; l++) {
            inputs[l] = cur;
            cur = rules[l].forward(cur, n, workers);
        }
        return new Tape(inputs, cur, n);
    }

    /**
     * The pre-activations of the last forward pass: the input of every activation layer,
     * top-level or inside branches, in network order (the path kernel's kink search).
     *
     * @param tape the last forward pass
     * @return the activations' inputs, N×width each
     */
    java.util.List<double[]> activationInputs(Tape tape) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        for (int l = 0; l < rules.length; l++) {
            if (rules[l] instanceof ActivationRule) {
                out.add(tape.inputs()[l]);
            } else if (rules[l] instanceof BranchesRule b) {
                b.addActivationInputs(out);
            }
        }
        return out;
    }

    /** @return the index of the first layer with parameters (nothing below it needs a sensitivity) */
    private int firstWithParameters() {
        for (int l = 0; l < rules.length; l++) {
            if (rules[l].hasParameters()) {
                return l;
            }
        }
        return rules.length;
    }

    /**
     * The empirical NTK (averaged over the outputs) and the readout's empirical NNGP: one
     * backward pass of k·N sensitivity rows seeded by the identity, δ_o(x_p) = e_o at the
     * output, row o·N + p.
     *
     * @param tape the forward pass
     * @param workers threads
     * @return Θ̂, K̂ and f
     */
    FiniteNetwork.Sample empiricalNtk(Tape tape, Workers workers) {
        int n = tape.n();
        int rows = n * outputs;
        double[] delta = new double[rows * outputs];
        for (int o = 0; o < outputs; o++) {
            for (int p = 0; p < n; p++) {
                delta[(o * n + p) * outputs + o] = 1;
            }
        }
        double[][] ntk = new double[n][n];
        double[][] nngp = null;
        int first = firstWithParameters();
        for (int l = rules.length - 1; l >= first; l--) {
            double[][] cov = rules[l].addTangentKernel(tape.inputs()[l], delta, n, outputs, ntk);
            if (l == rules.length - 1) {
                nngp = cov;
            }
            if (l > first) {
                delta = rules[l].backward(tape.inputs()[l], delta, rows, n, workers);
            }
        }
        if (outputs > 1) {
            for (double[] row : ntk) {
                for (int j = 0; j < n; j++) {
                    row[j] /= outputs;
                }
            }
        }
        return new FiniteNetwork.Sample(ntk, nngp, tape.outputRows());
    }

    /** Receives one Dense layer's gradient once the sensitivities below it no longer need its parameters. */
    interface GradientSink {
        /**
         * @param id the Dense layer's parameter-stream id (its index, for a top-level layer)
         * @param gradient its gradient
         */
        void accept(int id, FiniteRule.Gradient gradient);
    }

    /**
     * Back-propagation of a loss gradient Δ = ∂L/∂f (N×k) to every Dense layer's parameters,
     * those inside branches included ({@link FiniteRule#backpropagate}). Each layer's gradient
     * is handed to the sink after the sensitivities at its input have been computed, so the sink
     * may change that layer's parameters in place.
     *
     * @param tape the forward pass
     * @param dOutput ∂L/∂f, N×k (overwritten)
     * @param workers threads
     * @param sink receives the gradients, from the readout down
     */
    void backpropagate(Tape tape, double[] dOutput, Workers workers, GradientSink sink) {
        int n = tape.n();
        double[] delta = dOutput;
        int first = firstWithParameters();
        for (int l = rules.length - 1; l >= first; l--) {
            delta = rules[l].backpropagate(tape.inputs()[l], delta, n, l > first, workers, sink);
        }
    }
}
