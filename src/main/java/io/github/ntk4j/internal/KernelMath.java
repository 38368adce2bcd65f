package io.github.ntk4j.internal;

/*
 * atan, expm1 and log1p below are ports of fdlibm 5.3, whose notice follows:
 *
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunSoft, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 */

/**
 * Elementary functions for the kernel recursion, written so that the hot loop neither
 * crosses into native code nor loses digits.
 *
 * <ul>
 * <li>{@link #atan(double)} is a line-for-line port of fdlibm's {@code s_atan.c} (the algorithm
 * behind {@link StrictMath#atan}; error below 1 ulp). On JDK 17 {@code Math.atan} is not an
 * intrinsic and goes through JNI, which costs more than the rest of a ReLU layer.</li>
 * <li>{@link #sinMinusXCos(double, double, double)} is s(t) = sin t − t cos t, which cancels as t → 0
 * (s(t) ≈ t³/3); it is evaluated there by its Maclaurin series
 * Σ_{k≥1} (−1)^{k+1} 2k t^{2k+1}/(2k+1)!.</li>
 * <li>{@link #expm1(double)} and {@link #log1p(double)} are ports of fdlibm's {@code s_expm1.c}
 * and {@code s_log1p.c}, and {@link #tanh(double)} takes e^{2|x|} from the intrinsic
 * {@link Math#exp} (within 2 ulps): on JDK 17 {@code Math.expm1}, {@code Math.log1p} and
 * {@code Math.tanh} go through JNI too, at every node of the quadrature activations' rules.</li>
 * </ul>
 */
public final class KernelMath {
    private KernelMath() {
    }

    private static final double[] ATAN_HI = {
        4.63647609000806093515e-01, 7.85398163397448278999e-01,
        9.82793723247329054082e-01, 1.57079632679489655800e+00};
    private static final double[] ATAN_LO = {
        2.26987774529616870924e-17, 3.06161699786838301793e-17,
        1.39033110312309984516e-17, 6.12323399573676603587e-17};
    private static final double AT0 = 3.33333333333329318027e-01;
    private static final double AT1 = -1.99999999998764832476e-01;
    private static final double AT2 = 1.42857142725034663711e-01;
    private static final double AT3 = -1.11111104054623557880e-01;
    private static final double AT4 = 9.09088713343650656196e-02;
    private static final double AT5 = -7.69187620504482999495e-02;
    private static final double AT6 = 6.66107313738753120669e-02;
    private static final double AT7 = -5.83357013379057348645e-02;
    private static final double AT8 = 4.97687799461593236017e-02;
    private static final double AT9 = -3.65315727442169155270e-02;
    private static final double AT10 = 1.62858201153657823623e-02;

    /**
     * Arc tangent, fdlibm's algorithm (Sun Microsystems, 1993), in pure Java.
     *
     * <p>Why a port instead of {@link Math#atan}: on JDK 17 {@code Math.atan} has no JIT
     * intrinsic and calls the native fdlibm through {@code StrictMath}, which the compiler
     * cannot inline into the batched kernel loops. Measured in a 64-wide batch loop (the
     * engine's batch size), best of 6 in one JVM on the shared 2-core machine: 31–36 ns per call
     * for this port against 52–53 ns for {@code Math.atan} (1.4–1.7×), with bit-identical
     * results. A table-driven branch-free variant was tried and measured slower in the erf
     * layer (27 against 21 ns per pair, commit "Back to fdlibm's atan in the batched loops").
     *
     * @param x the argument
     * @return atan(x) in [−π/2, π/2], within 1 ulp (bit-identical to {@link StrictMath#atan})
     */
    public static double atan(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        int ix = hx & 0x7fffffff;
        int id;
        if (ix >= 0x44100000) { // |x| >= 2^66
            if (x != x) {
                return x + x;
            }
            return hx > 0 ? ATAN_HI[3] + ATAN_LO[3] : -ATAN_HI[3] - ATAN_LO[3];
        }
        if (ix < 0x3fdc0000) { // |x| < 0.4375
            if (ix < 0x3e200000) { // |x| < 2^-29
                return x;
            }
            id = -1;
        } else {
            x = Math.abs(x);
            if (ix < 0x3ff30000) { // |x| < 1.1875
                if (ix < 0x3fe60000) { // 7/16 <= |x| < 11/16
                    id = 0;
                    x = (2.0 * x - 1.0) / (2.0 + x);
                } else { // 11/16 <= |x| < 19/16
                    id = 1;
                    x = (x - 1.0) / (x + 1.0);
                }
            } else if (ix < 0x40038000) { // |x| < 2.4375
                id = 2;
                x = (x - 1.5) / (1.0 + 1.5 * x);
            } else { // 2.4375 <= |x| < 2^66
                id = 3;
                x = -1.0 / x;
            }
        }
        double z = x * x;
        double w = z * z;
        double s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
        double s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
        if (id < 0) {
            return x - x * (s1 + s2);
        }
        z = ATAN_HI[id] - ((x * (s1 + s2) - ATAN_LO[id]) - x);
        return hx < 0 ? -z : z;
    }

