package io.github.ntk4j.symbolic;

import io.github.ntk4j.internal.Messages;
import java.util.ArrayList;
import java.util.List;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.interfaces.IExpr;

/**
 * The power-series arithmetic behind {@link SymjaSession#composeSeries}, over Symja's
 * expression trees (see there for the rules). Only loaded once Symja is known to be present.
 */
final class SymjaSeries {
    private final ExprEvaluator evaluator;

    private SymjaSeries(ExprEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    static List<String> compose(ExprEvaluator evaluator, String expr, String variable,
            List<String> argument, int n) {
        SymjaSeries s = new SymjaSeries(evaluator);
        IExpr tree = s.parse(expr);
        IExpr x = s.parse(variable);
        List<IExpr> arg = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            arg.add(s.parse(argument.get(i)));
        }
        List<IExpr> r = s.series(tree, x, arg, n);
        List<String> out = new ArrayList<>(n);
        for (IExpr c : r) {
            out.add(c.toString().replace("\\\n", "").replace("\n", ""));
        }
        return out;
    }

    private IExpr parse(String input) {
        try {
            return evaluator.eval(input);
        } catch (RuntimeException | StackOverflowError e) {
            throw Messages.symbolicFailed(shorten(input), String.valueOf(e.getMessage()));
        }
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
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
        if (e.isPower() && e.getAt(1).isFree(x)) {
            // b^a = e^(a·log b); Symja writes Exp(a) as E^a, where log b = 1
            List<IExpr> a = series(e.getAt(2), x, arg, n);
            if (!e.getAt(1).equals(org.matheclipse.core.expression.F.E)) {
                a = product(a, constant(org.matheclipse.core.expression.F.Log(e.getAt(1)), n), n);
            }
            return exp(a, n);
        }
        String head = e.head().toString().toLowerCase(java.util.Locale.ROOT);
        if ((head.equals("sinh") || head.equals("cosh")) && e.argSize() == 1) {
            // (e^a ∓ e^(−a))/2
            List<IExpr> a = series(e.getAt(1), x, arg, n);
            List<IExpr> minus = new ArrayList<>(n);
            for (IExpr c : a) {
                minus.add(ev(org.matheclipse.core.expression.F.Negate(c)));
            }
            List<IExpr> p = exp(a, n);
            List<IExpr> m = exp(minus, n);
            List<IExpr> y = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                IExpr mk = head.equals("sinh") ? org.matheclipse.core.expression.F.Negate(m.get(k)) : m.get(k);
                y.add(ev(org.matheclipse.core.expression.F.Times(org.matheclipse.core.expression.F.C1D2,
                        org.matheclipse.core.expression.F.Plus(p.get(k), mk))));
            }
            return y;
        }
        if (head.equals("arctan") && e.argSize() == 1) {
            // y' = a'·(1 + a²)^(−1)
            List<IExpr> a = series(e.getAt(1), x, arg, n);
            List<IExpr> onePlusA2 = product(a, a, n);
            onePlusA2.set(0, ev(org.matheclipse.core.expression.F.Plus(org.matheclipse.core.expression.F.C1, onePlusA2.get(0))));
            return integral(e.head(), a, power(onePlusA2, org.matheclipse.core.expression.F.CN1, n), org.matheclipse.core.expression.F.C1, n);
        }
        if ((head.equals("arcsin") || head.equals("arccos")) && e.argSize() == 1) {
            List<IExpr> a = series(e.getAt(1), x, arg, n);
            // y' = ±a' (1 − a²)^(−1/2)
            List<IExpr> oneMinusA2 = product(a, a, n);
            for (int k = 0; k < n; k++) {
                oneMinusA2.set(k, ev(org.matheclipse.core.expression.F.Subtract(k == 0 ? org.matheclipse.core.expression.F.C1
                        : org.matheclipse.core.expression.F.C0, oneMinusA2.get(k))));
            }
            List<IExpr> s = power(oneMinusA2, org.matheclipse.core.expression.F.CN1D2, n);
            IExpr sign = head.equals("arcsin") ? org.matheclipse.core.expression.F.C1 : org.matheclipse.core.expression.F.CN1;
            return integral(e.head(), a, s, sign, n);
        }
        throw Messages.symbolicFailed(shorten(e.toString()), "no power-series rule for " + e.head());
    }

    /**
     * y = f(a) from y' = sign·a'·g: y₀ = f(a₀), y_k = (sign/k)·(a'·g)_{k−1}, where g is the
     * series of f'(a)/sign.
     */
    private List<IExpr> integral(IExpr f, List<IExpr> a, List<IExpr> g, IExpr sign, int n) {
        List<IExpr> da = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            da.add(k + 1 < n ? ev(org.matheclipse.core.expression.F.Times(org.matheclipse.core.expression.F.ZZ(k + 1L),
                    a.get(k + 1))) : org.matheclipse.core.expression.F.C0);
        }
        List<IExpr> dy = product(da, g, n);
        List<IExpr> y = new ArrayList<>(n);
        y.add(ev(org.matheclipse.core.expression.F.unaryAST1(f, a.get(0))));
        for (int k = 1; k < n; k++) {
            y.add(ev(org.matheclipse.core.expression.F.Times(sign, org.matheclipse.core.expression.F.QQ(1, k), dy.get(k - 1))));
        }
        return y;
    }

    /** y = e^a by y' = a'·y: y₀ = e^(a₀), y_k = (1/k) Σ_{j=1..k} j·a_j·y_{k−j}. */
    private List<IExpr> exp(List<IExpr> a, int n) {
        List<IExpr> y = new ArrayList<>(n);
        y.add(ev(org.matheclipse.core.expression.F.Exp(a.get(0))));
        for (int k = 1; k < n; k++) {
            org.matheclipse.core.interfaces.IASTAppendable sum = org.matheclipse.core.expression.F.PlusAlloc(k);
            for (int j = 1; j <= k; j++) {
                if (!a.get(j).isZero() && !y.get(k - j).isZero()) {
                    sum.append(org.matheclipse.core.expression.F.Times(org.matheclipse.core.expression.F.ZZ(j), a.get(j), y.get(k - j)));
                }
            }
            y.add(sum.argSize() == 0 ? org.matheclipse.core.expression.F.C0
                    : ev(org.matheclipse.core.expression.F.Times(org.matheclipse.core.expression.F.QQ(1, k), sum.oneIdentity0())));
        }
        return y;
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
}
