package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The infinite-width recursion of docs/KERNEL-RECURSION.md §3 carried out symbolically with Symja: the NNGP
 * K and NTK Θ of a whole network as expressions in the input kernel {@code xx = x·x/d},
 * {@code xy = x·y/d}, {@code yy = y·y/d} (or {@code u} on the sphere).
 * <pre>
 *   Dense(w, b):  K ← w²K + b²,   Θ ← K_new + w²Θ          (Θ starts at 0)
 *   activation:   K ← T(Kxx, Kxy, Kyy),   Θ ← Θ·Ṫ(Kxx, Kxy, Kyy)
 *                 Kxx ← T(Kxx, Kxx, Kxx), Kyy ← T(Kyy, Kyy, Kyy)
 * </pre>
 *
 * <p>Base rules. T is each activation's tabulated closed form
 * ({@link Activation#symbolicDual}: arc-cosine kernel, Cho &amp; Saul 2009; arcsine kernel,
 * Williams 1997; Isserlis moments for polynomials). Ṫ is <em>derived</em>, never typed in:
 * by Price's theorem Ṫ = E[φ'(u)φ'(v)] = ∂T/∂Σxy, so Ṫ = Simplify[D[T, Σxy]]. The diagonal
 * map T(s, s, s) is T with PowerExpand (valid because variances are ≥ 0), which turns
 * √(s·s) into s.
 *
 * <p>Each base rule is derived and simplified once per activation in placeholder variables
 * and then only substituted layer by layer, so a depth-10 program costs a few Symja
 * evaluations per layer, not a Simplify per layer. Numbers (W_std, b_std and the activation
 * parameters) enter as exact rationals: the shortest decimal that prints the double
 * ({@code 1.4} → {@code 7/5}), which is what the user typed.
 *
 * <p>Instances are immutable; {@link #derive} does all the work in the given session.
 */
public final class SymbolicRecursion {
    /** Activations with a closed-form symbolic dual, for error messages. */
    public static final String SUPPORTED = "relu, abs, leaky_relu(alpha), abrelu(a,b), erf, erf(a,b,c), identity, poly(c0,c1,...), "
            + "gelu, sin(a,b,c), cos(a,b,c), gaussian(a,b), exp(a,b), rbf(gamma), gabor, sign, rectified_monomial(n), "
            + "monomial(n), hermite(n), exp_normalized(gamma,shift), sigmoid_like; as Gaussian integrals: tanh, sigmoid, "
            + "softplus, silu, swish, elu(alpha), selu, mish, fn(\"EXPR\")";

    // placeholders for the generic base rules; lower case because Symja's relaxed syntax folds case
    private static final String PXX = "ntkgxx";
    private static final String PXY = "ntkgxy";
    private static final String PYY = "ntkgyy";
    private static final Pattern DECIMAL =
            Pattern.compile("(?<![A-Za-z0-9_.])(\\d+\\.\\d*(?:[eE][+-]?\\d+)?|\\d+[eE][+-]?\\d+)");
    private static final Pattern ATOM = Pattern.compile("-?[0-9]+(/[0-9]+)?|[a-z][a-z0-9]*");

    /** Closed forms longer than this (characters) are not simplified, only evaluated. */
    static final int CLOSED_SIMPLIFY_MAX_LENGTH = 400;

    private static final Map<String, Rules> RULES = new ConcurrentHashMap<>();

    private final Network network;
    private final SymbolicOptions options;

    private SymbolicRecursion(Network network, SymbolicOptions options) {
        this.network = network;
        this.options = options;
    }

    /**
     * A symbolic recursion for a network.
     *
     * @param network the network
     * @param options how to write the result
     * @return the recursion (nothing is computed yet)
     * @throws io.github.ntk4j.Ntk4jException if an activation has no symbolic dual
     */
    public static SymbolicRecursion of(Network network, SymbolicOptions options) {
        if (network == null || options == null) {
            throw Messages.invalid("network and options are required");
        }
        if (network.inputMap() != null) {
            // the formulas are in the first Dense layer's input kernel; with a map that is
            // γ(x)·γ(y)/D, not x·y/d, and evaluating them on raw inputs would be wrong
            throw Messages.invalid("derive works in the input kernel xx, xy, yy of the first dense layer; remove the input map "
                    + network.inputMap().spec() + " and read xx, xy, yy as γ(x)·γ(x)/D, γ(x)·γ(y)/D, γ(y)·γ(y)/D");
        }
        if (!network.isPlainChain()) {
            throw Messages.invalid("derive handles straight chains of dense layers and activations; "
                    + "residual blocks, sums, products and layernorm are computed numerically only (kernel, gram)");
        }
        if (network.hasStandardLayers()) {
            throw Messages.invalid("derive handles NTK-parameterised dense layers only; standard parameterisation is "
                    + "computed numerically only (kernel, gram)");
        }
        for (Activation a : network.activations()) {
            checkSupported(a);
        }
        if (options.sphere() && !options.symbolicParams()) {
            // on the sphere the variances are numbers: run them through the network's own numeric
            // rules, so that an activation whose Gaussian moments diverge there (gaussian(a,b) with
            // b > 0, fn("Exp(x^2)")) is refused with its own message; its closed form would give a
            // finite but wrong kernel
            double variance = 1;
            for (Layer l : network.layers()) {
                variance = l.mapVariance(variance);
            }
        }
        return new SymbolicRecursion(network, options);
    }

    private static void checkSupported(Activation a) {
        if (!hasClosedFormDual(a) && a.symbolicForm().isEmpty()) {
            throw Messages.symbolicUnsupported(a.spec(), SUPPORTED);
        }
    }

    /**
     * @param a an activation
     * @return whether it tabulates a closed-form dual ({@link Activation#symbolicDual})
     */
    public static boolean hasClosedFormDual(Activation a) {
        try {
            a.symbolicDual("xx", "xy", "yy");
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Whether a network has an activation without a tabulated closed-form dual, whose T and Ṫ
     * are therefore written as Gaussian integrals (unless Symja's Integrate finds closed forms).
     *
     * @param network the network
     * @return true if some activation is known only by φ
     */
    public static boolean hasIntegralActivations(Network network) {
        return network.activations().stream().anyMatch(a -> !hasClosedFormDual(a));
    }

    /**
     * The three base rules of one activation in the placeholder variables; a rule is either an
     * expression or, for activations known only by φ, an unevaluated Gaussian integral
     * ({@link IntegralRules#isIntegral}); note is null for tabulated duals.
     */
    private record Rules(String pair, String derivative, String diagonal, String note) {
    }

    /**
     * Derives the kernels.
     *
     * @param session the Symja session to compute in
     * @return the straight-line program, and with {@link SymbolicOptions#expanded()} the
     *     closed forms
     */
    public SymbolicKernel derive(SymjaSession session) {
        return derive(session, io.github.ntk4j.Progress.NONE);
    }

    /**
     * Most hidden blocks of a straight-line program: each layer costs a few Symja evaluations
     * (measured: depth 1000 took 14 s of CPU), so this bounds a run to a few seconds of CPU, with progress shown.
     */
    public static final int MAX_DEPTH = 500;
    /**
     * Most hidden blocks of single closed expressions ({@link SymbolicOptions#expanded()}):
     * each layer nests the whole expression of the one before it, so its length and the time
     * to build it grow geometrically with depth.
     */
    public static final int MAX_EXPANDED_DEPTH = 4;

    /**
     * Refuses, before any work, a network too deep to derive in reasonable time (the limits
     * are stated in the message).
     *
     * @param network the network
     * @param expanded whether single closed expressions are asked for
     */
    public static void checkSize(Network network, boolean expanded) {
        int depth = network.depth();
        if (depth > MAX_DEPTH) {
            throw Messages.invalid("symbolic derivation is limited to depth " + MAX_DEPTH + " (got " + depth
                    + "); the numeric engine (kernel, gram) has no such limit");
        }
        if (expanded && depth > MAX_EXPANDED_DEPTH) {
            throw Messages.invalid("single closed expressions are limited to depth " + MAX_EXPANDED_DEPTH + " (got " + depth
                    + "): each layer nests the whole expression of the previous one; leave out the closed form "
                    + "to get the straight-line program, which has no such growth");
        }
    }

    /**
     * Derives the kernels, reporting progress layer by layer.
     *
     * @param session the Symja session to compute in
     * @param progress receives (layers done, layers)
     * @return as {@link #derive(SymjaSession)}
     */
    public SymbolicKernel derive(SymjaSession session, io.github.ntk4j.Progress progress) {
        List<String> variables = new ArrayList<>(options.sphere() ? List.of("u") : List.of("xx", "xy", "yy"));
        List<Statement> program = new ArrayList<>();
        List<GaussianIntegral> integrals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String kxx = options.sphere() ? "1" : "xx";
        String kxy = options.sphere() ? "u" : "xy";
        String kyy = options.sphere() ? "1" : "yy";
        String theta = "0";
        int dense = 0;
        int done = 0;
        int total = network.layers().size();
        for (Layer layer : network.layers()) {
            progress.update(done++, total);
            if (layer instanceof Dense d) {
                dense++;
                String w2;
                String b2;
                if (options.symbolicParams()) {
                    variables.add("w" + dense);
                    variables.add("b" + dense);
                    w2 = "w" + dense + "^2";
                    b2 = "b" + dense + "^2";
                } else {
                    w2 = "(" + exact(d.wStd()) + ")^2";
                    b2 = "(" + exact(d.bStd()) + ")^2";
                }
                boolean sameDiagonal = kxx.equals(kyy);
                kxx = bind(session, program, "k" + dense + "xx", w2 + "*(" + kxx + ")+" + b2);
                kyy = sameDiagonal ? kxx : bind(session, program, "k" + dense + "yy", w2 + "*(" + kyy + ")+" + b2);
                kxy = bind(session, program, "k" + dense + "xy", w2 + "*(" + kxy + ")+" + b2);
                theta = bind(session, program, "th" + dense, kxy + "+" + w2 + "*(" + theta + ")");
            } else if (layer instanceof Activation a) {
                Rules r = baseRules(session, a);
                if (r.note() != null && !notes.contains(r.note())) {
                    notes.add(r.note());
                }
                Binder b = new Binder(session, program, integrals, a.spec());
                boolean sameDiagonal = kxx.equals(kyy);
                String txx = b.apply("t" + dense + "xx", r.diagonal(), GaussianIntegral.Kind.DIAGONAL, List.of(kxx));
                String tyy = sameDiagonal ? txx : b.apply("t" + dense + "yy", r.diagonal(), GaussianIntegral.Kind.DIAGONAL, List.of(kyy));
                List<String> args = List.of(kxx, kxy, kyy);
                String txy = b.apply("t" + dense + "xy", r.pair(), GaussianIntegral.Kind.DUAL, args);
                String td = b.apply("td" + dense, r.derivative(), GaussianIntegral.Kind.DERIVATIVE, args);
                // Θ·Ṫ is folded into the next Dense line (th = k + w²·Θ·Ṫ): one line fewer per layer
                theta = "(" + theta + ")*(" + td + ")";
                kxx = txx;
                kyy = tyy;
                kxy = txy;
            } else {
                throw Messages.invalid("unknown layer " + layer.spec());
            }
        }
        String nngp = kxy;
        String ntk = session.eval(theta);
        Optional<String> nngpClosed = Optional.empty();
        Optional<String> ntkClosed = Optional.empty();
        if (options.expanded()) {
            Map<String, String> integralText = new LinkedHashMap<>();
            Map<String, String> closed = closedForms(session, program, integrals, integralText);
            nngpClosed = Optional.of(expandIntegrals(inline(session, closed, nngp), integralText));
            ntkClosed = Optional.of(expandIntegrals(inline(session, closed, ntk), integralText));
        }
        return new SymbolicKernel(network.spec(), variables, program, nngp, ntk, nngpClosed, ntkClosed, integrals, notes);
    }

    /**
     * Writes one activation rule applied to the program's current expressions: a closed-form
     * rule through Symja ({@link #bind}), an integral as text (Symja would start integrating),
     * recorded as a {@link GaussianIntegral}.
     */
    private record Binder(SymjaSession session, List<Statement> program, List<GaussianIntegral> integrals, String activation) {
        String apply(String name, String rule, GaussianIntegral.Kind kind, List<String> args) {
            List<String> ph = kind == GaussianIntegral.Kind.DIAGONAL ? List.of(PXX) : List.of(PXX, PXY, PYY);
            if (!IntegralRules.isIntegral(rule)) {
                return bind(session, program, name, session.substitute(rule, ph, args));
            }
            program.add(new Statement(name, IntegralRules.apply(session, rule, ph, args)));
            integrals.add(new GaussianIntegral(name, activation, kind, args));
            return name;
        }
    }

    /**
     * The free variables of the derived kernels, known before deriving them.
     *
     * @param network the network
     * @param sphere sphere mode
     * @param symbolicParams W_std, b_std as symbols
     * @return {@code xx, xy, yy} or {@code u}, then {@code w1, b1, …} per Dense layer
     */
    public static List<String> variables(Network network, boolean sphere, boolean symbolicParams) {
        List<String> v = new ArrayList<>(sphere ? List.of("u") : List.of("xx", "xy", "yy"));
        if (symbolicParams) {
            int dense = 0;
            for (Layer l : network.layers()) {
                if (l instanceof Dense) {
                    dense++;
                    v.add("w" + dense);
                    v.add("b" + dense);
                }
            }
        }
        return v;
    }

    /**
     * The base rules of one activation in the variables {@code xx, xy, yy}, as the recursion
     * uses them: T as tabulated, Ṫ = ∂T/∂xy derived by Price's theorem (Symja D[], then
     * Simplify), and the diagonal map T(xx, xx, xx).
     *
     * @param session the Symja session
     * @param activation the activation
     * @param simplifySeconds time limit of each Simplify
     * @return {T, Ṫ, T(xx, xx, xx)} in Symja input form
     * @throws io.github.ntk4j.Ntk4jException if the activation has no symbolic dual
     */
    static List<String> baseRules(SymjaSession session, Activation activation, double simplifySeconds) {
        if (!hasClosedFormDual(activation)) {
            throw Messages.symbolicUnsupported(activation.spec(), SUPPORTED.substring(0, SUPPORTED.indexOf(';')));
        }
        SymbolicRecursion r = new SymbolicRecursion(Network.fullyConnected(activation, 1, 1, 0),
                SymbolicOptions.defaults().withExpanded(false).withSymbolicParams(false)
                        .withSphere(false).withSimplifySeconds(simplifySeconds));
        Rules rules = r.baseRules(session, activation);
        List<String> generic = List.of(PXX, PXY, PYY);
        List<String> xs = List.of("xx", "xy", "yy");
        return List.of(session.substitute(rules.pair(), generic, xs), session.substitute(rules.derivative(), generic, xs),
                session.substitute(rules.diagonal(), List.of(PXX), List.of("xx")));
    }

    /**
     * Gives an expression a name in the program, unless it is already a number or a single
     * symbol (then it is used inline and no line is written).
     */
    private static String bind(SymjaSession session, List<Statement> program, String name, String expr) {
        String value = session.eval(expr);
        if (ATOM.matcher(value).matches()) {
            return value;
        }
        program.add(new Statement(name, value));
        return name;
    }

    /**
     * T, Ṫ (by Price's theorem) and the diagonal map, each simplified once per activation and
     * time limit and then kept: they are plain strings, valid in any session.
     */
    private Rules baseRules(SymjaSession session, Activation a) {
        String key = a.spec() + "@" + options.simplifySeconds() + "@" + options.integrateSeconds();
        Rules cached = RULES.get(key);
        if (cached == null) {
            cached = deriveRules(session, a);
            RULES.put(key, cached);
        }
        return cached;
    }

    private Rules deriveRules(SymjaSession session, Activation a) {
        if (!hasClosedFormDual(a)) {
            checkSupported(a);
            IntegralRules.Result r = IntegralRules.of(session, a, PXX, PXY, PYY, options.integrateSeconds());
            return new Rules(r.pair(), r.derivative(), r.diagonal(), r.note());
        }
        String t;
        String tDiagonal;
        try {
            t = rationalize(a.symbolicDual(PXX, PXY, PYY));
            tDiagonal = rationalize(a.symbolicDual(PXX, PXX, PXX));
        } catch (UnsupportedOperationException e) {
            throw Messages.symbolicUnsupported(a.spec(), SUPPORTED);
        }
        double s = options.simplifySeconds();
        // T as tabulated, only evaluated: Simplify rarely shortens it and its first call costs
        // about 0.6 s of Symja warm-up (measured), a sixth of the budget of a whole derive run
        String pair = session.eval(t);
        // Price's theorem on the tabulated T as written (its derivative simplifies better than
        // that of the simplified T)
        // Simplify costs 0.2-1 s a call (the first one more: Symja warms up), so it is only
        // asked for when D[] left something longer than T itself (measured: D of the ReLU and
        // erf duals comes out in simplest form, that of abrelu(a,b) does not)
        String derivative;
        if (a.dualDerivativeByPriceTheorem()) {
            derivative = session.eval("D[" + t + "," + PXY + "]");
            if (derivative.length() > pair.length()) {
                derivative = session.simplify(derivative, s);
            }
        } else {
            // Ṫ = E[φ'φ'] is not ∂T/∂Σxy here (φ' = 0 almost everywhere, e.g. sign): as tabulated
            derivative = session.eval(rationalize(a.symbolicDualDerivative(PXX, PXY, PYY)));
        }
        // PowerExpand alone already gives s/2 (ReLU) or (2/π) arcsin(2s/(1+2s)) (erf)
        String diagonal = session.eval("PowerExpand[" + tDiagonal + "]");
        return new Rules(pair, derivative, diagonal, null);
    }

    /**
     * Closed forms of all program names: each line's right side with the closed forms of the
     * earlier names substituted, then simplified (time-boxed), one layer at a time. A Gaussian
     * integral stays a symbol (its name) in the closed forms, which Symja may simplify, and its
     * text, with the closed forms of its arguments put in, goes to integralText; {@link
     * #expandIntegrals} puts it in at the end, so that Symja never evaluates an integral.
     */
    private Map<String, String> closedForms(SymjaSession session, List<Statement> program, List<GaussianIntegral> integrals,
            Map<String, String> integralText) {
        Map<String, String> closed = new LinkedHashMap<>();
        java.util.Set<String> integralNames = new java.util.HashSet<>();
        integrals.forEach(g -> integralNames.add(g.name()));
        for (Statement st : program) {
            if (integralNames.contains(st.name())) {
                List<String> names = new ArrayList<>(closed.keySet());
                List<String> values = new ArrayList<>();
                for (String n : names) {
                    values.add(expandIntegrals(closed.get(n), integralText));
                }
                integralText.put(st.name(), IntegralRules.substitute(st.expression(), names, values));
                closed.put(st.name(), st.name());
                continue;
            }
            String e = inline(session, closed, st.expression());
            // Only the Θ line of each layer is simplified: it is the one that combines terms
            // (K + w²·Θ·Ṫ). K lines are linear, T lines are base rules that are already in
            // their simplest form, and Simplify on them cost 0.2-0.8 s each for nothing
            // (measured). On long nested expressions Simplify mostly runs into its time limit,
            // so those are left as evaluated.
            boolean simplify = st.name().startsWith("th") && e.length() <= CLOSED_SIMPLIFY_MAX_LENGTH;
            closed.put(st.name(), simplify ? session.simplify(e, options.simplifySeconds()) : e);
        }
        return closed;
    }

    /** Puts the integrals' text (already free of other integrals' names) in place of their names. */
    private static String expandIntegrals(String expr, Map<String, String> integralText) {
        List<String> names = new ArrayList<>(integralText.keySet());
        List<String> values = new ArrayList<>(integralText.values());
        return names.isEmpty() ? expr : IntegralRules.substitute(expr, names, values);
    }

    private static String inline(SymjaSession session, Map<String, String> closed, String expr) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : closed.entrySet()) {
            if (Pattern.compile("\\b" + e.getKey() + "\\b").matcher(expr).find()) {
                names.add(e.getKey());
                values.add(e.getValue());
            }
        }
        return names.isEmpty() ? session.eval(expr) : session.substitute(expr, names, values);
    }

    /**
     * The exact rational a double stands for in the shortest decimal that prints it:
     * 1.4 → 7/5, 0.1 → 1/10, 2 → 2, 2.5E-7 → 1/4000000.
     *
     * @param v a finite double
     * @return the rational in Symja syntax (parenthesised when negative or a fraction)
     */
    public static String exact(double v) {
        if (!Double.isFinite(v)) {
            throw Messages.notFinite("parameter", v);
        }
        return exact(new BigDecimal(Double.toString(v)));
    }

    private static String exact(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        BigInteger num;
        BigInteger den;
        if (s.scale() <= 0) {
            num = s.toBigIntegerExact();
            den = BigInteger.ONE;
        } else {
            num = s.unscaledValue();
            den = BigInteger.TEN.pow(s.scale());
            BigInteger g = num.gcd(den);
            num = num.divide(g);
            den = den.divide(g);
        }
        String r = den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den;
        return num.signum() < 0 || !den.equals(BigInteger.ONE) ? "(" + r + ")" : r;
    }

    /**
     * Replaces every decimal literal in a Symja expression by its exact rational, so that
     * activation parameters such as 0.1 stay exact (Symja would treat 0.1 as a float).
     *
     * @param expr Symja expression
     * @return the same expression with rationals
     */
    static String rationalize(String expr) {
        Matcher m = DECIMAL.matcher(expr);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(exact(new BigDecimal(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
