package io.github.ntk4j.study;

import io.github.ntk4j.Progress;
import io.github.ntk4j.finite.EmpiricalNtk;
import io.github.ntk4j.finite.PathKernel;
import io.github.ntk4j.finite.TrainableNetwork;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.learn.KernelSpectrum;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.RateFit;
import io.github.ntk4j.net.Network;

/**
 * How far the path kernel of a trained finite network ({@link PathKernel}) is from the neural
 * tangent kernel: the relative Frobenius distance ‖K^p/(ηT) − Θ‖_F / ‖Θ‖_F on the training set
 * to the analytic infinite-width Θ ({@link NtkRecursion}), to the network's own empirical NTK at
 * initialisation and at the end of training, and the RMS distance of the path-kernel machine's
 * test predictions (= the trained network's, to rounding) to the gradient-flow prediction of the
 * linearised network with the analytic Θ at time ηT from the same initial outputs,
 * <pre>
 *   f_lin(x*) = f_0(x*) + Θ(x*, X) Θ⁻¹ (I − e^{−ηTΘ}) (Y − f_0(X))     ({@link GradientFlowPredictor})
 * </pre>
 * In the lazy regime (Jacot et al. 2018; Lee et al. 2019) these distances fall like m^(−1/2) at
 * fixed ηT; {@link #widthSweep} fits the log–log slope over widths with a confidence interval
 * from the networks' standard errors ({@link RateFit#withStandardErrors}, as {@code verify} and
 * {@code train} do). {@link #learningRateSweep} shows the naive path kernel's gap shrinking with
 * η at fixed ηT and the exact kernel's gap staying at rounding; {@link #timeSweep} the path kernel
 * leaving the initial tangent kernel as ηT grows. Immutable.
 */
public final class PathKernelStudy {
    /** Default widths of the sweep. */
    public static final int[] DEFAULT_WIDTHS = {64, 128, 256, 512, 1024};
    /** Default networks per width. */
    public static final int DEFAULT_SEEDS = 4;
    /** Confidence level of the slope intervals. */
    public static final double CONFIDENCE = 0.95;

    private final Network network;
    private final double[][] xTrain;
    private final double[][] yTrain;
    private final double[][] xTest;
    private final int steps;
    private final double eta;
    private final long seed;
    private final Progress progress;

    private PathKernelStudy(Network network, double[][] xTrain, double[][] yTrain, double[][] xTest, int steps, double eta,
            long seed, Progress progress) {
        this.network = network;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xTest = xTest;
        this.steps = steps;
        this.eta = eta;
        this.seed = seed;
        this.progress = progress;
    }

    /**
     * A study of a network on a data set.
     *
     * @param network the architecture (null: {@code train}'s default, erf depth 1, W_std 1.4, b_std 0.1)
     * @param xTrain training inputs (null: {@code train}'s default, 16 points on the unit circle)
     * @param yTrain targets, one column (with xTrain)
     * @param xTest test inputs (with xTrain; null: the 16 points between the training points)
     * @param steps T ≥ 1
     * @param eta η &gt; 0, or NaN for {@code train}'s default 1/λ_max of the analytic Θ(X, X)
     * @param seed seed of the networks
     * @return the study
     */
    public static PathKernelStudy of(Network network, double[][] xTrain, double[][] yTrain, double[][] xTest, int steps,
            double eta, long seed) {
        LazyTrainingStudy defaults = LazyTrainingStudy.defaults(network);
        Network net = defaults.network();
        if (xTrain == null) {
            xTrain = defaults.trainInputs();
            yTrain = defaults.targets();
            xTest = defaults.testInputs();
        }
        PathKernel.of(xTrain, yTrain, xTest, steps, Double.isNaN(eta) ? 1 : eta); // checks the data
        double lr = eta;
        if (Double.isNaN(lr)) {
            double[][] theta = NtkRecursion.of(net).gram(xTrain, KernelKind.NTK);
            double lmax = KernelSpectrum.of(theta, false).largest();
            if (!(lmax > 0)) {
                throw Messages.invalid("the analytic NTK of the training set is zero: no default learning rate "
                        + "1/lambda_max (are W_std and b_std all 0?)");
            }
            lr = 1 / lmax;
        }
        return new PathKernelStudy(net, xTrain, yTrain, xTest, steps, lr, seed, Progress.NONE);
    }

    /**
     * @param p receives progress
     * @return a copy reporting to p
     */
    public PathKernelStudy withProgress(Progress p) {
        return new PathKernelStudy(network, xTrain, yTrain, xTest, steps, eta, seed, p == null ? Progress.NONE : p);
    }

    /** @return the network */
    public Network network() {
        return network;
    }

    /** @return η */
    public double learningRate() {
        return eta;
    }

    /** @return T */
    public int steps() {
        return steps;
    }

    /** @return the training inputs */
    public double[][] trainInputs() {
        return xTrain;
    }

    /** @return the targets */
    public double[][] targets() {
        return yTrain;
    }

