package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable fully connected network: a sequence of {@link Layer}s composed in order
 * (neural-tangents' {@code stax.serial}), NTK parameterisation (docs/KERNEL-RECURSION.md §2).
 *
 * <p>Optionally a fixed {@link FourierFeatures} map γ is applied to the raw inputs first.
 * A valid network starts with a {@link Dense} layer (after γ), ends with a {@link Dense} readout,
 * and gives every layer the input its kernel rule assumes ({@link #problem}): the dual T of an
 * activation assumes mean-zero Gaussian pre-activations (the output of a Dense layer, possibly
 * through a layernorm or a sum of such branches), layernorm and sums assume mean-zero inputs,
 * branches must be independent.
 *
 * <p>Dense layers may be in NTK or standard parameterisation ({@link Parameterization}); a
 * standard one after the first needs the hidden width N ({@link #withWidth}).
 */
public final class Network implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Layer> layers;
    private final FourierFeatures inputMap;
    private final int width;

    private Network(List<Layer> layers) {
        this(null, layers, 0);
    }

    private Network(FourierFeatures inputMap, List<Layer> layers) {
        this(inputMap, layers, 0);
    }

    private Network(FourierFeatures inputMap, List<Layer> layers, int width) {
        this.inputMap = inputMap;
        this.layers = List.copyOf(layers);
        this.width = width;
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
        return new Network(map, layers, width);
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
     * Parses a network written as a spec (see {@link NetworkSpec}), e.g.
     * {@code dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)}; the inverse of {@link #spec()}.
     *
     * @param spec the spec
     * @return the network
     * @throws io.github.ntk4j.InvalidInputException naming the position of the first bad token
     */
    public static Network parse(String spec) {
        return NetworkSpec.parse(spec);
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
        // 2·depth + 1 layers in one list: refused up front when no array (or heap) can hold them, not
        // after minutes of growing the list (each layer is one reference here, about 16 bytes
        // with the copies the network and its recursion keep)
        long count = 2L * depth + 1;
        if (count > Integer.MAX_VALUE - 8) {
            throw Messages.tooLarge("depth", depth, (Integer.MAX_VALUE - 9) / 2);
        }
        io.github.ntk4j.internal.MemoryCheck.require("a network of depth " + depth,
                io.github.ntk4j.internal.MemoryCheck.times(count, 16));
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
        Problem problem = problem(layers);
        if (problem != null) {
            throw Messages.badNetwork(problem.message());
        }
    }

    /**
     * What is wrong with a sequence of layers as a network, if anything.
     *
     * @param index the top-level layer at fault (0-based)
     * @param message the problem in words
     */
    record Problem(int index, String message) {
    }

    /**
     * What a layer's output is known to be in the infinite-width limit, as neural-tangents
     * tracks {@code is_gaussian}: the dual of an activation assumes mean-zero Gaussian
     * pre-activations, layer normalisation and a sum of branches assume mean-zero inputs.
     */
    private record Flow(boolean gaussian, boolean meanZero) {
    }

    /**
     * Checks a sequence of layers as a whole network: it starts with a Dense layer, ends with a
     * Dense readout, and every layer gets the input its kernel rule assumes:
     * <ul>
     * <li>an activation (other than identity) needs mean-zero Gaussian input: the output of a
     * Dense layer, of a layernorm of such, or of a sum of such branches;</li>
     * <li>layernorm needs mean-zero input (its rule drops the feature mean);</li>
     * <li>branches must be independent: all but at most one contain a Dense layer; a sum needs
     * all but at most one branch mean-zero (else the cross terms do not vanish). A sum of
     * Gaussian branches is Gaussian; a product never is.</li>
     * </ul>
     *
     * @param layers the layers
     * @return the first problem, or null when the network is valid
     */
    static Problem problem(List<? extends Layer> layers) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) == null) {
                return new Problem(i, "a layer is null");
            }
        }
        if (!(layers.get(0) instanceof Dense)) {
            return new Problem(0, "the first layer must be dense(W_std,b_std), got " + Messages.clip(layers.get(0).spec()));
        }
        int last = layers.size() - 1;
        if (!(layers.get(last) instanceof Dense)) {
            return new Problem(last, "the last layer must be a dense(W_std,b_std) readout, got " + Messages.clip(layers.get(last).spec()));
        }
        Flow f = new Flow(false, false);
        for (int i = 0; i < layers.size(); i++) {
            String msg = check(layers.get(i), f);
            if (msg != null) {
                return new Problem(i, msg.replace(NESTED, "").replace("%AT%", " at layer " + (i + 1)));
            }
            f = flow(layers.get(i), f);
        }
        return null;
    }

    /** Marks a problem already placed in its innermost branch: outer branches add nothing more. */
    private static final String NESTED = "%NESTED%";

    /** Null when the layer accepts input f, else the problem ("%AT%" marks where the position goes). */
    private static String check(Layer l, Flow f) {
        if (l instanceof Activation a && !(a instanceof Identity) && !f.gaussian()) {
            return "activation " + Messages.clip(a.spec()) + "%AT% must follow a dense layer (its kernel rule assumes Gaussian "
                    + "pre-activations)";
        }
        if (l instanceof LayerNorm && !f.meanZero()) {
            return "layernorm%AT% must get mean-zero input: put it after a dense layer, not after an activation "
                    + "(its kernel rule drops the feature mean)";
        }
        if (l instanceof Branches b) {
            int withoutDense = 0;
            int notMeanZero = 0;
            for (List<Layer> branch : b.branches()) {
                Flow g = f;
                for (Layer inner : branch) {
                    String msg = check(inner, g);
                    if (msg != null) {
                        // named in the innermost branch only: a message that grew by a quoted spec per
                        // level of nesting would grow with the square of the spec's length
                        return msg.contains(NESTED) ? msg : msg.replace("%AT%", " in " + Messages.clip(b.spec()) + NESTED + "%AT%");
                    }
                    g = flow(inner, g);
                }
                withoutDense += containsDense(branch) ? 0 : 1;
                notMeanZero += g.meanZero() ? 0 : 1;
            }
            if (withoutDense > 1) {
                return Messages.clip(b.spec()) + "%AT%: " + withoutDense + " branches have no dense layer, so they are not independent "
                        + "(the fan-in rule needs every branch but one to contain a dense layer)";
            }
            if (b.join() == Branches.Join.SUM && notMeanZero > 1) {
                return Messages.clip(b.spec()) + "%AT%: " + notMeanZero + " branches end in an activation, so their outputs have "
                        + "non-zero means and the sum's kernel is not the sum of kernels (end all but one branch with a "
                        + "dense layer)";
            }
        }
        return null;
    }

    private static Flow flow(Layer l, Flow f) {
        if (l instanceof Dense) {
            return new Flow(true, true);
        }
        if (l instanceof Identity) {
            return f;
        }
        if (l instanceof LayerNorm) {
            return new Flow(f.gaussian(), true);
        }
        if (l instanceof Branches b) {
            boolean gaussian = true;
            boolean meanZero = b.join() == Branches.Join.SUM;
            for (List<Layer> branch : b.branches()) {
                Flow g = f;
                for (Layer inner : branch) {
                    g = flow(inner, g);
                }
                gaussian &= g.gaussian();
                meanZero = b.join() == Branches.Join.SUM ? meanZero && g.meanZero() : meanZero || g.meanZero();
            }
            return new Flow(b.join() == Branches.Join.SUM ? gaussian : b.branches().size() == 1 && gaussian, meanZero);
        }
        return new Flow(false, false);
    }

    private static boolean containsDense(List<Layer> ls) {
        for (Layer l : ls) {
            if (l instanceof Dense || (l instanceof Branches b && b.branches().stream().allMatch(Network::containsDense))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every Dense layer of a chain (inside branches too) in the given parameterisation.
     *
     * @param layers the chain
     * @param p the parameterisation
     * @return the new chain
     */
    static List<Layer> withParameterization(List<Layer> layers, Parameterization p) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(l instanceof Dense d ? d.with(p) : l instanceof Branches b ? b.with(p) : l);
        }
        return out;
    }

    /**
     * This network with every Dense layer (inside branches too) in the given parameterisation.
     *
     * @param p NTK or standard
     * @return the new network
     */
    public Network withParameterization(Parameterization p) {
        if (p == null) {
            throw Messages.invalid("parameterization is null");
        }
        return new Network(inputMap, withParameterization(layers, p), width);
    }

    /**
     * This network with a stated hidden width N: the base fan-in of every Dense layer but the
     * first, on which the NTK of a standard-parameterisation network depends (neural-tangents
     * reads it from the previous layer's {@code out_dim}).
     *
     * @param n the hidden width, ≥ 1
     * @return the new network
     */
    public Network withWidth(int n) {
        if (n < 1) {
            throw Messages.tooSmall("width", n, 1);
        }
        return new Network(inputMap, layers, n);
    }

    /** @return the stated hidden width N, or 0 when none is stated */
    public int width() {
        return width;
    }

    /** @return whether some Dense layer after the first is in standard parameterisation (so the NTK needs {@link #width}) */
    public boolean needsWidth() {
        for (int i = 1; i < layers.size(); i++) {
            if (hasStandard(layers.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** @return whether any Dense layer (inside branches too) is in standard parameterisation */
    public boolean hasStandardLayers() {
        for (Layer l : layers) {
            if (hasStandard(l)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasStandard(Layer l) {
        if (l instanceof Dense d) {
            return d.standard();
        }
        if (l instanceof Branches b) {
            for (List<Layer> br : b.branches()) {
                for (Layer inner : br) {
                    if (hasStandard(inner)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** @return whether every layer is a Dense layer or an activation (no branches, no layernorm): the straight chains the symbolic engine handles */
    public boolean isPlainChain() {
        for (Layer l : layers) {
            if (!(l instanceof Dense || l instanceof Activation)) {
                return false;
            }
        }
        return true;
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

    /** @return the distinct activations in order of first appearance, inside branches too */
    public List<Activation> activations() {
        List<Activation> out = new ArrayList<>();
        collectActivations(layers, out);
        return out;
    }

    private static void collectActivations(List<Layer> ls, List<Activation> out) {
        for (Layer l : ls) {
            if (l instanceof Activation a && !out.contains(a)) {
                out.add(a);
            } else if (l instanceof Branches b) {
                b.branches().forEach(br -> collectActivations(br, out));
            }
        }
    }

    /**
     * Serialised as its spec (the serial form is one string), read back by parsing it.
     *
     * @return the serial proxy
     */
    private Object writeReplace() {
        return new SerialForm(spec());
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a Network is read through its spec");
    }

    /** The serial form of a network: its spec. */
    private record SerialForm(String spec) implements java.io.Serializable {
        private Object readResolve() {
            return NetworkSpec.parse(spec);
        }
    }

    /** @return the network in spec syntax, readable by {@link NetworkSpec#parse} */
    public String spec() {
        StringBuilder sb = new StringBuilder(inputMap == null ? "" : inputMap.spec());
        if (width > 0) {
            sb.append(sb.length() == 0 ? "" : " ").append("width(").append(width).append(')');
        }
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
        return o instanceof Network n && n.layers.equals(layers) && java.util.Objects.equals(n.inputMap, inputMap)
                && n.width == width;
    }

    @Override
    public int hashCode() {
        return (layers.hashCode() * 31 + java.util.Objects.hashCode(inputMap)) * 31 + width;
    }
}
