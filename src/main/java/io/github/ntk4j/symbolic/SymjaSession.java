package io.github.ntk4j.symbolic;

import io.github.ntk4j.Messages;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.interfaces.IExpr;

/**
 * The one place where ntk4j talks to the Symja computer-algebra system
 * (matheclipse-core 3.0.0, see docs/SYMBOLIC.md, Symja notes). Everything goes in and out as Symja
 * input-syntax strings, so no Symja type appears in any other ntk4j class: the CLI's
 * {@code kernel} and {@code gram} commands never load a Symja class and start in a fraction
 * of a second, while {@code derive} pays Symja's ~1 s start-up once.
 *
 * <p>Symja runs in its relaxed syntax: function arguments may be written in square or round
 * brackets, and symbol names are case-insensitive (they print in lower case), which is why
 * every name ntk4j generates is lower case ({@code xx}, {@code k1xy}, {@code w1}).
 *
 * <p>A session is not thread-safe; {@link #shared()} gives the process-wide one, created on
 * first use. Assignments are never made in it (every substitution is a {@code ReplaceAll}),
 * so calls do not influence each other.
 */
public final class SymjaSession {
    static {
        // Before any Symja class loads: Log4j2 (used by Symja) would otherwise print "could not
        // find a logging implementation" and, with the simple logger, its ERROR lines on stderr.
        System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        System.setProperty("org.apache.logging.log4j.simplelog.level", "OFF");
        System.setProperty("log4j2.simplelogLevel", "OFF");
        System.setProperty("org.apache.logging.log4j.simplelog.StatusLogger.level", "OFF");
        System.setProperty("log4j2.statusLoggerLevel", "OFF");
    }

    /** With -Dntk4j.symja.trace=true every Symja call is timed on stderr (for measuring). */
    private static final boolean TRACE = Boolean.getBoolean("ntk4j.symja.trace");

    private static SymjaSession shared;

    private final ExprEvaluator evaluator;

    private SymjaSession() {
        evaluator = new ExprEvaluator();
        // Symja prints messages ("$RecursionLimit ...", timeouts) on these streams; our users
        // get results or one error line from us instead.
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        evaluator.getEvalEngine().setOutPrintStream(silent);
        evaluator.getEvalEngine().setErrorPrintStream(silent);
        evaluator.getEvalEngine().setQuietMode(true);
    }

    /**
     * Starts a new, independent session (about 1 s: Symja's start-up).
     *
     * @return the session
     */
    public static SymjaSession start() {
        requireSymja();
        return new SymjaSession();
    }

