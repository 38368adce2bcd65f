package io.github.ntk4j.study;

import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.FiniteNetwork;
import io.github.ntk4j.finite.TrainableNetwork;
import io.github.ntk4j.learn.KernelSpectrum;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.study.LazyTrainingStudy.Run;
import java.util.Arrays;

/**
 * One network of a {@link LazyTrainingStudy}: initialised as the Monte Carlo network
 * {@code FiniteNetwork.of(network, m, 1, EmpiricalNtk.networkSeed(seed, m, s))}, trained by S
 * steps of full-batch gradient descent, and measured against the linearised predictions
 * ({@link LinearisedDynamics}) with the analytic Θ and with its own initial Θ̂_0. Immutable;
 * one instance serves every thread.
 */
final class NetworkTraining {
    private final Network network;
    private final double[][] xTrain;
    private final double[][] yTrain;
    private final double[][] xTest;
    private final int steps;
    private final long seed;

    NetworkTraining(Network network, double[][] xTrain, double[][] yTrain, double[][] xTest, int steps, long seed) {
        this.network = network;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xTest = xTest;
        this.steps = steps;
        this.seed = seed;
    }

    /**
     * Trains network s of width m and measures it (see {@link LazyTrainingStudy.Run}).
     *
     * @param width m
     * @param index s
     * @param eta step η
     * @param v eigenvectors of the analytic Θ(X, X)
     * @param gain discrete-step gains per eigenvector
     * @param thetaTestTrain analytic Θ(x*, X)
     * @param thetaTrain analytic Θ(X, X)
     * @return the measurements
     */
    Run train(int width, int index, double eta, double[][] v, double[] gain, double[][] thetaTestTrain,
            double[][] thetaTrain) {
        long netSeed = EmpiricalNtk.networkSeed(seed, width, index);
        TrainableNetwork net = TrainableNetwork.initialise(network, width, 1, netSeed, xTrain[0].length);
        FiniteNetwork.Sample s0 = net.evaluate(xTrain);
        double[][] f0Train = s0.outputs();
        double[][] f0Test = net.outputs(xTest);
        double[] ownLin = ownLinearisation(net, f0Train, f0Test, eta);
        double[] lin = LinearisedDynamics.prediction(thetaTestTrain, v, gain, f0Test, f0Train, yTrain);
        double[] linTrain = LinearisedDynamics.prediction(thetaTrain, v, gain, f0Train, f0Train, yTrain);
        double initialLoss = halfSquare(f0Train, yTrain);
        for (int s = 0; s < steps; s++) {
            net.step(xTrain, yTrain, eta);
        }
        FiniteNetwork.Sample sT = net.evaluate(xTrain);
        double[][] fTest = net.outputs(xTest);
        double dist = 0;
        for (int p = 0; p < lin.length; p++) {
            double d = fTest[p][0] - lin[p];
            dist += d * d;
        }
        dist = Math.sqrt(dist / lin.length);
        double own = 0;
        for (int p = 0; p < lin.length; p++) {
            double d = fTest[p][0] - ownLin[p];
            own += d * d;
        }
        own = Math.sqrt(own / lin.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < thetaTrain.length; i++) {
            for (int j = 0; j < thetaTrain.length; j++) {
                double d = sT.ntk()[i][j] - s0.ntk()[i][j];
                num += d * d;
                den += s0.ntk()[i][j] * s0.ntk()[i][j];
            }
        }
        double linLoss = 0;
        for (int i = 0; i < linTrain.length; i++) {
            double r = linTrain[i] - yTrain[i][0];
            linLoss += r * r;
        }
        return new Run(width, index, net.relativeChange(), net.relativeChangePerLayer(), Math.sqrt(num / den), dist, own,
                initialLoss, halfSquare(sT.outputs(), yTrain), 0.5 * linLoss);
    }

    /** f^lin_S(x*) with the network's own Θ̂_0 (train and test–train blocks from one evaluation). */
    private double[] ownLinearisation(TrainableNetwork net, double[][] f0Train, double[][] f0Test, double eta) {
        int n = xTrain.length;
        double[][] all = new double[n + xTest.length][];
        System.arraycopy(xTrain, 0, all, 0, n);
        System.arraycopy(xTest, 0, all, n, xTest.length);
        double[][] k = net.evaluate(all).ntk();
        double[][] kTrain = new double[n][];
        double[][] kTestTrain = new double[xTest.length][];
        for (int i = 0; i < n; i++) {
            kTrain[i] = Arrays.copyOf(k[i], n);
        }
        for (int i = 0; i < xTest.length; i++) {
            kTestTrain[i] = Arrays.copyOf(k[n + i], n);
        }
        KernelSpectrum spec = KernelSpectrum.of(kTrain, true);
        double[][] v = new double[n][];
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = spec.eigenvector(i);
            g[i] = io.github.ntk4j.learn.Gains.discrete(Math.max(spec.eigenvalue(i), 0), eta, steps);
        }
        return LinearisedDynamics.prediction(kTestTrain, v, g, f0Test, f0Train, yTrain);
    }

    private static double halfSquare(double[][] f, double[][] y) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double r = f[i][0] - y[i][0];
            s += r * r;
        }
        return 0.5 * s;
    }
}
