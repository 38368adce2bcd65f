package io.github.ntk4j.study;

import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.learn.KernelSpectrum;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.FourierFeatures;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Tancik et al. 2020's 1-D experiment with the infinite-width NTK ("Fourier features let
 * networks learn high frequency functions in low dimensional domains", NeurIPS 2020, §5 and
 * Fig. 3): regress a signal with high-frequency content on a grid of [0, 1) from every other
 * grid point, with the plain network and with Gaussian Fourier features
 * γ(v) = [cos 2π b_j v, sin 2π b_j v], b_j ~ N(0, σ²) at several σ, by the mean prediction of
 * the infinite-width network trained by gradient descent on the squared loss
 * ({@link GradientFlowPredictor}), after a fixed budget of S steps at the largest stable
 * learning rate η = 1/λ₁ (so the residual along eigen-direction i decays like
 * exp(−S λ_i/λ₁): the fall-off of the spectrum decides what is learned), and at t = ∞
 * (kernel regression).
 *
 * <p>What the paper shows and this study reproduces: without the mapping the NTK's
 * eigenvalues fall off fast (high frequencies are learned slowly and, from a subsample,
 * not at all), so the test error on a high-frequency signal is large; Fourier features with a
 * suitable σ flatten the eigenvalue fall-off by orders of magnitude and cut the test error; σ
 * too large flattens it so much that the model interpolates with aliasing noise.
 */
public final class FourierFeatureStudy {

    /**
     * The result for one input mapping.
     *
     * @param label "no mapping" or e.g. "fourier σ=10"
     * @param network the network spec
     * @param sigma σ of the Gaussian frequencies (0 without a mapping)
     * @param eigenvalues NTK eigenvalues on the training inputs, decreasing
     * @param trainError mean squared error on the training points after the step budget
     * @param testError mean squared error on the held-out grid points after the step budget
     * @param testErrorConverged the same at t = ∞ (kernel regression)
     * @param testPrediction predicted values at the test points after the step budget
     */
    public record Result(String label, String network, double sigma, double[] eigenvalues, double trainError,
            double testError, double testErrorConverged, double[] testPrediction) {

        /**
         * @param k 1-based index
         * @return λ_k / λ_1, the fall-off of the spectrum at k
         */
        public double falloff(int k) {
            return eigenvalues[k - 1] / eigenvalues[0];
        }
    }

    /** Grid size n (the signal lives on x_i = i/n). */
    private final int grid;
    private final double[] signal;
    private final List<Double> sigmas;
    private final int features;
    private final long seed;
    private final Network body;
    private final double steps;
    /** network (with its input map) ↦ its kernel function */
    private final java.util.function.Function<Network, io.github.ntk4j.math.KernelFunction> kernel;

    /** Default step budget S. */
    public static final double DEFAULT_STEPS = 1000;

    private FourierFeatureStudy(int grid, double[] signal, List<Double> sigmas, int features, long seed, Network body,
            double steps, java.util.function.Function<Network, io.github.ntk4j.math.KernelFunction> kernel) {
        this.steps = steps;
        this.kernel = kernel;
        this.grid = grid;
        this.signal = signal;
        this.sigmas = sigmas;
        this.features = features;
        this.seed = seed;
        this.body = body;
    }

    /**
     * The default study: a 256-point grid, a signal of 8 random sinusoids with frequencies up
     * to 48 cycles per unit (seeded), a depth-3 ReLU network (W_std 1.4, b_std 0.1), 256
     * Gaussian features, σ ∈ {1, 10, 100}, a budget of 1000 steps.
     *
     * @param seed seed of the signal and of the frequencies
     * @return the study
     */
    public static FourierFeatureStudy standard(long seed) {
        return of(256, randomSignal(256, 8, 48, seed), List.of(1.0, 10.0, 100.0), 256, seed,
                io.github.ntk4j.net.NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)"));
    }

