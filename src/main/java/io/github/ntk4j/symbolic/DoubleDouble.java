package io.github.ntk4j.symbolic;

/**
 * Double-double arithmetic (a value is hi + lo with |lo| ≤ ulp(hi)/2, about 32 significant
 * digits) on register files {@code h[]}, {@code l[]}; error-free transformations after Dekker
 * (1971) and Knuth's TwoSum, with {@link Math#fma} for TwoProduct.
 *
 * <p>Why: the kernel expressions form differences that cancel for nearly collinear inputs
 * (1 − c² with c = Σxy/√(ΣxxΣyy) within 1e-11 of 1; docs/KERNEL-RECURSION.md §5). In double the
 * difference keeps a few digits; in double-double it keeps about 20, enough that the
 * transcendental functions, evaluated in double from accurately formed arguments, give
 * results good to about 1e-15 relative.
 *
 * <p>Why hand-written: the only extended-precision type among the dependencies is Hipparchus'
 * {@code Dfp}. Measured on the cancelling radicand √((ΣxxΣyy − Σxy²)/Σxx) of nearly collinear
 * inputs, one JVM on the shared 2-core machine: 24–200 ns per evaluation here against about
 * 0.15–0.4 ms with {@code Dfp} at 32 digits (three orders of magnitude), with results that
 * agree to 2.2e-16.
 */
final class DoubleDouble {
    /** π as a double-double. */
    static final double PI_HI = Math.PI;
    static final double PI_LO = 1.2246467991473532e-16;
    /** π/2 as a double-double. */
    static final double HALF_PI_HI = Math.PI / 2;
    static final double HALF_PI_LO = 6.123233995736766e-17;

    private DoubleDouble() {
    }

    /** Stores a + b (exact) at r as a normalised double-double. */
    static void twoSum(double a, double b, double[] h, double[] l, int r) {
        double s = a + b;
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        h[r] = s;
        l[r] = err;
    }

    /** r = a + b. */
    static void add(double ah, double al, double bh, double bl, double[] h, double[] l, int r) {
        double s = ah + bh;
        double bb = s - ah;
        double e = (ah - (s - bb)) + (bh - bb);
        double t = al + bl;
        double tb = t - al;
        double f = (al - (t - tb)) + (bl - tb);
        e += t;
        double s2 = s + e;
        e = e - (s2 - s);
        e += f;
        double s3 = s2 + e;
        h[r] = s3;
        l[r] = e - (s3 - s2);
    }

    /** r = a · b. */
    static void mul(double ah, double al, double bh, double bl, double[] h, double[] l, int r) {
        double p = ah * bh;
        double e = Math.fma(ah, bh, -p);
        e += ah * bl + al * bh;
        double s = p + e;
        h[r] = s;
        l[r] = e - (s - p);
    }

    /** r = a / b (two correction steps). */
    static void div(double ah, double al, double bh, double bl, double[] h, double[] l, int r) {
        double q1 = ah / bh;
        if (!Double.isFinite(q1)) {
            h[r] = q1;
            l[r] = 0;
            return;
        }
        // remainder a − q1·b, formed exactly to first order
        double p = q1 * bh;
        double pe = Math.fma(q1, bh, -p);
        double rem = ((ah - p) - pe) + al - q1 * bl;
        double q2 = rem / bh;
        double s = q1 + q2;
        h[r] = s;
        l[r] = q2 - (s - q1);
    }

    /**
     * r = √a, with a tiny negative a (rounding of a quantity that is ≥ 0 in exact arithmetic)
     * clamped to 0 as the numeric engine does (docs/KERNEL-RECURSION.md §5).
     */
    static void sqrt(double ah, double al, double[] h, double[] l, int r) {
        if (ah <= 0) {
            h[r] = 0;
            l[r] = 0;
            return;
        }
        double s = Math.sqrt(ah);
        double p = s * s;
        double pe = Math.fma(s, s, -p);
        double rem = ((ah - p) - pe) + al;
        double c = rem / (2 * s);
        double t = s + c;
        h[r] = t;
        l[r] = c - (t - s);
    }
}
