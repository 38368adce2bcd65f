package io.github.ntk4j.io;

import io.github.ntk4j.internal.Messages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of numeric features with one label column, as the usual machine-learning CSV files
 * have it (UCI, scikit-learn's): comma-separated (or, failing commas, whitespace-separated)
 * rows, an optional first line to skip, a file name ending in {@code .gz} read through gzip.
 * Lines and numbers are read by {@link TextLines}, as every data file is. Every problem is one
 * line naming the file, row and column.
 */
public final class LabelledCsv {
    private LabelledCsv() {
    }

    /**
     * A parsed table.
     *
     * @param features rows × features, numeric and finite
     * @param labels the label of each row, as written (trimmed)
     * @param labelColumn the 1-based column the labels came from
     */
    public record Table(double[][] features, String[] labels, int labelColumn) {
    }

    /**
     * Reads a labelled table.
     *
     * @param file the file
     * @param header whether the first line is a header to skip
     * @param labelColumn "last", "first" or a 1-based column number
     * @return the table
     */
    public static Table read(Path file, boolean header, String labelColumn) {
        List<String[]> rows = rectangular(file, header);
        int cols = rows.get(0).length;
        int label = labelIndex(labelColumn, cols);
        double[][] x = new double[rows.size()][cols - 1];
        String[] y = new String[rows.size()];
        int firstRow = header ? 2 : 1;
        for (int r = 0; r < rows.size(); r++) {
            String[] f = rows.get(r);
            for (int c = 0, j = 0; c < cols; c++) {
                String v = f[c].strip();
                if (c == label) {
                    if (v.isEmpty() || v.equals("?") || v.equalsIgnoreCase("nan") || v.equalsIgnoreCase("na")) {
                        throw Messages.badCsv(file.toString(), r + firstRow, c + 1, "the label is missing");
                    }
                    y[r] = v;
                    continue;
                }
                x[r][j++] = number(file, r + firstRow, c + 1, v);
            }
        }
        return new Table(x, y, label + 1);
    }

    /**
     * Reads features only (rows to predict): all columns, or, when a row has one more column than
     * {@code features}, all but the label column.
     *
     * @param file the file
     * @param header whether to skip the first line
     * @param features the number of features the model was trained on
     * @param labelColumn the training file's label column spec, to drop it when present
     * @return rows × features
     */
    public static double[][] readFeatures(Path file, boolean header, int features, String labelColumn) {
        List<String[]> rows = rectangular(file, header);
        int cols = rows.get(0).length;
        int skip = cols == features + 1 ? labelIndex(labelColumn, cols) : -1;
        if (skip < 0 && cols != features) {
            throw Messages.dimensionMismatch(file + " (columns)", cols, "the training features", features);
        }
        double[][] x = new double[rows.size()][features];
        int firstRow = header ? 2 : 1;
        for (int r = 0; r < rows.size(); r++) {
            String[] f = rows.get(r);
            for (int c = 0, j = 0; c < cols; c++) {
                if (c != skip) {
                    x[r][j++] = number(file, r + firstRow, c + 1, f[c].strip());
                }
            }
        }
        return x;
    }

    /** The data rows, refused when there are none or a row's field count differs from the first's. */
    private static List<String[]> rectangular(Path file, boolean header) {
        List<String[]> rows = lines(file, header);
        if (rows.isEmpty()) {
            throw Messages.empty(file + " (no data rows)");
        }
        int cols = rows.get(0).length;
        int firstRow = header ? 2 : 1;
        for (int r = 0; r < rows.size(); r++) {
            int fields = rows.get(r).length;
            if (fields != cols) {
                throw Messages.badCsv(file.toString(), r + firstRow, Math.min(fields, cols) + 1,
                        "has " + fields + " fields, the first row has " + cols);
            }
        }
        return rows;
    }

    private static int labelIndex(String spec, int cols) {
        if (cols < 2) {
            throw Messages.invalid("a labelled table needs at least two columns (features and a label), got " + cols);
        }
        String s = spec == null ? "last" : spec.strip();
        if (s.equalsIgnoreCase("last")) {
            return cols - 1;
        }
        if (s.equalsIgnoreCase("first")) {
            return 0;
        }
        int k;
        try {
            k = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw Messages.invalid("the label column must be last, first or a column number 1.." + cols + ", got '" + spec + "'");
        }
        if (k < 1 || k > cols) {
            throw Messages.invalid("the label column must be between 1 and " + cols + ", got " + k);
        }
        return k - 1;
    }

    private static double number(Path file, int row, int col, String v) {
        return TextLines.number(file.toString(), row, col, v, "features must be numeric; encode categories as numbers");
    }

    private static List<String[]> lines(Path file, boolean header) {
        List<String[]> rows = new ArrayList<>();
        try (TextLines r = TextLines.open(file)) {
            String line;
            boolean first = true;
            while ((line = r.next()) != null) {
                if (first && header) {
                    first = false;
                    continue;
                }
                first = false;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                rows.add(line.contains(",") ? line.split(",", -1) : line.strip().split("\\s+"));
            }
        }
        return rows;
    }
}
