package io.github.ntk4j.finite;

import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.net.Network;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Monte Carlo over independent finite networks: S networks of width m, network s seeded with
 * {@link #networkSeed}(seed, m, s), each evaluated by {@link FiniteNetwork#evaluate}. Work is
 * spread over networks when there are at least as many networks as threads, otherwise over
 * the matrix products of each network; either way the samples, and every statistic computed
 * from them in index order, are identical for any thread count.
 *
 * <p>Statistics over S networks: mean x̄ = (1/S) Σ x_s and standard error
 * s/√S with s² = Σ (x_s − x̄)²/(S − 1), which needs S ≥ 2.
 */
public final class EmpiricalNtk {
    private final Network network;
    private final int threads;
    private final int outputs;
    private final Progress progress;

    private EmpiricalNtk(Network network, int threads, int outputs, Progress progress) {
        this.network = network;
        this.threads = threads;
        this.outputs = outputs;
        this.progress = progress;
    }

    /**
     * A Monte Carlo engine for a network on all processors, one output per network.
     *
     * @param network the architecture
     * @return the engine
     */
    public static EmpiricalNtk of(Network network) {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        return new EmpiricalNtk(network, Runtime.getRuntime().availableProcessors(), 1, Progress.NONE);
    }

    /**
     * @param threads worker threads, 1 … 1024
     * @return a copy with that thread count
     */
    public EmpiricalNtk withThreads(int threads) {
        if (threads < 1) {
            throw Messages.tooSmall("threads", threads, 1);
        }
        if (threads > 1024) {
            throw Messages.tooLarge("threads", threads, 1024);
        }
        return new EmpiricalNtk(network, threads, outputs, progress);
    }

    /**
     * @param outputs readout width k ≥ 1 of every network
     * @return a copy with that readout width
     */
    public EmpiricalNtk withOutputs(int outputs) {
        if (outputs < 1) {
            throw Messages.tooSmall("outputs", outputs, 1);
        }
        return new EmpiricalNtk(network, threads, outputs, progress);
    }

    /**
     * @param listener receives (networks done, networks in all)
     * @return a copy reporting progress to it
     */
    public EmpiricalNtk withProgress(Progress listener) {
        return new EmpiricalNtk(network, threads, outputs, listener == null ? Progress.NONE : listener);
    }

    /** @return the architecture */
    public Network network() {
        return network;
    }

    /** @return the worker thread count */
    public int threads() {
        return threads;
    }

    /**
     * The seed of network number {@code index} of width {@code width} in a run with seed
     * {@code seed}: a hash of the three ({@link ParameterStreams#derive}), so networks of
     * different widths and indices are independent and any one can be rebuilt on its own.
     *
     * @param seed the run's seed
     * @param width the width
     * @param index the network's index
     * @return the network's seed
     */
    public static long networkSeed(long seed, int width, int index) {
        return ParameterStreams.derive(seed, width, index);
    }

    /**
     * Bytes a run needs at once: one evaluation per concurrently evaluated network.
     *
     * @param n inputs
     * @param d input dimension
     * @param width hidden width
     * @param samples networks
     * @return estimated bytes
     */
    public long bytesNeeded(int n, int d, int width, int samples) {
        boolean across = samples >= threads;
        long concurrent = across ? threads : 1;
        long perNetworkThreads = across ? 1 : threads;
        // every network's sample is kept until the end (and 3 doubles each for the pair statistics)
        long kept = MemoryCheck.times(samples, MemoryCheck.plus(FiniteNetwork.sampleBytes(n, outputs), 3 * Double.BYTES));
        return MemoryCheck.plus(MemoryCheck.times(concurrent,
                FiniteNetwork.bytesNeeded(network, n, d, width, outputs, perNetworkThreads)), kept);
    }

    /**
     * Evaluates S independent networks on a batch of inputs.
     *
     * @param x inputs, N rows of dimension d
     * @param width hidden width m ≥ 1
     * @param samples S ≥ 1
     * @param seed the run's seed
     * @return the S samples, in network order
     */
    public FiniteNetwork.Sample[] samples(double[][] x, int width, int samples, long seed) {
        int d = DataChecks.dataSet("inputs", x);
        FiniteNetwork.checkWidth(width);
        if (samples < 1) {
            throw Messages.tooSmall("samples", samples, 1);
        }
        MemoryCheck.require(samples + " networks of width " + width + " on " + x.length + " inputs",
                bytesNeeded(x.length, d, width, samples));
        FiniteNetwork.Sample[] out = new FiniteNetwork.Sample[samples];
        AtomicLong done = new AtomicLong();
        boolean across = samples >= threads;
        try (Workers outer = new Workers(across ? threads : 1);
             Workers inner = new Workers(across ? 1 : threads)) {
            outer.forEach(samples, s -> {
                out[s] = FiniteNetwork.of(network, width, outputs, networkSeed(seed, width, s)).evaluate(x, inner);
                progress.update(done.incrementAndGet(), samples);
            });
        }
        return out;
    }

    /**
     * Mean and standard error over S networks of the empirical NTK and NNGP of one pair.
     *
     * @param x first input
     * @param y second input (same dimension)
     * @param width hidden width m ≥ 1
     * @param samples S ≥ 2
     * @param seed the run's seed
     * @return the estimate
     */
    public Estimate pair(double[] x, double[] y, int width, int samples, long seed) {
        DataChecks.vector("x", x);
        DataChecks.vector("y", y);
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        if (samples < 2) {
            throw Messages.tooSmall("samples (a standard error needs at least 2 networks)", samples, 2);
        }
        FiniteNetwork.Sample[] ss = samples(new double[][] {x, y}, width, samples, seed);
        double[] ntk = new double[samples];
        double[] nngp = new double[samples];
        double[] readout = new double[samples];
        for (int s = 0; s < samples; s++) {
            ntk[s] = ss[s].ntk()[0][1];
            nngp[s] = ss[s].outputProduct(0, 1);
            readout[s] = ss[s].nngp()[0][1];
        }
        return new Estimate(width, samples, mean(ntk), stderr(ntk), mean(nngp), stderr(nngp), mean(readout),
                stderr(readout));
    }

    /**
     * A Monte Carlo estimate for one pair of inputs.
     *
     * @param width hidden width m
     * @param samples networks S
     * @param ntkMean mean of Θ̂(x, y)
     * @param ntkStderr its standard error
     * @param nngpMean mean of f(x) f(y) (averaged over the outputs of each network)
     * @param nngpStderr its standard error
     * @param readoutNngpMean mean of the readout NNGP W_std²/n ⟨g^L(x), g^L(y)⟩ + b_std²
     * @param readoutNngpStderr its standard error
     */
    public record Estimate(int width, int samples, double ntkMean, double ntkStderr, double nngpMean,
            double nngpStderr, double readoutNngpMean, double readoutNngpStderr) {
    }

    /**
     * @param v values
     * @return their mean
     */
    public static double mean(double[] v) {
        double s = 0;
        for (double a : v) {
            s += a;
        }
        return s / v.length;
    }

    /**
     * Standard error of the mean, s/√n with the unbiased sample variance.
     *
     * @param v values, at least 2
     * @return the standard error
     */
    public static double stderr(double[] v) {
        if (v.length < 2) {
            throw Messages.tooSmall("samples (a standard error needs at least 2)", v.length, 2);
        }
        double m = mean(v);
        double ss = 0;
        for (double a : v) {
            ss += (a - m) * (a - m);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
