package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TrainableNetwork} against values computed without its backward pass: the empirical
 * NTK and NNGP against central finite differences of the outputs, the initial parameters
 * against their streams, the gradient against central finite differences of the loss, and one
 * gradient step against the first-order prediction f_1 ≈ f_0 − η Θ̂_0 (f_0 − Y). The finite
 * differences are taken for plain chains and for every structure {@code verify} accepts:
 * standard parameterisation (the differences are in the trained parameters θ_W = W_std/√N·W,
 * θ_b = b_std·b, whose tangent kernel is the standard-parameterisation NTK), residual blocks,
 * sums and products of branches, layernorm, gelu and tanh.
 */
class TrainableNetworkTest {
    private static final double[][] X = {{0.3, -1.2, 0.5}, {1.0, 0.4, -0.7}, {-0.6, 0.9, 1.1}, {0.2, 0.2, -0.3}};
    private static final double[][] Y = {{0.5}, {-0.3}, {1.0}, {0.1}};

    /** Plain chains and every structure verify accepts; width(7) against hidden width 5 makes s = n/N ≠ 1. */
    private static final String[] NETWORKS = {
        "dense(1.3,0.2) erf dense(1.5,0.1) abs dense(0.9,0.3)",
        "width(7) dense(1.3,0.2,standard) erf dense(1.5,0,standard) relu dense(0.9,0.3,standard)",
        "dense(1.3,0.2) relu residual(dense(1.1,0.1) erf dense(0.8,0.2); 0.7,1.2) dense(1,0.1)",
        "dense(1.2,0.1) erf sum(dense(1,0.1) | dense(0.9,0.2) tanh dense(1,0); 0.8,1.1) dense(1,0.1)",
        "dense(1.2,0.1) erf prod(dense(1,0.1) | identity) dense(1,0.1)",
        "dense(1.2,0.1) layernorm gelu dense(1,0.2) tanh dense(1.1,0.1)",
        "width(6) dense(1.2,0.1,standard) residual(relu dense(1,0,standard) erf dense(1,0.1,standard)) layernorm "
            + "dense(1,0.2,standard)",
    };

    @Test
    void empiricalNtkAndNngpMatchCentralFiniteDifferencesOfTheOutputs() {
        for (String spec : NETWORKS) {
            empiricalNtkAndNngpMatchFiniteDifferences(NetworkSpec.parse(spec));
        }
    }

    private static void empiricalNtkAndNngpMatchFiniteDifferences(Network net) {
        // Θ̂(x_i, x_j) = (1/k) Σ_o Σ_θ ∂f_o(x_i)/∂θ ∂f_o(x_j)/∂θ (Jacot et al. 2018), every
        // ∂f/∂θ by a central difference of the outputs alone; K̂ is the readout's share of one
        // output over its raw parameters: ∂f/∂W = c_W ∂f/∂θ_W with c_W = W_std/√N, c_b = b_std in
        // standard parameterisation (c = 1 in NTK parameterisation)
        Dense last = (Dense) net.layers().get(net.layers().size() - 1);
        double cw = last.standard() ? last.wStd() / Math.sqrt(net.width()) : 1;
        double cb = last.standard() ? last.bStd() : 1;
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
                                    double c = params == w ? cw : cb;
                                    nngp[i][j] += c * c * gi * gj;
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(ntk[i][j], got.ntk()[i][j], 1e-7 * ntk[i][i], net.spec() + ": Θ̂ " + i + "," + j);
                assertEquals(nngp[i][j], got.nngp()[i][j], 1e-7 * nngp[i][i], net.spec() + ": K̂ " + i + "," + j);
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

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void untrainedNetworkIsTheMonteCarloNetwork(int which) {
        // the same seed gives the network FiniteNetwork regenerates from its streams: outputs, Θ̂ and K̂
        // agree (to rounding: the standard-parameterisation weights are stored times W_std/√N)
        Network net = NetworkSpec.parse(NETWORKS[which]);
        FiniteNetwork.Sample want = FiniteNetwork.of(net, 5, 2, 42).evaluate(X);
        FiniteNetwork.Sample got = TrainableNetwork.initialise(net, 5, 2, 42, 3).evaluate(X);
        for (int i = 0; i < X.length; i++) {
            for (int o = 0; o < 2; o++) {
                assertEquals(want.outputs()[i][o], got.outputs()[i][o], 1e-13 * Math.abs(want.outputs()[i][o]) + 1e-15);
            }
            for (int j = 0; j < X.length; j++) {
                assertEquals(want.ntk()[i][j], got.ntk()[i][j], 1e-13 * want.ntk()[i][i], net.spec());
                assertEquals(want.nngp()[i][j], got.nngp()[i][j], 1e-13 * want.nngp()[i][i], net.spec());
            }
        }
        // every Dense layer is trained, those inside branches too: Σ out·(fan-in + 1)
        TrainableNetwork tn = TrainableNetwork.initialise(net, 5, 2, 42, 3);
        long count = 0;
        for (int id : tn.denseLayers()) {
            count += (long) tn.shape(id)[1] * (tn.shape(id)[0] + 1);
        }
        assertEquals(TrainableNetwork.parameterCount(net, 3, 5, 2), count);
        assertEquals(LayerShapes.of(net, 3, 5, 2).idCount() - net.layers().size()
                + net.layers().stream().filter(l -> l instanceof Dense).count(), tn.denseLayers().length);
    }

    @Test
    void standardParameterisationNeedsTheWidthToBeTrained() {
        Network net = NetworkSpec.parse("dense(1,0.1,standard) relu dense(1,0.1,standard)");
        assertThrows(io.github.ntk4j.Ntk4jException.class, () -> TrainableNetwork.initialise(net, 5, 1, 1, 3));
        // W_std = b_std = 0 in standard parameterisation: trainable (its NTK has the bias term 1), but a
        // relative change from all-zero parameters is refused, not NaN
        TrainableNetwork zero = TrainableNetwork.initialise(NetworkSpec.parse("width(5) dense(1,0.1,standard) relu "
                + "dense(0,0,standard)"), 5, 1, 1, 3);
        zero.step(X, Y, 0.01);
        assertTrue(zero.loss(X, Y) > 0);
        assertThrows(io.github.ntk4j.Ntk4jException.class, zero::relativeChangePerLayer);
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
        assertEquals(5 * 4 + 5 * 6 + 1 * 6, gradientMatchesFiniteDifferences(net));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void gradientMatchesCentralFiniteDifferencesForEveryStructure(int which) {
        Network net = NetworkSpec.parse(NETWORKS[which]);
        assertEquals(TrainableNetwork.parameterCount(net, 3, 5, 1), gradientMatchesFiniteDifferences(net));
    }

    /** Every parameter's ∂L/∂θ against a central difference of the loss; returns how many were checked. */
    private static int gradientMatchesFiniteDifferences(Network net) {
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
                    assertEquals(fd, grad[k], 1e-7 * Math.max(1, Math.abs(fd)), net.spec() + ": layer " + l
                            + " parameter " + k);
                    checked++;
                }
            }
        }
        return checked;
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
