package io.github.ntk4j.spark;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * FALKON ({@link FalkonRegressor}) with the training rows on a Spark cluster. The driver draws
 * the centres ({@link FalkonRegressor#centreIndices}, so the same rows as on one machine), builds
 * the M×M preconditioner and runs the conjugate gradient ({@link FalkonRegressor#solve}); the
 * two sums over the rows that it needs, G_nMᵀY once and G_nMᵀ(G_nM u) per iteration, are each one
 * {@code treeAggregate} over slices of consecutive rows of every partition, each slice adding
 * {@link FalkonRegressor#sliceProduct} of its kernel block G(X_b, C), computed by the task from
 * the broadcast centres. The kernel blocks are cached in executor memory where they fit
 * (MEMORY_ONLY: a block that does not fit is recomputed from its rows each iteration, as the
 * single-machine solver does with the slices beyond half its heap), and a lost executor's blocks
 * are recomputed by Spark from the lineage.
 */
public final class SparkFalkon {
    /** Kernel entries per slice (b·M), as in {@link FalkonRegressor}: 64 MB of doubles. */
    static final long SLICE_ENTRIES = 8_000_000L;

    private SparkFalkon() {
    }

    /**
     * One training row.
     *
     * @param index the row's number in the data set, 0-based (the centres are drawn by number)
     * @param x features
     * @param y targets
     */
    public record Example(long index, double[] x, double[] y) implements Serializable {
    }

    /** A slice of rows with its kernel block G(X_b, C), b×M row-major, and targets b×k column-major. */
    record KernelSlice(int rows, double[] kernel, double[] y) implements Serializable {
    }

    /**
     * The fitted model: the centres and α on the driver.
     *
     * @param source the kernel
     * @param kind NTK or NNGP
     * @param centres the M centres
     * @param alpha M×k, column-major
     * @param k outputs
     * @param iterations conjugate-gradient iterations run
     * @param residual the largest final relative preconditioned residual
     * @param rows training rows n
     * @param secondsPerProduct wall seconds of each G_nMᵀ(G_nM u) aggregation, in order (the first
     *        includes the kernel blocks' computation and caching)
     * @param targetSeconds wall seconds of G_nMᵀY (computes the kernel blocks)
     */
    public record Model(KernelSource source, KernelKind kind, double[][] centres, double[] alpha, int k, int iterations,
            double residual, long rows, double[] secondsPerProduct, double targetSeconds) implements Serializable {

        /**
         * Predictions G(X*, C) α, computed where the rows are, partition by partition (the order kept).
         *
         * @param sc the context
         * @param x test inputs
         * @return one k-vector per input
         */
        public JavaRDD<double[]> predict(JavaSparkContext sc, JavaRDD<double[]> x) {
            Broadcast<Model> b = sc.broadcast(this);
            int m = centres.length;
            int sliceRows = (int) Math.max(1, SLICE_ENTRIES / m);
            return x.mapPartitions(it -> {
                Model mod = b.value();
                List<double[]> out = new ArrayList<>();
                Blocks.grouped(it, sliceRows, g -> g).forEachRemaining(g -> out.addAll(mod.predictLocal(
                        g.toArray(new double[0][]), mod.source().get())));
                return out.iterator();
            });
        }

        /**
         * Predictions on this JVM.
         *
         * @param x inputs
         * @param engine the kernel engine
         * @return one k-vector per input
         */
        public List<double[]> predictLocal(double[][] x, KernelFunction engine) {
            if (x.length == 0) {
                return Collections.emptyList();
            }
            int m = centres.length;
            double[][] g = engine.cross(x, centres, kind);
            List<double[]> out = new ArrayList<>(x.length);
            for (double[] row : g) {
                double[] p = new double[k];
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += row[j] * alpha[c * m + j];
                    }
                    p[c] = s;
                }
                out.add(p);
            }
            return out;
        }

        /** @return mean seconds per conjugate-gradient product after the first (cached kernel blocks) */
        public double secondsPerIteration() {
            int n = secondsPerProduct.length;
            if (n < 2) {
                return n == 1 ? secondsPerProduct[0] : Double.NaN;
            }
            double s = 0;
            for (int i = 1; i < n; i++) {
                s += secondsPerProduct[i];
            }
            return s / (n - 1);
        }
    }

    /**
     * Fits FALKON on the rows of {@code data}, as {@link FalkonRegressor#fit} does on one machine.
     *
     * @param sc the context
     * @param data the training rows, numbered 0..n−1 (every number once)
     * @param source the kernel
     * @param kind NTK or NNGP
     * @param m centres, 1 ≤ m ≤ n
     * @param diagReg r &gt; 0 (λ = r/n)
     * @param maxIterations conjugate-gradient iterations at most
     * @param tolerance relative preconditioned residual at which to stop
     * @param seed the seed of the centre draw
     * @param driverThreads threads for the driver's M×M work
     * @return the model
     */
    public static Model fit(JavaSparkContext sc, JavaRDD<Example> data, KernelSource source, KernelKind kind, int m,
            double diagReg, int maxIterations, double tolerance, long seed, int driverThreads) {
        data = data.persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<KernelSlice> slices = null;
        try {
            long n = data.count();
            if (n == 0) {
                throw Messages.invalid("the training data has no rows");
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw Messages.invalid("the Spark FALKON draws its centres as the single-machine solver does, from at most "
                        + (Integer.MAX_VALUE - 8) + " rows; got " + n);
            }
            Example first = data.first();
            int k = first.y().length;
            int d = first.x().length;
            int[] drawn = FalkonRegressor.centreIndices((int) n, m, seed);
            Map<Long, Integer> position = new HashMap<>();
            for (int i = 0; i < drawn.length; i++) {
                position.put((long) drawn[i], i);
            }
            double[][] centres = new double[m][];
            for (Example e : data.filter(e -> position.containsKey(e.index())).collect()) {
                centres[position.get(e.index())] = e.x().clone();
            }
            for (int i = 0; i < m; i++) {
                if (centres[i] == null) {
                    throw Messages.invalid("row " + drawn[i] + " (a centre) is missing: the rows must be numbered 0.."
                            + (n - 1) + " once each");
                }
                if (centres[i].length != d) {
                    throw Messages.dimensionMismatch("row " + (drawn[i] + 1) + " (features)", centres[i].length,
                            "the first row (features)", d);
                }
            }
            Broadcast<double[][]> bc = sc.broadcast(centres);
            int sliceRows = (int) Math.max(1, SLICE_ENTRIES / m);
            slices = data.mapPartitions(it -> {
                double[][] c = bc.value();
                // the centres prepared once per partition, not once per slice
                KernelFunction.Against eng = source.get().against(c, kind);
                return Blocks.grouped(it, sliceRows, g -> {
                    int rows = g.size();
                    double[][] xb = new double[rows][];
                    double[] yb = new double[rows * k];
                    for (int i = 0; i < rows; i++) {
                        Example e = g.get(i);
                        if (e.x().length != d || e.y().length != k) {
                            throw Messages.dimensionMismatch("row " + (e.index() + 1) + " (features, targets)",
                                    e.x().length + e.y().length, "the first row", d + k);
                        }
                        xb[i] = e.x();
                        for (int c2 = 0; c2 < k; c2++) {
                            yb[c2 * rows + i] = e.y()[c2];
                        }
                    }
                    return new KernelSlice(rows, Blocks.flat(eng.cross(xb, new double[rows][c.length]), c.length), yb);
                });
            }).persist(StorageLevel.MEMORY_ONLY());
            final JavaRDD<KernelSlice> ks = slices;
            List<Double> seconds = new ArrayList<>();
            double[] targetSeconds = new double[1];
            FalkonRegressor.Products products = new FalkonRegressor.Products() {
                @Override
                public double[] targets() {
                    long t0 = System.nanoTime();
                    double[] r = ks.treeAggregate(new double[m * k],
                            (acc, s) -> Blocks.addInto(acc, FalkonRegressor.sliceProduct(s.kernel(), s.rows(), m, null, s.y(), k)),
                            Blocks::addInto);
                    targetSeconds[0] = (System.nanoTime() - t0) * 1e-9;
                    return r;
                }

                @Override
                public double[] gram(double[] u) {
                    long t0 = System.nanoTime();
                    double[] r = ks.treeAggregate(new double[m * k],
                            (acc, s) -> Blocks.addInto(acc, FalkonRegressor.sliceProduct(s.kernel(), s.rows(), m, u, null, k)),
                            Blocks::addInto);
                    seconds.add((System.nanoTime() - t0) * 1e-9);
                    return r;
                }
            };
            FalkonRegressor fr = FalkonRegressor.solve(source.driver(driverThreads), kind, centres, n, k, diagReg, maxIterations,
                    tolerance, products);
            bc.destroy();
            return new Model(source, kind, centres, fr.coefficients(), k, fr.iterations(), fr.relativeResidual(), n,
                    seconds.stream().mapToDouble(Double::doubleValue).toArray(), targetSeconds[0]);
        } finally {
            if (slices != null) {
                slices.unpersist(false);
            }
            data.unpersist(false);
        }
    }
}
