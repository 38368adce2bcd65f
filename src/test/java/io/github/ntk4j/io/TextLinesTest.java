package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every data reader reads text one way (TextLines). */
class TextLinesTest {
    @TempDir
    Path dir;

    private Path bytes(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** A reproducer: caf\xe9 and caf\xe8 (Latin-1) are refused with the line and byte offset, not merged. */
    @Test
    void invalidUtf8LabelsAreRefused() throws IOException {
        Path p = bytes("latin1.csv", concat(utf8("1,2,tea\n3,4,caf"), new byte[] {(byte) 0xE9}, utf8("\n5,6,caf"),
                new byte[] {(byte) 0xE8}, utf8("\n")));
        String m = assertThrows(Ntk4jException.class, () -> LabelledCsv.read(p, false, "last")).getMessage();
        assertEquals(p + ": row 2: is not valid UTF-8: byte 0xE9 at byte offset 15 of the file (save the file as UTF-8)", m);
        // the same in a labels file and in a numeric CSV
        Path labels = bytes("labels.txt", concat(utf8("a\ncaf"), new byte[] {(byte) 0xE8}, utf8("\n")));
        assertTrue(assertThrows(Ntk4jException.class, () -> LabelledData.readLabels(labels, false)).getMessage()
                .contains("row 2: is not valid UTF-8: byte 0xE8 at byte offset 5"));
        // valid UTF-8 café and cafe stay two labels
        Path good = bytes("utf8.csv", utf8("1,café\n2,cafe\n"));
        assertArrayEquals(new String[] {"café", "cafe"}, LabelledCsv.read(good, false, "last").labels());
    }

    /** A reproducer: a BOM before row 1; and a variant: a BOM in a labels file and a gzip file. */
    @Test
    void byteOrderMarkIsDropped() throws IOException {
        Path p = bytes("bom.csv", concat(BOM, utf8("1.143,2,a\n3,4,b\n")));
        LabelledCsv.Table t = LabelledCsv.read(p, false, "last");
        assertEquals(1.143, t.features()[0][0]);
        Path labels = bytes("bom.txt", concat(BOM, utf8("x\ny\n")));
        assertArrayEquals(new String[] {"x", "y"}, LabelledData.readLabels(labels, false));
        Path gz = dir.resolve("bom.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(concat(BOM, utf8("5,6,a\r\n7,8,b\r\n")));
        }
        LabelledCsv.Table g = LabelledCsv.read(gz, false, "last");
        assertArrayEquals(new double[] {5, 6}, g.features()[0]);
        assertArrayEquals(new String[] {"a", "b"}, g.labels());
    }

    /** Variant: a UTF-16 file (with its byte-order mark, or without: NUL bytes) is refused with what to do. */
    @Test
    void utf16IsRefused() throws IOException {
        Path le = bytes("u16.csv", concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "1,2\n".getBytes(StandardCharsets.UTF_16LE)));
        assertEquals(le + ": row 1: the file is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8",
                assertThrows(Ntk4jException.class, () -> Csv.read(le)).getMessage());
        Path be = bytes("u16be.csv", "1,2\n3,4\n".getBytes(StandardCharsets.UTF_16)); // Java writes FE FF first
        assertTrue(assertThrows(Ntk4jException.class, () -> LabelledCsv.read(be, false, "last")).getMessage()
                .contains("UTF-16"));
        Path noBom = bytes("u16nobom.csv", "1,2\n".getBytes(StandardCharsets.UTF_16LE));
        assertEquals(noBom + ": row 1: has a NUL byte at byte offset 1 of the file: not UTF-8 text (UTF-16, or a binary file?)",
                assertThrows(Ntk4jException.class, () -> Csv.read(noBom)).getMessage());
    }

    /** A reproducer: a missing file is "cannot read F: no such file", in every reader; and a directory. */
    @Test
    void missingFileSaysSo() {
        Path missing = dir.resolve("nonexist.csv");
        String want = "cannot read " + missing + ": no such file";
        assertEquals(want, assertThrows(Ntk4jException.class, () -> Csv.read(missing)).getMessage());
        assertEquals(want, assertThrows(Ntk4jException.class, () -> LabelledCsv.read(missing, false, "last")).getMessage());
        assertEquals(want, assertThrows(Ntk4jException.class, () -> LabelledData.readLabels(missing, false)).getMessage());
        Path idx = dir.resolve("train-images-idx3-ubyte");
        assertEquals("cannot read " + idx + ": no such file",
                assertThrows(Ntk4jException.class, () -> LabelledData.readMatrix(idx)).getMessage());
        assertEquals("cannot read " + dir + ": is a directory", assertThrows(Ntk4jException.class, () -> Csv.read(dir)).getMessage());
    }

