package io.github.ntk4j.cli;

import io.github.ntk4j.net.Network;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.net.Parameterization;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The two ways to state a network on the command line: the shorthand
 * {@code --activation relu --depth 3 --w-std 1.4 --b-std 0.1} (depth hidden blocks of Dense +
 * activation, then a Dense readout with the same W_std, b_std) or a spec string
 * {@code --net "dense(1.4,0.1) relu dense(1,0)"}.
 */
public final class NetworkOptions {
    /** Default shorthand activation. */
    public static final String DEFAULT_ACTIVATION = "relu";
    /** Default shorthand depth. */
    public static final int DEFAULT_DEPTH = 2;
    /** Default shorthand W_std. */
    public static final double DEFAULT_W_STD = 1.4;
    /** Default shorthand b_std. */
    public static final double DEFAULT_B_STD = 0.1;

    /** The shorthand and the spec exclude each other; picocli refuses both together. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Choice choice;

    /** Either the shorthand options or {@code --net}. */
    static final class Choice {
        @ArgGroup(exclusive = false, multiplicity = "1")
        Shorthand shorthand;

        @Option(names = "--net", paramLabel = "SPEC",
                description = "The network as a spec, e.g. \"dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)\"; "
                        + "excludes the shorthand options.")
        String net;
    }

    /** The shorthand options, any of them. */
    static final class Shorthand {
        @Option(names = "--activation", paramLabel = "NAME",
                description = "Activation of the shorthand network, any activation token of a spec: relu, gelu, tanh, "
                        + "erf(a,b,c), sin(a,b,c), rectified_monomial(n), fn(\"EXPR\"), … (docs/LAYERS.md lists them all; "
                        + "default: " + DEFAULT_ACTIVATION + ").")
        String activation;

        @Option(names = "--depth", paramLabel = "L",
                description = "Hidden blocks [Dense, activation] before the Dense readout (default: " + DEFAULT_DEPTH + ").")
        Integer depth;

        @Option(names = "--w-std", paramLabel = "W", description = "W_std of every Dense layer (default: " + DEFAULT_W_STD + ").")
        Double wStd;

        @Option(names = "--b-std", paramLabel = "B", description = "b_std of every Dense layer (default: " + DEFAULT_B_STD + ").")
        Double bStd;
    }

    /** The values of {@code --parameterization}. */
    enum ParameterizationChoice { ntk, standard }

    @Option(names = "--parameterization", paramLabel = "P",
            description = "${COMPLETION-CANDIDATES}: the parameterisation of every dense layer (default: ntk, or per "
                    + "layer as the spec states it, e.g. dense(1.4,0.1,standard)).")
    ParameterizationChoice parameterization;

    @Option(names = "--width", paramLabel = "N",
            description = "Hidden width N, >= 1. The standard-parameterisation NTK grows with it (needed then); "
                    + "empirical and bench empirical build finite networks this wide.")
    Integer width;

    /** @return the network the options describe, with the common shorthand defaults */
    public Network network() {
        return network(DEFAULT_ACTIVATION, DEFAULT_DEPTH, DEFAULT_W_STD, DEFAULT_B_STD);
    }

    /**
     * The network the options describe, filling the shorthand values not given with a
     * command's own defaults (verify and train use networks of their own).
     *
     * @param defaultActivation activation when --activation is absent
     * @param defaultDepth depth when --depth is absent
     * @param defaultWStd W_std when --w-std is absent
     * @param defaultBStd b_std when --b-std is absent
     * @return the network
     */
    public Network network(String defaultActivation, int defaultDepth, double defaultWStd, double defaultBStd) {
        if (choice != null && choice.net != null) {
            return structure(NetworkSpec.parse(choice.net));
        }
        Shorthand sh = choice == null ? new Shorthand() : choice.shorthand;
        String activation = sh.activation;
        Integer depth = sh.depth;
        Double wStd = sh.wStd;
        Double bStd = sh.bStd;
        return structure(Network.fullyConnected(NetworkSpec.parseActivation(activation == null ? defaultActivation : activation),
                depth == null ? defaultDepth : depth,
                wStd == null ? defaultWStd : wStd,
                bStd == null ? defaultBStd : bStd));
    }

    /** Applies --parameterization and --width. */
    private Network structure(Network n) {
        if (parameterization != null) {
            n = n.withParameterization(parameterization == ParameterizationChoice.standard
                    ? Parameterization.STANDARD : Parameterization.NTK);
        }
        if (width != null) {
            if (width < 1) {
                throw Messages.tooSmall("--width", width, 1);
            }
            n = n.withWidth(width);
        }
        if (n.needsWidth() && n.width() == 0) {
            throw Messages.badOption("--width", "standard parameterisation needs the hidden width N, on which its NTK "
                    + "depends: give --width N (or width(N) at the start of the spec)");
        }
        return n;
    }

    /** @return --width, or null when not given */
    public Integer width() {
        return width;
    }

    /** @return whether any option was given */
    public boolean given() {
        return choice != null || parameterization != null || width != null;
    }
}
