package io.github.ntk4j;

/**
 * Receives progress of a long computation (a Gram matrix, a Monte Carlo study). Calls may
 * come from several worker threads; implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface Progress {
    /** A listener that ignores every update. */
    Progress NONE = (done, total) -> { };

    /**
     * Reports progress.
     *
     * @param done units of work finished so far
     * @param total units of work in all
     */
    void update(long done, long total);
}
