package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning data through the commands: labels, scales, inner folds, the one reader. */
class LearningDataCliTest {
    @TempDir
    Path dir;

    private static final String[] GRID = {"--depth", "1", "--w-std", "1.4", "--ridge", "1e-3,1e-1", "--folds", "3",
        "--inner-folds", "2", "--threads", "1"};

    private static String[] args(String... head) {
        String[] all = new String[head.length + GRID.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(GRID, 0, all, head.length, GRID.length);
        return all;
    }

    /** Three classes of 30 points in the plane, the second feature mapped by {@code second}. */
    private Path threeClasses(String name, String[] labels, DoubleUnaryOperator second) throws IOException {
        Random rng = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            int c = i % 3;
            // the first feature tells class 0 from the others, the second class 1 from the others
            double a = (c == 0 ? 2 : 0) + 0.5 * rng.nextGaussian();
            double b = (c == 1 ? 2 : 0) + 0.5 * rng.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%s,%s,%s%n", Double.toString(a), Double.toString(second.applyAsDouble(b)),
                    labels[c]));
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    private static void assertOneLineExit2(CliTest.Run r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @SuppressWarnings("unchecked")
    private static double accuracy(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        return ((Number) ((Map<String, Object>) Json.parse(r.out().strip())).get("accuracy")).doubleValue();
    }

    /** Class 1: labels mixing numbers and text (847, 254a, 96.9) classify, exit 0. */
    @Test
    void mixedLabelsClassify() throws IOException {
        Path p = threeClasses("mixed.csv", new String[] {"847", "254a", "96.9"}, b -> b);
        CliTest.Run r = CliTest.run(args("classify", "--data", p.toString()));
        assertEquals(0, r.code(), r.err());
        // variant: interpolate, which sorted labels with a comparator of its own
        CliTest.Run i = CliTest.run("interpolate", "--data", p.toString(), "--kernel", "gaussian", "--threads", "1");
        assertEquals(0, i.code(), i.err());
    }

    /**
     * Class 8: labels 1 and 1.0 are one class. A two-class problem whose first class is written
     * half as 1, half as 1.0 classifies as well as with one spelling; as three classes it could not
     * (1 and 1.0 would be indistinguishable, and cross-validated accuracy would drop).
     */
    @Test
    void numericLabelsCompareByValue() throws IOException {
        Path one = threeClasses("one.csv", new String[] {"1", "2", "1"}, b -> b);
        String text = Files.readString(one);
        StringBuilder mixed = new StringBuilder();
        int k = 0;
        for (String line : text.split("\n")) {
            mixed.append(line.endsWith(",1") && k++ % 2 == 1 ? line + ".0" : line).append('\n');
        }
        Path two = dir.resolve("two.csv");
        Files.writeString(two, mixed.toString());
        assertTrue(Files.readString(two).contains(",1.0\n"));
        double a = accuracy(CliTest.run(args("classify", "--data", one.toString(), "--format", "json")));
        double b = accuracy(CliTest.run(args("classify", "--data", two.toString(), "--format", "json")));
        assertEquals(a, b, 0.0);
        // variant: 2, 2.00 and 2e0
        Path three = threeClasses("three.csv", new String[] {"2", "2.00", "2e0"}, x -> x);
        CliTest.Run r = CliTest.run(args("classify", "--data", three.toString()));
        assertOneLineExit2(r, "classification needs at least two classes");
    }

    /** Class 8: invalid UTF-8 labels (caf\xe9, caf\xe8) are refused with the row, not merged. */
    @Test
    void invalidUtf8IsRefused() throws IOException {
        Path p = threeClasses("latin.csv", new String[] {"tea", "cafX", "cafY"}, b -> b);
        byte[] bytes = Files.readAllBytes(p);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 'X') {
                bytes[i] = (byte) 0xE9;
            } else if (bytes[i] == 'Y') {
                bytes[i] = (byte) 0xE8;
            }
        }
        Files.write(p, bytes);
        assertOneLineExit2(CliTest.run(args("classify", "--data", p.toString())), "row 2: is not valid UTF-8: byte 0xE9");
        assertOneLineExit2(CliTest.run(args("regress", "--data", p.toString())), "is not valid UTF-8");
    }

    /** Class 8: a UTF-8 BOM before row 1 is dropped, for classify and (variant) gram and predict. */
    @Test
    void byteOrderMarkIsDropped() throws IOException {
        Path p = threeClasses("bom.csv", new String[] {"a", "b", "c"}, b -> b);
        byte[] body = Files.readAllBytes(p);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path bom = dir.resolve("bom2.csv");
        Files.write(bom, withBom);
        double plain = accuracy(CliTest.run(args("classify", "--data", p.toString(), "--format", "json")));
        double marked = accuracy(CliTest.run(args("classify", "--data", bom.toString(), "--format", "json")));
        assertEquals(plain, marked, 0.0);
        Path x = dir.resolve("x.csv");
        Files.write(x, "\uFEFF1.143,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        CliTest.Run g = CliTest.run("gram", "--input", x.toString(), "--kernel", "nngp", "--format", "csv");
        assertEquals(0, g.code(), g.err());
        // variant: a UTF-16 file is refused with what to do
        Path u16 = dir.resolve("u16.csv");
        Files.write(u16, "1,2\n3,4\n".getBytes(StandardCharsets.UTF_16));
        assertOneLineExit2(CliTest.run("gram", "--input", u16.toString()), "is UTF-16 text");
        assertOneLineExit2(CliTest.run(args("classify", "--data", u16.toString())), "save it as UTF-8");
    }

    /** Class 8: a missing file is "cannot read F: no such file" for every command that reads data. */
    @Test
    void missingFileSaysSo() throws IOException {
        String missing = dir.resolve("nonexist.csv").toString();
        String want = "cannot read " + missing + ": no such file";
        assertOneLineExit2(CliTest.run(args("classify", "--data", missing)), want);
        assertOneLineExit2(CliTest.run(args("regress", "--data", missing)), want);
        assertOneLineExit2(CliTest.run("gram", "--input", missing), want);
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1,2\n3,4\n");
        assertOneLineExit2(CliTest.run("predict", "--train", x.toString(), "--targets", missing, "--test", x.toString()), want);
        assertOneLineExit2(CliTest.run("interpolate", "--data", missing), want);
    }

    /** Class 6: a column ×1e300 or ×1e-170 (variant: ×1e-300) classifies as the unscaled one. */
    @Test
    void scaledColumnClassifiesAsUnscaled() throws IOException {
        String[] labels = {"a", "b", "c"};
        double plain = accuracy(CliTest.run(args("classify", "--data", threeClasses("p.csv", labels, b -> b).toString(),
                "--format", "json")));
        // the second feature matters: without it (a constant column) the accuracy is lower
        double without = accuracy(CliTest.run(args("classify", "--data", threeClasses("c.csv", labels, b -> 1).toString(),
                "--format", "json", "--drop-constant")));
        assertTrue(plain > without + 0.2, plain + " vs " + without);
        for (double s : new double[] {1e300, 1e-170, 1e-300}) {
            Path p = threeClasses("s.csv", labels, b -> b * s);
            assertEquals(plain, accuracy(CliTest.run(args("classify", "--data", p.toString(), "--format", "json"))), 0.0,
                    "column x" + s);
        }
    }

    /** Class 7: regress --folds 2 --inner-folds 20 on 30 rows (training parts of 15) is refused; 15 is accepted. */
    @Test
    void innerFoldsBeyondTrainingRowsAreRefused() throws IOException {
        Path p = threeClasses("r.csv", new String[] {"1.5", "2.5", "-1"}, b -> b);
        assertOneLineExit2(CliTest.run("regress", "--data", p.toString(), "--folds", "2", "--inner-folds", "20", "--depth",
                "1", "--threads", "1"), "20 inner folds are more than the 15 rows of the smallest training part");
        CliTest.Run ok = CliTest.run("regress", "--data", p.toString(), "--folds", "2", "--inner-folds", "15", "--depth", "1",
                "--w-std", "1.4", "--ridge", "0.1", "--threads", "1");
        assertEquals(0, ok.code(), ok.err());
        assertOneLineExit2(CliTest.run("regress", "--data", p.toString(), "--folds", "2", "--inner-folds", "16", "--depth",
                "1", "--threads", "1"), "use at most 15 inner folds");
    }
}