    // (−1)^{k+1} 2k/(2k+1)! for k = 1..10, each a correctly rounded double division.
    private static final double S1 = 1.0 / 3.0;
    private static final double S2 = -1.0 / 30.0;
    private static final double S3 = 1.0 / 840.0;
    private static final double S4 = -1.0 / 45360.0;
    private static final double S5 = 1.0 / 3991680.0;
    private static final double S6 = -1.0 / 518918400.0;
    private static final double S7 = 1.0 / 93405312000.0;
    private static final double S8 = -1.0 / 22230464256000.0;
    private static final double S9 = 1.0 / 6758061133824000.0;
    private static final double S10 = -1.0 / 2554547108585472000.0;

    /**
     * The angle θ ∈ [0, π] with cos θ ∝ c and sin θ ∝ s (s ≥ 0), from {@link #atan} of the
     * smaller ratio, never from arccos: it keeps full relative accuracy as θ → 0 and, through
     * {@code angle(-c, s)} = π − θ, as θ → π (nearly collinear and anti-collinear inputs).
     *
     * @param c a multiple of cos θ (for example Σxy)
     * @param s the same multiple of sin θ, ≥ 0 (for example √D)
     * @return θ
     */
    public static double angle(double c, double s) {
        if (c >= s) {
            return atan(s / c);
        }
        if (-c >= s) {
            return Math.PI - atan(s / -c);
        }
        return 0.5 * Math.PI - atan(c / s);
    }

    /**
     * s(t) = sin t − t cos t for t in [0, π], given sin t and cos t: by its Maclaurin series
     * for t &lt; 1 (ten terms; the next is below 1e-19 relative), directly otherwise (there the
     * two terms differ in sign or in size enough that no digits are lost).
     *
     * @param t the angle, 0 ≤ t ≤ π
     * @param sin sin t
     * @param cos cos t
     * @return sin t − t cos t to within a few ulps
     */
    public static double sinMinusXCos(double t, double sin, double cos) {
        if (t < 1.0) {
            double t2 = t * t;
            double p = S1 + t2 * (S2 + t2 * (S3 + t2 * (S4 + t2 * (S5 + t2 * (S6 + t2 * (S7 + t2 * (S8
                    + t2 * (S9 + t2 * S10))))))));
            return t * t2 * p;
        }
        return sin - t * cos;
    }
    // atan(t) = t + t³ A(t²) on |t| ≤ 1: A is the Chebyshev interpolant of degree 20 of
    // (atan(√z)/√z − 1)/z on z ∈ [0, 1] (mpmath.chebyfit at 60 digits, src/test/python/atan_chebyshev.py;
    // coefficients rounded to double); its error is below 5.1e-18, so below 6.5e-18 relative to atan(t)
    private static final double A0 = -0.3333333333333333;
    private static final double A1 = 0.19999999999999554;
    private static final double A2 = -0.14285714285648404;
    private static final double A3 = 0.11111111107234799;
    private static final double A4 = -0.09090908969557403;
    private static final double A5 = 0.07692305354678655;
    private static final double A6 = -0.06666636435777692;
    private static final double A7 = 0.05882074956371294;
    private static final double A8 = -0.05261265735709454;
    private static final double A9 = 0.04752086773576656;
    private static final double A10 = -0.04308119655330471;
    private static final double A11 = 0.03872640214042632;
    private static final double A12 = -0.033750132001619734;
    private static final double A13 = 0.027567942297344678;
    private static final double A14 = -0.020238706986393514;
    private static final double A15 = 0.012756172907694298;
    private static final double A16 = -0.006575683344151699;
    private static final double A17 = 0.002622977891906089;
    private static final double A18 = -0.0007518472526973822;
    private static final double A19 = 0.0001368724853148122;
    private static final double A20 = -1.1832505417555692e-05;

