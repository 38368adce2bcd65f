package io.github.ntk4j;

/** The request is malformed or cannot be served as asked: bad input, a result that does not fit in a double, a memory need above the limit. */
public class InvalidInputException extends Ntk4jException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, in library terms
     */
    public InvalidInputException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message the one-line message, in library terms
     * @param cause the cause
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
