package io.github.ntk4j.internal;

import io.github.ntk4j.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The memory arithmetic saturates instead of wrapping round, so absurd sizes are refused. */
class MemoryCheckTest {
    @Test
    void sizesSaturateInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, MemoryCheck.times(2_000_000_000L, 2_000_000_000_000L));
        assertEquals(Long.MAX_VALUE, MemoryCheck.times(-1, 5));
        assertEquals(Long.MAX_VALUE, MemoryCheck.plus(Long.MAX_VALUE - 1, 2));
        assertEquals(6, MemoryCheck.times(2, 3));
        // double[3][4]: outer array 16 + 3·8, three rows of 16 + 4·8
        assertEquals(16 + 24 + 3 * (16 + 32), MemoryCheck.doubles(3, 4));
        assertEquals(Long.MAX_VALUE, MemoryCheck.doubles(1L << 40, 1L << 40));
    }

    @Test
    void aNeedBeyondTheHeapIsRefusedWithItsSize() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MemoryCheck.require("a test matrix", Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("a test matrix needs about") && e.getMessage().contains("-Xmx"), e.getMessage());
        MemoryCheck.require("a small matrix", 1024); // no exception
    }
}