    /**
     * atan(w/q) on arrays, for points (w, q) on the unit circle (w² + q² = 1, q ≥ 0: the erf
     * layer's arcsin argument w and its cosine q = √(1 − w²), which it forms without
     * cancellation), by the half-angle identity atan(w/q) = arcsin w = 2 atan(w/(1 + q)), whose
     * argument lies in [−1, 1] for every such point: no range reduction, no branch, no min or
     * max (HotSpot's C2 on JDK 17 runs a loop with several of those at scalar speed). Then
     * atan t = t + t³A(t²) with A of degree 20 on [0, 1], in two loops short enough for C2 to
     * vectorise. The erf layer also needs 1/q, which it multiplies into its NTK ratios with
     * a factor f·h[k]: both quotients come from one division, with p = 1 + q and e = 1/(q·p),
     * 1/q = e·p and w/(1 + q) = w·(q·e), and the product is taken in the same loop (so the
     * layer spends no loop and no array on 1/q). Measured reason: the layer's loops run at the
     * throughput of the vector divider and square root, and the second division cost about
     * 0.4 ns of the erf layer's 5 ns per pair (AVX-512, 2-core AMD EPYC, JDK 17).
     *
     * <p>Error: for a point off the circle by ρ = √(w² + q²) ≠ 1 (rounding in the caller), the
     * half-angle argument w/(1 + q) differs from tan(atan2(w, q)/2) = w/(ρ + q) by a relative
     * (ρ − 1)/(1 + q), so the result is atan(w/q) to within |ρ − 1| relative, plus the roundings
     * of p, e, q·e and t (at most 2 ulps in t, so in atan t) and those of the polynomial (a few
     * ulps); 1/q is within 3 roundings, 1.5 ulps. q·p lies in (0, 2] and q·e in [1/2, 1], so
     * nothing overflows or underflows for q ≥ 2^-511. VectorMathTest checks both against
     * 45-digit values over the whole circle, w = 0, ±1 and the points within 1e-8 of them
     * included.
     *
     * @param w sines, |w| ≤ 1 (up to rounding), 0 or at least 2^-1020 in size (so that
     *        w/(1 + q) is a normal double), n of them
     * @param q cosines, at least 2^-511
     * @param out 2·atan(w[k]/(1 + q[k])) = atan(w[k]/q[k]), k &lt; n
     * @param scaled multiplied by f·h[k]·(1/q[k]), the last factor 1/q[k] as above, k &lt; n
     * @param f the factor f
     * @param h the factors h[k]
     * @param n how many
     * @param scratch n doubles of work space (not out or scaled)
     */
    public static void atanOnCircle(double[] w, double[] q, double[] out, double[] scaled, double f, double[] h, int n,
            double[] scratch) {
        for (int k = 0; k < n; k++) {
            final double qk = q[k];
            final double p = 1 + qk;
            final double e = 1 / (qk * p);
            out[k] = w[k] * (qk * e);
            scaled[k] *= f * h[k] * (e * p);
        }
        atanUnits(out, out, n, scratch, 2.0);
    }

    /**
     * atan(w/q) for one point (w, q) on the unit circle: the operations of {@link
     * #atanOnCircle(double[], double[], double[], double[], int, double[])} for one element (so the
     * same bits), for the single-pair path.
     *
     * @param w the sine, |w| ≤ 1 (up to rounding), 0 or at least 2^-1020 in size
     * @param q the cosine, &gt; 0
     * @return atan(w/q)
     */
    public static double atanOnCircle(double w, double q) {
        final double p = 1 + q;
        return atanUnit(w * (q * (1 / (q * p))), 2.0);
    }

