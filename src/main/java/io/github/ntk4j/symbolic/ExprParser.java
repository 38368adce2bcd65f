package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads Symja's input form (as {@code IExpr.toString()} prints it, e.g.
 * {@code (Sqrt(1-u^2)+u*(Pi-ArcCos(u)))/(2*Pi)}) into an {@link Expr}. Grammar, with the
 * usual precedence (^ binds tighter than unary minus and is right-associative):
 * <pre>
 *   sum     = product { ("+" | "-") product }
 *   product = unary { ("*" | "/") unary }
 *   unary   = "-" unary | power
 *   power   = atom [ "^" unary ]
 *   atom    = number | name | name ("(" | "[") sum ("]" | ")") | "(" sum ")"
 * </pre>
 * Decimal numbers are read as the exact rational they denote.
 *
 * <p>Why not Symja's parser: the compiled evaluator ({@link CompiledKernel}) must work from the
 * expressions' text without Symja, which is an optional dependency with about 1 s of start-up;
 * and on the closed-form NTK of an erf network of depth 3 (4,616 characters) this parser took
 * 0.9 ms against 3.5 ms for {@code ExprEvaluator.parse} (3.9×, best of 5 in one JVM on the
 * shared machine), before Symja's tree would still have to be translated into {@link Expr}.
 */
final class ExprParser {
    private final String s;
    private int pos;

    private ExprParser(String s) {
        this.s = s;
    }

    /**
     * @param text Symja input form
     * @return the tree
     * @throws io.github.ntk4j.Ntk4jException if the text uses something outside the grammar
     */
    static Expr parse(String text) {
        ExprParser p = new ExprParser(text);
        Expr e = p.sum();
        p.space();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return e;
    }

    private RuntimeException error(String what) {
        return Messages.symbolicFailed(s.length() > 200 ? s.substring(0, 200) + "..." : s,
                "cannot compile: " + what + " at offset " + pos);
    }

    private void space() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private boolean eat(char c) {
        space();
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Expr sum() {
        List<Expr> terms = new ArrayList<>();
        terms.add(product());
        while (true) {
            if (eat('+')) {
                terms.add(product());
            } else if (eat('-')) {
                Expr b = product();
                Expr a = terms.size() == 1 ? terms.get(0) : new Expr.Add(List.copyOf(terms));
                terms.clear();
                terms.add(new Expr.Sub(a, b));
            } else {
                return terms.size() == 1 ? terms.get(0) : new Expr.Add(List.copyOf(terms));
            }
        }
    }

    private Expr product() {
        Expr acc = unary();
        List<Expr> factors = new ArrayList<>();
        factors.add(acc);
        while (true) {
            if (eat('*')) {
                factors.add(unary());
            } else if (eat('/')) {
                Expr b = unary();
                Expr a = factors.size() == 1 ? factors.get(0) : new Expr.Mul(List.copyOf(factors));
                factors.clear();
                factors.add(new Expr.Div(a, b));
            } else {
                return factors.size() == 1 ? factors.get(0) : new Expr.Mul(List.copyOf(factors));
            }
        }
    }

    private Expr unary() {
        if (eat('-')) {
            return new Expr.Neg(unary());
        }
        if (eat('+')) {
            return unary();
        }
        Expr base = atom();
        if (eat('^')) {
            return new Expr.Pow(base, unary());
        }
        return base;
    }

    private Expr atom() {
        space();
        if (pos >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(pos);
        if (c == '(') {
            pos++;
            Expr e = sum();
            if (!eat(')')) {
                throw error("expected ')'");
            }
            return e;
        }
        if (Character.isDigit(c) || c == '.') {
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'E' || s.charAt(pos) == 'e') && pos + 1 < s.length()
                    && (Character.isDigit(s.charAt(pos + 1)) || s.charAt(pos + 1) == '-')) {
                pos += 2;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            return number(s.substring(start, pos));
        }
        if (Character.isLetter(c)) {
            int start = pos;
            while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                pos++;
            }
            String name = s.substring(start, pos);
            String lower = name.toLowerCase(Locale.ROOT);
            if (pos < s.length() && (s.charAt(pos) == '(' || s.charAt(pos) == '[')) {
                char close = s.charAt(pos) == '(' ? ')' : ']';
                if (Functions.byName(lower) == null) {
                    throw error("function " + name + " is not supported (supported: " + Functions.known() + ")");
                }
                pos++;
                Expr arg = sum();
                if (!eat(close)) {
                    throw error("expected '" + close + "' (functions of one argument only)");
                }
                return new Expr.Call(Functions.byName(lower).symja(), arg);
            }
            if (lower.equals("pi")) {
                return new Expr.Pi();
            }
            if (lower.equals("e")) {
                return new Expr.Euler();
            }
            if (lower.equals("i") || lower.equals("infinity") || lower.equals("complexinfinity")
                    || lower.equals("indeterminate")) {
                throw error("constant " + name + " is not supported");
            }
            return new Expr.Var(lower);
        }
        throw error("unexpected '" + c + "'");
    }

    private static Expr number(String text) {
        BigDecimal d = new BigDecimal(text);
        BigInteger num;
        BigInteger den;
        if (d.scale() <= 0) {
            num = d.toBigIntegerExact();
            den = BigInteger.ONE;
        } else {
            num = d.unscaledValue();
            den = BigInteger.TEN.pow(d.scale());
            BigInteger g = num.gcd(den);
            if (g.signum() != 0) {
                num = num.divide(g);
                den = den.divide(g);
            }
        }
        return new Expr.Num(num, den);
    }
}
