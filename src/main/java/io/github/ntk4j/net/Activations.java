package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelMath;
import io.github.ntk4j.internal.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The activations ntk4j knows, by spec token: the one registry the spec parser, the CLI and
 * error messages read. Each entry names its parameters and their defaults (as neural-tangents'
 * stax) and builds the activation, which carries its numeric, symbolic and finite-width rules.
 * A new built-in activation is one class plus one line here.
 */
public final class Activations {
    private Activations() {
    }

    /** SELU's α and λ (Klambauer et al. 2017), to the digits of their closed forms. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** neural-tangents' {@code Sigmoid_like}: 0.5·erf(x/2.4020563531719796) + 0.5. */
    static final double SIGMOID_LIKE_WIDTH = 2.4020563531719796;

    private record Entry(String signature, int minParams, int maxParams, Function<double[], Activation> make) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    private static void add(String name, String signature, int min, int max, Function<double[], Activation> make) {
        REGISTRY.put(name, new Entry(signature, min, max, make));
    }

    /**
     * Analytic strips of the built-in smooth activations ({@link QuadratureActivation}'s strip: φ
     * and φ' analytic in |Im x| &lt; τ), each a little inside the nearest singularity: tanh's poles at
     * ±iπ/2 (1.571); sigmoid's poles and softplus's branch points at ±iπ (3.142); mish's
     * poles at ½·ln 2 ± 3πi/4 (2.356). InnerHermiteTest checks every rule at τ times its limit for
     * each activation's φ and φ' against composite Gauss–Legendre.
     */
    private static final double TANH_STRIP = 1.5;
    private static final double LOGISTIC_STRIP = 2.8;
    /** silu's (x·sigmoid): its φ' has double poles with the factor x, so further inside. */
    private static final double SILU_STRIP = 2.2;
    private static final double MISH_STRIP = 2.2;

    static {
        add("relu", "relu", 0, 0, p -> Layers.relu());
        add("erf", "erf, erf(a,b,c)", 0, 3, p -> p.length == 0 ? Layers.erf() : arity("erf", p, 3, () -> new Erf(p[0], p[1], p[2])));
        add("abrelu", "abrelu(a,b)", 2, 2, p -> ABRelu.of(p[0], p[1]));
        add("leaky_relu", "leaky_relu(alpha)", 1, 1, p -> ABRelu.leaky(p[0]));
        add("abs", "abs", 0, 0, p -> ABRelu.abs());
        add("identity", "identity", 0, 0, p -> Layers.identity());
        add("poly", "poly(c0,c1,...)", 1, Integer.MAX_VALUE, Poly::new);
        add("gelu", "gelu", 0, 0, p -> Layers.gelu());
        add("sin", "sin(a,b,c)", 0, 3, p -> p.length == 0 ? new Sinusoid(false, 1, 1, 0)
                : arity("sin", p, 3, () -> new Sinusoid(false, p[0], p[1], p[2])));
        add("cos", "cos(a,b,c)", 0, 3, p -> p.length == 0 ? new Sinusoid(true, 1, 1, 0)
                : arity("cos", p, 3, () -> new Sinusoid(true, p[0], p[1], p[2])));
        add("gaussian", "gaussian(a,b)", 0, 2, p -> p.length == 0 ? new GaussianBump(1, -1)
                : arity("gaussian", p, 2, () -> new GaussianBump(p[0], p[1])));
        add("exp", "exp(a,b)", 0, 2, p -> p.length == 0 ? new Exponential(1, 1)
                : arity("exp", p, 2, () -> new Exponential(p[0], p[1])));
        add("rbf", "rbf(gamma)", 0, 1, p -> new Rbf(p.length == 0 ? 1 : p[0]));
        add("gabor", "gabor", 0, 0, p -> Layers.gabor());
        add("sign", "sign", 0, 0, p -> Layers.sign());
        add("rectified_monomial", "rectified_monomial(n)", 1, 1, p -> new RectifiedMonomial(integer("rectified_monomial", p[0])));
        add("monomial", "monomial(n)", 1, 1, p -> Poly.monomial(integer("monomial", p[0])));
        add("hermite", "hermite(n)", 1, 1, p -> new Hermite(integer("hermite", p[0])));
        add("exp_normalized", "exp_normalized(gamma,shift)", 0, 2, p -> new ExpNormalized(p.length > 0 ? p[0] : 1,
                p.length > 1 ? p[1] : -1));
        add("sigmoid_like", "sigmoid_like", 0, 0, p -> new Erf(0.5, 1 / SIGMOID_LIKE_WIDTH, 0.5));
        add("tanh", "tanh", 0, 0, p -> quadrature("tanh", p, "Tanh(x)", KernelMath::tanh, x -> {
            double t = KernelMath.tanh(x);
            return 1 - t * t;
        }, QuadratureActivation.ODD, (x, n, f, df) -> {
            for (int q = 0; q < n; q++) {
                final double t = KernelMath.tanh(x[q]);
                f[q] = t;
                df[q] = 1 - t * t;
            }
        }, TANH_STRIP));
        add("sigmoid", "sigmoid", 0, 0, p -> quadrature("sigmoid", p, "1/(1+Exp(-x))", Activations::sigmoid, x -> {
            double s = sigmoid(x);
            return s * (1 - s);
        }, 0, (x, n, f, df) -> {
            for (int q = 0; q < n; q++) {
                final double s = sigmoid(x[q]);
                f[q] = s;
                df[q] = s * (1 - s);
            }
        }, LOGISTIC_STRIP));
        add("softplus", "softplus", 0, 0, p -> quadrature("softplus", p, "Log(1+Exp(x))", Activations::softplus, Activations::sigmoid,
                0, (x, n, f, df) -> {
                    for (int q = 0; q < n; q++) {
                        // softplus's and sigmoid's exp(−|x|), shared (their branches take the same one)
                        final double v = x[q];
                        final double e = v > 0 ? Math.exp(-v) : Math.exp(v);
                        f[q] = v > 0 ? v + KernelMath.log1p(e) : KernelMath.log1p(e);
                        df[q] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
                    }
                }, LOGISTIC_STRIP));
        add("silu", "silu (= swish)", 0, 0, p -> silu("silu", p));
        add("swish", "swish", 0, 0, p -> silu("swish", p));
        add("elu", "elu(alpha)", 0, 1, p -> elu("elu", p, p.length == 0 ? 1 : p[0], 1));
        add("selu", "selu", 0, 0, p -> elu("selu", p, SELU_ALPHA, SELU_SCALE));
        add("mish", "mish", 0, 0, p -> quadrature("mish", p, "x*Tanh(Log(1+Exp(x)))", x -> x * KernelMath.tanh(softplus(x)), x -> {
            double t = KernelMath.tanh(softplus(x));
            return t + x * (1 - t * t) * sigmoid(x);
        }, 0, (x, n, f, df) -> {
            for (int q = 0; q < n; q++) {
                final double v = x[q];
                final double t = KernelMath.tanh(softplus(v));
                f[q] = v * t;
                df[q] = t + v * (1 - t * t) * sigmoid(v);
            }
        }, MISH_STRIP));
    }

