package io.github.ntk4j.math;

import io.github.ntk4j.internal.Messages;
import java.util.Locale;

/** Which infinite-width kernel: the NNGP kernel K or the neural tangent kernel Θ. */
public enum KernelKind {
    /** K(x, y): covariance of the network outputs at initialisation (Neal 1996; Lee et al. 2018). */
    NNGP,
    /** Θ(x, y): the neural tangent kernel (Jacot, Gabriel, Hongler 2018). */
    NTK;

    /**
     * Parses "ntk" or "nngp" (case-insensitive).
     *
     * @param s the name
     * @return the kind
     */
    public static KernelKind parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "ntk":
                return NTK;
            case "nngp":
                return NNGP;
            default:
                throw Messages.invalid("unknown kernel '" + s + "' (known: ntk, nngp)");
        }
    }

    /** @return "ntk" or "nngp" */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