    /** @return the test inputs */
    public double[][] testInputs() {
        return xTest;
    }

    /** @return the path-kernel computation of this study's data, steps and η */
    public PathKernel pathKernel() {
        return PathKernel.of(xTrain, yTrain, xTest, steps, eta);
    }

    /**
     * The distances of one run.
     *
     * @param toAnalytic ‖K^p/(ηT) − Θ‖_F / ‖Θ‖_F on train × train, Θ analytic
     * @param testToAnalytic the same on test × train
     * @param toInitial the same against the empirical NTK at w_0
     * @param toFinal the same against the empirical NTK at w_T
     * @param predictionToFlow RMS over test inputs of f(x; w_T) − f_lin(x) (gradient flow, analytic Θ, time ηT)
     * @param flowPrediction f_lin on the test inputs
     */
    public record Distances(double toAnalytic, double testToAnalytic, double toInitial, double toFinal,
            double predictionToFlow, double[] flowPrediction) {
    }

    /**
     * The distances of a finished path-kernel run to the NTK (see the class comment).
     *
     * @param r the run (on this study's data)
     * @return the distances
     */
    public Distances distances(PathKernel.Result r) {
        KernelFunction engine = NtkRecursion.of(network);
        double[][] theta = engine.gram(xTrain, KernelKind.NTK);
        double[][] thetaTest = xTest.length == 0 ? new double[0][] : engine.cross(xTest, xTrain, KernelKind.NTK);
        double scale = 1 / r.time();
        double[] flow = new double[xTest.length];
        double rms = 0;
        if (xTest.length > 0) {
            double[][] resid = new double[xTrain.length][1];
            for (int i = 0; i < resid.length; i++) {
                resid[i][0] = yTrain[i][0] - r.trainBias()[i];
            }
            double[][] mean = GradientFlowPredictor.fromKernels(KernelKind.NTK, theta, null, resid, r.learningRate(), 0)
                    .mean(thetaTest, r.steps());
            for (int i = 0; i < flow.length; i++) {
                flow[i] = r.testBias()[i] + mean[i][0];
                double d = r.testOutput()[i] - flow[i];
                rms += d * d;
            }
            rms = Math.sqrt(rms / flow.length);
        }
        return new Distances(relative(r.trainPathKernel(), scale, theta),
                xTest.length == 0 ? 0 : relative(r.testPathKernel(), scale, thetaTest),
                relative(r.trainPathKernel(), scale, r.initialTrainNtk()),
                relative(r.trainPathKernel(), scale, r.finalTrainNtk()), rms, flow);
    }