    /** Token names with their parameter signature, for help texts and error messages. */
    public static final String KNOWN = known();

    private static String known() {
        List<String> s = new ArrayList<>();
        for (Entry e : REGISTRY.values()) {
            s.add(e.signature());
        }
        s.add("fn(\"EXPR\")");
        return String.join(", ", s);
    }

    /** @return the registered token names, in registration order */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    private static Activation quadrature(String name, double[] p, String symbolic, java.util.function.DoubleUnaryOperator phi,
            java.util.function.DoubleUnaryOperator dphi) {
        return quadrature(name, p, symbolic, phi, dphi, 0, null, 1);
    }

    /**
     * The same for a φ of known parity (QuadratureActivation.ODD or EVEN, 0 for neither) and
     * with φ and φ' evaluated together (null: apart).
     */
    private static Activation quadrature(String name, double[] p, String symbolic, java.util.function.DoubleUnaryOperator phi,
            java.util.function.DoubleUnaryOperator dphi, int parity, QuadratureActivation.PhiAndDerivative both, double strip) {
        List<Double> ps = new ArrayList<>();
        for (double v : p) {
            ps.add(v);
        }
        return new QuadratureActivation(name, ps, phi, dphi, QuadratureActivation.DEFAULT_DEGREE, true, new double[0], symbolic, true,
                parity, both, null, strip);
    }

    private static Activation silu(String name, double[] p) {
        return quadrature(name, p, "x/(1+Exp(-x))", x -> x * sigmoid(x), x -> {
            double s = sigmoid(x);
            return s * (1 + x * (1 - s));
        }, 0, (x, n, f, df) -> {
            for (int q = 0; q < n; q++) {
                final double v = x[q];
                final double s = sigmoid(v);
                f[q] = v * s;
                df[q] = s * (1 + v * (1 - s));
            }
        }, SILU_STRIP);
    }

