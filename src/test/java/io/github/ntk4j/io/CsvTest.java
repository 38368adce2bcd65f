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

    @Test
    void errorsNameRowAndColumn() throws IOException {
        Path p = file("1,2\n3,abc\n");
        assertEquals(p + ": row 2, column 2: 'abc' is not a number", assertThrows(Ntk4jException.class, () -> Csv.read(p)).getMessage());
        Path q = file("1,2\n3\n");
        assertEquals(q + ": row 2: has 1 values but the first row has 2", assertThrows(Ntk4jException.class, () -> Csv.read(q)).getMessage());
        Path r = file("1,NaN\n");
        assertEquals(r + ": row 1, column 2: 'NaN' is not finite", assertThrows(Ntk4jException.class, () -> Csv.read(r)).getMessage());
        Path s = file("1,,2\n");
        assertEquals(s + ": row 1, column 2: empty value", assertThrows(Ntk4jException.class, () -> Csv.read(s)).getMessage());
        Path e = file("\n# nothing\n");
        assertEquals(e + " is empty: at least one value is needed", assertThrows(Ntk4jException.class, () -> Csv.read(e)).getMessage());
        assertEquals(dir.resolve("missing.csv") + ": no such file",
                assertThrows(Ntk4jException.class, () -> Csv.read(dir.resolve("missing.csv"))).getMessage());
    }
}
