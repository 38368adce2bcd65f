package io.github.ntk4j.io;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.internal.MemoryCheck;
import io.github.ntk4j.internal.Messages;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The one reader of text data files, under every command that reads rows ({@link Csv},
 * {@link LabelledCsv}, {@link LabelledData}'s label files): lines of strict UTF-8, numbers
 * parsed one way, the same messages everywhere.
 * <ul>
 * <li>A name ending in {@code .gz} is read through gzip.</li>
 * <li>Lines end with \n, \r or \r\n; a UTF-8 byte-order mark at the start is dropped.</li>
 * <li>Malformed UTF-8 is refused (never replaced, so two different byte strings cannot become
 * one label), naming the line and the byte offset in the file; so are a UTF-16 byte-order mark
 * and NUL bytes (UTF-16 or binary files), with what to do instead.</li>
 * <li>A line may not grow beyond what memory holds: every time it doubles past 1 Mi bytes the
 * memory for it is checked, so a file without line breaks ({@code /dev/zero}) is refused, not
 * read until the heap is exhausted.</li>
 * <li>A file that cannot be opened is "cannot read FILE: no such file" (or: permission denied,
 * is a directory, not in gzip format).</li>
 * </ul>
 *
 * <p>Lines are split on bytes (the bytes of \n and \r never occur inside a multi-byte UTF-8
 * sequence) and decoded one at a time with a reporting {@link CharsetDecoder}, so a decoding
 * error knows its line and offset; an all-ASCII line skips the decoder.
 */
public final class TextLines implements AutoCloseable {
    /** Lines up to this many bytes are read without asking for memory first. */
    private static final int LINE_CHECK_START = 1 << 20;

    private final String name;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private byte[] line = new byte[256];
    private int len;
    /** bytes of the (decompressed) file before {@link #buf}[0] */
    private long bufStart;
    /** offset of the current line's first byte */
    private long lineStart;
    private int lineNo;
    private boolean skipLf;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private TextLines(String name, InputStream in) {
        this.name = name;
        this.in = in;
    }

    /**
     * Opens a text file ({@code .gz}: through gzip).
     *
     * @param file the file
     * @return the reader; close it
     */
    public static TextLines open(Path file) {
        String name = file.toString();
        InputStream raw = null;
        try {
            if (Files.isDirectory(file)) {
                throw cannotRead(name, "is a directory");
            }
            raw = Files.newInputStream(file);
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new TextLines(name, in);
        } catch (IOException e) {
            if (raw != null) {
                try {
                    raw.close();
                } catch (IOException ignored) {
                    // the open failure is the error to report
                }
            }
            throw readError(name, e);
        }
    }

    /**
     * The one message for a file that cannot be read: "cannot read FILE: no such file",
     * "permission denied", "not in gzip format", or the system's reason.
     *
     * @param name the file's name
     * @param e what went wrong
     * @return the exception to throw
     */
    public static Ntk4jException readError(String name, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof ZipException) {
            why = "not in gzip format (" + e.getMessage() + ")";
        } else if (e instanceof EOFException) {
            why = "it ends early (a truncated file?)";
        } else {
            String m = e.getMessage();
            why = m == null || m.isBlank() || m.equals(name) ? e.getClass().getSimpleName() : m;
        }
        return cannotRead(name, why);
    }

    private static Ntk4jException cannotRead(String name, String why) {
        return Messages.invalid("cannot read " + name + ": " + why);
    }

    /** @return the file's name, as messages give it */
    public String name() {
        return name;
    }

    /** @return the 1-based number of the line last returned by {@link #next} (0 before the first) */
    public int lineNumber() {
        return lineNo;
    }

    /**
     * The next line, without its terminator.
     *
     * @return the line, or null at the end of the file
     */
    public String next() {
        CharSequence line = nextChars();
        return line == null ? null : line.toString();
    }

    /**
     * The next line as characters that stay valid only until the next call: for a line of ASCII
     * bytes a view of the reader's buffer, no String. Why: a String per line was the largest
     * garbage of reading a large CSV file (43 MB of the 40 MB file of {@code bench_whole.py}'s
     * FALKON input), and the JVM's heap, so the process's resident memory, grew for it.
     *
     * @return the line, or null at the end of the file
     */
    public CharSequence nextChars() {
        try {
            if (!readLine()) {
                return null;
            }
        } catch (IOException e) {
            throw readError(name, e);
        }
        lineNo++;
        return decode();
    }

    /** The current line's characters over {@link #line}'s bytes, for an all-ASCII line. */
    private final class AsciiView implements CharSequence {
        private int start;
        private int end;

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            return (char) (line[start + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return toString().substring(from, to);
        }

        @Override
        public String toString() {
            return new String(line, start, end - start, StandardCharsets.ISO_8859_1);
        }
    }

    private final AsciiView view = new AsciiView();

    private int read() throws IOException {
        if (pos == lim) {
            bufStart += lim;
            lim = in.read(buf, 0, buf.length);
            pos = 0;
            if (lim <= 0) {
                lim = 0;
                return -1;
            }
        }
        return buf[pos++] & 0xff;
    }

    private long offset() {
        return bufStart + pos;
    }

    /** Reads the bytes of one line into {@link #line}; false at the end of the file. */
    private boolean readLine() throws IOException {
        len = 0;
        long nextCheck = LINE_CHECK_START;
        int b = read();
        if (skipLf) {
            skipLf = false;
            if (b == '\n') {
                b = read();
            }
        }
        if (b == -1) {
            return false;
        }
        lineStart = offset() - 1;
        while (b != -1 && b != '\n' && b != '\r') {
            if (len == line.length) {
                if (len >= nextCheck) {
                    requireLine(len);
                    nextCheck *= 2;
                }
                line = java.util.Arrays.copyOf(line, len * 2);
            }
            line[len++] = (byte) b;
            // scan the rest of the buffer without a call per byte
            while (pos < lim && len < line.length) {
                byte c = buf[pos];
                if (c == '\n' || c == '\r') {
                    break;
                }
                line[len++] = c;
                pos++;
            }
            b = read();
        }
        if (b == '\r') {
            skipLf = true;
        }
        return true;
    }

    private void requireLine(int length) {
        try {
            MemoryCheck.require(name + ": row " + (lineNo + 1) + " (over " + length + " bytes long)", MemoryCheck.times(8, length));
        } catch (Ntk4jException e) {
            throw Messages.badCsv(name, lineNo + 1, 0, "is longer than memory allows (over " + length
                    + " bytes without a line break; is it a text file?)");
        }
    }

    /** @return the current line: an ASCII line as {@link #view}, another as a String */
    private CharSequence decode() {
        int start = 0;
        if (lineNo == 1) {
            if (len >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
                start = 3; // a UTF-8 byte-order mark, as spreadsheet programs write
            } else if (len >= 2 && ((line[0] & 0xff) == 0xFE && (line[1] & 0xff) == 0xFF
                    || (line[0] & 0xff) == 0xFF && (line[1] & 0xff) == 0xFE)) {
                throw Messages.badCsv(name, 1, 0, "the file is UTF-16 text (it starts with a UTF-16 byte-order mark): "
                        + "save it as UTF-8");
            }
        }
        boolean ascii = true;
        for (int i = start; i < len; i++) {
            byte c = line[i];
            if (c == 0) {
                throw Messages.badCsv(name, lineNo, 0, "has a NUL byte at byte offset " + (lineStart + i)
                        + " of the file: not UTF-8 text (UTF-16, or a binary file?)");
            }
            ascii &= c >= 0;
        }
        if (ascii) {
            view.start = start;
            view.end = len;
            return view;
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, start, len - start);
        CharBuffer chars = CharBuffer.allocate(len - start);
        utf8.reset();
        CoderResult r = utf8.decode(bytes, chars, true);
        if (!r.isError()) {
            r = utf8.flush(chars);
        }
        if (r.isError()) {
            int at = bytes.position();
            throw Messages.badCsv(name, lineNo, 0, String.format(Locale.ROOT,
                    "is not valid UTF-8: byte 0x%02X at byte offset %d of the file (save the file as UTF-8)",
                    line[at] & 0xff, lineStart + at));
        }
        chars.flip();
        return chars.toString();
    }

    /**
     * Parses one numeric field, the same way for every reader: Java's decimal (and hexadecimal)
     * floating-point syntax after trimming, finite values only.
     *
     * <p>Parsed by Werner Randelshofer's FastDoubleParser (Lemire's algorithm; the same syntax as
     * {@link Double#parseDouble} and the same correctly rounded value), because
     * {@link Double#parseDouble} was half of reading a CSV file: a 20,000 × 20 file (8 MB,
     * {@code bench_whole.py}'s FALKON input) took 0.65–0.84 s of process CPU with
     * {@link Double#parseDouble} against 0.39–0.42 s (a JVM started for the read alone, three
     * alternations, load average 9 on the 2 cores). {@code TextLinesTest} checks it against
     * {@link Double#parseDouble} value for value.
     *
     * @param file the file, for messages
     * @param row 1-based row
     * @param column 1-based column
     * @param cell the field as written
     * @return the value
     */
    public static double number(String file, int row, int column, String cell) {
        return number(file, row, column, cell, null);
    }

    /**
     * {@link #number(String, int, int, String)} with a hint added, in parentheses, where the cell
     * is text that is not a missing-value mark.
     *
     * @param file the file's name, for messages
     * @param row 1-based row
     * @param column 1-based column
     * @param cell the cell's text
     * @param notNumberHint what to do about text, or null
     * @return the finite value
     */
    public static double number(String file, int row, int column, String cell, String notNumberHint) {
        String v = cell.strip();
        double d;
        try {
            d = JavaDoubleParser.parseDouble(v);
        } catch (NumberFormatException e) {
            if (v.isEmpty()) {
                throw Messages.badCsv(file, row, column, "empty value");
            }
            if (MISSING.contains(v.toLowerCase(java.util.Locale.ROOT))) {
                throw Messages.badCsv(file, row, column, "'" + v + "' marks a missing value: fill it in or drop the row");
            }
            throw Messages.badCsv(file, row, column, "'" + shorten(v) + "' is not a number"
                    + (notNumberHint == null ? "" : " (" + notNumberHint + ")"));
        }
        if (Double.isNaN(d)) {
            throw Messages.badCsv(file, row, column, "'" + v + "' marks a missing value: fill it in or drop the row");
        }
        if (!Double.isFinite(d)) {
            throw Messages.badCsv(file, row, column, "'" + shorten(v) + "' is not finite");
        }
        return d;
    }

    /**
     * {@link #number(String, int, int, String)} for the field {@code line[from, to)}, without a
     * String for it unless it is not a finite number (then the message is the same): the readers of
     * large files parse each line in place.
     *
     * @param file the file's name, for messages
     * @param row 1-based row
     * @param column 1-based column
     * @param line the line
     * @param from the field's first character
     * @param to one past its last
     * @return the finite value
     */
    public static double number(String file, int row, int column, CharSequence line, int from, int to) {
        try {
            double d = JavaDoubleParser.parseDouble(line, from, to - from);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // not a number as written (or with other white space): the String path names why
        }
        return number(file, row, column, line.subSequence(from, to).toString(), null);
    }

    /** The usual spellings of a missing value (R, pandas, spreadsheets), lower case. */
    private static final java.util.Set<String> MISSING = java.util.Set.of("na", "n/a", "nan", "null", "none", "?", "-",
            "missing", "#n/a");

    /** A cell as quoted in a message: at most 40 characters, so a huge bad cell stays one readable line. */
    static String shorten(String cell) {
        return cell.length() <= 40 ? cell : cell.substring(0, 30) + "… (" + cell.length() + " characters)";
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw readError(name, e);
        }
    }
}
