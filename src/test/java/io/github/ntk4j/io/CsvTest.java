package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.Ntk4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path p = dir.resolve("x.csv");
        Files.writeString(p, content);
        return p;
    }

    @Test
    void readsNumbersSkippingBlankAndCommentLines() throws IOException {
        double[][] m = Csv.read(file("# inputs\n1, 2.5\n\n-3e-2,4\n"));
        assertArrayEquals(new double[] {1, 2.5}, m[0]);
        assertArrayEquals(new double[] {-0.03, 4}, m[1]);
    }

    /** White space around lines and fields, CRLF endings, and an indented non-ASCII comment line. */
    @Test
    void readsLinesWithWhiteSpaceAndCrlf() throws IOException {
        double[][] m = Csv.read(file("  # Größe, indented\r\n\t1 , 2.5\t\r\n 3,4e1 \r\n\r\n"));
        assertEquals(2, m.length);
        assertArrayEquals(new double[] {1, 2.5}, m[0]);
        assertArrayEquals(new double[] {3, 40}, m[1]);
    }

    @Test
    void errorsNameRowAndColumn() throws IOException {
        Path p = file("1,2\n3,abc\n");
        assertEquals(p + ": row 2, column 2: 'abc' is not a number", assertThrows(Ntk4jException.class, () -> Csv.read(p)).getMessage());
        Path q = file("1,2\n3\n");
        assertEquals(q + ": row 2: has 1 values but the first row has 2", assertThrows(Ntk4jException.class, () -> Csv.read(q)).getMessage());
        Path r = file("1,NaN\n");
        // NaN is how numpy and pandas write a missing value: named as one, as NA and ? are
        assertEquals(r + ": row 1, column 2: 'NaN' marks a missing value: fill it in or drop the row",
                assertThrows(Ntk4jException.class, () -> Csv.read(r)).getMessage());
        Path inf = file("1,-Infinity\n");
        assertEquals(inf + ": row 1, column 2: '-Infinity' is not finite", assertThrows(Ntk4jException.class, () -> Csv.read(inf)).getMessage());
        Path s = file("1,,2\n");
        assertEquals(s + ": row 1, column 2: empty value", assertThrows(Ntk4jException.class, () -> Csv.read(s)).getMessage());
        Path e = file("\n# nothing\n");
        assertEquals(e + " is empty: at least one value is needed", assertThrows(Ntk4jException.class, () -> Csv.read(e)).getMessage());
        assertEquals("cannot read " + dir.resolve("missing.csv") + ": no such file",
                assertThrows(Ntk4jException.class, () -> Csv.read(dir.resolve("missing.csv"))).getMessage());
    }

    /** A UTF-8 byte-order mark (as spreadsheet programs write) is not part of the first number. */
    @Test
    void stripsUtf8ByteOrderMark() throws IOException {
        Path p = dir.resolve("bom.csv");
        Files.write(p, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1', ',', '2', '\n', '3', ',', '4', '\n'});
        double[][] m = Csv.read(p);
        assertArrayEquals(new double[] {1, 2}, m[0]);
        assertArrayEquals(new double[] {3, 4}, m[1]);
    }

    /** Invalid UTF-8 is reported on the row it is on (not "Input length = 1"), past the reader's look-ahead. */
    @Test
    void invalidUtf8NamesTheRow() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            sb.append(i).append(",1\n");
        }
        byte[] head = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + 4);
        all[head.length] = '5';
        all[head.length + 1] = (byte) 0xC3; // a lead byte without its continuation
        all[head.length + 2] = ',';
        all[head.length + 3] = '1';
        Path p = dir.resolve("bad.csv");
        Files.write(p, all);
        // the offset of 0xC3 is the length of the 20,000 good rows plus the '5' before it
        assertEquals(p + ": row 20001: is not valid UTF-8: byte 0xC3 at byte offset " + (head.length + 1)
                + " of the file (save the file as UTF-8)", assertThrows(Ntk4jException.class, () -> Csv.read(p)).getMessage());
    }

    /** A huge bad cell is quoted shortened, with its length, so the message stays one readable line. */
    @Test
    void hugeBadCellIsShortened() throws IOException {
        Path p = file("1,2\n3," + "x".repeat(1_000_000) + "\n");
        String m = assertThrows(Ntk4jException.class, () -> Csv.read(p)).getMessage();
        assertEquals(p + ": row 2, column 2: '" + "x".repeat(30) + "… (1000000 characters)' is not a number", m);
    }
}
