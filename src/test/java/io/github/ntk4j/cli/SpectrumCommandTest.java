package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntk4j spectrum} end to end, in-process. */
class SpectrumCommandTest {
    @TempDir
    Path dir;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    /**
     * One Dense(1.5, 0.5) layer: the Gram matrix is 2.25·XXᵀ/2 + 0.25·11ᵀ; X has mean-zero
     * orthogonal columns of squared norms 6 and 4, so the eigenvalues are 6.75, 4.5, 1.5, 0, 0, 0.
     */
    @Test
    @SuppressWarnings("unchecked")
    void gramSpectrumJsonHasTheClosedFormEigenvalues() throws IOException {
        Path x = dir.resolve("X.csv");
        Files.writeString(x, "1,1\n-1,1\n1,-1\n-1,-1\n1,0\n-1,0\n");
        CliTest.Run r = run("spectrum", "--input", x.toString(), "--net", "dense(1.5,0.5)", "--kernel", "nngp", "--top", "3",
                "--format", "json", "--vectors");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        List<Double> ev = (List<Double>) m.get("eigenvalues");
        assertEquals(3, ev.size());
        assertEquals(6.75, ev.get(0), 1e-13);
        assertEquals(4.5, ev.get(1), 1e-13);
        assertEquals(1.5, ev.get(2), 1e-13);
        assertEquals(6.0, (Double) m.get("n"));
        List<List<Double>> vec = (List<List<Double>>) m.get("eigenvectors");
        // the third eigenvector is the constant vector ±1/√6
        for (double c : vec.get(2)) {
            assertEquals(1 / Math.sqrt(6), Math.abs(c), 1e-13);
        }
        CliTest.Run text = run("spectrum", "--input", x.toString(), "--net", "dense(1.5,0.5)");
        assertEquals(0, text.code(), text.err());
        String first = text.out().lines().filter(l -> l.startsWith("     1  ")).findFirst().orElseThrow();
        assertEquals(6.75, Double.parseDouble(first.trim().split("\\s+")[1]), 1e-13, text.out());
        Path png = dir.resolve("g.png");
        CliTest.Run plotted = run("spectrum", "--input", x.toString(), "--net", "dense(1.5,0.5)", "--plot", png.toString());
        assertEquals(0, plotted.code(), plotted.err());
        assertTrue(plotted.err().startsWith("spectrum: 3 eigenvalue(s) at or below"), plotted.err());
        assertTrue(Files.size(png) > 1000);
        CliTest.Run csv = run("spectrum", "--input", x.toString(), "--net", "dense(1.5,0.5)", "--format", "csv", "--top", "1");
        String[] cells = csv.out().strip().split(",");
        assertEquals(2, cells.length, csv.out());
        assertEquals(1.0, Double.parseDouble(cells[0]));
        assertEquals(6.75, Double.parseDouble(cells[1]), 1e-13);
    }

    /** Two-layer ReLU NTK on S² (d = 3) by hand: μ₀ = 1/4, μ₁ = 1/6, μ₃ = 0 (docs/KERNEL-RECURSION.md §4). */
    @Test
    @SuppressWarnings("unchecked")
    void sphereSpectrumJsonAndPlot() {
        Path png = dir.resolve("s.png");
        CliTest.Run r = run("spectrum", "--sphere-dim", "3", "--degrees", "5", "--net", "dense(1,0) relu dense(1,0)", "--format", "json",
                "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        List<Double> mu = (List<Double>) m.get("eigenvalue");
        List<Double> mult = (List<Double>) m.get("multiplicity");
        assertEquals(0.25, mu.get(0), 1e-15);
        assertEquals(1.0 / 6, mu.get(1), 1e-15);
        assertEquals(0, mu.get(3), 1e-15);
        assertEquals(List.of(1.0, 3.0, 5.0, 7.0, 9.0, 11.0), mult);
        assertTrue(Files.isRegularFile(png));
        CliTest.Run text = run("spectrum", "--sphere-dim", "3", "--degrees", "2", "--net", "dense(1,0) relu dense(1,0)");
        assertTrue(text.out().contains("     1               3  0.1666666666666"), text.out());
    }

    @Test
    void badUsageExitsTwoWithOneLine() {
        String[][] bad = {
            {"spectrum", "--degrees", "4"},
            {"spectrum", "--input", "x.csv", "--sphere-dim", "3"},
            {"spectrum", "--sphere-dim", "1"},
            {"spectrum", "--sphere-dim", "3", "--top", "2"},
            {"spectrum", "--sphere-dim", "3", "--format", "xml"},
            {"spectrum", "--input", "/nonexistent/X.csv"},
        };
        for (String[] args : bad) {
            CliTest.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertTrue(r.err().startsWith("ntk4j spectrum: "), r.err());
        }
    }

    /** A fixed Fourier-feature map is not rotation invariant: Funk–Hecke is refused with a reason. */
    @Test
    void fourierFeatureNetworkIsRefusedOnTheSphere() {
        CliTest.Run r = run("spectrum", "--sphere-dim", "3", "--net", "fourier(16,1,0) dense(1,0) relu dense(1,0)");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("not a dot-product kernel"), r.err());
    }
}
