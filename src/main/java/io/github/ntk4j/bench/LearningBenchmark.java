package io.github.ntk4j.bench;

import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.learn.KernelSpectrum;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Random;

/**
 * Times the linear algebra of kernel prediction and of the Gram spectrum the way
 * {@code src/test/python/bench_learning.py} does with scipy/numpy, so the two can be compared in
 * one run: random standard-normal inputs (fixed seed), the Gram matrices computed first and timed
 * apart, then one warm-up and the best of {@code repeat} timed runs of the linear algebra only.
 *
 * <p>The prediction is that of {@code predict} (ntk mode): mean and variance of the N test
 * inputs from Θ, K, Θ*, K*, K** — at t = ∞ by Cholesky, at finite t by the eigen-decomposition.
 */
public final class LearningBenchmark {
    private LearningBenchmark() {
    }

    /**
     * Timings.
     *
     * @param gramSeconds the Gram matrices (train, cross, test diagonal), once
     * @param seconds best wall time of the linear algebra
     * @param heapPeakBytes peak heap use over the whole run (all heap pools, as the JVM reports it)
     * @param check a number to compare with the peer: the mean prediction of test input 0
     *        (prediction) or the largest eigenvalue (spectrum)
     */
    public record Result(double gramSeconds, double seconds, long heapPeakBytes, double check) {
    }

    /** The random inputs of n training and m test points in dimension d, and n targets. */
    private static long inputBytes(long n, long m, long d) {
        return MemoryCheck.plus(MemoryCheck.doubles(n, d), MemoryCheck.doubles(m, d), MemoryCheck.doubles(n, 1));
    }

