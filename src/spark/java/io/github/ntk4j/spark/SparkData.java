package io.github.ntk4j.spark;

import io.github.ntk4j.internal.Messages;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Input rows through Spark's readers: CSV text ({@code textFile}, comma- or space-separated,
 * {@code .gz} decompressed by Hadoop's codec), Parquet (every column numeric) and IDX
 * ({@code .idx3-ubyte} images as rows of pixel values, {@code .idx1-ubyte} labels; gzipped or
 * not; {@code binaryFiles}). The rows keep the file's order (row numbers by {@code zipWithIndex}).
 */
public final class SparkData {
    private SparkData() {
    }

    /** A row with its label text. */
    public record Labelled(double[] x, String label) implements java.io.Serializable {
    }

    /**
     * Numeric rows of a file.
     *
     * @param spark the session
     * @param path CSV, Parquet (.parquet or a directory) or IDX file
     * @param header skip the first line of a CSV file
     * @param partitions minimum partitions (0: Spark's default)
     * @return the rows in order
     */
    public static JavaRDD<double[]> rows(SparkSession spark, String path, boolean header, int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (isIdx(path)) {
            return idx(sc, path, partitions).map(t -> t);
        }
        if (isParquet(path)) {
            return spark.read().parquet(path).javaRDD().map(SparkData::numeric);
        }
        JavaRDD<String> lines = partitions > 0 ? sc.textFile(path, partitions) : sc.textFile(path);
        final String file = path;
        return lines.zipWithIndex().filter(t -> !(header && t._2() == 0) && !t._1().isBlank())
                .map(t -> parse(file, t._1(), t._2() + 1));
    }

    /**
     * Labelled rows: features and the label column of a CSV file (the last, the first or a
     * 1-based number), or of a Parquet file (last column).
     *
     * @param spark the session
     * @param path the file
     * @param header skip the first line
     * @param labelColumn last, first or K
     * @param partitions minimum partitions (0: default)
     * @return rows in order
     */
    public static JavaRDD<Labelled> labelled(SparkSession spark, String path, boolean header, String labelColumn,
            int partitions) {
        final String lc = labelColumn;
        if (isParquet(path)) {
            return rows(spark, path, header, partitions).map(r -> split(path, r, lc));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = partitions > 0 ? sc.textFile(path, partitions) : sc.textFile(path);
        return lines.zipWithIndex().filter(t -> !(header && t._2() == 0) && !t._1().isBlank()).map(t -> {
            String[] f = t._1().strip().split("\\s*,\\s*|\\s+");
            int c = labelIndex(path, lc, f.length);
            double[] x = new double[f.length - 1];
            for (int j = 0, o = 0; j < f.length; j++) {
                if (j != c) {
                    x[o++] = number(path, f[j], t._2() + 1, j + 1);
                }
            }
            return new Labelled(x, f[c]);
        });
    }

    private static int labelIndex(String path, String lc, int columns) {
        if (columns < 2) {
            throw Messages.invalid(path + ": a labelled row needs at least one feature and the label, got " + columns
                    + " column" + (columns == 1 ? "" : "s"));
        }
        int c;
        try {
            c = lc.equals("last") ? columns - 1 : lc.equals("first") ? 0 : Integer.parseInt(lc) - 1;
        } catch (NumberFormatException e) {
            throw Messages.badOption("--label-column", "'" + lc + "' is not last, first or a column number");
        }
        if (c < 0 || c >= columns) {
            throw Messages.invalid("--label-column " + lc + " is outside the " + columns + " columns of " + path);
        }
        return c;
    }

    private static Labelled split(String path, double[] r, String lc) {
        int c = labelIndex(path, lc, r.length);
        double[] x = new double[r.length - 1];
        for (int j = 0, o = 0; j < r.length; j++) {
            if (j != c) {
                x[o++] = r[j];
            }
        }
        double v = r[c];
        String label = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        return new Labelled(x, label);
    }

    /**
     * Rows to predict: the features, with or without the label column (dropped, whatever its text).
     *
     * @param spark the session
     * @param path CSV, Parquet or IDX file
     * @param header skip the first line of a CSV file
     * @param features the training features d
     * @param labelColumn last, first or K
     * @param partitions minimum partitions (0: default)
     * @return rows of d features, in order
     */
    public static JavaRDD<double[]> featureRows(SparkSession spark, String path, boolean header, int features,
            String labelColumn, int partitions) {
        if (isIdx(path) || isParquet(path)) {
            return rows(spark, path, header, partitions);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = partitions > 0 ? sc.textFile(path, partitions) : sc.textFile(path);
        final String lc = labelColumn;
        return lines.zipWithIndex().filter(t -> !(header && t._2() == 0) && !t._1().isBlank()).map(t -> {
            String[] f = t._1().strip().split("\\s*,\\s*|\\s+");
            int skip = f.length == features + 1 ? labelIndex(path, lc, f.length) : -1;
            if (skip < 0 && f.length != features) {
                throw Messages.dimensionMismatch(path + ", line " + (t._2() + 1) + " (columns)", f.length,
                        "the training features", features);
            }
            double[] x = new double[features];
            for (int j = 0, o = 0; j < f.length; j++) {
                if (j != skip) {
                    x[o++] = number(path, f[j], t._2() + 1, j + 1);
                }
            }
            return x;
        });
    }

    /**
     * Labelled rows from an IDX image file and an IDX label file of the same count.
     *
     * @param spark the session
     * @param images .idx3-ubyte (gzipped or not)
     * @param labels .idx1-ubyte (gzipped or not)
     * @param partitions partitions (0: default)
     * @return rows in order
     */
    public static JavaRDD<Labelled> idxLabelled(SparkSession spark, String images, String labels, int partitions) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<double[]> x = idx(sc, images, partitions);
        List<double[]> y = idx(sc, labels, 1).collect();
        long n = x.count();
        if (y.size() != n) {
            throw Messages.dimensionMismatch(labels + " (labels)", y.size(), images + " (images)", (int) Math.min(n,
                    Integer.MAX_VALUE));
        }
        String[] lab = new String[y.size()];
        for (int i = 0; i < lab.length; i++) {
            if (y.get(i).length != 1) {
                throw Messages.invalid(labels + ": not a label file (" + y.get(i).length + " values per item)");
            }
            lab[i] = Long.toString((long) y.get(i)[0]);
        }
        var b = sc.broadcast(lab);
        return x.zipWithIndex().map(t -> new Labelled(t._1(), b.value()[(int) (long) t._2()]));
    }

    static boolean isIdx(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.contains("-ubyte") || p.endsWith(".idx") || p.endsWith(".idx.gz");
    }

    static boolean isParquet(String path) {
        String p = path.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".parquet") || new java.io.File(path).isDirectory();
    }

