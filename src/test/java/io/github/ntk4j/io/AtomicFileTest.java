package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.OutputException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost: a failed write leaves the old file as it was and no temporary file behind; a
 * directory is never replaced; a bad destination is refused before any content is produced.
 */
class AtomicFileTest {
    @TempDir
    Path dir;

    /** A write that fails after part of the content, as a full disk does. */
    private static void failHalfWay(java.io.OutputStream out) throws IOException {
        out.write(new byte[100_000]);
        throw new IOException("No space left on device");
    }

    @Test
    void anExistingFileSurvivesAFailedWrite() throws IOException {
        Path f = dir.resolve("k.csv");
        Files.writeString(f, "old content\n");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFile.write(f, AtomicFileTest::failHalfWay));
        assertTrue(e.getMessage().contains("No space left on device") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals("old content\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aFailureInsideTheContentKeepsTheOldFileToo() throws IOException {
        // an exception from the producer (not an I/O error) must not leave a partial file either
        Path f = dir.resolve("k.json");
        Files.writeString(f, "[1]\n");
        assertThrows(RuntimeException.class, () -> AtomicFile.writeText(f, w -> {
            w.write("[2, ");
            throw new IllegalStateException("non-finite number");
        }));
        assertEquals("[1]\n", Files.readString(f));
    }

    @Test
    void csvAndJsonFilesAreReplacedWholeAndKeepTheirPermissions() throws IOException {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, "stale\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Csv.write(f, new double[][] {{1, 2}, {3, -0.5}});
        assertEquals("1.0,2.0\n3.0,-0.5\n", Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aDirectoryIsNeverReplaced() throws IOException {
        Path d = Files.createDirectory(dir.resolve("outdir.png"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AtomicFile.write(d, out -> out.write(1)));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        assertTrue(Files.isDirectory(d), "the directory is still there");
    }

    @Test
    void aMissingDirectoryIsFoundBeforeAnyContentIsMade() {
        boolean[] called = {false};
        Path f = dir.resolve("no/such/dir/f.png");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AtomicFile.write(f, out -> called[0] = true));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(!called[0], "the content was not produced");
        assertThrows(InvalidInputException.class, () -> AtomicFile.checkWritable(Path.of("")));
    }

    @Test
    void aFullFileSystemLeavesTheOldFile() throws Exception {
        // a real full file system where the sandbox allows mounting a small tmpfs; skipped otherwise
        Path mnt = Files.createDirectory(dir.resolve("tmpfs"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here");
        try {
            Path f = mnt.resolve("k.csv");
            Files.writeString(f, "old\n");
            double[][] big = new double[200][200]; // about 160 KB of CSV, more than the 64 KB file system
            assertThrows(OutputException.class, () -> Csv.write(f, big));
            assertEquals("old\n", Files.readString(f));
            try (var files = Files.list(mnt)) {
                assertEquals(1, files.count());
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void jsonIsStreamedExactlyAsTheStringForm() throws IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("k", new double[][] {{1.5, -0.0}, {1e300, 3}});
        m.put("s", "a\"b\n");
        m.put("none", null);
        StringWriter w = new StringWriter();
        Json.write(w, m);
        assertEquals(Json.write(m), w.toString());
        assertEquals("{\"k\": [[1.5, -0.0], [1.0E300, 3]], \"s\": \"a\\\"b\\n\", \"none\": null}", w.toString());
    }

    @Test
    void writtenBytesArriveWhole() throws IOException {
        Path f = dir.resolve("b.bin");
        byte[] data = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        AtomicFile.write(f, out -> out.write(data));
        assertArrayEquals(data, Files.readAllBytes(f));
    }
}