    /** ‖c·a − b‖_F / ‖b‖_F. */
    static double relative(double[][] a, double c, double[][] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b[i].length; j++) {
                double d = c * a[i][j] - b[i][j];
                num += d * d;
                den += b[i][j] * b[i][j];
            }
        }
        if (!(den > 0)) {
            throw Messages.invalid("the reference kernel is zero on the training set: a relative distance is undefined");
        }
        return Math.sqrt(num / den);
    }

    /**
     * One network of width m, seeded as {@code train}'s network (width, index).
     *
     * @param width m
     * @param index s
     * @return a fresh network
     */
    public TrainableNetwork network(int width, int index) {
        return TrainableNetwork.initialise(network, width, 1, EmpiricalNtk.networkSeed(seed, width, index), xTrain[0].length);
    }

    /**
     * A width sweep.
     *
     * @param widths the widths m (at least 3 distinct)
     * @param seeds networks per width (at least 2)
     * @param distances per quantity (toAnalytic, toInitial, toFinal, predictionToFlow) and width: the mean over networks
     * @param stderr the same: standard errors
     * @param fits per quantity: log–log slope over widths with its interval
     * @param gaps per width: the largest kernel-machine gap over the networks
     */
    public record WidthSweep(int[] widths, int seeds, double[][] distances, double[][] stderr, RateFit[] fits,
            double[] gaps) {
        /** Names of the quantities, in the order of {@link #distances}. */
        public static final String[] QUANTITIES = {"K^p/(eta T) vs analytic NTK", "K^p/(eta T) vs empirical NTK at init",
            "K^p/(eta T) vs empirical NTK at end", "RMS prediction vs gradient flow (analytic NTK)"};
    }

    /**
     * Runs {@code seeds} networks per width and fits the distances' decay with width.
     *
     * @param widths at least 3 distinct widths
     * @param seeds networks per width, at least 2
     * @return the sweep
     */
    public WidthSweep widthSweep(int[] widths, int seeds) {
        if (widths == null || widths.length < 3) {
            throw Messages.tooSmall("number of widths (a slope with an interval needs at least 3)",
                    widths == null ? 0 : widths.length, 3);
        }
        if (seeds < 2) {
            throw Messages.tooSmall("networks per width (a standard error needs at least 2)", seeds, 2);
        }
        int q = WidthSweep.QUANTITIES.length;
        double[][] mean = new double[q][widths.length];
        double[][] se = new double[q][widths.length];
        double[] gaps = new double[widths.length];
        long total = (long) widths.length * seeds * steps;
        long done = 0;
        for (int w = 0; w < widths.length; w++) {
            double[][] v = new double[q][seeds];
            for (int s = 0; s < seeds; s++) {
                final long base = done;
                PathKernel.Result r = pathKernel().withProgress((d, t) -> progress.update(base + d, total))
                        .run(network(widths[w], s));
                done += steps;
                Distances d = distances(r);
                v[0][s] = d.toAnalytic();
                v[1][s] = d.toInitial();
                v[2][s] = d.toFinal();
                v[3][s] = d.predictionToFlow();
                gaps[w] = Math.max(gaps[w], r.maxRelativeGap());
            }
            for (int k = 0; k < q; k++) {
                double m = 0;
                for (double x : v[k]) {
                    m += x / seeds;
                }
                double ss = 0;
                for (double x : v[k]) {
                    ss += (x - m) * (x - m);
                }
                mean[k][w] = m;
                se[k][w] = Math.sqrt(ss / (seeds - 1) / seeds);
            }
        }
        double[] m = new double[widths.length];
        double[] df = new double[widths.length];
        for (int w = 0; w < widths.length; w++) {
            m[w] = widths[w];
            df[w] = seeds - 1;
        }
        RateFit[] fits = new RateFit[q];
        for (int k = 0; k < q; k++) {
            fits[k] = RateFit.withStandardErrors(m, mean[k], se[k], df, CONFIDENCE);
        }
        return new WidthSweep(widths.clone(), seeds, mean, se, fits, gaps);
    }

    /**
     * One point of a learning-rate sweep at fixed ηT.
     *
     * @param learningRate η
     * @param steps T = round(ηT / η)
     * @param gap the exact path kernel's largest relative gap
     * @param naiveGap the naive path kernel's
     * @param naiveRmsGap the naive path kernel's gap relative to the typical change ({@link PathKernel.Result#naiveRmsRelativeGap})
     * @param toAnalytic distance of K^p/(ηT) to the analytic Θ
     */
    public record RatePoint(double learningRate, int steps, double gap, double naiveGap, double naiveRmsGap,
            double toAnalytic) {
    }

    /**
     * The same network (width m, network 0) trained to the same time ηT of this study with
     * smaller steps: η·2^(−k), T·2^k for k = 0 … count − 1.
     *
     * @param width m
     * @param count number of learning rates, ≥ 2
     * @return one point per learning rate, largest η first
     */
    public RatePoint[] learningRateSweep(int width, int count) {
        if (count < 2) {
            throw Messages.tooSmall("learning rates in the sweep", count, 2);
        }
        RatePoint[] out = new RatePoint[count];
        long total = 0;
        for (int k = 0; k < count; k++) {
            total += (long) steps << k;
        }
        long done = 0;
        for (int k = 0; k < count; k++) {
            int t = steps << k;
            double lr = eta / (1L << k);
            final long base = done;
            final long all = total;
            PathKernel.Result r = PathKernel.of(xTrain, yTrain, xTest, t, lr)
                    .withProgress((d, n) -> progress.update(base + d, all)).run(network(width, 0));
            done += t;
            out[k] = new RatePoint(lr, t, r.maxRelativeGap(), r.naiveMaxRelativeGap(), r.naiveRmsRelativeGap(),
                    distances(r).toAnalytic());
        }
        return out;
    }

    /**
     * One point of a training-time sweep at fixed η.
     *
     * @param steps T
     * @param time ηT
     * @param gap the exact path kernel's largest relative gap
     * @param toAnalytic distance of K^p/(ηT) to the analytic Θ
     * @param toInitial distance of K^p/(ηT) to the empirical NTK at initialisation
     */
    public record TimePoint(int steps, double time, double gap, double toAnalytic, double toInitial) {
    }

    /**
     * The same network (width m, network 0) trained with this study's η for T·2^k steps,
     * k = 0 … count − 1: how the path kernel leaves the initial tangent kernel as training goes on.
     *
     * @param width m
     * @param count number of training times, ≥ 2
     * @return one point per training time, shortest first
     */
    public TimePoint[] timeSweep(int width, int count) {
        if (count < 2) {
            throw Messages.tooSmall("training times in the sweep", count, 2);
        }
        TimePoint[] out = new TimePoint[count];
        long total = 0;
        for (int k = 0; k < count; k++) {
            total += (long) steps << k;
        }
        long done = 0;
        for (int k = 0; k < count; k++) {
            int t = steps << k;
            final long base = done;
            final long all = total;
            PathKernel.Result r = PathKernel.of(xTrain, yTrain, xTest, t, eta)
                    .withProgress((d, n) -> progress.update(base + d, all)).run(network(width, 0));
            done += t;
            Distances d = distances(r);
            out[k] = new TimePoint(t, r.time(), r.maxRelativeGap(), d.toAnalytic(), d.toInitial());
        }
        return out;
    }
}
