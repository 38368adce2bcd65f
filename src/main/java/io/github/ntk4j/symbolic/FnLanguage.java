package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import java.math.BigInteger;
import java.util.Set;
import java.util.TreeSet;

/**
 * The language of {@code fn("…")} (docs/EXPRESSIONS.md): a user's text is read by
 * {@link ExprParser#parseActivation} against a whitelist (x, Pi, E, decimal numbers,
 * {@code + - * / ^}, parentheses, the functions of {@link Functions}) into an {@link Expr} tree,
 * its constants are checked against the double range, and Symja is given only text rendered
 * from that tree ({@link #symja}), never the user's text.
 */
final class FnLanguage {
    /** Longest rendering of a constant or call shown in a refusal. */
    private static final int SHOWN = 40;

    private FnLanguage() {
    }

    /**
     * Reads and checks a user's expression.
     *
     * @param text the text inside {@code fn("…")}
     * @return the checked tree
     * @throws io.github.ntk4j.InvalidInputException with one line: a token outside the language,
     *     a constant beyond the double range, Abs or Sign of an argument that is not affine
     */
    static Expr read(String text) {
        Expr e = ExprParser.parseActivation(text);
        checkConstants(e);
        checkKinks(e);
        return e;
    }

    /**
     * The tree as Symja input, fully parenthesised, numbers as exact integers or fractions,
     * functions by their Symja names in square brackets: the only text of an fn expression
     * that Symja ever reads.
     *
     * @param e a tree from {@link #read}
     * @return Symja input syntax
     */
    static String symja(Expr e) {
        StringBuilder b = new StringBuilder();
        render(b, e);
        return b.toString();
    }

    private static void render(StringBuilder b, Expr e) {
        if (e instanceof Expr.Num n) {
            boolean neg = n.num().signum() < 0;
            b.append(neg || !n.isInteger() ? "(" : "").append(n.num());
            if (!n.isInteger()) {
                b.append('/').append(n.den());
            }
            b.append(neg || !n.isInteger() ? ")" : "");
        } else if (e instanceof Expr.Pi) {
            b.append("Pi");
        } else if (e instanceof Expr.Euler) {
            b.append('E');
        } else if (e instanceof Expr.Var v) {
            b.append(v.name());
        } else if (e instanceof Expr.Add a) {
            join(b, a.terms(), '+');
        } else if (e instanceof Expr.Mul m) {
            join(b, m.factors(), '*');
        } else if (e instanceof Expr.Sub s) {
            join(b, java.util.List.of(s.a(), s.b()), '-');
        } else if (e instanceof Expr.Div d) {
            join(b, java.util.List.of(d.a(), d.b()), '/');
        } else if (e instanceof Expr.Pow p) {
            join(b, java.util.List.of(p.base(), p.exponent()), '^');
        } else if (e instanceof Expr.Neg n) {
            b.append("(-");
            render(b, n.a());
            b.append(')');
        } else {
            Expr.Call c = (Expr.Call) e;
            b.append(c.function()).append('[');
            render(b, c.argument());
            b.append(']');
        }
    }

