package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable fully connected network: a sequence of {@link Layer}s composed in order
 * (neural-tangents' {@code stax.serial}), NTK parameterisation (docs/KERNEL-RECURSION.md §2).
 *
 * <p>Optionally a fixed {@link FourierFeatures} map γ is applied to the raw inputs first.
 * A valid network starts with a {@link Dense} layer (after γ), ends with a {@link Dense} readout,
 * and has every activation directly after a Dense layer (the dual T of an activation assumes
 * Gaussian pre-activations, which only a Dense layer produces).
 */
public final class Network {
    private final List<Layer> layers;
    private final FourierFeatures inputMap;

    private Network(List<Layer> layers) {
        this(null, layers);
    }

    private Network(FourierFeatures inputMap, List<Layer> layers) {
        this.inputMap = inputMap;
        this.layers = List.copyOf(layers);
        validate();
    }

    /**
     * Composes an input map and layers: γ first, then the layers in order.
     *
     * @param inputMap the Fourier-feature map applied to raw inputs
     * @param layers the layers
     * @return the network
     */
    public static Network serial(FourierFeatures inputMap, Layer... layers) {
        if (inputMap == null) {
            throw Messages.badNetwork("the input map is null");
        }
        return new Network(inputMap, Arrays.asList(layers));
    }

    /**
     * This network with a Fourier-feature input map in front (replacing any it had).
     *
     * @param map the map, or null for none
     * @return the new network
     */
    public Network withInputMap(FourierFeatures map) {
        return new Network(map, layers);
    }

    /** @return the Fourier-feature input map, or null when inputs enter the first Dense layer as they are */
    public FourierFeatures inputMap() {
        return inputMap;
    }

    /**
     * The inputs as the first Dense layer sees them: γ(x) when there is an input map, x
     * otherwise (the same array). Every engine calls this first.
     *
     * @param x one input
     * @return the mapped input
     */
    public double[] mapInput(double[] x) {
        return inputMap == null ? x : inputMap.apply(x);
    }

    /**
     * {@link #mapInput} for every row.
     *
     * @param x rows
     * @return mapped rows (x itself when there is no input map)
     */
    public double[][] mapInputs(double[][] x) {
        if (inputMap == null) {
            return x;
        }
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = inputMap.apply(x[i]);
        }
        return out;
    }

    /**
     * Composes layers in sequence.
     *
     * @param layers the layers, first applied first
     * @return the network
     * @throws io.github.ntk4j.Ntk4jException if the sequence is not a valid network
     */
    public static Network serial(Layer... layers) {
        return new Network(Arrays.asList(layers));
    }

    /**
     * Composes layers in sequence.
     *
     * @param layers the layers, first applied first
     * @return the network
     */
    public static Network serial(List<? extends Layer> layers) {
        return new Network(new ArrayList<>(layers));
    }

    /**
     * The standard network of the reference file and of the CLI shorthand: {@code depth}
     * hidden blocks [Dense(W_std, b_std), φ] and a Dense(W_std, b_std) readout.
     *
     * @param activation φ
     * @param depth number of hidden blocks, ≥ 0
     * @param wStd W_std of every Dense layer
     * @param bStd b_std of every Dense layer
     * @return the network
     */
    public static Network fullyConnected(Activation activation, int depth, double wStd, double bStd) {
        if (depth < 0) {
            throw Messages.tooSmall("depth", depth, 0);
        }
        List<Layer> ls = new ArrayList<>();
        Dense dense = new Dense(wStd, bStd);
        for (int l = 0; l < depth; l++) {
            ls.add(dense);
            ls.add(activation);
        }
        ls.add(dense);
        return new Network(ls);
    }

    private void validate() {
        if (layers.isEmpty()) {
            throw Messages.badNetwork("a network needs at least one Dense layer");
        }
        for (Layer l : layers) {
            if (l == null) {
                throw Messages.badNetwork("a layer is null");
            }
        }
        if (!(layers.get(0) instanceof Dense)) {
            throw Messages.badNetwork("the first layer must be dense(W_std,b_std), got " + layers.get(0).spec());
        }
        if (!(layers.get(layers.size() - 1) instanceof Dense)) {
            throw Messages.badNetwork("the last layer must be a dense(W_std,b_std) readout, got "
                    + layers.get(layers.size() - 1).spec());
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i) instanceof Activation && !(layers.get(i - 1) instanceof Dense)) {
                throw Messages.badNetwork("activation " + layers.get(i).spec() + " at layer " + (i + 1)
                        + " must follow a dense layer");
            }
        }
    }

    /** @return the layers, first applied first (unmodifiable) */
    public List<Layer> layers() {
        return layers;
    }

    /** @return the number of activation layers (hidden blocks) */
    public int depth() {
        int n = 0;
        for (Layer l : layers) {
            if (l instanceof Activation) {
                n++;
            }
        }
        return n;
    }

    /** @return the distinct activations in order of first appearance */
    public List<Activation> activations() {
        List<Activation> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Activation a && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** @return the network in spec syntax, readable by {@link NetworkSpec#parse} */
    public String spec() {
        StringBuilder sb = new StringBuilder(inputMap == null ? "" : inputMap.spec());
        for (Layer l : layers) {
            sb.append(sb.length() == 0 ? "" : " ").append(l.spec());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.layers.equals(layers) && java.util.Objects.equals(n.inputMap, inputMap);
    }

    @Override
    public int hashCode() {
        return layers.hashCode() * 31 + java.util.Objects.hashCode(inputMap);
    }
}
