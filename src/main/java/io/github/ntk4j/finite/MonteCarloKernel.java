package io.github.ntk4j.finite;

import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;

/**
 * The Monte Carlo estimate of a network's kernels as a {@link KernelFunction} (neural-tangents'
 * {@code monte_carlo_kernel_fn}): the mean over S random networks of width m of
 * <pre>
 *   Θ̂(x, y) = Σ_θ ∂f(x)/∂θ · ∂f(y)/∂θ      (empirical NTK, averaged over the outputs)
 *   K̂(x, y) = W_std²/n ⟨g^L(x), g^L(y)⟩ + b_std²   (readout NNGP)
 * </pre>
 * network s seeded with {@link EmpiricalNtk#networkSeed}(seed, m, s) and evaluated by
 * {@link FiniteNetwork#evaluate}. K̂ is the expectation of f(x)f(y) over the readout weights
 * given the hidden layers, so it has the same mean as neural-tangents' empirical NNGP
 * f(x)f(y) and a smaller variance. Both tend to the analytic kernels
 * ({@link io.github.ntk4j.kernel.NtkRecursion}) as m → ∞, with a spread of order 1/√(mS)
 * (docs/FINITE-WIDTH.md). The networks depend only on (seed, m, s), never on the inputs, so a
 * Gram matrix and a cross-Gram matrix of the same instance come from the same S networks, as a
 * learner needs; a cross-Gram matrix is the off-diagonal block of one evaluation of [X; Y].
 * Results do not depend on the thread count. Immutable.
 */
public final class MonteCarloKernel implements KernelFunction {
    private final EmpiricalNtk engine;
    private final int width;
    private final int samples;
    private final long seed;

    private MonteCarloKernel(EmpiricalNtk engine, int width, int samples, long seed) {
        this.engine = engine;
        this.width = width;
        this.samples = samples;
        this.seed = seed;
    }

    /**
     * The Monte Carlo kernel on one thread.
     *
     * @param network the architecture
     * @param width hidden width m ≥ 1
     * @param samples networks S ≥ 1
     * @param seed the seed of the run
     * @return the kernel function
     */
    public static MonteCarloKernel of(Network network, int width, int samples, long seed) {
        FiniteNetwork.checkWidth(width);
        if (samples < 1) {
            throw Messages.tooSmall("samples", samples, 1);
        }
        return new MonteCarloKernel(EmpiricalNtk.of(network).withThreads(1), width, samples, seed);
    }

    /** @return the architecture */
    public Network network() {
        return engine.network();
    }

    /** @return the width m */
    public int width() {
        return width;
    }

    /** @return the number of networks S */
    public int samples() {
        return samples;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    @Override
    public MonteCarloKernel withThreads(int threads) {
        return new MonteCarloKernel(engine.withThreads(threads), width, samples, seed);
    }

    @Override
    public int threads() {
        return engine.threads();
    }

    /** @param listener receives (networks done, networks in all) */
    @Override
    public MonteCarloKernel withProgress(Progress listener) {
        return new MonteCarloKernel(engine.withProgress(listener), width, samples, seed);
    }

    /** @return the means of Θ̂ and K̂ over the S networks on x, summed in network order */
    private GramMatrices mean(double[][] x) {
        FiniteNetwork.Sample[] ss = engine.samples(x, width, samples, seed);
        int n = x.length;
        double[][] ntk = new double[n][n];
        double[][] nngp = new double[n][n];
        for (FiniteNetwork.Sample s : ss) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    ntk[i][j] += s.ntk()[i][j];
                    nngp[i][j] += s.nngp()[i][j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ntk[i][j] /= samples;
                nngp[i][j] /= samples;
            }
        }
        return new GramMatrices(nngp, ntk);
    }

    @Override
    public KernelValue pair(double[] x, double[] y) {
        DataChecks.vector("x", x);
        DataChecks.vector("y", y);
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        GramMatrices m = mean(new double[][] {x, y});
        return new KernelValue(m.nngp()[0][1], m.ntk()[0][1]);
    }

    @Override
    public double[][] gram(double[][] x, KernelKind kind) {
        FiniteKernels.checkKind(kind);
        return FiniteKernels.get(gram(x), kind);
    }

    @Override
    public GramMatrices gram(double[][] x) {
        DataChecks.dataSet("x", x);
        return mean(x);
    }

    @Override
    public double[][] cross(double[][] x, double[][] y, KernelKind kind) {
        FiniteKernels.checkKind(kind);
        return FiniteKernels.get(cross(x, y), kind);
    }

    @Override
    public GramMatrices cross(double[][] x, double[][] y) {
        GramMatrices m = mean(FiniteKernels.joint(x, y));
        return new GramMatrices(FiniteKernels.offDiagonal(m.nngp(), x.length), FiniteKernels.offDiagonal(m.ntk(), x.length));
    }

    @Override
    public String describe() {
        return "monte carlo (width " + width + ", " + samples + " networks, seed " + seed + ") of " + engine.network().spec();
    }

    @Override
    public String toString() {
        return describe();
    }
}
