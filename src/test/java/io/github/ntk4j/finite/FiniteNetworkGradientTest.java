package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The per-layer empirical NTK formula (docs/KERNEL-RECURSION.md §6) against the definition
 * Θ̂(x, y) = Σ_p ∂f(x)/∂p · ∂f(y)/∂p, where every parameter's gradient is computed on its own
 * by forward-mode differentiation (a tangent propagated from that one parameter through a
 * plain, loop-by-loop re-implementation of the network) — no backward pass, no per-layer
 * grouping.
 */
class FiniteNetworkGradientTest {

    /** A plain re-implementation of the network with explicit parameter arrays. */
    private static final class Explicit {
        final Layer[] layers;
        final double[][][] w;  // per layer: out × in (null for activations)
        final double[][] b;

        Explicit(FiniteNetwork fn, int d) {
            List<Layer> ls = fn.network().layers();
            layers = ls.toArray(new Layer[0]);
            w = new double[layers.length][][];
            b = new double[layers.length][];
            int in = d;
            for (int l = 0; l < layers.length; l++) {
                if (layers[l] instanceof Dense) {
                    int out = fn.widthAfter(l, d);
                    w[l] = new double[out][in];
                    b[l] = new double[out];
                    for (int i = 0; i < out; i++) {
                        for (int j = 0; j < in; j++) {
                            w[l][i][j] = fn.weight(l, i, j, in);
                        }
                        b[l][i] = fn.bias(l, i, out);
                    }
                    in = out;
                }
            }
        }

        int parameterCount() {
            int c = 0;
            for (int l = 0; l < layers.length; l++) {
                if (w[l] != null) {
                    c += w[l].length * w[l][0].length + b[l].length;
                }
            }
            return c;
        }

        /**
         * Outputs and their derivative with respect to parameter number {@code param}
         * (−1: none), by propagating (value, tangent) layer by layer.
         */
        double[][] valueAndTangent(double[] x, int param) {
            double[] g = x.clone();
            double[] t = new double[x.length];
            int offset = 0;
            for (int l = 0; l < layers.length; l++) {
                if (layers[l] instanceof Dense dense) {
                    int out = w[l].length;
                    int in = g.length;
                    double s = dense.wStd() / Math.sqrt(in);
                    double[] h = new double[out];
                    double[] th = new double[out];
                    for (int i = 0; i < out; i++) {
                        double v = 0;
                        double tv = 0;
                        for (int j = 0; j < in; j++) {
                            v += w[l][i][j] * g[j];
                            tv += w[l][i][j] * t[j];
                        }
                        h[i] = s * v + dense.bStd() * b[l][i];
                        th[i] = s * tv;
                    }
                    int local = param - offset;
                    if (local >= 0 && local < out * in) {
                        th[local / in] += s * g[local % in];
                    } else if (local >= out * in && local < out * in + out) {
                        th[local - out * in] += dense.bStd();
                    }
                    offset += out * in + out;
                    g = h;
                    t = th;
                } else {
                    Activation phi = (Activation) layers[l];
                    double[] h = new double[g.length];
                    double[] th = new double[g.length];
                    for (int i = 0; i < g.length; i++) {
                        h[i] = phi.apply(g[i]);
                        th[i] = phi.derivative(g[i]) * t[i];
                    }
                    g = h;
                    t = th;
                }
            }
            return new double[][] {g, t};
        }
    }

