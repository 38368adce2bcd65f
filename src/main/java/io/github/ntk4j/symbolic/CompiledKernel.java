package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.KernelValue;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A derived kernel turned into a fast evaluator: the straight-line program of a
 * {@link SymbolicKernel} is parsed once into {@link Expr} trees and compiled to a flat list
 * of register operations (small closures over a double-double register file), so evaluating
 * it at a point costs a few hundred floating-point operations and never calls Symja.
 *
 * <p>Stable form (docs/KERNEL-RECURSION.md §5). The expressions are evaluated as Symja wrote them, but
 * <ul>
 * <li>every arithmetic operation is carried out in double-double arithmetic
 * ({@link DoubleDouble}), so differences that cancel for nearly collinear inputs, such as
 * 1 − Σxy²/(ΣxxΣyy), keep about 20 digits instead of a few;</li>
 * <li>ArcCos(z) is evaluated as atan2(√((1 − z)(1 + z)), z) with the radicand in
 * double-double, and near z = −1 as π − atan2(√…, −z) with π in double-double, so the angle
 * is accurate to a few ulps even within 1e-12 of 0 or π (arccos of a double near 1 would
 * keep only half the digits); ArcSin likewise through π/2 − atan2 near ±1; the sine
 * √(1 − z²) beside the angle is that same √((1 − z)(1 + z)) ({@link StableForm}), so that the
 * two agree;</li>
 * <li>{@link #pair(double[], double[])} forms x·x/d, x·y/d, y·y/d from the vectors with
 * exact products (FMA) in double-double, so no information is lost by rounding the input
 * kernel to double before the cancelling differences are formed.</li>
 * </ul>
 * With these, the evaluator matches the numeric engine to about 1e-15 relative on the
 * reference file's nearly collinear cases (CompiledKernelTest).
 *
 * <p>Instances are immutable and thread-safe (each evaluation uses its own registers).
 */
public final class CompiledKernel {
    private static final MathContext MC = new MathContext(40);

    /** One compiled operation: reads and writes registers. */
    @FunctionalInterface
    private interface Op {
        void run(double[] h, double[] l);
    }

    private final List<String> variables;
    private final Op[] ops;
    private final int registers;
    private final int nngpRegister;
    private final int ntkRegister;
    private final boolean pairVariables;

    private CompiledKernel(List<String> variables, Op[] ops, int registers, int nngpRegister, int ntkRegister) {
        this.variables = List.copyOf(variables);
        this.ops = ops;
        this.registers = registers;
        this.nngpRegister = nngpRegister;
        this.ntkRegister = ntkRegister;
        this.pairVariables = this.variables.equals(List.of("xx", "xy", "yy"));
    }

    /**
     * Compiles a derived kernel's straight-line program.
     *
     * @param kernel the derived kernel
     * @return the evaluator
     * @throws io.github.ntk4j.Ntk4jException if an expression uses a function the compiler
     *     does not know, or the kernel has Gaussian integrals ({@link SymbolicKernel#hasIntegrals()})
     */
    public static CompiledKernel compile(SymbolicKernel kernel) {
        if (kernel.hasIntegrals()) {
            throw Messages.invalid("the derived kernel of " + kernel.network() + " contains Gaussian integrals ("
                    + kernel.integrals().get(0).name() + " = E[φ(u)φ(v)] of " + kernel.integrals().get(0).activation()
                    + ", …) that only the numeric engine evaluates; use it (NtkRecursion) for values");
        }
        Compiler c = new Compiler(kernel.variables());
        for (Statement st : kernel.program()) {
            c.define(st.name(), StableForm.of(ExprParser.parse(st.expression())));
        }
        int nngp = c.compile(StableForm.of(ExprParser.parse(kernel.nngp())));
        int ntk = c.compile(StableForm.of(ExprParser.parse(kernel.ntk())));
        return new CompiledKernel(kernel.variables(), c.ops.toArray(new Op[0]), c.next, nngp, ntk);
    }

    /** @return the input variables, in the order {@link #evaluate(double...)} takes them */
    public List<String> variables() {
        return variables;
    }

    /**
     * Evaluates at a point.
     *
     * @param values one value per {@link #variables() variable}, same order
     * @return NNGP and NTK
     */
    public KernelValue evaluate(double... values) {
        if (values.length != variables.size()) {
            throw Messages.dimensionMismatch("values", values.length, "variables " + variables, variables.size());
        }
        double[] h = new double[registers];
        double[] l = new double[registers];
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw Messages.notFinite(variables.get(i), values[i]);
            }
            h[i] = values[i];
        }
        checkDomain(variables, values);
        KernelValue v = run(h, l);
        if (!Double.isFinite(v.nngp()) || !Double.isFinite(v.ntk())) {
            // e.g. xy/Sqrt(xx*yy) at xx = 0: the formula is 0/0 there although its limit exists
            throw Messages.invalid("the closed form is undefined (0/0) at " + variables + " = "
                    + java.util.Arrays.toString(values) + "; its limit at a zero-variance input is what the numeric "
                    + "engine (ntk4j kernel) computes");
        }
        return v;
    }

    /**
     * Checks a point given by name: every variable has a value, no other names, and the values
     * form a covariance (see {@link #evaluate(double...)}).
     *
     * @param variables the kernel's variables
     * @param values the point
     * @throws io.github.ntk4j.Ntk4jException naming what is missing, unknown or out of range
     */
    public static void checkPoint(List<String> variables, Map<String, Double> values) {
        for (String k : values.keySet()) {
            if (!variables.contains(k)) {
                throw Messages.invalid("unknown variable " + k + " (variables: " + String.join(", ", variables) + ")");
            }
        }
        double[] v = new double[variables.size()];
        for (int i = 0; i < v.length; i++) {
            Double d = values.get(variables.get(i));
            if (d == null) {
                throw Messages.invalid("no value for variable " + variables.get(i) + " (needed: " + String.join(", ", variables) + ")");
            }
            v[i] = d;
        }
        checkDomain(variables, v);
    }

    /**
     * The expressions are those of a covariance: outside it (a negative variance, |xy| above
     * √(xx·yy), |u| &gt; 1) they would silently give a clamped or complex value.
     */
    private static void checkDomain(List<String> variables, double[] v) {
        int u = variables.indexOf("u");
        if (u >= 0 && Math.abs(v[u]) > 1) {
            throw Messages.invalid("u = x·y/d on the sphere must be in [-1, 1], got " + v[u]);
        }
        int xx = variables.indexOf("xx");
        int xy = variables.indexOf("xy");
        int yy = variables.indexOf("yy");
        if (xx >= 0 && yy >= 0 && xy >= 0) {
            if (v[xx] < 0 || v[yy] < 0) {
                throw Messages.invalid("xx and yy are variances x·x/d, y·y/d and must be >= 0, got " + v[xx] + " and " + v[yy]);
            }
            if (v[xy] * v[xy] > v[xx] * v[yy] * (1 + 1e-12)) {
                throw Messages.invalid("xy = x·y/d must satisfy xy² <= xx·yy (Cauchy–Schwarz), got xx=" + v[xx] + ", xy=" + v[xy]
                        + ", yy=" + v[yy]);
            }
        }
    }

    /**
     * Evaluates with named values.
     *
     * @param values a value for every variable
     * @return NNGP and NTK
     */
    public KernelValue evaluate(Map<String, Double> values) {
        checkPoint(variables, values);
        double[] v = new double[variables.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(variables.get(i));
        }
        return evaluate(v);
    }

    /**
     * Evaluates for two input vectors: the input kernel x·x/d, x·y/d, y·y/d is formed in
     * double-double from exact products. Only for kernels in the variables xx, xy, yy with
     * numeric parameters.
     *
     * @param x first input
     * @param y second input, same dimension
     * @return NNGP and NTK
     */
    public KernelValue pair(double[] x, double[] y) {
        if (!pairVariables) {
            throw Messages.invalid("pair(x, y) needs a kernel in the variables xx, xy, yy, this one has " + variables);
        }
        io.github.ntk4j.internal.DataChecks.vector("x", x);
        io.github.ntk4j.internal.DataChecks.vector("y", y);
        if (x.length != y.length) {
            throw Messages.dimensionMismatch("x", x.length, "y", y.length);
        }
        double[] h = new double[registers];
        double[] l = new double[registers];
        dot(x, x, h, l, 0);
        dot(x, y, h, l, 1);
        dot(y, y, h, l, 2);
        for (int r = 0; r < 3; r++) {
            DoubleDouble.div(h[r], l[r], x.length, 0, h, l, r);
        }
        return run(h, l);
    }

    private static void dot(double[] a, double[] b, double[] h, double[] l, int r) {
        double sh = 0;
        double sl = 0;
        for (int i = 0; i < a.length; i++) {
            double p = a[i] * b[i];
            double pe = Math.fma(a[i], b[i], -p);
            DoubleDouble.add(sh, sl, p, pe, h, l, r);
            sh = h[r];
            sl = l[r];
        }
    }

    private KernelValue run(double[] h, double[] l) {
        for (Op op : ops) {
            op.run(h, l);
        }
        return new KernelValue(h[nngpRegister] + l[nngpRegister], h[ntkRegister] + l[ntkRegister]);
    }

    /** Turns trees into register operations; registers 0 … n−1 hold the variables. */
    private static final class Compiler {
        final List<Op> ops = new ArrayList<>();
        final Map<String, Integer> names = new HashMap<>();
        int next;

        Compiler(List<String> variables) {
            for (String v : variables) {
                names.put(v, next++);
            }
        }

        void define(String name, Expr e) {
            names.put(name, compile(e));
        }

        int compile(Expr e) {
            if (e instanceof Expr.Num n) {
                BigDecimal v = new BigDecimal(n.num()).divide(new BigDecimal(n.den()), MC);
                double hi = v.doubleValue();
                double lo = v.subtract(new BigDecimal(hi)).doubleValue();
                return constant(hi, lo);
            }
            if (e instanceof Expr.Pi) {
                return constant(DoubleDouble.PI_HI, DoubleDouble.PI_LO);
            }
            if (e instanceof Expr.Euler) {
                return constant(Math.E, 1.4456468917292502e-16);
            }
            if (e instanceof Expr.Var v) {
                Integer r = names.get(v.name());
                if (r == null) {
                    throw Messages.symbolicFailed(v.name(), "cannot compile: unknown variable");
                }
                return r;
            }
            if (e instanceof Expr.Add a) {
                int acc = compile(a.terms().get(0));
                for (int i = 1; i < a.terms().size(); i++) {
                    acc = binary(acc, compile(a.terms().get(i)), DoubleDouble::add);
                }
                return acc;
            }
            if (e instanceof Expr.Sub s) {
                int a = compile(s.a());
                int b = compile(s.b());
                int r = next++;
                ops.add((h, l) -> DoubleDouble.add(h[a], l[a], -h[b], -l[b], h, l, r));
                return r;
            }
            if (e instanceof Expr.Mul m) {
                int acc = compile(m.factors().get(0));
                for (int i = 1; i < m.factors().size(); i++) {
                    acc = binary(acc, compile(m.factors().get(i)), DoubleDouble::mul);
                }
                return acc;
            }
            if (e instanceof Expr.Div d) {
                return binary(compile(d.a()), compile(d.b()), DoubleDouble::div);
            }
            if (e instanceof Expr.Neg n) {
                int a = compile(n.a());
                int r = next++;
                ops.add((h, l) -> {
                    h[r] = -h[a];
                    l[r] = -l[a];
                });
                return r;
            }
            if (e instanceof Expr.Pow p) {
                return power(p);
            }
            if (e instanceof Expr.Call c) {
                return call(c);
            }
            throw Messages.symbolicFailed(e.toString(), "cannot compile");
        }

        private int constant(double hi, double lo) {
            int r = next++;
            ops.add((h, l) -> {
                h[r] = hi;
                l[r] = lo;
            });
            return r;
        }

        @FunctionalInterface
        private interface Binary {
            void apply(double ah, double al, double bh, double bl, double[] h, double[] l, int r);
        }

        private int binary(int a, int b, Binary f) {
            int r = next++;
            ops.add((h, l) -> f.apply(h[a], l[a], h[b], l[b], h, l, r));
            return r;
        }

        /** Integer and half-integer exponents exactly (repeated multiplication, √); others in double. */
        private int power(Expr.Pow p) {
            Expr ex = p.exponent();
            boolean negative = false;
            if (ex instanceof Expr.Neg n) {
                ex = n.a();
                negative = true;
            }
            int base = compile(p.base());
            if (ex instanceof Expr.Num n && (n.isInteger() || n.den().intValue() == 2) && n.num().bitLength() < 16) {
                int k = n.num().abs().intValue();
                boolean neg = negative ^ (n.num().signum() < 0);
                int b = base;
                if (!n.isInteger()) {
                    int r = next++;
                    int src = b;
                    ops.add((h, l) -> DoubleDouble.sqrt(h[src], l[src], h, l, r));
                    b = r;
                }
                int acc = k == 0 ? constant(1, 0) : b;
                for (int i = 1; i < k; i++) {
                    acc = binary(acc, b, DoubleDouble::mul);
                }
                if (neg) {
                    acc = binary(constant(1, 0), acc, DoubleDouble::div);
                }
                return acc;
            }
            int e = compile(negative ? new Expr.Neg(ex) : ex);
            int r = next++;
            ops.add((h, l) -> {
                h[r] = Math.pow(h[base] + l[base], h[e] + l[e]);
                l[r] = 0;
            });
            return r;
        }

        private int call(Expr.Call c) {
            int a = compile(c.argument());
            int r = next++;
            switch (c.function()) {
                case "Sqrt":
                    ops.add((h, l) -> DoubleDouble.sqrt(h[a], l[a], h, l, r));
                    break;
                case "ArcCos":
                    ops.add((h, l) -> arcCos(h[a], l[a], h, l, r));
                    break;
                case "ArcSin":
                    ops.add((h, l) -> arcSin(h[a], l[a], h, l, r));
                    break;
                case StableForm.COF:
                    ops.add((h, l) -> single(cofunction(h[a], l[a]), h, l, r));
                    break;
                case "Abs":
                    ops.add((h, l) -> {
                        boolean neg = h[a] < 0;
                        h[r] = neg ? -h[a] : h[a];
                        l[r] = neg ? -l[a] : l[a];
                    });
                    break;
                default:
                    // the other functions in double precision (their arguments rarely cancel)
                    java.util.function.DoubleUnaryOperator f = Functions.byName(c.function()).eval();
                    ops.add((h, l) -> single(f.applyAsDouble(h[a] + l[a]), h, l, r));
            }
            return r;
        }
    }

    private static void single(double v, double[] h, double[] l, int r) {
        h[r] = v;
        l[r] = 0;
    }

    /** √(1 − z²) as a double, from (1 − z)(1 + z) formed in double-double (no cancellation). */
    private static double cofunction(double zh, double zl) {
        double[] h = new double[3];
        double[] l = new double[3];
        DoubleDouble.add(1, 0, -zh, -zl, h, l, 0);
        DoubleDouble.add(1, 0, zh, zl, h, l, 1);
        DoubleDouble.mul(h[0], l[0], h[1], l[1], h, l, 2);
        return Math.sqrt(Math.max(h[2] + l[2], 0));
    }

    /** arccos z, clamped to [0, π] for |z| &gt; 1 from rounding. */
    static void arcCos(double zh, double zl, double[] h, double[] l, int r) {
        double s = cofunction(zh, zl);
        if (zh >= 0) {
            single(Math.atan2(s, zh + zl), h, l, r);
        } else {
            // θ = π − δ with δ small and accurate: keep π in double-double
            double delta = Math.atan2(s, -(zh + zl));
            DoubleDouble.add(DoubleDouble.PI_HI, DoubleDouble.PI_LO, -delta, 0, h, l, r);
        }
    }

    /** arcsin z, clamped to [−π/2, π/2] for |z| &gt; 1 from rounding. */
    static void arcSin(double zh, double zl, double[] h, double[] l, int r) {
        double s = cofunction(zh, zl);
        double z = zh + zl;
        if (Math.abs(z) <= 0.5) {
            single(Math.atan2(z, s), h, l, r);
        } else {
            double delta = Math.atan2(s, Math.abs(z));
            DoubleDouble.add(DoubleDouble.HALF_PI_HI, DoubleDouble.HALF_PI_LO, -delta, 0, h, l, r);
            if (z < 0) {
                h[r] = -h[r];
                l[r] = -l[r];
            }
        }
    }
}
