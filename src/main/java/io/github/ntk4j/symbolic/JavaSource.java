package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.SourceText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A derived kernel as a self-contained Java class ({@code derive --format java}) that evaluates
 * it in the stable form of {@link CompiledKernel} (docs/KERNEL-RECURSION.md §5), so that the
 * generated code keeps the digits that plain {@code double} expressions lose for nearly
 * collinear inputs (where 1 − Σxy²/(ΣxxΣyy) cancels and arccos of a rounded cosine keeps half
 * the digits: the depth-3 ReLU chain gave NaN at y = x(1 + 1e-9), and the NTK at x = y was
 * off by 2e-9, with the plain expressions):
 * <ul>
 * <li>every value is a double-double {@code double[] {hi, lo}} and every arithmetic
 * operation is error-free-transformation arithmetic (the same algorithms as
 * {@link DoubleDouble}, written out in the class);</li>
 * <li>ArcCos(z) is atan2(√((1 − z)(1 + z)), z) with the radicand in double-double, and
 * π − atan2(√…, −z) near z = −1; ArcSin likewise; and the sine √(1 − z²) that the duals
 * hold beside the angle is that same √((1 − z)(1 + z)) ({@link StableForm}), so that sine and
 * angle agree;</li>
 * <li>{@code pair(double[] x, double[] y)} forms x·x/d, x·y/d, y·y/d from exact products
 * ({@link Math#fma}), so no digit of the inputs is lost before the differences form.</li>
 * </ul>
 * Other functions (Exp, Erf, …) are evaluated in double from their double-double argument,
 * as in {@link CompiledKernel}. Gaussian integral lines (activations known only by φ) call
 * the activation's numeric duals and need ntk4j on the class path.
 *
 * <p>Everything the user wrote (the network spec, with any {@code fn("…")} text) reaches the
 * source only through {@link SourceText}: escaped in comments and string literals, so that
 * no Unicode escape, comment end or line break in it can become code. Expressions are
 * printed from parsed trees ({@link ExprParser}), never copied as text.
 */
public final class JavaSource {
    private static final MathContext MC = new MathContext(40);
    private static final Set<String> RESERVED = Set.of("add", "sub", "mul", "div", "neg", "sqrt", "acos", "asin", "abs",
            "pow", "c", "v", "dot", "at", "pair", "run", "cof");

    private JavaSource() {
    }

    /**
     * The Java class.
     *
     * @param kernel the derived kernel
     * @param closed use the single closed expressions ({@link SymbolicKernel#nngpClosed()}) instead
     *     of the straight-line program, where there are closed forms and no Gaussian integrals
     * @param className the simple name of the generated class, a Java identifier
     * @return one compilation unit (no package), ASCII only
     */
    public static String of(SymbolicKernel kernel, boolean closed, String className) {
        if (className == null || !className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw Messages.invalid("the class name must be a Java identifier, got " + className);
        }
        boolean single = closed && !kernel.hasIntegrals() && kernel.nngpClosed().isPresent() && kernel.ntkClosed().isPresent();
        List<String> variables = kernel.variables();
        for (String v : variables) {
            if (RESERVED.contains(v) || !v.matches("[a-z][a-z0-9]*")) {
                throw Messages.invalid("cannot write variable '" + SourceText.javaComment(v) + "' as a Java name");
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("// ntk4j derive: ").append(SourceText.javaComment(kernel.network())).append('\n');
        for (String note : kernel.notes()) {
            sb.append("// ").append(SourceText.javaComment(note)).append('\n');
        }
        sb.append("// Stable form: double-double arithmetic {hi, lo}, arccos by atan2 of a cancellation-free sine, and\n");
        sb.append("// pair(x, y) forms the input kernel from exact products (ntk4j docs/KERNEL-RECURSION.md section 5).\n");
        sb.append("public final class ").append(className).append(" {\n");
        Map<String, String> activationFields = new LinkedHashMap<>();
        Map<String, GaussianIntegral> byName = new LinkedHashMap<>();
        for (GaussianIntegral g : kernel.integrals()) {
            byName.put(g.name(), g);
            if (!activationFields.containsKey(g.activation())) {
                String f = "PHI" + (activationFields.size() + 1);
                activationFields.put(g.activation(), f);
                sb.append("    // ").append(SourceText.javaComment(g.activation()))
                        .append(": Gaussian integrals evaluated by the numeric engine (needs ntk4j")
                        .append(g.activation().startsWith("fn(") ? " and Symja" : "").append(" on the class path)\n");
                sb.append("    private static final io.github.ntk4j.net.Activation ").append(f)
                        .append(" = io.github.ntk4j.net.NetworkSpec.parseActivation(").append(SourceText.javaLiteral(g.activation()))
                        .append(");\n");
            }
        }
        sb.append("\n    private ").append(className).append("() {\n    }\n\n");
        // at(...)
        sb.append("    /** NNGP and NTK, {nngp, ntk}, at ").append(String.join(", ", variables)).append(". */\n");
        sb.append("    public static double[] at(");
        List<String> params = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (String v : variables) {
            params.add("double " + v);
            args.add("new double[] {" + v + ", 0}");
        }
        sb.append(String.join(", ", params)).append(") {\n        return run(").append(String.join(", ", args)).append(");\n    }\n\n");
        if (variables.equals(List.of("xx", "xy", "yy"))) {
            sb.append("    /** NNGP and NTK of two inputs, with xx = x.x/d, xy = x.y/d, yy = y.y/d formed from exact products. */\n");
            sb.append("    public static double[] pair(double[] x, double[] y) {\n");
            sb.append("        if (x.length != y.length || x.length == 0) {\n");
            sb.append("            throw new IllegalArgumentException(\"x and y need the same, positive dimension\");\n        }\n");
            sb.append("        double[] d = {x.length, 0};\n");
            sb.append("        return run(div(dot(x, x), d), div(dot(x, y), d), div(dot(y, y), d));\n    }\n\n");
        }
        // run(...)
        List<String> ddParams = new ArrayList<>();
        for (String v : variables) {
            ddParams.add("double[] " + v);
        }
        sb.append("    private static double[] run(").append(String.join(", ", ddParams)).append(") {\n");
        if (!single) {
            for (Statement st : kernel.program()) {
                if (!st.name().matches("[a-z][a-z0-9]*") || RESERVED.contains(st.name())) {
                    throw Messages.invalid("cannot write program name '" + SourceText.javaComment(st.name()) + "' as a Java name");
                }
                GaussianIntegral g = byName.get(st.name());
                String rhs = g == null ? dd(StableForm.of(ExprParser.parse(st.expression()))) : integralCall(activationFields.get(g.activation()), g);
                sb.append("        double[] ").append(st.name()).append(" = ").append(rhs).append(";\n");
            }
        }
        String nngp = single ? kernel.nngpClosed().orElseThrow() : kernel.nngp();
        String ntk = single ? kernel.ntkClosed().orElseThrow() : kernel.ntk();
        sb.append("        double[] nngp = ").append(dd(StableForm.of(ExprParser.parse(nngp)))).append(";\n");
        sb.append("        double[] ntk = ").append(dd(StableForm.of(ExprParser.parse(ntk)))).append(";\n");
        sb.append("        return new double[] {nngp[0] + nngp[1], ntk[0] + ntk[1]};\n    }\n");
        sb.append(HELPERS);
        sb.append("}\n");
        return sb.toString();
    }

    /** The numeric dual that evaluates an integral line. */
    private static String integralCall(String field, GaussianIntegral g) {
        List<String> a = new ArrayList<>();
        for (String arg : g.arguments()) {
            a.add("v(" + dd(StableForm.of(ExprParser.parse(arg))) + ")");
        }
        String call = switch (g.kind()) {
            case DUAL -> field + ".dual(" + String.join(", ", a) + ")";
            case DERIVATIVE -> field + ".dualDerivative(" + String.join(", ", a) + ")";
            case DIAGONAL -> field + ".dual(" + a.get(0) + ", " + a.get(0) + ", " + a.get(0) + ")";
        };
        return "c(" + call + ", 0)";
    }

    /** A tree as a double-double Java expression (the same operations as CompiledKernel's compiler). */
    static String dd(Expr e) {
        if (e instanceof Expr.Num n) {
            BigDecimal v = new BigDecimal(n.num()).divide(new BigDecimal(n.den()), MC);
            double hi = v.doubleValue();
            double lo = v.subtract(new BigDecimal(hi)).doubleValue();
            return "c(" + hi + ", " + lo + ")";
        }
        if (e instanceof Expr.Pi) {
            return "c(Math.PI, " + DoubleDouble.PI_LO + ")";
        }
        if (e instanceof Expr.Euler) {
            return "c(Math.E, 1.4456468917292502e-16)";
        }
        if (e instanceof Expr.Var v) {
            return v.name();
        }
        if (e instanceof Expr.Add a) {
            String acc = dd(a.terms().get(0));
            for (int i = 1; i < a.terms().size(); i++) {
                acc = "add(" + acc + ", " + dd(a.terms().get(i)) + ")";
            }
            return acc;
        }
        if (e instanceof Expr.Sub s) {
            return "sub(" + dd(s.a()) + ", " + dd(s.b()) + ")";
        }
        if (e instanceof Expr.Mul m) {
            String acc = dd(m.factors().get(0));
            for (int i = 1; i < m.factors().size(); i++) {
                acc = "mul(" + acc + ", " + dd(m.factors().get(i)) + ")";
            }
            return acc;
        }
        if (e instanceof Expr.Div d) {
            return "div(" + dd(d.a()) + ", " + dd(d.b()) + ")";
        }
        if (e instanceof Expr.Neg n) {
            return "neg(" + dd(n.a()) + ")";
        }
        if (e instanceof Expr.Pow p) {
            return power(p);
        }
        if (e instanceof Expr.Call c) {
            String a = dd(c.argument());
            switch (c.function()) {
                case "Sqrt":
                    return "sqrt(" + a + ")";
                case "ArcCos":
                    return "acos(" + a + ")";
                case "ArcSin":
                    return "asin(" + a + ")";
                case "Abs":
                    return "abs(" + a + ")";
                case StableForm.COF:
                    return "c(cof(" + a + "), 0)";
                default:
                    Functions.Function f = Functions.byName(c.function());
                    if (f == null) {
                        throw Messages.symbolicFailed(c.function(), "cannot write as Java: unknown function");
                    }
                    boolean reciprocal = f.java().startsWith("1.0 / ");
                    return "c(" + (reciprocal ? "(" : "") + f.java() + "(v(" + a + "))" + (reciprocal ? ")" : "") + ", 0)";
            }
        }
        throw Messages.symbolicFailed(e.toString(), "cannot write as Java");
    }

    /** Integer and half-integer exponents exactly (repeated multiplication, √); others in double. */
    private static String power(Expr.Pow p) {
        Expr ex = p.exponent();
        boolean negative = false;
        if (ex instanceof Expr.Neg n) {
            ex = n.a();
            negative = true;
        }
        String base = dd(p.base());
        if (ex instanceof Expr.Num n && (n.isInteger() || n.den().intValue() == 2) && n.num().bitLength() < 16) {
            int k = n.num().abs().intValue();
            boolean neg = negative ^ (n.num().signum() < 0);
            String b = n.isInteger() ? base : "sqrt(" + base + ")";
            String r = "pow(" + b + ", " + k + ")";
            return neg ? "div(c(1, 0), " + r + ")" : r;
        }
        String e = dd(negative ? new Expr.Neg(ex) : ex);
        return "c(Math.pow(v(" + base + "), v(" + e + ")), 0)";
    }

    /** The double-double helpers of the generated class: the algorithms of DoubleDouble and CompiledKernel. */
    private static final String HELPERS = """

                // double-double arithmetic: a value is hi + lo, |lo| <= ulp(hi)/2 (Dekker 1971, Knuth's TwoSum)
                private static double[] c(double hi, double lo) {
                    return new double[] {hi, lo};
                }

                private static double v(double[] a) {
                    return a[0] + a[1];
                }

                private static double[] add(double[] a, double[] b) {
                    double s = a[0] + b[0];
                    double bb = s - a[0];
                    double e = (a[0] - (s - bb)) + (b[0] - bb);
                    double t = a[1] + b[1];
                    double tb = t - a[1];
                    double f = (a[1] - (t - tb)) + (b[1] - tb);
                    e += t;
                    double s2 = s + e;
                    e = e - (s2 - s);
                    e += f;
                    double s3 = s2 + e;
                    return new double[] {s3, e - (s3 - s2)};
                }

                private static double[] neg(double[] a) {
                    return new double[] {-a[0], -a[1]};
                }

                private static double[] sub(double[] a, double[] b) {
                    return add(a, neg(b));
                }

                private static double[] mul(double[] a, double[] b) {
                    double p = a[0] * b[0];
                    double e = Math.fma(a[0], b[0], -p);
                    e += a[0] * b[1] + a[1] * b[0];
                    double s = p + e;
                    return new double[] {s, e - (s - p)};
                }

                private static double[] div(double[] a, double[] b) {
                    double q1 = a[0] / b[0];
                    if (!Double.isFinite(q1)) {
                        return new double[] {q1, 0};
                    }
                    double p = q1 * b[0];
                    double pe = Math.fma(q1, b[0], -p);
                    double rem = ((a[0] - p) - pe) + a[1] - q1 * b[1];
                    double q2 = rem / b[0];
                    double s = q1 + q2;
                    return new double[] {s, q2 - (s - q1)};
                }

                // a tiny negative radicand (rounding of a quantity >= 0) is 0
                private static double[] sqrt(double[] a) {
                    if (a[0] <= 0) {
                        return new double[] {0, 0};
                    }
                    double s = Math.sqrt(a[0]);
                    double p = s * s;
                    double pe = Math.fma(s, s, -p);
                    double rem = ((a[0] - p) - pe) + a[1];
                    double c = rem / (2 * s);
                    double t = s + c;
                    return new double[] {t, c - (t - s)};
                }

                private static double[] pow(double[] b, int k) {
                    if (k == 0) {
                        return new double[] {1, 0};
                    }
                    double[] acc = b;
                    for (int i = 1; i < k; i++) {
                        acc = mul(acc, b);
                    }
                    return acc;
                }

                private static double[] abs(double[] a) {
                    return a[0] < 0 ? neg(a) : a;
                }

                // sqrt(1 - z^2) from (1 - z)(1 + z) in double-double: no cancellation near |z| = 1
                private static double cof(double[] z) {
                    double[] r = mul(sub(c(1, 0), z), add(c(1, 0), z));
                    return Math.sqrt(Math.max(r[0] + r[1], 0));
                }

                // arccos z = atan2(sqrt(1 - z^2), z); near z = -1 as pi - atan2(.., -z) with pi in double-double
                private static double[] acos(double[] z) {
                    double s = cof(z);
                    if (z[0] >= 0) {
                        return c(Math.atan2(s, z[0] + z[1]), 0);
                    }
                    return add(c(Math.PI, 1.2246467991473532e-16), c(-Math.atan2(s, -(z[0] + z[1])), 0));
                }

                private static double[] asin(double[] z) {
                    double s = cof(z);
                    double x = z[0] + z[1];
                    if (Math.abs(x) <= 0.5) {
                        return c(Math.atan2(x, s), 0);
                    }
                    double[] r = add(c(Math.PI / 2, 6.123233995736766e-17), c(-Math.atan2(s, Math.abs(x)), 0));
                    return x < 0 ? neg(r) : r;
                }

                // sum of a[i] * b[i] from exact products (fma), in double-double
                private static double[] dot(double[] a, double[] b) {
                    double[] s = {0, 0};
                    for (int i = 0; i < a.length; i++) {
                        double p = a[i] * b[i];
                        s = add(s, new double[] {p, Math.fma(a[i], b[i], -p)});
                    }
                    return s;
                }
            """;
}