    /**
     * A study of a given signal.
     *
     * @param grid n, number of grid points (even, ≥ 8)
     * @param signal values at x_i = i/n
     * @param sigmas σ values of the Gaussian Fourier features to compare with no mapping
     * @param features number of frequencies m (2m features)
     * @param seed seed of the frequencies
     * @param body the network behind the mapping
     * @return the study
     */
    public static FourierFeatureStudy of(int grid, double[] signal, List<Double> sigmas, int features, long seed,
            Network body) {
        if (grid < 8 || grid % 2 != 0) {
            throw Messages.invalid("grid must be an even number of at least 8 points, got " + grid);
        }
        if (signal.length != grid) {
            throw Messages.dimensionMismatch("signal", signal.length, "grid", grid);
        }
        for (double s : sigmas) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw Messages.notPositive("sigma", s);
            }
        }
        if (body.inputMap() != null) {
            // the study compares input mappings of its own (none, then Gaussian features at each σ);
            // replacing the body's map silently would report on a network the user did not give
            throw Messages.invalid("the Fourier-feature study applies its own input mappings (none, then Gaussian "
                    + "features at each sigma) in front of the network; give the network without its input map "
                    + body.inputMap().spec() + " and choose the mappings with the sigmas and the number of features");
        }
        return new FourierFeatureStudy(grid, signal.clone(), List.copyOf(sigmas), features, seed, body, DEFAULT_STEPS,
                NtkRecursion::of);
    }

    /**
     * @param s the step budget S &gt; 0 (gradient descent at η = 1/λ₁ for S steps is gradient flow
     *          to time S/λ₁)
     * @return this study with that budget
     */
    public FourierFeatureStudy withSteps(double s) {
        if (!(s > 0) || !Double.isFinite(s)) {
            throw Messages.notPositive("steps", s);
        }
        return new FourierFeatureStudy(grid, signal, sigmas, features, seed, body, s, kernel);
    }

    /**
     * The kernel of each network the study compares (the body without a mapping, then with
     * Gaussian features at each σ); by default the exact NTK ({@code NtkRecursion::of}), e.g.
     * {@code net -> MonteCarloKernel.of(net, 1024, 8, 0)} for the Monte Carlo estimate. The
     * study uses its NTK (its {@code KernelKind.NTK} Gram matrices).
     *
     * @param kernelOf network ↦ kernel function
     * @return this study with that kernel
     */
    public FourierFeatureStudy withKernel(java.util.function.Function<Network, io.github.ntk4j.math.KernelFunction> kernelOf) {
        if (kernelOf == null) {
            throw Messages.invalid("the kernel function of the study must not be null");
        }
        return new FourierFeatureStudy(grid, signal, sigmas, features, seed, body, steps, kernelOf);
    }

    /**
     * A sum of sinusoids Σ a_k sin(2π f_k x + φ_k), integer f_k uniform in [1, maxFrequency],
     * a_k ~ N(0,1)/√count, φ_k uniform; periodic on [0, 1).
     *
     * @param grid n
     * @param count number of sinusoids
     * @param maxFrequency largest frequency
     * @param seed seed
     * @return values at i/n
     */
    public static double[] randomSignal(int grid, int count, int maxFrequency, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] f = new double[grid];
        for (int k = 0; k < count; k++) {
            int freq = 1 + r.nextInt(maxFrequency);
            double amp = (r.nextDouble() * 2 - 1) * Math.sqrt(3.0 / count);
            double phase = 2 * Math.PI * r.nextDouble();
            for (int i = 0; i < grid; i++) {
                f[i] += amp * Math.sin(2 * Math.PI * freq * i / grid + phase);
            }
        }
        return f;
    }

    /**
     * Runs the study: no mapping first, then one result per σ.
     *
     * @param threads worker threads for the Gram matrices
     * @return the results
     */
    public List<Result> run(int threads) {
        List<Result> out = new ArrayList<>();
        out.add(runOne("no mapping", body, 0, threads));
        for (double s : sigmas) {
            out.add(runOne("fourier σ=" + io.github.ntk4j.io.Json.write(s), body.withInputMap(FourierFeatures.gaussian(features, s, seed)),
                    s, threads));
        }
        return out;
    }

    /** @return the grid points x_i = i/n used for training (even i) */
    public double[] trainInputs() {
        double[] x = new double[grid / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (2.0 * i) / grid;
        }
        return x;
    }

    /** @return the held-out grid points (odd i) */
    public double[] testInputs() {
        double[] x = new double[grid / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (2.0 * i + 1) / grid;
        }
        return x;
    }

    /** @return the signal at the test inputs */
    public double[] testTargets() {
        double[] y = new double[grid / 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = signal[2 * i + 1];
        }
        return y;
    }

    private Result runOne(String label, Network net, double sigma, int threads) {
        int n = grid / 2;
        double[][] xTrain = new double[n][1];
        double[][] yTrain = new double[n][1];
        double[][] xTest = new double[n][1];
        for (int i = 0; i < n; i++) {
            xTrain[i][0] = (2.0 * i) / grid;
            yTrain[i][0] = signal[2 * i];
            xTest[i][0] = (2.0 * i + 1) / grid;
        }
        io.github.ntk4j.math.KernelFunction engine = kernel.apply(net).withThreads(threads);
        double[][] theta = engine.gram(xTrain, KernelKind.NTK);
        double[] ev = KernelSpectrum.of(theta, false).eigenvalues();
        // a tiny ridge (1e-8 of the mean eigenvalue) keeps the plain ReLU kernel's solve
        // well-posed; it is far below the eigenvalues that carry the fit
        double ridge = 1e-8 * mean(ev);
        GradientFlowPredictor p = GradientFlowPredictor.fromKernels(KernelKind.NTK, theta, null, yTrain, 1 / ev[0], ridge);
        double[][] cross = engine.cross(xTest, xTrain, KernelKind.NTK);
        double[][] fitTrain = p.mean(theta, steps);
        double[][] fitTest = p.mean(cross, steps);
        double[][] fitTestInf = p.mean(cross, Double.POSITIVE_INFINITY);
        double trainErr = 0;
        double testErr = 0;
        double testErrInf = 0;
        double[] pred = new double[n];
        for (int i = 0; i < n; i++) {
            trainErr += sq(fitTrain[i][0] - yTrain[i][0]);
            testErr += sq(fitTest[i][0] - signal[2 * i + 1]);
            testErrInf += sq(fitTestInf[i][0] - signal[2 * i + 1]);
            pred[i] = fitTest[i][0];
        }
        return new Result(label, net.spec(), sigma, ev, trainErr / n, testErr / n, testErrInf / n, pred);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double sq(double v) {
        return v * v;
    }
}
