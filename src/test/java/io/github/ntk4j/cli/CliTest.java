package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, in-process: output formats, exit codes, one-line errors. */
class CliTest {
    @TempDir
    Path dir;

    /** Result of one command. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void kernelJsonMatchesTheReferenceFile() {
        // first case of the shared reference file: relu, depth 5, W_std 0.535, b_std 0
        Map<String, Object> c = TestData.cases("/reference/kernels.json").get(0);
        Run r = run("kernel", "--x", "-1.8055", "--y", "2.665", "--activation", "relu", "--depth", "5",
                "--w-std", "0.535", "--b-std", "0", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out().strip());
        assertEquals(List.of("nngp", "ntk"), List.copyOf(m.keySet()));
        assertEquals(TestData.num(c, "nngp"), (Double) m.get("nngp"), 1e-12 * TestData.num(c, "nngp"));
        assertEquals(TestData.num(c, "ntk"), (Double) m.get("ntk"), 1e-12 * TestData.num(c, "ntk"));
    }

    @Test
    void kernelTextAndSpec() {
        Run r = run("kernel", "--x", "1,0.3,-0.5", "--y", "0.2,-1,0.7", "--net", "dense(1.4,0.1) erf dense(1,0)");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("network  dense(1.4,0.1) erf dense(1,0)\nnngp     "), r.out());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        String[][] bad = {
            {"kernel", "--x", "1,NaN", "--y", "1,2"},
            {"kernel", "--x", "1,2", "--y", "1,2,3"},
            {"kernel", "--x", "1,2", "--y", "1,2", "--w-std", "-1"},
            {"kernel", "--x", "1,2", "--y", "1,2", "--b-std", "-0.1"},
            {"kernel", "--x", "1,2", "--y", "1,2", "--activation", "tahn"},
            {"kernel", "--x", "1,2", "--y", "1,2", "--depth", "x"},
            {"kernel", "--x", "1,2"},
            {"kernel", "--x", "", "--y", "1"},
            {"kernel", "--x", "1,2", "--y", "1,2", "--net", "dense(1,0) relu dense(1,0)", "--depth", "3"},
            {"kernel", "--x", "1,2", "--y", "1,2", "--format", "xml"},
            {"nonsense"},
            {"gram", "--input", "/nonexistent/X.csv"},
        };
        for (String[] args : bad) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertEquals("", r.out(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), String.join(" ", args) + " -> " + r.err());
            assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
        }
        Run spec = run("kernel", "--x", "1", "--y", "2", "--net", "dense(1,0) rleu dense(1,0)");
        assertEquals(2, spec.code());
        assertEquals("ntk4j kernel: error: bad network spec at position 12 (at \"rleu dense(1,0)\"): unknown layer 'rleu' (known: "
                + io.github.ntk4j.net.NetworkSpec.LAYERS + ", " + io.github.ntk4j.net.Activations.KNOWN
                + "; as the first layer only: fourier(m,sigma,seed), posenc(m,sigma))", spec.err().strip());
    }

    @Test
    void helpOnEveryCommandAndVersion() {
        // every command and sub-command, found from the command tree (a new command is covered
        // without editing this test); picocli reports a bad description (e.g. an unescaped '%')
        // on System.err, not on the command's writer, so that stream is watched too
        List<String[]> all = new java.util.ArrayList<>();
        all.add(new String[] {"--help"});
        collect(Main.commandLine(), new java.util.ArrayList<>(), all);
        assertTrue(all.size() > 15, "found " + all.size());
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream stray = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(stray, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String[] args : all) {
                Run r = run(args);
                assertEquals(0, r.code(), String.join(" ", args));
                assertTrue(r.out().contains("Usage: ntk4j"), r.out());
                assertEquals("", r.err(), String.join(" ", args));
                assertEquals("", stray.toString(java.nio.charset.StandardCharsets.UTF_8), String.join(" ", args));
            }
        } finally {
            System.setErr(saved);
        }
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("ntk4j "), v.out());
    }

    @Test
    void gramWritesCsvAndCrossGramHasTheRightShape() throws IOException {
        Path x = dir.resolve("X.csv");
        Path y = dir.resolve("Y.csv");
        Files.writeString(x, "1,0.3,-0.5\n0.2,-1,0.7\n2,0.6,-1\n");
        Files.writeString(y, "0,1,0\n1,1,1\n");
        Path k = dir.resolve("K.csv");
        Run r = run("gram", "--input", x.toString(), "--kernel", "ntk", "--output", k.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        double[][] m = Csv.read(k);
        assertEquals(3, m.length);
        assertEquals(3, m[0].length);
        Run kr = run("kernel", "--x", "1,0.3,-0.5", "--y", "0.2,-1,0.7", "--format", "json");
        @SuppressWarnings("unchecked")
        double ntk01 = (Double) ((Map<String, Object>) Json.parse(kr.out())).get("ntk");
        assertEquals(ntk01, m[0][1], 1e-13 * Math.abs(ntk01));
        Run c = run("gram", "--input", x.toString(), "--input2", y.toString(), "--kernel", "nngp");
        assertEquals(0, c.code(), c.err());
        List<String> lines = c.out().strip().lines().toList();
        assertEquals(3, lines.size());
        assertEquals(2, lines.get(0).split(",").length);
        Path ragged = dir.resolve("R.csv");
        Files.writeString(ragged, "1,2\n3\n");
        Run bad = run("gram", "--input", ragged.toString());
        assertEquals(2, bad.code());
        assertEquals("ntk4j gram: error: " + ragged + ": row 2: has 1 values but the first row has 2", bad.err().strip());
    }

    @Test
    void benchGramPrintsJson() {
        Run r = run("bench", "gram", "--n", "60", "--d", "5", "--depth", "2", "--threads", "1", "--repeat", "1");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        assertTrue((Double) m.get("seconds") > 0);
        assertTrue((Double) m.get("entries_per_second") > 0);
    }

    private static void collect(picocli.CommandLine c, List<String> path, List<String[]> out) {
        for (var e : c.getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().name().equals("help") || !e.getKey().equals(e.getValue().getCommandName())) {
                continue; // picocli's help command and aliases
            }
            List<String> p = new java.util.ArrayList<>(path);
            p.add(e.getKey());
            List<String> withHelp = new java.util.ArrayList<>(p);
            withHelp.add("--help");
            out.add(withHelp.toArray(new String[0]));
            collect(e.getValue(), p, out);
        }
    }
}