    /**
     * f·atan t for one |t| ≤ 1: the operations of {@link #atanUnits(double[], double[], int,
     * double[], double)} for one element (so the same bits), for the one-pair rules.
     *
     * @param t the argument, |t| ≤ 1 (up to rounding)
     * @param f a power of two
     * @return f·atan t
     */
    public static double atanUnit(double t, double f) {
        final double z = t * t;
        final double ft = f * t;
        return ft + ft * z * atanSeries(z, atanSeriesHigh(z));
    }

    /**
     * atan t for |t| ≤ 1 on arrays: t + t³A(t²) with A of degree 20 ({@link #atanOnCircle}'s
     * polynomial, error below 6.5e-18 relative), in two loops short enough for HotSpot's C2 to
     * vectorise, with no range reduction (so no division and no min/max).
     * Within a few ulps; VectorMathTest checks it against 45-digit values over [−1, 1].
     *
     * @param t arguments, |t| ≤ 1 (up to rounding)
     * @param out atan t[k], k &lt; n (may be t)
     * @param n how many
     * @param scratch n doubles of work space (not t or out)
     */
    public static void atanUnits(double[] t, double[] out, int n, double[] scratch) {
        atanUnits(t, out, n, scratch, 1.0);
    }

    /**
     * f·atan t on arrays, with f a power of two (so exactly f times {@link #atanUnits}' values:
     * the doubling of a half-angle formula costs no loop of its own).
     *
     * @param t arguments, |t| ≤ 1 (up to rounding)
     * @param out f·atan t[k], k &lt; n (may be t)
     * @param n how many
     * @param scratch n doubles of work space (not t or out)
     * @param f a power of two
     */
    public static void atanUnits(double[] t, double[] out, int n, double[] scratch, double f) {
        // A(z) = A_lo(z) + z⁸ A_hi(z), by Estrin's scheme, the high part in a loop of its own
        for (int k = 0; k < n; k++) {
            final double x = t[k];
            final double z = x * x;
            final double z2 = z * z;
            final double z4 = z2 * z2;
            scratch[k] = ((A8 + z * A9) + z2 * (A10 + z * A11)) + z4 * ((A12 + z * A13) + z2 * (A14 + z * A15))
                    + (z4 * z4) * (((A16 + z * A17) + z2 * (A18 + z * A19)) + z4 * A20);
        }
        for (int k = 0; k < n; k++) {
            final double x = t[k];
            final double z = x * x;
            final double z2 = z * z;
            final double z4 = z2 * z2;
            final double p = (((A0 + z * A1) + z2 * (A2 + z * A3)) + z4 * ((A4 + z * A5) + z2 * (A6 + z * A7)))
                    + (z4 * z4) * scratch[k];
            final double fx = f * x;
            out[k] = fx + fx * z * p;
        }
    }

    /**
     * A(z) on arrays ({@link #atanSeries(double, double)} element by element, the same operations,
     * so the same bits), in two loops short enough for C2 to vectorise. The loops spell the
     * polynomial out instead of calling the scalar methods: C2 (JDK 17) did not vectorise the
     * loops of {@link #atanUnits} when they called them (1.4 against 4.7 ns per element).
     *
     * @param z arguments, 0 ≤ z ≤ 1
     * @param out A(z[k]), k &lt; n (may be z)
     * @param n how many
     * @param scratch n doubles of work space (not z or out)
     */
    public static void atanSeries(double[] z, double[] out, int n, double[] scratch) {
        for (int k = 0; k < n; k++) {
            final double x = z[k];
            final double z2 = x * x;
            final double z4 = z2 * z2;
            scratch[k] = ((A8 + x * A9) + z2 * (A10 + x * A11)) + z4 * ((A12 + x * A13) + z2 * (A14 + x * A15))
                    + (z4 * z4) * (((A16 + x * A17) + z2 * (A18 + x * A19)) + z4 * A20);
        }
        for (int k = 0; k < n; k++) {
            final double x = z[k];
            final double z2 = x * x;
            final double z4 = z2 * z2;
            out[k] = (((A0 + x * A1) + z2 * (A2 + x * A3)) + z4 * ((A4 + x * A5) + z2 * (A6 + x * A7)))
                    + (z4 * z4) * scratch[k];
        }
    }

