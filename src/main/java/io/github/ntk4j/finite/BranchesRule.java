package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Branches;
import io.github.ntk4j.net.Layer;
import java.util.List;

/**
 * The finite-width rule of {@link Branches}: every branch's rules run on the same input
 * (forward), and the sensitivity at the output goes back through each branch and is summed at
 * the input (backward):
 * <pre>
 *   sum:      y = Σ w_i b_i(x),   Δ_i = w_i Δ
 *   product:  y = Π b_i(x),       Δ_i = Δ ⊙ Π_{j≠i} b_j(x)
 *   Δ_in = Σ_i (back-propagation of Δ_i through branch i)
 * </pre>
 * The Dense layers inside the branches add their share of the empirical NTK on the way back
 * (and hand their loss gradients to the sink, {@link #backpropagate}), each with its own
 * parameter stream (ids after the top-level layers, numbered depth first).
 *
 * <p>The forward pass keeps every branch's intermediate inputs for the backward pass (one
 * evaluation at a time, as the rest of a {@link FinitePass}); the empirical-NTK pass computes
 * the input sensitivity once, in {@link #addTangentKernel}, and {@link #backward} hands it on.
 */
final class BranchesRule implements FiniteRule {
    private final Branches layer;
    private final FiniteRule[][] rules;
    private final double[] weights;
    private final boolean product;
    private final boolean parameters;

    private double[] tapeInput;
    private double[][][] tape;     // tape[i][j] = input of rule j of branch i
    private double[][] outputs;    // outputs[i] = output of branch i
    private double[] lastDOut;
    private double[] lastDIn;

    /**
     * @param layer the branches
     * @param firstId parameter-stream id of the first Dense layer inside
     * @param shapes the network's widths (those of the Dense layers inside, by id)
     * @param weights where the Dense parameters come from
     */
    BranchesRule(Branches layer, int firstId, LayerShapes shapes, WeightSource weights) {
        this.layer = layer;
        this.weights = layer.weights();
        this.product = layer.join() == Branches.Join.PRODUCT;
        List<List<Layer>> bs = layer.branches();
        this.rules = new FiniteRule[bs.size()][];
        int id = firstId;
        boolean any = false;
        for (int i = 0; i < bs.size(); i++) {
            List<Layer> b = bs.get(i);
            rules[i] = new FiniteRule[b.size()];
            for (int j = 0; j < b.size(); j++) {
                Layer l = b.get(j);
                rules[i][j] = FiniteRule.of(l, id, shapes, weights);
                id += LayerShapes.denseCount(l);
                any |= rules[i][j].hasParameters();
            }
        }
        this.parameters = any;
    }

    @Override
    public boolean hasParameters() {
        return parameters;
    }

    @Override
    public double[] forward(double[] input, int n, Workers workers) {
        int nb = rules.length;
        tapeInput = input;
        tape = new double[nb][][];
        outputs = new double[nb][];
        lastDOut = null;
        lastDIn = null;
        for (int i = 0; i < nb; i++) {
            tape[i] = new double[rules[i].length][];
            double[] cur = input;
            for (int j = 0; j < rules[i].length; j++) {
                tape[i][j] = cur;
                cur = rules[i][j].forward(cur, n, workers);
            }
            outputs[i] = cur;
        }
        double[] y = new double[input.length];
        if (product) {
            java.util.Arrays.fill(y, 1);
            for (double[] o : outputs) {
                for (int k = 0; k < y.length; k++) {
                    y[k] *= o[k];
                }
            }
        } else {
            for (int i = 0; i < nb; i++) {
                double wi = weights[i];
                double[] o = outputs[i];
                for (int k = 0; k < y.length; k++) {
                    y[k] += wi * o[k];
                }
            }
        }
        return y;
    }

    /**
     * After a forward pass: adds the input of every activation inside the branches (branch by
     * branch, nested branches depth first) to {@code out}, for the path kernel's kink search.
     *
     * @param out receives the pre-activations, N×width each
     */
    void addActivationInputs(List<double[]> out) {
        for (int i = 0; i < rules.length; i++) {
            for (int j = 0; j < rules[i].length; j++) {
                if (rules[i][j] instanceof ActivationRule) {
                    out.add(tape[i][j]);
                } else if (rules[i][j] instanceof BranchesRule b) {
                    b.addActivationInputs(out);
                }
            }
        }
    }

    private void checkTape(double[] input) {
        if (input != tapeInput) {
            throw new IllegalStateException("BranchesRule: backward pass without its forward pass");
        }
    }

    /** The sensitivity at the output of branch i, from Δ at the layer's output (R rows). */
    private double[] branchDelta(int i, double[] dOut, int rows, int n) {
        int w = tapeInput.length / n;
        double[] d = new double[dOut.length];
        if (!product) {
            double wi = weights[i];
            for (int k = 0; k < d.length; k++) {
                d[k] = wi * dOut[k];
            }
            return d;
        }
        for (int r = 0; r < rows; r++) {
            int p = (r % n) * w;
            int dp = r * w;
            for (int k = 0; k < w; k++) {
                double f = dOut[dp + k];
                for (int j = 0; j < outputs.length; j++) {
                    if (j != i) {
                        f *= outputs[j][p + k];
                    }
                }
                d[dp + k] = f;
            }
        }
        return d;
    }

    /** One inner rule's step of a backward walk: the sensitivities at its input from those at its output. */
    private interface Step {
        double[] apply(FiniteRule rule, double[] input, double[] dOut);
    }

    /** Walks every branch back from its share of Δ (R rows) by {@code step}, summing the branches at the input. */
    private double[] back(double[] dOut, int rows, int n, Step step) {
        double[] dIn = new double[dOut.length];
        for (int i = 0; i < rules.length; i++) {
            double[] d = branchDelta(i, dOut, rows, n);
            for (int j = rules[i].length - 1; j >= 0; j--) {
                d = step.apply(rules[i][j], tape[i][j], d);
            }
            for (int k = 0; k < dIn.length; k++) {
                dIn[k] += d[k];
            }
        }
        return dIn;
    }

    /** Back-propagates a loss gradient through every branch; the inner Dense layers hand their gradients to the sink. */
    @Override
    public double[] backpropagate(double[] input, double[] dOut, int n, boolean needInput, Workers workers,
            FinitePass.GradientSink sink) {
        checkTape(input);
        double[] dIn = back(dOut, n, n, (rule, in, d) -> rule.backpropagate(in, d, n, true, workers, sink));
        return needInput ? dIn : null;
    }

    @Override
    public double[] backward(double[] input, double[] dOut, int rows, int n, Workers workers) {
        checkTape(input);
        if (dOut == lastDOut && lastDIn != null) {
            double[] r = lastDIn;
            lastDOut = null;
            lastDIn = null;
            return r;
        }
        return back(dOut, rows, n, (rule, in, d) -> rule.backward(in, d, rows, n, workers));
    }

    @Override
    public double[][] addTangentKernel(double[] input, double[] dOut, int n, int outs, double[][] ntk) {
        checkTape(input);
        Workers serial = Workers.serial();
        lastDIn = back(dOut, n * outs, n, (rule, in, d) -> {
            if (rule.hasParameters()) {
                rule.addTangentKernel(in, d, n, outs, ntk);
            }
            return rule.backward(in, d, n * outs, n, serial);
        });
        lastDOut = dOut;
        return null;
    }

    @Override
    public String toString() {
        return layer.spec();
    }
}
