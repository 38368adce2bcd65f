package io.github.ntk4j.cli;

import io.github.ntk4j.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, shown only when stderr is a terminal and the work has
 * run for more than two seconds; redrawn at most ten times a second and erased at the end.
 * Set {@code NTK4J_PROGRESS=always} or {@code never} to override the terminal check.
 */
public final class ProgressBar implements Progress, AutoCloseable {
    private static final long DELAY_NANOS = 2_000_000_000L;
    private static final long PERIOD_NANOS = 100_000_000L;
    private final PrintWriter err;
    private final String label;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    /**
     * @param err standard error
     * @param label what is being computed
     */
    public ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
        String env = System.getenv("NTK4J_PROGRESS");
        if ("always".equals(env)) {
            enabled = true;
        } else if ("never".equals(env)) {
            enabled = false;
        } else {
            enabled = stderrIsTerminal();
        }
    }

    /**
     * Whether standard error is a terminal. Java has no direct test; on Linux the file
     * descriptor's link names the device (/dev/pts/N or /dev/ttyN). Elsewhere a console
     * (stdin and stdout on a terminal) is the best available hint.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void update(long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - start < DELAY_NANOS || (now - lastDraw < PERIOD_NANOS && done < total)) {
            return;
        }
        lastDraw = now;
        drawn = true;
        double f = total == 0 ? 1 : (double) done / total;
        int width = 30;
        int filled = (int) Math.round(f * width);
        double elapsed = (now - start) * 1e-9;
        double eta = f > 0 ? elapsed * (1 - f) / f : 0;
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %5.1f%%  %.0fs elapsed, ~%.0fs left ", label,
                "#".repeat(filled), " ".repeat(width - filled), 100 * f, elapsed, eta));
        err.flush();
    }

    @Override
    public synchronized void close() {
        if (drawn) {
            err.print("\r" + " ".repeat(label.length() + 70) + "\r");
            err.flush();
        }
    }
}
