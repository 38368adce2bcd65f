package io.github.ntk4j.study;

import io.github.ntk4j.Progress;
import io.github.ntk4j.finite.TrainableNetwork;
import io.github.ntk4j.internal.Messages;

/**
 * One network trained by full-batch gradient descent on L = ½‖f(X) − Y‖² ({@link
 * TrainableNetwork#step}), as {@code train --init/--save-weights} runs it: from a seeded
 * initialisation or from given weights ({@link TrainableNetwork#fromWeights}).
 *
 * @param steps T
 * @param learningRate η
 * @param initialLoss L at w_0
 * @param finalLoss L at w_T
 * @param weightChange ‖w_T − w_0‖ / ‖w_0‖ over all trained parameters
 * @param testOutputs f(x; w_T) on the test inputs
 */
public record SingleNetworkRun(int steps, double learningRate, double initialLoss, double finalLoss, double weightChange,
        double[] testOutputs) {

    /**
     * Trains a network in place.
     *
     * @param net the network at w_0 (left at w_T)
     * @param x training inputs
     * @param y targets (N×k)
     * @param xTest test inputs
     * @param steps T ≥ 1
     * @param eta η &gt; 0
     * @param progress receives (steps done, T)
     * @return the run
     */
    public static SingleNetworkRun train(TrainableNetwork net, double[][] x, double[][] y, double[][] xTest, int steps,
            double eta, Progress progress) {
        if (steps < 1) {
            throw Messages.tooSmall("steps", steps, 1);
        }
        double l0 = net.loss(x, y);
        for (int t = 0; t < steps; t++) {
            net.step(x, y, eta);
            progress.update(t + 1, steps);
        }
        double[][] f = net.outputs(xTest);
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i][0];
        }
        return new SingleNetworkRun(steps, eta, l0, net.loss(x, y), net.relativeChange(), out);
    }
}
