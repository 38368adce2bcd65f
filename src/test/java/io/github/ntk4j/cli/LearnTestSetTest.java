package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Idx;
import io.github.ntk4j.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classify}/{@code regress} with a test set ({@code --test-data}): on the shipped
 * Fashion-MNIST slice (IDX) and on CSV files; the reported test score recomputed from the
 * written predictions; the same data as IDX and as CSV give the same score; shuffled training
 * labels (a negative control) fall to chance; bad input is one line, exit 2, no output file.
 */
class LearnTestSetTest {
    private static final Path SLICE = Path.of("examples/data/fashion-mnist");
    private static final String TRAIN_X = SLICE.resolve("train-images-idx3-ubyte.gz").toString();
    private static final String TRAIN_Y = SLICE.resolve("train-labels-idx1-ubyte.gz").toString();
    private static final String TEST_X = SLICE.resolve("t10k-images-idx3-ubyte.gz").toString();
    private static final String TEST_Y = SLICE.resolve("t10k-labels-idx1-ubyte.gz").toString();
    private static final String[] FALKON = {"--solver", "falkon", "--centres", "200", "--depth", "2", "--w-std", "1.4",
        "--ridge", "1e-3,1e-1", "--validation", "0.2", "--iterations", "40", "--format", "json"};

    @TempDir
    Path dir;

