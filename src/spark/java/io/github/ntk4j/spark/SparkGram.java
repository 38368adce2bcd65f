package io.github.ntk4j.spark;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.KernelKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The Gram matrix K(X, Y) (or K(X, X)) on Spark, as a grid of blocks: the rows of X and of Y are
 * cut into blocks of consecutive rows within their partitions, every pair (row block of X,
 * row block of Y) is one element of their {@code cartesian} product, and the task holding it
 * computes K(X_i, Y_j) with the analytic engine ({@code NtkRecursion.cross}). The result is written
 * as Parquet, one record per block: {@code row_start, col_start, rows, cols, values} (the block
 * row-major), through Spark's output commit protocol, so a task that fails or is retried leaves
 * nothing behind and the directory appears only when the job has succeeded.
 */
public final class SparkGram {
    /** The Parquet schema of a block. */
    public static final StructType SCHEMA = new StructType()
            .add("row_start", DataTypes.LongType, false)
            .add("col_start", DataTypes.LongType, false)
            .add("rows", DataTypes.IntegerType, false)
            .add("cols", DataTypes.IntegerType, false)
            .add("values", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    private SparkGram() {
    }

    /**
     * What was written.
     *
     * @param rows rows of K (of X)
     * @param cols columns of K (rows of Y)
     * @param blocks blocks written
     */
    public record Summary(long rows, long cols, long blocks) {
    }

    /**
     * Computes K(X, Y) and writes it to {@code output}.
     *
     * @param spark the session
     * @param x rows of X in order
     * @param y rows of Y in order, or null for K(X, X)
     * @param source the kernel
     * @param kind NTK or NNGP
     * @param blockRows rows (and columns) per block, ≥ 1
     * @param output a directory that does not exist yet (any Hadoop file system URI)
     * @return what was written
     */
    public static Summary write(SparkSession spark, JavaRDD<double[]> x, JavaRDD<double[]> y, KernelSource source,
            KernelKind kind, int blockRows, String output) {
        if (blockRows < 1) {
            throw Messages.tooSmall("--block-rows", blockRows, 1);
        }
        JavaRDD<Blocks.RowBlock> rx = blocks(x, blockRows).cache();
        JavaRDD<Blocks.RowBlock> ry = y == null ? rx : blocks(y, blockRows).cache();
        try {
            long nx = rx.map(b -> (long) b.rows().length).fold(0L, Long::sum);
            long ny = y == null ? nx : ry.map(b -> (long) b.rows().length).fold(0L, Long::sum);
            int dx = rx.first().rows()[0].length;
            int dy = ry.first().rows()[0].length;
            if (dx != dy) {
                throw Messages.dimensionMismatch("the second inputs (columns)", dy, "the inputs (columns)", dx);
            }
            JavaRDD<Row> rows = rx.cartesian(ry).map(p -> block(p, source, kind));
            Dataset<Row> df = spark.createDataFrame(rows, SCHEMA);
            df.write().parquet(output);
            long blocks = rx.count() * ry.count();
            return new Summary(nx, ny, blocks);
        } finally {
            rx.unpersist(false);
            ry.unpersist(false);
        }
    }

    private static Row block(Tuple2<Blocks.RowBlock, Blocks.RowBlock> p, KernelSource source, KernelKind kind) {
        double[][] a = p._1().rows();
        double[][] b = p._2().rows();
        double[][] k = source.get().cross(a, b, kind);
        return RowFactory.create(p._1().start(), p._2().start(), a.length, b.length, Blocks.flat(k, b.length));
    }

    /**
     * Rows grouped into blocks of consecutive rows, each with the number of its first row.
     *
     * @param x rows in order
     * @param blockRows rows per block
     * @return the blocks
     */
    static JavaRDD<Blocks.RowBlock> blocks(JavaRDD<double[]> x, int blockRows) {
        return x.zipWithIndex().mapPartitions(it -> Blocks.grouped(it, blockRows, g -> {
            double[][] rows = new double[g.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = g.get(i)._1();
            }
            return new Blocks.RowBlock(g.get(0)._2(), rows);
        }));
    }

    /**
     * Reads a written Gram matrix back onto the driver.
     *
     * @param spark the session
     * @param output the directory
     * @return K
     */
    public static double[][] read(SparkSession spark, String output) {
        List<Row> blocks = spark.read().parquet(output).collectAsList();
        long n = 0;
        long m = 0;
        for (Row r : blocks) {
            n = Math.max(n, r.getLong(0) + r.getInt(2));
            m = Math.max(m, r.getLong(1) + r.getInt(3));
        }
        if (n * m > Integer.MAX_VALUE - 8) {
            throw Messages.invalid("a Gram matrix of " + n + " × " + m + " does not fit one Java array");
        }
        double[][] k = new double[(int) n][(int) m];
        for (Row r : blocks) {
            int r0 = (int) r.getLong(0);
            int c0 = (int) r.getLong(1);
            int rows = r.getInt(2);
            int cols = r.getInt(3);
            List<Double> v = r.getList(4);
            List<Double> vals = new ArrayList<>(v);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    k[r0 + i][c0 + j] = vals.get(i * cols + j);
                }
            }
        }
        return k;
    }
}
