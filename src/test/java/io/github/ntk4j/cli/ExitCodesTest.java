package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.NumericalFailureException;
import io.github.ntk4j.OutputException;
import io.github.ntk4j.RunInterruptedException;
import org.junit.jupiter.api.Test;

/** The one mapping from failure kind to exit code (the table of docs/ARCHITECTURE.md and --help). */
class ExitCodesTest {
    @Test
    void eachFailureKindHasItsCode() {
        assertEquals(2, Main.exitCode(new InvalidInputException("x")));
        assertEquals(2, Main.exitCode(new OutOfMemoryError()));
        assertEquals(4, Main.exitCode(new NumericalFailureException("x")));
        assertEquals(74, Main.exitCode(new OutputException("x")));
        assertEquals(130, Main.exitCode(new RunInterruptedException("x")));
        assertEquals(70, Main.exitCode(new IllegalStateException("a bug")));
        assertEquals(70, Main.exitCode(new IllegalArgumentException("an unchecked argument is a bug too")));
        // a worker pool's wrapper is looked through
        assertEquals(2, Main.exitCode(Main.failure(new IllegalStateException(
                new java.util.concurrent.ExecutionException(new OutOfMemoryError())))));
        assertEquals(4, Main.exitCode(Main.failure(new RuntimeException(new NumericalFailureException("x")))));
        // the factories throw the right kind
        assertEquals(4, Main.exitCode(Messages.noConvergence("x")));
        assertEquals(130, Main.exitCode(Messages.interrupted("x", null)));
        assertEquals(74, Main.exitCode(Messages.writeFailed("x", "disk full")));
    }

    @Test
    void helpListsTheExitCodes() {
        CliTest.Run r = CliTest.run("--help");
        assertEquals(0, r.code());
        String footer = r.out().substring(r.out().indexOf("Exit codes:"));
        for (String code : new String[] {"0", "1", "2", "3", "4", "74", "130", "70"}) {
            assertTrue(footer.lines().anyMatch(l -> l.matches("\\s*" + code + "\\s+[a-zA-Z].*")), code + " in:\n" + footer);
        }
    }

    /** An OutOfMemoryError (which picocli does not hand to its handler) is one line and exit 2, not a stack trace and 1. */
    @Test
    void outOfMemoryIsOneLineAndExitTwo() {
        CliTest.Run r = CliTest.run("empirical", "--x", "1,0", "--y", "0,1", "--width", "64", "--samples", "2000000000");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("ntk4j empirical: error:") && r.err().contains("memory"), r.err());
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception") && !r.err().contains("Error:"), r.err());
    }
}
