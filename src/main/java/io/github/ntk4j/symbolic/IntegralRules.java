package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.net.Activation;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base rules of an activation known only by φ (tanh, sigmoid, softplus, silu, elu, selu,
 * mish, {@code fn("EXPR")}): T, Ṫ and the diagonal written as the Gaussian integrals they are,
 * with φ' = D[φ, x] derived by Symja, and replaced by a closed form where Symja's
 * {@code Integrate} finds one within a time limit.
 *
 * <p>The integrals are written for independent standard normal z1, z2, with
 * (u, v) = (√Σxx·z1, Σxy/√Σxx·z1 + √((ΣxxΣyy − Σxy²)/Σxx)·z2), which has covariance
 * [[Σxx, Σxy], [Σxy, Σyy]] (the Cholesky factor):
 * <pre>
 *   T    = Integrate(φ(u)·φ(v)·e^(−(z1²+z2²)/2)/(2π), {z1,−∞,∞}, {z2,−∞,∞})
 *   Ṫ    = the same with φ'
 *   T(s) = Integrate(φ(√s·z)²·e^(−z²/2)/√(2π), {z,−∞,∞})
 * </pre>
 * rather than with the bivariate density e^(−(Σyy u² − 2Σxy uv + Σxx v²)/(2D))/(2π√D): that
 * one divides by D = ΣxxΣyy − Σxy², which is 0 for collinear inputs and for the diagonal, so
 * it could not be evaluated there and loses digits near there; this one is finite at D = 0.
 *
 * <p>Closed forms. Symja 3.0.0's Integrate is slow on Gaussian integrals: measured on the
 * 2-core build machine, {@code Integrate[x^4*Exp(-x^2/2),{x,0,Infinity}]} took 4 s,
 * {@code Integrate[x^4*Exp(-x^2/(2*s)),{x,0,Infinity}]} stayed unevaluated after 4.8 s, and
 * the symmetric integrals of (√s·z)⁴, tanh(√s·z)², e^(2√s·z), sin(s·z)² against e^(−z²/2) all
 * ran into a 3 s limit. So the one-dimensional diagonal is tried first, within the time limit,
 * and the two-dimensional T and Ṫ only if it came out. A closed form is only used after it
 * agreed with the activation's numeric duals at two covariances (1e-8 relative): Symja's
 * Integrate is not trusted blindly.
 *
 * <p>The rules are templates in placeholder variables; {@link #substitute} puts the program's
 * expressions in textually, never through Symja, whose evaluation would start integrating.
 */
final class IntegralRules {
    /** Relative agreement a closed form from Integrate must reach with the numeric duals. */
    private static final double CLOSED_FORM_CHECK = 1e-8;
    /** Test covariances (Σxx, Σxy, Σyy) for a closed form: generic and nearly equal variances. */
    private static final double[][] CHECK_POINTS = {{1.3, 0.4, 0.8}, {0.6, -0.5, 0.7}};
    private static final Pattern ATOM = Pattern.compile("[a-z][a-z0-9]*|[0-9]+");
    private static final String INTEGRATE = "Integrate(";
    private static final String LIMITS_1D = ",{z,-Infinity,Infinity})";
    private static final String LIMITS_2D = ",{z1,-Infinity,Infinity},{z2,-Infinity,Infinity})";

    private IntegralRules() {
    }

    /**
     * The three rules, in the given placeholder variables.
     *
     * @param pair T (integral or closed form)
     * @param derivative Ṫ
     * @param diagonal T(s, s, s) in the first placeholder
     * @param note one line for the reader: what was found and how the integrals are evaluated
     */
    record Result(String pair, String derivative, String diagonal, String note) {
    }

    /** Whether a rule is an unevaluated integral (not a closed form). */
    static boolean isIntegral(String rule) {
        return rule.startsWith(INTEGRATE);
    }

    /**
     * Builds the rules of an activation from its Symja form φ.
     *
     * @param session the Symja session
     * @param a the activation ({@link Activation#symbolicForm()} present)
     * @param xx placeholder of Σxx
     * @param xy placeholder of Σxy
     * @param yy placeholder of Σyy
     * @param seconds time limit of each Integrate attempt; 0 to skip the attempts
     * @return T, Ṫ, T(s, s, s) and a note
     */
    static Result of(SymjaSession session, Activation a, String xx, String xy, String yy, double seconds) {
        String phi = SymbolicRecursion.rationalize(a.symbolicForm().orElseThrow());
        String dphi;
        try {
            phi = session.eval(phi);
            dphi = session.eval("D[" + phi + ",x]");
        } catch (io.github.ntk4j.Ntk4jException e) {
            throw Messages.invalid("activation " + a.spec() + ": Symja cannot differentiate φ = " + phi + " (" + e.getMessage() + ")");
        }
        String u = "Sqrt(" + xx + ")*z1";
        String v = xy + "/Sqrt(" + xx + ")*z1+Sqrt((" + xx + "*" + yy + "-" + xy + "^2)/" + xx + ")*z2";
        String pair = twoDimensional(session, phi, u, v);
        String derivative = twoDimensional(session, dphi, u, v);
        String diagonal = INTEGRATE + session.eval(at(phi, "Sqrt(" + xx + ")*z") + "^2*Exp(-z^2/2)/Sqrt(2*Pi)")
                + LIMITS_1D;
        String spec = a.spec();
        String numeric = "evaluated numerically by Gauss–Legendre panels over ±9 standard deviations (tested to 1e-9 "
                + "relative or better, docs/LAYERS.md)";
        if (!(seconds > 0)) {
            return new Result(pair, derivative, diagonal, spec + ": T, Ṫ and T(s,s,s) are Gaussian integrals, " + numeric);
        }
        String diagonalClosed = closedForm(session, a, diagonal, GaussianIntegral.Kind.DIAGONAL, List.of(xx), seconds);
        if (diagonalClosed == null) {
            return new Result(pair, derivative, diagonal, spec + ": Symja's Integrate found no closed form of E[φ(u)²] within "
                    + new java.math.BigDecimal(Double.toString(seconds)).stripTrailingZeros().toPlainString() + " s, so T and Ṫ were not tried either; T, Ṫ and T(s,s,s) are Gaussian integrals, " + numeric);
        }
        List<String> ph = List.of(xx, xy, yy);
        String pairClosed = closedForm(session, a, pair, GaussianIntegral.Kind.DUAL, ph, seconds);
        String derivativeClosed = pairClosed == null ? null : closedForm(session, a, derivative, GaussianIntegral.Kind.DERIVATIVE,
                ph, seconds);
        String found = pairClosed == null ? "T(s,s,s) only" : derivativeClosed == null ? "T and T(s,s,s)" : "T, Ṫ and T(s,s,s)";
        String note = spec + ": Symja's Integrate found closed forms of " + found
                + (derivativeClosed == null ? "; the rest are Gaussian integrals, " + numeric : "");
        return new Result(pairClosed != null ? pairClosed : pair, derivativeClosed != null ? derivativeClosed : derivative,
                diagonalClosed, note);
    }

    /** E[f(u)f(v)] for standard normal z1, z2 as an unevaluated Integrate. */
    private static String twoDimensional(SymjaSession session, String f, String u, String v) {
        String integrand = session.eval(at(f, u) + "*" + at(f, v) + "*Exp(-(z1^2+z2^2)/2)/(2*Pi)");
        return INTEGRATE + integrand + LIMITS_2D;
    }

    private static String at(String f, String argument) {
        return "ReplaceAll[" + f + ",x->(" + argument + ")]";
    }

    /**
     * Integrate under a time limit; the closed form if it came out and agrees with the
     * activation's numeric duals, else null.
     */
    private static String closedForm(SymjaSession session, Activation a, String integral, GaussianIntegral.Kind kind,
            List<String> placeholders, double seconds) {
        String r;
        try {
            r = session.eval("TimeConstrained[" + integral + "," + SymjaSession.seconds(seconds) + ",ntkfailed]");
        } catch (io.github.ntk4j.Ntk4jException e) {
            return null;
        }
        if (r.equals("ntkfailed") || r.toLowerCase(Locale.ROOT).contains("integrate") || r.contains("Indeterminate")
                || r.contains("Infinity")) {
            return null;
        }
        for (double[] p : CHECK_POINTS) {
            double want = switch (kind) {
                case DUAL -> a.dual(p[0], p[1], p[2]);
                case DERIVATIVE -> a.dualDerivative(p[0], p[1], p[2]);
                case DIAGONAL -> a.dual(p[0], p[0], p[0]);
            };
            double got;
            try {
                got = kind == GaussianIntegral.Kind.DIAGONAL ? session.numeric(r, placeholders, p[0])
                        : session.numeric(r, placeholders, p[0], p[1], p[2]);
            } catch (io.github.ntk4j.Ntk4jException e) {
                return null;
            }
            if (!(Math.abs(got - want) <= CLOSED_FORM_CHECK * Math.max(Math.abs(want), 1e-300))) {
                return null;
            }
        }
        return r;
    }

    /**
     * An integral rule applied to the program's expressions: they are put into the integrand,
     * which Symja evaluates (tidying numbers such as Sqrt(101/100) on the sphere), and the
     * integral around it stays as written.
     *
     * @param session the Symja session
     * @param rule an integral rule ({@link #isIntegral})
     * @param placeholders placeholder names
     * @param values the expressions, same order
     * @return the integral in the expressions
     */
    static String apply(SymjaSession session, String rule, List<String> placeholders, List<String> values) {
        String limits = rule.endsWith(LIMITS_2D) ? LIMITS_2D : LIMITS_1D;
        String integrand = rule.substring(INTEGRATE.length(), rule.length() - limits.length());
        return INTEGRATE + session.substitute(integrand, placeholders, values) + limits;
    }

    /**
     * Puts expressions in place of the placeholder variables of a rule, as text (an integral
     * must not pass through Symja's evaluation). Each expression is parenthesised unless it is
     * a name or an unsigned integer or already stands alone in brackets.
     *
     * @param rule the rule in the placeholders
     * @param placeholders placeholder names
     * @param values the expressions, same order
     * @return the rule in the expressions
     */
    static String substitute(String rule, List<String> placeholders, List<String> values) {
        String out = rule;
        for (int i = 0; i < placeholders.size(); i++) {
            String v = values.get(i);
            String w = ATOM.matcher(v).matches() ? v : "(" + v + ")";
            String name = Pattern.quote(placeholders.get(i));
            // already in brackets of its own, as in Sqrt(xx): no second pair
            out = Pattern.compile("(?<=\\()" + name + "(?=\\))").matcher(out).replaceAll(Matcher.quoteReplacement(v));
            out = Pattern.compile("\\b" + name + "\\b").matcher(out).replaceAll(Matcher.quoteReplacement(w));
        }
        return out;
    }
}
