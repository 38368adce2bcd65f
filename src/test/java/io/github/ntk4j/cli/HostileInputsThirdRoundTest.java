package io.github.ntk4j.cli;

import static io.github.ntk4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.io.Json;
import io.github.ntk4j.net.Branches;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Layers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile inputs through the CLI: spec parameters and nesting, whole output and scale-safe
 * scores, an output that is an input, sizes refused up front, bounded messages
 * and small ones: each with the reproducer and a variant of its own. The
 * signal class (10) is {@code io.AtomicFileSignalTest}.
 */
class HostileInputsThirdRoundTest {
    @TempDir
    Path dir;

    /** One error line (after any note), no stack trace, nothing on standard output. */
    private static void assertRefused(CliTest.Run r, String... words) {
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out(), "standard output gets nothing from a refused run");
        String e = r.err().strip();
        assertEquals(1, e.lines().filter(l -> l.contains("error")).count(), e);
        assertTrue(e.lines().reduce((a, b) -> b).orElse("").contains(": error: "), e);
        assertFalse(e.contains("Exception") || e.contains("\tat ") || e.contains("internal error"), e);
        for (String w : words) {
            assertTrue(e.contains(w), "'" + w + "' in: " + e);
        }
    }

    // ---- class 1: layer parameters whose squares overflow; nesting depth ----

    /** The arc-cosine closed form of dense(W,0) abrelu(a,b) dense(1,0) (Cho and Saul 2009), {K, Θ}. */
    private static double[] abreluKernel(double w2, double a, double b, double[] x, double[] y) {
        int d = x.length;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < d; i++) {
            sxx += x[i] * x[i];
            syy += y[i] * y[i];
            sxy += x[i] * y[i];
        }
        sxx *= w2 / d;
        syy *= w2 / d;
        sxy *= w2 / d;
        double norm = Math.sqrt(sxx * syy);
        double theta = Math.acos(sxy / norm);
        double delta = Math.PI - theta;
        double alpha = a * a + b * b;
        double beta = 2 * a * b;
        double t = norm / (2 * Math.PI) * (alpha * (Math.sin(delta) - delta * Math.cos(delta))
                - beta * (Math.sin(theta) - theta * Math.cos(theta)));
        double tDot = (alpha * delta + beta * theta) / (2 * Math.PI);
        return new double[] {t, t + sxy * tDot};
    }

    private static Map<?, ?> json(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        return (Map<?, ?>) Json.parse(r.out().strip());
    }

    @Test
    void slopesWhoseSquaresOverflowAreRefusedOrComputedNotAnInternalError() {
        // the reproducers: the kernel is about 1e398 and 1e615, beyond a double: exit 2, not 70
        assertRefused(run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", "dense(1,0) leaky_relu(1e200) dense(1,0)"),
                "beyond the range of a double");
        assertRefused(run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", "dense(1,0) abrelu(1e308,1e308) dense(1,0)"),
                "beyond the range of a double");
        // variant: the same slopes behind a small W_std give a kernel that fits, and it is the closed form:
        // slopes (1e200, 5e199) = 1e200·(1, 0.5) and W_std = 1e-150 scale K and Θ by (1e-150·1e200)² = 1e100
        double[] x = {1, 0.5};
        double[] y = {0.3, -0.2};
        double[] ref = abreluKernel(1, 1, 0.5, x, y);
        Map<?, ?> m = json(run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net",
                "dense(1e-150,0) abrelu(1e200,5e199) dense(1,0)", "--format", "json"));
        assertEquals(ref[0] * 1e100, (Double) m.get("nngp"), 1e-12 * ref[0] * 1e100);
        assertEquals(ref[1] * 1e100, (Double) m.get("ntk"), 1e-12 * ref[1] * 1e100);
        // and slopes whose squares underflow (1e-200) no longer give a silent 0
        Map<?, ?> small = json(run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net",
                "dense(1e150,0) leaky_relu(-3e-200) dense(1e-150,0)", "--format", "json"));
        assertTrue((Double) small.get("nngp") > 0, "a positive kernel, not 0: " + small);
    }

    /** dense(1,0) residual(dense(1,0) residual(... dense(1,0) relu ...)) dense(1,0), {@code levels} deep. */
    private static String nested(int levels, String kind) {
        StringBuilder sb = new StringBuilder("dense(1,0) ");
        for (int i = 0; i < levels; i++) {
            sb.append(kind).append("(dense(1,0) ");
        }
        sb.append("relu");
        sb.append(")".repeat(levels));
        return sb.append(" dense(1,0)").toString();
    }

    @Test
    void nestingBeyondTheStatedLimitIsRefusedAndTheLimitItselfWorks() {
        // the reproducer: 2,000 levels overflowed the stack (exit 70); so do 1,000 on a test runner's thread
        assertRefused(run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", nested(2000, "residual")),
                "nested more than " + Branches.MAX_NESTING + " deep");
        // variant: the limit is exact, for sum(...) too, and the limit itself computes
        assertRefused(run("kernel", "--x", "1", "--y", "1", "--net", nested(Branches.MAX_NESTING + 1, "sum")),
                "nested more than " + Branches.MAX_NESTING + " deep");
        CliTest.Run ok = run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", nested(Branches.MAX_NESTING, "residual"),
                "--format", "json");
        assertTrue(Double.isFinite((Double) json(ok).get("ntk")));
        // and the library refuses the same depth built without a spec
        Layer l = Layers.relu();
        List<Layer> block = List.of(Layers.dense(1, 0), l);
        Branches b = Branches.residual(1, 1, block);
        for (int i = 1; i < Branches.MAX_NESTING; i++) {
            b = Branches.residual(1, 1, List.of(Layers.dense(1, 0), b));
        }
        assertEquals(Branches.MAX_NESTING, b.nesting());
        Branches deepest = b;
        assertThrows(InvalidInputException.class, () -> Branches.residual(1, 1, List.of(Layers.dense(1, 0), deepest)));
    }

    // ---- class 14: bounded messages ----

    @Test
    void messagesStayBoundedWhateverTheSpec() {
        // the reproducer: 400 nested invalid residual(...) gave an 810 KB line
        String s = "relu";
        for (int i = 0; i < 400; i++) {
            s = "residual(" + s + ")";
        }
        long t0 = System.nanoTime();
        CliTest.Run r = run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", "dense(1,0) " + s + " dense(1,0)");
        assertTrue((System.nanoTime() - t0) * 1e-9 < 10, "answered at once");
        assertRefused(r, "nested more than");
        assertTrue(r.err().length() < 2500, r.err().length() + " characters");
        // the same fault within the nesting limit: the problem is named in its innermost block only
        String t = "relu";
        for (int i = 0; i < Branches.MAX_NESTING; i++) {
            t = "residual(" + t + ")";
        }
        CliTest.Run within = run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", "dense(1,0) " + t + " dense(1,0)");
        assertRefused(within, "no dense layer");
        assertTrue(within.err().length() < 2500, within.err().length() + " characters");
        // variant: a 200,000-character layer name and a first layer that is a huge block
        String name = "x".repeat(200_000);
        CliTest.Run big = run("kernel", "--x", "1", "--y", "1", "--net", "dense(1,0) " + name + " dense(1,0)");
        assertRefused(big, "unknown layer");
        assertTrue(big.err().length() < 2500, big.err().length() + " characters");
        CliTest.Run first = run("kernel", "--x", "1", "--y", "1", "--net", nested(90, "residual").substring("dense(1,0) ".length()));
        assertRefused(first, "the first layer must be dense");
        assertTrue(first.err().length() < 2500, first.err().length() + " characters");
    }

    // ---- class 5: whole output, scale-safe scores ----

    private Path regressionData(String name, double scale) throws IOException {
        Random rng = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            double a = rng.nextDouble() * 2 - 1;
            double b = rng.nextDouble() * 2 - 1;
            sb.append(String.format(Locale.ROOT, "%s,%s,%s%n", a, b, (a + b) * scale));
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void regressionWithTargetsNear1e307HasAnRmseNotNaN() throws IOException {
        // the reproducer: rmse NaN ± NaN with exit 0, and "{"rmse": " then exit 2 in JSON
        Path big = regressionData("big.csv", 1e307);
        CliTest.Run text = run("regress", "--data", big.toString());
        assertEquals(0, text.code(), text.err());
        assertFalse(text.out().contains("NaN") || text.out().contains("Infinity"), text.out());
        Map<?, ?> m = json(run("regress", "--data", big.toString(), "--format", "json"));
        double rmse = (Double) m.get("rmse");
        assertTrue(Double.isFinite(rmse) && rmse > 0, "rmse " + rmse);
        // variant: targets scaled by 2^1000 (exact in binary) give exactly 2^1000 times the scores
        // of the unscaled data, computed by the plain formulas at the unscaled size
        Map<?, ?> unit = json(run("regress", "--data", regressionData("unit.csv", 1).toString(), "--format", "json"));
        Map<?, ?> huge = json(run("regress", "--data", regressionData("huge.csv", 0x1p1000).toString(), "--format", "json"));
        double expected = (Double) unit.get("rmse") * 0x1p1000;
        assertEquals(expected, (Double) huge.get("rmse"), 1e-12 * expected);
        double expectedSd = (Double) unit.get("rmse_std") * 0x1p1000;
        assertEquals(expectedSd, (Double) huge.get("rmse_std"), 1e-12 * expectedSd);
    }

    @Test
    void aFailureHalfWayLeavesStandardOutputEmpty() throws IOException {
        // the reproducer: predict with targets ±1e308 left half a table / an unclosed JSON object
        StringBuilder x = new StringBuilder();
        StringBuilder yy = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            x.append(String.format(Locale.ROOT, "%s,%s%n", 0.1 * i - 1, 0.05 * i));
            yy.append(i % 2 == 0 ? "1e308\n" : "-1e308\n");
        }
        Path train = dir.resolve("x.csv");
        Path targets = dir.resolve("y.csv");
        Path test = dir.resolve("t.csv");
        Files.writeString(train, x.toString());
        Files.writeString(targets, yy.toString());
        Files.writeString(test, "0,0.2\n0.1,0.2\n0.3,0.2\n");
        for (String format : new String[] {"text", "json", "csv"}) {
            CliTest.Run r = run("predict", "--train", train.toString(), "--targets", targets.toString(), "--test",
                    test.toString(), "--format", format);
            if (r.code() == 0) { // whole: every value finite
                assertFalse(r.out().contains("NaN") || r.out().contains("Infinity"), r.out());
            } else {
                assertRefused(r);
            }
        }
        // variant: a command that fails after printing part of its report (regress with a --predict
        // file whose width does not match) prints nothing
        Path data = regressionData("d.csv", 1);
        Path wrong = dir.resolve("wrong.csv");
        Files.writeString(wrong, "1,2,3,4\n");
        CliTest.Run r = run("regress", "--data", data.toString(), "--predict", wrong.toString(), "--output",
                dir.resolve("p.csv").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void largeOutputsAreHeldInATemporaryFileAndPrintedWhole() throws IOException {
        // past WholeOutput.IN_MEMORY characters the output moves to a temporary file: still whole
        StringBuilder sb = new StringBuilder();
        Random rng = new Random(3);
        for (int i = 0; i < 700; i++) {
            sb.append(rng.nextGaussian()).append(',').append(rng.nextGaussian()).append('\n');
        }
        Path x = dir.resolve("x700.csv");
        Files.writeString(x, sb.toString());
        CliTest.Run r = run("gram", "--input", x.toString(), "--format", "csv");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().length() > WholeOutput.IN_MEMORY / 2, "a large output: " + r.out().length());
        List<String> lines = r.out().lines().toList();
        assertEquals(700, lines.size());
        for (String line : lines) {
            assertEquals(700, line.split(",").length);
        }
        CliTest.Run file = run("gram", "--input", x.toString(), "--output", dir.resolve("k.csv").toString());
        assertEquals(0, file.code(), file.err());
        assertEquals(Files.readString(dir.resolve("k.csv")), r.out(), "standard output and the file agree");
    }

    // ---- class 9: an output that is an input ----

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
        Path x = dir.resolve("X.csv");
        String content = "1,0.5\n0.3,0.2\n";
        Files.writeString(x, content);
        // the reproducers
        assertRefused(run("gram", "--input", x.toString(), "--output", x.toString()), "--output", "--input");
        assertEquals(content, Files.readString(x));
        Path d = regressionData("D.csv", 1);
        String dContent = Files.readString(d);
        Path p = dir.resolve("P.csv");
        Files.writeString(p, "0.1,0.2\n0.3,0.4\n");
        assertRefused(run("regress", "--data", d.toString(), "--predict", p.toString(), "--output", d.toString()),
                "--output", "--data");
        assertEquals(dContent, Files.readString(d));
        // variants: through a symbolic link, a hard link, a "dir/../" name; the second input; --plot
        Path link = dir.resolve("L.csv");
        Files.createSymbolicLink(link, x);
        assertRefused(run("gram", "--input", x.toString(), "--output", link.toString()), "--input");
        Path hard = dir.resolve("H.csv");
        Files.createLink(hard, x);
        assertRefused(run("gram", "--input", hard.toString(), "--output", link.toString()), "--input");
        Files.createDirectory(dir.resolve("sub"));
        assertRefused(run("gram", "--input", x.toString(), "--output", dir.resolve("sub/../X.csv").toString()), "--input");
        Path y = dir.resolve("Y.csv");
        Files.writeString(y, "1,1\n");
        assertRefused(run("gram", "--input", x.toString(), "--input2", y.toString(), "--output", y.toString()), "--input2");
        assertRefused(run("regress", "--data", d.toString(), "--predict", p.toString(), "--output", p.toString()),
                "--predict");
        assertEquals(content, Files.readString(x));
        assertEquals("1,1\n", Files.readString(y));
        // a different file is still written
        CliTest.Run ok = run("gram", "--input", link.toString(), "--output", dir.resolve("K.csv").toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.exists(dir.resolve("K.csv")));
    }

    @Test
    void sameFileComparesLinksAndNamesNotYetWritten() throws IOException {
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "1\n");
        assertTrue(OutputFiles.same(a, dir.resolve(".").resolve("a.csv")));
        assertTrue(OutputFiles.same(dir.resolve("new.csv"), dir.resolve("sub2/../new.csv")));
        assertFalse(OutputFiles.same(a, dir.resolve("b.csv")));
        Path linkedDir = dir.resolve("ld");
        Files.createSymbolicLink(linkedDir, dir);
        assertTrue(OutputFiles.same(dir.resolve("new.csv"), linkedDir.resolve("new.csv")), "a link to the directory");
    }

    // ---- class 13: sizes that no heap can hold, refused at once ----

    @Test
    void sizesNoHeapCanHoldAreRefusedAtOnce() {
        long t0 = System.nanoTime();
        // the reproducers (48 s, 52 s and 66 s before)
        assertRefused(run("kernel", "--x", "1", "--y", "1", "--depth", "2147483647"), "depth");
        assertRefused(run("bench", "predict", "--n", "1000000000"), "memory");
        assertRefused(run("bench", "falkon", "--n", "100000000"), "memory");
        // variants: a depth an array could hold but the heap cannot; bench spectrum
        assertRefused(run("kernel", "--x", "1", "--y", "1", "--depth", "1000000000"), "memory");
        assertRefused(run("bench", "spectrum", "--n", "2000000000"), "memory");
        assertTrue((System.nanoTime() - t0) * 1e-9 < 20, "refused at once");
    }

    // ---- class 15: the small ones ----

    @Test
    void emptyListsAreRefusedInEveryCommand() {
        // the reproducers: no output with exit 0, and a run with no sigma
        assertRefused(run("bench", "falkon", "--centres", ","), "--centres", "empty");
        assertRefused(run("fourier", "--sigmas", ","), "--sigmas", "empty");
        // variant: another command's list option
        assertRefused(run("verify", "--widths", ","), "--widths", "empty");
    }

    @Test
    void falkonReportsTheCentresItUsesAndTheSolverIsCaseInsensitive() throws IOException {
        Path d = regressionData("d30.csv", 1);
        // the reproducer: "2147483647 centres" on 30 rows; and --solver FALKON refused
        CliTest.Run r = run("regress", "--data", d.toString(), "--solver", "FALKON", "--centres", "2147483647",
                "--folds", "2", "--inner-folds", "2", "--depth", "1", "--w-std", "1.4", "--b-std", "0.1");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("(FALKON, 2147483647 centres)"), r.out());
        assertTrue(r.out().contains("at most 30 centres"), r.out());
        // variant: mixed case, and a count within the rows reported as given
        CliTest.Run s = run("regress", "--data", d.toString(), "--solver", "Falkon", "--centres", "10", "--folds", "2",
                "--inner-folds", "2", "--depth", "1", "--w-std", "1.4", "--b-std", "0.1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("(FALKON, 10 centres)"), s.out());
        assertRefused(run("regress", "--data", d.toString(), "--solver", "qr"), "--solver");
    }

    @Test
    void aMissingValueIsCalledOne() throws IOException {
        Path d = dir.resolve("na.csv");
        // the reproducer: "NA" was told to "encode categories as numbers"
        Files.writeString(d, "1,2,a\nNA,3,b\n1,1,a\n2,2,b\n");
        assertRefused(run("classify", "--data", d.toString()), "row 2, column 1", "missing value");
        // variants: NaN (which Java parses) and '?'
        Files.writeString(d, "1,2,a\n2,NaN,b\n1,1,a\n2,2,b\n");
        assertRefused(run("classify", "--data", d.toString()), "missing value");
        Files.writeString(d, "1,2,a\n2,?,b\n1,1,a\n2,2,b\n");
        assertRefused(run("classify", "--data", d.toString()), "missing value");
        // a category is still told apart from a missing value
        Files.writeString(d, "1,2,a\n2,red,b\n1,1,a\n2,2,b\n");
        assertRefused(run("classify", "--data", d.toString()), "encode categories as numbers");
    }

    @Test
    void aDivergentLearningRateIsRefusedUpFront() {
        // the reproducer ended in "a log-log fit needs positive finite values"
        assertRefused(run("train", "--lr", "1e300", "--steps", "5", "--seeds", "2"), "2/lambda_max", "diverges");
        // variant: just above 2/λ_max of the default set-up (the report states λ_max)
        CliTest.Run report = run("train", "--steps", "2", "--seeds", "2", "--widths", "16,32,64", "--format", "json");
        assertTrue(report.code() == 0 || report.code() == 1 || report.code() == 3, report.err()); // a verdict, whole
        Map<?, ?> m = (Map<?, ?>) Json.parse(report.out().strip());
        double lmax = ((Number) m.get("theta_eigenvalue_max")).doubleValue();
        assertRefused(run("train", "--lr", Double.toString(2.001 / lmax), "--steps", "2", "--seeds", "2", "--widths", "16,32,64"),
                "2/lambda_max");
    }

    @Test
    void benchNamesEveryBenchmarkWhenNoneIsGiven() {
        CliTest.Run r = run("bench");
        assertEquals(2, r.code());
        picocli.CommandLine cl = new picocli.CommandLine(new BenchCommand());
        for (String sub : cl.getSubcommands().keySet()) {
            assertTrue(r.err().contains(sub), sub + " in: " + r.err());
        }
    }
}
