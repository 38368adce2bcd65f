package io.github.ntk4j.io;

import io.github.ntk4j.internal.Messages;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file ntk4j writes goes through here, so that a run that fails (a full disk, an
 * exception half-way, a kill) never leaves a truncated file and never destroys the file that
 * was there before: the content is written to a temporary file in the same directory,
 * forced to the device ({@code fsync}), and only then moved over the target in one atomic
 * rename ({@code ATOMIC_MOVE}, {@code REPLACE_EXISTING}). On any failure the temporary file
 * is deleted and the old target is left as it was. A directory is never replaced (a rename
 * over an empty directory would silently delete it).
 *
 * <p>A run ended by a signal (SIGINT, SIGTERM, or {@link System#exit} from elsewhere) unwinds no
 * {@code finally}: the temporary files still open are kept in a registry that one JVM shutdown
 * hook deletes, so an interrupted write leaves the old target and nothing else. (A kill -9 runs
 * no hook at all; only that can leave a {@code .NAME.tmp-…} file behind.)
 */
public final class AtomicFile {
    /** The temporary files being written now: deleted by the shutdown hook if the JVM ends first. */
    private static final java.util.Set<Path> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED = new java.util.concurrent.atomic.AtomicBoolean();

    private AtomicFile() {
    }

    /**
     * Registers a temporary file for deletion should the JVM shut down (a signal) before
     * {@link #release} is called; the first call installs the one shutdown hook.
     *
     * @param tmp the temporary file
     */
    public static void track(Path tmp) {
        if (HOOKED.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(AtomicFile::deleteLive, "ntk4j-temporary-files"));
            } catch (IllegalStateException | SecurityException e) {
                // already shutting down: the caller's own clean-up still runs
            }
        }
        LIVE.add(tmp);
    }

    /**
     * Ends the tracking of a temporary file (moved into place or deleted by its writer).
     *
     * @param tmp the temporary file
     */
    public static void release(Path tmp) {
        LIVE.remove(tmp);
    }

    /** The shutdown hook: deletes every temporary file still registered. */
    private static void deleteLive() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                // shutting down: nothing left to report to
            }
        }
    }

    /** Content written to a byte stream. */
    @FunctionalInterface
    public interface ByteContent {
        /**
         * @param out the stream (do not close it)
         * @throws IOException on a write failure
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Content written as UTF-8 text. */
    @FunctionalInterface
    public interface TextContent {
        /**
         * @param out the writer (do not close it)
         * @throws IOException on a write failure
         */
        void writeTo(Writer out) throws IOException;
    }

    /**
     * Checks, before any work is done, that a file can be written there: it is not a
     * directory and its directory exists and is writable.
     *
     * @param target the file
     * @throws io.github.ntk4j.InvalidInputException if it cannot be written
     */
    public static void checkWritable(Path target) {
        if (target == null || target.toString().isEmpty()) {
            throw Messages.invalid("an output file name is empty");
        }
        Path t = resolveLink(target);
        if (Files.isDirectory(t)) {
            throw Messages.io(target.toString(), "is a directory, not a file");
        }
        Path dir = directoryOf(t);
        if (!Files.isDirectory(dir)) {
            throw Messages.io(target.toString(), "cannot be written: the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw Messages.io(target.toString(), "cannot be written: the directory " + dir + " is not writable");
        }
        if (Files.exists(t) && !Files.isWritable(t)) {
            throw Messages.io(target.toString(), "cannot be written: the file is read-only");
        }
    }

    /**
     * Writes bytes to a file atomically (see the class comment).
     *
     * @param target the file
     * @param content what to write
     * @throws io.github.ntk4j.InvalidInputException if the target cannot be a file (a directory,
     *     a missing directory)
     * @throws io.github.ntk4j.OutputException if writing fails; the old file is then unchanged
     */
    public static void write(Path target, ByteContent content) {
        checkWritable(target);
        Path t = resolveLink(target);
        Path dir = directoryOf(t);
        Path tmp = dir.resolve("." + t.getFileName() + ".tmp-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        boolean moved = false;
        track(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream raw = Channels.newOutputStream(ch);
                    OutputStream out = new java.io.BufferedOutputStream(new Unclosable(raw), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            copyPermissions(t, tmp);
            try {
                Files.move(tmp, t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, t, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException | RuntimeException e) {
            throw e instanceof io.github.ntk4j.Ntk4jException n ? n
                    : Messages.writeFailed(target.toString(), reason(e));
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
            release(tmp);
        }
    }

    /**
     * Writes UTF-8 text to a file atomically (see the class comment).
     *
     * @param target the file
     * @param content what to write
     */
    public static void writeText(Path target, TextContent content) {
        write(target, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            content.writeTo(w);
            w.flush();
        });
    }

    /** One line saying why a write failed, e.g. "No space left on device". */
    static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m.strip() : m.substring(0, nl).strip();
    }

    private static Path resolveLink(Path p) {
        if (Files.isSymbolicLink(p)) {
            try {
                return p.toRealPath();
            } catch (IOException e) {
                return p; // a dangling link: the rename replaces the link itself
            }
        }
        return p;
    }

    private static Path directoryOf(Path p) {
        Path parent = p.toAbsolutePath().getParent();
        return parent == null ? p.toAbsolutePath().getRoot() : parent;
    }

    /** Keeps an existing file's permissions (the temporary file has the process defaults). */
    private static void copyPermissions(Path from, Path to) {
        try {
            if (Files.exists(from)) {
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not a POSIX file system, or not ours to change: the defaults are kept
        }
    }

    /** Keeps the content writer from closing the channel before it is forced to disk. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
