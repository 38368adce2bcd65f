package io.github.ntk4j.finite;

import io.github.ntk4j.Messages;

/**
 * Refuses, before it starts, a computation that would not fit in the Java heap.
 */
public final class MemoryCheck {
    private MemoryCheck() {
    }

    /**
     * @return bytes the heap can still grow to hold: max heap − (used now)
     */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Throws {@link Messages#outOfMemory} when {@code bytes} exceed what the heap can hold.
     *
     * @param what what needs the memory, for the message
     * @param bytes bytes needed
     */
    public static void require(String what, long bytes) {
        long avail = available();
        if (bytes < 0 || bytes > avail) {
            throw Messages.outOfMemory(what, bytes < 0 ? Long.MAX_VALUE : bytes, avail);
        }
    }
}