    private static Activation elu(String name, double[] p, double alpha, double scale) {
        if (!Double.isFinite(alpha)) {
            throw Messages.notFinite(name + " parameter alpha", alpha);
        }
        List<Double> ps = new ArrayList<>();
        for (double v : p) {
            ps.add(v);
        }
        // φ' jumps at 0 (unless α = 1): Gauss–Legendre panels split there instead of Gauss–Hermite
        return new QuadratureActivation(name, ps, x -> scale * (x > 0 ? x : alpha * KernelMath.expm1(x)),
                x -> scale * (x > 0 ? 1 : alpha * Math.exp(x)), QuadratureActivation.DEFAULT_DEGREE, true, new double[] {0},
                (scale == 1 ? "" : Activation.num(scale) + "*") + "Piecewise({{x,x>0}}," + Activation.num(alpha) + "*(Exp(x)-1))",
                true, 0, (x, n, f, df) -> {
                    // φ and φ' in one call per batch of points (the quadrature's inner panels),
                    // the same operations as the two lambdas above, so the same bits
                    for (int q = 0; q < n; q++) {
                        final double v = x[q];
                        f[q] = scale * (v > 0 ? v : alpha * KernelMath.expm1(v));
                        df[q] = scale * (v > 0 ? 1 : alpha * Math.exp(v));
                    }
                }, new EluMoments(alpha, scale));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double softplus(double x) {
        return x > 0 ? x + KernelMath.log1p(Math.exp(-x)) : KernelMath.log1p(Math.exp(x));
    }

    private static int integer(String name, double v) {
        if (v != Math.rint(v) || Math.abs(v) > 1000) {
            throw Messages.invalid(name + "(n) takes an integer n, got " + v);
        }
        return (int) v;
    }

    private static Activation arity(String name, double[] params, int n, java.util.function.Supplier<Activation> make) {
        if (params.length != n) {
            throw Messages.invalid(name + " takes " + (n == 0 ? "no parameters" : n + " parameter" + (n > 1 ? "s" : ""))
                    + ", got " + params.length + " (or none for the defaults)");
        }
        return make.get();
    }

    /**
     * Creates an activation from its name and parameters.
     *
     * @param name the name (case-insensitive)
     * @param params the parameters (empty for the defaults)
     * @return the activation
     * @throws io.github.ntk4j.Ntk4jException for an unknown name or a wrong parameter count
     */
    public static Activation of(String name, double... params) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("leakyrelu")) {
            n = "leaky_relu";
        }
        Entry e = REGISTRY.get(n);
        if (e == null) {
            throw Messages.unknownActivation(name, KNOWN);
        }
        if (params.length < e.minParams() || params.length > e.maxParams()) {
            int min = e.minParams();
            int max = e.maxParams();
            String want = min == max ? (min == 0 ? "no parameters" : min + " parameter" + (min > 1 ? "s" : ""))
                    : max == Integer.MAX_VALUE ? "at least " + min + " parameter" + (min > 1 ? "s" : "")
                    : min + " to " + max + " parameters";
            throw Messages.invalid(n + " takes " + want + " (" + e.signature() + "), got " + params.length);
        }
        return e.make().apply(params);
    }

    /**
     * An activation given as an expression in x in the fn language (docs/EXPRESSIONS.md: x, Pi,
     * E, decimal numbers, + − × ÷ ^, parentheses and the documented functions), e.g.
     * {@code x*Tanh(Log(1+Exp(x)))}: the text is checked against the language's whitelist before
     * anything evaluates it, φ' is derived symbolically in a sandbox and both are compiled for
     * fast evaluation; the duals are computed by quadrature. Needs the symbolic engine (loaded
     * only here).
     *
     * @param expression the expression
     * @return the activation, spec {@code fn("expression")}
     * @throws io.github.ntk4j.Ntk4jException if the expression leaves the language (one line
     *     naming the offending token), has a constant beyond the double range, or the symbolic
     *     engine is not available
     */
    public static Activation expression(String expression) {
        if (expression == null || expression.isBlank()) {
            throw Messages.empty("fn expression");
        }
        for (ExpressionActivationFactory f : ServiceLoader.load(ExpressionActivationFactory.class)) {
            return f.create(expression.strip());
        }
        throw Messages.invalid("fn(\"" + expression + "\") needs ntk4j's symbolic engine, which is not on the class path");
    }

    /**
     * @param name a name
     * @return whether {@link #of} knows it
     */
    public static boolean isKnown(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return REGISTRY.containsKey(n) || n.equals("leakyrelu");
    }
}
