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

/** The {@code train} command end to end: JSON and CSV shape, exit codes, bad input. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    @SuppressWarnings("unchecked")
    @Test
    void jsonHasTheDocumentedShapeAndExitCodeFollowsPass() throws IOException {
        Path png = dir.resolve("lazy.png");
        CliTest.Run r = run("train", "--widths", "32,64,128,256", "--seeds", "2", "--steps", "10", "--format", "json",
                "--threads", "2", "--plot", png.toString());
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out().strip());
        assertEquals(List.of(32.0, 64.0, 128.0, 256.0), root.get("widths"));
        assertEquals(10.0, root.get("steps"));
        double lr = (Double) root.get("learning_rate");
        // default η = 1/λ_max of the analytic NTK
        assertEquals(1 / (Double) root.get("theta_eigenvalue_max"), lr, 1e-12 * lr);
        assertEquals(10 * lr, (Double) root.get("time"), 1e-12);
        List<Map<String, Object>> checks = (List<Map<String, Object>>) root.get("checks");
        // distance, own distance, NTK change, all weights, two Dense layers (default: one hidden layer)
        assertEquals(6, checks.size());
        assertEquals("test_distance_to_infinite_width_linearisation", checks.get(0).get("key"));
        String overall = "PASS";
        for (Map<String, Object> c : checks) {
            assertEquals(4, ((List<?>) c.get("mean")).size());
            assertEquals(4, ((List<?>) c.get("stderr")).size());
            List<Double> ci = (List<Double>) c.get("slope_ci");
            double slope = (Double) c.get("slope");
            assertTrue(ci.get(0) <= slope && slope <= ci.get(1));
            assertEquals(1 - 0.05 / 6, (Double) c.get("slope_ci_level"), 1e-12);
            // the documented decision (SlopeCheck), recomputed from the reported interval
            double e = (Double) c.get("expected_slope");
            boolean exact = "consistent".equals(c.get("rule"));
            boolean fail = (exact ? !(ci.get(0) <= e && e <= ci.get(1)) : ci.get(0) > e) || ci.get(0) > 0;
            String want = fail ? "FAIL" : ci.get(1) >= 0 || (ci.get(1) - ci.get(0)) / 2 > 0.25 ? "INCONCLUSIVE" : "PASS";
            assertEquals(want, c.get("verdict"), (String) c.get("key"));
            assertEquals(want.equals("PASS"), c.get("pass"));
            overall = want.equals("FAIL") || overall.equals("FAIL") ? "FAIL"
                    : want.equals("INCONCLUSIVE") || overall.equals("INCONCLUSIVE") ? "INCONCLUSIVE" : "PASS";
        }
        assertEquals(overall, root.get("verdict"));
        assertEquals(overall.equals("PASS"), root.get("pass"));
        assertEquals(Map.of("PASS", 0, "FAIL", 1, "INCONCLUSIVE", 3).get(overall), r.code());
        assertEquals(4, ((List<?>) root.get("mean_losses")).size());
        assertTrue(r.err().contains("needs about"), "memory stated before the run: " + r.err());
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void standardParameterisationAndResidualNetworksPassAndTheWrongKernelDoesNot() {
        // the default network (erf, one hidden layer, W_std 1.4, b_std 0.1) in standard
        // parameterisation at N = 256: its networks train lazily towards the standard NTK's
        // linearised prediction (8 networks per width at 64..1024 decide every check)
        String[] standard = {"train", "--parameterization", "standard", "--width", "256", "--widths",
            "64,128,256,512,1024", "--seeds", "8", "--threads", "2"};
        CliTest.Run pass = run(standard);
        assertEquals(0, pass.code(), pass.out() + pass.err());
        assertTrue(pass.out().contains("PASS: all 6 quantities"), pass.out());
        // negative control: the same trained networks predicted with the NTK-parameterisation kernel
        // (same NNGP, a different NTK): the test distance stops falling like m^(-1/2)
        String[] wrong = java.util.Arrays.copyOf(standard, standard.length + 2);
        wrong[standard.length] = "--against";
        wrong[standard.length + 1] = "dense(1.4,0.1) erf dense(1.4,0.1)";
        CliTest.Run fail = run(wrong);
        assertEquals(1, fail.code(), fail.out() + fail.err());
        assertTrue(fail.out().contains("(negative control)"), fail.out());
        assertTrue(fail.out().lines().anyMatch(l -> l.contains("test distance to infinite-width") && l.endsWith("FAIL")),
                fail.out());
        // a residual block: its m×m Dense layer is trained too and changes like 1/m
        CliTest.Run res = run("train", "--net", "dense(1.4,0.1) residual(erf dense(1.4,0.1)) erf dense(1.4,0.1)", "--widths",
                "64,128,256,512,1024", "--seeds", "8", "--steps", "15", "--threads", "2");
        assertEquals(0, res.code(), res.out() + res.err());
        assertTrue(res.out().lines().anyMatch(l -> l.contains("dense 2 (m->m)") && l.contains("consistent with -1.0: PASS")),
                res.out());
    }

    @Test
    void csvHasOneRowPerQuantityAndWidth() {
        CliTest.Run r = run("train", "--widths", "16,32,64", "--seeds", "2", "--steps", "5", "--format", "csv",
                "--activation", "relu", "--depth", "2");
        String[] lines = r.out().strip().split("\n");
        assertEquals("quantity,width,mean,stderr,slope,slope_ci_lo,slope_ci_hi,slope_ci_level,expected_slope,rule,verdict,"
                + "pass", lines[0]);
        // 4 summary quantities + 3 Dense layers, 3 widths each
        assertEquals(1 + 7 * 3, lines.length);
        assertTrue(lines[1].startsWith("test_distance_to_infinite_width_linearisation,16,"));
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 3);
    }

    @Test
    void ownDataSetIsUsed() throws IOException {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        Files.writeString(train, "0.1,0.5\n0.4,-0.2\n0.9,0.3\n-0.5,1.0\n");
        Files.writeString(test, "0.2\n-0.1\n");
        CliTest.Run r = run("train", "--train", train.toString(), "--test", test.toString(), "--widths", "16,32,64",
                "--seeds", "2", "--steps", "5", "--lr", "0.05");
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 3, r.err());
        assertTrue(r.out().contains("4 training inputs, 5 steps of lr 0.05"), r.out());
    }

    @Test
    void badInputExitsWithTwo() {
        for (String[] args : List.of(new String[] {"train", "--format", "xml"},
                new String[] {"train", "--widths", "64,128"},
                new String[] {"train", "--lr", "-1"},
                new String[] {"train", "--steps", "0"},
                new String[] {"train", "--seeds", "1"},
                new String[] {"train", "--plot", "out.pdf"},
                new String[] {"train", "--train", "x.csv"},
                new String[] {"train", "--widths", "64,128,abc"},
                new String[] {"train", "--net", "dense(1,0) relu dense(1,0)", "--depth", "3"},
                new String[] {"train", "--against", "dense(1,0) reul dense(1,0)"},
                new String[] {"train", "--parameterization", "standard", "--depth", "2"},
                new String[] {"train", "--widths", "16,32,4000000", "--depth", "3"})) {
            CliTest.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("ntk4j train: "), r.err());
        }
    }
}
