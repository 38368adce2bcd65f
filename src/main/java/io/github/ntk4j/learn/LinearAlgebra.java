package io.github.ntk4j.learn;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Which dense linear algebra the learning engines run on, and where the one-line notice goes when
 * it is the pure-Java one.
 *
 * <p>Natively, learn/ runs on OpenBLAS 0.3.31 (with its LAPACK) through the JavaCPP presets, when
 * {@code org.bytedeco:openblas} and the natives for this platform are on the class path: the
 * CLI jar carries the linux-x86_64 ones, and a library user adds
 * {@code org.bytedeco:openblas-platform} (Linux, macOS, Windows; x86-64 and arm64), see
 * docs/LIBRARY.md. Without them it runs on EJML (pure Java, every platform), with the same
 * results to rounding and more time: {@value #SLOWER}. The first call that falls back because the
 * natives are missing says so once, on standard error unless {@link #setNotice} chose otherwise.
 * The system property {@value #PROPERTY}{@code =java} selects the pure-Java path on purpose
 * (silently; it is read on every call).
 */
public final class LinearAlgebra {
    /** The system property that selects the pure-Java path when its value is {@code java}. */
    public static final String PROPERTY = "ntk4j.linalg";

    /**
     * How much slower the pure-Java path is: {@code ntk4j bench predict} with and without
     * {@code -Dntk4j.linalg=java}, alternated in one run on the shared 2-core development machine
     * (n = 1000 and 2000 training, 500 test inputs, t = ∞ and t = 10: 2.0× to 4.6×; docs/LIBRARY.md
     * has the table; docs/LEARNING.md §7 compares the routines one by one at n = 2000).
     */
    static final String SLOWER = "2-5x slower than OpenBLAS at 1000-2000 training inputs, more above";

    private static volatile Consumer<String> notice = line -> System.err.println(line);
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    private LinearAlgebra() {
    }

    /**
     * @return whether the learning engines run on native OpenBLAS now (false when the natives are
     *         absent or {@value #PROPERTY}{@code =java}); loads the natives on first call
     */
    public static boolean isNative() {
        return !"java".equalsIgnoreCase(System.getProperty(PROPERTY)) && Lapack.nativeProblem() == null;
    }

    /** @return one line naming the implementation in use, e.g. for a run's header */
    public static String describe() {
        if ("java".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            return "EJML (pure Java; " + PROPERTY + "=java)";
        }
        String problem = Lapack.nativeProblem();
        return problem == null ? "OpenBLAS (native)" : "EJML (pure Java; " + problem + ")";
    }

    /**
     * Chooses where the one-line notice goes that the learning engines fall back to pure Java
     * because the natives are missing (by default standard error; said at most once per class
     * loader).
     *
     * @param sink receives the line; {@code s -> { }} silences it
     */
    public static void setNotice(Consumer<String> sink) {
        notice = Objects.requireNonNull(sink, "sink");
    }

    /** Says once that the natives are missing and what that costs. */
    static void announceFallback(String problem) {
        if (ANNOUNCED.compareAndSet(false, true)) {
            notice.accept("ntk4j: " + problem + "; learning runs on pure-Java EJML, " + SLOWER
                    + " (add org.bytedeco:openblas-platform for native speed, docs/LIBRARY.md)");
        }
    }
}