    /**
     * The high part A_hi(z) of atan t = t + t³A(z), z = t² ≤ 1, A(z) = A_lo(z) + z⁸A_hi(z) (see
     * {@link #atanUnits}; a loop of its own there, so that each loop is short enough for C2 to
     * vectorise).
     *
     * @param z t², 0 ≤ z ≤ 1
     * @return A_hi(z)
     */
    public static double atanSeriesHigh(double z) {
        final double z2 = z * z;
        final double z4 = z2 * z2;
        return ((A8 + z * A9) + z2 * (A10 + z * A11)) + z4 * ((A12 + z * A13) + z2 * (A14 + z * A15))
                + (z4 * z4) * (((A16 + z * A17) + z2 * (A18 + z * A19)) + z4 * A20);
    }

    /**
     * A(z) = (atan t − t)/t³ for z = t² ≤ 1, the polynomial of degree 20 of {@link #atanUnits}
     * (error below 5.1e-18 absolute), given its high part {@link #atanSeriesHigh}(z).
     *
     * @param z t², 0 ≤ z ≤ 1
     * @param high {@link #atanSeriesHigh}(z)
     * @return A(z), in [−1/3, π/4 − 1]
     */
    public static double atanSeries(double z, double high) {
        final double z2 = z * z;
        final double z4 = z2 * z2;
        return (((A0 + z * A1) + z2 * (A2 + z * A3)) + z4 * ((A4 + z * A5) + z2 * (A6 + z * A7))) + (z4 * z4) * high;
    }

    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double INV_LN2 = 1.44269504088896338700e+00;
    private static final double EXPM1_OVERFLOW = 7.09782712893383973096e+02;
    private static final double Q1 = -3.33333333333331316428e-02;
    private static final double Q2 = 1.58730158725481460165e-03;
    private static final double Q3 = -7.93650757867487942473e-05;
    private static final double Q4 = 4.00821782732936239552e-06;
    private static final double Q5 = -2.01099218183624371326e-07;

