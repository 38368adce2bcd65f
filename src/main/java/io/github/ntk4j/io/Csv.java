package io.github.ntk4j.io;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.MemoryCheck;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric CSV: one row per input, comma-separated numbers, no header. Blank lines and lines
 * starting with {@code #} are skipped. Lines and numbers are read by {@link TextLines}, the reader
 * of every data file (strict UTF-8, a byte-order mark dropped, {@code .gz} through gzip). Errors
 * name the file, row and column.
 *
 * <p>Why hand-written rather than commons-csv or Jackson's CSV module: this format has no quoting,
 * so a reader is a split per line; measured on a 4000 × 100 file of random doubles (7.9 MB, the
 * size of {@code bench gram}'s default input), best of 5 in one JVM, {@code read} took 0.60 s
 * against 1.02 s for commons-csv 1.10.0 with the same {@link Double#parseDouble} (1.7×), and on
 * 20,000 × 100 (39 MB) 2.27 s against 4.18 s (1.8×) — on the shared 2-core machine with other
 * work running, so the ratio, not the times, is the result. It also keeps the row and column of
 * every error without another dependency.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Reads a numeric matrix.
     *
     * @param file the file
     * @return rows, all of the same length, all finite
     */
    public static double[][] read(Path file) {
        String name = file.toString();
        List<double[]> rows = new ArrayList<>();
        int width = -1;
        long bytesKept = 0;
        try (TextLines r = TextLines.open(file)) {
            CharSequence t;
            while ((t = r.nextChars()) != null) {
                int lineNo = r.lineNumber();
                // the line stripped of white space at both ends, in place
                int lo = 0;
                int hi = t.length();
                while (lo < hi && Character.isWhitespace(t.charAt(lo))) {
                    lo++;
                }
                while (hi > lo && Character.isWhitespace(t.charAt(hi - 1))) {
                    hi--;
                }
                if (lo == hi || t.charAt(lo) == '#') {
                    continue;
                }
                // the fields parsed in place (no String per line or cell: for a large file that
                // garbage made the JVM's heap, and the process's resident memory, grow)
                int cells = 1;
                for (int i = lo; i < hi; i++) {
                    if (t.charAt(i) == ',') {
                        cells++;
                    }
                }
                if (width < 0) {
                    width = cells;
                } else if (cells != width) {
                    throw Messages.badCsv(name, lineNo, 0, "has " + cells + " values but the first row has " + width);
                }
                double[] row = new double[cells];
                int from = lo;
                for (int c = 0; c < cells; c++) {
                    int to = from;
                    while (to < hi && t.charAt(to) != ',') {
                        to++;
                    }
                    row[c] = TextLines.number(name, lineNo, c + 1, t, from, to);
                    from = to + 1;
                }
                rows.add(row);
                // the rows kept so far (each a double[] and its slot in the list), checked as
                // they grow so that a huge file is refused before it fills the heap
                bytesKept = MemoryCheck.plus(bytesKept, MemoryCheck.doubles(row.length), 8);
                if ((rows.size() & (rows.size() - 1)) == 0 && rows.size() >= 1024) {
                    MemoryCheck.require(name + " (" + rows.size() + " rows read so far)", MemoryCheck.times(2, bytesKept));
                }
            }
        }
        if (rows.isEmpty()) {
            throw Messages.empty(name);
        }
        return rows.toArray(new double[0][]);
    }

    /**
     * Writes a matrix as CSV, numbers in shortest round-trip form.
     *
     * @param out destination
     * @param m rows
     * @throws IOException on write failure
     */
    public static void write(Writer out, double[][] m) throws IOException {
        checkFinite(m);
        BufferedWriter w = out instanceof BufferedWriter bw ? bw : new BufferedWriter(out, 1 << 16);
        StringBuilder sb = new StringBuilder();
        int written = 0;
        for (double[] row : m) {
            sb.setLength(0);
            for (int j = 0; j < row.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(row[j]);
            }
            sb.append('\n');
            w.write(sb.toString());
            // a PrintWriter (standard output) swallows write errors: stop at the first one
            if (out instanceof java.io.PrintWriter pw && (++written & 1023) == 0 && pw.checkError()) {
                throw Messages.writeFailed("standard output", "a write failed");
            }
        }
        w.flush();
    }

    /**
     * Refuses a matrix with a NaN or infinite entry before anything is written: CSV readers
     * would take the text "Infinity" or "NaN" for a number.
     */
    private static void checkFinite(double[][] m) {
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                if (!Double.isFinite(m[i][j])) {
                    throw Messages.notRepresentable("entry (" + (i + 1) + ", " + (j + 1) + ")", m[i][j]);
                }
            }
        }
    }

    /**
     * Writes a matrix to a file.
     *
     * @param file destination
     * @param m rows
     */
    public static void write(Path file, double[][] m) {
        checkFinite(m);
        AtomicFile.writeText(file, w -> write(w, m));
    }
}