    /**
     * Whether Symja is on the class path: it is an optional dependency, which only the symbolic
     * package needs.
     *
     * @return true when Symja's evaluator can be loaded
     */
    public static boolean available() {
        try {
            Class.forName("org.matheclipse.core.eval.ExprEvaluator", false, SymjaSession.class.getClassLoader());
            Class.forName("edu.jas.kern.ComputerThreads", false, SymjaSession.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void requireSymja() {
        if (!available()) {
            throw Messages.symjaMissing();
        }
    }

    /**
     * The process-wide session, started on first use.
     *
     * @return the shared session
     */
    public static synchronized SymjaSession shared() {
        if (shared == null) {
            requireSymja();
            shared = new SymjaSession();
        }
        return shared;
    }

    /**
     * Stops the non-daemon thread pool of JAS (a Symja dependency) so that the JVM can exit as
     * soon as the work is done (without it, it lingers for 60 s; docs/SYMBOLIC.md, Symja notes). A later
     * Symja call starts the pool again.
     */
    public static void shutdownThreads() {
        if (shared == null && !available()) {
            return;
        }
        edu.jas.kern.ComputerThreads.terminate();
    }

    /**
     * Evaluates Symja input and returns the result in Symja's input form
     * (e.g. {@code (Sqrt(1-u^2)+u*(Pi-ArcCos(u)))/(2*Pi)}).
     *
     * @param input Symja input syntax
     * @return the result as input-form text
     * @throws io.github.ntk4j.Ntk4jException if Symja rejects the input or fails
     */
    public synchronized String eval(String input) {
        // Symja breaks long output into lines of about 80 characters (between tokens)
        return evaluate(input).toString().replace("\\\n", "").replace("\n", "");
    }

    private IExpr evaluate(String input) {
        IExpr r;
        long start = TRACE ? System.nanoTime() : 0;
        try {
            r = evaluator.eval(input);
            if (TRACE) {
                System.err.printf("[symja %7.1f ms] %s%n", (System.nanoTime() - start) / 1e6, shorten(input));
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw Messages.symbolicFailed(shorten(input), String.valueOf(e.getMessage()));
        }
        if (r == null) {
            throw Messages.symbolicFailed(shorten(input), "no result");
        }
        return r;
    }

    /**
     * Simplifies an expression, giving up after a time limit. On timeout it falls back to
     * {@code Together} (one fraction over a common denominator: a small part of Simplify's
     * work, which already gives e.g. (2πu + √(1−u²) − 2u arccos u)/(2π)) under the same limit,
     * and after that to the expression as evaluated (unsimplified but equal).
     *
     * @param expr Symja expression
     * @param seconds time limit in seconds (may be fractional)
     * @return the simplified expression
     */
    public String simplify(String expr, double seconds) {
        return eval("TimeConstrained[Simplify[" + expr + "]," + seconds + ",TimeConstrained[Together[" + expr + "],"
                + seconds + "," + expr + "]]");
    }

    /**
     * The derivative of an expression, simplified within a time limit.
     *
     * @param expr Symja expression
     * @param variable variable name
     * @param seconds time limit for the simplification
     * @return ∂expr/∂variable
     */
    public String derivative(String expr, String variable, double seconds) {
        String d = eval("D[" + expr + "," + variable + "]");
        return simplify(d, seconds);
    }

    /**
     * Substitutes expressions for variables ({@code ReplaceAll}, all at once) and evaluates.
     *
     * @param expr Symja expression
     * @param variables variable names
     * @param values the expressions to put in their place, same order
     * @return the evaluated result
     */
    public String substitute(String expr, List<String> variables, List<String> values) {
        StringBuilder rules = new StringBuilder("{");
        for (int i = 0; i < variables.size(); i++) {
            rules.append(i == 0 ? "" : ",").append(variables.get(i)).append("->(").append(values.get(i)).append(')');
        }
        return eval("ReplaceAll[" + expr + "," + rules.append('}') + "]");
    }

    /**
     * The first n Maclaurin coefficients of an expression in one variable, exact.
     *
     * @param expr Symja expression
     * @param variable the series variable
     * @param n number of coefficients (of variable^0 … variable^(n−1))
     * @return n coefficient expressions, missing trailing ones filled with "0"
     */
    public List<String> maclaurin(String expr, String variable, int n) {
        String list = "CoefficientList[Normal[Series[" + expr + ",{" + variable + ",0," + (n - 1) + "}]]," + variable + "]";
        IExpr r = evaluate("Map[Simplify," + list + "]");
        List<String> out = new ArrayList<>();
        if (r.isList()) {
            for (int i = 1; i <= r.argSize() && out.size() < n; i++) {
                out.add(r.getAt(i).toString());
            }
        } else {
            throw Messages.symbolicFailed(shorten(list), "no coefficient list");
        }
        while (out.size() < n) {
            out.add("0");
        }
        return out;
    }

    /**
     * The first n Maclaurin coefficients (in u) of {@code expr} with {@code variable} replaced
     * by the power series {@code argument}(u), by arithmetic on truncated power series over the
     * expression tree, never by differentiating a closed form: sums and products coefficient by
     * coefficient (Cauchy products), a^e for a constant e by the recurrence of
     * y = a^e, a·y' = e·a'·y, i.e. y_k = (1/(k a₀)) Σ_{j=1..k} (e j − (k − j)) a_j y_{k−j}
     * (Knuth, TAOCP vol. 2, §4.7), and ArcSin/ArcCos by integrating ±a'·(1 − a²)^(−1/2).
     * Coefficients are exact Symja expressions; each is evaluated once.
     *
     * @param expr Symja expression in {@code variable} (numbers, Pi, Plus, Times, Power, Sqrt,
     *     ArcSin, ArcCos)
     * @param variable the variable
     * @param argument its series, n coefficients
     * @param n number of coefficients
     * @return n coefficients of expr(argument(u))
     * @throws io.github.ntk4j.Ntk4jException for a function the series arithmetic does not
     *     cover, or a power not analytic at the expansion point
     */
    public synchronized List<String> composeSeries(String expr, String variable, List<String> argument, int n) {
        IExpr tree = evaluate(expr);
        IExpr x = evaluate(variable);
        List<IExpr> arg = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            arg.add(evaluate(argument.get(i)));
        }
        List<IExpr> r = series(tree, x, arg, n);
        List<String> out = new ArrayList<>(n);
        for (IExpr c : r) {
            out.add(c.toString().replace("\\\n", "").replace("\n", ""));
        }
        return out;
    }

    private List<IExpr> series(IExpr e, IExpr x, List<IExpr> arg, int n) {
        if (e.equals(x)) {
            return arg;
        }
        if (e.isFree(x)) {
            return constant(e, n);
        }
        if (e.isPlus()) {
            List<IExpr> acc = series(e.getAt(1), x, arg, n);
            for (int i = 2; i <= e.argSize(); i++) {
                List<IExpr> t = series(e.getAt(i), x, arg, n);
                List<IExpr> sum = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    sum.add(ev(org.matheclipse.core.expression.F.Plus(acc.get(k), t.get(k))));
                }
                acc = sum;
            }
            return acc;
        }
        if (e.isTimes()) {
            List<IExpr> acc = series(e.getAt(1), x, arg, n);
            for (int i = 2; i <= e.argSize(); i++) {
                acc = product(acc, series(e.getAt(i), x, arg, n), n);
            }
            return acc;
        }
        if (e.isPower() && e.getAt(2).isFree(x)) {
            return power(series(e.getAt(1), x, arg, n), e.getAt(2), n);
        }
        String head = e.head().toString().toLowerCase(java.util.Locale.ROOT);
        if ((head.equals("arcsin") || head.equals("arccos")) && e.argSize() == 1) {
            List<IExpr> a = series(e.getAt(1), x, arg, n);
            // y' = ±a' (1 − a²)^(−1/2)
            List<IExpr> oneMinusA2 = product(a, a, n);
            for (int k = 0; k < n; k++) {
                oneMinusA2.set(k, ev(org.matheclipse.core.expression.F.Subtract(k == 0 ? org.matheclipse.core.expression.F.C1
                        : org.matheclipse.core.expression.F.C0, oneMinusA2.get(k))));
            }
            List<IExpr> s = power(oneMinusA2, org.matheclipse.core.expression.F.CN1D2, n);
            List<IExpr> da = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                da.add(k + 1 < n ? ev(org.matheclipse.core.expression.F.Times(org.matheclipse.core.expression.F.ZZ(k + 1L),
                        a.get(k + 1))) : org.matheclipse.core.expression.F.C0);
            }
            List<IExpr> dy = product(da, s, n);
            List<IExpr> y = new ArrayList<>(n);
            y.add(ev(org.matheclipse.core.expression.F.unaryAST1(e.head(), a.get(0))));
            IExpr sign = head.equals("arcsin") ? org.matheclipse.core.expression.F.C1 : org.matheclipse.core.expression.F.CN1;
            for (int k = 1; k < n; k++) {
                y.add(ev(org.matheclipse.core.expression.F.Times(sign, org.matheclipse.core.expression.F.QQ(1, k),
                        dy.get(k - 1))));
            }
            return y;
        }
        throw Messages.symbolicFailed(shorten(e.toString()), "no power-series rule for " + e.head());
    }

    /**
     * Evaluates one series coefficient and expands it: a sum of products of numbers, radicals,
     * π and the inverse trigonometric constants. Without it equal radicals (√(2/11) and
     * 1/√22) are not combined and every coefficient nests the ones before it (measured: a
     * depth-1 ReLU coefficient of order 5 was 400 characters unexpanded, 40 expanded).
     */
    private IExpr ev(IExpr e) {
        try {
            return evaluator.eval(org.matheclipse.core.expression.F.Expand(e));
        } catch (RuntimeException | StackOverflowError ex) {
            throw Messages.symbolicFailed(shorten(e.toString()), String.valueOf(ex.getMessage()));
        }
    }

    private List<IExpr> constant(IExpr c, int n) {
        List<IExpr> out = new ArrayList<>(n);
        out.add(ev(c));
        for (int k = 1; k < n; k++) {
            out.add(org.matheclipse.core.expression.F.C0);
        }
        return out;
    }

    private List<IExpr> product(List<IExpr> a, List<IExpr> b, int n) {
        List<IExpr> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            org.matheclipse.core.interfaces.IASTAppendable sum = org.matheclipse.core.expression.F.PlusAlloc(k + 1);
            for (int j = 0; j <= k; j++) {
                if (!a.get(j).isZero() && !b.get(k - j).isZero()) {
                    sum.append(org.matheclipse.core.expression.F.Times(a.get(j), b.get(k - j)));
                }
            }
            out.add(sum.argSize() == 0 ? org.matheclipse.core.expression.F.C0 : ev(sum.oneIdentity0()));
        }
        return out;
    }

