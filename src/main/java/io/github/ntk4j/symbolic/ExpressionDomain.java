package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Where an {@code fn("EXPR")} activation is defined and finite: the check that refuses, before any
 * kernel is computed, an activation whose Gaussian integrals T = E[φ(u)φ(v)] and Ṫ = E[φ'(u)φ'(v)]
 * do not exist or that ntk4j's quadrature cannot integrate, with the true reason. A Gaussian
 * pre-activation takes every real value, so φ and φ' must be real and finite on the whole real
 * line; otherwise the Gauss–Legendre panels of {@link io.github.ntk4j.net.QuadratureActivation}
 * would return a number (1/x gave 3027.8) for an integral that diverges.
 *
 * <p>Method: interval arithmetic on the {@link Expr} trees of φ and φ' (outward rounded by 4 ulps
 * per operation, signs of nonzero products and powers kept through underflow; every operation
 * returns an enclosure of the values on the interval, whether the expression is defined on all of
 * it, on part of it or nowhere in it, and whether it may pass a singular point: a divisor whose
 * interval contains 0, Log or a negative power at 0, Tan and Sec at π/2 + kπ, Cot and Csc at kπ,
 * Coth and Csch at 0, ArcTanh at ±1). The real line is cut into the octaves [−1, 0], [0, 1],
 * ±[2^(k−1), 2^k] (k = 1 … 64), then pieces of eight octaves up to ±[2^1016, ∞], taken in pairs
 * from 0 outwards; an interval
 * that is not decided is bisected down to a width of 2^-40·max(1, |x|). Every interval evaluation
 * counts against a budget: {@value #BUDGET} for |x| ≤ 8192 (every octave decided for the activations
 * of the docs), {@value #TAIL_BUDGET} per octave and tree beyond, {@value #TAIL_TOTAL} for all of those
 * together. Overflow (e^x for large x) is not a singularity: growth is the business of the growth
 * check in {@link SymjaActivationFactory}. Then:
 * <ul>
 * <li>intervals on which φ (or φ') is certainly undefined, merged with the undecided end pieces next
 * to them, are a set of positive measure: refused as "undefined for x &lt; 0" (Sqrt, Log, x^(1/3),
 * x^x), "undefined outside [−1, 1]" (ArcSin, ArcCos, ArcTanh), "undefined for x &lt; 1" (ArcCosh)
 * and so on. Such a region is the reason given even where a pole sits at its edge (Log(x) at 0).</li>
 * <li>each remaining undecided point c (a cluster of end pieces) is classified numerically from both
 * sides: M_k = max |g| at c ± t·{1, 1.2, 1.5, 1.8}, t = w·10^-k, k = 2 … 6, with w = max(1,
 * |c|·10^-4) and at most 50 times the distance to the next undecided point. g is unbounded at c
 * when M_k grows strictly over the five decades, M_6 ≥ 2·M_2 and M_6 ≥ 1.05·M_5 (not a climb to a
 * finite limit, as Sin(1000x)/x makes), every sample being a true value:
 * a sample whose point enclosure (the interval evaluation at [x, x], a bound on its rounding
 * error) is wider than a tenth of it is rounding noise, as in the derivative of (e^x − 1 − x)/x²
 * near 0, and no evidence of a singularity. Growth of nearly a decade per decade or more (p =
 * log10(M_6/M_5) ≥ 0.9) is a pole: E[g(u)²] diverges, as for every order p ≥ 1/2 ("has a pole at
 * x = 0: E[φ(u)²] does not exist"). Weaker growth (φ' of x·Log(x^2)) is refused as unbounded:
 * that integral may exist, but ntk4j's quadrature needs φ and φ' finite on the real line. A log
 * singularity of φ (Log(x^2)) is refused through the pole of φ'. A bounded g (the removable
 * singularity of Sin(x)/x, a jump) is accepted; a NaN next to c with no undefined region found is
 * "undefined near x = c".</li>
 * </ul>
 * Limits: a singularity weaker than about |x − c|^-0.08 is not seen; nor one beyond 8192 that the
 * budget does not reach (behind the overestimates of periodic terms such as Sin(x) − Cos(x)); a
 * pole whose values near it are mostly rounding error is not seen either (the quadrature's own
 * finite check remains). Cost, measured in one JVM on the shared 2-core machine: 1 to 40 ms for
 * the activations of the docs (about 600 interval evaluations when every octave is decided at
 * once), up to about 1 s for the worst cases tried (Sqrt(Sin(x)), 1/(2+Sin(x)-Cos(x))), which
 * exhaust the budget.
 */
final class ExpressionDomain {
    /** Interval evaluations for both trees within |x| ≤ 2^13. */
    static final int BUDGET = 1 << 17;
    /** Interval evaluations per octave and tree beyond 2^13. */
    static final int TAIL_BUDGET = 64;
    /** Interval evaluations beyond 2^13, all octaves and both trees together. */
    static final int TAIL_TOTAL = 1 << 15;
    private static final double RELATIVE_WIDTH = 0x1p-40;

    private static final int DEFINED = 0;
    private static final int PARTIAL = 1;
    private static final int NONE = 2;

    private ExpressionDomain() {
    }

    /** An enclosure [lo, hi] of the values where defined; def: DEFINED, PARTIAL or NONE. */
    record Iv(double lo, double hi, int def, boolean singular) {
        static final Iv UNDEFINED = new Iv(Double.NaN, Double.NaN, NONE, false);
    }

    /** What was found, for the message. */
    private enum Kind { POLE, UNBOUNDED, UNDEFINED_AT }

    private record Finding(Kind kind, boolean derivative, double at) {
        int severity() {
            return kind.ordinal() * 2 + (derivative ? 1 : 0);
        }
    }

    /**
     * Refuses φ = f (φ' = df) when it is undefined on part of the real line or unbounded near a
     * point (see the class comment).
     *
     * @param expression the user's text, for the message
     * @param f φ
     * @param df φ'
     * @throws io.github.ntk4j.Ntk4jException (invalid input) with one line naming the reason and where
     */
    static void check(String expression, Expr f, Expr df) {
        DoubleUnaryOperator phi = SymjaActivationFactory.compile(f);
        DoubleUnaryOperator dphi = SymjaActivationFactory.compile(df);
        Scan sf = new Scan(f);
        Scan sd = new Scan(df);
        int[] budget = {BUDGET};
        int[] tail = {TAIL_TOTAL};
        List<double[]> octaves = octaves();
        List<Finding> pending = new ArrayList<>();
        for (int o = 0; o < octaves.size(); o += 2) {
            // the two octaves at the same distance from 0 together: findings are reported nearest first
            int fromF = sf.suspects.size();
            int fromD = sd.suspects.size();
            for (int h = o; h < o + 2; h++) {
                double[] oct = octaves.get(h);
                boolean detailed = Math.max(Math.abs(oct[0]), Math.abs(oct[1])) <= 0x1p13;
                for (Scan sc : new Scan[] {sf, sd}) {
                    if (detailed) {
                        sc.scan(oct[0], oct[1], budget);
                    } else {
                        int[] b = {Math.min(TAIL_BUDGET, tail[0])};
                        int before = b[0];
                        sc.scan(oct[0], oct[1], b);
                        tail[0] -= before - Math.max(b[0], 0);
                    }
                }
            }
            if (!sf.undefined.isEmpty() || !sd.undefined.isEmpty() || !pending.isEmpty()) {
                continue; // an undefined region may be the reason: scan on for its extent
            }
            List<Finding> found = new ArrayList<>();
            classify(sf.suspects.subList(fromF, sf.suspects.size()), f, phi, false, found);
            classify(sd.suspects.subList(fromD, sd.suspects.size()), df, dphi, true, found);
            if (found.stream().anyMatch(x -> x.kind() == Kind.UNDEFINED_AT)) {
                pending.addAll(found); // NaN next to a point: look for the region before blaming the point
            } else if (!found.isEmpty()) {
                throw Messages.invalid(message(expression, first(found)));
            }
        }
        if (!sf.undefined.isEmpty()) {
            throw Messages.invalid("fn(\"" + Messages.clip(expression) + "\") is undefined " + regions(sf) + " (not a real number there)"
                    + ": a Gaussian pre-activation takes every real value");
        }
        if (!sd.undefined.isEmpty()) {
            throw Messages.invalid("fn(\"" + Messages.clip(expression) + "\") has a derivative φ' that is undefined " + regions(sd)
                    + ": a Gaussian pre-activation takes every real value");
        }
        if (!pending.isEmpty()) {
            throw Messages.invalid(message(expression, first(pending)));
        }
    }

    /** The most severe finding, nearest to 0, the positive one first. */
    private static Finding first(List<Finding> found) {
        found.sort(Comparator.comparingInt(Finding::severity).thenComparingDouble(x -> Math.abs(x.at()))
                .thenComparingDouble(x -> -x.at()));
        return found.get(0);
    }

    private static String message(String expression, Finding f) {
        String fn = "fn(\"" + Messages.clip(expression) + "\")";
        String at = "x = " + format(f.at());
        return switch (f.kind()) {
            case POLE -> f.derivative()
                    ? fn + " has a derivative with a pole at " + at
                            + ": E[φ'(u)²], which the NTK needs, does not exist for a Gaussian u"
                    : fn + " has a pole at " + at + ": E[φ(u)²] does not exist for a Gaussian u";
            case UNBOUNDED -> fn + (f.derivative() ? " has a derivative φ' unbounded near " : " is unbounded near ") + at
                    + ": ntk4j integrates only activations whose φ and φ' are finite on the whole real line";
            case UNDEFINED_AT -> fn + (f.derivative() ? " has a derivative φ' undefined near " : " is undefined near ") + at
                    + " (not a real number there)";
        };
    }

    /**
     * [−1, 0], [0, 1], then ±[2^(k−1), 2^k] outwards up to 2^64, then ±[2^j, 2^(j+8)] up to
     * 2^1016 and ±[2^1016, ∞] (beyond 2^64 a pole matters only to pre-activations of standard
     * deviation above 10^18: eight octaves per piece keep the cost down).
     */
    private static List<double[]> octaves() {
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {-1, 0});
        out.add(new double[] {0, 1});
        int k = 0;
        while (k < 1016) {
            int step = k < 64 ? 1 : 8;
            double lo = Math.scalb(1.0, k);
            double hi = Math.scalb(1.0, k + step);
            out.add(new double[] {-hi, -lo});
            out.add(new double[] {lo, hi});
            k += step;
        }
        out.add(new double[] {Double.NEGATIVE_INFINITY, -Math.scalb(1.0, 1016)});
        out.add(new double[] {Math.scalb(1.0, 1016), Double.POSITIVE_INFINITY});
        return out;
    }

    /** The bisection of one tree: its undefined intervals and its undecided small intervals. */
    private static final class Scan {
        final Expr e;
        /** Intervals where the tree is certainly undefined, and PARTIAL end pieces. */
        final List<double[]> undefined = new ArrayList<>();
        final List<double[]> partial = new ArrayList<>();
        /** Small intervals left undecided (singular or partly defined). */
        final List<double[]> suspects = new ArrayList<>();

        Scan(Expr e) {
            this.e = e;
        }

        void scan(double lo, double hi, int[] budget) {
            ArrayList<double[]> stack = new ArrayList<>();
            stack.add(new double[] {lo, hi});
            List<double[]> found = new ArrayList<>();
            while (!stack.isEmpty()) {
                double[] iv = stack.remove(stack.size() - 1);
                if (budget[0]-- <= 0) {
                    break;
                }
                Iv v = eval(e, iv[0], iv[1]);
                if (v.def() == NONE) {
                    undefined.add(iv);
                    continue;
                }
                if (v.def() == DEFINED && !v.singular()) {
                    continue;
                }
                double mid = 0.5 * iv[0] + 0.5 * iv[1];
                double scale = Math.max(1, Math.max(Math.abs(iv[0]), Math.abs(iv[1])));
                if (iv[1] - iv[0] <= RELATIVE_WIDTH * scale || !(mid > iv[0] && mid < iv[1]) || Double.isInfinite(mid)) {
                    found.add(new double[] {iv[0], iv[1], v.def()});
                    continue;
                }
                stack.add(new double[] {mid, iv[1]});
                stack.add(new double[] {iv[0], mid});
            }
            // merge touching small intervals into clusters, in order
            found.sort(Comparator.comparingDouble(a -> a[0]));
            for (double[] s : found) {
                if (s[2] == PARTIAL) {
                    partial.add(s);
                }
                double[] last = suspects.isEmpty() ? null : suspects.get(suspects.size() - 1);
                if (last != null && last[1] >= s[0]) {
                    last[1] = Math.max(last[1], s[1]);
                } else {
                    suspects.add(new double[] {s[0], s[1]});
                }
            }
        }
    }

    /** The undefined regions of a scan, merged with the partly defined pieces at their ends. */
    private static String regions(Scan s) {
        List<double[]> all = new ArrayList<>(s.undefined);
        all.addAll(s.partial);
        all.sort(Comparator.comparingDouble(a -> a[0]));
        List<double[]> merged = new ArrayList<>();
        for (double[] a : all) {
            double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last[1] >= a[0]) {
                last[1] = Math.max(last[1], a[1]);
            } else {
                merged.add(new double[] {a[0], a[1]});
            }
        }
        // keep the regions with an undefined interval in them (not lone partial pieces)
        List<double[]> regions = new ArrayList<>();
        for (double[] m : merged) {
            for (double[] u : s.undefined) {
                if (u[0] >= m[0] && u[1] <= m[1]) {
                    regions.add(m);
                    break;
                }
            }
        }
        if (regions.size() == 2 && regions.get(0)[0] == Double.NEGATIVE_INFINITY
                && regions.get(1)[1] == Double.POSITIVE_INFINITY) {
            return "outside [" + format(regions.get(0)[1]) + ", " + format(regions.get(1)[0]) + "]";
        }
        regions.sort(Comparator.comparingDouble(r -> Math.min(Math.abs(r[0]), Math.abs(r[1]))));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < Math.min(3, regions.size()); i++) {
            double[] r = regions.get(i);
            if (r[0] == Double.NEGATIVE_INFINITY && r[1] == Double.POSITIVE_INFINITY) {
                parts.add("almost every x");
            } else if (r[0] == Double.NEGATIVE_INFINITY) {
                parts.add("x < " + format(r[1]));
            } else if (r[1] == Double.POSITIVE_INFINITY) {
                parts.add("x > " + format(r[0]));
            } else {
                parts.add(format(r[0]) + " < x < " + format(r[1]));
            }
        }
        return "for " + String.join(" and for ", parts) + (regions.size() > 3 ? " and elsewhere" : "");
    }

    /** Classifies the undecided points of one tree (see the class comment). */
    private static void classify(List<double[]> clusters, Expr e, DoubleUnaryOperator g, boolean derivative, List<Finding> out) {
        List<double[]> sorted = new ArrayList<>(clusters);
        sorted.sort(Comparator.comparingDouble(a -> a[0]));
        for (int i = 0; i < sorted.size(); i++) {
            double[] cl = sorted.get(i);
            double c = cl[0] <= 0 && cl[1] >= 0 ? 0 : 0.5 * cl[0] + 0.5 * cl[1];
            if (Double.isInfinite(c)) {
                continue;
            }
            double w = Math.max(1, Math.abs(c) * 1e-4);
            if (i > 0) {
                w = Math.min(w, 50 * (c - sorted.get(i - 1)[1]));
            }
            if (i + 1 < sorted.size()) {
                w = Math.min(w, 50 * (sorted.get(i + 1)[0] - c));
            }
            Finding f = classify(e, g, c, w, derivative);
            if (f != null) {
                out.add(f);
            }
        }
    }

    /** Relative offsets of the samples within one decade. */
    private static final double[] OFFSETS = {1, 1.2, 1.5, 1.8};

    /**
     * The finding at c, or null if g is bounded near c (or its values there are rounding noise):
     * M_k = max |g| at c ± w·10^-k·{1, 1.2, 1.5, 1.8}, k = 2 … 6.
     */
    static Finding classify(Expr e, DoubleUnaryOperator g, double c, double w, boolean derivative) {
        double[] m = new double[5];
        for (int k = 0; k < 5; k++) {
            double t = w * Math.pow(10, -(k + 2));
            for (double s : OFFSETS) {
                for (double side : new double[] {-1, 1}) {
                    double x = c + side * s * t;
                    double v = g.applyAsDouble(x);
                    if (Double.isNaN(v)) {
                        return new Finding(Kind.UNDEFINED_AT, derivative, c);
                    }
                    if (Double.isFinite(v)) {
                        // the point enclosure bounds the rounding error: a value that is mostly
                        // error (cancellation near a removable singularity) is no evidence
                        Iv r = eval(e, x, x);
                        if (!(r.hi() - r.lo() <= 0.1 * Math.abs(v))) {
                            return null;
                        }
                    }
                    m[k] = Math.max(m[k], Math.abs(v));
                }
            }
        }
        for (int k = 1; k < 5; k++) {
            if (!(m[k] > m[k - 1])) {
                return null;
            }
        }
        // at least two-fold over the five decades, and still growing in the last one (by 5 %):
        // Sin(1000x)/x climbs from 54 to its limit 1000 over the first decades, then stops
        if (!(m[4] >= 2 * m[0]) || !(m[4] >= 1.05 * m[3])) {
            return null;
        }
        double order = Math.log10(m[4] / m[3]);
        return new Finding(order >= 0.9 ? Kind.POLE : Kind.UNBOUNDED, derivative, c);
    }

    /** A point for a message: 6 significant digits, no trailing zeros, 0 for |x| &lt; 1e-9. */
    static String format(double x) {
        if (Math.abs(x) < 1e-9) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.6g", x);
        String mant = s;
        String exp = "";
        int e = s.indexOf('e');
        if (e >= 0) {
            mant = s.substring(0, e);
            exp = s.substring(e);
        }
        if (mant.contains(".")) {
            mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mant + exp;
    }

    // ---------------------------------------------------------------- interval arithmetic

    private static double dn(double v) {
        if (Double.isNaN(v)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (Double.isInfinite(v)) {
            return v;
        }
        // a positive bound stays positive: every operation here keeps the sign of its exact result
        return v > 0 ? Math.max(v - 4 * Math.ulp(v), Double.MIN_VALUE) : v - 4 * Math.ulp(v);
    }

    private static double up(double v) {
        if (Double.isNaN(v)) {
            return Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(v)) {
            return v;
        }
        return v < 0 ? Math.min(v + 4 * Math.ulp(v), -Double.MIN_VALUE) : v + 4 * Math.ulp(v);
    }

    private static Iv iv(double lo, double hi, int def, boolean singular) {
        return new Iv(dn(lo), up(hi), def, singular);
    }

    private static final Iv ALL_SINGULAR = new Iv(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, DEFINED, true);

    /** The value of the compiled constant, as {@link SymjaActivationFactory#compile} computes it. */
    private static double value(Expr.Num n) {
        if (n.isInteger() && n.num().bitLength() < 53) {
            return n.num().doubleValue();
        }
        return new java.math.BigDecimal(n.num()).divide(new java.math.BigDecimal(n.den()), java.math.MathContext.DECIMAL64)
                .doubleValue();
    }

    /** An enclosure of e on [lo, hi]. */
    static Iv eval(Expr e, double lo, double hi) {
        if (e instanceof Expr.Num n) {
            double v = value(n);
            return new Iv(v, v, DEFINED, false);
        }
        if (e instanceof Expr.Pi) {
            return new Iv(Math.PI, Math.PI, DEFINED, false);
        }
        if (e instanceof Expr.Euler) {
            return new Iv(Math.E, Math.E, DEFINED, false);
        }
        if (e instanceof Expr.Var) {
            return new Iv(lo, hi, DEFINED, false);
        }
        if (e instanceof Expr.Add a) {
            Iv s = new Iv(0, 0, DEFINED, false);
            for (Expr t : a.terms()) {
                s = add(s, eval(t, lo, hi));
            }
            return s;
        }
        if (e instanceof Expr.Sub s) {
            return add(eval(s.a(), lo, hi), neg(eval(s.b(), lo, hi)));
        }
        if (e instanceof Expr.Mul m) {
            Iv p = new Iv(1, 1, DEFINED, false);
            for (Expr t : m.factors()) {
                p = mul(p, eval(t, lo, hi));
            }
            return p;
        }
        if (e instanceof Expr.Div d) {
            return div(eval(d.a(), lo, hi), eval(d.b(), lo, hi));
        }
        if (e instanceof Expr.Neg n) {
            return neg(eval(n.a(), lo, hi));
        }
        if (e instanceof Expr.Pow p) {
            return pow(p, lo, hi);
        }
        Expr.Call c = (Expr.Call) e;
        return call(c.function(), eval(c.argument(), lo, hi));
    }

    private static int def(Iv a, Iv b) {
        return Math.max(a.def(), b.def());
    }

    private static Iv add(Iv a, Iv b) {
        if (a.def() == NONE || b.def() == NONE) {
            return Iv.UNDEFINED;
        }
        return iv(a.lo() + b.lo(), a.hi() + b.hi(), def(a, b), a.singular() || b.singular());
    }

    private static Iv neg(Iv a) {
        return a.def() == NONE ? a : new Iv(-a.hi(), -a.lo(), a.def(), a.singular());
    }

    /** x·y with 0·∞ = 0 (an endpoint ∞ stands for unboundedly large finite values). */
    private static double times(double x, double y) {
        return x == 0 || y == 0 ? 0 : x * y;
    }

    private static Iv mul(Iv a, Iv b) {
        if (a.def() == NONE || b.def() == NONE) {
            return Iv.UNDEFINED;
        }
        double p1 = times(a.lo(), b.lo());
        double p2 = times(a.lo(), b.hi());
        double p3 = times(a.hi(), b.lo());
        double p4 = times(a.hi(), b.hi());
        double lo = Math.min(Math.min(p1, p2), Math.min(p3, p4));
        double hi = Math.max(Math.max(p1, p2), Math.max(p3, p4));
        // a product of nonzero factors is nonzero, even where it underflows
        if (a.lo() > 0 && b.lo() > 0 || a.hi() < 0 && b.hi() < 0) {
            lo = Math.max(lo, Double.MIN_VALUE);
        } else if (a.lo() > 0 && b.hi() < 0 || a.hi() < 0 && b.lo() > 0) {
            hi = Math.min(hi, -Double.MIN_VALUE);
        }
        return iv(lo, hi, def(a, b), a.singular() || b.singular());
    }

    private static Iv div(Iv a, Iv b) {
        if (a.def() == NONE || b.def() == NONE) {
            return Iv.UNDEFINED;
        }
        if (b.lo() <= 0 && b.hi() >= 0) {
            return new Iv(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, def(a, b), true);
        }
        Iv r = iv(1 / b.hi(), 1 / b.lo(), DEFINED, false);
        double lo = b.lo() > 0 ? Math.max(r.lo(), Double.MIN_VALUE) : r.lo();
        double hi = b.hi() < 0 ? Math.min(r.hi(), -Double.MIN_VALUE) : r.hi();
        return mul(a, new Iv(lo, hi, b.def(), b.singular()));
    }

    private static Iv pow(Expr.Pow p, double lo, double hi) {
        Iv base = eval(p.base(), lo, hi);
        if (p.base() instanceof Expr.Euler) {
            return call("Exp", eval(p.exponent(), lo, hi));
        }
        if (base.def() == NONE) {
            return Iv.UNDEFINED;
        }
        if (p.exponent() instanceof Expr.Num n) {
            if (n.isInteger()) {
                return integerPower(base, n.num().doubleValue());
            }
            double q = value(n);
            Iv b = nonNegative(base);
            if (b.def() == NONE) {
                return b;
            }
            if (q < 0 && b.lo() <= 0) {
                return new Iv(dn(Math.pow(b.hi(), q)), Double.POSITIVE_INFINITY, b.def(), true);
            }
            double x = Math.pow(b.lo(), q);
            double y = Math.pow(b.hi(), q);
            return iv(Math.min(x, y), Math.max(x, y), b.def(), b.singular());
        }
        // a general power: b^e = exp(e·log b) for b > 0; undefined for b < 0 save where e is an integer
        Iv ex = eval(p.exponent(), lo, hi);
        if (ex.def() == NONE) {
            return Iv.UNDEFINED;
        }
        Iv b = nonNegative(base);
        if (b.def() == NONE) {
            return b;
        }
        Iv l = call("Log", new Iv(b.lo(), b.hi(), DEFINED, false));
        Iv r = call("Exp", mul(ex, new Iv(l.lo(), l.hi(), DEFINED, false)));
        boolean singular = b.singular() || ex.singular() || b.lo() <= 0 && ex.lo() < 0;
        return new Iv(r.lo(), r.hi(), Math.max(b.def(), ex.def()), singular);
    }

    /** The part of a where it is ≥ 0, PARTIAL if a reaches below 0, NONE if it is all below. */
    private static Iv nonNegative(Iv a) {
        if (a.hi() < 0) {
            return Iv.UNDEFINED;
        }
        return a.lo() < 0 ? new Iv(0, a.hi(), PARTIAL, a.singular()) : a;
    }

    private static Iv integerPower(Iv b, double n) {
        if (n == 0) {
            return new Iv(1, 1, b.def(), b.singular());
        }
        if (n < 0) {
            return div(new Iv(1, 1, DEFINED, false), integerPower(b, -n));
        }
        double x = Math.pow(b.lo(), n);
        double y = Math.pow(b.hi(), n);
        boolean even = n % 2 == 0;
        Iv r;
        if (!even || b.lo() >= 0) {
            r = iv(x, y, b.def(), b.singular());
        } else if (b.hi() <= 0) {
            r = iv(y, x, b.def(), b.singular());
        } else {
            r = iv(0, Math.max(x, y), b.def(), b.singular());
        }
        // a power of a nonzero number is nonzero, even where it underflows
        if (b.lo() > 0 || even && b.hi() < 0) {
            return new Iv(Math.max(r.lo(), Double.MIN_VALUE), r.hi(), r.def(), r.singular());
        }
        if (b.hi() < 0) {
            return new Iv(r.lo(), Math.min(r.hi(), -Double.MIN_VALUE), r.def(), r.singular());
        }
        return r;
    }

    private static Iv increasing(DoubleUnaryOperator f, Iv a) {
        return iv(f.applyAsDouble(a.lo()), f.applyAsDouble(a.hi()), a.def(), a.singular());
    }

    private static Iv call(String name, Iv a) {
        if (a.def() == NONE) {
            return a;
        }
        switch (name) {
            case "Sqrt": {
                Iv b = nonNegative(a);
                return b.def() == NONE ? b : increasing(Math::sqrt, b);
            }
            case "Log": {
                Iv b = nonNegative(a);
                if (b.def() == NONE) {
                    return b;
                }
                return b.lo() <= 0 ? new Iv(Double.NEGATIVE_INFINITY, up(Math.log(b.hi())), b.def(), true) : increasing(Math::log, b);
            }
            case "ArcSin":
            case "ArcCos": {
                if (a.hi() < -1 || a.lo() > 1) {
                    return Iv.UNDEFINED;
                }
                int def = a.lo() < -1 || a.hi() > 1 ? PARTIAL : a.def();
                Iv b = new Iv(Math.max(a.lo(), -1), Math.min(a.hi(), 1), def, a.singular());
                return name.equals("ArcSin") ? increasing(Math::asin, b)
                        : iv(Math.acos(b.hi()), Math.acos(b.lo()), def, a.singular());
            }
            case "ArcCosh": {
                if (a.hi() < 1) {
                    return Iv.UNDEFINED;
                }
                int def = a.lo() < 1 ? PARTIAL : a.def();
                return increasing(org.hipparchus.util.FastMath::acosh, new Iv(Math.max(a.lo(), 1), a.hi(), def, a.singular()));
            }
            case "ArcTanh": {
                if (a.hi() < -1 || a.lo() > 1) {
                    return Iv.UNDEFINED;
                }
                int def = a.lo() < -1 || a.hi() > 1 ? PARTIAL : a.def();
                Iv b = new Iv(Math.max(a.lo(), -1), Math.min(a.hi(), 1), def, a.singular() || a.lo() <= -1 || a.hi() >= 1);
                return increasing(org.hipparchus.util.FastMath::atanh, b);
            }
            case "ArcTan":
                return increasing(Math::atan, a);
            case "ArcSinh":
                return increasing(org.hipparchus.util.FastMath::asinh, a);
            case "Sinh":
                return increasing(Math::sinh, a);
            case "Tanh":
                return increasing(Math::tanh, a);
            case "Erf": {
                double l = org.apache.commons.numbers.gamma.Erf.value(a.lo());
                double h = org.apache.commons.numbers.gamma.Erf.value(a.hi());
                return new Iv(Math.max(-1, l - 1e-13 * (1 + Math.abs(l))), Math.min(1, h + 1e-13 * (1 + Math.abs(h))), a.def(),
                        a.singular());
            }
            case "Erfc": {
                double l = org.apache.commons.numbers.gamma.Erfc.value(a.hi());
                double h = org.apache.commons.numbers.gamma.Erfc.value(a.lo());
                return new Iv(Math.max(Double.MIN_VALUE, l * (1 - 1e-13)), Math.min(2, h * (1 + 1e-13)), a.def(), a.singular());
            }
            case "Exp": {
                Iv r = increasing(Math::exp, a);
                return new Iv(Math.max(r.lo(), Double.MIN_VALUE), r.hi(), r.def(), r.singular());
            }
            case "Cosh": {
                Iv m = abs(a);
                Iv r = increasing(Math::cosh, m);
                return new Iv(Math.max(r.lo(), 1), r.hi(), r.def(), r.singular());
            }
            case "Sech": {
                Iv m = abs(a);
                return new Iv(Math.max(dn(1 / Math.cosh(m.hi())), Double.MIN_VALUE), Math.min(1, up(1 / Math.cosh(m.lo()))), a.def(),
                        a.singular());
            }
            case "Abs":
                return abs(a);
            case "Sign":
                return new Iv(Math.signum(a.lo()), Math.signum(a.hi()), a.def(), a.singular());
            case "Sin":
                return periodic(a, 0.5 * Math.PI);
            case "Cos":
                return periodic(a, 0);
            case "Tan":
                return hasPole(a, 0.5 * Math.PI) ? new Iv(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, a.def(), true)
                        : increasing(Math::tan, a);
            case "Cot":
                return hasPole(a, 0) ? new Iv(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, a.def(), true)
                        : iv(1 / Math.tan(a.hi()), 1 / Math.tan(a.lo()), a.def(), a.singular());
            case "Sec":
                return div(new Iv(1, 1, DEFINED, false), periodic(a, 0));
            case "Csc":
                return div(new Iv(1, 1, DEFINED, false), periodic(a, 0.5 * Math.PI));
            case "Coth":
                return div(new Iv(1, 1, DEFINED, false), increasing(Math::tanh, a));
            case "Csch":
                return div(new Iv(1, 1, DEFINED, false), increasing(Math::sinh, a));
            default:
                // a function this check does not know makes no claim: finite, range unknown
                // (ExpressionDomainTest checks that every function of Functions is known)
                return new Iv(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, a.def(), a.singular());
        }
    }

    /** The functions {@link #call} has interval rules for. */
    static final java.util.Set<String> KNOWN = java.util.Set.of("Sqrt", "Log", "ArcSin", "ArcCos", "ArcCosh", "ArcTanh", "ArcTan",
            "ArcSinh", "Sinh", "Tanh", "Erf", "Erfc", "Exp", "Cosh", "Sech", "Abs", "Sign", "Sin", "Cos", "Tan", "Cot", "Sec", "Csc",
            "Coth", "Csch");

    private static Iv abs(Iv a) {
        if (a.lo() >= 0) {
            return a;
        }
        if (a.hi() <= 0) {
            return new Iv(-a.hi(), -a.lo(), a.def(), a.singular());
        }
        return new Iv(0, Math.max(-a.lo(), a.hi()), a.def(), a.singular());
    }

    /** Whether a contains a point p + kπ (Tan: p = π/2, Cot: p = 0), or may. */
    private static boolean hasPole(Iv a, double p) {
        double lo = a.lo();
        double hi = a.hi();
        return !(hi - lo < Math.PI) || Math.abs(lo) > 1e15 || Math.abs(hi) > 1e15 || contains(lo, hi, p, Math.PI);
    }

    /**
     * sin or cos on a (peak = π/2 for sin: the maxima at peak + 2kπ, minima at peak + π + 2kπ; 0
     * for cos). Points within 1e-15 relative of an end count as inside.
     */
    private static Iv periodic(Iv a, double peak) {
        double lo = a.lo();
        double hi = a.hi();
        boolean wide = !(hi - lo < 2 * Math.PI) || Math.abs(lo) > 1e15 || Math.abs(hi) > 1e15;
        if (wide) {
            return new Iv(-1, 1, a.def(), a.singular());
        }
        DoubleUnaryOperator f = peak == 0 ? Math::cos : Math::sin;
        double x = f.applyAsDouble(lo);
        double y = f.applyAsDouble(hi);
        double l = dn(Math.min(x, y));
        double h = up(Math.max(x, y));
        if (contains(lo, hi, peak, 2 * Math.PI)) {
            h = 1;
        }
        if (contains(lo, hi, peak + Math.PI, 2 * Math.PI)) {
            l = -1;
        }
        return new Iv(Math.max(l, -1), Math.min(h, 1), a.def(), a.singular());
    }

    /** Whether [lo, hi] (widened by 1e-15 relative) contains a point p + k·period. */
    private static boolean contains(double lo, double hi, double p, double period) {
        double eps = 1e-15 * Math.max(1, Math.max(Math.abs(lo), Math.abs(hi))) + 1e-15;
        double k = Math.ceil((lo - eps - p) / period);
        return p + k * period <= hi + eps;
    }
}
