package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process ended by SIGTERM or SIGINT in the middle of an atomic write
 * leaves the old file and no {@code .NAME.tmp-…} file (the shutdown hook of {@link AtomicFile}),
 * and ends with 143 or 130. Runs a real JVM ({@link SlowAtomicWrite}) and signals it.
 */
class AtomicFileSignalTest {
    @TempDir
    Path dir;

    private Process start(Path target) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SlowAtomicWrite.class.getName(), target.toString());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static void awaitWriting(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertEquals("writing", line, "the child started its write");
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().contains(".tmp-")).toList();
        }
    }

    private void signalledWriteLeavesTheOldFile(String signal, int exitCode) throws Exception {
        Path target = dir.resolve("K.csv");
        Files.writeString(target, "old\n");
        Process p = start(target);
        try {
            awaitWriting(p);
            assertEquals(1, temporaries().size(), "the write is under way in a temporary file");
            // a child started from a background job inherits SIGINT ignored, and the JVM then keeps
            // it ignored (as nohup asks): nothing to test there (Linux's /proc says so)
            org.junit.jupiter.api.Assumptions.assumeFalse(signal.equals("INT") && ignoresSigint(p.pid()),
                    "SIGINT is ignored in this environment (a background job): the JVM honours that");
            if (signal.equals("TERM")) {
                p.destroy(); // SIGTERM
            } else {
                new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the child ended");
            assertEquals(exitCode, p.exitValue());
            assertEquals(List.of(), temporaries(), "no temporary file left");
            assertEquals("old\n", Files.readString(target), "the old file kept");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether /proc/PID/status lists SIGINT (signal 2) among the ignored signals; false where it cannot be read. */
    private static boolean ignoresSigint(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    @Test
    void sigtermDuringAWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        signalledWriteLeavesTheOldFile("TERM", 143);
    }

    @Test
    void sigintDuringAWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        signalledWriteLeavesTheOldFile("INT", 130);
    }
}
