package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defect classes of "nothing lost, nothing hidden", swept over the commands: standard
 * output that cannot be written (exit 74), plot and output files checked before the run and
 * never truncated or deleted, memory refused up front (exit 2), and one readable line for each.
 */
class OutputAndLimitsTest {
    @TempDir
    Path dir;

    /** Standard output on a full disk: every write fails. */
    private static final class FullDisk extends Writer {
        @Override
        public void write(char[] c, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void flush() throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void close() {
        }
    }

    private static CliTest.Run toFullDisk(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new FullDisk()), new PrintWriter(err), args);
        return new CliTest.Run(code, "", err.toString());
    }

    private static void assertOneLine(CliTest.Run r) {
        String e = r.err().strip();
        assertFalse(e.isEmpty(), "an error line");
        assertFalse(e.contains("\tat ") || e.contains("Exception"), "no stack trace: " + e);
        assertEquals(1, e.lines().filter(l -> l.contains("error")).count(), e);
    }

    @Test
    void everyCommandThatPrintsFailsWithExit74WhenStandardOutputCannotBeWritten() throws IOException {
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1,2\n3,4\n0.5,-1\n");
        Path y = dir.resolve("y.csv");
        Files.writeString(y, "1\n0\n2\n");
        List<String[]> commands = List.of(
                new String[] {"kernel", "--x", "1,0", "--y", "0,1"},
                new String[] {"kernel", "--x", "1,0", "--y", "0,1", "--format", "json"},
                new String[] {"gram", "--input", x.toString()},
                new String[] {"gram", "--input", x.toString(), "--format", "json"},
                new String[] {"spectrum", "--input", x.toString()},
                new String[] {"spectrum", "--sphere-dim", "3", "--degrees", "3", "--format", "csv"},
                new String[] {"spectrum", "--sphere-dim", "3", "--degrees", "3", "--format", "json"},
                new String[] {"predict", "--train", x.toString(), "--targets", y.toString(), "--test", x.toString()},
                new String[] {"predict", "--train", x.toString(), "--targets", y.toString(), "--test", x.toString(),
                    "--format", "csv"},
                new String[] {"empirical", "--x", "1,0", "--y", "0,1", "--width", "8", "--samples", "2"});
        for (String[] c : commands) {
            CliTest.Run r = toFullDisk(c);
            assertEquals(Main.OUTPUT_FAILED, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("standard output could not be written"), r.err());
            assertOneLine(r);
        }
    }

    @Test
    void aBadPlotFileIsRefusedBeforeTheRunInEveryCommand() throws IOException {
        Path emptyDir = Files.createDirectory(dir.resolve("outdir.png"));
        // verify's and train's default runs take many seconds; refused before them, these take none
        for (String plot : new String[] {"/nonexistent/f.png", emptyDir.toString()}) {
            List<String[]> commands = List.of(
                    new String[] {"verify", "--plot", plot},
                    new String[] {"train", "--plot", plot},
                    new String[] {"pathkernel", "--plot", plot},
                    new String[] {"spectrum", "--sphere-dim", "3", "--plot", plot},
                    new String[] {"fourier", "--plot", plot});
            for (String[] c : commands) {
                long t0 = System.nanoTime();
                CliTest.Run r = CliTest.run(c);
                double seconds = (System.nanoTime() - t0) * 1e-9;
                assertEquals(Main.BAD_INPUT, r.code(), String.join(" ", c) + ": " + r.err());
                assertOneLine(r);
                assertTrue(r.err().contains(plot), r.err());
                assertTrue(seconds < 5, String.join(" ", c) + " ran the study first (" + seconds + " s)");
            }
        }
        assertTrue(Files.isDirectory(emptyDir), "the directory was not deleted");
    }

    @Test
    void plotsAreWrittenInTheFormatTheirNameSaysToExactlyThatName() throws IOException {
        Path svg = dir.resolve("sp.svg");
        CliTest.Run r = CliTest.run("spectrum", "--sphere-dim", "3", "--degrees", "4", "--plot", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(svg).startsWith("<?xml"), "an SVG file, not PNG bytes");
        Path png = dir.resolve(".png");
        r = CliTest.run("spectrum", "--sphere-dim", "3", "--degrees", "4", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertFalse(Files.exists(dir.resolve(".png.png")), "no extension appended");
    }

    @Test
    void gramOutputFileIsCheckedFirstAndReplacedWhole() throws IOException {
        Path x = dir.resolve("x.csv");
        Files.writeString(x, "1,2\n3,4\n");
        Path out = dir.resolve("k.json");
        Files.writeString(out, "old");
        CliTest.Run r = CliTest.run("gram", "--input", x.toString(), "--format", "json", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out).startsWith("[[") && Files.readString(out).endsWith("]]\n"));
        Path d = Files.createDirectory(dir.resolve("k.csv"));
        r = CliTest.run("gram", "--input", x.toString(), "--output", d.toString());
        assertEquals(Main.BAD_INPUT, r.code());
        assertOneLine(r);
        assertTrue(Files.isDirectory(d));
    }

    @Test
    void sizesThatCannotFitAreRefusedUpFrontWithExit2() {
        List<String[]> commands = List.of(
                new String[] {"bench", "gram", "--n", "100", "--d", "100000000"},
                new String[] {"empirical", "--x", "1,0", "--y", "0,1", "--width", "64", "--samples", "2000000000"},
                new String[] {"verify", "--seeds", "2000000000"},
                new String[] {"train", "--seeds", "2000000000"});
        for (String[] c : commands) {
            CliTest.Run r = CliTest.run(c);
            assertEquals(Main.BAD_INPUT, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("of memory but only"), r.err());
            assertOneLine(r);
        }
    }

    /** bench pair: its checksum is the sum of the pairs' NTK values, which the Gram matrix also holds. */
    @Test
    void benchPairReportsPairAndGramEntryTimes() {
        CliTest.Run r = CliTest.run("bench", "pair", "--n", "20", "--d", "4", "--pairs", "40", "--repeat", "1",
                "--depth", "2");
        assertEquals(0, r.code(), r.err());
        java.util.Map<?, ?> v = (java.util.Map<?, ?>) io.github.ntk4j.io.Json.parse(r.out());
        assertTrue(((Number) v.get("seconds")).doubleValue() > 0 && ((Number) v.get("gram_entry_seconds")).doubleValue() > 0,
                r.out());
        // the same 40 pairs from the Gram matrix of the same inputs (PairBenchmark's seed and order)
        java.util.Random rng = new java.util.Random(0);
        double[][] x = new double[20][4];
        for (double[] row : x) {
            for (int k = 0; k < 4; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        double[][] ntk = io.github.ntk4j.kernel.NtkRecursion.of(io.github.ntk4j.net.NetworkSpec.parse(
                "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)")).gram(x).ntk();
        double sum = 0;
        for (int p = 0; p < 40; p++) {
            sum += ntk[p % 20][(p / 20 + 1 + p % 20) % 20];
        }
        assertEquals(sum, ((Number) v.get("checksum")).doubleValue(), 1e-12 * Math.abs(sum), r.out());
    }

    @Test
    void rangeErrorsAndMessagesSayWhatIsWrong() {
        CliTest.Run r = CliTest.run("bench", "empirical", "--threads", "-1");
        assertTrue(r.code() == 2 && r.err().contains("threads must be") && !r.err().contains("needs about"), r.err());
        r = CliTest.run("bench", "empirical", "--threads", "100000");
        assertTrue(r.code() == 2 && r.err().contains("threads must be") && !r.err().contains("memory"), r.err());
        r = CliTest.run("train", "--w-std", "0", "--b-std", "0");
        assertTrue(r.code() == 2 && r.err().contains("NTK of the training set is zero") && !r.err().contains("Infinity"),
                r.err());
        r = CliTest.run("spectrum", "--sphere-dim", "3", "--degrees", "0", "--plot", dir.resolve("z.png").toString());
        assertTrue(r.code() == 2 && r.err().contains("--degrees 1 or more"), r.err());
        r = CliTest.run("spectrum", "--b-std", "1e200", "--sphere-dim", "3");
        assertTrue(r.code() == 2 && !r.err().contains("dot-product"), r.err());
        r = CliTest.run("kernel", "--net", "dense(1,0) fourier(4,1,0) relu dense(1,0)", "--x", "1", "--y", "1");
        assertTrue(r.code() == 2 && r.err().contains("can only be the first layer"), r.err());
        r = CliTest.run("kernel", "--net", "dense(1,0) tnah dense(1,0)", "--x", "1", "--y", "1");
        assertTrue(r.code() == 2 && r.err().contains("fourier(m,sigma,seed)") && r.err().contains("posenc(m,sigma)"), r.err());
        r = CliTest.run("fourier", "--net", "fourier(4,1,0) dense(1,0) relu dense(1,0)", "--grid", "16", "--features", "4");
        assertTrue(r.code() == 2 && r.err().contains("fourier(4,1,0)"), "the input map is not dropped silently: " + r.err());
    }

    @Test
    void fourierKeepsItsDocumentedDepthAndNamesTheEigenvaluesItShows() {
        CliTest.Run r = CliTest.run("fourier", "--w-std", "1.4", "--grid", "32", "--features", "4", "--sigmas", "1",
                "--steps", "10");
        assertEquals(0, r.code(), r.err());
        // one shorthand option leaves the depth at its documented default, 3
        assertTrue(r.out().contains("l10/l1") && r.out().contains("l16/l1") && !r.out().contains("l50/l1"), r.out());
        CliTest.Run j = CliTest.run("fourier", "--w-std", "1.4", "--grid", "32", "--features", "4", "--sigmas", "1",
                "--steps", "10", "--format", "json");
        String network = j.out().replaceAll("(?s).*?\"network\": \"([^\"]*)\".*", "$1");
        assertEquals(3, network.split("relu", -1).length - 1, network);
        assertTrue(j.out().contains("\"falloff_50\": null"), j.out());
    }
}
