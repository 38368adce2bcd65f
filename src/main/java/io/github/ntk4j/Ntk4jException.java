package io.github.ntk4j;

/**
 * The one exception type ntk4j throws for bad input: a non-finite value, mismatched
 * dimensions, an empty data set, a negative standard deviation, an unknown activation, a
 * malformed network specification, a width that would not fit in memory.
 *
 * <p>Messages are built only through {@link Messages}, so the wording is kept in one place;
 * they are one readable line meant to be shown to a user as they are (the CLI prints them
 * and exits with code 2).
 */
public class Ntk4jException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message from {@link Messages}.
     *
     * @param message the one-line message
     */
    public Ntk4jException(String message) {
        super(message);
    }
}
