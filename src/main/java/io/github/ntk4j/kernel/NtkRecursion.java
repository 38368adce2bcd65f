package io.github.ntk4j.kernel;

import io.github.ntk4j.math.DataChecks;
import io.github.ntk4j.math.KernelBatch;
import io.github.ntk4j.math.Vectors;
import io.github.ntk4j.math.Workers;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.KernelValue;

import io.github.ntk4j.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.net.ABRelu;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Erf;
import io.github.ntk4j.net.Layer;
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
 * x stands for γ(x) and d for its length). Each layer then maps (Σxx, Σxy, Σyy, D, E, Θ) by its own rule
 * ({@link Layer#mapPairs}); D = ΣxxΣyy − Σxy² and E = Σxx + Σyy − 2Σxy are carried without
 * cancellation so that collinear and nearly collinear pairs (the diagonal of every Gram
 * matrix, every pair when d = 1) keep full precision (docs/KERNEL-RECURSION.md §5). Standard-parameterisation
 * Dense layers read their base fan-in from the batch: d for the first layer, the network's
 * hidden width for the others. At the input, D is
 * taken from Lagrange's identity Σ_{i&lt;j}(x_i y_j − x_j y_i)²/d² (each 2×2 determinant with
 * Kahan's FMA algorithm) and E from ‖x − y‖²/d whenever the plain formula would cancel.
 *
 * <p>Speed: each input's per-layer variances Σxx, and whatever a layer wants per input
 * ({@link Layer#prepare}: the quadrature activations' Hermite coefficients), are computed once; each pair then runs its
 * own allocation-free chain. Gram matrices compute the upper triangle only, in 64×64 tiles
 * handed out dynamically to {@link #withThreads threads} workers; the tiles' dot products use
 * a register-blocked kernel.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class NtkRecursion {
    private static final int TILE = 64;
    /** Relative size of D (or E) below which the plain formula would lose digits. */
    private static final double CANCELLATION = 1e-3;

    private final Network network;
    private final Layer[] layers;
    private final byte[] kinds;
    private static final byte OTHER = 0;
    private static final byte DENSE = 1;
    private static final byte AB_RELU = 2;
    private static final byte ERF = 3;
    private final int threads;
    private final Progress progress;

    private NtkRecursion(Network network, int threads, Progress progress) {
        this.network = network;
        this.layers = network.layers().toArray(new Layer[0]);
        this.kinds = new byte[layers.length];
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            kinds[l] = layer instanceof Dense ? DENSE : layer instanceof ABRelu ? AB_RELU : layer instanceof Erf ? ERF : OTHER;
        }
        this.threads = threads;
        this.progress = progress;
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
    public NtkRecursion withThreads(int threads) {
        if (threads < 1) {
            throw Messages.tooSmall("threads", threads, 1);
        }
        if (threads > 1024) {
            throw Messages.tooLarge("threads", threads, 1024);
        }
        return new NtkRecursion(network, threads, progress);
    }

    /**
     * @param listener receives (entries done, entries in all) while a Gram matrix is computed
     * @return a copy of this engine reporting to {@code listener}
     */
    public NtkRecursion withProgress(Progress listener) {
        return new NtkRecursion(network, threads, listener == null ? Progress.NONE : listener);
    }

    /** @return the network */
    public Network network() {
        return network;
    }

    /** @return the worker thread count */
    public int threads() {
        return threads;
    }

    /**
     * NNGP and NTK of one pair of inputs.
     *
     * @param x first input (length d ≥ 1, finite)
     * @param y second input (length d)
     * @return K(x, y) and Θ(x, y)
     */
    public KernelValue pair(double[] x, double[] y) {
        DataChecks.vector("x", x);
        DataChecks.vector("y", y);
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        x = network.mapInput(x);
        y = network.mapInput(y);
        double[][] vx = variances(new double[][] {x});
        double[][] vy = variances(new double[][] {y});
        KernelBatch p = new KernelBatch(1);
        run(p, x, new double[][] {y}, 0, 1, new double[] {InputProducts.dot(x, y, x.length)}, 0, vx, 0, vy, false, null, null);
        return new KernelValue(p.kxy[0], p.ntk[0]);
    }

    /**
     * Both Gram matrices K(X, X) and Θ(X, X).
     *
     * @param x the data set, N rows of dimension d
     * @return N×N symmetric matrices
     */
    public GramMatrices gram(double[][] x) {
        return compute(x, null, true, true);
    }

    /**
     * One Gram matrix.
     *
     * @param x the data set, N rows of dimension d
     * @param kind which kernel
     * @return the N×N symmetric matrix
     */
    public double[][] gram(double[][] x, KernelKind kind) {
        return compute(x, null, kind == KernelKind.NNGP, kind == KernelKind.NTK).get(kind);
    }

    /**
     * Both cross-Gram matrices K(X, Y) and Θ(X, Y).
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @return N1×N2 matrices
     */
    public GramMatrices cross(double[][] x, double[][] y) {
        return compute(x, y, true, true);
    }

    /**
     * One cross-Gram matrix.
     *
     * @param x N1 rows of dimension d
     * @param y N2 rows of dimension d
     * @param kind which kernel
     * @return the N1×N2 matrix
     */
    public double[][] cross(double[][] x, double[][] y, KernelKind kind) {
        return compute(x, y, kind == KernelKind.NNGP, kind == KernelKind.NTK).get(kind);
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
        return io.github.ntk4j.MemoryCheck.times(kernels, io.github.ntk4j.MemoryCheck.doubles(rows, cols));
    }

    private GramMatrices compute(double[][] rawX, double[][] rawY, boolean wantNngp, boolean wantNtk) {
        final boolean symmetric = rawY == null;
        final int rawD = DataChecks.dataSet(symmetric ? "data set" : "first data set", rawX);
        if (!symmetric) {
            int d2 = DataChecks.dataSet("second data set", rawY);
            if (d2 != rawD) {
                throw Messages.dimensionMismatch("the first data set's rows", rawD, "the second's", d2);
            }
        }
        final double[][] x = network.mapInputs(rawX);
        final double[][] y = symmetric ? x : network.mapInputs(rawY);
        final int d = x[0].length;
        final int n1 = x.length;
        final int n2 = y.length;
        int kernels = (wantNngp ? 1 : 0) + (wantNtk ? 1 : 0);
        long need = resultBytes(n1, n2, kernels);
        for (Layer layer : layers) {
            need += layer.preparedBytes(n1) + (symmetric ? 0 : layer.preparedBytes(n2));
        }
        io.github.ntk4j.MemoryCheck.require("a " + n1 + "×" + n2 + " kernel matrix" + (kernels > 1 ? " (both kernels)" : ""),
                need);
        final double[][] nngp = wantNngp ? new double[n1][n2] : null;
        final double[][] ntk = wantNtk ? new double[n1][n2] : null;
        final double[][] vx = variances(x);
        final double[][] vy = symmetric ? vx : variances(y);
        final Object[] sx = prepare(vx);
        final Object[] sy = symmetric ? sx : prepare(vy);

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
            KernelBatch p = new KernelBatch(TILE);
            double[][] dots = new double[TILE][TILE];
            double[][] yT = new double[d][TILE];
            double[] tileK = new double[TILE * TILE];
            double[] tileT = new double[TILE * TILE];
            int t;
            while ((t = next.getAndIncrement()) < tiles.size()) {
                int i0 = tiles.get(t)[0] * TILE;
                int j0 = tiles.get(t)[1] * TILE;
                int i1 = Math.min(i0 + TILE, n1);
                int j1 = Math.min(j0 + TILE, n2);
                boolean diagonalTile = symmetric && i0 == j0;
                InputProducts.dotTile(x, y, i0, i1, j0, j1, d, yT, dots);
                for (int i = i0; i < i1; i++) {
                    int jStart = diagonalTile ? i : j0;
                    int row = (i - i0) * TILE;
                    // one batch: row i against columns jStart..j1 (the first is i itself on a diagonal tile)
                    run(p, x[i], y, jStart, j1, dots[i - i0], jStart - j0, vx, i, vy, diagonalTile, sx, sy);
                    for (int k = 0; k < p.size; k++) {
                        int j = jStart + k;
                        tileK[row + (j - j0)] = p.kxy[k];
                        tileT[row + (j - j0)] = p.ntk[k];
                        if (diagonalTile) {
                            int mirror = (j - j0) * TILE + (i - i0);
                            tileK[mirror] = p.kxy[k];
                            tileT[mirror] = p.ntk[k];
                        }
                    }
                }
                // copy the tile out row by row (and its transpose for the lower triangle):
                // contiguous stores instead of one cache miss per mirrored entry
                if (nngp != null) {
                    storeTile(tileK, nngp, i0, i1, j0, j1, symmetric && !diagonalTile);
                }
                if (ntk != null) {
                    storeTile(tileT, ntk, i0, i1, j0, j1, symmetric && !diagonalTile);
                }
                long count = diagonalTile ? (long) (i1 - i0) * (i1 - i0 + 1) / 2 : (long) (i1 - i0) * (j1 - j0);
                progress.update(done.addAndGet(count), total);
            }
        };
        int nThreads = Math.min(threads, tiles.size());
        // each worker takes tiles from the shared counter until none is left
        try (Workers workers = new Workers(Math.max(1, nThreads))) {
            workers.forEach(nThreads, k -> worker.run());
        }
        return new GramMatrices(nngp, ntk);
    }

    private static void storeTile(double[] tile, double[][] m, int i0, int i1, int j0, int j1, boolean mirror) {
        int w = j1 - j0;
        for (int i = i0; i < i1; i++) {
            System.arraycopy(tile, (i - i0) * TILE, m[i], j0, w);
        }
        if (mirror) {
            for (int j = j0; j < j1; j++) {
                double[] row = m[j];
                for (int i = i0; i < i1; i++) {
                    row[i] = tile[(i - i0) * TILE + (j - j0)];
                }
            }
        }
    }

    /** Per-layer input variances: v[l][i] = Σxx of row i at the input of layer l (l = 0..L). */
    private double[][] variances(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] v = new double[layers.length + 1][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = InputProducts.dot(x[i], x[i], d) / d;
        }
        for (int l = 0; l < layers.length; l++) {
            for (int i = 0; i < n; i++) {
                v[l + 1][i] = layers[l].mapVariance(v[l][i]);
            }
        }
        return v;
    }

    /** Each layer's per-input state for a data set with per-layer variances v ({@link Layer#prepare}). */
    private Object[] prepare(double[][] v) {
        Object[] s = new Object[layers.length];
        try (Workers workers = new Workers(Math.max(1, Math.min(threads, v[0].length / 64)))) {
            for (int l = 0; l < layers.length; l++) {
                s[l] = layers[l].prepare(v[l], workers);
            }
        }
        return s;
    }

    /**
     * The fused chain for row x = X[i] against columns y[j], jStart ≤ j &lt; jEnd, as one batch;
     * leaves K in p.kxy and Θ in p.ntk (index j − jStart). dots[dotAt + k] holds x·y[jStart + k].
     * With firstIsSelf the first column is x itself (a Gram diagonal entry). sx and sy hold each
     * layer's per-input state for the data sets of x and y ({@link Layer#prepare}), or are null.
     */
    private void run(KernelBatch p, double[] x, double[][] y, int jStart, int jEnd, double[] dots, int dotAt,
            double[][] vx, int i, double[][] vy, boolean firstIsSelf, Object[] sx, Object[] sy) {
        final int d = x.length;
        final int n = jEnd - jStart;
        p.size = n;
        final double kxx = vx[0][i];
        for (int k = 0; k < n; k++) {
            final int j = jStart + k;
            final double kyy = vy[0][j];
            boolean same = firstIsSelf && k == 0;
            final double kxy = dots[dotAt + k] / d;
            double e = 0;
            if (!same) {
                e = kxx + kyy - 2 * kxy;
                if (e < CANCELLATION * (kxx + kyy)) {
                    e = InputProducts.squaredDistance(x, y[j]) / d;
                    same = e == 0; // equal vectors in different rows
                }
            }
            p.same[k] = same;
            p.ntk[k] = 0;
            if (same) {
                p.kxy[k] = kxx;
                p.d[k] = 0;
                p.e[k] = 0;
            } else {
                double prod = kxx * kyy;
                double dd = prod - kxy * kxy;
                if (dd < CANCELLATION * prod) {
                    dd = InputProducts.lagrange(x, y[j]) / ((double) d * d);
                }
                p.kxy[k] = kxy;
                p.d[k] = dd;
                p.e[k] = e;
            }
        }
        final Layer[] ls = layers;
        final byte[] ks = kinds;
        final double hidden = network.width() > 0 ? network.width() : Double.NaN;
        for (int l = 0; l < ls.length; l++) {
            p.fanIn = l == 0 ? d : hidden;
            p.preparedX = sx == null ? null : sx[l];
            p.preparedY = sy == null ? null : sy[l];
            p.row = i;
            p.column0 = jStart;
            java.util.Arrays.fill(p.kxx, 0, n, vx[l][i]);
            java.util.Arrays.fill(p.kxxOut, 0, n, vx[l + 1][i]);
            System.arraycopy(vy[l], jStart, p.kyy, 0, n);
            System.arraycopy(vy[l + 1], jStart, p.kyyOut, 0, n);
            // The rule is the layer's own; the switch only turns the call into a direct one
            // for the common final classes, so the JIT inlines it whatever else ran before.
            switch (ks[l]) {
                case DENSE:
                    ((Dense) ls[l]).mapPairs(p);
                    break;
                case AB_RELU:
                    ((ABRelu) ls[l]).mapPairs(p);
                    break;
                case ERF:
                    ((Erf) ls[l]).mapPairs(p);
                    break;
                default:
                    ls[l].mapPairs(p);
            }
        }
    }
}