    private static void join(StringBuilder b, java.util.List<Expr> parts, char op) {
        b.append('(');
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                b.append(op);
            }
            render(b, parts.get(i));
        }
        b.append(')');
    }

    /** The rendering of a subtree for a message, bounded. */
    private static String shown(Expr e) {
        String r = symja(e);
        return r.length() <= SHOWN ? r : r.substring(0, SHOWN) + "…";
    }

    /**
     * Every constant subexpression (one without x) must evaluate to a finite double that is 0
     * or normal, and so must the product of the constant factors of a product: a constant
     * beyond the double range (10^400, 10^-400, Exp(1000)) is refused, never carried as
     * Infinity or 0.
     *
     * @param e a tree (the user's, or one read from Symja's output)
     * @throws io.github.ntk4j.InvalidInputException for the innermost offending constant
     */
    static void checkConstants(Expr e) {
        constant(e);
    }

    /** Checks e's constants; whether e is constant. */
    private static boolean constant(Expr e) {
        if (e instanceof Expr.Var) {
            return false;
        }
        if (e instanceof Expr.Num || e instanceof Expr.Pi || e instanceof Expr.Euler) {
            if (e instanceof Expr.Num n) {
                inRange(e, value(e), n.num().signum() != 0);
            }
            return true;
        }
        java.util.List<Expr> children = children(e);
        boolean all = true;
        for (Expr c : children) {
            all &= constant(c);
        }
        if (e instanceof Expr.Mul m && !all) {
            double product = 1;
            boolean nonzero = true;
            for (Expr f : m.factors()) {
                if (!hasX(f)) {
                    double v = value(f);
                    product *= v;
                    nonzero &= v != 0;
                }
            }
            inRange(e, product, nonzero);
        }
        if (!all) {
            return false;
        }
        double v = value(e);
        boolean exactNonzero;
        if (e instanceof Expr.Pow p) {
            exactNonzero = value(p.base()) != 0;
        } else if (e instanceof Expr.Mul m) {
            exactNonzero = m.factors().stream().allMatch(f -> value(f) != 0);
        } else if (e instanceof Expr.Div d) {
            exactNonzero = value(d.a()) != 0;
            if (value(d.b()) == 0) {
                throw Messages.invalid("fn expression: constant '" + shown(e) + "' divides by zero");
            }
        } else if (e instanceof Expr.Call c) {
            String f = c.function();
            exactNonzero = value(c.argument()) != 0 && !f.equals("Log") && !f.equals("ArcCos") && !f.equals("ArcCosh");
        } else {
            exactNonzero = false; // sums and negations: a zero is a true cancellation
        }
        inRange(e, v, exactNonzero);
        return true;
    }

    private static void inRange(Expr e, double v, boolean exactNonzero) {
        if (Double.isNaN(v)) {
            throw Messages.invalid("fn expression: constant '" + shown(e) + "' is not a real number");
        }
        if (Double.isInfinite(v) || (v != 0 && Math.abs(v) < Double.MIN_NORMAL) || (v == 0 && exactNonzero)) {
            throw Messages.invalid("fn expression: constant out of range: '" + shown(e) + "' does not fit a double");
        }
    }

    private static double value(Expr e) {
        return SymjaActivationFactory.compile(e).applyAsDouble(0);
    }

    static boolean hasX(Expr e) {
        if (e instanceof Expr.Var) {
            return true;
        }
        for (Expr c : children(e)) {
            if (hasX(c)) {
                return true;
            }
        }
        return false;
    }

    static java.util.List<Expr> children(Expr e) {
        if (e instanceof Expr.Add a) {
            return a.terms();
        }
        if (e instanceof Expr.Mul m) {
            return m.factors();
        }
        if (e instanceof Expr.Sub s) {
            return java.util.List.of(s.a(), s.b());
        }
        if (e instanceof Expr.Div d) {
            return java.util.List.of(d.a(), d.b());
        }
        if (e instanceof Expr.Pow p) {
            return java.util.List.of(p.base(), p.exponent());
        }
        if (e instanceof Expr.Neg n) {
            return java.util.List.of(n.a());
        }
        if (e instanceof Expr.Call c) {
            return java.util.List.of(c.argument());
        }
        return java.util.List.of();
    }

    /** Abs and Sign must be of an affine argument, whose kink is then known. */
    private static void checkKinks(Expr e) {
        kinks(e, new TreeSet<>(), true);
    }

    /**
     * The points where φ or φ' is not smooth: the zeros of the affine arguments a·x + b of Abs
     * and Sign (the only non-smooth functions of the language); the quadrature splits its
     * panels there.
     *
     * @param trees trees read from Symja's φ and φ'
     * @return the kinks, ascending, without repeats
     * @throws io.github.ntk4j.InvalidInputException for Abs or Sign of a non-affine argument
     */
    static double[] kinks(Expr... trees) {
        Set<Double> out = new TreeSet<>();
        for (Expr t : trees) {
            kinks(t, out, false);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void kinks(Expr e, Set<Double> out, boolean user) {
        if (e instanceof Expr.Call c && (c.function().equals("Abs") || c.function().equals("Sign")) && hasX(c.argument())) {
            double[] ab = affine(c.argument());
            if (ab == null || ab[0] == 0 || !Double.isFinite(-ab[1] / ab[0])) {
                throw Messages.invalid("fn expression: " + c.function() + " is accepted only of an affine argument a*x+b, whose "
                        + "kink the quadrature must know; got " + (user ? "" : "Symja's ") + "'" + shown(c) + "'");
            }
            double k = -ab[1] / ab[0];
            out.add(k == 0 ? 0.0 : k);
        }
        for (Expr c : children(e)) {
            kinks(c, out, user);
        }
    }

    /** {a, b} when e = a·x + b, else null. */
    private static double[] affine(Expr e) {
        if (!hasX(e)) {
            return new double[] {0, value(e)};
        }
        if (e instanceof Expr.Var) {
            return new double[] {1, 0};
        }
        if (e instanceof Expr.Neg n) {
            double[] a = affine(n.a());
            return a == null ? null : new double[] {-a[0], -a[1]};
        }
        if (e instanceof Expr.Add || e instanceof Expr.Sub) {
            double[] r = {0, 0};
            java.util.List<Expr> terms = children(e);
            for (int i = 0; i < terms.size(); i++) {
                double[] t = affine(terms.get(i));
                if (t == null) {
                    return null;
                }
                double sign = e instanceof Expr.Sub && i == 1 ? -1 : 1;
                r[0] += sign * t[0];
                r[1] += sign * t[1];
            }
            return r;
        }
        if (e instanceof Expr.Mul m) {
            double c = 1;
            double[] lin = null;
            for (Expr f : m.factors()) {
                if (hasX(f)) {
                    if (lin != null) {
                        return null;
                    }
                    lin = affine(f);
                    if (lin == null) {
                        return null;
                    }
                } else {
                    c *= value(f);
                }
            }
            return new double[] {c * lin[0], c * lin[1]};
        }
        if (e instanceof Expr.Div d && !hasX(d.b())) {
            double[] a = affine(d.a());
            double c = value(d.b());
            return a == null ? null : new double[] {a[0] / c, a[1] / c};
        }
        if (e instanceof Expr.Pow p && p.exponent() instanceof Expr.Num n && n.num().equals(BigInteger.ONE)
                && n.den().equals(BigInteger.ONE)) {
            return affine(p.base());
        }
        return null;
    }
}
