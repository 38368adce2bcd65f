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
 * <p>Two modes, one grammar. {@link #parse} reads what Symja prints (any variable name, numbers
 * such as {@code 1.0E-5}). {@link #parseActivation} reads the text a user wrote inside
 * {@code fn("…")} and accepts only the fn language of docs/EXPRESSIONS.md: the variable x, the
 * constants Pi and E, decimal numbers ({@code 12}, {@code 0.5}, {@code .5}, {@code 1.5e-3}),
 * {@code + - * / ^}, parentheses, and the one-argument functions of {@link Functions} called as
 * {@code Sin(x)} or {@code Sin[x]} (names in any case, as in Symja's relaxed syntax), separated
 * by spaces or tabs. Everything else is refused with one line naming the first offending token
 * (at most {@value #TOKEN_SHOWN} characters of it, never more of the text): another name
 * ({@code $Path}, {@code Set}, {@code RandomReal}), another character ({@code & # = : " \ ;
 * , { } ' @ %}, a newline, anything outside printable ASCII), a malformed number
 * ({@code 1.5.5}), a number without an operator before it ({@code 2x}), nesting deeper than
 * {@value #MAX_DEPTH} or text longer than {@value #MAX_LENGTH} characters.
 *
 * <p>Why not Symja's parser: the compiled evaluator ({@link CompiledKernel}) must work from the
 * expressions' text without Symja, which is an optional dependency with about 1 s of start-up;
 * and on the closed-form NTK of an erf network of depth 3 (4,616 characters) this parser took
 * 0.9 ms against 3.5 ms for {@code ExprEvaluator.parse} (3.9×, best of 5 in one JVM on the
 * shared machine), before Symja's tree would still have to be translated into {@link Expr}.
 */
final class ExprParser {
    /** Longest fn expression accepted, in characters. */
    static final int MAX_LENGTH = 2000;
    /** Deepest nesting of parentheses, calls, powers and signs in an fn expression. */
    static final int MAX_DEPTH = 100;
    /** Longest part of an offending token shown in a refusal. */
    static final int TOKEN_SHOWN = 24;

    private final String s;
    /** Whether this reads a user's fn expression (the whitelist) rather than Symja's output. */
    private final boolean strict;
    private int pos;
    private int depth;

    private ExprParser(String s, boolean strict) {
        this.s = s;
        this.strict = strict;
    }

    /**
     * @param text Symja input form
     * @return the tree
     * @throws io.github.ntk4j.Ntk4jException if the text uses something outside the grammar
     */
    static Expr parse(String text) {
        ExprParser p = new ExprParser(text, false);
        Expr e = p.sum();
        p.space();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        }
        return e;
    }

    /**
     * Reads a user's fn expression against the whitelist of the fn language (see the class
     * comment) before anything evaluates it.
     *
     * @param text the text inside {@code fn("…")}
     * @return the tree: only {@link Expr.Var} x, {@link Expr.Num}, {@link Expr.Pi},
     *     {@link Expr.Euler}, the arithmetic nodes and {@link Expr.Call}s of {@link Functions}
     * @throws io.github.ntk4j.InvalidInputException with one line naming the first token outside
     *     the language
     */
    static Expr parseActivation(String text) {
        if (text.length() > MAX_LENGTH) {
            throw Messages.invalid("fn expression of " + text.length() + " characters; at most " + MAX_LENGTH
                    + " are accepted");
        }
        ExprParser p = new ExprParser(text, true);
        p.space();
        if (p.pos == text.length()) {
            throw Messages.empty("fn expression");
        }
        Expr e = p.sum();
        p.space();
        if (p.pos != text.length()) {
            throw p.refuse();
        }
        return e;
    }

    private RuntimeException error(String what) {
        return error(what, "(the fn language: docs/EXPRESSIONS.md)");
    }

    private RuntimeException error(String what, String note) {
        if (strict) {
            return Messages.invalid("fn expression: " + what + " at character " + (pos + 1) + " " + note);
        }
        return Messages.symbolicFailed(s.length() > 200 ? s.substring(0, 200) + "..." : s,
                "cannot compile: " + what + " at offset " + pos);
    }

    /** The refusal of the token at pos, named and bounded. */
    private RuntimeException refuse() {
        if (pos >= s.length()) {
            return error("unexpected end");
        }
        int start = pos;
        String token = token(s, pos);
        char c = s.charAt(start);
        if (isAsciiLetter(c) || c == '$') {
            String lower = token.toLowerCase(Locale.ROOT);
            if (Functions.byName(lower) != null || lower.equals("x") || lower.equals("pi") || lower.equals("e")) {
                return error("unexpected '" + shown(token) + "'");
            }
            return error("'" + shown(token) + "' is not part of the fn language", "(it knows x, Pi, E, decimal numbers, "
                    + "+ - * / ^, parentheses and the functions " + Functions.known() + "; docs/EXPRESSIONS.md)");
        }
        if (c >= 0x21 && c < 0x7f) {
            return error("unexpected '" + shown(token) + "'");
        }
        return error(String.format(Locale.ROOT, "character U+%04X is not part of the fn language", (int) c));
    }

    /** The token starting at i: a name (with a leading $), a number, or one printable character. */
    private static String token(String s, int i) {
        char c = s.charAt(i);
        int end = i + 1;
        if (isAsciiLetter(c) || c == '$' || isAsciiDigit(c) || c == '.') {
            while (end < s.length() && (isAsciiLetter(s.charAt(end)) || isAsciiDigit(s.charAt(end)) || s.charAt(end) == '$'
                    || s.charAt(end) == '.' || s.charAt(end) == '_' || s.charAt(end) == '`')) {
                end++;
            }
        } else if (c == ':' || c == '=' || c == '&' || c == '|' || c == '/' || c == '*' || c == '(' || c == '-' || c == '>') {
            while (end < s.length() && end < i + 3 && "=:&|/*)->".indexOf(s.charAt(end)) >= 0) {
                end++;
            }
        }
        return s.substring(i, end);
    }

    /** At most TOKEN_SHOWN characters of a token, printable ASCII only. */
    private static String shown(String token) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < token.length() && i < TOKEN_SHOWN; i++) {
            char c = token.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return token.length() > TOKEN_SHOWN ? b + "…" : b.toString();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void space() {
        while (pos < s.length() && (strict ? s.charAt(pos) == ' ' || s.charAt(pos) == '\t'
                : Character.isWhitespace(s.charAt(pos)))) {
            pos++;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH && strict) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
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
        enter();
        try {
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
        } finally {
            depth--;
        }
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
        if (strict) {
            return strictAtom(c);
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

    /** An atom of the fn language: a number, x, Pi, E, a call of a known function, or (sum). */
    private Expr strictAtom(char c) {
        int start = pos;
        if (c == '(') {
            pos++;
            Expr e = sum();
            if (!eat(')')) {
                throw pos < s.length() ? refuse() : error("expected ')'");
            }
            return e;
        }
        if (isAsciiDigit(c) || c == '.') {
            return strictNumber();
        }
        if (!isAsciiLetter(c)) {
            throw refuse();
        }
        while (pos < s.length() && (isAsciiLetter(s.charAt(pos)) || isAsciiDigit(s.charAt(pos)))) {
            pos++;
        }
        String name = s.substring(start, pos);
        String lower = name.toLowerCase(Locale.ROOT);
        if (pos < s.length() && (s.charAt(pos) == '$' || s.charAt(pos) == '_' || s.charAt(pos) == '`')) {
            pos = start;
            throw refuse();
        }
        Functions.Function f = Functions.byName(lower);
        if (pos < s.length() && (s.charAt(pos) == '(' || s.charAt(pos) == '[')) {
            if (f == null) {
                if (!lower.equals("x") && !lower.equals("pi") && !lower.equals("e")) {
                    pos = start;
                }
                throw refuse();
            }
            char close = s.charAt(pos) == '(' ? ')' : ']';
            pos++;
            Expr arg = sum();
            space();
            if (pos < s.length() && s.charAt(pos) == ',') {
                throw error(f.symja() + " takes one argument");
            }
            if (!eat(close)) {
                throw pos < s.length() ? refuse() : error("expected '" + close + "'");
            }
            return new Expr.Call(f.symja(), arg);
        }
        switch (lower) {
            case "x":
                return new Expr.Var("x");
            case "pi":
                return new Expr.Pi();
            case "e":
                return new Expr.Euler();
            default:
                if (f != null) {
                    throw error(f.symja() + " needs its argument in brackets right after the name, e.g. " + f.symja() + "(x)");
                }
                pos = start;
                throw refuse();
        }
    }

    /**
     * A decimal number of the fn language: digits with at most one point and an optional
     * exponent (e or E, a sign, digits), whose value must be 0 or a normal double: a constant
     * beyond the double range is refused, never read as Infinity or 0.
     */
    private Expr strictNumber() {
        int start = pos;
        int digits = 0;
        while (pos < s.length() && isAsciiDigit(s.charAt(pos))) {
            pos++;
            digits++;
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            while (pos < s.length() && isAsciiDigit(s.charAt(pos))) {
                pos++;
                digits++;
            }
        }
        if (digits > 0 && pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int e = pos + 1;
            if (e < s.length() && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
                e++;
            }
            if (e < s.length() && isAsciiDigit(s.charAt(e))) {
                pos = e;
                while (pos < s.length() && isAsciiDigit(s.charAt(pos))) {
                    pos++;
                }
            }
        }
        String text = s.substring(start, pos);
        if (digits == 0 || (pos < s.length() && (isAsciiDigit(s.charAt(pos)) || s.charAt(pos) == '.'))) {
            int end = pos;
            while (end < s.length() && (isAsciiDigit(s.charAt(end)) || s.charAt(end) == '.' || isAsciiLetter(s.charAt(end)))) {
                end++;
            }
            pos = start;
            throw error("malformed number '" + shown(s.substring(start, end)) + "'");
        }
        if (pos < s.length() && (isAsciiLetter(s.charAt(pos)) || s.charAt(pos) == '$')) {
            throw error("write '*' between the number '" + shown(text) + "' and '" + shown(token(s, pos)) + "'");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            pos = start;
            throw error("constant out of range: '" + shown(text) + "' does not fit a double");
        }
        if (d.signum() != 0 && (d.compareTo(BigDecimal.valueOf(Double.MIN_NORMAL)) < 0
                || d.compareTo(new BigDecimal(Double.MAX_VALUE)) > 0)) {
            pos = start;
            throw error("constant out of range: '" + shown(text) + "' does not fit a double");
        }
        return number(d);
    }

    private static Expr number(String text) {
        return number(new BigDecimal(text));
    }

    private static Expr number(BigDecimal d) {
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
