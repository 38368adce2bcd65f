package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX reader on the shipped Fashion-MNIST slice against the values Python's gzip and struct
 * read from the same files (src/test/python/make_fashion_slice.py, committed as
 * src/test/resources/reference/fashion-slice.json), and its refusals: wrong magic, truncated
 * files (plain and gzip), trailing bytes, the labels file given for images.
 */
class IdxTest {
    private static final Path SLICE = Path.of("examples/data/fashion-mnist");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reference(String part) throws IOException {
        Map<String, Object> all = (Map<String, Object>) Json.parse(
                Files.readString(Path.of("src/test/resources/reference/fashion-slice.json")));
        return (Map<String, Object>) all.get(part);
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    @Test
    void sliceMatchesPythonsReading() throws IOException {
        for (String part : new String[] {"train", "t10k"}) {
            Map<String, Object> ref = reference(part);
            int[] shape = ints(ref.get("shape"));
            double[][] x = Idx.readImages(SLICE.resolve(part + "-images-idx3-ubyte.gz"));
            int[] y = Idx.readLabels(SLICE.resolve(part + "-labels-idx1-ubyte.gz"));
            assertEquals(shape[0], x.length);
            assertEquals(shape[1] * shape[2], x[0].length);
            assertEquals(shape[0], y.length);
            int[] first = ints(ref.get("first_labels"));
            for (int i = 0; i < first.length; i++) {
                assertEquals(first[i], y[i], part + " label " + i);
            }
            assertEquals(((Number) ref.get("last_label")).intValue(), y[y.length - 1]);
            int[] counts = new int[10];
            for (int v : y) {
                counts[v]++;
            }
            assertArrayEquals(ints(ref.get("class_counts")), counts);
            int[] row14 = ints(ref.get("image0_row14"));
            for (int j = 0; j < 28; j++) {
                assertEquals(row14[j], x[0][14 * 28 + j], part + " image 0 pixel (14, " + j + ")");
            }
            int[] sums = ints(ref.get("pixel_sums_first5"));
            for (int i = 0; i < sums.length; i++) {
                assertEquals(sums[i], sum(x[i]), part + " image " + i);
            }
            assertEquals(((Number) ref.get("pixel_sum_last")).longValue(), sum(x[x.length - 1]));
            long total = 0;
            for (double[] row : x) {
                total += sum(row);
            }
            assertEquals(((Number) ref.get("total_pixel_sum")).longValue(), total);
        }
    }

    private static long sum(double[] row) {
        long s = 0;
        for (double v : row) {
            s += (long) v;
        }
        return s;
    }

    /** The same bytes uncompressed read the same; a file name decides IDX and gzip. */
    @Test
    void plainFileAndNames() throws IOException {
        Path plain = dir.resolve("train-labels-idx1-ubyte");
        Files.write(plain, gunzip(SLICE.resolve("train-labels-idx1-ubyte.gz")));
        assertArrayEquals(Idx.readLabels(SLICE.resolve("train-labels-idx1-ubyte.gz")), Idx.readLabels(plain));
        assertTrue(Idx.isIdx(plain));
        assertTrue(Idx.isIdx(Path.of("a/t10k-images-idx3-ubyte.gz")));
        assertTrue(Idx.isIdx(Path.of("x.idx3")));
        assertFalse(Idx.isIdx(Path.of("iris.csv")));
        assertFalse(Idx.isIdx(Path.of("digits.csv.gz")));
    }

    private static byte[] gunzip(Path p) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        if (gzip) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (OutputStream o = new GZIPOutputStream(b)) {
                o.write(bytes);
            }
            Files.write(p, b.toByteArray());
        } else {
            Files.write(p, bytes);
        }
        return p;
    }

    private static String refusal(Runnable r) {
        Ntk4jException e = assertThrows(Ntk4jException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusals() throws IOException {
        byte[] images = gunzip(SLICE.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] wrongMagic = images.clone();
        wrongMagic[0] = 0x1f;
        Path bad = write("bad-images-idx3-ubyte", wrongMagic, false);
        assertTrue(refusal(() -> Idx.readImages(bad)).contains("magic number"));

        Path cut = write("cut-images-idx3-ubyte", java.util.Arrays.copyOf(images, images.length - 100), false);
        String m = refusal(() -> Idx.readImages(cut));
        assertTrue(m.contains("truncated") && m.contains("392000") && m.contains("391900"), m);

        // a gzip stream cut short: its compressed bytes end early
        byte[] gz = Files.readAllBytes(SLICE.resolve("t10k-images-idx3-ubyte.gz"));
        Path cutGz = dir.resolve("cut2-images-idx3-ubyte.gz");
        Files.write(cutGz, java.util.Arrays.copyOf(gz, gz.length / 2));
        assertTrue(refusal(() -> Idx.readImages(cutGz)).contains("truncated"));

        byte[] longer = java.util.Arrays.copyOf(images, images.length + 3);
        Path extra = write("extra-images-idx3-ubyte.gz", longer, true);
        assertTrue(refusal(() -> Idx.readImages(extra)).contains("bytes after"));

        Path labels = SLICE.resolve("t10k-labels-idx1-ubyte.gz");
        assertTrue(refusal(() -> Idx.readImages(labels)).contains("labels file"));
        assertTrue(refusal(() -> Idx.readLabels(SLICE.resolve("t10k-images-idx3-ubyte.gz"))).contains("images file"));

        byte[] floats = java.util.Arrays.copyOf(images, 64);
        floats[2] = 0x0d;
        Path f = write("f-images-idx3-ubyte", floats, false);
        assertTrue(refusal(() -> Idx.readImages(f)).contains("0x0d"));

        Path tiny = write("tiny-idx1-ubyte", new byte[] {0, 0}, false);
        assertTrue(refusal(() -> Idx.readLabels(tiny)).contains("magic"));
    }
}
