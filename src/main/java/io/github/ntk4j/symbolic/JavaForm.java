package io.github.ntk4j.symbolic;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Prints kernel expressions as Java source: a Symja input-form expression becomes a Java
 * {@code double} expression using {@link Math} ({@code Math.sqrt}, {@code Math.acos},
 * {@code Math.asin}, {@code Math.PI}, …) in the same variable names.
 */
public final class JavaForm {
    private JavaForm() {
    }

    /**
     * @param symja an expression in Symja input form, e.g. {@code 1/2-ArcCos(u)/(2*Pi)}
     * @return the Java expression, e.g. {@code ((1.0/2.0) - (Math.acos(u) / (2.0 * Math.PI)))}
     * @throws io.github.ntk4j.Ntk4jException if the expression uses a function outside
     *     {@link ExprParser}'s grammar
     */
    public static String expression(String symja) {
        StringBuilder sb = new StringBuilder();
        write(sb, ExprParser.parse(symja));
        return sb.toString();
    }

    private static void write(StringBuilder sb, Expr e) {
        if (e instanceof Expr.Num n) {
            if (n.isInteger()) {
                sb.append(literal(n.num()));
            } else {
                sb.append('(').append(literal(n.num())).append('/').append(literal(n.den())).append(')');
            }
        } else if (e instanceof Expr.Pi) {
            sb.append("Math.PI");
        } else if (e instanceof Expr.Euler) {
            sb.append("Math.E");
        } else if (e instanceof Expr.Var v) {
            sb.append(v.name());
        } else if (e instanceof Expr.Add a) {
            sb.append('(');
            for (int i = 0; i < a.terms().size(); i++) {
                sb.append(i == 0 ? "" : " + ");
                write(sb, a.terms().get(i));
            }
            sb.append(')');
        } else if (e instanceof Expr.Sub s) {
            sb.append('(');
            write(sb, s.a());
            sb.append(" - ");
            write(sb, s.b());
            sb.append(')');
        } else if (e instanceof Expr.Mul m) {
            sb.append('(');
            for (int i = 0; i < m.factors().size(); i++) {
                sb.append(i == 0 ? "" : " * ");
                write(sb, m.factors().get(i));
            }
            sb.append(')');
        } else if (e instanceof Expr.Div d) {
            sb.append('(');
            write(sb, d.a());
            sb.append(" / ");
            write(sb, d.b());
            sb.append(')');
        } else if (e instanceof Expr.Neg n) {
            sb.append("(-");
            write(sb, n.a());
            sb.append(')');
        } else if (e instanceof Expr.Pow p) {
            power(sb, p);
        } else if (e instanceof Expr.Call c) {
            String f = Functions.byName(c.function()).java();
            // reciprocal functions (Sech → 1.0 / Math.cosh) are bracketed as a whole
            boolean reciprocal = f.startsWith("1.0 / ");
            sb.append(reciprocal ? "(" : "").append(f).append('(');
            write(sb, c.argument());
            sb.append(')').append(reciprocal ? ")" : "");
        }
    }

    private static void power(StringBuilder sb, Expr.Pow p) {
        if (p.exponent() instanceof Expr.Num n && n.den().equals(BigInteger.TWO) && n.num().abs().equals(BigInteger.ONE)) {
            sb.append(n.num().signum() < 0 ? "(1.0 / Math.sqrt(" : "Math.sqrt(");
            write(sb, p.base());
            sb.append(n.num().signum() < 0 ? "))" : ")");
            return;
        }
        sb.append("Math.pow(");
        write(sb, p.base());
        sb.append(", ");
        write(sb, p.exponent());
        sb.append(')');
    }

    private static String literal(BigInteger v) {
        if (v.bitLength() <= 53) {
            return v + ".0";
        }
        return Double.toString(new BigDecimal(v).doubleValue());
    }
}
