package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import java.util.Locale;

/**
 * The activations ntk4j knows, by name: the one registry the spec parser and the CLI read.
 */
public final class Activations {
    private Activations() {
    }

    /** Names with their parameter signature, for help texts and error messages. */
    public static final String KNOWN =
            "relu, erf, erf(a,b,c), abrelu(a,b), leaky_relu(alpha), abs, identity, poly(c0,c1,...)";

    /**
     * Creates an activation from its name and parameters.
     *
     * @param name the name (case-insensitive)
     * @param params the parameters (empty for none)
     * @return the activation
     * @throws io.github.ntk4j.Ntk4jException for an unknown name or a wrong parameter count
     */
    public static Activation of(String name, double... params) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "relu":
                arity(n, params, 0);
                return ABRelu.relu();
            case "abs":
                arity(n, params, 0);
                return ABRelu.abs();
            case "identity":
                arity(n, params, 0);
                return Identity.instance();
            case "erf":
                if (params.length == 0) {
                    return Erf.standard();
                }
                arity(n, params, 3);
                return new Erf(params[0], params[1], params[2]);
            case "abrelu":
                arity(n, params, 2);
                return ABRelu.of(params[0], params[1]);
            case "leaky_relu":
            case "leakyrelu":
                arity(n, params, 1);
                return ABRelu.leaky(params[0]);
            case "poly":
                return new Poly(params);
            default:
                throw Messages.unknownActivation(name, KNOWN);
        }
    }

    /**
     * @param name a name
     * @return whether {@link #of} knows it
     */
    public static boolean isKnown(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "relu": case "abs": case "identity": case "erf": case "abrelu":
            case "leaky_relu": case "leakyrelu": case "poly":
                return true;
            default:
                return false;
        }
    }

    private static void arity(String name, double[] params, int n) {
        if (params.length != n) {
            throw Messages.invalid(name + " takes " + (n == 0 ? "no parameters" : n + " parameter" + (n > 1 ? "s" : ""))
                    + ", got " + params.length);
        }
    }
}
