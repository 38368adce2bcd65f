package io.github.ntk4j.net;

/**
 * Builds an activation from an expression in x ({@code fn("EXPR")} in a spec). The network
 * model cannot depend on the symbolic engine above it, so the engine registers its
 * implementation as a {@link java.util.ServiceLoader} service and is loaded only when such an
 * activation is used.
 */
public interface ExpressionActivationFactory {
    /**
     * @param expression an expression in x in the fn language (docs/EXPRESSIONS.md), untrusted:
     *     an implementation checks it against the language before evaluating anything
     * @return the activation
     */
    Activation create(String expression);
}