    private static String[] cat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        return (Map<String, Object>) Json.parse(r.out().strip());
    }

    private static double accuracy(Path predictions, int[] truth) throws IOException {
        List<String> p = Files.readAllLines(predictions);
        assertEquals(truth.length, p.size());
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            right += p.get(i).equals(Integer.toString(truth[i])) ? 1 : 0;
        }
        return (double) right / truth.length;
    }

    /**
     * The negative control of a classify run on the slice: the training labels shuffled (seed 3),
     * the options otherwise as given, must score near chance (below 0.2 of ten classes) on the
     * test images.
     */
    private void assertShuffledLabelsFallToChance(String... options) throws IOException {
        double[][] x = Idx.readImages(Path.of(TRAIN_X));
        List<Integer> shuffled = new ArrayList<>();
        for (int v : Idx.readLabels(Path.of(TRAIN_Y))) {
            shuffled.add(v);
        }
        Collections.shuffle(shuffled, new Random(3));
        Path noise = csv("noise.csv", x, shuffled.stream().mapToInt(Integer::intValue).toArray(), true);
        String[] args = cat(new String[] {"classify", "--data", noise.toString(), "--test-data", TEST_X, "--test-labels",
            TEST_Y}, options);
        Map<String, Object> n = json(CliTest.run(cat(args, FALKON)));
        assertTrue((Double) n.get("test_accuracy") < 0.2, "shuffled labels: " + n.get("test_accuracy"));
    }

    /** Writes the slice as a labelled CSV file (features, then the label). */
    private Path csv(String name, double[][] x, int[] y, boolean withLabel) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                b.append(j == 0 ? "" : ",").append((int) x[i][j]);
            }
            if (withLabel && y != null) {
                b.append(',').append(y[i]);
            }
            b.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, b);
        return p;
    }

    @Test
    void fashionSliceIdxAndCsvAgreeAndTheScoreIsThePredictions() throws IOException {
        Path out = dir.resolve("pred.txt");
        Map<String, Object> m = json(CliTest.run(cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y,
            "--test-data", TEST_X, "--test-labels", TEST_Y, "--output", out.toString()}, FALKON)));
        double acc = (Double) m.get("test_accuracy");
        int[] truth = Idx.readLabels(Path.of(TEST_Y));
        assertEquals(accuracy(out, truth), acc, 0.0);
        assertTrue(acc > 0.75, "a kernel classifier on 2,000 Fashion-MNIST images: " + acc);
        assertEquals(1600, ((Number) m.get("training_rows")).intValue());
        assertEquals(400, ((Number) m.get("validation_rows")).intValue());
        assertEquals(500, ((Number) m.get("test_rows")).intValue());
        assertEquals(2, ((List<?>) m.get("trials")).size());
        double val = (Double) m.get("validation_accuracy");
        assertTrue(val > 0.7 && val <= 1, "validation " + val);
        assertTrue(m.containsKey("seconds") && m.containsKey("kernel_pass_seconds")
                && m.containsKey("final_cg_iteration_seconds"), m.keySet().toString());

        // the same rows as CSV: training file labelled, test file features + --test-labels as text
        double[][] x = Idx.readImages(Path.of(TRAIN_X));
        int[] y = Idx.readLabels(Path.of(TRAIN_Y));
        double[][] xt = Idx.readImages(Path.of(TEST_X));
        Path train = csv("train.csv", x, y, true);
        Path test = csv("test.csv", xt, truth, true);
        Map<String, Object> c = json(CliTest.run(cat(new String[] {"classify", "--data", train.toString(), "--test-data",
            test.toString(), "--drop-constant"}, FALKON)));
        assertEquals(acc, (Double) c.get("test_accuracy"), 0.0, "IDX and CSV: the same numbers");

        // negative control: training labels shuffled, the test accuracy falls to about chance (0.1)
        List<Integer> shuffled = new ArrayList<>();
        for (int v : y) {
            shuffled.add(v);
        }
        Collections.shuffle(shuffled, new Random(3));
        Path noise = csv("noise.csv", x, shuffled.stream().mapToInt(Integer::intValue).toArray(), true);
        Map<String, Object> n = json(CliTest.run(cat(new String[] {"classify", "--data", noise.toString(), "--test-data",
            test.toString(), "--drop-constant"}, FALKON)));
        assertTrue((Double) n.get("test_accuracy") < 0.2, "shuffled labels: " + n.get("test_accuracy"));
    }

    /**
     * {@code --preprocess sphere} (each image centred and scaled to norm √784) and {@code sqrt-sphere} on the slice: a kernel
     * classifier still, named in the JSON; shuffled labels (negative control) fall to chance; an
     * unknown map is one line and exit 2.
     */
    @Test
    void spherePreprocessingOnTheSlice() throws IOException {
        Map<String, Object> m = json(CliTest.run(cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y,
            "--test-data", TEST_X, "--test-labels", TEST_Y, "--preprocess", "sphere"}, FALKON)));
        assertEquals("sphere", m.get("preprocess"));
        assertTrue((Double) m.get("test_accuracy") > 0.75, "sphere: " + m.get("test_accuracy"));
        Map<String, Object> q = json(CliTest.run(cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y,
            "--test-data", TEST_X, "--test-labels", TEST_Y, "--preprocess", "sqrt-sphere"}, FALKON)));
        assertEquals("sqrt-sphere", q.get("preprocess"));
        assertTrue((Double) q.get("test_accuracy") > 0.75, "sqrt-sphere: " + q.get("test_accuracy"));
        assertShuffledLabelsFallToChance("--preprocess", "sphere");
        CliTest.Run bad = CliTest.run(cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y,
            "--test-data", TEST_X, "--test-labels", TEST_Y, "--preprocess", "zca"}, FALKON));
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("sqrt-sphere"), bad.err());
    }

    /**
     * {@code --centre-draw kpp} on the slice: a kernel classifier still, the draw named in the JSON
     * and noted on standard error; shuffled labels (negative control) fall to chance; an unknown
     * draw, or kpp where no validation split is drawn, is one line and exit 2.
     */
    @Test
    void kppCentreDrawOnTheSlice() throws IOException {
        CliTest.Run r = CliTest.run(cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y,
            "--test-data", TEST_X, "--test-labels", TEST_Y, "--preprocess", "sqrt-sphere", "--centre-draw", "kpp"}, FALKON));
        Map<String, Object> m = json(r);
        assertEquals("kpp", m.get("centre_draw"));
        assertTrue(r.err().contains("kpp centre draw of 200 among 1600 rows"), r.err());
        assertTrue((Double) m.get("test_accuracy") > 0.75, "kpp: " + m.get("test_accuracy"));
        assertShuffledLabelsFallToChance("--preprocess", "sqrt-sphere", "--centre-draw", "kpp");
        for (String[] args : new String[][] {
            cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y, "--test-data", TEST_X, "--test-labels",
                TEST_Y, "--centre-draw", "leverage"}, FALKON),
            cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y, "--centre-draw", "kpp"}, FALKON)}) {
            CliTest.Run bad = CliTest.run(args);
            assertEquals(2, bad.code(), bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());
            assertTrue(bad.err().contains("--centre-draw"), bad.err());
        }
    }

    /**
     * {@code --kernel-storage single} on the slice: named in the JSON and noted on standard error,
     * a kernel classifier still, its validation accuracy within one image of the double storage's
     * (the rounding is far below the ridge; the exact check is FalkonRegressorTest's); an unknown
     * storage, or single where no validation split is drawn, is one line and exit 2.
     */
    @Test
    void singleKernelStorageOnTheSlice() throws IOException {
        String[] base = {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y, "--test-data", TEST_X, "--test-labels", TEST_Y,
            "--preprocess", "sqrt-sphere"};
        CliTest.Run r = CliTest.run(cat(cat(base, new String[] {"--kernel-storage", "single"}), FALKON));
        Map<String, Object> m = json(r);
        Map<String, Object> d = json(CliTest.run(cat(base, FALKON)));
        assertEquals("single", m.get("kernel_storage"));
        assertEquals("double", d.get("kernel_storage"));
        assertTrue(r.err().contains("(kept in single precision)"), r.err());
        assertTrue((Double) m.get("test_accuracy") > 0.75, "single: " + m.get("test_accuracy"));
        double rows = ((Number) m.get("validation_rows")).doubleValue();
        assertEquals((Double) d.get("validation_accuracy"), (Double) m.get("validation_accuracy"), 1.0001 / rows);
        for (String[] args : new String[][] {
            cat(cat(base, new String[] {"--kernel-storage", "half"}), FALKON),
            cat(new String[] {"classify", "--data", TRAIN_X, "--labels", TRAIN_Y, "--kernel-storage", "single"}, FALKON)}) {
            CliTest.Run bad = CliTest.run(args);
            assertEquals(2, bad.code(), bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());
            assertTrue(bad.err().contains("--kernel-storage"), bad.err());
        }
    }

    /** The dense path with a CSV test set (iris, every third row held out): inner cross-validation, test score. */
    @Test
    void denseClassifyAndRegressWithCsvTestSets() throws IOException {
        List<String> iris = Files.readAllLines(Path.of("examples/data/iris.csv"));
        List<String> tr = new ArrayList<>();
        List<String> te = new ArrayList<>();
        for (int i = 1; i < iris.size(); i++) {
            (i % 3 == 0 ? te : tr).add(iris.get(i));
        }
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.write(a, tr);
        Files.write(b, te);
        Map<String, Object> m = json(CliTest.run("classify", "--data", a.toString(), "--test-data", b.toString(), "--depth",
                "1", "--w-std", "1.4", "--ridge", "1e-3,1e-1", "--inner-folds", "3", "--format", "json"));
        assertTrue((Double) m.get("test_accuracy") > 0.85, m.toString());
        assertTrue((Double) m.get("validation_accuracy") > 0.85, m.toString());
        assertEquals(50, ((Number) m.get("test_rows")).intValue());

        List<String> diabetes = Files.readAllLines(Path.of("examples/data/diabetes.csv"));
        Path c = dir.resolve("c.csv");
        Path d = dir.resolve("d.csv");
        Files.write(c, diabetes.subList(0, 342));
        Files.write(d, diabetes.subList(342, diabetes.size()));
        double[] t = diabetes.subList(342, diabetes.size()).stream()
                .mapToDouble(s -> Double.parseDouble(s.substring(s.lastIndexOf(',') + 1))).toArray();
        double mean = java.util.Arrays.stream(t).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(t).map(v -> (v - mean) * (v - mean)).sum() / t.length);
        for (String solver : new String[] {"dense", "falkon"}) {
            Map<String, Object> r = json(CliTest.run("regress", "--data", c.toString(), "--test-data", d.toString(),
                    "--solver", solver, "--centres", "200", "--depth", "1", "--w-std", "1.4", "--ridge", "1e-1,1",
                    "--format", "json"));
            double rmse = (Double) r.get("test_rmse");
            // the predictable part of diabetes progression: well below the targets' spread (≈ 0.75 sd for ridge models)
            assertTrue(rmse < 0.85 * sd && rmse > 0.5 * sd, solver + ": test rmse " + rmse + ", sd " + sd);
        }
    }

    /**
     * {@code regress} on the IDX loaders (the label numbers 0–9 as targets, sqrt-sphere inputs):
     * the same test RMSE as from CSV copies of the files, below the spread of the test labels
     * (the mean predictor's RMSE); shuffled training targets (the negative control) are not.
     */
    @Test
    void regressReadsIdxAsItsCsvCopy() throws IOException {
        String[] common = {"--solver", "falkon", "--centres", "200", "--depth", "2", "--w-std", "1.4", "--ridge", "1e-2",
            "--validation", "0.2", "--iterations", "40", "--preprocess", "sqrt-sphere", "--format", "json"};
        Map<String, Object> m = json(CliTest.run(cat(new String[] {"regress", "--data", TRAIN_X, "--labels", TRAIN_Y,
            "--test-data", TEST_X, "--test-labels", TEST_Y}, common)));
        double rmse = (Double) m.get("test_rmse");
        int[] truth = Idx.readLabels(Path.of(TEST_Y));
        double mean = java.util.Arrays.stream(truth).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(truth).mapToDouble(v -> (v - mean) * (v - mean)).sum() / truth.length);
        assertTrue(rmse < 0.8 * sd, "test rmse " + rmse + ", sd of the test labels " + sd);
        double[][] x = Idx.readImages(Path.of(TRAIN_X));
        int[] y = Idx.readLabels(Path.of(TRAIN_Y));
        Path train = csv("rtrain.csv", x, y, true);
        Path test = csv("rtest.csv", Idx.readImages(Path.of(TEST_X)), truth, true);
        Map<String, Object> c = json(CliTest.run(cat(new String[] {"regress", "--data", train.toString(), "--test-data",
            test.toString()}, common)));
        assertEquals(rmse, (Double) c.get("test_rmse"), 0.0, "IDX and CSV: the same numbers");
        List<Integer> shuffled = new ArrayList<>();
        for (int v : y) {
            shuffled.add(v);
        }
        Collections.shuffle(shuffled, new Random(5));
        Path noise = csv("rnoise.csv", x, shuffled.stream().mapToInt(Integer::intValue).toArray(), true);
        Map<String, Object> n = json(CliTest.run(cat(new String[] {"regress", "--data", noise.toString(), "--test-data",
            test.toString()}, common)));
        assertTrue((Double) n.get("test_rmse") > 0.95 * sd, "shuffled targets: " + n.get("test_rmse") + ", sd " + sd);
    }

    /** {@code predict --solver falkon} reads the IDX files as the same numbers as CSV copies of them. */
    @Test
    void predictFalkonReadsIdxAsItsCsvCopy() throws IOException {
        double[][] x = java.util.Arrays.copyOf(Idx.readImages(Path.of(TRAIN_X)), 300);
        int[] y = Idx.readLabels(Path.of(TRAIN_Y));
        double[][] xt = Idx.readImages(Path.of(TEST_X));
        Path xc = csv("x.csv", x, y, false);
        StringBuilder yc = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            yc.append(y[i]).append('\n');
        }
        Path yp = dir.resolve("y.csv");
        Files.writeString(yp, yc);
        Path tc = csv("t.csv", xt, null, false);
        // the first 300 training images: an IDX copy cut to 300
        byte[] imgs = gunzip(TRAIN_X);
        byte[] head = java.util.Arrays.copyOf(imgs, 16 + 300 * 784);
        head[4] = 0;
        head[5] = 0;
        head[6] = 0x01;
        head[7] = 0x2c;
        Path xi = gzip("x-images-idx3-ubyte.gz", head);
        byte[] labs = java.util.Arrays.copyOf(gunzip(TRAIN_Y), 8 + 300);
        labs[4] = 0;
        labs[5] = 0;
        labs[6] = 0x01;
        labs[7] = 0x2c;
        Path yi = gzip("y-labels-idx1-ubyte.gz", labs);
        String[] common = {"--solver", "falkon", "--centres", "50", "--diag-reg", "1", "--w-std", "1.4", "--b-std", "0.1",
            "--depth", "1", "--format", "csv"};
        CliTest.Run idx = CliTest.run(cat(new String[] {"predict", "--train", xi.toString(), "--targets", yi.toString(),
            "--test", TEST_X}, common));
        CliTest.Run csv = CliTest.run(cat(new String[] {"predict", "--train", xc.toString(), "--targets", yp.toString(),
            "--test", tc.toString()}, common));
        assertEquals(0, idx.code(), idx.err());
        assertEquals(0, csv.code(), csv.err());
        assertEquals(csv.out(), idx.out());
        assertTrue(idx.out().lines().filter(l -> !l.startsWith("#")).count() >= 500, idx.out().lines().limit(3).toList()
                .toString());
    }

    /**
     * {@code predict --preprocess}: the training and test images mapped before the kernel, the
     * map fitted on the training images. The reference maps the images here by the formulas
     * themselves (sqrt-sphere: √x per pixel, centred by the row mean, scaled to norm √784;
     * standardise: the training columns' mean and sd, divisor n, a constant column to 0),
     * writes them as CSV and predicts from them unmapped: the same means to 1e-9. Unmapped
     * images (the negative control) give other means; an unknown map is one line, exit 2.
     */
    @Test
    void predictPreprocessMapsTrainingAndTestInputs() throws IOException {
        double[][] x = java.util.Arrays.copyOf(Idx.readImages(Path.of(TRAIN_X)), 300);
        int[] labels = Idx.readLabels(Path.of(TRAIN_Y));
        double[][] xt = java.util.Arrays.copyOf(Idx.readImages(Path.of(TEST_X)), 100);
        StringBuilder yc = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            yc.append(labels[i] == 0 ? 1 : -1).append('\n'); // one output: T-shirt or not
        }
        Path y = dir.resolve("y.csv");
        Files.writeString(y, yc);
        Path xRaw = exactCsv("x-raw.csv", x);
        Path tRaw = exactCsv("t-raw.csv", xt);
        String[] common = {"--diag-reg", "0.1", "--depth", "2", "--w-std", "1.4", "--b-std", "0.1", "--format", "csv",
            "--threads", "1"};
        for (String kind : new String[] {"sqrt-sphere", "standardise"}) {
            double[][] mx;
            double[][] mt;
            if (kind.equals("sqrt-sphere")) {
                mx = sqrtSphere(x);
                mt = sqrtSphere(xt);
            } else {
                double[][][] z = standardise(x, xt);
                mx = z[0];
                mt = z[1];
            }
            CliTest.Run mapped = CliTest.run(cat(new String[] {"predict", "--train", xRaw.toString(), "--targets",
                y.toString(), "--test", tRaw.toString(), "--preprocess", kind}, common));
            CliTest.Run reference = CliTest.run(cat(new String[] {"predict", "--train", exactCsv("x-" + kind + ".csv", mx)
                .toString(), "--targets", y.toString(), "--test", exactCsv("t-" + kind + ".csv", mt).toString()}, common));
            assertEquals(0, mapped.code(), mapped.err());
            assertEquals(0, reference.code(), reference.err());
            double[] a = means(mapped.out());
            double[] b = means(reference.out());
            assertEquals(100, a.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-9 * Math.max(1, Math.abs(b[i])), kind + " test row " + i);
            }
            CliTest.Run raw = CliTest.run(cat(new String[] {"predict", "--train", xRaw.toString(), "--targets",
                y.toString(), "--test", tRaw.toString()}, common));
            double[] c = means(raw.out());
            double diff = 0;
            for (int i = 0; i < c.length; i++) {
                diff = Math.max(diff, Math.abs(c[i] - b[i]));
            }
            assertTrue(diff > 1e-3, kind + ": the unmapped inputs give the same means (" + diff + ")");
        }
        CliTest.Run bad = CliTest.run(cat(new String[] {"predict", "--train", xRaw.toString(), "--targets", y.toString(),
            "--test", tRaw.toString(), "--preprocess", "zca"}, common));
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("sqrt-sphere"), bad.err());
        assertTrue(bad.out().isEmpty(), bad.out());
    }

    private Path exactCsv(String name, double[][] x) throws IOException {
        StringBuilder b = new StringBuilder();
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                b.append(j == 0 ? "" : ",").append(row[j]);
            }
            b.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, b);
        return p;
    }

    private static double[] means(String csvOut) {
        return csvOut.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.split(",")[0])).toArray();
    }

    private static double[][] sqrtSphere(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            int d = x[i].length;
            double[] r = new double[d];
            double mean = 0;
            for (int j = 0; j < d; j++) {
                r[j] = Math.sqrt(x[i][j]);
                mean += r[j] / d;
            }
            double ss = 0;
            for (int j = 0; j < d; j++) {
                r[j] -= mean;
                ss += r[j] * r[j];
            }
            for (int j = 0; j < d; j++) {
                r[j] *= Math.sqrt(d) / Math.sqrt(ss);
            }
            out[i] = r;
        }
        return out;
    }

    private static double[][][] standardise(double[][] x, double[][] xt) {
        int d = x[0].length;
        double[][] a = new double[x.length][d];
        double[][] b = new double[xt.length][d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[j] / x.length;
            }
            double var = 0;
            for (double[] row : x) {
                var += (row[j] - mean) * (row[j] - mean) / x.length;
            }
            double sd = Math.sqrt(var);
            for (int i = 0; i < x.length; i++) {
                a[i][j] = sd > 0 ? (x[i][j] - mean) / sd : 0;
            }
            for (int i = 0; i < xt.length; i++) {
                b[i][j] = sd > 0 ? (xt[i][j] - mean) / sd : 0;
            }
        }
        return new double[][][] {a, b};
    }

    private static byte[] gunzip(String p) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(Path.of(p)))) {
            return in.readAllBytes();
        }
    }

    private Path gzip(String name, byte[] bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            o.write(bytes);
        }
        Path p = dir.resolve(name);
        Files.write(p, b.toByteArray());
        return p;
    }

    @Test
    void badInputIsOneLineExitTwoAndNoOutput() throws IOException {
        byte[] images = gunzip(TEST_X);
        Path truncated = gzip("t-images-idx3-ubyte.gz", java.util.Arrays.copyOf(images, images.length - 784));
        byte[] wrong = images.clone();
        wrong[2] = 0x08;
        wrong[3] = 0x01; // says idx1: labels
        wrong[0] = 0x42;
        Path magic = gzip("m-images-idx3-ubyte.gz", wrong);
        byte[] lab = gunzip(TEST_Y);
        lab[6] = (byte) 0x01; // header: 300 labels (0x012c), and 300 of them
        lab[7] = (byte) 0x2c;
        Path fewer = gzip("f-labels-idx1-ubyte.gz", java.util.Arrays.copyOf(lab, 8 + 300));
        Path narrow = csv("narrow.csv", new double[][] {{1, 2, 3}, {4, 5, 6}}, new int[] {0, 1}, true);
        String[][] cases = {
            {"truncated", "--data", truncated.toString(), "--labels", TEST_Y, "--test-data", TEST_X, "--test-labels", TEST_Y},
            {"magic number", "--data", magic.toString(), "--labels", TEST_Y, "--test-data", TEST_X, "--test-labels", TEST_Y},
            {"300 labels", "--data", TEST_X, "--labels", fewer.toString(), "--test-data", TEST_X, "--test-labels", TEST_Y},
            {"300 labels", "--data", TRAIN_X, "--labels", TRAIN_Y, "--test-data", TEST_X, "--test-labels", fewer.toString()},
            {"features per row", "--data", TRAIN_X, "--labels", TRAIN_Y, "--test-data", narrow.toString()},
            {"--test-labels", "--data", TRAIN_X, "--labels", TRAIN_Y, "--test-data", TEST_X},
            {"--labels", "--data", TRAIN_X, "--test-data", TEST_X, "--test-labels", TEST_Y},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("never.txt");
            String[] args = cat(cat(new String[] {"classify"}, java.util.Arrays.copyOfRange(c, 1, c.length)),
                    cat(FALKON, "--output", out.toString()));
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), err);
            assertTrue(err.contains(c[0]), c[0] + " in: " + err);
            assertFalse(Files.exists(out), "no output written");
        }
    }
}
