package io.github.ntk4j.io;

import io.github.ntk4j.internal.Messages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loaders behind every {@code --data} option that takes labelled rows: a labelled CSV file
 * ({@link LabelledCsv}: features and a label column in one file), or features and labels in two
 * files: IDX images with IDX labels ({@link Idx}, MNIST's and Fashion-MNIST's format), or a
 * numeric CSV of features ({@link Csv}) with a text file of one label per line. The format is
 * chosen by the file name ({@link Idx#isIdx}).
 */
public final class LabelledData {
    private LabelledData() {
    }

    /**
     * Reads labelled rows.
     *
     * @param data features (IDX or CSV); with {@code labels} null, a labelled CSV file
     * @param labels the labels (an IDX idx1 file, or a text file of one label per line), or null
     *        when {@code data} is a labelled CSV file
     * @param header whether the first line of a CSV/text file is a header to skip
     * @param labelColumn the label column of a labelled CSV file ("last", "first" or 1-based)
     * @return the table (labelColumn 0 when the labels came from their own file)
     */
    public static LabelledCsv.Table read(Path data, Path labels, boolean header, String labelColumn) {
        if (labels == null) {
            if (Idx.isIdx(data)) {
                throw Messages.invalid(data + " is an IDX file of features: give its labels' file too (--labels for "
                        + "--data, --test-labels for --test-data)");
            }
            return LabelledCsv.read(data, header, labelColumn);
        }
        double[][] x = Idx.isIdx(data) ? Idx.readImages(data) : Csv.read(data);
        String[] y = readLabels(labels, header);
        if (y.length != x.length) {
            throw Messages.invalid(labels + " holds " + y.length + " labels but " + data + " holds " + x.length
                    + " rows: the two files must describe the same items");
        }
        return new LabelledCsv.Table(x, y, 0);
    }

    /**
     * Reads rows to predict with a model trained on {@code features} features: IDX images, or a
     * CSV file with or without the label column ({@link LabelledCsv#readFeatures}).
     *
     * @param data the file
     * @param header whether a CSV file's first line is a header
     * @param features the number of features the model was trained on
     * @param labelColumn the training file's label column spec, to drop it from a CSV file that has it
     * @return rows × features
     */
    public static double[][] readFeatures(Path data, boolean header, int features, String labelColumn) {
        if (!Idx.isIdx(data)) {
            return LabelledCsv.readFeatures(data, header, features, labelColumn);
        }
        double[][] x = Idx.readImages(data);
        if (x[0].length != features) {
            throw Messages.dimensionMismatch(data + " (values per item)", x[0].length, "the training features", features);
        }
        return x;
    }

    /**
     * Reads a numeric matrix: a CSV file ({@link Csv#read}), an IDX file of images (one row per
     * image, the pixel values as they are), or an idx1 file of labels (one column, the label numbers).
     *
     * @param file the file
     * @return rows × columns
     */
    public static double[][] readMatrix(Path file) {
        if (!Idx.isIdx(file)) {
            return Csv.read(file);
        }
        if (Idx.dimensions(file) == 1) {
            int[] v = Idx.readLabels(file);
            double[][] out = new double[v.length][1];
            for (int i = 0; i < v.length; i++) {
                out[i][0] = v[i];
            }
            return out;
        }
        return Idx.readImages(file);
    }

    /**
     * Reads labels: an IDX idx1 file (the numbers as labels), or a text file of one label per
     * line (blank lines and lines starting with # skipped; {@code .gz} read through gzip).
     *
     * @param file the file
     * @param header whether a text file's first line is a header to skip
     * @return the labels as written
     */
    public static String[] readLabels(Path file, boolean header) {
        if (Idx.isIdx(file)) {
            int[] v = Idx.readLabels(file);
            String[] out = new String[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = Integer.toString(v[i]);
            }
            return out;
        }
        List<String> out = new ArrayList<>();
        try (TextLines r = TextLines.open(file)) {
            String line;
            boolean skip = header;
            while ((line = r.next()) != null) {
                if (skip) {
                    skip = false;
                    continue;
                }
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                if (s.contains(",")) {
                    throw Messages.badCsv(file.toString(), r.lineNumber(), 0, "a labels file has one label per line, got '"
                            + TextLines.shorten(s) + "'");
                }
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw Messages.empty(file + " (no labels)");
        }
        return out.toArray(String[]::new);
    }
}
