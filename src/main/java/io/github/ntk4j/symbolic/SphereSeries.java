package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Progress;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The first N Maclaurin coefficients of a network's NNGP K(u) and NTK Θ(u) on the sphere
 * (Σxx = Σyy = 1, u = Σxy), exact, by arithmetic on truncated power series carried through
 * the network layer by layer, instead of expanding the nested closed form.
 *
 * <p>On the sphere every layer keeps the two diagonals equal, Σxx = Σyy = c (a constant),
 * so each layer maps the series of Σxy to a new series:
 * <pre>
 *   Dense(w, b):  c ← w²c + b²,   K(u) ← w²K(u) + b²,   Θ(u) ← K(u) + w²Θ(u)
 *   activation:   with f(p) = T(c, p, c) and K(u) = p₀ + h(u) (h(0) = 0):
 *                 K(u) ← Σ_j f⁽ʲ⁾(p₀)/j! h(u)^j,   Θ(u) ← Θ(u) · Σ_j f⁽ʲ⁺¹⁾(p₀)/j! h(u)^j,
 *                 c ← T(c, c, c)
 * </pre>
 * truncated after u^(N−1) (h has no constant term, so h^j contributes from u^j on and N terms
 * of each sum suffice). T and Ṫ = ∂T/∂Σxy are the same base rules as {@link SymbolicRecursion}'s
 * (Price's theorem); the derivatives of f are taken in one variable, once per layer, and
 * evaluated at p₀. Cost: N derivatives per activation and O(N³) coefficient products per layer
 * (fewer while h is sparse, as after the first Dense layer, where h = w²u), against Symja's
 * Series of the nested closed form, which took minutes at depth 2 (measured; see the
 * change log).
 */
public final class SphereSeries {
    /** Most coefficients computed. */
    public static final int MAX_TERMS = 40;
    /**
     * Most activation layers with a transcendental dual (all but identity and polynomials).
     * Behind a second one every coefficient nests the inverse cosines and square roots of the
     * first layer at u = 0: measured for relu at depth 2, 5 terms, 720 KB of output and 83 s
     * of CPU (Symja's Series of the closed form took more than 300 s), too long to be of use;
     * polynomial layers only multiply series and are not limited.
     */
    public static final int MAX_TRANSCENDENTAL_LAYERS = 1;

    private static final String P = "ntkp";

    private SphereSeries() {
    }

    /**
     * The Maclaurin coefficients of K(u) and Θ(u).
     *
     * @param nngp coefficients of u⁰ … u^(N−1) of K
     * @param ntk the same for Θ
     */
    public record Result(List<String> nngp, List<String> ntk) {
    }

    /**
     * Checks the size of a request before any work, so that nothing runs for minutes.
     *
     * @param network the network
     * @param terms N
     */
    public static void check(Network network, int terms) {
        if (terms < 1) {
            throw Messages.tooSmall("series terms", terms, 1);
        }
        if (terms > MAX_TERMS) {
            throw Messages.tooLarge("series terms", terms, MAX_TERMS);
        }
        for (Activation a : network.activations()) {
            if (!SymbolicRecursion.hasClosedFormDual(a)) {
                throw Messages.invalid("exact series need a closed-form dual, and " + a.spec() + " has none (its T is a "
                        + "Gaussian integral): its coefficients would be integrals, not exact numbers; for numbers use the "
                        + "numeric spectrum (spectrum --sphere-dim)");
            }
        }
        long transcendental = network.layers().stream().filter(l -> l instanceof Activation a && !polynomialDual(a)).count();
        if (transcendental > MAX_TRANSCENDENTAL_LAYERS) {
            throw Messages.invalid("exact series are limited to " + MAX_TRANSCENDENTAL_LAYERS + " hidden layer with a "
                    + "non-polynomial activation (this network has " + transcendental + "): behind a second one every "
                    + "coefficient nests the first layer's inverse cosines and runs to hundreds of kilobytes; for "
                    + "numbers use the numeric spectrum (spectrum --sphere-dim) or evaluate the derived kernel (--at)");
        }
    }

    /**
     * Computes the series.
     *
     * @param network the network (no input map)
     * @param options its symbolic options ({@code sphere} is implied; symbolic parameters are honoured)
     * @param terms N, 1 … {@link #MAX_TERMS}
     * @param session the Symja session
     * @param progress receives (layers done, layers)
     * @return the coefficients, exact
     */
    public static Result of(Network network, SymbolicOptions options, int terms, SymjaSession session, Progress progress) {
        check(network, terms);
        // checks the activations, the input map and, on the sphere, the variances
        SymbolicRecursion.of(network, options.withSphere(true));
        int n = terms;
        String c = "1";
        List<String> k = zeros(n);
        if (n > 1) {
            k.set(1, "1");
        }
        List<String> theta = zeros(n);
        int dense = 0;
        List<Layer> layers = network.layers();
        for (int li = 0; li < layers.size(); li++) {
            Layer layer = layers.get(li);
            if (layer instanceof Dense d) {
                dense++;
                String w2 = options.symbolicParams() ? "w" + dense + "^2" : "(" + SymbolicRecursion.exact(d.wStd()) + ")^2";
                String b2 = options.symbolicParams() ? "b" + dense + "^2" : "(" + SymbolicRecursion.exact(d.bStd()) + ")^2";
                c = session.eval(w2 + "*(" + c + ")+" + b2);
                List<String> nk = new ArrayList<>(n);
                List<String> nt = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    String kj = session.eval("Expand[" + w2 + "*(" + k.get(j) + ")" + (j == 0 ? "+" + b2 : "") + "]");
                    nk.add(kj);
                    nt.add(session.eval("Expand[(" + kj + ")+" + w2 + "*(" + theta.get(j) + ")]"));
                }
                k = nk;
                theta = nt;
            } else if (layer instanceof Activation a) {
                List<String> rules = SymbolicRecursion.baseRules(session, a, options.simplifySeconds());
                List<String> xs = List.of("xx", "xy", "yy");
                String f = session.substitute(rules.get(0), xs, List.of(c, P, c));
                String g = session.substitute(rules.get(1), xs, List.of(c, P, c));
                List<String> nk;
                List<String> tdot;
                if (k.subList(1, n).stream().allMatch("0"::equals)) {
                    // K does not depend on u (W_std = 0 before): K ≡ c, Σxy = Σxx, a point where
                    // T need not be analytic; the series is the constant T(c, c, c), Ṫ(c, c, c)
                    nk = zeros(n);
                    tdot = zeros(n);
                    nk.set(0, session.substitute(rules.get(2), List.of("xx"), List.of(c)));
                    tdot.set(0, session.substitute(rules.get(1), xs, List.of(c, k.get(0), c)));
                    if (!finite(tdot.get(0))) {
                        throw Messages.invalid("the series does not exist: the kernel before " + a.spec() + " does not depend on "
                                + "u (a Dense layer with W_std = 0), so Σxy = Σxx, where its Ṫ is " + tdot.get(0)
                                + " (not finite)");
                    }
                } else {
                    // T(c, K(u), c) and Ṫ(c, K(u), c) as series in u, by series arithmetic on their trees
                    nk = session.composeSeries(f, P, k, n);
                    tdot = session.composeSeries(g, P, k, n);
                }
                theta = times(session, theta, tdot, n);
                k = nk;
                c = session.substitute(rules.get(2), List.of("xx"), List.of(c));
            } else {
                throw Messages.invalid("unknown layer " + layer.spec());
            }
            progress.update(li + 1, layers.size());
        }
        return new Result(Collections.unmodifiableList(k), Collections.unmodifiableList(theta));
    }

    /**
     * Whether an activation's tabulated dual T(Σxx, Σxy, Σyy) is a polynomial (poly, monomial,
     * hermite, identity, …): read from its expression, not from a list of classes, so that every
     * polynomial activation composes without limit. A polynomial here is built from numbers and
     * the three variables by +, −, ×, division by a non-zero number and non-negative integer powers.
     *
     * @param a an activation
     * @return true if T is a polynomial (then so is Ṫ = ∂T/∂Σxy)
     */
    static boolean polynomialDual(Activation a) {
        String dual;
        try {
            dual = a.symbolicDual("xx", "xy", "yy");
        } catch (UnsupportedOperationException e) {
            return false;
        }
        try {
            return polynomial(ExprParser.parse(SymbolicRecursion.rationalize(dual)));
        } catch (RuntimeException e) {
            // outside the reader's grammar: not a polynomial it can vouch for
            return false;
        }
    }

    private static boolean polynomial(Expr e) {
        if (e instanceof Expr.Num || e instanceof Expr.Var) {
            return true;
        }
        if (e instanceof Expr.Add a) {
            return a.terms().stream().allMatch(SphereSeries::polynomial);
        }
        if (e instanceof Expr.Mul m) {
            return m.factors().stream().allMatch(SphereSeries::polynomial);
        }
        if (e instanceof Expr.Sub s) {
            return polynomial(s.a()) && polynomial(s.b());
        }
        if (e instanceof Expr.Neg n) {
            return polynomial(n.a());
        }
        if (e instanceof Expr.Div d) {
            return polynomial(d.a()) && d.b() instanceof Expr.Num n && n.num().signum() != 0;
        }
        if (e instanceof Expr.Pow p) {
            return polynomial(p.base()) && p.exponent() instanceof Expr.Num n && n.isInteger() && n.num().signum() >= 0;
        }
        return false;
    }

    /** Whether Symja's value is a finite expression (not Indeterminate, ComplexInfinity, …). */
    private static boolean finite(String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        return !(v.contains("indeterminate") || v.contains("infinity"));
    }

    private static void add(List<String> terms, String a, String b) {
        if (!a.equals("0") && !b.equals("0")) {
            terms.add("(" + a + ")*(" + b + ")");
        }
    }

    private static String sum(SymjaSession session, List<String> terms) {
        return terms.isEmpty() ? "0" : session.eval(String.join("+", terms));
    }

    /** The product of two truncated series, N terms. */
    private static List<String> times(SymjaSession session, List<String> a, List<String> b, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j <= i; j++) {
                add(terms, a.get(j), b.get(i - j));
            }
            out.add(sum(session, terms));
        }
        return out;
    }

    private static List<String> zeros(int n) {
        return new ArrayList<>(Collections.nCopies(n, "0"));
    }

    private static java.math.BigInteger factorial(int j) {
        java.math.BigInteger f = java.math.BigInteger.ONE;
        for (int i = 2; i <= j; i++) {
            f = f.multiply(java.math.BigInteger.valueOf(i));
        }
        return f;
    }
}
