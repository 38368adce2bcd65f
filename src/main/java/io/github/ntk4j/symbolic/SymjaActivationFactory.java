package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.ExpressionActivationFactory;
import io.github.ntk4j.net.QuadratureActivation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code fn("EXPR")}: an activation written as an expression in x in the fn language
 * (docs/EXPRESSIONS.md). The text is read against the language's whitelist into an {@link Expr}
 * tree before anything evaluates it ({@link FnLanguage#read}); Symja then gets only text rendered
 * from that tree, in a fresh sandbox with its file, Java and compiler switches off and a time
 * limit ({@link SymjaSandbox}), and returns φ and φ' = dφ/dx (almost everywhere: Abs' = Sign,
 * Sign' = 0). Both are read back into {@link Expr} trees, their constants checked against the
 * double range, and compiled to closures, so evaluation never calls Symja (Symja is loaded only
 * here, through {@link java.util.ServiceLoader}). The duals are computed by Gauss–Legendre
 * panels ({@link QuadratureActivation}) split at the kinks of Abs and Sign.
 *
 * <p>Refused with one line: a token outside the language, a constant beyond the double range,
 * Abs or Sign of a non-affine argument, a φ or φ' undefined on part of the real line or
 * unbounded near a point ({@link ExpressionDomain}: "is undefined for x &lt; 0", "has a pole at
 * x = 0"), and an activation growing like exp(c·x²) (estimated from finite values of |φ| at |x|
 * and 2|x|, {@link ExpressionActivation#growth}), whose Gaussian moments diverge: it is
 * accepted, and refused at the first pre-activation variance s ≥ 1/(4c), where E[φ(u)²] = ∞.
 * A φ that merely exceeds the double range is refused by the quadrature, naming the |x| where
 * it does.
 */
public final class SymjaActivationFactory implements ExpressionActivationFactory {

    /** Creates the factory (the service loader calls this). */
    public SymjaActivationFactory() {
    }

    @Override
    public Activation create(String expression) {
        Expr checked = FnLanguage.read(expression);
        SymjaSession.requireAvailable();
        SymjaSandbox.Forms forms = SymjaSandbox.forms(FnLanguage.symja(checked));
        Expr f = parse(forms.phi(), "φ");
        Expr df = parse(forms.derivative(), "φ'");
        Set<String> vars = new TreeSet<>();
        variables(f, vars);
        variables(df, vars);
        vars.remove("x");
        if (!vars.isEmpty()) {
            throw Messages.invalid("fn expression: Symja's φ or φ' uses " + String.join(", ", vars)
                    + "; an activation is a function of x alone");
        }
        FnLanguage.checkConstants(f);
        FnLanguage.checkConstants(df);
        ExpressionDomain.check(expression, f, df);
        return new ExpressionActivation(expression, forms.phi(), compile(f), compile(df), FnLanguage.kinks(f, df));
    }

    /** Symja's output read back; a refusal names the reason, bounded, without any regex. */
    private static Expr parse(String form, String what) {
        try {
            return ExprParser.parse(form);
        } catch (io.github.ntk4j.Ntk4jException e) {
            String m = String.valueOf(e.getMessage());
            int at = m.indexOf("cannot compile: ");
            String reason = at < 0 ? m : m.substring(at + "cannot compile: ".length());
            int cut = reason.indexOf(") for: ");
            reason = cut < 0 ? reason : reason.substring(0, cut);
            String shown = form.length() > 60 ? form.substring(0, 60) + "…" : form;
            throw Messages.invalid("fn expression: cannot evaluate Symja's " + what + " = " + shown + " ("
                    + (reason.length() > 120 ? reason.substring(0, 120) + "…" : reason) + ")");
        }
    }

    private static void variables(Expr e, Set<String> out) {
        if (e instanceof Expr.Var v) {
            out.add(v.name());
        } else if (e instanceof Expr.Add a) {
            a.terms().forEach(t -> variables(t, out));
        } else if (e instanceof Expr.Mul m) {
            m.factors().forEach(t -> variables(t, out));
        } else if (e instanceof Expr.Sub s) {
            variables(s.a(), out);
            variables(s.b(), out);
        } else if (e instanceof Expr.Div d) {
            variables(d.a(), out);
            variables(d.b(), out);
        } else if (e instanceof Expr.Neg n) {
            variables(n.a(), out);
        } else if (e instanceof Expr.Pow p) {
            variables(p.base(), out);
            variables(p.exponent(), out);
        } else if (e instanceof Expr.Call c) {
            variables(c.argument(), out);
        }
    }

    /** The tree as a closure in x (double arithmetic). */
    static DoubleUnaryOperator compile(Expr e) {
        if (e instanceof Expr.Num n) {
            double v = new java.math.BigDecimal(n.num()).divide(new java.math.BigDecimal(n.den()), java.math.MathContext.DECIMAL64)
                    .doubleValue();
            return x -> v;
        }
        if (e instanceof Expr.Pi) {
            return x -> Math.PI;
        }
        if (e instanceof Expr.Euler) {
            return x -> Math.E;
        }
        if (e instanceof Expr.Var) {
            return x -> x;
        }
        if (e instanceof Expr.Add a) {
            List<DoubleUnaryOperator> ts = a.terms().stream().map(SymjaActivationFactory::compile).toList();
            DoubleUnaryOperator[] arr = ts.toArray(new DoubleUnaryOperator[0]);
            return x -> {
                double s = 0;
                for (DoubleUnaryOperator t : arr) {
                    s += t.applyAsDouble(x);
                }
                return s;
            };
        }
        if (e instanceof Expr.Mul m) {
            DoubleUnaryOperator[] arr = m.factors().stream().map(SymjaActivationFactory::compile).toArray(DoubleUnaryOperator[]::new);
            return x -> {
                double s = 1;
                for (DoubleUnaryOperator t : arr) {
                    s *= t.applyAsDouble(x);
                }
                return s;
            };
        }
        if (e instanceof Expr.Sub s) {
            DoubleUnaryOperator a = compile(s.a());
            DoubleUnaryOperator b = compile(s.b());
            return x -> a.applyAsDouble(x) - b.applyAsDouble(x);
        }
        if (e instanceof Expr.Div d) {
            DoubleUnaryOperator a = compile(d.a());
            DoubleUnaryOperator b = compile(d.b());
            return x -> a.applyAsDouble(x) / b.applyAsDouble(x);
        }
        if (e instanceof Expr.Neg n) {
            DoubleUnaryOperator a = compile(n.a());
            return x -> -a.applyAsDouble(x);
        }
        if (e instanceof Expr.Pow p) {
            DoubleUnaryOperator b = compile(p.base());
            if (p.exponent() instanceof Expr.Num n && n.isInteger() && n.num().bitLength() < 8) {
                int k = n.num().intValue();
                return x -> {
                    double v = b.applyAsDouble(x);
                    double r = 1;
                    for (int i = 0; i < Math.abs(k); i++) {
                        r *= v;
                    }
                    return k < 0 ? 1 / r : r;
                };
            }
            if (p.base() instanceof Expr.Euler) {
                DoubleUnaryOperator ex = compile(p.exponent());
                return x -> Math.exp(ex.applyAsDouble(x));
            }
            DoubleUnaryOperator ex = compile(p.exponent());
            return x -> Math.pow(b.applyAsDouble(x), ex.applyAsDouble(x));
        }
        Expr.Call c = (Expr.Call) e;
        DoubleUnaryOperator f = Functions.byName(c.function()).eval();
        DoubleUnaryOperator a = compile(c.argument());
        return x -> f.applyAsDouble(a.applyAsDouble(x));
    }

    /** The activation: a quadrature activation whose spec is {@code fn("EXPR")}. */
    static final class ExpressionActivation extends QuadratureActivation {
        private final String expression;
        private final String symja;
        private final double growth;

        ExpressionActivation(String expression, String symja, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, double[] kinks) {
            super("fn", List.of(), phi, dphi, DEFAULT_DEGREE, kinks);
            this.expression = expression;
            this.symja = symja;
            this.growth = growth(phi);
        }

        /**
         * c with |φ(x)| ≈ exp(c·x²) for large |x|, 0 for slower growth, claimed only from finite
         * values: g(x) = log|φ(x)|/x² is about constant for such φ and falls like log(x)/x² for
         * a polynomial, so c = g(2x) when g(2x) ≥ 0.8·g(x) &gt; 0 at the largest x of 2.5, 5,
         * 10, 20, 40 where φ(x) and φ(2x) both fit a double. A φ that exceeds the double range
         * (x^300 at |x| = 11) is not thereby growing exponentially: its quadrature refuses it
         * with the |x| where φ overflows, or E[φ(u)²] as beyond the double range.
         */
        static double growth(DoubleUnaryOperator phi) {
            double c = 0;
            for (double s : new double[] {-1, 1}) {
                for (double x : new double[] {40, 20, 10, 5, 2.5}) {
                    double v1 = Math.abs(phi.applyAsDouble(x * s));
                    double v2 = Math.abs(phi.applyAsDouble(2 * x * s));
                    if (!Double.isFinite(v1) || !Double.isFinite(v2)) {
                        continue; // undefined or beyond the double range there: no evidence
                    }
                    double g1 = Math.log(Math.max(v1, Double.MIN_NORMAL)) / (x * x);
                    double g2 = Math.log(Math.max(v2, Double.MIN_NORMAL)) / (4 * x * x);
                    if (g2 > 1e-3 && g2 >= 0.8 * g1) {
                        c = Math.max(c, g2);
                    }
                    break;
                }
            }
            return c;
        }

        @Override
        public double mapVariance(double kxx) {
            if (growth > 0 && kxx >= 1 / (4 * growth)) {
                throw Messages.invalid("fn(\"" + expression + "\") grows like exp(" + String.format("%.3g", growth)
                        + "·x²): E[φ(u)²] diverges for a pre-activation variance ≥ " + String.format("%.3g", 1 / (4 * growth))
                        + ", got " + kxx + " (its Gaussian moments diverge)");
            }
            return super.mapVariance(kxx);
        }

        @Override
        public java.util.Optional<String> symbolicForm() {
            // Symja's φ of the checked tree, never the user's text
            return java.util.Optional.of(symja);
        }

        @Override
        public String spec() {
            return "fn(\"" + expression + "\")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExpressionActivation e && e.expression.equals(expression) && e.degree() == degree();
        }

        @Override
        public int hashCode() {
            return expression.hashCode();
        }
    }
}
