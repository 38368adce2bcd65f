package io.github.ntk4j.study;

/**
 * The outcome of a statistical check.
 *
 * <ul>
 * <li>{@link #PASS}: every test accepted its null hypothesis AND each had the power to reject
 * it (a stated deviation would have been detected);</li>
 * <li>{@link #FAIL}: a test rejected (at the stated family-wise level, whatever its power);</li>
 * <li>{@link #INCONCLUSIVE}: nothing rejected, but some test could not have detected the
 * deviation it is there to catch: the data cannot decide.</li>
 * </ul>
 */
public enum Verdict {
    /** Every test accepted and had the power to reject. */
    PASS,
    /** Nothing rejected, but the data could not decide. */
    INCONCLUSIVE,
    /** A test rejected. */
    FAIL;

    /**
     * The verdict of two checks together: FAIL if either failed, else INCONCLUSIVE if either
     * was, else PASS.
     *
     * @param other the other verdict
     * @return the combined verdict
     */
    public Verdict and(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
