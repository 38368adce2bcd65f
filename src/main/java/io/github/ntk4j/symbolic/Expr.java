package io.github.ntk4j.symbolic;

import java.math.BigInteger;
import java.util.List;

/**
 * A small expression tree of ntk4j's own, read from Symja's input form by
 * {@link ExprParser}, so that printing as Java and compiling to an evaluator need no Symja
 * type. Only what kernel expressions contain: rationals, π, variables, + − × ÷, powers and
 * the one-argument functions of {@link Functions}.
 */
sealed interface Expr {

    /** An exact rational num/den, den &gt; 0. */
    record Num(BigInteger num, BigInteger den) implements Expr {
        boolean isInteger() {
            return den.equals(BigInteger.ONE);
        }
    }

    /** Euler's number e (Symja prints Exp[x] as E^x). */
    record Euler() implements Expr {
    }

    /** The constant π. */
    record Pi() implements Expr {
    }

    /** A variable or a name defined earlier in a straight-line program. */
    record Var(String name) implements Expr {
    }

    /** A sum of terms. */
    record Add(List<Expr> terms) implements Expr {
    }

    /** a − b. */
    record Sub(Expr a, Expr b) implements Expr {
    }

    /** A product of factors. */
    record Mul(List<Expr> factors) implements Expr {
    }

    /** a / b. */
    record Div(Expr a, Expr b) implements Expr {
    }

    /** −a. */
    record Neg(Expr a) implements Expr {
    }

    /** base^exponent. */
    record Pow(Expr base, Expr exponent) implements Expr {
    }

    /** A function call, name as Symja writes it (e.g. ArcCos). */
    record Call(String function, Expr argument) implements Expr {
    }
}
