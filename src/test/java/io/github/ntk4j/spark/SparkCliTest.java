package io.github.ntk4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.cli.Main;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.learn.KernelFamily;
import io.github.ntk4j.learn.KernelModelSelection;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with --engine spark (embedded local mode), against the single-machine library. */
class SparkCliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(code, o.toString(), e.toString());
    }

    static double[][] data(int n, int d, long seed) {
        return io.github.ntk4j.TestData.gaussianRows(n, d, seed);
    }

    @Test
    void gramWritesTheMatrixOfOneMachine() throws IOException {
        double[][] x = data(60, 3, 1);
        Path in = dir.resolve("x.csv");
        Csv.write(in, x);
        String out = dir.resolve("k").toString();
        Run r = run("gram", "--engine", "spark", "--master", "local[2]", "--input", in.toString(), "--output", out,
                "--block-rows", "16", "--kernel", "nngp", "--depth", "3", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rows\": 60") && r.out().contains("\"cols\": 60"), r.out());
        assertEquals("", r.err());
        SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        double[][] got;
        try {
            got = SparkGram.read(s, out);
        } finally {
            s.stop();
        }
        Network net = Network.fullyConnected(NetworkSpec.parseActivation("relu"), 3, 1.4, 0.1);
        double[][] want = NtkRecursion.of(net).gram(x, KernelKind.NNGP);
        StandaloneClusterTest.assertClose(want, got, 1e-12);
        // an existing output directory is refused before any work, and left alone
        Run again = run("gram", "--engine", "spark", "--input", in.toString(), "--output", out);
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("exists"), again.err());
    }

    @Test
    void predictFalkonEqualsOneMachine() throws IOException {
        double[][] x = data(300, 2, 2);
        double[][] y = new double[300][1];
        for (int i = 0; i < 300; i++) {
            y[i][0] = Math.sin(2 * x[i][0]) + x[i][1];
        }
        double[][] t = data(20, 2, 3);
        Csv.write(dir.resolve("x.csv"), x);
        Csv.write(dir.resolve("y.csv"), y);
        Csv.write(dir.resolve("t.csv"), t);
        Run r = run("predict", "--engine", "spark", "--master", "local[2]", "--solver", "falkon", "--train",
                dir.resolve("x.csv").toString(), "--targets", dir.resolve("y.csv").toString(), "--test",
                dir.resolve("t.csv").toString(), "--diag-reg", "0.1", "--centres", "50", "--seed", "4");
        assertEquals(0, r.code(), r.err());
        Network net = Network.fullyConnected(NetworkSpec.parseActivation("relu"), 2, 1.4, 0.1);
        FalkonRegressor local = FalkonRegressor.fit(NtkRecursion.of(net), KernelKind.NTK, x, y, FalkonRegressor.Options.ridge(0.1).withCentres(50).withIterations(100).withTolerance(1e-7).withSeed(4));
        double[][] want = local.predict(t);
        List<String> lines = r.out().lines().toList();
        assertEquals(20, lines.size(), r.out());
        double[][] got = new double[20][1];
        for (int i = 0; i < 20; i++) {
            got[i][0] = Double.parseDouble(lines.get(i));
        }
        // the conjugate gradient stops at a residual of 1e-7: sums in another order move its last digits
        StandaloneClusterTest.assertClose(want, got, 1e-6);
    }

    @Test
    void classifyOnSparkPredictsAsOneMachine() throws IOException {
        // two overlapping classes with text labels; the single-machine classifier
        // (KernelModelSelection with the same one network, ridge and FALKON centres) predicts the same labels
        double[][] x = data(200, 2, 5);
        String[] labels = new String[x.length];
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            x[i][0] += 2.5 * (i % 2);
            labels[i] = i % 2 == 0 ? "cat" : "dog";
            sb.append(x[i][0]).append(',').append(x[i][1]).append(',').append(labels[i]).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), sb.toString());
        Run r = run("classify", "--engine", "spark", "--master", "local[2]", "--data", dir.resolve("d.csv").toString(),
                "--centres", "40", "--depth", "1", "--ridge", "0.01", "--format", "json", "--predict",
                dir.resolve("d.csv").toString(), "--output", dir.resolve("p").toString());
        assertEquals(0, r.code(), r.err());
        List<String> pred = new ArrayList<>();
        try (var parts = Files.list(dir.resolve("p"))) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                pred.addAll(Files.readAllLines(p));
            }
        }
        assertEquals(200, pred.size());
        KernelFamily family = KernelFamily.fullyConnected("relu").withGrid("depth", 1).withGrid("w_std", 1.4)
                .withGrid("b_std", 0.1).withKinds(KernelKind.NTK);
        KernelModelSelection.Options options = KernelModelSelection.Options.defaults().withRidges(0.01)
                .withSolver(KernelModelSelection.Solver.falkon(40)).withThreads(2);
        String[] want = KernelModelSelection.fit(KernelModelSelection.Task.CLASSIFY, x, labels, family, options).predict(x)
                .labels();
        int right = 0;
        for (int i = 0; i < 200; i++) {
            assertEquals(want[i], pred.get(i), "row " + i);
            right += want[i].equals(labels[i]) ? 1 : 0;
        }
        assertTrue(r.out().contains("\"train_accuracy\": " + right / 200.0), r.out());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,0\n3,x,1\n");
        Run r = run("classify", "--engine", "spark", "--master", "local[1]", "--data", bad.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("line 2, column 2: 'x' is not a number"), r.err());
        // an unreachable standalone master: one line, exit 2, before any Spark start
        Run m = run("gram", "--engine", "spark", "--master", "spark://127.0.0.1:1", "--input", bad.toString(), "--output",
                dir.resolve("k").toString());
        assertEquals(2, m.code(), m.err());
        assertEquals(1, m.err().lines().count(), m.err());
        assertTrue(m.err().contains("no Spark master answers at 127.0.0.1:1"), m.err());
        assertFalse(Files.exists(dir.resolve("k")));
        Run u = run("gram", "--engine", "spark", "--master", "nonsense://x", "--input", bad.toString(), "--output",
                dir.resolve("k").toString());
        assertEquals(2, u.code(), u.err());
        assertEquals(1, u.err().lines().count(), u.err());
        // a truncated IDX file
        Path idx = dir.resolve("t-images-idx3-ubyte");
        Files.write(idx, new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5});
        Files.write(dir.resolve("t-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5});
        Run t = run("gram", "--engine", "spark", "--master", "local[1]", "--input", idx.toString(), "--output",
                dir.resolve("k2").toString());
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().contains("truncated"), t.err());
        assertFalse(Files.exists(dir.resolve("k2")));
    }
}
