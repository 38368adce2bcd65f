package io.github.ntk4j;

/** A result could not be written (a full disk, a closed standard output, a path that cannot be replaced). */
public class OutputException extends Ntk4jException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, in library terms
     */
    public OutputException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message the one-line message, in library terms
     * @param cause the cause
     */
    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
