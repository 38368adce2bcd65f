package io.github.ntk4j.cli;

import static io.github.ntk4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Csv;
import io.github.ntk4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the CLI: an fn("EXPR") whose Gaussian integrals do not exist
 * (a pole on the real line) or that is undefined on part of it is refused by kernel and gram alike,
 * exit 2, one line giving the true reason; what was accepted before keeps its values.
 */
class FnDomainCliTest {
    @TempDir
    Path dir;

    private static String net(String expression) {
        return "dense(1,0) fn(\"" + expression + "\") dense(1,0)";
    }

    private static void oneLine(CliTest.Run r, String what, String reason) {
        assertEquals(2, r.code(), what + " -> " + r.out() + r.err());
        assertEquals("", r.out(), what);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("NaN") || r.err().contains("grows like"), r.err());
        assertTrue(r.err().contains(reason), what + " -> " + r.err());
    }

    private void refusedByKernelAndGram(String expression, String reason) throws IOException {
        oneLine(run("kernel", "--x", "1,0.5", "--y", "1,0.5", "--net", net(expression)), "kernel " + expression, reason);
        Path x = dir.resolve("X.csv");
        Files.writeString(x, "1,0.5\n0.3,-0.2\n");
        Path k = dir.resolve("K.csv");
        oneLine(run("gram", "--input", x.toString(), "--net", net(expression), "--output", k.toString()), "gram " + expression,
                reason);
        assertFalse(Files.exists(k), "gram wrote " + k + " for " + expression);
    }

    @Test
    void divergentActivationsAreRefusedNotApproximated() throws IOException {
        // reproducers: kernel printed 3027.8 and gram 2.23e7 for 1/x
        refusedByKernelAndGram("1/x", "fn(\"1/x\") has a pole at x = 0: E[φ(u)²] does not exist for a Gaussian u");
        refusedByKernelAndGram("Coth(x)", "has a pole at x = 0");
        refusedByKernelAndGram("Tan(x)", "has a pole at x = 1.5708");
        refusedByKernelAndGram("1/(x-0.5)", "has a pole at x = 0.5");
        // variants
        refusedByKernelAndGram("1/(x^2-1)", "has a pole at x = 1");
        refusedByKernelAndGram("Sec(x)", "has a pole at x = 1.5708");
        refusedByKernelAndGram("Csc(x)", "has a pole at x = 0");
        refusedByKernelAndGram("Log(x^2)", "has a derivative with a pole at x = 0");
    }

    @Test
    void deriveRefusesThemToo() {
        oneLine(run("derive", "--net", net("1/x")), "derive 1/x", "has a pole at x = 0");
        oneLine(run("derive", "--net", net("Sqrt(x)")), "derive Sqrt(x)", "is undefined for x < 0");
    }

    @Test
    void partlyUndefinedActivationsGiveTheirDomain() throws IOException {
        // once these were refused as "grows like exp(1.77·x²)"
        refusedByKernelAndGram("Sqrt(x)", "fn(\"Sqrt(x)\") is undefined for x < 0");
        refusedByKernelAndGram("Log(x)", "is undefined for x < 0");
        refusedByKernelAndGram("ArcSin(x)", "is undefined outside [-1, 1]");
        refusedByKernelAndGram("x^0.5", "is undefined for x < 0");
        // variants
        refusedByKernelAndGram("x^(-1/2)", "is undefined for x < 0");
        refusedByKernelAndGram("ArcCos(x)", "is undefined outside [-1, 1]");
        refusedByKernelAndGram("ArcCosh(x)", "is undefined for x < 1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void removableSingularitiesStillWorkAndAgreeAcrossCommands() throws IOException {
        Path x = dir.resolve("X.csv");
        Files.writeString(x, "1,0.5\n0.3,-0.2\n");
        for (String e : new String[] {"Sin(x)/x", "(Exp(x)-1)/x", "Sinh(x)", "x^3"}) {
            CliTest.Run k = run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", net(e), "--format", "json");
            assertEquals(0, k.code(), e + " -> " + k.err());
            double ntk = (Double) ((Map<String, Object>) Json.parse(k.out())).get("ntk");
            assertTrue(Double.isFinite(ntk), e);
            Path out = dir.resolve("K.csv");
            CliTest.Run g = run("gram", "--input", x.toString(), "--net", net(e), "--output", out.toString());
            assertEquals(0, g.code(), e + " -> " + g.err());
            double[][] m = Csv.read(out);
            assertEquals(ntk, m[0][1], 1e-12 * Math.abs(ntk), e);
        }
    }
}
