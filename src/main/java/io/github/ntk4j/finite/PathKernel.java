package io.github.ntk4j.finite;

import io.github.ntk4j.Progress;
import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.net.Branches;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.Sign;
import java.util.List;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * The path kernel of full-batch gradient descent, exact to rounding for a finite step (after
 * Domingos 2020, "Every Model Learned by Gradient Descent Is Approximately a Kernel Machine",
 * arXiv:2012.00152, whose theorem is stated for gradient flow).
 *
 * <p>Gradient descent with step η on L(w) = ½ Σᵢ (f(xᵢ; w) − yᵢ)², as
 * {@link TrainableNetwork#step} takes it, moves the trained parameters by
 * Δ_t = w_{t+1} − w_t = −η Σᵢ rᵢ(t) gᵢ(t) with rᵢ(t) = f(xᵢ; w_t) − yᵢ and gᵢ(t) = ∇_w f(xᵢ; w_t).
 * Along each straight step the fundamental theorem of calculus gives, for any input x,
 * <pre>
 *   f(x; w_{t+1}) − f(x; w_t) = ḡ_t(x) · Δ_t,      ḡ_t(x) = ∫₀¹ ∇_w f(x; w_t + sΔ_t) ds,
 *   f(x; w_T) − f(x; w_0) = −η Σ_t Σᵢ rᵢ(t) K_t(x, xᵢ),   K_t(x, x') = ḡ_t(x) · g_{x'}(t),
 * </pre>
 * so the trained network is exactly the kernel machine
 * <pre>
 *   f(x; w_T) = Σᵢ aᵢ(x) K^p(x, xᵢ) + b(x),   K^p(x, xᵢ) = η Σ_t K_t(x, xᵢ),
 *   aᵢ(x) = −Σ_t rᵢ(t) K_t(x, xᵢ) / Σ_t K_t(x, xᵢ),   b(x) = f(x; w_0)
 * </pre>
 * (Domingos' eq. for the coefficients, with his loss derivative L′ = r). The <em>naive</em>
 * path kernel replaces ḡ_t(x) by the gradient at the start of the step, g_x(t); its machine
 * misses f by O(η) per unit of training time, and becomes exact only as η → 0 at fixed ηT.
 *
 * <p>The integral ḡ_t(x) is computed by Gauss–Legendre quadrature on the segment ({@link #nodes}
 * nodes, exact for polynomials of degree 2·nodes − 1), checked per input against the step's
 * actual change: the quadrature of the directional derivative, Σ_q w_q ∇f(x; w(s_q)) · Δ_t, must
 * equal f(x; w_{t+1}) − f(x; w_t) to rounding ({@link #TOLERANCE} times the largest |f| over the
 * inputs at the step's ends, a part's share in proportion to its length). Where it does not, the
 * segment is refined, recursively: split at the point where a unit's pre-activation crosses zero
 * (the first unit, in network order and inside branches too, whose sign differs between the
 * part's ends; found by the Illinois variant of regula falsi to the last bits of s); where no
 * unit changes side, the part's rule is doubled (up to {@link #MAX_NODES} nodes) until it matches
 * or two successive rules agree to rounding (then the mismatch is rounding in f(b) − f(a), which
 * grows with the width and does not shrink with the part), and beyond that the part is halved. On a piece where no ReLU-family unit changes side, a network of L Dense
 * layers is a polynomial of degree at most L in s, so the default rule is exact there; smooth
 * activations converge geometrically in the number of nodes. After {@link #MAX_SEGMENTS} (or {@link #withBudget})
 * gradient evaluations for one input and step the remaining parts are accepted as they are,
 * and the residual ({@link Result#maxStepResidual}) and the gap report it. Gradients are the one
 * back-propagation ({@link FiniteRule#backpropagate}, via {@link FinitePass}) on one input with
 * ∂L/∂f = 1; sums over steps and training points are compensated (Neumaier); doubles throughout.
 *
 * <p>Memory: the gradients of every input at the start of the step and their integrals
 * (2·(N + M)·P doubles for N training and M test inputs and P parameters) and eight more
 * parameter vectors; the T·N·P gradients of the whole run are never
 * stored ({@link #bytesNeeded}). Immutable; {@link #run} trains the network it is given in place.
 */
public final class PathKernel {
    /** Default number of Gauss–Legendre nodes per segment. */
    public static final int DEFAULT_NODES = 5;
    /** A segment is accepted when its quadrature matches the step's change to this many times max_x |f(x)|. */
    public static final double TOLERANCE = 64 * Math.ulp(1.0);
    /** Default most gradient evaluations per input and step before the remaining parts are accepted as they are. */
    public static final int MAX_SEGMENTS = 4000;
    /** Most Gauss–Legendre nodes a segment is refined to before it is halved. */
    static final int MAX_NODES = 80;
    /** Deepest split of a step's segment. */
    static final int MAX_DEPTH = 60;

    private final double[][] xTrain;
    private final double[][] yTrain;
    private final double[][] xTest;
    private final int steps;
    private final double eta;
    private final int nodes;
    private final int budget;
    private final Progress progress;

    private PathKernel(double[][] xTrain, double[][] yTrain, double[][] xTest, int steps, double eta, int nodes,
            int budget, Progress progress) {
        this.budget = budget;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xTest = xTest;
        this.steps = steps;
        this.eta = eta;
        this.nodes = nodes;
        this.progress = progress;
    }

    /**
     * @param xTrain N training inputs (d columns)
     * @param yTrain N targets, one column
     * @param xTest M test inputs (d columns; may be empty)
     * @param steps T ≥ 1
     * @param eta step η &gt; 0
     * @return the computation (not yet run)
     */
    public static PathKernel of(double[][] xTrain, double[][] yTrain, double[][] xTest, int steps, double eta) {
        DataChecks.dataSet("training inputs", xTrain);
        if (xTest == null) {
            throw Messages.empty("test inputs (pass an empty array for none)");
        }
        if (xTest.length > 0) {
            DataChecks.dataSet("test inputs", xTest);
            if (xTest[0].length != xTrain[0].length) {
                throw Messages.dimensionMismatch("training input dimension", xTrain[0].length, "test input dimension",
                        xTest[0].length);
            }
        }
        double[][] y = DataChecks.oneOutputTargets("the path kernel", yTrain, xTrain.length);
        if (steps < 1) {
            throw Messages.tooSmall("steps", steps, 1);
        }
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw Messages.notPositive("learning rate", eta);
        }
        return new PathKernel(Vectors.copyRows(xTrain), y, Vectors.copyRows(xTest), steps, eta, DEFAULT_NODES, MAX_SEGMENTS, Progress.NONE);
    }

    /**
     * @param n Gauss–Legendre nodes per segment, 1 … 64
     * @return a copy with that rule
     */
    public PathKernel withNodes(int n) {
        if (n < 1) {
            throw Messages.tooSmall("quadrature nodes", n, 1);
        }
        if (n > 64) {
            throw Messages.tooLarge("quadrature nodes", n, 64);
        }
        return new PathKernel(xTrain, yTrain, xTest, steps, eta, n, budget, progress);
    }

    /**
     * @param p receives (steps done, T)
     * @return a copy reporting to p
     */
    public PathKernel withProgress(Progress p) {
        return new PathKernel(xTrain, yTrain, xTest, steps, eta, nodes, budget, p == null ? Progress.NONE : p);
    }

    /**
     * @param evaluations most gradient evaluations per input and step (≥ 1) before the parts not
     *        yet within tolerance are accepted as they are (and reported by the residual and the gap)
     * @return a copy with that budget
     */
    public PathKernel withBudget(int evaluations) {
        if (evaluations < 1) {
            throw Messages.tooSmall("quadrature budget", evaluations, 1);
        }
        return new PathKernel(xTrain, yTrain, xTest, steps, eta, nodes, evaluations, progress);
    }

    /** @return T */
    public int steps() {
        return steps;
    }

    /** @return η */
    public double learningRate() {
        return eta;
    }

    /** @return nodes per segment */
    public int nodes() {
        return nodes;
    }


    /**
     * Bytes {@link #run} needs beyond the network itself: (2(N + M) + 8)·P doubles and
     * the (N + M)×N sums.
     *
     * @param network the architecture
     * @param width hidden width m
     * @param inputDim d
     * @param nTrain N
     * @param nTest M
     * @param nodes quadrature nodes
     * @return bytes
     */
    public static long bytesNeeded(Network network, int width, int inputDim, int nTrain, int nTest, int nodes) {
        long p = TrainableNetwork.parameterCount(network, inputDim, width, 1);
        long points = (long) nTrain + nTest;
        long vectors = MemoryCheck.plus(MemoryCheck.times(2 * points, p), MemoryCheck.times(8L, p));
        long sums = MemoryCheck.times(12 * points, nTrain);
        return MemoryCheck.plus(MemoryCheck.times(MemoryCheck.plus(vectors, sums), Double.BYTES),
                TrainableNetwork.bytesNeeded(network, Math.max(nTrain, 1), inputDim, width, 1));
    }

    /** @return the bytes {@link #run} needs for this data on a network of that architecture and width */
    public long bytesNeeded(Network network, int width) {
        return bytesNeeded(network, width, xTrain[0].length, xTrain.length, xTest.length, nodes);
    }

    /**
     * Trains the network by T steps of {@link TrainableNetwork#step} on the training set and
     * computes the path kernel along the way (see the class comment).
     *
     * @param net the network, at w_0; left at w_T
     * @return the kernels, the kernel machine and the checks
     * @throws io.github.ntk4j.InvalidInputException when the network has more than one output,
     *     a discontinuous activation (sign), its input dimension differs from the data's, or the
     *     memory needed is over the limit
     */
    public Result run(TrainableNetwork net) {
        if (net.outputCount() != 1) {
            throw Messages.invalid("the path kernel is for one network output, the network has " + net.outputCount());
        }
        if (net.inputDimension() != xTrain[0].length) {
            throw Messages.dimensionMismatch("network input dimension", net.inputDimension(), "data input dimension",
                    xTrain[0].length);
        }
        refuseDiscontinuous(net.network().layers());
        long need = MemoryCheck.plus(MemoryCheck.times(MemoryCheck.plus(MemoryCheck.times(2L * (xTrain.length + xTest.length),
                paramCount(net)), MemoryCheck.times(8L, paramCount(net)),
                MemoryCheck.times(12L * (xTrain.length + xTest.length), xTrain.length)), Double.BYTES));
        MemoryCheck.require("the path kernel of " + paramCount(net) + " parameters", need);
        return new Engine(net).run();
    }

    private static long paramCount(TrainableNetwork net) {
        long p = 0;
        for (LayerShapes.DenseShape d : net.shapes().denseLayers()) {
            p += (long) d.out() * (d.in() + 1);
        }
        return p;
    }

    private static void refuseDiscontinuous(List<Layer> layers) {
        for (Layer l : layers) {
            if (l instanceof Sign) {
                throw Messages.invalid("the path kernel needs a continuous network: sign jumps where a pre-activation "
                        + "crosses 0, so f(x; w) is not the integral of its gradient along a step");
            }
            if (l instanceof Branches b) {
                for (List<Layer> branch : b.branches()) {
                    refuseDiscontinuous(branch);
                }
            }
        }
    }

    /**
     * What {@link #run} computes. Rows are inputs x (test inputs, or training inputs for the
     * train×train blocks), columns training inputs xᵢ.
     *
     * @param steps T
     * @param learningRate η
     * @param testPathKernel K^p(x, xᵢ) on test × train
     * @param trainPathKernel K^p(xⱼ, xᵢ) on train × train
     * @param testNaivePathKernel η Σ_t g_x(t)·gᵢ(t), test × train
     * @param trainNaivePathKernel the same, train × train
     * @param testCoefficients aᵢ(x) on test × train (0 where {@link #testCoefficientDefined} is false)
     * @param testCoefficientDefined whether Σ_t K_t(x, xᵢ) is nonzero beyond rounding
     * @param trainCoefficients aᵢ(xⱼ) on train × train
     * @param trainCoefficientDefined the same, train × train
     * @param testBias b(x) = f(x; w_0) on the test inputs
     * @param trainBias f(xⱼ; w_0)
     * @param testOutput f(x; w_T)
     * @param trainOutput f(xⱼ; w_T)
     * @param testMachine Σᵢ aᵢ(x) K^p(x, xᵢ) + b(x)
     * @param trainMachine the same on the training inputs
     * @param testNaiveMachine the naive kernel's machine, test inputs
     * @param trainNaiveMachine the same on the training inputs
     * @param maxRelativeGap max over all inputs of |machine − f(x; w_T)| / |f(x; w_T) − f(x; w_0)|
     * @param naiveMaxRelativeGap the same for the naive path kernel
     * @param initialTestNtk empirical NTK g_x(0)·gᵢ(0), test × train
     * @param initialTrainNtk the same, train × train
     * @param finalTestNtk empirical NTK at w_T, test × train
     * @param finalTrainNtk the same, train × train
     * @param losses ½‖f(X; w_t) − Y‖² for t = 0 … T
     * @param segments quadrature segments over all inputs and steps (1 per input and step when no split was needed)
     * @param kinkSplits splits placed at a located zero crossing
     * @param maxStepResidual max over inputs and steps of |quadrature − (f(x; w_{t+1}) − f(x; w_t))|
     *                        relative to the largest |f| over the inputs at the step's ends
     */
    public record Result(int steps, double learningRate, double[][] testPathKernel, double[][] trainPathKernel,
            double[][] testNaivePathKernel, double[][] trainNaivePathKernel, double[][] testCoefficients,
            boolean[][] testCoefficientDefined, double[][] trainCoefficients, boolean[][] trainCoefficientDefined,
            double[] testBias, double[] trainBias, double[] testOutput, double[] trainOutput, double[] testMachine,
            double[] trainMachine, double[] testNaiveMachine, double[] trainNaiveMachine, double maxRelativeGap,
            double naiveMaxRelativeGap, double[][] initialTestNtk, double[][] initialTrainNtk, double[][] finalTestNtk,
            double[][] finalTrainNtk, double[] losses, long segments, long kinkSplits, double maxStepResidual) {

        /**
         * @return ‖machine − f(·; w_T)‖ / ‖f(·; w_T) − f(·; w_0)‖ over all inputs (test and train):
         *         the gap relative to the typical change, less sensitive than
         *         {@link #maxRelativeGap} to an input that barely moves
         */
        public double rmsRelativeGap() {
            return rms(testMachine, trainMachine);
        }

        /** @return {@link #rmsRelativeGap} of the naive path kernel */
        public double naiveRmsRelativeGap() {
            return rms(testNaiveMachine, trainNaiveMachine);
        }

        private double rms(double[] test, double[] train) {
            double num = 0;
            double den = 0;
            for (int i = 0; i < test.length; i++) {
                num += (test[i] - testOutput[i]) * (test[i] - testOutput[i]);
                den += (testOutput[i] - testBias[i]) * (testOutput[i] - testBias[i]);
            }
            for (int i = 0; i < train.length; i++) {
                num += (train[i] - trainOutput[i]) * (train[i] - trainOutput[i]);
                den += (trainOutput[i] - trainBias[i]) * (trainOutput[i] - trainBias[i]);
            }
            if (!(den > 0)) {
                throw Messages.invalid("training did not change the network's outputs: a relative gap is undefined");
            }
            return Math.sqrt(num / den);
        }

        /** @return ηT, the training time */
        public double time() {
            return learningRate * steps;
        }

        /** @return the number of (x, xᵢ) pairs, test and train rows together, whose coefficient is undefined */
        public int undefinedCoefficients() {
            int c = 0;
            for (boolean[][] m : new boolean[][][] {testCoefficientDefined, trainCoefficientDefined}) {
                for (boolean[] row : m) {
                    for (boolean b : row) {
                        c += b ? 0 : 1;
                    }
                }
            }
            return c;
        }
    }

    /** Neumaier's compensated sum, one accumulator per entry of a matrix. */
    private static final class Sums {
        final double[][] s;
        final double[][] c;

        Sums(int rows, int cols) {
            s = new double[rows][cols];
            c = new double[rows][cols];
        }

        void add(int i, int j, double v) {
            double a = s[i][j];
            double t = a + v;
            if (Math.abs(a) >= Math.abs(v)) {
                c[i][j] += (a - t) + v;
            } else {
                c[i][j] += (v - t) + a;
            }
            s[i][j] = t;
        }

        double get(int i, int j) {
            return s[i][j] + c[i][j];
        }
    }

    /** One run: the parameter vectors, the probe network evaluated along the segments, the sums. */
    private final class Engine {
        private final TrainableNetwork net;
        private final LayerShapes shapes;
        private final List<LayerShapes.DenseShape> dense;
        private final int[] offset;
        private final int p;
        private final WeightSource.Stored probe;
        private final FinitePass pass;
        private final Workers workers = Workers.serial();
        private final double[][] xs;
        private final int n;
        private final int nx;
        private final double[] glNodes;
        private final double[] glWeights;
        private final double[] start;
        private final double[] end;
        private final double[] delta;
        /** One node's gradient, and one segment's weighted sum of them (consumed before any recursion). */
        private final double[] node;
        private final double[] part;
        private final java.util.Map<Integer, double[][]> rules = new java.util.HashMap<>();
        private long segments;
        private long kinkSplits;
        private double maxResidual;
        /** max over all inputs of |f| at the ends of the current step: the size rounding is relative to */
        private double fScale;

        Engine(TrainableNetwork net) {
            this.net = net;
            this.shapes = net.shapes();
            this.dense = shapes.denseLayers();
            this.offset = new int[shapes.idCount()];
            int o = 0;
            for (LayerShapes.DenseShape d : dense) {
                offset[d.id()] = o;
                o += d.out() * (d.in() + 1);
            }
            this.p = o;
            this.probe = new WeightSource.Stored(0, shapes);
            this.pass = new FinitePass(shapes, probe, 1);
            this.n = xTrain.length;
            this.nx = n + xTest.length;
            double[][] raw = new double[nx][];
            System.arraycopy(xTrain, 0, raw, 0, n);
            System.arraycopy(xTest, 0, raw, n, xTest.length);
            this.xs = net.network().mapInputs(raw);
            GaussIntegrator gl = new GaussIntegratorFactory().legendre(nodes, 0, 1);
            this.glNodes = new double[nodes];
            this.glWeights = new double[nodes];
            for (int q = 0; q < nodes; q++) {
                glNodes[q] = gl.getPoint(q);
                glWeights[q] = gl.getWeight(q);
            }
            this.start = new double[p];
            this.end = new double[p];
            this.delta = new double[p];
            this.node = new double[p];
            this.part = new double[p];
        }

        /** Copies the network's live trained parameters into a flat vector. */
        private void flatten(double[] dst) {
            WeightSource.Stored w = net.store();
            for (LayerShapes.DenseShape d : dense) {
                double[] m = w.matrix(d.id());
                System.arraycopy(m, 0, dst, offset[d.id()], m.length);
                System.arraycopy(w.liveBiases(d.id()), 0, dst, offset[d.id()] + m.length, d.out());
            }
        }

        /** Sets the probe's parameters to start + s·delta (exactly start at s = 0, end at s = 1). */
        private void setProbe(double s) {
            for (LayerShapes.DenseShape d : dense) {
                double[] m = probe.matrix(d.id());
                double[] b = probe.liveBiases(d.id());
                int o = offset[d.id()];
                int nw = m.length;
                if (s == 0) {
                    System.arraycopy(start, o, m, 0, nw);
                    System.arraycopy(start, o + nw, b, 0, b.length);
                } else if (s == 1) {
                    System.arraycopy(end, o, m, 0, nw);
                    System.arraycopy(end, o + nw, b, 0, b.length);
                } else {
                    for (int k = 0; k < nw; k++) {
                        m[k] = start[o + k] + s * delta[o + k];
                    }
                    for (int k = 0; k < b.length; k++) {
                        b[k] = start[o + nw + k] + s * delta[o + nw + k];
                    }
                }
            }
        }

        private FinitePass.Tape forward(int x) {
            return pass.forward(new double[][] {xs[x]}, workers);
        }

        /** f(x) and ∇_w f(x) at the probe's parameters; the gradient goes to g. */
        private double gradient(int x, double[] g) {
            FinitePass.Tape tape = forward(x);
            double f = tape.output()[0];
            pass.backpropagate(tape, new double[] {1.0}, workers, (id, gr) -> {
                int o = offset[id];
                System.arraycopy(gr.weights(), 0, g, o, gr.weights().length);
                System.arraycopy(gr.biases(), 0, g, o + gr.weights().length, gr.biases().length);
            });
            return f;
        }

        private double dot(double[] a, double[] b) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int k = 0;
            for (; k + 3 < p; k += 4) {
                s0 += a[k] * b[k];
                s1 += a[k + 1] * b[k + 1];
                s2 += a[k + 2] * b[k + 2];
                s3 += a[k + 3] * b[k + 3];
            }
            for (; k < p; k++) {
                s0 += a[k] * b[k];
            }
            return (s0 + s1) + (s2 + s3);
        }

        Result run() {
            double[][] g = new double[nx][p];
            double[][] gbar = new double[nx][p];
            double[] fA = new double[nx];
            double[] fB = new double[nx];
            Sums k = new Sums(nx, n);
            Sums kAbs = new Sums(nx, n);
            Sums rk = new Sums(nx, n);
            Sums kn = new Sums(nx, n);
            Sums rkn = new Sums(nx, n);
            double[] losses = new double[steps + 1];
            flatten(start);
            setProbe(0);
            for (int x = 0; x < nx; x++) {
                fA[x] = gradient(x, g[x]);
            }
            double[] f0 = fA.clone();
            double[][] ntk0 = gram(g);
            double[] r = new double[n];
            for (int t = 0; t < steps; t++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw Messages.interrupted("the path kernel", null);
                }
                double loss = 0;
                for (int i = 0; i < n; i++) {
                    r[i] = fA[i] - yTrain[i][0];
                    loss += r[i] * r[i];
                }
                losses[t] = 0.5 * loss;
                net.step(xTrain, yTrain, eta);
                flatten(end);
                for (int j = 0; j < p; j++) {
                    delta[j] = end[j] - start[j];
                }
                setProbe(1);
                for (int x = 0; x < nx; x++) {
                    fB[x] = forward(x).output()[0];
                }
                double[] quad = new double[nx];
                for (int q = 0; q < nodes; q++) {
                    setProbe(glNodes[q]);
                    for (int x = 0; x < nx; x++) {
                        double[] gq = node;
                        gradient(x, gq);
                        double w = glWeights[q];
                        double[] gb = gbar[x];
                        if (q == 0) {
                            for (int j = 0; j < p; j++) {
                                gb[j] = w * gq[j];
                            }
                        } else {
                            for (int j = 0; j < p; j++) {
                                gb[j] += w * gq[j];
                            }
                        }
                        quad[x] += w * dot(gq, delta);
                    }
                }
                fScale = 0;
                for (int x = 0; x < nx; x++) {
                    fScale = Math.max(fScale, Math.max(Math.abs(fA[x]), Math.abs(fB[x])));
                }
                for (int x = 0; x < nx; x++) {
                    segments++;
                    double scale = fScale;
                    double res = Math.abs(quad[x] - (fB[x] - fA[x]));
                    if (res > TOLERANCE * scale) {
                        java.util.Arrays.fill(gbar[x], 0);
                        segments--;
                        int[] left = {budget};
                        integrate(x, 0, 1, fA[x], fB[x], gbar[x], 0, left);
                    } else {
                        maxResidual = Math.max(maxResidual, scale > 0 ? res / scale : res);
                    }
                }
                for (int x = 0; x < nx; x++) {
                    for (int i = 0; i < n; i++) {
                        double kt = dot(gbar[x], g[i]);
                        double knt = dot(g[x], g[i]);
                        k.add(x, i, kt);
                        kAbs.add(x, i, Math.abs(kt));
                        rk.add(x, i, r[i] * kt);
                        kn.add(x, i, knt);
                        rkn.add(x, i, r[i] * knt);
                    }
                }
                System.arraycopy(end, 0, start, 0, p);
                setProbe(0);
                for (int x = 0; x < nx; x++) {
                    fA[x] = gradient(x, g[x]);
                }
                progress.update(t + 1, steps);
            }
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double ri = fA[i] - yTrain[i][0];
                loss += ri * ri;
            }
            losses[steps] = 0.5 * loss;
            double[][] ntkT = gram(g);
            return result(k, kAbs, rk, kn, rkn, f0, fA, ntk0, ntkT, losses);
        }

        /** g_x · gᵢ for every input x (rows) and training input i (columns). */
        private double[][] gram(double[][] g) {
            double[][] m = new double[nx][n];
            for (int x = 0; x < nx; x++) {
                for (int i = 0; i < n; i++) {
                    m[x][i] = dot(g[x], g[i]);
                }
            }
            return m;
        }

        /**
         * Adds ∫_a^b ∇f(x; w(s)) ds to acc, refining until the quadrature of the directional
         * derivative matches f(b) − f(a) (see the class comment): split at a located zero
         * crossing if there is one; else double the rule (up to {@link #MAX_NODES} nodes) until
         * it matches, or until two successive rules agree to rounding (the mismatch is then
         * rounding in f(b) − f(a), which does not shrink with the part); else halve.
         */
        private void integrate(int x, double a, double b, double fa, double fb, double[] acc, int depth, int[] budget) {
            double h = b - a;
            // a part's share of the step's tolerance is its length, so the parts' errors add up
            // to at most the step's, but not below 1/16 of it
            double tol = TOLERANCE * fScale * Math.max(h, 1.0 / 16);
            double[] q = quadrature(x, a, b, nodes, budget);
            double res = Math.abs(q[0] - (fb - fa));
            if (res <= tol || depth >= MAX_DEPTH || budget[0] <= 0) {
                accept(acc, res);
                return;
            }
            double s = kink(x, a, b);
            if (Double.isNaN(s)) {
                int order = nodes;
                double prev = q[0];
                while (2 * order <= MAX_NODES && budget[0] > 0) {
                    order *= 2;
                    q = quadrature(x, a, b, order, budget);
                    res = Math.abs(q[0] - (fb - fa));
                    if (res <= tol || Math.abs(q[0] - prev) <= TOLERANCE * q[1]) {
                        accept(acc, res);
                        return;
                    }
                    prev = q[0];
                }
                if (budget[0] <= 0) {
                    accept(acc, res);
                    return;
                }
                s = a + 0.5 * h;
            } else {
                kinkSplits++;
            }
            setProbe(s);
            double fs = forward(x).output()[0];
            integrate(x, a, s, fa, fs, acc, depth + 1, budget);
            integrate(x, s, b, fs, fb, acc, depth + 1, budget);
        }

        /**
         * Gauss–Legendre with {@code order} nodes on [a, b]: the weighted sum of the gradients
         * goes to {@link #part}.
         *
         * @return {Σ_q w_q ∇f(s_q)·Δ, Σ_q w_q |∇f(s_q)·Δ|} over [a, b]
         */
        private double[] quadrature(int x, double a, double b, int order, int[] budget) {
            double h = b - a;
            double[][] rule = rule(order);
            double quad = 0;
            double abs = 0;
            for (int q = 0; q < order; q++) {
                setProbe(a + h * rule[0][q]);
                gradient(x, node);
                double w = h * rule[1][q];
                double d = dot(node, delta);
                quad += w * d;
                abs += w * Math.abs(d);
                if (q == 0) {
                    for (int j = 0; j < p; j++) {
                        part[j] = w * node[j];
                    }
                } else {
                    for (int j = 0; j < p; j++) {
                        part[j] += w * node[j];
                    }
                }
            }
            budget[0] -= order;
            return new double[] {quad, abs};
        }

        private void accept(double[] acc, double res) {
            for (int j = 0; j < p; j++) {
                acc[j] += part[j];
            }
            segments++;
            maxResidual = Math.max(maxResidual, fScale > 0 ? res / fScale : res);
        }

        /** Gauss–Legendre nodes and weights on [0, 1], cached by order. */
        private double[][] rule(int order) {
            return rules.computeIfAbsent(order, n -> {
                GaussIntegrator gl = new GaussIntegratorFactory().legendre(n, 0, 1);
                double[][] r = new double[2][n];
                for (int q = 0; q < n; q++) {
                    r[0][q] = gl.getPoint(q);
                    r[1][q] = gl.getWeight(q);
                }
                return r;
            });
        }

        /**
         * Where the first unit of the first activation layer (network order, inside branches too) whose pre-activation has
         * opposite signs at a and b crosses zero, or NaN if there is none or the crossing is
         * within rounding of an end.
         */
        private double kink(int x, double a, double b) {
            setProbe(a);
            List<double[]> ha = pass.activationInputs(forward(x));
            setProbe(b);
            List<double[]> hb = pass.activationInputs(forward(x));
            for (int l = 0; l < ha.size(); l++) {
                double[] u = ha.get(l);
                double[] v = hb.get(l);
                for (int j = 0; j < u.length; j++) {
                    if ((u[j] < 0 && v[j] > 0) || (u[j] > 0 && v[j] < 0)) {
                        double s = root(x, l, j, a, b, u[j], v[j]);
                        double tiny = 8 * Math.ulp(Math.max(Math.abs(a), Math.abs(b)));
                        if (s - a > tiny && b - s > tiny) {
                            return s;
                        }
                    }
                }
            }
            return Double.NaN;
        }

        /** Illinois regula falsi for the zero of unit j's pre-activation at activation l on [a, b]. */
        private double root(int x, int l, int j, double a, double b, double fa, double fb) {
            int side = 0;
            for (int it = 0; it < 200; it++) {
                double s = (a * fb - b * fa) / (fb - fa);
                if (!(s > a && s < b)) {
                    s = 0.5 * (a + b);
                }
                if (b - a <= 4 * Math.ulp(b)) {
                    return s;
                }
                setProbe(s);
                double fs = pass.activationInputs(forward(x)).get(l)[j];
                if (fs == 0) {
                    return s;
                }
                if ((fs < 0) == (fb < 0)) {
                    b = s;
                    fb = fs;
                    if (side == -1) {
                        fa *= 0.5;
                    }
                    side = -1;
                } else {
                    a = s;
                    fa = fs;
                    if (side == 1) {
                        fb *= 0.5;
                    }
                    side = 1;
                }
            }
            return 0.5 * (a + b);
        }

        private Result result(Sums k, Sums kAbs, Sums rk, Sums kn, Sums rkn, double[] f0, double[] fT, double[][] ntk0,
                double[][] ntkT, double[] losses) {
            double[][] kp = new double[nx][n];
            double[][] knp = new double[nx][n];
            double[][] coef = new double[nx][n];
            boolean[][] defined = new boolean[nx][n];
            double[] machine = new double[nx];
            double[] naive = new double[nx];
            double gap = 0;
            double naiveGap = 0;
            for (int x = 0; x < nx; x++) {
                Sums m = new Sums(1, 1);
                Sums mn = new Sums(1, 1);
                m.add(0, 0, f0[x]);
                mn.add(0, 0, f0[x]);
                for (int i = 0; i < n; i++) {
                    double sk = k.get(x, i);
                    kp[x][i] = eta * sk;
                    knp[x][i] = eta * kn.get(x, i);
                    double num = rk.get(x, i);
                    // Σ_t K_t is zero within rounding when it is below the rounding of its |terms|
                    defined[x][i] = Math.abs(sk) > 64 * Math.ulp(1.0) * kAbs.get(x, i) * Math.max(1, steps);
                    if (defined[x][i]) {
                        coef[x][i] = -num / sk;
                        m.add(0, 0, coef[x][i] * kp[x][i]);
                    } else {
                        m.add(0, 0, -eta * num);
                    }
                    mn.add(0, 0, -eta * rkn.get(x, i));
                }
                machine[x] = m.get(0, 0);
                naive[x] = mn.get(0, 0);
                double change = Math.abs(fT[x] - f0[x]);
                if (change > 0) {
                    gap = Math.max(gap, Math.abs(machine[x] - fT[x]) / change);
                    naiveGap = Math.max(naiveGap, Math.abs(naive[x] - fT[x]) / change);
                }
            }
            int m = nx - n;
            return new Result(steps, eta, rows(kp, n, m), rows(kp, 0, n), rows(knp, n, m), rows(knp, 0, n),
                    rows(coef, n, m), rowsB(defined, n, m), rows(coef, 0, n), rowsB(defined, 0, n),
                    java.util.Arrays.copyOfRange(f0, n, nx), java.util.Arrays.copyOf(f0, n),
                    java.util.Arrays.copyOfRange(fT, n, nx), java.util.Arrays.copyOf(fT, n),
                    java.util.Arrays.copyOfRange(machine, n, nx), java.util.Arrays.copyOf(machine, n),
                    java.util.Arrays.copyOfRange(naive, n, nx), java.util.Arrays.copyOf(naive, n), gap, naiveGap,
                    rows(ntk0, n, m), rows(ntk0, 0, n), rows(ntkT, n, m), rows(ntkT, 0, n), losses, segments, kinkSplits,
                    maxResidual);
        }
    }

    private static double[][] rows(double[][] a, int from, int count) {
        double[][] c = new double[count][];
        for (int i = 0; i < count; i++) {
            c[i] = a[from + i];
        }
        return c;
    }

    private static boolean[][] rowsB(boolean[][] a, int from, int count) {
        boolean[][] c = new boolean[count][];
        for (int i = 0; i < count; i++) {
            c[i] = a[from + i];
        }
        return c;
    }
}
