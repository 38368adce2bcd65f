package io.github.ntk4j;

import io.github.ntk4j.internal.Messages;

/**
 * Root of the exceptions ntk4j throws on purpose. Each subtype names a kind of failure, so a
 * caller (and the CLI's exit code) can tell them apart:
 * <ul>
 * <li>{@link InvalidInputException}: the request is malformed or cannot be served as asked
 * (a non-finite value, mismatched dimensions, an unknown activation, a width that would not fit
 * in memory, a result that would not fit in a double);</li>
 * <li>{@link NumericalFailureException}: the input was valid but an algorithm failed on it
 * (an eigen-solver that did not converge, a matrix that is not positive definite);</li>
 * <li>{@link RunInterruptedException}: the run was interrupted before it finished;</li>
 * <li>{@link OutputException}: a result could not be written.</li>
 * </ul>
 *
 * <p>Messages are one readable line in library terms (no command-line flags); they are built
 * through {@link Messages} so the wording is kept in one place.
 */
public abstract class Ntk4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the one-line message
     * @param cause the cause, or null
     */
    protected Ntk4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
