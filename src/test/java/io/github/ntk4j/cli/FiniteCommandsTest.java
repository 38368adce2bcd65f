package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code verify}, {@code empirical} and {@code bench empirical} commands end to end. */
class FiniteCommandsTest {
    @TempDir
    Path dir;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    @SuppressWarnings("unchecked")
    @Test
    void verifyJsonHasTheDocumentedShapeAndExitCodeFollowsTheVerdict() {
        CliTest.Run r = run("verify", "--widths", "64,128,256,512", "--seeds", "8", "--format", "json", "--threads", "2");
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out().strip());
        List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
        assertEquals(4, results.size());
        double alpha = (Double) root.get("alpha");
        double maxOffset = (Double) root.get("max_offset");
        double maxHalf = (Double) root.get("max_slope_half_width");
        assertEquals(4 * (6 + 1), ((Double) root.get("tests")).intValue());
        String overall = "PASS";
        for (Map<String, Object> res : results) {
            assertTrue(List.of("relu", "erf").contains(res.get("activation")));
            assertTrue(List.of("ntk", "nngp").contains(res.get("kernel")));
            assertEquals(List.of(64.0, 128.0, 256.0, 512.0), res.get("widths"));
            assertEquals(4, ((List<?>) res.get("rms_rel_error")).size());
            assertEquals(4, ((List<?>) res.get("mean_rel_error")).size());
            List<Double> ci = (List<Double>) res.get("slope_ci");
            double slope = (Double) res.get("slope");
            assertTrue(ci.get(0) <= slope && slope <= ci.get(1));
            assertEquals(1 - alpha / 28, (Double) res.get("slope_ci_level"), 1e-12);
            // the documented decision, recomputed from the reported statistics
            List<Map<String, Object>> bias = (List<Map<String, Object>>) res.get("bias");
            assertEquals(6, bias.size());
            boolean biasRejected = false;
            for (Map<String, Object> b : bias) {
                assertEquals(2, ((List<?>) b.get("pair")).size());
                double t = (Double) b.get("t");
                assertEquals(((Double) b.get("extrapolated") - (Double) b.get("exact")) / (Double) b.get("stderr"), t,
                        1e-9 * Math.max(1, Math.abs(t)));
                biasRejected |= (Double) b.get("holm_p") <= alpha;
            }
            boolean rateRejected = !(ci.get(0) <= -0.5 && -0.5 <= ci.get(1));
            String want = biasRejected || rateRejected ? "FAIL"
                    : (Double) res.get("detectable_offset") > maxOffset || ci.get(1) >= 0
                            || (ci.get(1) - ci.get(0)) / 2 > maxHalf ? "INCONCLUSIVE" : "PASS";
            assertEquals(want, res.get("verdict"), res.toString());
            assertEquals(want.equals("PASS"), res.get("pass"));
            overall = want.equals("FAIL") || overall.equals("FAIL") ? "FAIL"
                    : want.equals("INCONCLUSIVE") || overall.equals("INCONCLUSIVE") ? "INCONCLUSIVE" : "PASS";
        }
        assertEquals(overall, root.get("verdict"));
        assertEquals(overall.equals("PASS"), root.get("pass"));
        assertEquals(Map.of("PASS", 0, "FAIL", 1, "INCONCLUSIVE", 3).get(overall), r.code());
        assertTrue(r.err().contains("needs about"), "memory stated before the run: " + r.err());
    }

    @Test
    void verifyFailsWithExitCodeOneWhenTheKernelIsWrong() {
        // negative control: finite networks with W_std = 1.4 against the exact kernel of W_std = 1.5;
        // the error levels off at the kernels' difference instead of shrinking like m^(-1/2)
        CliTest.Run r = run("verify", "--widths", "256,1024,4096,16384", "--seeds", "8", "--net",
                "dense(1.4,0.5) relu dense(1.4,0.5)", "--against", "dense(1.5,0.5) relu dense(1.4,0.5)", "--format", "csv");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(",FAIL,false"), r.out());
        // the negative control (a wrong first-layer W_std), text output: the bias test names the offset
        CliTest.Run t = run("verify", "--widths", "64,256,1024", "--seeds", "8", "--net", "dense(1.4,0.5) relu dense(1.4,0.5)",
                "--against", "dense(1.6,0.5) relu dense(1.4,0.5)");
        assertEquals(1, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("bias: the mean of (x0, x0) extrapolates to"), t.out());
        assertTrue(t.out().strip().lines().reduce((x, y) -> y).orElseThrow().startsWith("FAIL"), t.out());
    }

    @Test
    void verifyIsInconclusiveWithExitCodeThreeAndSaysWhatToAdd() {
        CliTest.Run r = run("verify", "--widths", "64,128", "--seeds", "3", "--activation", "erf");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("INCONCLUSIVE:") && r.out().contains("to decide: more seeds (--seeds "), r.out());
    }

    @Test
    void verifyMeasuresAZeroExactKernelAgainstTheKernelScale() {
        // erf without bias and the default inputs: x0 ⊥ x2 has exact NTK and NNGP 0
        CliTest.Run r = run("verify", "--activation", "erf", "--b-std", "0", "--widths", "32,64,128", "--seeds", "3");
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 3, r.err());
        assertTrue(r.out().contains("note: erf NTK of (x0, x2): exact value"), r.out());
        assertTrue(!r.err().contains("Infinity") && !r.out().contains("Infinity"), r.out() + r.err());
    }

    @Test
    void verifyTableCsvAndPlots() throws IOException {
        Path png = dir.resolve("conv.png");
        CliTest.Run t = run("verify", "--widths", "32,64,128", "--seeds", "4", "--activation", "erf", "--plot", png.toString());
        assertTrue(t.code() == 0 || t.code() == 1 || t.code() == 3, t.err());
        assertTrue(t.out().contains("erf NTK") && t.out().contains("slope") && t.out().contains("RMS rel err")
                && t.out().contains("bias: "), t.out());
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        Path svg = dir.resolve("conv.svg");
        Path in = dir.resolve("x.csv");
        Files.writeString(in, "1,0\n0,1\n0.6,0.8\n");
        CliTest.Run c = run("verify", "--widths", "32,64,128", "--seeds", "3", "--inputs", in.toString(), "--format", "csv",
                "--net", "dense(1.2,0.4) relu dense(1,0.4)", "--plot", svg.toString());
        assertTrue(c.code() == 0 || c.code() == 1 || c.code() == 3, c.err());
        List<String> lines = c.out().strip().lines().toList();
        assertEquals(1 + 2 * 3, lines.size(), c.out());
        assertTrue(lines.get(0).startsWith("activation,kernel,width,"));
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @Test
    void verifyBadInputExitsTwo() throws IOException {
        assertBad(run("verify", "--widths", "0,64,128"), "width");
        assertBad(run("verify", "--widths", "-5,64,128"), "width");
        assertBad(run("verify", "--seeds", "1"), "seeds");
        assertBad(run("verify", "--activation", "swishh"), "unknown");
        assertBad(run("verify", "--widths", "64,128,400000000"), "needs about");
        assertBad(run("verify", "--widths", "64"), "at least 2");
        assertBad(run("verify", "--widths", "64,64,128"), "distinct");
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "\n");
        assertBad(run("verify", "--inputs", empty.toString()), "empty");
        assertBad(run("verify", "--format", "xml"), "--format");
        assertBad(run("verify", "--plot", dir.resolve("p.gif").toString()), "--plot");
    }

    @SuppressWarnings("unchecked")
    @Test
    void empiricalPrintsMeansAndStandardErrorsNearTheExactKernel() {
        CliTest.Run r = run("empirical", "--x", "1,0.5,-0.3", "--y", "0.2,1,0.4", "--width", "512", "--samples", "16",
                "--seed", "3", "--activation", "erf", "--b-std", "0.5", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        Network net = Network.fullyConnected(NetworkSpec.parseActivation("erf"), 2, 1.4, 0.5);
        KernelValue exact = NtkRecursion.of(net).pair(new double[] {1, 0.5, -0.3}, new double[] {0.2, 1, 0.4});
        double ntk = (Double) m.get("ntk_mean");
        double se = (Double) m.get("ntk_stderr");
        assertTrue(se > 0 && Math.abs(ntk - exact.ntk()) <= 4 * se, ntk + " ± " + se + " vs " + exact.ntk());
        double nngp = (Double) m.get("nngp_mean");
        double nse = (Double) m.get("nngp_stderr");
        assertTrue(nse > 0 && Math.abs(nngp - exact.nngp()) <= 4 * nse, nngp + " ± " + nse + " vs " + exact.nngp());
        assertEquals(exact.ntk(), (Double) m.get("ntk_exact"), 0.0);
        // same seed, same output; the thread count does not matter
        CliTest.Run again = run("empirical", "--x", "1,0.5,-0.3", "--y", "0.2,1,0.4", "--width", "512", "--samples", "16",
                "--seed", "3", "--activation", "erf", "--b-std", "0.5", "--format", "json", "--threads", "1");
        assertEquals(r.out(), again.out());
    }

    @Test
    void empiricalBadInputExitsTwo() {
        assertBad(run("empirical", "--x", "1,2", "--y", "1,2", "--width", "0"), "width");
        assertBad(run("empirical", "--x", "1,2", "--y", "1,2", "--width", "-4"), "width");
        assertBad(run("empirical", "--x", "1,2", "--y", "1,2", "--width", "64", "--samples", "1"), "at least 2");
        assertBad(run("empirical", "--x", "1,2", "--y", "1", "--width", "64"), "dimension");
        assertBad(run("empirical", "--x", "", "--y", "1", "--width", "64"), "empty");
        assertBad(run("empirical", "--x", "1,2", "--y", "1,2", "--width", "2000000000"), "needs about");
    }

    @SuppressWarnings("unchecked")
    @Test
    void benchEmpiricalPrintsSeconds() {
        CliTest.Run r = run("bench", "empirical", "--n", "8", "--d", "3", "--depth", "2", "--width", "64", "--repeat", "1");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        assertTrue((Double) m.get("seconds") > 0);
        assertEquals(64.0, m.get("width"));
        assertTrue((Double) m.get("ntk00") > 0);
    }

    private static void assertBad(CliTest.Run r, String fragment) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> l.contains("error") || l.contains("see '")).count(),
                r.err());
    }
}
