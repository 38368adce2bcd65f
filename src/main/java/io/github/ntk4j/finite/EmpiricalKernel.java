package io.github.ntk4j.finite;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;
import java.util.function.Function;

/**
 * The empirical kernels of one given finite network as a {@link KernelFunction}
 * (neural-tangents' {@code empirical_kernel_fn}): its empirical NTK
 * Θ̂(x, y) = Σ_θ ∂f(x)/∂θ · ∂f(y)/∂θ (averaged over the outputs) and its readout NNGP
 * K̂(x, y) = W_std²/n ⟨g^L(x), g^L(y)⟩ + b_std² ({@link FiniteNetwork.Sample}). Made from a
 * {@link FiniteNetwork} (a seeded random network at initialisation: immutable, thread-safe) or a
 * {@link TrainableNetwork} (its current parameters, read at each call: the kernel changes as the
 * network trains, and like the network it is not thread-safe). A cross-Gram matrix is the
 * off-diagonal block of one evaluation of [X; Y].
 */
public final class EmpiricalKernel implements KernelFunction {
    private final String description;
    /** inputs ↦ one evaluation on {@code threads} workers */
    private final Evaluator evaluator;
    private final int threads;

    /** One forward and backward pass over a batch. */
    private interface Evaluator {
        FiniteNetwork.Sample evaluate(double[][] x, int threads);
    }

    private EmpiricalKernel(String description, Evaluator evaluator, int threads) {
        this.description = description;
        this.evaluator = evaluator;
        this.threads = threads;
    }

    /**
     * The empirical kernels of a seeded finite network.
     *
     * @param network the network (architecture, width, readout width, seed)
     * @return the kernel function, one thread
     */
    public static EmpiricalKernel of(FiniteNetwork network) {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        return new EmpiricalKernel("empirical kernels (width " + network.width() + ", seed " + network.seed() + ") of "
                + network.network().spec(), (x, t) -> {
                    try (Workers w = new Workers(t)) {
                        return network.evaluate(x, w);
                    }
                }, 1);
    }

    /**
     * The empirical kernels of a trainable network at its parameters when called.
     *
     * @param network the network
     * @return the kernel function (not thread-safe, like the network)
     */
    public static EmpiricalKernel of(TrainableNetwork network) {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        Function<double[][], FiniteNetwork.Sample> f = network::evaluate;
        return new EmpiricalKernel("empirical kernels of a trained network " + network.initial().network().spec(),
                (x, t) -> f.apply(x), 1);
    }

    @Override
    public EmpiricalKernel withThreads(int threads) {
        return new EmpiricalKernel(description, evaluator, Workers.checkThreads(threads));
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public KernelValue pair(double[] x, double[] y) {
        DataChecks.vector("x", x);
        DataChecks.vector("y", y);
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        FiniteNetwork.Sample s = evaluator.evaluate(new double[][] {x, y}, threads);
        return new KernelValue(s.nngp()[0][1], s.ntk()[0][1]);
    }

    @Override
    public double[][] gram(double[][] x, KernelKind kind) {
        FiniteKernels.checkKind(kind);
        return FiniteKernels.get(gram(x), kind);
    }

    @Override
    public GramMatrices gram(double[][] x) {
        DataChecks.dataSet("x", x);
        FiniteNetwork.Sample s = evaluator.evaluate(x, threads);
        return new GramMatrices(s.nngp(), s.ntk());
    }

    @Override
    public double[][] cross(double[][] x, double[][] y, KernelKind kind) {
        FiniteKernels.checkKind(kind);
        return FiniteKernels.get(cross(x, y), kind);
    }

    @Override
    public GramMatrices cross(double[][] x, double[][] y) {
        FiniteNetwork.Sample s = evaluator.evaluate(FiniteKernels.joint(x, y), threads);
        return new GramMatrices(FiniteKernels.offDiagonal(s.nngp(), x.length), FiniteKernels.offDiagonal(s.ntk(), x.length));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
