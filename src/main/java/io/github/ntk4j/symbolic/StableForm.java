package io.github.ntk4j.symbolic;

import java.math.BigInteger;

/**
 * Rewrites a kernel expression so that its sine and its angle come from one computation
 * (docs/KERNEL-RECURSION.md §5). The arc-cosine duals, as Symja writes them, hold the sine of
 * the angle twice: once as {@code Sqrt(1 - A^2/B)} and once inside {@code ArcCos(A/Sqrt(B))}.
 * Near collinear inputs 1 − A²/B is below the resolution of even double-double arithmetic
 * (about 1e-32 for an angle of 1e-16), and two different roundings of it give a sine and an
 * angle that disagree in the first order: the dual T = n(sin θ + (π − θ) cos θ)/(2π), which is
 * stationary in θ, is then off by about 1e-17 relative, and the next layer's angle, formed from
 * 1 − T²/(T_xx T_yy), by 1e-8 (the NTK of a depth-2 ReLU chain at y = x + 1e-15·z was off by
 * 3e-10, measured). Written as {@code Cof(A/Sqrt(B))} = √((1 − c)(1 + c)) with c = A/√B, the
 * very radicand from which the angle is taken (atan2(√((1 − c)(1 + c)), c)), the sine and
 * angle agree and the rounding enters T only in the second order, as in the numeric engine,
 * which carries the angle itself.
 */
final class StableForm {
    /** The name of the cofunction √((1 − z)(1 + z)) in rewritten trees. */
    static final String COF = "Cof";

    private StableForm() {
    }

    /**
     * @param e a parsed expression
     * @return the same value with every {@code Sqrt(1 - A^2)}, {@code Sqrt(1 - A^2/B)} and
     *     {@code Sqrt(1 - k*A^2/B)} (k a positive number) written as {@code Cof(…)}
     */
    static Expr of(Expr e) {
        if (e instanceof Expr.Add a) {
            return new Expr.Add(a.terms().stream().map(StableForm::of).toList());
        }
        if (e instanceof Expr.Mul m) {
            return new Expr.Mul(m.factors().stream().map(StableForm::of).toList());
        }
        if (e instanceof Expr.Sub s) {
            return new Expr.Sub(of(s.a()), of(s.b()));
        }
        if (e instanceof Expr.Div d) {
            return new Expr.Div(of(d.a()), of(d.b()));
        }
        if (e instanceof Expr.Neg n) {
            return new Expr.Neg(of(n.a()));
        }
        if (e instanceof Expr.Pow p) {
            if (p.exponent() instanceof Expr.Num n && n.den().equals(BigInteger.TWO) && n.num().abs().equals(BigInteger.ONE)) {
                Expr c = cosine(p.base());
                if (c != null) {
                    Expr cof = new Expr.Call(COF, of(c));
                    return n.num().signum() > 0 ? cof : new Expr.Div(new Expr.Num(BigInteger.ONE, BigInteger.ONE), cof);
                }
            }
            return new Expr.Pow(of(p.base()), of(p.exponent()));
        }
        if (e instanceof Expr.Call c) {
            if (c.function().equals("Sqrt")) {
                Expr cos = cosine(c.argument());
                if (cos != null) {
                    return new Expr.Call(COF, of(cos));
                }
            }
            return new Expr.Call(c.function(), of(c.argument()));
        }
        return e;
    }

    /** For a radicand 1 − c² in one of the recognised shapes, c; else null. */
    private static Expr cosine(Expr radicand) {
        if (!(radicand instanceof Expr.Sub s) || !(s.a() instanceof Expr.Num one) || !one.isInteger()
                || !one.num().equals(BigInteger.ONE)) {
            return null;
        }
        Expr x = s.b();
        Expr a = square(x);
        if (a != null) {
            return a;
        }
        if (x instanceof Expr.Div d) {
            Expr num = d.a();
            Expr k = null;
            if (num instanceof Expr.Mul m && m.factors().size() == 2 && m.factors().get(0) instanceof Expr.Num n
                    && n.num().signum() > 0) {
                k = n;
                num = m.factors().get(1);
            }
            a = square(num);
            if (a != null) {
                // A^2/B = (A/√B)²; k·A²/B = (A/√(B/k))²
                Expr b = k == null ? d.b() : new Expr.Div(d.b(), k);
                return new Expr.Div(a, new Expr.Call("Sqrt", b));
            }
        }
        return null;
    }

    private static Expr square(Expr x) {
        if (x instanceof Expr.Pow p && p.exponent() instanceof Expr.Num n && n.isInteger() && n.num().equals(BigInteger.TWO)) {
            return p.base();
        }
        return null;
    }
}
