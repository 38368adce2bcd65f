package io.github.ntk4j.kernel;

import io.github.ntk4j.math.GramMatrices;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelPair;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Vectors;
import io.github.ntk4j.internal.Workers;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Layers;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The analytic engine: exact infinite-width NNGP and NTK of a {@link Network} for a pair of
 * inputs, a Gram matrix, or a cross-Gram matrix between two data sets (docs/KERNEL-RECURSION.md §3).
 *
 * <p>Input kernel Σ = x·y/d (after the network's Fourier-feature map, if it has one: then
 * x stands for γ(x) and d for its length). The recursion is carried in scale-free form
 * ({@link KernelBatch}): per input, its scale r = √Σxx at every layer as a {@link ScaledDouble}
 * (exponent range far beyond a double's), computed once by each layer's {@link Layer#mapRows};
 * per pair, cos θ, 1 − cos θ, sin²θ and Θ/√(ΣxxΣyy), which are bounded whatever the norms of
 * the inputs, the weights or the depth, mapped by each layer's {@link Layer#mapPairs}. So no
 * intermediate quantity overflows or underflows (D = ΣxxΣyy − Σxy², which does at norms beyond
 * 1e±77, is never formed), and the quantities that cancel for collinear and nearly collinear
 * pairs (the diagonal of every Gram matrix, every pair when d = 1) keep full precision
 * (docs/KERNEL-RECURSION.md §5): at the input, sin²θ is taken from Lagrange's identity
 * Σ_{i&lt;j}(x_i y_j − x_j y_i)²/(‖x‖²‖y‖²) (each 2×2 determinant with Kahan's FMA algorithm)
 * whenever 1 − cos²θ would cancel. Rows whose entries are beyond 2^±200 are first rescaled by
 * a power of two (exactly) so that their products neither overflow nor underflow.
 * Standard-parameterisation Dense layers read their base fan-in from the batch
 * ({@link KernelBatch#fanIn}): d for the first layer, the network's hidden width for the others.
 *
 * <p>Only at the end are the scales multiplied back in: K = cos θ·r_x r_y, Θ = ratio·r_x r_y.
 * A value that is not a normal double (beyond 1.8e308, or non-zero below 2.2e-308 where a
 * double would lose digits or round it to 0) is refused with an {@link
 * io.github.ntk4j.InvalidInputException} naming the kernel, the entry and its order of
 * magnitude, never returned as Infinity, NaN or 0.
 *
 * <p>Speed: each input's per-layer rule is computed once; each pair then runs its own
 * allocation-free chain of plain double arithmetic. Gram matrices compute the upper triangle
 * only, in 128×128 tiles handed out dynamically to {@link #withThreads threads} workers; the
 * tiles' dot products use a register-blocked kernel (in four blocks of coordinates, the order
 * {@link #pair} also sums in). Each row of a tile is one
 * {@link KernelBatch} over all the tile's columns, and the Dense, ABRelu and Erf layers read the
 * tile's rows of Y from index 0 ({@link TileRows}): their pair loops are branch-free and
 * HotSpot's C2 compiler turns them into SIMD instructions (docs/LAYERS.md, "Performance").
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NtkRecursion implements KernelFunction {
    /** Tile side: 128 measured 5–10 % faster than 64 (longer vector loops), 256 no better. */
    private static final int TILE = 128;
    /** sin²θ below which 1 − cos²θ would lose digits (Lagrange's identity is used instead). */
    private static final double CANCELLATION = 1e-3;

    private final Network network;
    private final Layer[] layers;
    private final byte[] kinds;
    private static final byte OTHER = 0;
    private static final byte DENSE = 1;
    private static final byte AB_RELU = 2;
    private static final byte ERF = 3;
    /** GELU: a class of its own package, reached through {@link Layer#mapPair}. */
    private static final byte GELU = 4;
    private final int threads;
    private final Progress progress;
    /** pair()'s prepared inputs, shared by the copies withThreads/withProgress make (same network). */
    private final PreparedInputs prepared;
    /** Whether every layer has a one-pair rule ({@link Layer#mapPair}), which pair() then takes. */
    private final boolean onePairRules;

    private NtkRecursion(Network network, int threads, Progress progress) {
        this(network, threads, progress, null);
    }

    private NtkRecursion(Network network, int threads, Progress progress, PreparedInputs prepared) {
        this.network = network;
        this.layers = network.layers().toArray(new Layer[0]);
        this.kinds = new byte[layers.length];
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            kinds[l] = layer instanceof Dense ? DENSE : layer instanceof ABRelu ? AB_RELU : layer instanceof Erf ? ERF
                    : Layers.gelu().equals(layer) ? GELU : OTHER;
        }
        boolean all = true;
        for (byte k : kinds) {
            all &= k != OTHER;
        }
        this.onePairRules = all;
        this.threads = threads;
        this.progress = progress;
        this.prepared = prepared != null ? prepared : new PreparedInputs();
    }

    /**
     * An engine for a network, using all available processors.
     *
     * @param network the network
     * @return the engine
     */
    public static NtkRecursion of(Network network) {
        if (network == null) {
            throw Messages.invalid("network is null");
        }
        if (network.needsWidth() && network.width() == 0) {
            throw Messages.invalid("the network has standard-parameterisation dense layers, whose NTK grows with the "
                    + "hidden width N: state N (width(N) in the spec)");
        }
        return new NtkRecursion(network, Runtime.getRuntime().availableProcessors(), Progress.NONE);
    }

    /**
     * @param threads worker threads for Gram matrices, ≥ 1
     * @return a copy of this engine with that thread count
     */
    @Override
    public NtkRecursion withThreads(int threads) {
        if (threads < 1) {
            throw Messages.tooSmall("threads", threads, 1);
        }
        if (threads > 1024) {
            throw Messages.tooLarge("threads", threads, 1024);
        }
        return new NtkRecursion(network, threads, progress, prepared);
    }

    /**
     * @param listener receives (entries done, entries in all) while a Gram matrix is computed
     * @return a copy of this engine reporting to {@code listener}
     */
    @Override
    public NtkRecursion withProgress(Progress listener) {
        return new NtkRecursion(network, threads, listener == null ? Progress.NONE : listener, prepared);
    }

    /** @return the network */
    public Network network() {
        return network;
    }

    /** @return the worker thread count */
    @Override
    public int threads() {
        return threads;
    }

    /**
     * NNGP and NTK of one pair of inputs: the same value as the Gram matrix's entry for them
     * (the same dot-product order, rules and conversion).
     *
     * <p>Speed: each input's per-layer rule is prepared once and kept in a bounded cache keyed
     * by its values (so a caller that goes pair by pair over a data set, as an SVM in another
     * library does, prepares each input once; for a quadrature activation that includes its
     * Mehler table, so its pairs take the series as Gram entries do); an array passed again is
     * found by its identity first and confirmed by its values. Where every layer has a
     * one-pair rule ({@link Layer#mapPair}: Dense, the ReLU family, erf, GELU), a general pair (not
     * nearly collinear, no zero input, no value needing the careful conversion) runs through
     * those rules on each input's cached array of values and coefficients, in registers,
     * allocating only the result; other pairs and networks run on a reused batch of one pair.
     * One pair runs at the latency of its chain of dependent divisions and series, where a Gram
     * matrix overlaps 128 pairs in SIMD lanes: {@code ntk4j bench pair} times both (see
     * docs/COMMANDS.md). Equal to the Gram entry bit for bit where the Gram path computes it (x a
     * row before y; the one-pair rules are the batch rules' operations in the same order), except
     * for an erf network whose Gram tile holds an input that erf's careful path is flagged for
     * (norms near the edge of the double range): erf's batch rule then takes its one-by-one form
     * for the whole tile row, whose other entries may differ in the last digit. y against x may
     * differ in the last digits (and, for a quadrature activation, to its series' truncation or
     * its quadrature's accuracy).
     *
     * @param x first input (length d ≥ 1, finite)
     * @param y second input (length d)
     * @return K(x, y) and Θ(x, y)
     */
    @Override
    public KernelValue pair(double[] x, double[] y) {
        if (onePairRules && x != null && y != null && x.length == y.length && x.length > 0) {
            // inputs prepared before, found by their values in one array each (PreparedInputs#flat)
            final double[] fx = prepared.flat(x);
            final double[] fy = fx == null ? null : prepared.flat(y);
            if (fy != null && fx != fy) {
                KernelValue value = onePair(fx, fy, x.length);
                if (value != null) {
                    return value;
                }
            }
        }
        Rows rx = prepared(x, "x");
        Rows ry = prepared(y, "y");
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        if (onePairRules && rx != ry && rx.flat != null && ry.flat != null) {
            prepared.remember(x, rx.flat);
            prepared.remember(y, ry.flat);
            KernelValue value = onePair(rx.flat, ry.flat, x.length);
            if (value != null) {
                return value;
            }
        }
        // a batch of one pair from the engine's spares, or a new one where another call on a thread
        // of the same slot holds it (pair() re-entered from a layer's own code included)
        final int slot = PreparedInputs.slot();
        PairScratch s = prepared.spares.getAndSet(slot, null);
        if (s == null) {
            s = new PairScratch();
        }
        try {
            KernelBatch p = s.batch;
            s.dot[0] = InputProducts.dotInTileOrder(rx.v[0], ry.v[0]);
            // the same prepared input on both sides: the Gram diagonal's start (c = 1, sin²θ = 0
            // at once, where equal values in different rows reach the same state by Lagrange's
            // identity in O(d²))
            run(p, rx, 0, ry, 0, 1, s.dot, 0, rx == ry ? 0 : -1, ry.layers);
            // the Gram path's conversion (compute), so that pair(x, y) equals gram's entry exactly:
            // plain doubles where the scales and the products are normal, the careful one otherwise
            // (and for a 0, so that a product that underflowed to 0 is refused, not returned)
            double si = rx.scale[0];
            double sj = ry.scale[0];
            double kv = (p.same[0] ? 1 : p.c[0]) * (si * sj);
            double tv = p.ntk[0] * ((si == 0 ? 1 : si) * (sj == 0 ? 1 : sj));
            if (!normal(kv) || kv == 0) {
                kv = entry(p, 0, rx, 0, ry, 0, true, null);
            }
            if (!normal(tv) || tv == 0) {
                tv = entry(p, 0, rx, 0, ry, 0, false, null);
            }
            return new KernelValue(kv, tv);
        } finally {
            prepared.spares.setRelease(slot, s);
        }
    }

    /**
     * pair() for a general pair through the layers' one-pair rules ({@link Layer#mapPair}: Dense,
     * the ReLU family, erf and GELU, the same formulas as their batch rules), or null where the pair
     * needs the batch path: nearly collinear inputs or a zero input ({@link #startPair}), a case a
     * rule treats apart, or a value that needs the careful conversion. The start and the
     * conversion are those of {@link #run} and {@link #compute} for one general pair, so the
     * value is the Gram entry's, bit for bit. Why: a batch of one pair passes every intermediate
     * through arrays and loops, which made its chain of dependent operations about 1.5 times as
     * long as the operations themselves (ntk4j bench pair, ReLU, depth 5).
     */
    private KernelValue onePair(double[] fx, double[] fy, int d) {
        final double ix = fx[d];
        final double iy = fy[d];
        // run's start: cos θ unclamped, as a value outside [−1, 1] has sin²θ below 0 (run's pair)
        final double c = InputProducts.dotInTileOrder(fx, 0, fy, 0, d) * ix * iy;
        final double v = 1 - c;
        final double s2 = v * (1 + c);
        if (s2 < CANCELLATION | iy == 0 | ix == 0) {
            return null;
        }
        final KernelPair p = new KernelPair();
        p.c = c;
        p.v = v;
        p.s2 = s2;
        final Layer[] ls = layers;
        final int[] at = prepared.flatAt;
        final double hidden = network.width() > 0 ? network.width() : Double.NaN;
        for (int l = 0; l < ls.length; l++) {
            p.fanIn = l == 0 ? d : hidden;
            final int a = d + at[l];
            final boolean done;
            switch (kinds[l]) {
                case DENSE:
                    done = ((Dense) ls[l]).mapPair(p, fx, a, fy, a);
                    break;
                case AB_RELU:
                    done = ((ABRelu) ls[l]).mapPair(p, fx, a, fy, a);
                    break;
                case ERF:
                    done = ((Erf) ls[l]).mapPair(p, fx, a, fy, a);
                    break;
                case GELU:
                    done = ls[l].mapPair(p, fx, a, fy, a);
                    break;
                default:
                    done = false;
            }
            if (!done) {
                return null;
            }
        }
        final double si = fx[d + 1];
        final double sj = fy[d + 1];
        final double kv = p.c * (si * sj);
        final double tv = p.ntk * ((si == 0 ? 1 : si) * (sj == 0 ? 1 : sj));
        if (!normal(kv) || kv == 0 || !normal(tv) || tv == 0) {
            return null;
        }
        return new KernelValue(kv, tv);
    }

    /**
     * pair()'s batch of one pair and its dot product, reused from call to call (every entry the
     * recursion reads is written first: {@link #run} sets the pair state, each layer the
     * fan-in), so that a call allocates only its result. Why: allocating the batch's arrays was
     * about a tenth of a call's time (JFR, {@code bench pair --depth 5}). Kept by the engine
     * ({@link PreparedInputs#spares}), not in a ThreadLocal: a ThreadLocal value left on a
     * server's pooled threads would keep this class, and so a web application's class loader,
     * alive after the application is undeployed.
     */
    private static final class PairScratch {
        final KernelBatch batch = new KernelBatch(1);
        final double[] dot = new double[1];
    }

    /**
     * Both Gram matrices K(X, X) and Θ(X, X).
     *
     * @param x the data set, N rows of dimension d
     * @return N×N symmetric matrices
     */
    @Override
    public GramMatrices gram(double[][] x) {
        return compute(x, null, true, true, null);
    }

    /**
     * One Gram matrix.
     *
     * @param x the data set, N rows of dimension d
     * @param kind which kernel
     * @return the N×N symmetric matrix
     */
    @Override
    public double[][] gram(double[][] x, KernelKind kind) {
        requireKind(kind);
        return compute(x, null, kind == KernelKind.NNGP, kind == KernelKind.NTK, null).get(kind);
    }

    /**
     * Gram matrices written straight into the caller's arrays, row-major (entry (i, j) at
     * {@code i·N + j}): each tile of the computation is stored into them as it is into the rows of
     * {@link #gram(double[][], KernelKind)}, so the values are the same, bit for bit, and no
     * N×N rows are allocated. See {@link KernelFunction#gramFlat(double[][], double[], double[])}
     * for why (the collector copies a {@code double[N][N]}, never one array of N² doubles).
     *
     * @param x the data set, N rows of dimension d, N ≤ 46,340
     * @param nngpInto receives K(X, X), length N·N; or null to skip the NNGP
     * @param ntkInto receives Θ(X, X), length N·N; or null to skip the NTK
     */
    @Override
    public void gramFlat(double[][] x, double[] nngpInto, double[] ntkInto) {
        compute(x, null, null, nngpInto != null, ntkInto != null, null, nngpInto, ntkInto);
    }

    /**
     * Both cross-Gram matrices K(X, Y) and Θ(X, Y).
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @return N1×N2 matrices
     */
    @Override
    public GramMatrices cross(double[][] x, double[][] y) {
        return compute(x, y, true, true, null);
    }

    /**
     * One cross-Gram matrix.
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @param kind which kernel
     * @return the N1×N2 matrix
     */
    @Override
    public double[][] cross(double[][] x, double[][] y, KernelKind kind) {
        requireKind(kind);
        return compute(x, y, kind == KernelKind.NNGP, kind == KernelKind.NTK, null).get(kind);
    }

    /**
     * One cross-Gram matrix written straight into the caller's rows (no matrix allocated).
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @param kind which kernel
     * @param into at least N1 rows, each of length N2; rows 0..N1−1 are overwritten
     * @return {@code into}
     */
    @Override
    public double[][] cross(double[][] x, double[][] y, KernelKind kind, double[][] into) {
        requireKind(kind);
        if (into == null) {
            throw Messages.invalid("into must not be null");
        }
        compute(x, y, kind == KernelKind.NNGP, kind == KernelKind.NTK, into);
        return into;
    }

    /**
     * The cross-Gram against fixed rows Y, with Y's per-input recursion (its norms and every
     * layer's per-input coefficients) prepared once here rather than on every call: a FALKON
     * pass over 100 row slices against 2,000 centres prepared the centres 100 times, two thirds
     * of the pass's garbage. Each call gives the values of {@link #cross(double[][], double[][],
     * KernelKind, double[][])}.
     *
     * @param y N2 rows of dimension d (copied)
     * @param kind which kernel
     * @return the kernel against Y
     */
    @Override
    public Against against(double[][] y, KernelKind kind) {
        requireKind(kind);
        final int d = DataChecks.dataSet("second data set", y);
        final double[][] mapped = network.mapInputs(Vectors.copyRows(y));
        final Rows ry;
        try (Workers workers = new Workers(threads)) {
            ry = prepare(mapped, workers);
        }
        final boolean nngp = kind == KernelKind.NNGP;
        return (x, into) -> {
            if (into == null) {
                throw Messages.invalid("into must not be null");
            }
            int d1 = DataChecks.dataSet("first data set", x);
            if (d1 != d) {
                throw Messages.dimensionMismatch("the first data set's rows", d1, "the second's", d);
            }
            compute(x, mapped, ry, nngp, !nngp, into, null, null);
            return into;
        };
    }

    private static void requireKind(KernelKind kind) {
        if (kind == null) {
            throw Messages.invalid("the kernel kind must not be null (NNGP or NTK)");
        }
    }

    /**
     * Bytes a Gram or cross-Gram computation allocates for its result.
     *
     * @param rows N1
     * @param cols N2
     * @param kernels how many kernels (1 or 2)
     * @return bytes
     */
    public static long resultBytes(long rows, long cols, int kernels) {
        return io.github.ntk4j.internal.MemoryCheck.times(kernels, io.github.ntk4j.internal.MemoryCheck.doubles(rows, cols));
    }

    /** @param into null, or the rows the one kernel asked for is written into (a cross-Gram) */
    private GramMatrices compute(double[][] rawX, double[][] rawY, boolean wantNngp, boolean wantNtk, double[][] into) {
        return compute(rawX, rawY, null, wantNngp, wantNtk, into, null, null);
    }

    /**
     * @param rawY null for a Gram matrix of X; else the rows Y, as given or (with {@code preparedY})
     *        already mapped by the network's input map
     * @param preparedY null, or Y's rows prepared by {@link #against}
     * @param flatNngp null, or the array (N·N, a Gram matrix only) K is written into, row-major
     * @param flatNtk null, or the array Θ is written into; with either, the kernels wanted are
     *        those given an array, and the rows returned are null
     */
    private GramMatrices compute(double[][] rawX, double[][] rawY, Rows preparedY, boolean wantNngp, boolean wantNtk,
            double[][] into, double[] flatNngp, double[] flatNtk) {
        final boolean symmetric = rawY == null;
        final int rawD = DataChecks.dataSet(symmetric ? "data set" : "first data set", rawX);
        final boolean flat = flatNngp != null || flatNtk != null || (symmetric && !wantNngp && !wantNtk);
        if (flat) { // (a flat call with both arrays null reaches here too, and is refused)
            DataChecks.squaresInto(rawX.length, "nngpInto", flatNngp, "ntkInto", flatNtk);
        }
        if (!symmetric && preparedY == null) { // prepared rows were checked by against()
            int d2 = DataChecks.dataSet("second data set", rawY);
            if (d2 != rawD) {
                throw Messages.dimensionMismatch("the first data set's rows", rawD, "the second's", d2);
            }
        }
        final double[][] x = network.mapInputs(rawX);
        final double[][] y = symmetric ? x : preparedY != null ? rawY : network.mapInputs(rawY);
        final int d = x[0].length;
        final int n1 = x.length;
        final int n2 = y.length;
        int kernels = (wantNngp ? 1 : 0) + (wantNtk ? 1 : 0);
        if (into != null) {
            DataChecks.rowsInto("into", into, n1, n2);
        }
        long need = into != null || flat ? 0 : resultBytes(n1, n2, kernels);
        for (Layer layer : layers) {
            need += layer.preparedBytes(n1) + (symmetric || preparedY != null ? 0 : layer.preparedBytes(n2));
        }
        io.github.ntk4j.internal.MemoryCheck.require("a " + n1 + "×" + n2 + " kernel matrix" + (kernels > 1 ? " (both kernels)" : ""),
                need);
        final double[][] nngp = wantNngp && !flat ? (into != null ? into : new double[n1][n2]) : null;
        final double[][] ntk = wantNtk && !flat ? (into != null ? into : new double[n1][n2]) : null;
        // one pool for the per-input tables (quadrature activations) and the tiles; a pool's
        // threads start only when tasks are handed out
        try (Workers workers = new Workers(threads)) {
            final Rows rx = prepare(x, workers);
            final Rows ry = symmetric ? rx : preparedY != null ? preparedY : prepare(y, workers);
            final int tr = (n1 + TILE - 1) / TILE;
            final int tc = (n2 + TILE - 1) / TILE;
            final List<int[]> tiles = new ArrayList<>();
            for (int bi = 0; bi < tr; bi++) {
                for (int bj = symmetric ? bi : 0; bj < tc; bj++) {
                    tiles.add(new int[] {bi, bj});
                }
            }
            final long total = symmetric ? (long) n1 * (n1 + 1) / 2 : (long) n1 * n2;
            final AtomicInteger next = new AtomicInteger();
            final AtomicLong done = new AtomicLong();
            Runnable worker = () -> {
                TileWork w = new TileWork(rx, ry, d, n1, n2, symmetric, wantNngp, wantNtk, nngp, ntk, flatNngp, flatNtk);
                int t;
                while ((t = next.getAndIncrement()) < tiles.size()) {
                    long count = w.tile(tiles.get(t)[0] * TILE, tiles.get(t)[1] * TILE);
                    progress.update(done.addAndGet(count), total);
                }
            };
            // each worker takes tiles from the shared counter until none is left
            workers.forEach(Math.min(threads, tiles.size()), k -> worker.run());
        }
        return new GramMatrices(nngp, ntk);
    }

    /**
     * One worker's tiles of {@link #compute}: its scratch arrays, and the work of one tile in a
     * method of its own. Why a method and not the worker's loop body: HotSpot compiled the loop
     * body (a lambda run once per worker, all tiles in one invocation) on the stack (OSR) and then
     * whole with a profile in which the loop had never ended, and threw the compiled code away
     * where the loop ended, so a second Gram matrix or cross-Gram (FALKON's test pass) compiled it
     * again: about 0.4 s of compiler CPU each time (-XX:+LogCompilation, FALKON at N = 20,000). A
     * method called once per tile is compiled once, with a full profile.
     */
    private final class TileWork {
        private final Rows rx;
        private final Rows ry;
        private final int d;
        private final int n1;
        private final int n2;
        private final boolean symmetric;
        private final boolean wantNngp;
        private final boolean wantNtk;
        private final double[][] nngp;
        private final double[][] ntk;
        private final double[] flatNngp;
        private final double[] flatNtk;
        private final KernelBatch p = new KernelBatch(TILE);
        private final TileRows tileRows;
        private final double[][] dots = new double[TILE][TILE];
        private final double[][] yT;
        private final double[][] dotParts = new double[12][TILE];
        private final double[] tileK = new double[TILE * TILE];
        private final double[] tileT = new double[TILE * TILE];
        private final double[] sjT = new double[TILE];
        private final double[] sjNT = new double[TILE];

        TileWork(Rows rx, Rows ry, int d, int n1, int n2, boolean symmetric, boolean wantNngp, boolean wantNtk,
                double[][] nngp, double[][] ntk, double[] flatNngp, double[] flatNtk) {
            this.rx = rx;
            this.ry = ry;
            this.d = d;
            this.n1 = n1;
            this.n2 = n2;
            this.symmetric = symmetric;
            this.wantNngp = wantNngp;
            this.wantNtk = wantNtk;
            this.nngp = nngp;
            this.ntk = ntk;
            this.flatNngp = flatNngp;
            this.flatNtk = flatNtk;
            this.tileRows = new TileRows(ry.layers);
            this.yT = new double[d][TILE];
        }

        /**
         * Computes and stores the tile of rows i0.. and columns j0.. (and its mirror).
         *
         * @return the entries computed
         */
        long tile(int i0, int j0) {
            final double[][] sx = rx.v;
            final double[][] sy = ry.v;
            int i1 = Math.min(i0 + TILE, n1);
            int j1 = Math.min(j0 + TILE, n2);
            boolean diagonalTile = symmetric && i0 == j0;
            InputProducts.dotTile(sx, sy, i0, i1, j0, j1, d, yT, dots, dotParts);
            tileRows.fill(j0, j1);
            for (int j = j0; j < j1; j++) {
                sjT[j - j0] = ry.scale[j];
                sjNT[j - j0] = ry.scale[j] == 0 ? 1 : ry.scale[j];
            }
            for (int i = i0; i < i1; i++) {
                int jStart = diagonalTile ? i : j0;
                int row = (i - i0) * TILE;
                // one batch: row i against all the tile's columns j0..j1, so that every batch
                // starts at the tile's first column and the layers' loops read the tile's rows
                // at the batch's own index (they vectorise); on a diagonal tile the entries
                // left of the diagonal are computed and dropped (the mirror of the right ones
                // is stored instead, so the matrix is exactly symmetric), and column i is i itself
                final boolean anySame = run(p, rx, i, ry, j0, j1, dots[i - i0], 0, diagonalTile ? i - j0 : -1,
                        tileRows.rows);
                final double si = rx.scale[i];
                final double siN = si == 0 ? 1 : si;
                final double[] sj = ry.scale;
                final int kFrom = jStart - j0;
                final int n = p.size;
                // K = cos θ·r_x r_y and Θ = ratio·s_x s_y (the NTK scale s is 1 where the scale
                // is 0, KernelBatch#ntk) in a loop that C2 vectorises, into the batch's scratch
                // arrays (then copied into the tile row: C2 does not vectorise a loop that
                // stores at row + k and loads at k)
                final double[] kvs = p.work;
                final double[] tvs = p.work2;
                final double[] cs = p.c;
                final double[] nt = p.ntk;
                // low: the smaller of |K| and |Θ|, or NaN where either is infinite or NaN
                // (∞·0), so that one test per pair finds the values that are not normal
                // (only the kernels asked for: FALKON's passes want Θ alone)
                final double[] low = p.work3;
                if (wantNngp && wantNtk) {
                    for (int k = 0; k < n; k++) {
                        final double kv = cs[k] * (si * sjT[k]);
                        final double tv = nt[k] * (siN * sjNT[k]);
                        kvs[k] = kv;
                        tvs[k] = tv;
                        final double ak = Math.abs(kv);
                        final double at = Math.abs(tv);
                        low[k] = Math.min(ak, at) + (ak + at) * 0.0;
                    }
                } else {
                    final double[] one = wantNngp ? kvs : tvs;
                    final double[] f = wantNngp ? cs : nt;
                    final double fi = wantNngp ? si : siN;
                    final double[] fj = wantNngp ? sjT : sjNT;
                    for (int k = 0; k < n; k++) {
                        final double v = f[k] * (fi * fj[k]);
                        one[k] = v;
                        final double a = Math.abs(v);
                        low[k] = a + a * 0.0;
                    }
                }
                if (wantNngp) {
                    System.arraycopy(kvs, kFrom, tileK, row + kFrom, n - kFrom);
                }
                if (wantNtk) {
                    System.arraycopy(tvs, kFrom, tileT, row + kFrom, n - kFrom);
                }
                // the entries that need more: the input with itself (K = r_x r_y), and values that
                // are 0 or not normal doubles (the scales are NaN where they are not doubles,
                // and a 0 from non-zero factors is an underflow, e.g. cos θ ~ 1e-17 times scales
                // near 2^-1000, not a kernel value): the careful conversion, which refuses them
                // (a finite |K| + |Θ| beyond the double range sends a normal pair there too,
                // which it converts as this loop does); the flags same are read only in a row that
                // has such a pair (the test of both per pair cost twice the test of low alone, a
                // tenth of a depth-0 Gram's time)
                final boolean[] same = p.same;
                for (int k = kFrom; k < n; k++) {
                    if (!(low[k] >= Double.MIN_NORMAL) || anySame && same[k]) {
                        int j = j0 + k;
                        double rr = si * sj[j];
                        double ck = same[k] ? 1 : cs[k];
                        double kv = ck * rr;
                        double tv = nt[k] * (siN * (sj[j] == 0 ? 1 : sj[j]));
                        if ((!normal(kv) || kv == 0 && ck != 0 && si != 0 && sj[j] != 0) && wantNngp) {
                            kv = entry(p, k, rx, i, ry, j, true, symmetric ? "x" : "y");
                        }
                        if ((!normal(tv) || tv == 0 && nt[k] != 0) && wantNtk) {
                            tv = entry(p, k, rx, i, ry, j, false, symmetric ? "x" : "y");
                        }
                        tileK[row + k] = kv;
                        tileT[row + k] = tv;
                    }
                }
                if (diagonalTile) {
                    for (int k = kFrom; k < n; k++) {
                        int mirror = k * TILE + (i - i0);
                        tileK[mirror] = tileK[row + k];
                        tileT[mirror] = tileT[row + k];
                    }
                }
            }
            // copy the tile out row by row (and its transpose for the lower triangle):
            // contiguous stores instead of one cache miss per mirrored entry
            if (wantNngp) {
                storeTile(tileK, nngp, flatNngp, n2, i0, i1, j0, j1, symmetric && !diagonalTile);
            }
            if (wantNtk) {
                storeTile(tileT, ntk, flatNtk, n2, i0, i1, j0, j1, symmetric && !diagonalTile);
            }
            return diagonalTile ? (long) (i1 - i0) * (i1 - i0 + 1) / 2 : (long) (i1 - i0) * (j1 - j0);
        }
    }

    /**
     * Stores a tile into the matrix, given as its rows ({@code m}) or as one row-major array
     * ({@code flat}, row i at offset i·stride): one code path for both, row i being the array
     * {@code flat} at offset i·stride or the array {@code m[i]} at offset 0.
     */
    private static void storeTile(double[] tile, double[][] m, double[] flat, int stride, int i0, int i1, int j0, int j1,
            boolean mirror) {
        final boolean rows = flat == null;
        int w = j1 - j0;
        for (int i = i0; i < i1; i++) {
            System.arraycopy(tile, (i - i0) * TILE, rows ? m[i] : flat, (rows ? 0 : i * stride) + j0, w);
        }
        if (mirror) {
            // the transpose in strips of 8 columns: each tile row's 8 entries are one cache line, and
            // the 8 matrix rows are written in order (column by column, every read of the tile was a
            // cache line of its own: a sixth of a depth-0 Gram's time)
            final int step = rows ? 0 : stride;
            int j = j0;
            for (; j + 7 < j1; j += 8) {
                double[] r0 = rows ? m[j] : flat;
                double[] r1 = rows ? m[j + 1] : flat;
                double[] r2 = rows ? m[j + 2] : flat;
                double[] r3 = rows ? m[j + 3] : flat;
                double[] r4 = rows ? m[j + 4] : flat;
                double[] r5 = rows ? m[j + 5] : flat;
                double[] r6 = rows ? m[j + 6] : flat;
                double[] r7 = rows ? m[j + 7] : flat;
                final int o0 = j * step;
                final int o1 = o0 + step;
                final int o2 = o1 + step;
                final int o3 = o2 + step;
                final int o4 = o3 + step;
                final int o5 = o4 + step;
                final int o6 = o5 + step;
                final int o7 = o6 + step;
                for (int i = i0; i < i1; i++) {
                    int at = (i - i0) * TILE + (j - j0);
                    r0[o0 + i] = tile[at];
                    r1[o1 + i] = tile[at + 1];
                    r2[o2 + i] = tile[at + 2];
                    r3[o3 + i] = tile[at + 3];
                    r4[o4 + i] = tile[at + 4];
                    r5[o5 + i] = tile[at + 5];
                    r6[o6 + i] = tile[at + 6];
                    r7[o7 + i] = tile[at + 7];
                }
            }
            for (; j < j1; j++) {
                double[] row = rows ? m[j] : flat;
                final int o = j * step;
                for (int i = i0; i < i1; i++) {
                    row[o + i] = tile[(i - i0) * TILE + (j - j0)];
                }
            }
        }
    }

    /** Whether a double is 0 or a normal finite double (no digits lost, nothing overflowed). */
    private static boolean normal(double v) {
        double a = Math.abs(v);
        return (a >= Double.MIN_NORMAL && a <= Double.MAX_VALUE) || v == 0;
    }

    /** Scale below which (or whose inverse above which) an entry is converted with care. */
    private static final int SAFE_EXPONENT = 500;
    /** Rows whose largest entry is within 2^±200 are used as they are; others are rescaled. */
    private static final int ROW_EXPONENT = 200;

    /**
     * A data set prepared for the recursion: the rows rescaled by powers of two where needed
     * (so their dot products neither overflow nor underflow), 1/‖row‖ of the rescaled rows, and
     * every layer's per-input rule ({@link Layer#mapRows}) from the input scales r = ‖x‖/√d.
     */
    /**
     * One input of {@link #pair} prepared (its per-layer rules, {@link #prepare}), from the cache
     * when the same values were prepared before. A new input is checked as {@link
     * DataChecks#vector} does; one found in the cache equals, entry for entry, one that was.
     */
    private Rows prepared(double[] x, String name) {
        if (x == null || x.length == 0) {
            DataChecks.vector(name, x);
        }
        return prepared.get(x, hash(x), name, this);
    }

    /**
     * The hash that picks an input's cache slots (a hit is confirmed by comparing every entry), so
     * it reads at most nine entries: hashing all of them cost as much as the dot product. Each
     * entry's bits rotated by its position and multiplied by an odd constant, summed: the
     * products are independent, so the hash waits on one multiplication, not nine in a chain.
     */
    private static long hash(double[] x) {
        final int step = Math.max(1, x.length >> 3);
        long h = x.length;
        for (int k = 0; k < x.length; k += step) {
            h += Long.rotateLeft(Double.doubleToRawLongBits(x[k]), k) * 0xBF58476D1CE4E5B9L;
        }
        return h;
    }

    /**
     * pair()'s cache of prepared inputs, keyed by their values (a copy is kept, so a caller
     * that changes an array in place gets a fresh preparation). Set-associative with two
     * choices: a hash of the values picks two sets of {@link #WAYS} entries, each searched by the
     * full hash first (kept in an array beside the entries, so a search reads one cache line) and
     * confirmed by comparing every value; a new entry goes to the front of the first set, or of
     * the second when only the first is full, and the least recently added one drops out of the
     * back. Entries are immutable and replaced whole, so readers need no lock (a race between two
     * writers can only drop or duplicate an entry).
     *
     * <p>Why: preparing an input (its scale at every layer, in {@link ScaledDouble}s) costs about
     * as much as two or three pair recursions, and a caller that goes pair by pair (an SVM in
     * another library) meets the same inputs again and again. Measured with {@code ntk4j bench
     * pair --depth 5 --d 100} (500 inputs, one thread): relu 4.6× and erf 19× a Gram entry's
     * amortised cost without it (see CHANGELOG for the figures with it). Sets of eight, not two:
     * with sets of two, 58 of that benchmark's 500 inputs fell in sets of three or more, which
     * evicted each other on every use (a third of a call's time went to preparing them again).
     * Two choices: with one, the sets that still drew nine or more of the 500 inputs missed on
     * 3.6 % of the calls, which cost 13 µs per call on average with tanh (a quadrature
     * activation's Mehler tables make a preparation about 250 µs), against none with two.
     *
     * <p>For the one-pair path ({@link NtkRecursion#pair}) an entry keeps its input in one array (values,
     * 1/‖x‖, scale, every layer's coefficients, d), which {@link #flat} finds from the hashes
     * beside it without reading the entry: JFR put most of a depth-0 call's time on that chain of
     * dependent loads (the input, the hashes, the entry, its key, the per-layer objects).
     *
     * <p>Size: at most {@link #BUDGET} bytes in all (estimated per entry from d, the depth and the
     * layers' own per-input tables),
     * and between 64 and 4,096 entries, allocated on the first pair() call.
     */
    private static final class PreparedInputs {
        static final long BUDGET = 16L << 20;
        /** Entries per set. */
        static final int WAYS = 8;
        private volatile Table table;
        /** Spare batches for pair(), one per slot, each slot on a cache line of its own. */
        final java.util.concurrent.atomic.AtomicReferenceArray<PairScratch> spares =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(SLOTS * SLOT_STRIDE);
        private static final int SLOTS = 8;
        private static final int SLOT_STRIDE = 16;

        /**
         * The calling thread's slot of {@link #spares}: threads whose ids differ modulo eight
         * take different slots, so that concurrent callers rarely find their slot empty.
         */
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same value
        static int slot() {
            return ((int) Thread.currentThread().getId() & (SLOTS - 1)) * SLOT_STRIDE;
        }

        /**
         * The entries and, beside them, their hashes (a set's hashes share a cache line) and their
         * {@link Rows#flat} arrays (null where there is none), which {@link #flat} reads without
         * going through the entry.
         */
        record Table(Entry[] slots, long[] hashes, double[][] flats, int[] ids, double[][] byId) {
        }

        /** Release stores and acquire loads of {@link Table#flats}' elements (safe publication). */
        private static final java.lang.invoke.VarHandle FLATS = java.lang.invoke.MethodHandles.arrayElementVarHandle(
                double[][].class);
        /**
         * Per slot ({@link #slot}, so that threads that keep calling write lines of their own):
         * identity lookups in the current window, hits among them, and lookups still to skip.
         * A window of {@link #WINDOW} lookups with fewer than a quarter hits pauses them for the
         * next {@link #PAUSE} inputs, which go by their values alone. Why: the identity hash of an
         * array that never had one is installed by a call into the JVM (System.identityHashCode),
         * so a caller that passes a fresh copy each time paid it on every call (measured: ReLU
         * depth 2, 390 against 245 ns per pair without the pause). Plain ints: a
         * race between threads of one slot only shifts a pause.
         */
        final int[] idStats = new int[SLOTS * SLOT_STRIDE];
        private static final int WINDOW = 256;
        private static final int PAUSE = 16384;

        /**
         * Where each layer's coefficients start in a {@link Rows#flat} array, after its d values
         * (the same for every input: set with the first one).
         */
        volatile int[] flatAt;

        /**
         * x's {@link Rows#flat} array if x was prepared before and has one (its first d entries
         * equal x, its last entry is d), else null (then {@link #get} decides). Looked for first by
         * the identity of the array x ({@link #byIdentity}), then by its values.
         */
        double[] flat(double[] x) {
            final Table t = table;
            if (t == null) {
                return null;
            }
            final int[] st = idStats;
            final int at = slot();
            if (st[at + 2] > 0) { // paused
                st[at + 2]--;
                return flat(x, hash(x));
            }
            if (++st[at] == WINDOW) {
                st[at + 2] = st[at + 1] < WINDOW / 4 ? PAUSE : 0;
                st[at] = 0;
                st[at + 1] = 0;
            }
            final int d = x.length;
            final int id = System.identityHashCode(x);
            final int[] ids = t.ids;
            final int s = id & (ids.length - 2);
            final int w = ids[s] == id ? s : s + 1; // no branch on the way: the two ways' hashes compared
            final double[] f = (double[]) FLATS.getAcquire(t.byId, w);
            if (f != null && f.length > d && f[f.length - 1] == d && java.util.Arrays.equals(f, 0, d, x, 0, d)) {
                st[at + 1]++;
                return f;
            }
            final double[] g = flat(x, hash(x));
            if (g != null) {
                remember(t, x, id, g);
            }
            return g;
        }

        /** Records that the array x holds the values of the flat array f ({@link #flat}). */
        void remember(double[] x, double[] f) {
            final Table t = table;
            if (t != null && idStats[slot() + 2] == 0) {
                remember(t, x, System.identityHashCode(x), f);
            }
        }

        /**
         * Into x's set of two in {@link Table#byId}: its own way if x's identity hash is there,
         * else the front way, whose entry moves to the back one.
         */
        private static void remember(Table t, double[] x, int id, double[] f) {
            final int[] ids = t.ids;
            final int s = id & (ids.length - 2);
            if (ids[s] != id) {
                ids[s + 1] = ids[s];
                FLATS.setRelease(t.byId, s + 1, FLATS.getAcquire(t.byId, s));
                ids[s] = id;
            }
            FLATS.setRelease(t.byId, s, f);
        }

        double[] flat(double[] x, long hash) {
            final Table t = table;
            if (t == null) {
                return null;
            }
            final long[] hs = t.hashes;
            final long m = hash * 0x9E3779B97F4A7C15L;
            final int set = (int) (m >>> 40) & (hs.length - WAYS);
            final int d = x.length;
            for (int w = set; w < set + WAYS; w++) {
                if (hs[w] == hash) {
                    final double[] f = (double[]) FLATS.getAcquire(t.flats, w);
                    if (f != null && f.length > d && f[f.length - 1] == d && java.util.Arrays.equals(f, 0, d, x, 0, d)) {
                        return f;
                    }
                }
            }
            return null;
        }

        /** A prepared input: its values are key[0 … d − 1] (and key may go on). */
        record Entry(double[] key, int d, Rows rows) {
        }

        Rows get(double[] x, long hash, String name, NtkRecursion engine) {
            Table t = table;
            if (t == null) {
                long perEntry = 64 + 16L * x.length + 256L * engine.layers.length;
                for (Layer layer : engine.layers) {
                    perEntry += layer.preparedBytes(1); // a quadrature activation's Mehler table
                }
                int n = Integer.highestOneBit((int) Math.max(64, Math.min(4096, BUDGET / perEntry)));
                t = new Table(new Entry[n], new long[n], new double[n][], new int[2 * n], new double[2 * n][]);
                table = t;
            }
            final Entry[] s = t.slots;
            final long[] hs = t.hashes;
            long m = hash * 0x9E3779B97F4A7C15L;
            int set = (int) (m >>> 40) & (s.length - WAYS); // slots set … set + WAYS − 1
            int alt = (int) (m >>> 14) & (s.length - WAYS); // the second choice
            Rows hit = find(s, hs, set, hash, x);
            if (hit == null && alt != set) {
                hit = find(s, hs, alt, hash, x);
            }
            if (hit != null) {
                return hit;
            }
            if (!Double.isFinite(InputProducts.maxAbs(x))) {
                DataChecks.vector(name, x); // throws: some entry is not finite
            }
            double[] key = x.clone();
            Rows rows = engine.prepare(new double[][] {engine.network.mapInput(key)}, Workers.serial());
            if (engine.onePairRules) {
                rows = flatten(rows, key, this);
                if (rows.flat != null) {
                    key = rows.flat; // the values first: one array to compare, read and keep
                }
            }
            // into the first set unless it is full and the second is not; the newest at the front
            // of the set, the least recently added out of its back
            int into = s[set + WAYS - 1] != null && s[alt + WAYS - 1] == null ? alt : set;
            System.arraycopy(s, into, s, into + 1, WAYS - 1);
            System.arraycopy(hs, into, hs, into + 1, WAYS - 1);
            for (int w = into + WAYS - 1; w > into; w--) {
                FLATS.setRelease(t.flats, w, FLATS.getAcquire(t.flats, w - 1));
            }
            s[into] = new Entry(key, x.length, rows);
            FLATS.setRelease(t.flats, into, rows.flat);
            hs[into] = hash;
            return rows;
        }

        /**
         * rows (one input, prepared) with its {@link Rows#flat} array for the one-pair path, or as
         * it is where that path does not serve the input: a row rescaled by a power of two or
         * mapped by the network's input map (the dot product reads the values as given), a layer
         * flagging the input for its careful path ({@link KernelRows#extreme}).
         */
        private static Rows flatten(Rows rows, double[] key, PreparedInputs cache) {
            if (rows.shift[0] != 0 || rows.v[0] != key) {
                return rows;
            }
            KernelRows[] ls = rows.layers;
            int d = key.length;
            int[] at = new int[ls.length];
            int size = d + 2;
            for (int l = 0; l < ls.length; l++) {
                if (ls[l].extreme != null && ls[l].extreme[0]) {
                    return rows;
                }
                at[l] = size;
                size += ls[l].coefficients.length;
            }
            double[] flat = new double[size + 1];
            System.arraycopy(key, 0, flat, 0, d);
            flat[size] = d;
            if (cache.flatAt == null) {
                int[] rel = new int[at.length];
                for (int l = 0; l < at.length; l++) {
                    rel[l] = at[l] - d;
                }
                cache.flatAt = rel;
            }
            flat[d] = rows.invNorm[0];
            flat[d + 1] = rows.scale[0];
            for (int l = 0; l < ls.length; l++) {
                double[][] co = ls[l].coefficients;
                for (int m = 0; m < co.length; m++) {
                    flat[at[l] + m] = co[m][0];
                }
            }
            return new Rows(rows.v, rows.shift, rows.invNorm, rows.layers, rows.scale, flat);
        }

        private static Rows find(Entry[] s, long[] hs, int set, long hash, double[] x) {
            for (int w = set; w < set + WAYS; w++) {
                if (hs[w] == hash) {
                    // the hash only chooses which entries to compare: a hash written by another
                    // thread beside an older entry just fails the comparison
                    Entry e = s[w];
                    if (e != null && e.d == x.length && java.util.Arrays.equals(e.key, 0, e.d, x, 0, x.length)) {
                        return e.rows;
                    }
                }
            }
            return null;
        }
    }

    private static final class Rows {
        final double[][] v;
        final int[] shift;
        final double[] invNorm;
        final KernelRows[] layers;
        /** Output scale r per row as a double, NaN where it is beyond 2^±500. */
        final double[] scale;
        /**
         * For pair()'s one-pair path, one input in one array ({@link PreparedInputs#flatten}): its d
         * values, 1/‖x‖, the output scale, every layer's coefficients (layer l's coefficient m at
         * d + {@link PreparedInputs#flatAt}[l] + m), then d; null where that path does not serve
         * the input.
         */
        final double[] flat;
        /** Whether some row is 0 (its {@link #invNorm} is 0). */
        final boolean zeroRows;

        Rows(double[][] v, int[] shift, double[] invNorm, KernelRows[] layers, double[] scale) {
            this(v, shift, invNorm, layers, scale, null);
        }

        Rows(double[][] v, int[] shift, double[] invNorm, KernelRows[] layers, double[] scale, double[] flat) {
            this.v = v;
            this.shift = shift;
            this.invNorm = invNorm;
            this.layers = layers;
            this.scale = scale;
            this.flat = flat;
            boolean z = false;
            for (double inv : invNorm) {
                z |= inv == 0;
            }
            this.zeroRows = z;
        }

        ScaledDouble outputScale(int i) {
            return layers[layers.length - 1].scaleOut[i];
        }

        /** The NTK scale of {@link KernelBatch#ntk}: the output scale, or 1 where it is 0. */
        ScaledDouble ntkScale(int i) {
            ScaledDouble r = outputScale(i);
            return r.isZero() ? ScaledDouble.ONE : r;
        }
    }

    /**
     * Heap the per-layer rows of {@link #prepare} take: per layer a {@code KernelRows} with its
     * arrays (about 128 bytes) and per input one scale and one coefficient (about 48 bytes); a
     * deep network (depth 10^6: about 1 GB) is refused before the layers are walked.
     *
     * @param layers layers of the network
     * @param n inputs
     * @return bytes, saturating
     */
    static long rowsBytes(long layers, long n) {
        return MemoryCheck.times(layers, MemoryCheck.plus(128, MemoryCheck.times(n, 48)));
    }

    private Rows prepare(double[][] x, Workers workers) {
        int n = x.length;
        int d = x[0].length;
        long rowsBytes = rowsBytes(layers.length, n);
        if (!MemoryCheck.fits(rowsBytes)) { // the message only when refused: pair() prepares on every cache miss
            MemoryCheck.require("the kernel recursion through " + layers.length + " layers for " + n + " input"
                    + (n == 1 ? "" : "s"), rowsBytes);
        }
        double[][] v = new double[n][];
        int[] shift = new int[n];
        double[] invNorm = new double[n];
        ScaledDouble[] scale = new ScaledDouble[n];
        double sqrtD = Math.sqrt(d);
        for (int i = 0; i < n; i++) {
            double m = InputProducts.maxAbs(x[i]);
            v[i] = x[i];
            if (m == 0) {
                scale[i] = ScaledDouble.ZERO;
                continue;
            }
            int e = Math.getExponent(m);
            if (e < -ROW_EXPONENT || e > ROW_EXPONENT) {
                shift[i] = e < Double.MIN_EXPONENT ? Math.getExponent(m * 0x1p54) - 54 : e;
                double[] row = new double[d];
                for (int k = 0; k < d; k++) {
                    row[k] = Math.scalb(x[i][k], -shift[i]);
                }
                v[i] = row;
            }
            double norm = Math.sqrt(InputProducts.dot(v[i], v[i], d));
            invNorm[i] = 1 / norm;
            scale[i] = ScaledDouble.of(norm / sqrtD, shift[i]);
        }
        KernelRows[] ls = new KernelRows[layers.length];
        ScaledDouble[] r = scale;
        for (int l = 0; l < layers.length; l++) {
            ls[l] = layers[l].mapRows(r, workers);
            r = ls[l].scaleOut;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            ScaledDouble s = r[i];
            out[i] = s.isZero() ? 0 : Math.abs(s.exponent()) < SAFE_EXPONENT ? s.doubleValue() : Double.NaN;
        }
        return new Rows(v, shift, invNorm, ls, out);
    }

    /**
     * One kernel value K = cos θ·r_x r_y or Θ = ratio·r_x r_y of pair k, multiplied out as
     * scaled doubles: the value, or a refusal when it is not a normal double.
     */
    private static double entry(KernelBatch p, int k, Rows rx, int i, Rows ry, int j, boolean nngp, String second) {
        double f = nngp ? (p.same[k] ? 1 : p.c[k]) : p.ntk[k];
        if (!Double.isFinite(f)) {
            throw Messages.notRepresentable(what(nngp, second, i, j), f);
        }
        ScaledDouble value = nngp ? rx.outputScale(i).multiply(ry.outputScale(j)).multiply(f)
                : rx.ntkScale(i).multiply(ry.ntkScale(j)).multiply(f);
        if (value.fitsDouble()) {
            return value.doubleValue();
        }
        throw value.exponent() > 0 ? Messages.beyondDouble(what(nngp, second, i, j), value.magnitude())
                : Messages.belowDouble(what(nngp, second, i, j), value.magnitude());
    }

    /**
     * The entry's name in a refusal (built only then: pair() calls {@link #entry} on every call):
     * K(x, y) for a pair, K(x[i], y[j]) for a matrix entry (0-based rows, as Java indexes them;
     * the second data set is x again in a Gram matrix).
     */
    private static String what(boolean nngp, String second, int i, int j) {
        return (nngp ? "the NNGP kernel K" : "the NTK Θ")
                + (second == null ? "(x, y)" : "(x[" + i + "], " + second + "[" + j + "])");
    }

    /**
     * The starting state of pair k of {@link #run} when the vectorised general rule does not serve
     * it: a zero input (the zero-pair convention of KernelBatch), the input itself, or a nearly
     * collinear pair (sin²θ from Lagrange's identity, without cancellation); cos θ clamped to
     * [−1, 1] (run's loop leaves a rounded value outside to this method).
     */
    private static void startPair(KernelBatch p, int k, double[] x, double ix, double iyj, Rows rx, int i, Rows ry, int j,
            boolean same) {
        if (ix == 0 || iyj == 0) {
            p.same[k] = same;
            p.c[k] = 0;
            p.v[k] = 1;
            p.s2[k] = 0;
            return;
        }
        double c = Math.min(Math.max(p.c[k], -1.0), 1.0);
        double v = 1 - c;
        double s2 = p.s2[k];
        if (same) {
            c = 1;
            v = 0;
            s2 = 0;
        } else {
            // s2 < CANCELLATION: nearly collinear, sin²θ from Lagrange's identity, without cancellation
            double[] y = ry.v[j];
            s2 = InputProducts.lagrange(x, y) * (ix * ix) * (iyj * iyj);
            same = s2 == 0 && c > 0 && rx.shift[i] == ry.shift[j] && java.util.Arrays.equals(x, y);
            if (same) {
                c = 1;
            }
            if (c > 0) {
                v = s2 / (1 + c);
            }
        }
        p.same[k] = same;
        p.c[k] = c;
        p.v[k] = v;
        p.s2[k] = s2;
    }

    /**
     * The fused chain for row X[i] against rows Y[j], jStart ≤ j &lt; jEnd, as one batch;
     * leaves the scale-free state (cos θ, sin²θ, Θ ratio) in p. dots[dotAt + k] holds the dot
     * product of the rescaled rows i and jStart + k. Column jStart + selfAt is X[i] itself (a Gram
     * diagonal entry; selfAt −1 when none is). lyFrom[l] holds layer l's rows of Y from jStart on
     * for the layers that read them at the batch's index ({@link TileRows}).
     *
     * @return whether a pair of the batch is an input with itself ({@link KernelBatch#same})
     */
    private boolean run(KernelBatch p, Rows rx, int i, Rows ry, int jStart, int jEnd, double[] dots, int dotAt,
            int selfAt, KernelRows[] lyFrom) {
        final double[] x = rx.v[i];
        final int n = jEnd - jStart;
        p.size = n;
        final double ix = rx.invNorm[i];
        final double[] iy = ry.invNorm;
        final double[] cs = p.c;
        final double[] vs = p.v;
        final double[] s2s = p.s2;
        // the general rule for every pair in a loop that C2 vectorises (the rows' inverse norms and
        // the dot products copied to the batch's index first, see KernelBatch#slice), then the pairs
        // it does not serve, found by one test per pair: zero inputs, the pair of an input with
        // itself, and nearly collinear pairs (sin²θ by Lagrange's identity)
        final double[] iyT = p.work5;
        System.arraycopy(iy, jStart, iyT, 0, n);
        double[] dd = dots;
        if (dotAt != 0) {
            dd = p.work6;
            System.arraycopy(dots, dotAt, dd, 0, n);
        }
        // (cos θ is not clamped to [−1, 1] here: a value outside, from rounding, has sin²θ below 0,
        // so startPair takes it and clamps it)
        for (int k = 0; k < n; k++) {
            final double c = dd[k] * ix * iyT[k];
            final double v = 1 - c;
            cs[k] = c;
            vs[k] = v;
            s2s[k] = v * (1 + c);
        }
        java.util.Arrays.fill(p.ntk, 0, n, 0.0);
        java.util.Arrays.fill(p.same, 0, n, false);
        java.util.Arrays.fill(p.rough, 0, n, false);
        boolean anySame = false;
        if (ix == 0 || ry.zeroRows) {
            for (int k = 0; k < n; k++) {
                if (s2s[k] < CANCELLATION | iyT[k] == 0 | k == selfAt | ix == 0) {
                    startPair(p, k, x, ix, iyT[k], rx, i, ry, jStart + k, k == selfAt);
                    anySame |= p.same[k];
                }
            }
        } else {
            // no zero rows: one test per pair (the four of the loop above cost a twelfth of a
            // depth-2 ReLU cross-Gram's time); the input itself after it, whatever its rounded sin²θ
            for (int k = 0; k < n; k++) {
                if (s2s[k] < CANCELLATION) {
                    startPair(p, k, x, ix, iyT[k], rx, i, ry, jStart + k, k == selfAt);
                    anySame |= p.same[k];
                }
            }
            if (selfAt >= 0 && !(s2s[selfAt] < CANCELLATION)) {
                startPair(p, selfAt, x, ix, iyT[selfAt], rx, i, ry, jStart + selfAt, true);
                anySame = true;
            }
        }
        final Layer[] ls = layers;
        final byte[] ks = kinds;
        final KernelRows[] lx = rx.layers;
        final KernelRows[] ly = ry.layers;
        final KernelRows[] lf = lyFrom;
        final double hidden = network.width() > 0 ? network.width() : Double.NaN;
        for (int l = 0; l < ls.length; l++) {
            p.fanIn = l == 0 ? x.length : hidden;
            // The rule is the layer's own; the switch only turns the call into a direct one
            // for the common final classes, so the JIT inlines it whatever else ran before.
            switch (ks[l]) {
                case DENSE:
                    ((Dense) ls[l]).mapPairs(p, lx[l], i, lf[l], 0);
                    break;
                case AB_RELU:
                    ((ABRelu) ls[l]).mapPairs(p, lx[l], i, lf[l], 0);
                    break;
                case ERF:
                    ((Erf) ls[l]).mapPairs(p, lx[l], i, lf[l], 0);
                    break;
                default:
                    ls[l].mapPairs(p, lx[l], i, ly[l], jStart);
            }
        }
        return anySame;
    }

    /**
     * Per worker: the rows of Y of the current tile's columns, copied to start at index 0 for the
     * layers whose pair loops vectorise when they read Y at the batch's own index (Dense, ABRelu,
     * Erf; see {@link KernelBatch#slice}); the other layers' entries are the full rows, which they
     * read from the tile's first column on.
     */
    private final class TileRows {
        final KernelRows[] full;
        final KernelRows[] rows;
        private int from = -1;

        TileRows(KernelRows[] full) {
            this.full = full;
            this.rows = new KernelRows[full.length];
            for (int l = 0; l < full.length; l++) {
                if (kinds[l] == OTHER) {
                    rows[l] = full[l];
                } else {
                    double[][] co = new double[full[l].coefficients.length][TILE];
                    rows[l] = new KernelRows(null, null, co, full[l].extreme == null ? null : new boolean[TILE]);
                }
            }
        }

        void fill(int j0, int j1) {
            if (j0 == from) {
                return;
            }
            from = j0;
            for (int l = 0; l < full.length; l++) {
                if (kinds[l] == OTHER) {
                    continue;
                }
                double[][] src = full[l].coefficients;
                double[][] dst = rows[l].coefficients;
                for (int m = 0; m < src.length; m++) {
                    System.arraycopy(src[m], j0, dst[m], 0, j1 - j0);
                }
                if (full[l].extreme != null) {
                    System.arraycopy(full[l].extreme, j0, rows[l].extreme, 0, j1 - j0);
                }
            }
        }
    }

    /** @return the network's spec */
    @Override
    public String describe() {
        return network.spec();
    }
}
