package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.matheclipse.core.basic.Config;
import org.matheclipse.core.basic.ToggleFeature;
import org.matheclipse.core.eval.EvalEngine;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.ISymbol;

/**
 * Where Symja evaluates an fn expression (docs/EXPRESSIONS.md): φ and φ' of text rendered by
 * {@link FnLanguage#symja} from a checked tree, in a sandbox of its own.
 *
 * <ul>
 *   <li>A fresh Symja evaluator per expression, on a thread of its own: its own evaluation
 *       engine and context, so nothing it does is seen by another expression, by
 *       {@link SymjaSession#shared()} or by the caller thread's Symja engine (tested:
 *       {@code xy = 5} in one engine leaves {@code xy} free in the next).</li>
 *   <li>Symja's switches set explicitly, not left to its defaults: file system, Java class
 *       loading and reflection ({@code JavaNew}, {@code LoadJavaClass}, {@code Get}, {@code
 *       ReadString}, … test {@code Config.isFileSystemEnabled}) off, both JVM-wide
 *       ({@code Config.FILESYSTEM_ENABLED}, which Symja ORs with the engine's flag, so a host
 *       that switched it on would otherwise switch it on here) and in the engine;
 *       {@code Config.JAVA_UNSAFE} and Symja's Java compiler ({@code ToggleFeature.COMPILE*})
 *       off. Symja 3.0.0 has no switch for {@code URLFetch}; the whitelist keeps it (and every
 *       other name) out.</li>
 *   <li>A second whitelist: Symja's own parse of the rendered text must consist of x, Pi, E,
 *       integers, fractions, Plus, Times, Power and the functions of {@link Functions}, or
 *       nothing is evaluated.</li>
 *   <li>Limits: {@value #SECONDS} s of wall time for φ and φ' together (then the evaluation is
 *       asked to stop and the expression refused), recursion depth {@value #RECURSION_LIMIT}
 *       and iteration limit {@value #ITERATION_LIMIT} in the engine, and results of at most
 *       {@value #MAX_LEAVES} leaves; the input itself is bounded by {@link ExprParser}
 *       ({@value ExprParser#MAX_LENGTH} characters, depth {@value ExprParser#MAX_DEPTH}).</li>
 *   <li>Output and messages go to a null stream, so Symja prints nothing of its own.</li>
 * </ul>
 */
final class SymjaSandbox {
    /** Wall-clock limit for evaluating φ and φ' of one expression. */
    static final long SECONDS = 10;
    static final int RECURSION_LIMIT = 256;
    static final int ITERATION_LIMIT = 1000;
    static final long MAX_LEAVES = 20_000;

    /**
     * The heads Symja may read in a rendered expression besides the functions of
     * {@link Functions}, lower case: in its relaxed syntax Symja names symbols in lower case.
     */
    private static final Set<String> ARITHMETIC = Set.of("plus", "times", "power");

    private SymjaSandbox() {
    }

    /** φ and φ' as Symja prints them. */
    record Forms(String phi, String derivative) {
    }

    /**
     * Evaluates φ and its derivative almost everywhere (Abs' = Sign, Sign' = 0, as
     * {@link SymjaSession#derivativeAlmostEverywhere} writes it) in a fresh sandbox.
     *
     * @param checked Symja text rendered from a checked tree ({@link FnLanguage#symja})
     * @return φ and φ'
     * @throws io.github.ntk4j.InvalidInputException if the text is outside the language, the
     *     limits are exceeded or Symja fails
     */
    static Forms forms(String checked) {
        return run(SECONDS, engine -> {
            IExpr in = engine.parse(checked);
            requireLanguage(in);
            IExpr phi = engine.eval(in);
            requireSize(phi, "φ");
            String phiText = text(phi);
            IExpr dphi = engine.eval(SymjaSession.derivativeAlmostEverywhere(phiText, "x"));
            requireSize(dphi, "φ'");
            return new Forms(phiText, text(dphi));
        });
    }

    /**
     * For tests only: evaluates text in a sandboxed engine WITHOUT the whitelist, to show that
     * the switches themselves hold (file and Java functions stay unevaluated).
     *
     * @param input Symja input
     * @param seconds the time limit
     * @return the result as text
     */
    static String evaluateUnchecked(String input, long seconds) {
        return run(seconds, engine -> text(engine.eval(input)));
    }

    /** Whether the switches this class sets are off now. */
    static boolean switchesOff() {
        return !Config.FILESYSTEM_ENABLED && !Config.JAVA_UNSAFE && !ToggleFeature.COMPILE && !ToggleFeature.COMPILE_WITH_JAVAPARSER;
    }

    private interface Work<T> {
        T apply(ExprEvaluator engine);
    }

