package io.github.ntk4j.symbolic;

/**
 * How {@link SymbolicRecursion} writes the kernels.
 *
 * @param sphere inputs on the sphere: Σxx = Σyy = 1 and the one variable {@code u} = Σxy
 *     (x·y/d with ‖x‖² = ‖y‖² = d)
 * @param symbolicParams keep each Dense layer's W_std and b_std as symbols {@code w1, b1, w2,
 *     b2, …} (numbered by Dense layer) instead of substituting them as exact rationals
 * @param expanded also build single closed expressions for the NNGP and NTK (substituting
 *     the straight-line program into itself, simplified layer by layer)
 * @param simplifySeconds time limit of each Simplify call; on timeout the expression is
 *     kept as evaluated (equal, only less tidy)
 * @param integrateSeconds time limit of each attempt of Symja's Integrate at a closed form of
 *     the Gaussian integrals of an activation known only by φ (tanh, fn("EXPR"), …); 0 to print
 *     the integrals without trying
 */
public record SymbolicOptions(boolean sphere, boolean symbolicParams, boolean expanded, double simplifySeconds,
        double integrateSeconds) {

    /** Default time limit of one Simplify call, in seconds (see docs/SYMBOLIC.md for timings). */
    public static final double DEFAULT_SIMPLIFY_SECONDS = 2;
    /** Default time limit of one Integrate attempt, in seconds (see docs/SYMBOLIC.md). */
    public static final double DEFAULT_INTEGRATE_SECONDS = 2;
    /**
     * Longest time limit of one Simplify or Integrate call, in seconds (an hour): a longer one
     * is no limit at all, and a number that Java prints in exponent form (1.0E7) is not one
     * Symja reads as a number.
     */
    public static final double MAX_SECONDS = 3600;

    /**
     * Checks the time limit.
     *
     * @param sphere see above
     * @param symbolicParams see above
     * @param expanded see above
     * @param simplifySeconds see above, in (0, {@link #MAX_SECONDS}]
     * @param integrateSeconds see above, in [0, {@link #MAX_SECONDS}]
     */
    public SymbolicOptions {
        if (!(simplifySeconds > 0 && simplifySeconds <= MAX_SECONDS)) {
            throw io.github.ntk4j.internal.Messages.invalid("the simplify time limit must be a number of seconds in (0, "
                    + (int) MAX_SECONDS + "], got " + simplifySeconds);
        }
        if (!(integrateSeconds >= 0 && integrateSeconds <= MAX_SECONDS)) {
            throw io.github.ntk4j.internal.Messages.invalid("the integrate time limit must be a number of seconds in [0, "
                    + (int) MAX_SECONDS + "], got " + integrateSeconds);
        }
    }

    /**
     * Options with the default Integrate time limit.
     *
     * @param sphere see above
     * @param symbolicParams see above
     * @param expanded see above
     * @param simplifySeconds see above, &gt; 0
     */
    public SymbolicOptions(boolean sphere, boolean symbolicParams, boolean expanded, double simplifySeconds) {
        this(sphere, symbolicParams, expanded, simplifySeconds, DEFAULT_INTEGRATE_SECONDS);
    }

    /** @return general inputs, exact parameters, straight-line form only */
    public static SymbolicOptions defaults() {
        return new SymbolicOptions(false, false, false, DEFAULT_SIMPLIFY_SECONDS);
    }

    /**
     * @param on sphere mode
     * @return a copy with that setting
     */
    public SymbolicOptions withSphere(boolean on) {
        return new SymbolicOptions(on, symbolicParams, expanded, simplifySeconds, integrateSeconds);
    }

    /**
     * @param on symbolic parameters
     * @return a copy with that setting
     */
    public SymbolicOptions withSymbolicParams(boolean on) {
        return new SymbolicOptions(sphere, on, expanded, simplifySeconds, integrateSeconds);
    }

    /**
     * @param seconds time limit of one Simplify
     * @return a copy with that setting
     */
    public SymbolicOptions withSimplifySeconds(double seconds) {
        return new SymbolicOptions(sphere, symbolicParams, expanded, seconds, integrateSeconds);
    }

    /**
     * @param on closed forms
     * @return a copy with that setting
     */
    public SymbolicOptions withExpanded(boolean on) {
        return new SymbolicOptions(sphere, symbolicParams, on, simplifySeconds, integrateSeconds);
    }

    /**
     * @param seconds time limit of one Integrate attempt, 0 for none
     * @return a copy with that setting
     */
    public SymbolicOptions withIntegrateSeconds(double seconds) {
        return new SymbolicOptions(sphere, symbolicParams, expanded, simplifySeconds, seconds);
    }
}