    private static double[][] inputs(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0}, width {1}, {2} outputs")
    @CsvSource(delimiter = ';', value = {
        "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1); 5; 1",
        "dense(1.2,0.3) erf dense(0.9,0.2) erf dense(1,0.5); 6; 1",
        "dense(1,0.2) poly(0.1,1,0.5) dense(1.1,0.1) abs dense(1,0); 4; 2",
        "dense(1.3,0.4) leaky_relu(0.2) dense(1,0.1) dense(0.8,0.7) erf(2,0.5,0.1) dense(1,0); 7; 3",
        "dense(2,0.5); 3; 2"
    })
    void perLayerFormulaEqualsSumOverEveryParameterGradient(String spec, int width, int outputs) {
        Network net = NetworkSpec.parse(spec);
        int d = 3;
        double[][] x = inputs(4, d, 11);
        x[3] = x[0].clone(); // a repeated input: the diagonal must agree too
        FiniteNetwork fn = FiniteNetwork.of(net, width, outputs, 1234);
        FiniteNetwork.Sample s = fn.evaluate(x);
        Explicit e = new Explicit(fn, d);
        int p = e.parameterCount();
        double[][][] jac = new double[x.length][p][];
        for (int i = 0; i < x.length; i++) {
            double[] f = e.valueAndTangent(x[i], -1)[0];
            assertArrayEquals(f, s.outputs()[i], 1e-12 * (1 + norm(f)), "outputs");
            for (int q = 0; q < p; q++) {
                jac[i][q] = e.valueAndTangent(x[i], q)[1];
            }
        }
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                double brute = 0;
                for (int o = 0; o < outputs; o++) {
                    for (int q = 0; q < p; q++) {
                        brute += jac[i][q][o] * jac[j][q][o];
                    }
                }
                brute /= outputs;
                assertEquals(brute, s.ntk()[i][j], 1e-9 * Math.abs(brute), "ntk[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void readoutNngpIsTheOutputCovarianceGivenTheHiddenLayers() {
        // E[f(x) f(y) | hidden] = W_std²/n ⟨g(x), g(y)⟩ + b_std², computed here from the
        // explicit hidden representation g (the outputs of the network cut before the readout).
        Network net = NetworkSpec.parse("dense(1.4,0.1) erf dense(1.3,0.6)");
        int d = 2;
        int width = 9;
        double[][] x = inputs(3, d, 5);
        FiniteNetwork fn = FiniteNetwork.of(net, width, 1, 99);
        FiniteNetwork.Sample s = fn.evaluate(x);
        Explicit e = new Explicit(fn, d);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                double[] gi = hidden(e, x[i]);
                double[] gj = hidden(e, x[j]);
                double dot = 0;
                for (int k = 0; k < width; k++) {
                    dot += gi[k] * gj[k];
                }
                double expected = 1.3 * 1.3 / width * dot + 0.36;
                assertEquals(expected, s.nngp()[i][j], 1e-12 * expected);
            }
        }
    }

    private static double[] hidden(Explicit e, double[] x) {
        Dense first = (Dense) e.layers[0];
        double s = first.wStd() / Math.sqrt(x.length);
        double[] g = new double[e.w[0].length];
        for (int i = 0; i < g.length; i++) {
            double v = 0;
            for (int j = 0; j < x.length; j++) {
                v += e.w[0][i][j] * x[j];
            }
            g[i] = ((Activation) e.layers[1]).apply(s * v + first.bStd() * e.b[0][i]);
        }
        return g;
    }

    @Test
    void resultsAreBitForBitTheSameForAnyThreadCount() {
        Network net = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1.4,0.1)");
        double[][] x = inputs(7, 5, 3);
        FiniteNetwork fn = FiniteNetwork.of(net, 2 * ParameterStreams.COLUMN_BLOCK + 37, 2, 42);
        FiniteNetwork.Sample one = fn.evaluate(x);
        FiniteNetwork.Sample three;
        try (Workers w = new Workers(3)) {
            three = fn.evaluate(x, w);
        }
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(one.ntk()[i], three.ntk()[i], 0.0);
            assertArrayEquals(one.nngp()[i], three.nngp()[i], 0.0);
            assertArrayEquals(one.outputs()[i], three.outputs()[i], 0.0);
        }
        FiniteNetwork other = FiniteNetwork.of(net, fn.width(), 2, 43);
        assertTrue(other.evaluate(x).ntk()[0][1] != one.ntk()[0][1], "another seed gives another network");
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a * a;
        }
        return Math.sqrt(s);
    }
}
