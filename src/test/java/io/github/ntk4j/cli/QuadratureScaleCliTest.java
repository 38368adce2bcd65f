package io.github.ntk4j.cli;

import static io.github.ntk4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Activations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quadrature activations at scales where their panels used to hang, exhaust memory, underflow
 * or give a misleading reason: one test per defect, with the reproducer through the CLI and a
 * variant. Values at large scales are checked against independent references in
 * LargeScaleReferenceTest; these check that every run ends promptly (the timeouts only guard
 * against a hang, they measure nothing) with either finite numbers or one line and exit 2.
 */
class QuadratureScaleCliTest {
    @TempDir
    Path dir;

    private static void oneLine(CliTest.Run r, String what, String... reasons) {
        assertEquals(2, r.code(), what + " -> " + r.out() + r.err());
        assertEquals("", r.out(), what);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("NaN") || r.err().contains("Infinity")
                || r.err().contains("internal error") || r.err().contains("OutOfMemory"), r.err());
        for (String reason : reasons) {
            assertTrue(r.err().contains(reason), what + " -> " + r.err());
        }
    }

    /** nngp and ntk of a kernel run, refused unless both print as finite non-zero numbers. */
    private static double[] values(CliTest.Run r, String what) {
        assertEquals(0, r.code(), what + " -> " + r.err());
        double[] v = new double[2];
        for (String line : r.out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("nngp")) {
                v[0] = Double.parseDouble(f[1]);
            } else if (f[0].equals("ntk")) {
                v[1] = Double.parseDouble(f[1]);
            }
        }
        assertTrue(Double.isFinite(v[0]) && Double.isFinite(v[1]) && v[0] != 0 && v[1] != 0, what + " -> " + r.out());
        return v;
    }

    /** Defect 1: tanh with inputs of norm 1e3 and 1e6 did not finish in a minute. */
    @Test
    @Timeout(120)
    void builtInsAtHugeNormsFinish() throws IOException {
        for (String scale : new String[] {"1e3", "1e6"}) {
            values(run("kernel", "--activation", "tanh", "--x", scale + ",0", "--y", "0," + scale), "tanh " + scale);
        }
        // variant: the other built-ins, a correlated pair, and the Gram path (Mehler tables, graded too)
        for (String act : new String[] {"sigmoid", "softplus", "silu", "mish", "elu", "selu"}) {
            values(run("kernel", "--activation", act, "--x", "1e6,0", "--y", "6e5,8e5"), act);
        }
        Path x = dir.resolve("X.csv");
        Files.writeString(x, "1e3,0\n0,1e3\n6e2,8e2\n-1e6,3\n");
        Path k = dir.resolve("K.csv");
        CliTest.Run r = run("gram", "--input", x.toString(), "--activation", "tanh", "--output", k.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(k));
    }

    /**
     * Defect 2: fn("x^2") at depth 4 (variance ≈ 3σ⁴ per layer) did not finish in 100 s; now
     * refused up front by the node budget. Variant: depth 3 still runs, and matches the closed
     * form E[u²v²] = ΣxxΣyy + 2Σxy², E[(2u)(2v)] = 4Σxy recursed here by hand.
     */
    @Test
    @Timeout(120)
    void polynomialGrowthIsRefusedByTheBudget() {
        oneLine(run("kernel", "--activation", "fn(\"x^2\")", "--depth", "4", "--x", "1,0", "--y", "0.6,0.8"), "x^2 depth 4",
                "Gauss–Legendre panels", "above its limit of 8192 nodes");
        double[] v = values(run("kernel", "--activation", "fn(\"x^2\")", "--depth", "3", "--x", "1,0", "--y", "0.6,0.8"),
                "x^2 depth 3");
        double w2 = 1.4 * 1.4;
        double b2 = 0.1 * 0.1;
        double a = w2 * 1 / 2 + b2;
        double b = w2 * 1 / 2 + b2;
        double c = w2 * 0.6 / 2 + b2;
        double theta = c;
        for (int l = 0; l < 3; l++) {
            double t = a * b + 2 * c * c;
            double tdot = 4 * c;
            a = w2 * 3 * a * a + b2;
            b = w2 * 3 * b * b + b2;
            c = w2 * t + b2;
            theta = c + w2 * tdot * theta;
        }
        assertEquals(c, v[0], 1e-10 * c);
        assertEquals(theta, v[1], 1e-10 * theta);
    }

    /** Defect 3: fn("x^100") (σ ≈ 1e93 after a layer) ended in OutOfMemoryError. */
    @Test
    @Timeout(120)
    void hugeVariancesAreRefusedBeforeAllocating() throws IOException {
        oneLine(run("kernel", "--activation", "fn(\"x^100\")", "--x", "1,0", "--y", "0,1"), "x^100", "needs ",
                "above its limit of 8192 nodes");
        // variant: the Gram path (its Mehler tables were allocated before any check)
        Path x = dir.resolve("X.csv");
        Files.writeString(x, "1,0\n0,1\n0.6,0.8\n");
        Path k = dir.resolve("K.csv");
        oneLine(run("gram", "--input", x.toString(), "--activation", "fn(\"x^100\")", "--output", k.toString()), "gram x^100",
                "above its limit of 8192 nodes");
        assertFalse(Files.exists(k));
        // and the library call itself
        Activation sq = Activations.expression("x^2");
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> sq.mapVariance(1e186));
        assertTrue(e.getMessage().contains("panels"), e.getMessage());
    }

    /**
     * Defect 4: fn("x^300") at tiny inputs printed nngp 0.0 and ntk 0.0 (E[u^600] underflows).
     * Variant: an exact 0 is not underflow: odd φ at orthogonal inputs gives T = 0 and is accepted.
     */
    @Test
    @Timeout(120)
    void underflowIsRefusedButExactZerosAreNot() {
        oneLine(run("kernel", "--activation", "fn(\"x^300\")", "--x", "0.01,0", "--y", "0,0.01", "--w-std", "0.1", "--b-std", "0"),
                "x^300 tiny", "below 2.2e-308", "underflowed to 0");
        assertThrows(Ntk4jException.class, () -> Activations.expression("x^300").mapVariance(5e-7));
        Activation cube = Activations.expression("x^3");
        // E[u³v³] = 9ΣxxΣyyΣxy + 6Σxy³ = 0 at Σxy = 0 (independent Gaussians, odd φ)
        assertEquals(0, cube.dual(1, 0, 1), 1e-15);
        CliTest.Run r = run("kernel", "--activation", "fn(\"x^3\")", "--depth", "1", "--x", "1,0", "--y", "0,1", "--b-std", "0");
        assertEquals(0, r.code(), r.err());
        // and a tiny but normal E[φ²] is not refused: x^3 at variance 1e-50 gives 15e-150
        assertEquals(15e-150, cube.mapVariance(1e-50), 1e-12 * 15e-150);
    }

    /**
     * Defect 5: φ that overflows a double was refused as "grows like exp(1.77·x²) … its Gaussian
     * moments diverge". Now: a moment beyond the double range, or φ itself beyond it at x = 0.
     * Variant: true exp(c·x²) growth is still named with its c (c = 1 and c = 0.01).
     */
    @Test
    @Timeout(120)
    void overflowIsNotMistakenForExponentialGrowth() {
        CliTest.Run r = run("kernel", "--activation", "fn(\"x^300\")", "--x", "1,0", "--y", "0,1");
        oneLine(r, "x^300", "above 1.8e+308");
        assertFalse(r.err().contains("grows like"), r.err());
        r = run("kernel", "--activation", "fn(\"(x+1e300)^2*1e300\")", "--x", "1,0", "--y", "0,1");
        oneLine(r, "(x+1e300)^2*1e300", "φ(x) at x = 0", "exceeds the double range");
        assertFalse(r.err().contains("grows like"), r.err());
        oneLine(run("kernel", "--activation", "fn(\"Exp(x^2)\")", "--x", "1,0", "--y", "0,1"), "Exp(x^2)", "grows like exp(1.00·x²)");
        Activation slow = Activations.expression("Exp(x^2/100)");
        assertTrue(Double.isFinite(slow.mapVariance(1)));
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> slow.mapVariance(30));
        assertTrue(e.getMessage().contains("grows like exp(0.0100·x²)"), e.getMessage());
    }
}