    private static <T> T run(long seconds, Work<T> work) {
        SymjaSession.requireAvailable();
        EvalEngine[] engine = new EvalEngine[1];
        CountDownLatch ready = new CountDownLatch(1);
        FutureTask<T> task = new FutureTask<>(() -> {
            ExprEvaluator ev;
            try {
                ev = sandboxed();
                engine[0] = ev.getEvalEngine();
                warmUp(ev);
            } finally {
                ready.countDown();
            }
            return work.apply(ev);
        });
        Thread t = new Thread(task, "ntk4j-fn-symja");
        t.setDaemon(true);
        t.start();
        try {
            // Symja's start-up (class loading, seconds on a busy machine) is not the expression's time
            ready.await();
            return task.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            if (engine[0] != null) {
                engine[0].stopRequest();
            }
            t.interrupt();
            throw Messages.invalid("fn expression: Symja did not finish within " + seconds + " s");
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw Messages.interrupted("fn expression", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof io.github.ntk4j.Ntk4jException n) {
                throw n;
            }
            String m = c == null || c.getMessage() == null ? String.valueOf(c) : c.getMessage();
            throw Messages.invalid("fn expression: Symja cannot evaluate it (" + (m.length() > 80 ? m.substring(0, 80) + "…" : m)
                    + ")");
        }
    }

    private static volatile boolean warm;

    /**
     * The first evaluation in a JVM loads most of Symja's classes (about 1 s alone, several on a
     * busy machine): done once with a fixed input, outside the expression's time limit.
     */
    private static void warmUp(ExprEvaluator ev) {
        if (!warm) {
            ev.eval(SymjaSession.derivativeAlmostEverywhere("Sin[x]*E^x/(1+x^2)+Abs[x]", "x"));
            warm = true;
        }
    }

    /**
     * Sets Symja's security switches off, JVM-wide and in one engine: file system, Java class
     * loading and reflection ({@code Config.FILESYSTEM_ENABLED}, which Symja ORs with the
     * engine's own flag), {@code Config.JAVA_UNSAFE}, Symja's Java compiler. Every evaluator
     * ntk4j makes (this sandbox's and {@link SymjaSession}'s) goes through here.
     *
     * @param engine the engine
     */
    static void switchOff(EvalEngine engine) {
        Config.FILESYSTEM_ENABLED = false;
        Config.JAVA_UNSAFE = false;
        ToggleFeature.COMPILE = false;
        ToggleFeature.COMPILE_WITH_JAVAPARSER = false;
        engine.setFileSystemEnabled(false);
        engine.setPackageMode(false);
    }

    /** A fresh evaluator with the switches off (on the calling, sandbox thread). */
    private static ExprEvaluator sandboxed() {
        ExprEvaluator ev = new ExprEvaluator(true, (short) 0);
        EvalEngine engine = ev.getEvalEngine();
        switchOff(engine);
        engine.setRecursionLimit(RECURSION_LIMIT);
        engine.setIterationLimit(ITERATION_LIMIT);
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        engine.setOutPrintStream(silent);
        engine.setErrorPrintStream(silent);
        engine.setQuietMode(true);
        return ev;
    }

    /** Symja's parse of rendered text must be in the language, or nothing is evaluated. */
    private static void requireLanguage(IExpr e) {
        if (e.isInteger() || e.isFraction()) {
            return;
        }
        if (e.isSymbol()) {
            ISymbol s = (ISymbol) e;
            String name = s.getSymbolName().toLowerCase(Locale.ROOT);
            boolean ok = s.isBuiltInSymbol() ? name.equals("pi") || name.equals("e") : name.equals("x");
            if (!ok) {
                throw outside(name);
            }
            return;
        }
        if (e.isAST()) {
            IAST a = (IAST) e;
            IExpr head = a.head();
            String name = head.isSymbol() ? ((ISymbol) head).getSymbolName().toLowerCase(Locale.ROOT) : "";
            if (!head.isBuiltInSymbol() || !(ARITHMETIC.contains(name) || (Functions.byName(name) != null && a.argSize() == 1))) {
                throw outside(name.isEmpty() ? "a compound head" : name);
            }
            for (int i = 1; i <= a.argSize(); i++) {
                requireLanguage(a.getAt(i));
            }
            return;
        }
        throw outside("an atom of another kind");
    }

    private static RuntimeException outside(String what) {
        String w = what.length() > 24 ? what.substring(0, 24) + "…" : what;
        return Messages.invalid("fn expression: Symja read '" + w + "', which is outside the fn language; nothing was evaluated");
    }

    private static void requireSize(IExpr e, String what) {
        if (e.leafCount() > MAX_LEAVES) {
            throw Messages.invalid(String.format(Locale.ROOT, "fn expression: Symja's %s has more than %d leaves", what, MAX_LEAVES));
        }
    }

    private static String text(IExpr e) {
        // Symja breaks long output into lines of about 80 characters (between tokens)
        return e.toString().replace("\\\n", "").replace("\n", "");
    }
}
