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
 * {@code fn("EXPR")}: an activation written as an expression in x in Symja syntax. Symja reads
 * the expression and derives φ' = D[φ, x]; both are parsed into ntk4j's own {@link Expr} trees
 * and compiled to closures, so evaluation never calls Symja (Symja is loaded only here, through
 * {@link java.util.ServiceLoader}). The duals are computed by Gauss–Hermite quadrature
 * ({@link QuadratureActivation}).
 *
 * <p>Refused with one line: a syntax error, a variable other than x, a function outside
 * {@link Functions}, a φ or φ' undefined on part of the real line or unbounded near a point
 * ({@link ExpressionDomain}: "is undefined for x &lt; 0", "has a pole at x = 0"), and an
 * activation growing like exp(c·x²) (estimated from |φ| at |x| = 10, 20, 40), whose Gaussian
 * moments diverge: it is accepted, and refused at the first pre-activation variance
 * s ≥ 1/(4c), where E[φ(u)²] = ∞.
 */
public final class SymjaActivationFactory implements ExpressionActivationFactory {

    /** Creates the factory (the service loader calls this). */
    public SymjaActivationFactory() {
    }

    @Override
    public Activation create(String expression) {
        if (expression.contains("\"")) {
            throw Messages.invalid("fn(\"" + expression + "\"): the expression may not contain quotes");
        }
        SymjaSession session = SymjaSession.shared();
        String phi;
        String dphi;
        try {
            phi = session.eval(expression);
            dphi = session.eval("D[" + phi + ",x]");
        } catch (io.github.ntk4j.Ntk4jException e) {
            throw Messages.invalid("fn(\"" + expression + "\"): Symja cannot read it (" + e.getMessage() + ")");
        }
        Expr f = parse(expression, phi);
        Expr df = parse(expression, dphi);
        Set<String> vars = new TreeSet<>();
        variables(f, vars);
        vars.remove("x");
        if (!vars.isEmpty()) {
            throw Messages.invalid("fn(\"" + expression + "\") uses " + String.join(", ", vars)
                    + "; an activation is a function of x alone");
        }
        ExpressionDomain.check(expression, f, df);
        return new ExpressionActivation(expression, compile(f), compile(df));
    }

    private static Expr parse(String expression, String form) {
        try {
            return ExprParser.parse(form);
        } catch (io.github.ntk4j.Ntk4jException e) {
            throw Messages.invalid("fn(\"" + expression + "\"): " + e.getMessage().replaceFirst("^.*cannot compile: ", "cannot evaluate "
                    + form + ": "));
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
        private final double growth;

        ExpressionActivation(String expression, DoubleUnaryOperator phi, DoubleUnaryOperator dphi) {
            super("fn", List.of(), phi, dphi, DEFAULT_DEGREE);
            this.expression = expression;
            this.growth = growth(phi);
        }

        /**
         * c with |φ(x)| ≈ exp(c·x²) for large |x|, 0 for slower growth: g(x) = log|φ(x)|/x² is
         * about constant for such φ and falls like log(x)/x² for polynomials, so c = g(40) when
         * g(40) ≥ 0.8·g(20); a φ that overflows at 40 grows at least like exp(g(20)·x²).
         */
        private static double growth(DoubleUnaryOperator phi) {
            double c = 0;
            for (double s : new double[] {-1, 1}) {
                double v20 = Math.abs(phi.applyAsDouble(20 * s));
                double v40 = Math.abs(phi.applyAsDouble(40 * s));
                if (Double.isNaN(v20) || Double.isNaN(v40)) {
                    continue; // undefined there is not growth: ExpressionDomain refuses it with that reason
                }
                double g20 = Double.isFinite(v20) ? Math.log(Math.max(v20, Double.MIN_NORMAL)) / 400 : Math.log(Double.MAX_VALUE) / 400;
                if (!Double.isFinite(v40)) {
                    c = Math.max(c, g20);
                    continue;
                }
                double g40 = Math.log(Math.max(v40, Double.MIN_NORMAL)) / 1600;
                if (g40 > 1e-3 && g40 >= 0.8 * g20) {
                    c = Math.max(c, g40);
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
            return java.util.Optional.of(expression);
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
