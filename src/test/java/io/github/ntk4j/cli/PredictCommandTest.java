package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntk4j predict} end to end, in-process. */
class PredictCommandTest {
    @TempDir
    Path dir;

    private static final String NET = "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)";
    private static final double[][] X = {{0.1, -0.4}, {0.7, 0.2}, {-0.9, 0.5}, {0.3, 0.8}, {-0.2, -0.6}};
    private static final double[][] Y = {{1.0}, {-0.5}, {0.25}, {2.0}, {0.0}};
    private static final double[][] XS = {{0.0, 0.0}, {0.5, -0.5}};

    private Path x;
    private Path y;
    private Path xs;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    private static String csv(double[][] m) {
        StringBuilder sb = new StringBuilder();
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j > 0 ? "," : "").append(row[j]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @BeforeEach
    void files() throws IOException {
        x = dir.resolve("X.csv");
        y = dir.resolve("Y.csv");
        xs = dir.resolve("Xs.csv");
        Files.writeString(x, csv(X));
        Files.writeString(y, csv(Y));
        Files.writeString(xs, csv(XS));
    }

    /** t = ∞: the mean is Θ(X*, X) Θ(X, X)⁻¹ Y, here by an independent LU solve. */
    @Test
    @SuppressWarnings("unchecked")
    void infiniteTimeJsonMatchesADirectSolve() {
        CliTest.Run r = run("predict", "--train", x.toString(), "--targets", y.toString(), "--test", xs.toString(), "--net", NET,
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        NtkRecursion e = NtkRecursion.of(NetworkSpec.parse(NET));
        double[][] alpha = new LUDecomposition(new Array2DRowRealMatrix(e.gram(X, KernelKind.NTK))).getSolver()
                .solve(new Array2DRowRealMatrix(Y)).getData();
        double[][] cross = e.cross(XS, X, KernelKind.NTK);
        List<List<Double>> mean = (List<List<Double>>) m.get("mean");
        for (int j = 0; j < XS.length; j++) {
            double expected = 0;
            for (int i = 0; i < X.length; i++) {
                expected += cross[j][i] * alpha[i][0];
            }
            assertEquals(expected, mean.get(j).get(0), 1e-10 * Math.abs(expected));
        }
        assertEquals("inf", m.get("time"));
        assertTrue((Double) m.get("train_residual_rms") < 1e-12);
        assertEquals(2, ((List<?>) m.get("variance")).size());
    }

    /** t = 0: the untrained ensemble, mean 0 and residual −Y (rms of Y). */
    @Test
    void timeZeroCsv() {
        CliTest.Run r = run("predict", "--train", x.toString(), "--targets", y.toString(), "--test", xs.toString(), "--net", NET,
                "--time", "0", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("0.0,") && lines[1].startsWith("0.0,"), r.out());
        double rmsY = Math.sqrt((1 + 0.25 + 0.0625 + 4) / 5);
        double printed = Double.parseDouble(lines[2].replaceAll("^# train residual rms (\\S+) at t = 0.0$", "$1"));
        assertEquals(rmsY, printed, 1e-14);
    }

    @Test
    void textOutputAndGpMode() {
        CliTest.Run r = run("predict", "--train", x.toString(), "--targets", y.toString(), "--test", xs.toString(), "--net", NET,
                "--time", "0.3", "--lr", "2", "--directions", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training residual f_t(X) - Y: rms"), r.out());
        assertTrue(r.out().contains("... 2 more"), r.out());
        CliTest.Run gp = run("predict", "--train", x.toString(), "--targets", y.toString(), "--test", xs.toString(), "--net", NET,
                "--mode", "gp", "--diag-reg", "0.1");
        assertEquals(0, gp.code(), gp.err());
        assertTrue(gp.out().contains("gp: NNGP Bayesian inference"), gp.out());
    }

    @Test
    void illConditionedAndBadUsage() throws IOException {
        Path dup = dir.resolve("Xdup.csv");
        Path ydup = dir.resolve("Ydup.csv");
        Files.writeString(dup, csv(X) + "0.1,-0.4\n");
        Files.writeString(ydup, csv(Y) + "1.0\n");
        CliTest.Run r = run("predict", "--train", dup.toString(), "--targets", ydup.toString(), "--test", xs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("ill-conditioned") && r.err().contains("--diag-reg"), r.err());
        CliTest.Run ok = run("predict", "--train", dup.toString(), "--targets", ydup.toString(), "--test", xs.toString(),
                "--diag-reg", "1e-6");
        assertEquals(0, ok.code(), ok.err());
        String[][] bad = {
            {"--time", "-1"},
            {"--time", "soon"},
            {"--lr", "0"},
            {"--mode", "sgd"},
            {"--mode", "gp", "--time", "3"},
            {"--diag-reg", "-1"},
            {"--format", "xml"},
        };
        for (String[] extra : bad) {
            String[] base = {"predict", "--train", x.toString(), "--targets", y.toString(), "--test", xs.toString()};
            String[] full = new String[base.length + extra.length];
            System.arraycopy(base, 0, full, 0, base.length);
            System.arraycopy(extra, 0, full, base.length, extra.length);
            CliTest.Run b = run(full);
            assertEquals(2, b.code(), String.join(" ", extra) + ": " + b.err());
            assertTrue(b.err().startsWith("ntk4j predict: "), b.err());
        }
        CliTest.Run mismatch = run("predict", "--train", x.toString(), "--targets", xs.toString(), "--test", xs.toString());
        assertEquals(2, mismatch.code());
        assertTrue(mismatch.err().contains("dimension mismatch"), mismatch.err());
    }
}
