package io.github.ntk4j.internal;

/**
 * Refuses, before it starts, a computation that would not fit in the Java heap: every engine
 * (analytic Gram matrices, finite networks, training, predictions, file reading and output)
 * estimates the memory its input makes it allocate and calls {@link #require} first, so an
 * over-large request ends with one line and exit code 2 instead of an
 * {@link OutOfMemoryError} half-way. The arithmetic helpers saturate at
 * {@link Long#MAX_VALUE} instead of overflowing, so an absurd size is refused, never wrapped
 * round to a small or negative number.
 */
public final class MemoryCheck {
    /** Bytes of a Java array header (rounded up, 64-bit JVM with compressed pointers). */
    public static final long ARRAY_HEADER = 16;

    private MemoryCheck() {
    }

    /**
     * Share of the maximum heap counted as usable. The collector keeps part of the heap free
     * to move objects into (measured: a 5000×5000 Gram matrix, 191 MiB, passed a check against
     * the whole 194 MiB of {@code -Xmx200m} and then ran out of memory).
     */
    static final double USABLE_SHARE = 0.9;

    /**
     * @return bytes the heap can still grow to hold: the usable share of the max heap − (used now)
     */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return (long) (rt.maxMemory() * USABLE_SHARE) - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Throws {@link Messages#outOfMemory} when {@code bytes} exceed what the heap can hold.
     *
     * @param what what needs the memory, for the message
     * @param bytes bytes needed (negative or {@link Long#MAX_VALUE}: more than can be counted)
     */
    public static void require(String what, long bytes) {
        if (!fits(bytes)) {
            throw Messages.outOfMemory(what, bytes < 0 ? Long.MAX_VALUE : bytes, available());
        }
    }

    /**
     * Whether {@code bytes} fit in what the heap can hold, asking for one collection before
     * saying no (the heap may hold garbage that a collection would free).
     *
     * @param bytes bytes needed (negative or {@link Long#MAX_VALUE}: more than can be counted)
     * @return true when they fit
     */
    public static boolean fits(long bytes) {
        if (bytes >= 0 && bytes <= available()) {
            return true;
        }
        System.gc();
        return bytes >= 0 && bytes <= available();
    }

    /**
     * @param a a count or size ≥ 0
     * @param b another
     * @return a·b, or {@link Long#MAX_VALUE} when it does not fit a long (or an operand is negative)
     */
    public static long times(long a, long b) {
        if (a < 0 || b < 0) {
            return Long.MAX_VALUE;
        }
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /**
     * @param parts sizes ≥ 0
     * @return their sum, saturating at {@link Long#MAX_VALUE}
     */
    public static long plus(long... parts) {
        long s = 0;
        for (long p : parts) {
            if (p < 0 || s > Long.MAX_VALUE - p) {
                return Long.MAX_VALUE;
            }
            s += p;
        }
        return s;
    }

    /**
     * @param rows rows ≥ 0
     * @param columns columns ≥ 0
     * @return bytes of a {@code double[rows][columns]} (headers included), saturating
     */
    public static long doubles(long rows, long columns) {
        return plus(ARRAY_HEADER, times(rows, 8), times(rows, plus(ARRAY_HEADER, times(columns, 8))));
    }

    /**
     * @param n entries ≥ 0
     * @return bytes of a {@code double[n]}, saturating
     */
    public static long doubles(long n) {
        return plus(ARRAY_HEADER, times(n, 8));
    }
}
