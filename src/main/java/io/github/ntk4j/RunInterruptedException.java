package io.github.ntk4j;

/** The run was interrupted (thread interrupt) before it finished; partial results are discarded. */
public class RunInterruptedException extends Ntk4jException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, in library terms
     */
    public RunInterruptedException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message the one-line message, in library terms
     * @param cause the cause
     */
    public RunInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