    private static double[][] gaussian(Random rng, int n, int d) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        return x;
    }

    private static void check(int n, int m, int d, int repeat) {
        if (n < 2) {
            throw Messages.tooSmall("n", n, 2);
        }
        if (m < 1) {
            throw Messages.tooSmall("test points", m, 1);
        }
        if (d < 1) {
            throw Messages.tooSmall("d", d, 1);
        }
        if (repeat < 1) {
            throw Messages.tooSmall("repeat", repeat, 1);
        }
    }

    /**
     * Prediction benchmark.
     *
     * @param network the network
     * @param n training inputs
     * @param m test inputs
     * @param d input dimension
     * @param time training time t (+∞ allowed)
     * @param diagReg the regulariser
     * @param threads Gram worker threads
     * @param repeat timed repetitions
     * @param seed seed of the inputs
     * @return timings
     */
    public static Result predict(Network network, int n, int m, int d, double time, double diagReg, int threads, int repeat,
            long seed) {
        check(n, m, d, repeat);
        // refused before the inputs are drawn: the data, both kernels of the training and test sets
        MemoryCheck.require("bench predict on " + n + " training and " + m + " test inputs", MemoryCheck.plus(
                inputBytes(n, m, d), GradientFlowPredictor.bytesNeeded(n, m, 1, KernelKind.NTK, time, true, false)));
        Random rng = new Random(seed);
        double[][] x = gaussian(rng, n, d);
        double[][] xs = gaussian(rng, m, d);
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            y[i][0] = Math.sin(x[i][0]) + 0.5 * x[i][1];
        }
        resetPeaks();
        NtkRecursion engine = NtkRecursion.of(network).withThreads(threads);
        long t0 = System.nanoTime();
        GramMatrices train = engine.gram(x);
        GramMatrices cross = engine.cross(xs, x);
        double[] diag = engine.diagonal(xs, KernelKind.NNGP);
        double gramSeconds = (System.nanoTime() - t0) * 1e-9;
        double best = Double.POSITIVE_INFINITY;
        double check = Double.NaN;
        for (int r = 0; r <= repeat; r++) {
            long s = System.nanoTime();
            GradientFlowPredictor p = GradientFlowPredictor.fromKernels(KernelKind.NTK, train.ntk(), train.nngp(), y, 1, diagReg);
            double[][] mean = p.mean(cross.ntk(), time);
            double[] var = p.variance(cross.ntk(), cross.nngp(), diag, time);
            double sec = (System.nanoTime() - s) * 1e-9;
            check = mean[0][0] + 0 * var[0];
            if (r > 0) { // the first run is the warm-up
                best = Math.min(best, sec);
            }
        }
        return new Result(gramSeconds, best, heapPeak(), check);
    }

    /**
     * Spectrum benchmark: eigenvalues only of the N×N NTK Gram matrix.
     *
     * @param network the network
     * @param n inputs
     * @param d dimension
     * @param threads Gram worker threads
     * @param repeat timed repetitions
     * @param seed seed
     * @return timings
     */
    public static Result spectrum(Network network, int n, int d, int threads, int repeat, long seed) {
        check(n, 1, d, repeat);
        MemoryCheck.require("bench spectrum on " + n + " inputs", MemoryCheck.plus(inputBytes(n, 0, d),
                MemoryCheck.times(3, MemoryCheck.doubles(n, n))));
        double[][] x = gaussian(new Random(seed), n, d);
        resetPeaks();
        long t0 = System.nanoTime();
        double[][] g = NtkRecursion.of(network).withThreads(threads).gram(x, KernelKind.NTK);
        double gramSeconds = (System.nanoTime() - t0) * 1e-9;
        double best = Double.POSITIVE_INFINITY;
        double check = Double.NaN;
        for (int r = 0; r <= repeat; r++) {
            long s = System.nanoTime();
            KernelSpectrum sp = KernelSpectrum.of(g, false);
            double sec = (System.nanoTime() - s) * 1e-9;
            check = sp.largest();
            if (r > 0) {
                best = Math.min(best, sec);
            }
        }
        return new Result(gramSeconds, best, heapPeak(), check);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /**
     * One FALKON run against the dense solution on the same data.
     *
     * @param centres M
     * @param seconds FALKON fit and prediction time
     * @param iterations conjugate-gradient iterations
     * @param relativeError ‖f_FALKON − f_dense‖/‖f_dense‖ on the test inputs (NaN without a dense reference)
     * @param testRmse root mean square distance of the FALKON predictions to the noiseless target
     *     sin(x₀) + x₁/2 on the test inputs
     * @param denseTestRmse the same for the dense solution (NaN without it)
     * @param heapPeakBytes peak heap use of the run so far
     * @param kernelPassSeconds the fit's pass over G(X, C) ({@link FalkonRegressor.Timing#kernelPassSeconds}:
     *     with the normal matrix's accumulation where G(X, C) is not kept)
     * @param kernelEvaluationSeconds the evaluation of G(X, C) within that pass
     *     ({@link FalkonRegressor.Timing#kernelEvaluationSeconds})
     * @param solvedDirectly whether the fit solved the normal equations directly (no iterations)
     */
    public record FalkonRun(int centres, double seconds, int iterations, double relativeError, double testRmse,
            double denseTestRmse, long heapPeakBytes, double kernelPassSeconds, double kernelEvaluationSeconds,
            boolean solvedDirectly) {
    }

    /**
     * FALKON on n random standard-normal inputs with targets sin(x₀) + x₁/2 + noise 0.1, against
     * the dense t = ∞ solution when {@code dense} (n up to a few thousand).
     *
     * @param network the network
     * @param n training inputs
     * @param m test inputs
     * @param d dimension
     * @param centres the M values to try
     * @param diagReg the ridge r
     * @param dense whether to compute the dense reference
     * @param threads Gram threads
     * @param seed seed
     * @param progress progress of each fit
     * @return one run per M
     */
    public static java.util.List<FalkonRun> falkon(Network network, int n, int m, int d, int[] centres, double diagReg,
            boolean dense, int threads, long seed, io.github.ntk4j.Progress progress) {
        check(n, m, d, 1);
        if (centres == null || centres.length == 0) {
            throw Messages.empty("the list of centre counts");
        }
        long need = 0;
        for (int c : centres) {
            if (c < 1 || c > n) {
                throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + n
                        + "), got " + c);
            }
            need = Math.max(need, FalkonRegressor.bytesNeeded(n, c, 1));
        }
        // refused before the inputs are drawn: the data, the largest fit, and the dense reference if asked
        MemoryCheck.require("bench falkon on " + n + " training inputs", MemoryCheck.plus(inputBytes(n, m, d), need,
                dense ? GradientFlowPredictor.bytesNeeded(n, m, 1, KernelKind.NTK, Double.POSITIVE_INFINITY, false, false) : 0));
        Random rng = new Random(seed);
        double[][] x = gaussian(rng, n, d);
        double[][] xs = gaussian(rng, m, d);
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            y[i][0] = Math.sin(x[i][0]) + 0.5 * x[i][1] + 0.1 * rng.nextGaussian();
        }
        resetPeaks();
        NtkRecursion engine = NtkRecursion.of(network).withThreads(threads);
        double[][] exact = null;
        if (dense) {
            exact = GradientFlowPredictor.train(engine, KernelKind.NTK, x, y, 1, diagReg).mean(
                    engine.cross(xs, x, KernelKind.NTK), Double.POSITIVE_INFINITY);
        }
        double[] truth = new double[m];
        for (int i = 0; i < m; i++) {
            truth[i] = Math.sin(xs[i][0]) + 0.5 * xs[i][1];
        }
        double denseRmse = exact == null ? Double.NaN : rmse(exact, truth);
        java.util.List<FalkonRun> out = new java.util.ArrayList<>();
        for (int c : centres) {
            long t0 = System.nanoTime();
            FalkonRegressor f = FalkonRegressor.fit(engine, KernelKind.NTK, x, y, FalkonRegressor.Options.ridge(diagReg).withCentres(c).withIterations(100).withTolerance(1e-7).withSeed(seed).withProgress(progress));
            double[][] p = f.predict(xs);
            double sec = (System.nanoTime() - t0) * 1e-9;
            double err = Double.NaN;
            if (exact != null) {
                double num = 0;
                double den = 0;
                for (int i = 0; i < m; i++) {
                    num += (p[i][0] - exact[i][0]) * (p[i][0] - exact[i][0]);
                    den += exact[i][0] * exact[i][0];
                }
                err = Math.sqrt(num / den);
            }
            out.add(new FalkonRun(c, sec, f.iterations(), err, rmse(p, truth), denseRmse, heapPeak(),
                    f.timing().kernelPassSeconds(), f.timing().kernelEvaluationSeconds(), f.solvedDirectly()));
        }
        return out;
    }

    private static double rmse(double[][] prediction, double[] truth) {
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            s += (prediction[i][0] - truth[i]) * (prediction[i][0] - truth[i]);
        }
        return Math.sqrt(s / truth.length);
    }
}
