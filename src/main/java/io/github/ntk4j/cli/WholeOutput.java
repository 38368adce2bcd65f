package io.github.ntk4j.cli;

import io.github.ntk4j.io.AtomicFile;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard output held back until the command has finished, so that it gets a whole result or
 * nothing, as files do ({@link AtomicFile}): a command that fails half-way (a value that does not
 * fit a double in the last row, an interrupt) must not leave half a table or an unclosed JSON
 * object for the next program in a pipe. {@link Main#run} gives every command one of these as its
 * standard output and copies it to the real one only when the command succeeded (exit codes 0, 1
 * and 3, which come with a whole report).
 *
 * <p>The first {@value #IN_MEMORY} characters stay in memory; a larger output (a Gram matrix of
 * thousands of rows) goes on to a temporary file, deleted afterwards and, on a signal, by
 * {@link AtomicFile}'s shutdown hook, so that holding it back costs no heap.
 */
final class WholeOutput extends Writer {
    /** Characters kept in memory before the output moves to a temporary file. */
    static final int IN_MEMORY = 1 << 22;

    private final StringBuilder memory = new StringBuilder();
    private Path spill;
    private Writer spillWriter;

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        if (spillWriter == null && memory.length() + len <= IN_MEMORY) {
            memory.append(cbuf, off, len);
            return;
        }
        spillWriter().write(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        if (spillWriter == null && memory.length() + len <= IN_MEMORY) {
            memory.append(str, off, off + len);
            return;
        }
        spillWriter().write(str, off, len);
    }

    private Writer spillWriter() throws IOException {
        if (spillWriter == null) {
            spill = Files.createTempFile("ntk4j-stdout-", ".txt");
            AtomicFile.track(spill);
            spillWriter = new BufferedWriter(Files.newBufferedWriter(spill, StandardCharsets.UTF_8), 1 << 16);
            spillWriter.append(memory);
            memory.setLength(0);
            memory.trimToSize();
        }
        return spillWriter;
    }

    @Override
    public void flush() throws IOException {
        if (spillWriter != null) {
            spillWriter.flush();
        }
    }

    /**
     * Writes everything held back to the real output.
     *
     * @param out the real standard output
     * @throws IOException if the temporary file cannot be read back
     */
    void copyTo(Writer out) throws IOException {
        if (spillWriter == null) {
            out.append(memory);
            return;
        }
        spillWriter.flush();
        try (Reader in = new BufferedReader(Files.newBufferedReader(spill, StandardCharsets.UTF_8), 1 << 16)) {
            char[] buf = new char[1 << 16];
            for (int n; (n = in.read(buf)) >= 0;) {
                out.write(buf, 0, n);
            }
        }
    }

    /** Drops what was held back and deletes the temporary file, if any. */
    @Override
    public void close() {
        memory.setLength(0);
        if (spillWriter != null) {
            try {
                spillWriter.close();
            } catch (IOException ignored) {
                // deleted next
            }
            try {
                Files.deleteIfExists(spill);
            } catch (IOException ignored) {
                // a temporary file in the temporary directory: nothing more to do
            }
            AtomicFile.release(spill);
            spillWriter = null;
        }
    }
}
