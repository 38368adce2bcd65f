package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;
import org.junit.jupiter.api.Test;

/**
 * The integrals {@code derive} prints for activations known only by φ are the right ones: the
 * printed straight-line program is read back (ntk4j's own reader of Symja's input form), each
 * {@code Integrate(…)} line is integrated by a quadrature written here (Hipparchus' adaptive
 * Gauss–Legendre, nested, on [−12, 12]², a different algorithm from the engine's fixed panels),
 * and the result is compared with the numeric engine ({@link NtkRecursion}) and, for a φ whose
 * Gaussian moments are known in closed form, with those.
 *
 * <p>Accuracy asked: 1e-9 relative, the accuracy docs/LAYERS.md states for the quadrature
 * activations. Inputs: generic, nearly collinear (relative perturbation 1e-7), identical (D = 0,
 * where the bivariate density would divide by zero) and nearly anti-collinear.
 */
class IntegralFormsTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    private static final double TOLERANCE = 1e-9;
    private static final double[][][] PAIRS = {
        {{0.8, -1.1, 0.4}, {0.3, 0.9, -1.2}},
        {{0.8, -1.1, 0.4}, {0.8 * (1 + 1e-7), -1.1, 0.4 * (1 - 1e-7)}},
        {{1.3, 0.2, -0.7}, {1.3, 0.2, -0.7}},
        {{1.3, 0.2, -0.7}, {-1.3, -0.2, 0.7 + 1e-6}},
    };

    private static SymbolicKernel derive(String spec, double integrateSeconds) {
        return SymbolicRecursion.of(NetworkSpec.parse(spec), SymbolicOptions.defaults().withIntegrateSeconds(integrateSeconds))
                .derive(SESSION);
    }

    /**
     * Two tanh layers, so the second layer's integrals take the first layer's integrals as their
     * covariances: the printed program, evaluated line by line with the integrals integrated
     * here, gives the engine's K and Θ. Symja's Integrate is tried (0.3 s) and finds no closed
     * form, and the note says so.
     */
    @Test
    void tanhProgramEvaluatesToTheNumericEngine() {
        String spec = "dense(1.2,0.1) tanh dense(0.9,0.2) tanh dense(1.1,0.05)";
        SymbolicKernel k = derive(spec, 0.3);
        assertTrue(k.notes().size() == 1 && k.notes().get(0).contains("found no closed form"), k.notes().toString());
        assertEquals(8, k.integrals().size(), "T(x,x), T(y,y), T, Ṫ per tanh layer: " + k.integrals());
        assertTrue(k.program().stream().anyMatch(s -> s.name().equals("td2") && s.expression().contains("Sech(")),
                "Ṫ is written with φ' = D[Tanh(x), x] = Sech(x)^2: " + k.program());
        checkAgainstEngine(k, NetworkSpec.parse(spec));
    }

    /**
     * fn("Sin(x)+x^2/4"): each integral against its closed form (independent of both engines),
     * T = e^{−(a+b)/2} sinh c + (ab + 2c²)/16 and Ṫ = e^{−(a+b)/2} cosh c + c/4 for the
     * covariance [[a, c], [c, b]] (E[sin u sin v] = e^{−(a+b)/2} sinh c, E[u²v²] = ab + 2c²,
     * E[cos u cos v] = e^{−(a+b)/2} cosh c, odd moments vanish), then the whole network against
     * the engine.
     */
    @Test
    void fnIntegralsEqualTheirClosedFormsAndTheEngine() {
        String spec = "dense(1.3,0.2) fn(\"Sin(x)+x^2/4\") dense(0.8,0.1)";
        SymbolicKernel k = derive(spec, 0);
        for (double[][] p : PAIRS) {
            Map<String, Double> env = evaluate(k, p[0], p[1]);
            double a = env.get("k1xx");
            double b = env.get("k1yy");
            double c = env.get("k1xy");
            double t = Math.exp(-(a + b) / 2) * Math.sinh(c) + (a * b + 2 * c * c) / 16;
            double tdot = Math.exp(-(a + b) / 2) * Math.cosh(c) + c / 4;
            assertEquals(t, env.get("t1xy"), TOLERANCE * Math.abs(t), "T at a=" + a + ", c=" + c + ", b=" + b);
            assertEquals(tdot, env.get("td1"), TOLERANCE * Math.abs(tdot), "Ṫ at a=" + a + ", c=" + c + ", b=" + b);
            double txx = Math.exp(-a) * Math.sinh(a) + 3 * a * a / 16;
            assertEquals(txx, env.get("t1xx"), TOLERANCE * txx, "T(a,a,a) at a=" + a);
        }
        checkAgainstEngine(k, NetworkSpec.parse(spec));
    }

    /** With --expanded the integrals are put into one expression, never evaluated by Symja. */
    @Test
    void expandedFormNestsTheIntegralsInTheInputVariables() {
        SymbolicKernel k = SymbolicRecursion.of(NetworkSpec.parse("dense(1,0.1) softplus dense(1,0)"),
                SymbolicOptions.defaults().withIntegrateSeconds(0).withExpanded(true)).derive(SESSION);
        String nngp = k.nngpClosed().orElseThrow();
        assertTrue(nngp.startsWith("Integrate(") || nngp.contains("Integrate("), nngp);
        assertFalse(nngp.matches(".*\\b(k1xx|k1xy|t1xy)\\b.*"), "program names left in the closed form: " + nngp);
        assertTrue(nngp.contains("Log(1+E^"), nngp);
    }

    private static void checkAgainstEngine(SymbolicKernel k, Network net) {
        NtkRecursion engine = NtkRecursion.of(net);
        for (double[][] p : PAIRS) {
            Map<String, Double> env = evaluate(k, p[0], p[1]);
            KernelValue want = engine.pair(p[0], p[1]);
            double nngp = value(k.nngp(), env);
            double ntk = value(k.ntk(), env);
            assertEquals(want.nngp(), nngp, TOLERANCE * Math.abs(want.nngp()), "K at " + List.of(p[0], p[1]));
            assertEquals(want.ntk(), ntk, TOLERANCE * Math.abs(want.ntk()), "Θ at " + List.of(p[0], p[1]));
        }
    }

    /** Every program line at the input kernel of (x, y): expressions read back, integrals integrated here. */
    private static Map<String, Double> evaluate(SymbolicKernel k, double[] x, double[] y) {
        Map<String, Double> env = new HashMap<>();
        env.put("xx", dot(x, x) / x.length);
        env.put("xy", dot(x, y) / x.length);
        env.put("yy", dot(y, y) / x.length);
        for (Statement st : k.program()) {
            env.put(st.name(), value(st.expression(), env));
        }
        return env;
    }

    private static final String TWO_D = ",{z1,-Infinity,Infinity},{z2,-Infinity,Infinity})";
    private static final String ONE_D = ",{z,-Infinity,Infinity})";

    private static double value(String expression, Map<String, Double> env) {
        List<String> names = new java.util.ArrayList<>(env.keySet());
        names.add("z");
        names.add("z1");
        names.add("z2");
        double[] v = new double[names.size()];
        for (int i = 0; i < env.size(); i++) {
            v[i] = env.get(names.get(i));
        }
        int z = names.size() - 3;
        if (!expression.startsWith("Integrate(")) {
            return compile(ExprParser.parse(expression), names).at(v);
        }
        boolean twoD = expression.endsWith(TWO_D);
        assertTrue(twoD || expression.endsWith(ONE_D), "an integral over the whole line or plane: " + expression);
        Fn f = compile(ExprParser.parse(expression.substring("Integrate(".length(),
                expression.length() - (twoD ? TWO_D : ONE_D).length())), names);
        if (!twoD) {
            return integrate(t -> {
                v[z] = t;
                return f.at(v);
            });
        }
        return integrate(z1 -> {
            v[z + 1] = z1;
            return integrate(z2 -> {
                v[z + 2] = z2;
                return f.at(v);
            });
        });
    }

    /** ∫ over [−12, 12] (the standard normal mass outside is 4e-33), adaptive Gauss–Legendre. */
    private static double integrate(DoubleUnaryOperator f) {
        IterativeLegendreGaussIntegrator q = new IterativeLegendreGaussIntegrator(16, 1e-11, 1e-17);
        return q.integrate(1_000_000, f::applyAsDouble, -12, 12);
    }

    /** An expression compiled to a function of the values of the names, by position. */
    private interface Fn {
        double at(double[] v);
    }

    /**
     * The tree as closures in double arithmetic over named values (a tree walk per integrand
     * value would dominate the test; the fn compiler, SymjaActivationFactory.compile, knows one
     * variable only).
     */
    private static Fn compile(Expr e, List<String> names) {
        if (e instanceof Expr.Num n) {
            double c = new java.math.BigDecimal(n.num()).divide(new java.math.BigDecimal(n.den()), java.math.MathContext.DECIMAL64)
                    .doubleValue();
            return v -> c;
        } else if (e instanceof Expr.Pi) {
            return v -> Math.PI;
        } else if (e instanceof Expr.Euler) {
            return v -> Math.E;
        } else if (e instanceof Expr.Var x) {
            int i = names.indexOf(x.name());
            assertTrue(i >= 0, "unknown name " + x.name());
            return v -> v[i];
        } else if (e instanceof Expr.Add a) {
            Fn[] ts = a.terms().stream().map(t -> compile(t, names)).toArray(Fn[]::new);
            return v -> {
                double s = 0;
                for (Fn t : ts) {
                    s += t.at(v);
                }
                return s;
            };
        } else if (e instanceof Expr.Mul m) {
            Fn[] ts = m.factors().stream().map(t -> compile(t, names)).toArray(Fn[]::new);
            return v -> {
                double s = 1;
                for (Fn t : ts) {
                    s *= t.at(v);
                }
                return s;
            };
        } else if (e instanceof Expr.Sub s) {
            Fn a = compile(s.a(), names);
            Fn b = compile(s.b(), names);
            return v -> a.at(v) - b.at(v);
        } else if (e instanceof Expr.Div d) {
            Fn a = compile(d.a(), names);
            Fn b = compile(d.b(), names);
            return v -> a.at(v) / b.at(v);
        } else if (e instanceof Expr.Neg n) {
            Fn a = compile(n.a(), names);
            return v -> -a.at(v);
        } else if (e instanceof Expr.Pow p) {
            Fn x = compile(p.exponent(), names);
            if (p.base() instanceof Expr.Euler) {
                return v -> Math.exp(x.at(v));
            }
            Fn b = compile(p.base(), names);
            return v -> Math.pow(b.at(v), x.at(v));
        }
        Expr.Call c = (Expr.Call) e;
        DoubleUnaryOperator f = Functions.byName(c.function()).eval();
        Fn a = compile(c.argument(), names);
        return v -> f.applyAsDouble(a.at(v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
