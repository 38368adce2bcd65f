package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolateCommandTest {

    @SuppressWarnings("unchecked")
    @Test
    void irisJsonHasEveryMethodPerNoiseLevelAndAPlot(@TempDir Path dir) throws Exception {
        Path plot = dir.resolve("noise.png");
        CliTest.Run r = CliTest.run("interpolate", "--data", "examples/data/iris.csv", "--header", "--noise", "0,0.2",
                "--folds", "3", "--format", "json", "--plot", plot.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> o = (Map<String, Object>) Json.parse(r.out());
        assertEquals(111, ((Number) o.get("train_rows")).intValue()); // 150 rows: round(0.25·50) = 13 of each of 3 classes held out
        assertEquals(3, ((Number) o.get("classes")).intValue());
        assertTrue(((Number) o.get("condition_number")).doubleValue() >= 1);
        List<Map<String, Object>> levels = (List<Map<String, Object>>) o.get("levels");
        assertEquals(2, levels.size());
        for (Map<String, Object> l : levels) {
            Map<String, Object> in = (Map<String, Object>) l.get("interpolant");
            assertEquals(1.0, ((Number) in.get("train_accuracy")).doubleValue(), 0.0);
            assertEquals(Boolean.TRUE, in.get("interpolates"));
            for (String m : new String[] {"interpolant", "cv_ridge", "early_stopping"}) {
                Map<String, Object> s = (Map<String, Object>) l.get(m);
                double test = ((Number) s.get("test_accuracy")).doubleValue();
                assertTrue(test > 0.5 && test <= 1, m + " " + test);
                assertNotNull(s.get("train_accuracy"));
            }
            assertNotNull(l.get("bayes_consistent_error"));
        }
        assertTrue(Files.size(plot) > 1000);
    }

    /**
     * IDX images with their labels' file give the same run as the same rows written as a labelled
     * CSV file (the IDX reader itself is checked against Python's reading in IdxTest).
     */
    @Test
    void idxImagesWithLabelsReadAsTheirCsvCopy(@TempDir Path dir) throws Exception {
        Path images = Path.of("examples/data/fashion-mnist/t10k-images-idx3-ubyte.gz");
        Path labels = Path.of("examples/data/fashion-mnist/t10k-labels-idx1-ubyte.gz");
        double[][] x = io.github.ntk4j.io.Idx.readImages(images);
        int[] y = io.github.ntk4j.io.Idx.readLabels(labels);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            for (double v : x[i]) {
                csv.append((int) v).append(',');
            }
            csv.append(y[i]).append('\n');
        }
        Path copy = dir.resolve("fashion.csv");
        Files.writeString(copy, csv);
        String[] common = {"--noise", "0", "--folds", "3", "--format", "json", "--threads", "1"};
        CliTest.Run fromIdx = CliTest.run(concat(new String[] {"interpolate", "--data", images.toString(), "--labels",
            labels.toString()}, common));
        CliTest.Run fromCsv = CliTest.run(concat(new String[] {"interpolate", "--data", copy.toString()}, common));
        assertEquals(0, fromIdx.code(), fromIdx.err());
        assertEquals(0, fromCsv.code(), fromCsv.err());
        assertEquals(levels(fromCsv), levels(fromIdx));
        // negative control: IDX images without their labels are refused, not read as labelled rows
        assertEquals(2, CliTest.run("interpolate", "--data", images.toString()).code());
    }

    @SuppressWarnings("unchecked")
    private static Object levels(CliTest.Run r) {
        return ((Map<String, Object>) Json.parse(r.out())).get("levels");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void syntheticNormGrowthText() {
        CliTest.Run r = CliTest.run("interpolate", "--synthetic", "2", "--norm-sizes", "50,100", "--noise", "0,0.1",
                "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("n = 100"), r.out());
        assertTrue(r.out().contains("Laplace l=7.07"), r.out()); // l = sqrt(50) by default
        assertEquals(3 + 1 + 8 + 1, r.out().split("\n").length, r.out()); // source, kernels, legend, header, 4 kernels × 2 noise, time
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        for (String[] args : new String[][] {
            {"interpolate"},
            {"interpolate", "--synthetic", "2", "--noise", "0,1.5"},
            {"interpolate", "--synthetic", "2", "--kernel", "cubic"},
            {"interpolate", "--data", "examples/data/iris.csv", "--synthetic", "2"},
            {"interpolate", "--synthetic", "2", "--norm-sizes", "100,50"},
            {"interpolate", "--synthetic", "2", "--plot", "out.txt"},
            {"interpolate", "--data", "no-such-file.csv"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