    /**
     * e^x − 1, a line-for-line port of fdlibm's {@code s_expm1.c} (Sun Microsystems, 1993; the
     * algorithm behind {@link StrictMath#expm1}; error below 1 ulp).
     *
     * <p>Why a port instead of {@link Math#expm1}: on JDK 17 {@code Math.expm1} has no JIT
     * intrinsic and calls the native fdlibm through JNI. It serves elu and selu at every node of
     * their 2-D quadrature (which nearly collinear pairs reach at every layer in the ordered
     * phase) and {@link #tanh} near 0. Measured over 1,048,576 arguments ~ N(0, 9), one thread,
     * JDK 17, Intel Xeon: 8.0–10.4 ns per call against 12.1–14.7 ns for Math.expm1 when the
     * arguments come sorted (as a panel's nodes do), 12.3–12.7 against 15.8–15.9 ns in random
     * order; Hipparchus' FastMath.expm1 took 23.3–23.4 ns sorted.
     *
     * @param x the argument
     * @return e^x − 1, bit-identical to {@link StrictMath#expm1}
     */
    public static double expm1(double x) {
        final long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        final boolean negative = hx < 0;
        hx &= 0x7fffffff;
        // huge and non-finite arguments
        if (hx >= 0x4043687A) { // |x| >= 56 ln 2
            if (hx >= 0x40862E42) { // |x| >= 709.78...
                if (hx >= 0x7ff00000) {
                    if (x != x) {
                        return x + x;
                    }
                    return negative ? -1.0 : x; // expm1(±∞) = {−1, ∞}
                }
                if (x > EXPM1_OVERFLOW) {
                    return Double.POSITIVE_INFINITY;
                }
            }
            if (negative) {
                return -1.0; // x < −56 ln 2
            }
        }
        // argument reduction
        final int k;
        double c = 0;
        if (hx > 0x3fd62e42) { // |x| > 0.5 ln 2
            final double hi;
            final double lo;
            if (hx < 0x3FF0A2B2) { // and |x| < 1.5 ln 2
                if (!negative) {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                } else {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                }
            } else {
                k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
                final double t = k;
                hi = x - t * LN2_HI; // t·ln2_hi is exact here
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        } else if (hx < 0x3c900000) { // |x| < 2^-54: expm1(x) = x
            return x;
        } else {
            k = 0;
        }
        // x is now in the primary range
        final double hfx = 0.5 * x;
        final double hxs = x * hfx;
        final double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        double t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - x * t));
        if (k == 0) {
            return x - (x * e - hxs); // c is 0
        }
        e = x * (e - c) - c;
        e -= hxs;
        if (k == -1) {
            return 0.5 * (x - e) - 0.5;
        }
        if (k == 1) {
            if (x < -0.25) {
                return -2.0 * (e - (x + 0.5));
            }
            return 1.0 + 2.0 * (x - e);
        }
        if (k <= -2 || k > 56) { // exp(x) − 1 suffices
            double y = 1.0 - (e - x);
            y = Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long) k << 52)); // y·2^k
            return y - 1.0;
        }
        double y;
        if (k < 20) {
            t = Double.longBitsToDouble((long) (0x3ff00000 - (0x200000 >> k)) << 32); // 1 − 2^-k
            y = t - (e - x);
        } else {
            t = Double.longBitsToDouble((long) ((0x3ff - k) << 20) << 32); // 2^-k
            y = x - (e + t);
            y += 1.0;
        }
        return Double.longBitsToDouble(Double.doubleToRawLongBits(y) + ((long) k << 52));
    }

    /**
     * tanh x from {@link Math#exp} (a JIT intrinsic) where that loses nothing, else from
     * {@link #expm1}: for |x| ≥ 0.55, tanh|x| = 1 − 2/(e^{2|x|} + 1), where q = 2/(e^{2|x|} + 1)
     * ≤ 0.4995, so its three roundings and exp's (each ≤ 1 ulp relative in q) reach the result
     * 1 − q ≥ 1/2 as at most 1.25 ulps, plus the subtraction's 0.5; below, fdlibm's
     * −t/(t + 2) with t = expm1(−2|x|), which has no cancellation; |x| ≥ 22 gives ±1 and
     * |x| &lt; 2^-55 gives x (as in fdlibm). So within 2 ulps everywhere, and odd exactly.
     * KernelMathTest checks it against 50-digit values over (−22, 22), the ends of each branch
     * included.
     *
     * <p>Why not {@link Math#tanh}: on JDK 17 it has no JIT intrinsic and calls the native
     * fdlibm through JNI; tanh and mish call it at every node of their quadratures, which the
     * ordered phase's nearly collinear pairs reach at every layer. Measured over 1,048,576
     * arguments ~ N(0, 9), one thread, JDK 17, Intel Xeon: 6.3–6.4 ns per call against
     * 15.9–19.0 ns for Math.tanh when sorted (as a panel's nodes are), 12.2–14.6 against 22 ns in
     * random order; a line-for-line port of fdlibm's {@code s_tanh.c} on {@link #expm1} took
     * 10.7–11.3 ns sorted, and Hipparchus' FastMath.tanh 37–42 ns. The whole-process effect is
     * in docs/KERNEL-RECURSION.md §5.
     *
     * @param x the argument
     * @return tanh x, within 2 ulps
     */
    public static double tanh(double x) {
        final double a = Math.abs(x);
        final double z;
        if (a >= TANH_EXP_FROM) {
            z = a < 22 ? 1.0 - 2.0 / (Math.exp(2.0 * a) + 1.0) : 1.0; // ±∞ included (NaN goes below)
        } else if (a >= 0x1p-55) {
            final double t = expm1(-2.0 * a);
            z = -t / (t + 2.0);
        } else {
            return x; // |x| below 2^-55 (tanh x = x to double precision), ±0 and NaN
        }
        return x < 0 ? -z : z;
    }

    /** Where {@link #tanh} takes e^{2|x|}: 2/(e^{1.1} + 1) ≈ 0.4995 ≤ 1/2. */
    private static final double TANH_EXP_FROM = 0.55;

    private static final double TWO54 = 1.80143985094819840000e+16;
    private static final double LP1 = 6.666666666666735130e-01;
    private static final double LP2 = 3.999999999940941908e-01;
    private static final double LP3 = 2.857142874366239149e-01;
    private static final double LP4 = 2.222219843214978396e-01;
    private static final double LP5 = 1.818357216161805012e-01;
    private static final double LP6 = 1.531383769920937332e-01;
    private static final double LP7 = 1.479819860511658591e-01;

    /**
     * log(1 + x), a line-for-line port of fdlibm's {@code s_log1p.c} (error below 1 ulp).
     *
     * <p>Why a port instead of {@link Math#log1p}: on JDK 17 {@code Math.log1p} has no JIT
     * intrinsic and calls the native fdlibm through JNI. It serves softplus (and mish through
     * it) at every node of their quadratures, with arguments e^{−|x|} in (0, 1]. Measured over
     * 1,048,576 such arguments (x ~ N(0, 9)), one thread, JDK 17, Intel Xeon: 5.2–8.0 ns per
     * call against 9.5–16.6 ns for Math.log1p when sorted, 6.7–12.5 against 11.2–20.6 ns in
     * random order; Hipparchus' FastMath.log1p took 57–81 ns sorted.
     *
     * @param x the argument
     * @return log(1 + x), bit-identical to {@link StrictMath#log1p}
     */
    public static double log1p(double x) {
        final int hx = (int) (Double.doubleToRawLongBits(x) >>> 32);
        final int ax = hx & 0x7fffffff;
        int k = 1;
        double f = 0;
        double c = 0;
        int hu = 0;
        if (hx < 0x3FDA827A) { // x < 0.41422
            if (ax >= 0x3ff00000) { // x <= −1
                return x == -1.0 ? Double.NEGATIVE_INFINITY : Double.NaN;
            }
            if (ax < 0x3e200000) { // |x| < 2^-29
                if (ax < 0x3c900000) { // |x| < 2^-54
                    return x;
                }
                return x - x * x * 0.5;
            }
            if (hx > 0 || hx <= (int) 0xbfd2bec3) { // −0.2929 < x < 0.41422
                k = 0;
                f = x;
                hu = 1;
            }
        }
        if (hx >= 0x7ff00000) {
            return x + x;
        }
        if (k != 0) {
            double u;
            if (hx < 0x43400000) {
                u = 1.0 + x;
                hu = (int) (Double.doubleToRawLongBits(u) >>> 32);
                k = (hu >> 20) - 1023;
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
                c /= u;
            } else {
                u = x;
                hu = (int) (Double.doubleToRawLongBits(u) >>> 32);
                k = (hu >> 20) - 1023;
                c = 0;
            }
            hu &= 0x000fffff;
            final long low = Double.doubleToRawLongBits(u) & 0xffffffffL;
            if (hu < 0x6a09e) {
                u = Double.longBitsToDouble((long) (hu | 0x3ff00000) << 32 | low); // normalise u
            } else {
                k += 1;
                u = Double.longBitsToDouble((long) (hu | 0x3fe00000) << 32 | low); // normalise u/2
                hu = (0x00100000 - hu) >> 2;
            }
            f = u - 1.0;
        }
        final double hfsq = 0.5 * f * f;
        if (hu == 0) { // |f| < 2^-20
            if (f == 0) {
                if (k == 0) {
                    return 0;
                }
                c += k * LN2_LO;
                return k * LN2_HI + c;
            }
            final double r = hfsq * (1.0 - 0.66666666666666666 * f);
            if (k == 0) {
                return f - r;
            }
            return k * LN2_HI - ((r - (k * LN2_LO + c)) - f);
        }
        final double s = f / (2.0 + f);
        final double z = s * s;
        final double r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
        if (k == 0) {
            return f - (hfsq - s * (hfsq + r));
        }
        return k * LN2_HI - ((hfsq - (s * (hfsq + r) + (k * LN2_LO + c))) - f);
    }
}
