package io.github.ntk4j;

/** Valid input on which an algorithm failed: no convergence, a matrix that is numerically not positive definite. */
public class NumericalFailureException extends Ntk4jException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the one-line message, in library terms
     */
    public NumericalFailureException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message the one-line message, in library terms
     * @param cause the cause
     */
    public NumericalFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
