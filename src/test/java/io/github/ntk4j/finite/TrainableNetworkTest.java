package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * {@link TrainableNetwork} against values computed without its backward pass: the empirical
 * NTK and NNGP against central finite differences of the outputs, the initial parameters
 * against their streams, the gradient against central finite differences of the loss, and one
 * gradient step against the first-order prediction f_1 ≈ f_0 − η Θ̂_0 (f_0 − Y).
 */
class TrainableNetworkTest {
    private static final double[][] X = {{0.3, -1.2, 0.5}, {1.0, 0.4, -0.7}, {-0.6, 0.9, 1.1}, {0.2, 0.2, -0.3}};
    private static final double[][] Y = {{0.5}, {-0.3}, {1.0}, {0.1}};

    @Test
    void empiricalNtkAndNngpMatchCentralFiniteDifferencesOfTheOutputs() {
        // Θ̂(x_i, x_j) = (1/k) Σ_o Σ_θ ∂f_o(x_i)/∂θ ∂f_o(x_j)/∂θ (Jacot et al. 2018), every
        // ∂f/∂θ by a central difference of the outputs alone; K̂ is the readout's share of one output
        Network net = NetworkSpec.parse("dense(1.3,0.2) erf dense(1.5,0.1) abs dense(0.9,0.3)");
        int k = 2;
        TrainableNetwork tn = TrainableNetwork.initialise(net, 5, k, 42, 3);
        FiniteNetwork.Sample got = tn.evaluate(X);
        int n = X.length;
        double[][] ntk = new double[n][n];
        double[][] nngp = new double[n][n];
        int readout = tn.denseLayers()[tn.denseLayers().length - 1];
        double h = 1e-6;
        for (int l : tn.denseLayers()) {
            double[] w = tn.weightsOf(l);
            for (double[] params : new double[][] {w, tn.biasesOf(l)}) {
                for (int q = 0; q < params.length; q++) {
                    double keep = params[q];
                    params[q] = keep + h;
                    double[][] up = tn.outputs(X);
                    params[q] = keep - h;
                    double[][] down = tn.outputs(X);
                    params[q] = keep;
                    // readout row of output 0: weights 0 … fan-in−1, bias 0
                    boolean readoutRow0 = l == readout && (params == w ? q < tn.shape(l)[0] : q == 0);
                    for (int o = 0; o < k; o++) {
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                double gi = (up[i][o] - down[i][o]) / (2 * h);
                                double gj = (up[j][o] - down[j][o]) / (2 * h);
                                ntk[i][j] += gi * gj / k;
                                if (o == 0 && readoutRow0) {
                                    nngp[i][j] += gi * gj;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(ntk[i][j], got.ntk()[i][j], 1e-7 * ntk[i][i], "Θ̂ " + i + "," + j);
                assertEquals(nngp[i][j], got.nngp()[i][j], 1e-7 * nngp[i][i], "K̂ " + i + "," + j);
            }
        }
    }

    @Test
    void initialParametersAreTheStreamedOnes() {
        // a fan-in above COLUMN_BLOCK (300 > 256): the row is read across two streams
        Network net = NetworkSpec.parse("dense(1.3,0.2) relu dense(1.5,0.1) erf dense(0.9,0.3)");
        TrainableNetwork tn = TrainableNetwork.initialise(net, 300, 2, 42, 3);
        double[] row = new double[300];
        ParameterStreams.fillWeights(42, 2, 17, 0, 300, row, 0);
        assertEquals(row[290], tn.weightsOf(2)[17 * 300 + 290], 0);
        assertEquals(ParameterStreams.biases(42, 4, 2)[1], tn.biasesOf(4)[1], 0);
        assertEquals(0, tn.relativeChange(), 0);
    }

    @Test
    void fourierFeatureInputMapIsAppliedAndNotTrained() {
        Network net = NetworkSpec.parse("fourier(8,2,5) dense(1.4,0.1) erf dense(1.2,0.2)");
        Network plain = NetworkSpec.parse("dense(1.4,0.1) erf dense(1.2,0.2)");
        TrainableNetwork tn = TrainableNetwork.initialise(net, 64, 1, 9, 3);
        // the same parameters on the mapped inputs γ(x), computed without the map
        double[][] want = TrainableNetwork.initialise(plain, 64, 1, 9, 16).outputs(net.mapInputs(X));
        double[][] got = tn.outputs(X);
        for (int i = 0; i < X.length; i++) {
            assertEquals(want[i][0], got[i][0], 0);
        }
        // the first Dense layer sees the 2·8 features, not the 3 raw inputs
        assertEquals(16, tn.shape(tn.denseLayers()[0])[0]);
        assertEquals(64L * 17 + 65, TrainableNetwork.parameterCount(net, 3, 64, 1));
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        Network net = NetworkSpec.parse("dense(1.4,0.3) erf dense(1.2,0.1) relu dense(1,0.2)");
        TrainableNetwork tn = TrainableNetwork.initialise(net, 5, 1, 7, 3);
        TrainableNetwork.Gradient g = tn.gradient(X, Y);
        double h = 1e-6;
        int checked = 0;
        for (int l : tn.denseLayers()) {
            for (double[] params : new double[][] {tn.weightsOf(l), tn.biasesOf(l)}) {
                double[] grad = params == tn.weightsOf(l) ? g.weights()[l] : g.biases()[l];
                for (int k = 0; k < params.length; k++) {
                    double keep = params[k];
                    params[k] = keep + h;
                    double up = tn.loss(X, Y);
                    params[k] = keep - h;
                    double down = tn.loss(X, Y);
                    params[k] = keep;
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, grad[k], 1e-7 * Math.max(1, Math.abs(fd)), "layer " + l + " parameter " + k);
                    checked++;
                }
            }
        }
        assertEquals(5 * 4 + 5 * 6 + 1 * 6, checked);
    }

    @Test
    void oneStepChangesOutputsAsTheEmpiricalNtkPredicts() {
        Network net = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");
        TrainableNetwork tn = TrainableNetwork.initialise(net, 256, 1, 3, 3);
        FiniteNetwork.Sample s0 = tn.evaluate(X);
        double eta = 1e-3;
        double[][] f0 = tn.step(X, Y, eta);
        double[][] f1 = tn.outputs(X);
        double maxChange = 0;
        for (int i = 0; i < X.length; i++) {
            assertEquals(s0.outputs()[i][0], f0[i][0], 0);
            double predicted = 0;
            for (int j = 0; j < X.length; j++) {
                predicted += s0.ntk()[i][j] * (f0[j][0] - Y[j][0]);
            }
            predicted *= -eta;
            double actual = f1[i][0] - f0[i][0];
            maxChange = Math.max(maxChange, Math.abs(actual));
            // second-order remainder: O(η²), far below the O(η) change
            assertEquals(predicted, actual, 1e-3 * Math.abs(predicted) + 1e-9);
        }
        assertTrue(maxChange > 1e-4, "the step moved the outputs: " + maxChange);
        // a step that lowers the loss moves the parameters a little, and only a little
        assertTrue(tn.relativeChange() > 0 && tn.relativeChange() < 1e-3);
        assertTrue(tn.loss(X, Y) < 0.5 * sumSq(f0, Y));
    }

    @Test
    void gradientDescentFitsTheTrainingSet() {
        Network net = NetworkSpec.parse("dense(1.4,0.1) relu dense(1,0.1)");
        TrainableNetwork tn = TrainableNetwork.initialise(net, 512, 1, 11, 3);
        double l0 = tn.loss(X, Y);
        for (int s = 0; s < 200; s++) {
            tn.step(X, Y, 0.1);
        }
        assertTrue(tn.loss(X, Y) < 1e-2 * l0, tn.loss(X, Y) + " vs " + l0);
        double[] perLayer = tn.relativeChangePerLayer();
        assertEquals(2, perLayer.length);
        assertTrue(perLayer[0] > 0 && perLayer[1] > 0);
    }

    private static double sumSq(double[][] f, double[][] y) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double r = f[i][0] - y[i][0];
            s += r * r;
        }
        return s;
    }

}
