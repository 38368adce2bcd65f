package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family of kernels indexed by hyperparameters, and the grid of hyperparameter values that
 * model selection ({@link KernelModelSelection}) tries: every combination of the named
 * parameters' values, for each kernel kind (NTK, NNGP), is one {@link Candidate}, and the family
 * maps it to a {@link KernelFunction}. Three ways to make one:
 * <ul>
 *   <li>{@link #fullyConnected(String)}: the fully connected networks of one activation with
 *       parameters {@code depth} (hidden layers), {@code w_std} and {@code b_std}, by default the
 *       grid {@value #DEFAULT_GRID_TEXT} of the command line's {@code classify} and
 *       {@code regress} (Arora et al., ICLR 2020, use a grid of this kind);</li>
 *   <li>{@link #network(String)}: any network written as a spec ({@link NetworkSpec}) with
 *       placeholders {@code {name}} for the parameters, e.g.
 *       {@code dense({w},{b}) residual(gelu dense({w},0)) layernorm dense({w},{b})} with
 *       {@code withGrid("w", 1, 1.4, 2).withGrid("b", 0, 0.1)}: a value is written into the spec
 *       as a plain decimal number;</li>
 *   <li>{@link #of(String, Function)}: any function of the candidate, e.g. a Gaussian kernel's
 *       length scale.</li>
 * </ul>
 * Every candidate's network is built, and so checked, when the grid is complete (a placeholder
 * without a grid, an unknown activation or a bad depth is refused when the family is made, not
 * during the cross-validation). Instances are immutable.
 */
public final class KernelFamily {
    /** The default grid of {@link #fullyConnected}, as text. */
    public static final String DEFAULT_GRID_TEXT = "depth=1,2,3 w_std=1.4,2 b_std=0.1";
    /** Default depths of {@link #fullyConnected}. */
    private static final double[] DEFAULT_DEPTHS = {1, 2, 3};
    /** Default W_std values of {@link #fullyConnected}. */
    private static final double[] DEFAULT_W_STDS = {1.4, 2};
    /** Default b_std values of {@link #fullyConnected}. */
    private static final double[] DEFAULT_B_STDS = {0.1};
    /** The deepest network a grid may ask for. */
    private static final int MAX_DEPTH = 50;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * One named parameter and the values to try.
     *
     * @param name the parameter's name (letters, digits, underscores)
     * @param values the values, at least one, finite
     */
    public record Parameter(String name, List<Double> values) {
        /**
         * @param name the parameter's name
         * @param values the values, at least one, finite
         */
        public Parameter {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw Messages.invalid("a parameter name is letters, digits and underscores, starting with a letter, got "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            if (values == null || values.isEmpty()) {
                throw Messages.empty("the values of parameter " + name);
            }
            for (int i = 0; i < values.size(); i++) {
                Double v = values.get(i);
                if (v == null || !Double.isFinite(v)) {
                    throw Messages.notFinite(name + "[" + i + "]", v == null ? Double.NaN : v);
                }
            }
            values = List.copyOf(values);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name).append('=');
            for (int i = 0; i < values.size(); i++) {
                sb.append(i > 0 ? "," : "").append(format(values.get(i)));
            }
            return sb.toString();
        }
    }

    /**
     * One point of the grid: a kernel kind and one value per parameter.
     *
     * @param kind the kernel (NTK or NNGP) that the learner uses
     * @param values parameter name ↦ value, in the family's parameter order
     */
    public record Candidate(KernelKind kind, Map<String, Double> values) {
        /**
         * @param kind the kernel kind
         * @param values parameter name ↦ value
         */
        public Candidate {
            if (kind == null) {
                throw Messages.invalid("the kernel kind must not be null");
            }
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        /**
         * @param name a parameter of the family
         * @return its value in this candidate
         */
        public double get(String name) {
            Double v = values.get(name);
            if (v == null) {
                throw Messages.invalid("the candidate has no parameter '" + name + "' (it has " + values.keySet() + ")");
            }
            return v;
        }

        /** @return e.g. {@code ntk depth=2 w_std=1.4 b_std=0.1} */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(kind.id());
            values.forEach((k, v) -> sb.append(' ').append(k).append('=').append(format(v)));
            return sb.toString();
        }
    }

    private final String description;
    private final List<KernelKind> kinds;
    private final List<Parameter> parameters;
    /** the network of a candidate, for network families; null otherwise */
    private final Function<Candidate, Network> network;
    private final Function<Candidate, KernelFunction> kernel;
    /** placeholders that need a grid before the family is complete */
    private final Set<String> required;

    private KernelFamily(String description, List<KernelKind> kinds, List<Parameter> parameters,
            Function<Candidate, Network> network, Function<Candidate, KernelFunction> kernel, Set<String> required) {
        this.description = description;
        this.kinds = List.copyOf(kinds);
        this.parameters = List.copyOf(parameters);
        this.network = network;
        this.kernel = kernel;
        this.required = required;
        if (network != null && isComplete()) {
            for (Candidate c : candidates()) {
                network.apply(c); // refuses a bad spec, activation or depth now
            }
        }
    }

    /**
     * The fully connected networks {@code dense(w_std,b_std) (φ dense(w_std,b_std))^depth} of one
     * activation with the default grid {@value #DEFAULT_GRID_TEXT} and the NTK; change it with
     * {@link #withGrid} and {@link #withKinds}.
     *
     * @param activation an activation name as in a network spec, e.g. {@code relu} or {@code erf(1,0.5,0)}
     * @return the family
     */
    public static KernelFamily fullyConnected(String activation) {
        Activation a = NetworkSpec.parseActivation(activation);
        return fullyConnected(a, activation.strip());
    }

    /**
     * As {@link #fullyConnected(String)} for an activation object.
     *
     * @param activation the activation
     * @return the family
     */
    public static KernelFamily fullyConnected(Activation activation) {
        if (activation == null) {
            throw Messages.invalid("the activation must not be null");
        }
        return fullyConnected(activation, activation.toString());
    }

    private static KernelFamily fullyConnected(Activation a, String name) {
        Function<Candidate, Network> net = c -> Network.fullyConnected(a, depth(c.get("depth")), c.get("w_std"),
                c.get("b_std"));
        return new KernelFamily("fully connected " + name + " networks", List.of(KernelKind.NTK),
                List.of(parameter("depth", DEFAULT_DEPTHS), parameter("w_std", DEFAULT_W_STDS),
                        parameter("b_std", DEFAULT_B_STDS)),
                net, c -> NtkRecursion.of(net.apply(c)), Set.of("depth", "w_std", "b_std"));
    }

    private static int depth(double d) {
        if (d != Math.rint(d) || d < 1 || d > MAX_DEPTH) {
            throw Messages.invalid("depth values must be whole numbers from 1 to " + MAX_DEPTH + ", got " + format(d));
        }
        return (int) d;
    }

    /**
     * The networks of a spec with placeholders {@code {name}}, each given its values by
     * {@link #withGrid}; the NTK by default.
     *
     * @param template a network spec ({@link NetworkSpec}) with placeholders, e.g.
     *     {@code dense({w},{b}) gelu dense({w},{b})}
     * @return the family (complete when every placeholder has a grid)
     */
    public static KernelFamily network(String template) {
        if (template == null || template.isBlank()) {
            throw Messages.empty("network spec");
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        Function<Candidate, Network> net = c -> NetworkSpec.parse(substitute(template, c.values()));
        return new KernelFamily(template.strip(), List.of(KernelKind.NTK), List.of(), net, c -> NtkRecursion.of(net.apply(c)),
                Collections.unmodifiableSet(names));
    }

    /**
     * A family of any kernels: the function receives each candidate (its parameters set by
     * {@link #withGrid}) and returns its kernel. The kinds are NTK only by default; for a
     * {@link io.github.ntk4j.math.PairwiseKernel} both kinds are the same function.
     *
     * @param description a name for reports
     * @param kernel candidate ↦ kernel function
     * @return the family, without parameters until {@link #withGrid} adds them
     */
    public static KernelFamily of(String description, Function<Candidate, KernelFunction> kernel) {
        if (description == null || kernel == null) {
            throw Messages.invalid("the family's description and kernel function must not be null");
        }
        return new KernelFamily(description, List.of(KernelKind.NTK), List.of(), null, kernel, Set.of());
    }

    /**
     * Sets the values to try for one parameter (replacing its values if it has some, else adding
     * it after the others).
     *
     * @param name the parameter
     * @param values at least one finite value
     * @return a copy with that grid
     */
    public KernelFamily withGrid(String name, double... values) {
        Parameter p = parameter(name, values);
        if (network != null && !required.contains(name)) {
            throw Messages.invalid("the family '" + description + "' has no parameter '" + name + "' (it has "
                    + required + ")");
        }
        List<Parameter> ps = new ArrayList<>(parameters);
        boolean replaced = false;
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).name().equals(name)) {
                ps.set(i, p);
                replaced = true;
            }
        }
        if (!replaced) {
            ps.add(p);
        }
        return new KernelFamily(description, kinds, ps, network, kernel, required);
    }

    /**
     * @param kinds the kernels to try, at least one (NTK: the network trained by gradient flow;
     *     NNGP: its readout only, or Bayesian inference)
     * @return a copy trying these kinds
     */
    public KernelFamily withKinds(KernelKind... kinds) {
        if (kinds == null || kinds.length == 0) {
            throw Messages.empty("kernel kinds");
        }
        List<KernelKind> ks = new ArrayList<>();
        for (KernelKind k : kinds) {
            if (k == null) {
                throw Messages.invalid("a kernel kind is null");
            }
            if (!ks.contains(k)) {
                ks.add(k);
            }
        }
        return new KernelFamily(description, ks, parameters, network, kernel, required);
    }

    private static Parameter parameter(String name, double[] values) {
        if (values == null) {
            throw Messages.empty("the values of parameter " + name);
        }
        return new Parameter(name, Arrays.stream(values).boxed().toList());
    }

    /** @return whether every placeholder has values */
    boolean isComplete() {
        for (String r : required) {
            if (parameters.stream().noneMatch(p -> p.name().equals(r))) {
                return false;
            }
        }
        return true;
    }

    private void requireComplete() {
        for (String r : required) {
            if (parameters.stream().noneMatch(p -> p.name().equals(r))) {
                throw Messages.invalid("the placeholder {" + r + "} of '" + description + "' has no values: give them with "
                        + "withGrid(\"" + r + "\", ...)");
            }
        }
    }

    /** @return the kernel kinds tried */
    public List<KernelKind> kinds() {
        return kinds;
    }

    /** @return the parameters and their values, in order */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** @return the number of candidates (kinds × the product of the parameters' value counts) */
    public int size() {
        long n = kinds.size();
        for (Parameter p : parameters) {
            n *= p.values().size();
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /**
     * @return every candidate: kinds outermost, then the parameters in order, the last innermost
     */
    public List<Candidate> candidates() {
        requireComplete();
        List<Candidate> out = new ArrayList<>();
        for (KernelKind kind : kinds) {
            addAll(out, kind, new LinkedHashMap<>(), 0);
        }
        return out;
    }

    private void addAll(List<Candidate> out, KernelKind kind, LinkedHashMap<String, Double> prefix, int p) {
        if (p == parameters.size()) {
            out.add(new Candidate(kind, prefix));
            return;
        }
        for (double v : parameters.get(p).values()) {
            prefix.put(parameters.get(p).name(), v);
            addAll(out, kind, prefix, p + 1);
        }
        prefix.remove(parameters.get(p).name());
    }

    /**
     * @param c a candidate of this family
     * @return its kernel function (one thread; model selection sets its own)
     */
    public KernelFunction kernel(Candidate c) {
        requireComplete();
        KernelFunction k = kernel.apply(c);
        if (k == null) {
            throw Messages.invalid("the family '" + description + "' returned no kernel for " + c);
        }
        return k;
    }

    /**
     * @param c a candidate of this family
     * @return its network, for families of networks ({@link #fullyConnected}, {@link #network})
     * @throws io.github.ntk4j.InvalidInputException for a family made by {@link #of}
     */
    public Network network(Candidate c) {
        if (network == null) {
            throw Messages.invalid("the family '" + description + "' is not a family of networks");
        }
        requireComplete();
        return network.apply(c);
    }

    /** @return e.g. {@code fully connected relu networks: kernel=ntk depth=1,2,3 w_std=1.4,2 b_std=0.1} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(description).append(": kernel=");
        for (int i = 0; i < kinds.size(); i++) {
            sb.append(i > 0 ? "," : "").append(kinds.get(i).id());
        }
        for (Parameter p : parameters) {
            sb.append(' ').append(p);
        }
        return sb.toString();
    }

    /** @return a spec with each {name} replaced by the candidate's value */
    private static String substitute(String template, Map<String, Double> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Double v = values.get(m.group(1));
            if (v == null) {
                throw Messages.invalid("the placeholder {" + m.group(1) + "} has no value");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(format(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A value as a plain decimal: {@code 2}, {@code 1.4}, {@code 0.0001}. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