    /** y = a^e by y_k = (1/(k a₀)) Σ_{j=1..k} (e j − (k − j)) a_j y_{k−j}. */
    private List<IExpr> power(List<IExpr> a, IExpr exponent, int n) {
        IExpr e = ev(exponent);
        IExpr a0 = a.get(0);
        if (a0.isZero()) {
            if (e.isInteger() && ((org.matheclipse.core.interfaces.IInteger) e).isPositive()) {
                int m = ((org.matheclipse.core.interfaces.IInteger) e).toIntDefault();
                List<IExpr> y = constant(org.matheclipse.core.expression.F.C1, n);
                for (int i = 0; i < m; i++) {
                    y = product(y, a, n);
                }
                return y;
            }
            throw Messages.symbolicFailed("power " + e, "not analytic where its base is 0");
        }
        List<IExpr> y = new ArrayList<>(n);
        y.add(ev(org.matheclipse.core.expression.F.Power(a0, e)));
        for (int k = 1; k < n; k++) {
            org.matheclipse.core.interfaces.IASTAppendable sum = org.matheclipse.core.expression.F.PlusAlloc(k);
            for (int j = 1; j <= k; j++) {
                if (!a.get(j).isZero() && !y.get(k - j).isZero()) {
                    IExpr factor = org.matheclipse.core.expression.F.Subtract(
                            org.matheclipse.core.expression.F.Times(e, org.matheclipse.core.expression.F.ZZ(j)),
                            org.matheclipse.core.expression.F.ZZ(k - j));
                    sum.append(org.matheclipse.core.expression.F.Times(factor, a.get(j), y.get(k - j)));
                }
            }
            y.add(sum.argSize() == 0 ? org.matheclipse.core.expression.F.C0
                    : ev(org.matheclipse.core.expression.F.Times(org.matheclipse.core.expression.F.QQ(1, k),
                            org.matheclipse.core.expression.F.Power(a0, org.matheclipse.core.expression.F.CN1),
                            sum.oneIdentity0())));
        }
        return y;
    }

