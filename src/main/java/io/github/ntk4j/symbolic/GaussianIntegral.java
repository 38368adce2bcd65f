package io.github.ntk4j.symbolic;

import java.util.List;

/**
 * A line of a derived program whose value is a Gaussian expectation that Symja could not put
 * in closed form: T = E[φ(u)φ(v)], Ṫ = E[φ'(u)φ'(v)] or the diagonal T(s, s, s) = E[φ(u)²] of an
 * activation known only by φ ({@link io.github.ntk4j.net.Activation#symbolicForm()}). The
 * program prints it as the integral it is; the numeric engine evaluates it (the activation's
 * {@code dual}, {@code dualDerivative}).
 *
 * @param name the program name the line defines, e.g. {@code t1xy}
 * @param activation the activation in spec syntax, e.g. {@code tanh}
 * @param kind which expectation
 * @param arguments the program expressions of Σxx, Σxy, Σyy ({@link Kind#DIAGONAL}: Σxx only)
 */
public record GaussianIntegral(String name, String activation, Kind kind, List<String> arguments) {

    /** Which Gaussian expectation a line is. */
    public enum Kind {
        /** T(Σxx, Σxy, Σyy) = E[φ(u)φ(v)]. */
        DUAL,
        /** Ṫ(Σxx, Σxy, Σyy) = E[φ'(u)φ'(v)]. */
        DERIVATIVE,
        /** T(s, s, s) = E[φ(u)²], u ~ N(0, s). */
        DIAGONAL
    }

    /**
     * Copies the argument list.
     *
     * @param name see above
     * @param activation see above
     * @param kind see above
     * @param arguments see above
     */
    public GaussianIntegral {
        arguments = List.copyOf(arguments);
    }
}