    private static double[] numeric(Row r) {
        double[] out = new double[r.length()];
        for (int j = 0; j < out.length; j++) {
            Object o = r.get(j);
            if (!(o instanceof Number num)) {
                throw Messages.invalid("Parquet column " + r.schema().fields()[j].name() + " is not numeric (" + o + ")");
            }
            out[j] = num.doubleValue();
            if (!Double.isFinite(out[j])) {
                throw Messages.notFinite("Parquet column " + r.schema().fields()[j].name(), out[j]);
            }
        }
        return out;
    }

    static double[] parse(String file, String line, long number) {
        String[] f = line.strip().split("\\s*,\\s*|\\s+");
        double[] out = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            out[j] = number(file, f[j], number, j + 1);
        }
        return out;
    }

    static double number(String file, String text, long line, int column) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw Messages.invalid(file + ", line " + line + ", column " + column + ": '" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw Messages.invalid(file + ", line " + line + ", column " + column + ": " + text + " is not finite");
        }
        return v;
    }

    /** The items of an IDX file (unsigned bytes) as rows, read whole by one task. */
    static JavaRDD<double[]> idx(JavaSparkContext sc, String path, int partitions) {
        JavaRDD<double[]> rows = sc.binaryFiles(path, 1).flatMap(f -> decodeIdx(path, f._2().toArray()).iterator());
        int p = partitions > 0 ? partitions : sc.defaultParallelism();
        return p > 1 ? rows.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .sortByKey(true, p).values() : rows;
    }

    /**
     * Decodes an IDX file of unsigned bytes (magic 0x00 0x00 0x08 dims).
     *
     * @param name for messages
     * @param bytes the file, gzipped or not
     * @return one row per item
     */
    static List<double[]> decodeIdx(String name, byte[] bytes) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in);
        }
        try (DataInputStream d = new DataInputStream(in)) {
            int magic;
            try {
                magic = d.readInt();
            } catch (java.io.EOFException e) {
                throw Messages.invalid(name + ": not an IDX file (shorter than its 4-byte magic number)");
            }
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08 || (magic & 0xff) < 1 || (magic & 0xff) > 4) {
                throw Messages.invalid(name + ": not an IDX file of unsigned bytes (magic number 0x"
                        + String.format("%08x", magic) + ", expected 0x000008 followed by the number of dimensions)");
            }
            int dims = magic & 0xff;
            long items = Integer.toUnsignedLong(d.readInt());
            long size = 1;
            for (int i = 1; i < dims; i++) {
                size *= Integer.toUnsignedLong(d.readInt());
            }
            List<double[]> out = new ArrayList<>();
            byte[] buf = new byte[(int) size];
            for (long i = 0; i < items; i++) {
                try {
                    d.readFully(buf);
                } catch (java.io.EOFException e) {
                    throw Messages.invalid(name + ": truncated: the header announces " + items + " items, the file ends in item "
                            + (i + 1));
                }
                double[] row = new double[buf.length];
                for (int j = 0; j < buf.length; j++) {
                    row[j] = buf[j] & 0xff;
                }
                out.add(row);
            }
            return out;
        }
    }
}
