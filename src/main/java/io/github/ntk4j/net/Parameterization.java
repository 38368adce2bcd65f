package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.Locale;

/**
 * How a {@link Dense} layer scales its weights, as neural-tangents' {@code Dense(...,
 * parameterization=...)}. Both give the same function at initialisation and the same NNGP; they
 * differ in the gradients, hence in the NTK.
 * <ul>
 * <li>{@link #NTK}: h = (W_std/√n) W g + b_std b with W, b entries N(0, 1) (Jacot et al. 2018);
 * Θ ← K' + W_std² Θ.</li>
 * <li>{@link #STANDARD}: h = W g + b with W entries N(0, W_std²/N), b entries N(0, b_std²),
 * written for a layer n = s·N units wide as h = W g/√s + b (Sohl-Dickstein, Novak, Schoenholz,
 * Lee 2020, "On the infinite width limit of neural networks with a standard
 * parameterization", arXiv:2001.07301); Θ ← N·K + W_std² Θ + 1, where K is the layer's input
 * kernel and N its base fan-in: the input dimension d for the first layer, the hidden width
 * for the others. The bias is always trained, so it adds 1 even when b_std = 0, as
 * neural-tangents' {@code Dense(b_std=0.)} does.</li>
 * </ul>
 */
public enum Parameterization {
    /** NTK parameterisation (the default). */
    NTK,
    /** Standard parameterisation. */
    STANDARD;

    /** @return the spec token: {@code ntk} or {@code standard} */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param token {@code ntk} or {@code standard} (case-insensitive)
     * @return the parameterisation
     */
    public static Parameterization of(String token) {
        Parameterization p = io.github.ntk4j.internal.DataChecks.byLabel(values(), Parameterization::token, token);
        if (p != null) {
            return p;
        }
        throw Messages.invalid("unknown parameterization '" + token + "' (known: ntk, standard)");
    }
}
