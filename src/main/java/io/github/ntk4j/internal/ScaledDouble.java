package io.github.ntk4j.internal;

import java.util.Locale;

/**
 * A real number m·2^e with a double mantissa m (1 ≤ |m| &lt; 2, or m = 0) and an int exponent
 * e: a double with an exponent range wide enough for any kernel value the recursion meets
 * (2^±2147483647), and the same 53-bit precision.
 *
 * <p>Why: the kernel recursion's per-input scales (√Σxx at each layer) leave the double range
 * long before the kernel values the user asks for do (inputs of norm 1e150 through a
 * Dense(1e100, 0) layer have Σ = 1e500, and a ReLU-family network brings it back to scale), so
 * the engine carries them in this form and converts to double only at the end, refusing values
 * that do not fit. Scaling by powers of two is exact; products and quotients are rounded once,
 * like doubles. Hipparchus' {@code Dfp} has the range too but is about a thousand times slower,
 * and this class runs once per input and layer of every Gram matrix.
 */
public final class ScaledDouble implements Comparable<ScaledDouble> {
    /** Zero. */
    public static final ScaledDouble ZERO = new ScaledDouble(0, 0);
    /** One. */
    public static final ScaledDouble ONE = new ScaledDouble(1, 0);
    private static final double TWO_54 = 0x1p54;

    private final double mantissa;
    private final int exponent;

    private ScaledDouble(double mantissa, int exponent) {
        this.mantissa = mantissa;
        this.exponent = exponent;
    }

    /**
     * @param v a finite double
     * @return v as a scaled double (exact)
     */
    public static ScaledDouble of(double v) {
        return of(v, 0);
    }

    /**
     * @param v a finite double
     * @param exp a power of two
     * @return v·2^exp (exact)
     */
    public static ScaledDouble of(double v, long exp) {
        if (!Double.isFinite(v)) {
            throw new ArithmeticException("not finite: " + v);
        }
        if (v == 0) {
            return ZERO;
        }
        int e = Math.getExponent(v);
        if (e < Double.MIN_EXPONENT) { // subnormal: normalise first
            v *= TWO_54;
            exp -= 54;
            e = Math.getExponent(v);
        }
        long total = exp + e;
        if (total > Integer.MAX_VALUE || total < -Integer.MAX_VALUE) {
            throw new ArithmeticException("exponent out of range: 2^" + total);
        }
        return new ScaledDouble(Math.scalb(v, -e), (int) total);
    }

    /** @return the mantissa m, 1 ≤ |m| &lt; 2 (0 for zero) */
    public double mantissa() {
        return mantissa;
    }

    /** @return the binary exponent e (0 for zero) */
    public int exponent() {
        return exponent;
    }

    /** @return whether this is zero */
    public boolean isZero() {
        return mantissa == 0;
    }

    /** @return the sign: −1, 0 or 1 */
    public int signum() {
        return (int) Math.signum(mantissa);
    }

    /**
     * @param o a factor
     * @return this·o, rounded once
     */
    public ScaledDouble multiply(ScaledDouble o) {
        return of(mantissa * o.mantissa, (long) exponent + o.exponent);
    }

    /**
     * @param v a finite factor
     * @return this·v, rounded once
     */
    public ScaledDouble multiply(double v) {
        return multiply(of(v));
    }

    /**
     * @param o a non-zero divisor
     * @return this/o, rounded once
     */
    public ScaledDouble divide(ScaledDouble o) {
        if (o.isZero()) {
            throw new ArithmeticException("division by zero");
        }
        return of(mantissa / o.mantissa, (long) exponent - o.exponent);
    }

    /** @return √this for this ≥ 0, rounded once */
    public ScaledDouble sqrt() {
        if (mantissa < 0) {
            throw new ArithmeticException("square root of a negative number");
        }
        if (isZero()) {
            return ZERO;
        }
        return (exponent & 1) == 0 ? of(Math.sqrt(mantissa), exponent / 2)
                : of(Math.sqrt(2 * mantissa), Math.floorDiv(exponent - 1, 2));
    }

    /**
     * @param o a summand
     * @return this + o, rounded once (the smaller one is aligned to the larger's exponent)
     */
    public ScaledDouble add(ScaledDouble o) {
        if (o.isZero()) {
            return this;
        }
        if (isZero()) {
            return o;
        }
        ScaledDouble big = exponent >= o.exponent ? this : o;
        ScaledDouble small = big == this ? o : this;
        long shift = (long) small.exponent - big.exponent;
        double s = shift < -1100 ? 0 : Math.scalb(small.mantissa, (int) shift);
        return of(big.mantissa + s, big.exponent);
    }

    /**
     * The nearest double, saturating: ±Infinity above the double range, a subnormal or zero
     * below it.
     *
     * @return the value as a double
     */
    public double doubleValue() {
        if (exponent > Double.MAX_EXPONENT + 1) {
            return mantissa * Double.POSITIVE_INFINITY;
        }
        if (exponent < -1200) {
            return mantissa * 0.0;
        }
        return Math.scalb(mantissa, exponent);
    }

    /** @return whether the value is zero or a normal double (no digits lost in conversion) */
    public boolean fitsDouble() {
        return isZero() || (exponent <= Double.MAX_EXPONENT && exponent >= Double.MIN_EXPONENT);
    }

    /** @return log10 |this| (−Infinity for zero) */
    public double log10() {
        return Math.log10(Math.abs(mantissa)) + exponent * 0.30102999566398120;
    }

    /**
     * The order of magnitude as text, e.g. {@code 3e+400} or {@code -1e-320}.
     *
     * @return the rounded value in scientific notation
     */
    public String magnitude() {
        if (isZero()) {
            return "0";
        }
        double l = log10();
        long p = (long) Math.floor(l);
        double lead = Math.pow(10, l - p);
        if (lead >= 9.5) {
            lead = 1;
            p++;
        }
        return String.format(Locale.ROOT, "%s%.0fe%+d", mantissa < 0 ? "-" : "", lead, p);
    }

    @Override
    public int compareTo(ScaledDouble o) {
        if (signum() != o.signum()) {
            return Integer.compare(signum(), o.signum());
        }
        if (isZero()) {
            return 0;
        }
        int byExponent = Integer.compare(exponent, o.exponent);
        int c = byExponent != 0 ? byExponent : Double.compare(Math.abs(mantissa), Math.abs(o.mantissa));
        return signum() > 0 ? c : -c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledDouble s && s.exponent == exponent && Double.compare(s.mantissa, mantissa) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(mantissa) * 31 + exponent;
    }

    @Override
    public String toString() {
        return mantissa + "*2^" + exponent;
    }
}