    /** Line ends \n, \r\n and \r, across the reader's 64 KiB buffer; multi-byte characters split by it. */
    @Test
    void lineEndsAndBufferBoundaries() throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] ends = {"\n", "\r\n", "\r"};
        for (int i = 0; i < 30000; i++) {
            sb.append(i).append(",é").append(ends[i % 3]);
        }
        Path p = bytes("ends.csv", utf8(sb.toString()));
        LabelledCsv.Table t = LabelledCsv.read(p, false, "last");
        assertEquals(30000, t.labels().length);
        for (int i = 0; i < 30000; i++) {
            assertEquals(i, t.features()[i][0]);
            assertEquals("é", t.labels()[i]);
        }
    }

    /** A line that starts with a byte of 0x80 or more (é, ÿ) is a line, not the end of the file. */
    @Test
    void linesStartingWithHighBytes() throws IOException {
        Path p = bytes("high.txt", utf8("é\nÿ\nx\n"));
        assertArrayEquals(new String[] {"é", "ÿ", "x"}, LabelledData.readLabels(p, false));
    }

    /** One number parser: NA and ? are named as missing values, everywhere. */
    @Test
    void missingValueMarkers() throws IOException {
        Path p = bytes("na.csv", utf8("1,2,a\nNA,3,b\n"));
        assertEquals(p + ": row 2, column 1: 'NA' marks a missing value: fill it in or drop the row",
                assertThrows(Ntk4jException.class, () -> LabelledCsv.read(p, false, "last")).getMessage());
        Path q = bytes("q.csv", utf8("1,2\n?,3\n"));
        assertEquals(q + ": row 2, column 1: '?' marks a missing value: fill it in or drop the row",
                assertThrows(Ntk4jException.class, () -> Csv.read(q)).getMessage());
    }

    /**
     * The fast number parser (Jackson's FastDoubleParser) against the JDK's {@link Double#parseDouble},
     * the reference: the same value, bit for bit, on random 17-digit decimals over the whole exponent
     * range (subnormals included), the halfway cases of the last bit, and spellings that both
     * accept or both refuse.
     */
    @Test
    void numbersAgreeWithTheJdkParser() {
        java.util.Random rng = new java.util.Random(11);
        for (int i = 0; i < 20_000; i++) {
            double x = Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL);
            if (rng.nextBoolean()) {
                x = -x;
            }
            String[] forms = {Double.toString(x), String.format(java.util.Locale.ROOT, "%.17e", x),
                    String.format(java.util.Locale.ROOT, "%.3e", x)};
            for (String s : forms) {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)),
                        Double.doubleToRawLongBits(TextLines.number("f", 1, 1, s)), s);
                // the same field parsed in place, inside a line (the CSV reader's path)
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)),
                        Double.doubleToRawLongBits(TextLines.number("f", 1, 2, "7," + s + ",8", 2, 2 + s.length())), s);
            }
            if (i % 10 != 0) {
                continue;
            }
            // the exact midpoint between x and its upper neighbour (up to ~770 digits): rounds to even
            java.math.BigDecimal a = new java.math.BigDecimal(Math.abs(x));
            String mid = a.add(new java.math.BigDecimal(Math.nextUp(Math.abs(x)))).divide(java.math.BigDecimal.valueOf(2)).toString();
            if (Double.isFinite(Double.parseDouble(mid))) {
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(mid)),
                        Double.doubleToRawLongBits(TextLines.number("f", 1, 1, mid)), mid);
            }
        }
        for (String s : new String[] {"0", "-0", "+0.0", " 1.5 ", "1e-400", "4.9e-324", "2.4703282292062328e-324",
                "2.4703282292062327e-324", "1.7976931348623157e308", "0x1.8p1", "0X1P-1074", "1.", ".5", "1e5d", "2f",
                "00012.5000", "123456789012345678901234567890"}) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)),
                    Double.doubleToRawLongBits(TextLines.number("f", 1, 1, s)), s);
        }
        for (String s : new String[] {"1,5", "1e", "e5", "--1", "1_000", "0x1.8", "١", "1e5.5", "Infinity", "1e400"}) {
            boolean jdk;
            try {
                jdk = Double.isFinite(Double.parseDouble(s.strip()));
            } catch (NumberFormatException e) {
                jdk = false;
            }
            assertTrue(!jdk, s);
            String message = assertThrows(Ntk4jException.class, () -> TextLines.number("f", 1, 1, s), s).getMessage();
            // in place: the same message as the String path
            assertEquals(message, assertThrows(Ntk4jException.class,
                    () -> TextLines.number("f", 1, 1, "1;" + s + ";2", 2, 2 + s.length()), s).getMessage());
        }
    }
}
