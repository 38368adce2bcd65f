package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Branches;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.LayerNorm;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The finite-width rules of the structural layers (residual blocks, sums and products of
 * branches, layernorm, standard parameterisation) against the definition of the empirical NTK,
 * Θ̂(x, y) = Σ_p ∂f(x)/∂p · ∂f(y)/∂p, with every parameter's derivative computed on its own by
 * forward-mode differentiation through a plain, recursive re-implementation of the network
 * (no backward pass, no per-layer grouping). In standard parameterisation the parameters are
 * neural-tangents' W' (h = W' g/√s + b, s = n/N) and b: ∂h_i/∂W'_ij = g_j √(N/n), ∂h_i/∂b_i = 1.
 */
class StructureGradientTest {

    /** A Dense layer of the explicit network: raw N(0, 1) weights and biases. */
    private record DenseParams(Dense dense, double[][] w, double[] b, double baseFanIn) {
    }

    /**
     * The explicit network: every Dense occurrence's parameters in forward order, which is
     * also the engine's order of parameter-stream ids (top-level layer l has id l; Dense
     * layers inside branches have ids after the top-level layers, depth first).
     */
    private static final class Explicit {
        final Network net;
        final List<DenseParams> params = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        int count;

        Explicit(FiniteNetwork fn, Network net, int d, int width) {
            this.net = net;
            List<Layer> ls = net.layers();
            int[] nextInner = {ls.size()};
            int in = d;
            for (int l = 0; l < ls.size(); l++) {
                Layer layer = ls.get(l);
                if (layer instanceof Dense dense) {
                    int out = l == ls.size() - 1 ? 1 : width;
                    add(fn, dense, l, in, out, l == 0 ? d : net.width());
                    in = out;
                } else if (layer instanceof Branches b) {
                    addInner(fn, b, width, nextInner);
                }
            }
        }

        private void add(FiniteNetwork fn, Dense dense, int id, int in, int out, double baseFanIn) {
            double[][] w = new double[out][in];
            double[] b = new double[out];
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    w[i][j] = fn.weight(id, i, j, in);
                }
                b[i] = fn.bias(id, i, out);
            }
            offsets.add(count);
            params.add(new DenseParams(dense, w, b, baseFanIn));
            count += out * in + out;
        }

        private void addInner(FiniteNetwork fn, Branches b, int width, int[] next) {
            for (List<Layer> branch : b.branches()) {
                for (Layer l : branch) {
                    if (l instanceof Dense dense) {
                        add(fn, dense, next[0]++, width, width, net.width());
                    } else if (l instanceof Branches inner) {
                        addInner(fn, inner, width, next);
                    }
                }
            }
        }

        /** f(x) and ∂f(x)/∂p for parameter number p (−1: none). */
        double[] valueAndTangent(double[] x, int p) {
            int[] cursor = {0};
            double[][] gt = chain(net.layers(), new double[][] {x.clone(), new double[x.length]}, p, cursor);
            return new double[] {gt[0][0], gt[1][0]};
        }

        private double[][] chain(List<Layer> ls, double[][] gt, int p, int[] cursor) {
            for (Layer layer : ls) {
                gt = layer(layer, gt, p, cursor);
            }
            return gt;
        }

        private double[][] layer(Layer layer, double[][] gt, int p, int[] cursor) {
            double[] g = gt[0];
            double[] t = gt[1];
            if (layer instanceof Dense dense) {
                DenseParams dp = params.get(cursor[0]);
                int first = offsets.get(cursor[0]);
                cursor[0]++;
                int out = dp.w.length;
                int in = g.length;
                double s = dense.wStd() / Math.sqrt(in);
                boolean standard = dense.standard();
                double[] h = new double[out];
                double[] th = new double[out];
                for (int i = 0; i < out; i++) {
                    double v = 0;
                    double tv = 0;
                    for (int j = 0; j < in; j++) {
                        v += dp.w[i][j] * g[j];
                        tv += dp.w[i][j] * t[j];
                    }
                    h[i] = s * v + dense.bStd() * dp.b[i];
                    th[i] = s * tv;
                }
                int local = p - first;
                if (local >= 0 && local < out * in) {
                    th[local / in] += (standard ? Math.sqrt(dp.baseFanIn / in) : s) * g[local % in];
                } else if (local >= out * in && local < out * in + out) {
                    th[local - out * in] += standard ? 1 : dense.bStd();
                }
                return new double[][] {h, th};
            }
            if (layer instanceof Activation phi) {
                double[] h = new double[g.length];
                double[] th = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    h[i] = phi.apply(g[i]);
                    th[i] = phi.derivative(g[i]) * t[i];
                }
                return new double[][] {h, th};
            }
            if (layer instanceof LayerNorm) {
                int w = g.length;
                double mean = 0;
                double tmean = 0;
                for (int i = 0; i < w; i++) {
                    mean += g[i] / w;
                    tmean += t[i] / w;
                }
                double var = 0;
                for (int i = 0; i < w; i++) {
                    var += (g[i] - mean) * (g[i] - mean) / w;
                }
                double sigma = Math.sqrt(var + LayerNormRule.EPS);
                double[] y = new double[w];
                double cross = 0;
                for (int i = 0; i < w; i++) {
                    y[i] = (g[i] - mean) / sigma;
                    cross += y[i] * (t[i] - tmean) / w;
                }
                double[] ty = new double[w];
                for (int i = 0; i < w; i++) {
                    ty[i] = ((t[i] - tmean) - y[i] * cross) / sigma;
                }
                return new double[][] {y, ty};
            }
            Branches b = (Branches) layer;
            double[] weights = b.weights();
            List<double[][]> outs = new ArrayList<>();
            for (List<Layer> branch : b.branches()) {
                outs.add(chain(branch, new double[][] {g.clone(), t.clone()}, p, cursor));
            }
            double[] y = new double[g.length];
            double[] ty = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                if (b.join() == Branches.Join.SUM) {
                    for (int k = 0; k < outs.size(); k++) {
                        y[i] += weights[k] * outs.get(k)[0][i];
                        ty[i] += weights[k] * outs.get(k)[1][i];
                    }
                } else {
                    y[i] = 1;
                    for (int k = 0; k < outs.size(); k++) {
                        double others = 1;
                        for (int j = 0; j < outs.size(); j++) {
                            if (j != k) {
                                others *= outs.get(j)[0][i];
                            }
                        }
                        y[i] *= outs.get(k)[0][i];
                        ty[i] += outs.get(k)[1][i] * others;
                    }
                }
            }
            return new double[][] {y, ty};
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dense(1.2,0.1) residual(relu dense(1.1,0.2)) relu dense(1,0.1)",
        "dense(1.3,0.2) residual(erf dense(0.9,0.3) relu dense(1.1,0.1); 0.7,1.3) erf dense(1,0.2)",
        "dense(1,0.2) layernorm erf dense(1.3,0.1) layernorm relu dense(1,0.3)",
        "dense(1.1,0.3) sum(identity | relu dense(1,0.2) | erf dense(0.8,0.1); 0.5,1,0.7) relu dense(1,0.2)",
        "dense(1,0.2) prod(dense(1,0.1) | relu dense(1.2,0.3)) dense(1,0.1)",
        "dense(1.2,0.1) residual(relu dense(1.1,0) residual(erf dense(0.9,0.2))) relu dense(1,0)",
        "width(3) dense(1.2,0.3,standard) relu dense(1.1,0.2,standard) relu dense(1,0.4,standard)",
        "width(7) dense(1.2,0,standard) residual(relu dense(1.1,0.2,standard)) relu dense(1,0.4,standard)",
    })
    void empiricalNtkIsTheSumOfParameterGradientProducts(String spec) {
        Network net = NetworkSpec.parse(spec);
        int d = 3;
        int width = 5;
        SplittableRandom r = new SplittableRandom(7);
        double[][] x = new double[3][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
            }
        }
        FiniteNetwork fn = FiniteNetwork.of(net, width, 11);
        double[][] ntk = fn.evaluate(x).ntk();
        Explicit e = new Explicit(fn, net, d, width);
        double[][] grads = new double[x.length][e.count];
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < e.count; p++) {
                grads[i][p] = e.valueAndTangent(x[i], p)[1];
            }
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                double ref = 0;
                for (int p = 0; p < e.count; p++) {
                    ref += grads[i][p] * grads[j][p];
                }
                double scale = Math.sqrt(Math.abs(ntk[i][i] * ntk[j][j]));
                worst = Math.max(worst, Math.abs(ntk[i][j] - ref) / scale);
            }
            // the forward pass itself: the same network function
            double f = e.valueAndTangent(x[i], -1)[0];
            assertTrue(Math.abs(f - fn.evaluate(new double[][] {x[i]}).outputs()[0][0]) <= 1e-12 * (1 + Math.abs(f)),
                    spec + ": output " + f);
        }
        assertTrue(worst <= 1e-12, spec + ": worst relative error " + worst);
    }
}
