package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InMemoryJava;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.NetworkSpec;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The generated Java class ({@link JavaSource}, {@code derive --format java}) compiled in memory
 * with the JDK's compiler and run, against the numeric engine ({@link NtkRecursion}: an
 * independent algorithm, angle-carrying recursion without Symja) at collinear, nearly collinear
 * and generic inputs; and with hostile user text in every place the
 * source takes it (escaping).
 */
class JavaSourceTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    private static final double[] X = {0.7, -1.3, 2.1};
    private static final double[] Z = {1.1, 0.4, -0.5};

    private static double[] scaled(double[] a, double f) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= f;
        }
        return r;
    }

    private static double[] plus(double[] a, double[] b, double f) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += f * b[i];
        }
        return r;
    }

    /** y = x, 2x, −x; x(1 + ε) and x + ε·z for ε = 1e-9, 1e-12, 1e-15; and a generic y. */
    private static List<double[]> partners() {
        List<double[]> ys = new ArrayList<>(List.of(X, scaled(X, 2), scaled(X, -1)));
        for (double eps : new double[] {1e-9, 1e-12, 1e-15}) {
            ys.add(scaled(X, 1 + eps));
            ys.add(plus(X, Z, eps));
            ys.add(plus(scaled(X, -1), Z, eps));
        }
        ys.add(Z);
        return ys;
    }

    private static String chain(String activation, int depth) {
        StringBuilder sb = new StringBuilder("dense(1.4,0.1)");
        for (int i = 0; i < depth; i++) {
            sb.append(' ').append(activation).append(' ').append(i % 2 == 0 ? "dense(1.2,0.2)" : "dense(0.9,0.3)");
        }
        return sb.toString();
    }

    private static Map<String, Class<?>> compile(Map<String, String> sources) throws Exception {
        Map<String, Class<?>> loaded = new LinkedHashMap<>();
        StringWriter diagnostics = new StringWriter();
        assertTrue(InMemoryJava.compileAll(sources, false, loaded, diagnostics), diagnostics::toString);
        return loaded;
    }

    private static void assertClose(double want, double got, String what) {
        assertEquals(want, got, 1e-12 * Math.abs(want), what);
    }

    /**
     * relu, abrelu and erf chains of depth 1 … 4, straight-line programs: the compiled class's
     * pair(x, y) agrees with the numeric engine to 1e-12 relative at every partner.
     */
    @Test
    void generatedClassAgreesWithTheNumericEngineNearCollinearInputs() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> specs = new LinkedHashMap<>();
        int k = 0;
        for (String act : List.of("relu", "abrelu(-0.3,1.2)", "erf")) {
            for (int depth = 1; depth <= 4; depth++) {
                String spec = chain(act, depth);
                SymbolicKernel kernel = SymbolicRecursion.of(NetworkSpec.parse(spec), SymbolicOptions.defaults()).derive(SESSION);
                String name = "K" + k++;
                sources.put(name, JavaSource.of(kernel, false, name));
                specs.put(name, spec);
            }
        }
        // a reproducer: the depth-3 ReLU chain with W_std = 1, b_std = 0, closed and program forms
        String issue = "dense(1,0) relu dense(1,0) relu dense(1,0) relu dense(1,0)";
        SymbolicKernel issueKernel = SymbolicRecursion.of(NetworkSpec.parse(issue), SymbolicOptions.defaults().withExpanded(true))
                .derive(SESSION);
        sources.put("Issue", JavaSource.of(issueKernel, false, "Issue"));
        specs.put("Issue", issue);
        sources.put("IssueClosed", JavaSource.of(issueKernel, true, "IssueClosed"));
        specs.put("IssueClosed", issue);
        Map<String, Class<?>> classes = compile(sources);
        for (Map.Entry<String, Class<?>> e : classes.entrySet()) {
            String spec = specs.get(e.getKey());
            NtkRecursion engine = NtkRecursion.of(NetworkSpec.parse(spec));
            Method pair = e.getValue().getMethod("pair", double[].class, double[].class);
            List<double[]> ys = partners();
            for (int i = 0; i < ys.size(); i++) {
                double[] y = ys.get(i);
                KernelValue want = engine.pair(X, y);
                double[] got = (double[]) pair.invoke(null, X, y);
                String what = spec + ", partner " + i + " " + java.util.Arrays.toString(y);
                assertClose(want.nngp(), got[0], "nngp of " + what);
                assertClose(want.ntk(), got[1], "ntk of " + what);
            }
        }
    }

    /**
     * Negative control: the same comparison fails for the plain double expressions that
     * {@code --format java} printed before (JavaForm, arccos of the rounded cosine), so the
     * partners above do test the stable form: NaN or digits lost on the depth-3 chain.
     */
    @Test
    void plainDoubleExpressionsFailTheSameComparison() throws Exception {
        String issue = "dense(1,0) relu dense(1,0) relu dense(1,0) relu dense(1,0)";
        SymbolicKernel k = SymbolicRecursion.of(NetworkSpec.parse(issue), SymbolicOptions.defaults()).derive(SESSION);
        StringBuilder src = new StringBuilder("public final class Plain {\n  public static double[] at(double xx, double xy, double yy) {\n");
        for (Statement st : k.program()) {
            src.append("    double ").append(st.name()).append(" = ").append(JavaForm.expression(st.expression())).append(";\n");
        }
        src.append("    return new double[] {").append(JavaForm.expression(k.nngp())).append(", ")
                .append(JavaForm.expression(k.ntk())).append("};\n  }\n}\n");
        Method at = compile(Map.of("Plain", src.toString())).get("Plain").getMethod("at", double.class, double.class, double.class);
        NtkRecursion engine = NtkRecursion.of(NetworkSpec.parse(issue));
        double worst = 0;
        for (double[] y : partners()) {
            KernelValue want = engine.pair(X, y);
            double d = X.length;
            double xx = 0;
            double xy = 0;
            double yy = 0;
            for (int i = 0; i < X.length; i++) {
                xx += X[i] * X[i] / d;
                xy += X[i] * y[i] / d;
                yy += y[i] * y[i] / d;
            }
            double[] got = (double[]) at.invoke(null, xx, xy, yy);
            double err = Math.max(Math.abs(got[0] - want.nngp()) / Math.abs(want.nngp()), Math.abs(got[1] - want.ntk()) / Math.abs(want.ntk()));
            worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : Math.max(worst, err);
        }
        assertTrue(worst > 1e-9, "the plain form loses digits (worst relative error " + worst + ")");
    }

    /**
     * at(xx, xy, yy) at collinear points (xy² = xx·yy exactly in double): the NTK of the depth-1
     * ReLU chain at x = y was off by 2.2e-9 with arccos of the rounded cosine.
     */
    @Test
    void atCollinearPointsKeepsTheDigits() throws Exception {
        String spec = "dense(1,0) relu dense(1,0)";
        SymbolicKernel kernel = SymbolicRecursion.of(NetworkSpec.parse(spec), SymbolicOptions.defaults().withExpanded(true))
                .derive(SESSION);
        Map<String, Class<?>> classes = compile(Map.of("Closed", JavaSource.of(kernel, true, "Closed"), "Program",
                JavaSource.of(kernel, false, "Program")));
        NtkRecursion engine = NtkRecursion.of(NetworkSpec.parse(spec));
        for (Class<?> c : classes.values()) {
            Method at = c.getMethod("at", double.class, double.class, double.class);
            for (double[] p : new double[][] {{1, 1, 1}, {0.5, 0.5, 0.5}, {1, 2, 4}, {1, -1, 1}, {3, -6, 12}}) {
                // the engine on two vectors with exactly that input kernel (d = 1)
                double[] x = {Math.sqrt(p[0])};
                double[] y = {p[1] / Math.sqrt(p[0])};
                KernelValue want = engine.pair(x, y);
                double[] got = (double[]) at.invoke(null, p[0], p[1], p[2]);
                assertClose(want.nngp(), got[0], c.getSimpleName() + " nngp at " + java.util.Arrays.toString(p));
                assertClose(want.ntk(), got[1], c.getSimpleName() + " ntk at " + java.util.Arrays.toString(p));
            }
        }
    }

    /**
     * Hostile user text in every place of the class that takes it (network spec, notes,
     * activation of an integral line): it compiles, no injected statement runs, the values stay
     * right, and the activation's text reaches parseActivation unchanged.
     */
    @Test
    void hostileTextStaysInCommentsAndLiterals() throws Exception {
        String canary = "ntk4j.javasource.injected";
        String inject = "System.setProperty(\"" + canary + "\", \"1\");";
        List<String> hostile = List.of("x(*\\u000a" + inject + "//*)", "\\u000a" + inject, "*/ " + inject + " /*",
                "\\u002a/ " + inject + " /\\u002a", "\n" + inject + "//", "\r" + inject, "\u2028" + inject + "\u2029",
                "\\\\u000a" + inject, "\" + " + inject + " + \"", "\uD83D\uDE00\uD800");
        SymbolicKernel clean = SymbolicRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.2,0.2)"),
                SymbolicOptions.defaults()).derive(SESSION);
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < hostile.size(); i++) {
            String h = hostile.get(i);
            SymbolicKernel k = new SymbolicKernel("dense(1,0) fn(\"" + h + "\") " + h, clean.variables(), clean.program(),
                    clean.nngp(), clean.ntk(), Optional.empty(), Optional.empty(), List.of(), List.of(h, "note " + h));
            String source = JavaSource.of(k, false, "H" + i);
            for (char c : source.toCharArray()) {
                assertTrue(c == '\n' || c >= 0x20 && c <= 0x7e, "ASCII only: U+" + Integer.toHexString(c));
            }
            sources.put("H" + i, source);
        }
        System.clearProperty(canary);
        Map<String, Class<?>> classes = compile(sources);
        KernelValue want = NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.2,0.2)")).pair(X, Z);
        for (Class<?> c : classes.values()) {
            double[] got = (double[]) c.getMethod("pair", double[].class, double[].class).invoke(null, X, Z);
            assertClose(want.nngp(), got[0], c.getSimpleName());
            assertClose(want.ntk(), got[1], c.getSimpleName());
        }
        assertNull(System.getProperty(canary), "injected code ran");
    }
}