    /**
     * The expression in TeX.
     *
     * @param expr Symja expression
     * @return TeX text
     */
    public String tex(String expr) {
        return eval("TeXForm[" + expr + "]");
    }

    /**
     * Evaluates an expression to a double (Symja's N[]).
     *
     * @param expr a closed Symja expression (no free variables)
     * @return its value
     * @throws io.github.ntk4j.Ntk4jException if the result is not a real number
     */
    public synchronized double numeric(String expr) {
        IExpr r = evaluate("N[" + expr + "]");
        if (!r.isReal()) {
            throw Messages.symbolicFailed(shorten(expr), "not a real number: " + shorten(r.toString()));
        }
        return r.evalf();
    }

    /**
     * Evaluates an expression at a point to a double: the values enter as the exact rationals
     * the doubles are, so nothing is lost to printing them, and N[] evaluates the result.
     *
     * @param expr Symja expression in the variables
     * @param variables variable names
     * @param values their values, same order
     * @return the value
     */
    public double numeric(String expr, List<String> variables, double... values) {
        List<String> exact = new ArrayList<>();
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw Messages.notFinite("value", v);
            }
            java.math.BigDecimal d = new java.math.BigDecimal(v);
            java.math.BigInteger num = d.unscaledValue();
            java.math.BigInteger den = java.math.BigInteger.TEN.pow(Math.max(d.scale(), 0));
            if (d.scale() < 0) {
                num = num.multiply(java.math.BigInteger.TEN.pow(-d.scale()));
            }
            exact.add(num + "/" + den);
        }
        StringBuilder rules = new StringBuilder("{");
        for (int i = 0; i < variables.size(); i++) {
            rules.append(i == 0 ? "" : ",").append(variables.get(i)).append("->(").append(exact.get(i)).append(')');
        }
        return numeric("ReplaceAll[" + expr + "," + rules.append('}') + "]");
    }

    /**
     * Whether Symja can show that an expression is identically zero: Together (fast, and
     * enough when the terms differ only in arrangement), then Simplify, then FullSimplify,
     * each within the time limit.
     *
     * @param expr Symja expression
     * @param seconds time limit per attempt
     * @return true if it simplified to 0
     */
    public boolean simplifiesToZero(String expr, double seconds) {
        if ("0".equals(eval("TimeConstrained[Together[" + expr + "]," + seconds + ",1]"))) {
            return true;
        }
        if ("0".equals(eval("TimeConstrained[Simplify[" + expr + "]," + seconds + ",1]"))) {
            return true;
        }
        return "0".equals(eval("TimeConstrained[FullSimplify[" + expr + "]," + seconds + ",1]"));
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
