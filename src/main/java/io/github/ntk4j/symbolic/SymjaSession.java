package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
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
        quietLogging();
    }

    /**
     * Before any Symja class loads: Log4j2 (used by Symja) would otherwise print "could not find
     * a logging implementation" and, with the simple logger, its ERROR lines on stderr. The
     * properties that silence it are JVM-wide, so they are set only where the host application
     * has not configured Log4j2 itself: not when it names a logger context factory or a
     * configuration file, not when Log4j's core (a real logging backend) is on the class path,
     * not with {@code -Dntk4j.symja.quietLogging=false}, and never over a value already set.
     */
    private static void quietLogging() {
        if ("false".equalsIgnoreCase(System.getProperty("ntk4j.symja.quietLogging"))
                || System.getProperty("log4j2.loggerContextFactory") != null
                || System.getProperty("log4j.configurationFile") != null
                || System.getProperty("log4j2.configurationFile") != null
                || onClassPath("org.apache.logging.log4j.core.LoggerContext")) {
            return;
        }
        setIfAbsent("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        setIfAbsent("org.apache.logging.log4j.simplelog.level", "OFF");
        setIfAbsent("log4j2.simplelogLevel", "OFF");
        setIfAbsent("org.apache.logging.log4j.simplelog.StatusLogger.level", "OFF");
        setIfAbsent("log4j2.statusLoggerLevel", "OFF");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static boolean onClassPath(String name) {
        try {
            Class.forName(name, false, SymjaSession.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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
        String s = seconds(seconds);
        String r = eval("TimeConstrained[Simplify[" + expr + "]," + s + ",TimeConstrained[Together[" + expr + "]," + s + ","
                + expr + "]]");
        // an unevaluated wrapper is never a result: the expression as evaluated is
        return UNEVALUATED.matcher(r).find() ? eval(expr) : r;
    }

    /** Symja's simplification heads, which in a result mean that a call stayed unevaluated. */
    private static final java.util.regex.Pattern UNEVALUATED =
            java.util.regex.Pattern.compile("(?i)\\b(TimeConstrained|Simplify|FullSimplify|Together)\\s*[\\[(]");

    /**
     * A time limit in Symja syntax: a plain decimal ({@code 2}, {@code 0.5}), never Java's
     * exponent form ({@code 1.0E7}, which Symja reads as {@code 1.0*E7}).
     *
     * @param seconds time limit, in (0, {@link SymbolicOptions#MAX_SECONDS}]
     * @return the number as Symja input
     */
    static String seconds(double seconds) {
        if (!(seconds > 0 && seconds <= SymbolicOptions.MAX_SECONDS)) {
            throw Messages.invalid("a Symja time limit must be a number of seconds in (0, " + (int) SymbolicOptions.MAX_SECONDS
                    + "], got " + seconds);
        }
        return new java.math.BigDecimal(Double.toString(seconds)).stripTrailingZeros().toPlainString();
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
        // in a class of its own: its Symja types would otherwise be loaded when this class is
        // verified, and a class path without Symja must still get symjaMissing(), not a
        // NoClassDefFoundError
        return SymjaSeries.compose(evaluator, expr, variable, argument, n);
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
        if ("0".equals(eval("TimeConstrained[Together[" + expr + "]," + seconds(seconds) + ",1]"))) {
            return true;
        }
        if ("0".equals(eval("TimeConstrained[Simplify[" + expr + "]," + seconds(seconds) + ",1]"))) {
            return true;
        }
        return "0".equals(eval("TimeConstrained[FullSimplify[" + expr + "]," + seconds(seconds) + ",1]"));
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
