package io.github.ntk4j.kernel;

import io.github.ntk4j.internal.KernelMath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The branch-free elementary functions of the vectorised pair loops ({@link KernelMath#atanUnit},
 * {@link KernelMath#atanUnits}, {@link KernelMath#atanOnCircle},
 * {@link KernelMath#sinMinusXCosSeries}) against 45-digit values from series that the code does
 * not use (Euler's series for atan; the Maclaurin series of sin t − t cos t summed exactly), over
 * their whole domains, endpoints and the values within 1e-8 of them included.
 */
class VectorMathTest {
    private static final MathContext MC = new MathContext(45);
    private static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510582");
    /** Worst relative error allowed: 3 ulps of 1 (the functions claim "a few ulps"). */
    private static final double BOUND = 3 * 0x1p-52;

    /**
     * atan x for 0 ≤ x ≤ 1 by Euler's series Σ 2^{2n}(n!)²/(2n+1)! · x^{2n+1}/(1+x²)^{n+1}, whose
     * ratio x²/(1 + x²) ≤ 1/2 makes 160 terms more than enough for 45 digits.
     */
    static BigDecimal atan(BigDecimal x) {
        BigDecimal onePlus = BigDecimal.ONE.add(x.multiply(x), MC);
        BigDecimal y = x.multiply(x).divide(onePlus, MC);
        BigDecimal term = x.divide(onePlus, MC);
        BigDecimal sum = term;
        for (int n = 1; n < 160; n++) {
            term = term.multiply(y, MC).multiply(BigDecimal.valueOf(2L * n)).divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** atan(y/x) for x &gt; 0. */
    static BigDecimal atan(double y, double x) {
        BigDecimal r = new BigDecimal(Math.abs(y)).divide(new BigDecimal(x), MC);
        BigDecimal v = r.compareTo(BigDecimal.ONE) <= 0 ? atan(r)
                : PI.divide(BigDecimal.valueOf(2), MC).subtract(atan(BigDecimal.ONE.divide(r, MC)), MC);
        return y < 0 ? v.negate() : v;
    }

    private static double relError(double got, BigDecimal exact) {
        if (exact.signum() == 0) {
            return got == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return new BigDecimal(got).subtract(exact).divide(exact, MC).abs().doubleValue();
    }

    @Test
    void atanUnitOverZeroToOne() {
        List<Double> ts = new ArrayList<>(List.of(0.0, Double.MIN_VALUE, 1e-300, 1e-20, 1e-8, 0.1, 0.5, 1.0,
                Math.nextDown(1.0), 1 - 1e-8, 1 - 2e-8, 1 - 1e-12, 0.41421356237309503,
                Math.nextUp(0.41421356237309503), Math.nextDown(0.41421356237309503), Math.sqrt(2) - 1 + 1e-8,
                Math.sqrt(2) - 1 - 1e-8));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            ts.add(r.nextDouble());
            ts.add(Math.scalb(r.nextDouble(0.5, 1), -r.nextInt(1, 60)));
        }
        double worst = 0;
        for (double t : ts) {
            double got = KernelMath.atanUnit(t);
            double e = relError(got, atan(new BigDecimal(t)));
            assertTrue(e <= BOUND, "atanUnit(" + t + ") = " + got + ", relative error " + e);
            worst = Math.max(worst, e);
        }
        assertTrue(worst > 0, "a comparison that cannot find any rounding is not a comparison");
    }

    /** {@link KernelMath#atanUnits} over [−1, 1]: ±1, 0 and the points within 1e-8 of them included. */
    @Test
    void atanUnitsOverMinusOneToOne() {
        List<Double> ts = new ArrayList<>();
        for (double t : new double[] {0, 1e-300, 0x1p-1020, 1e-20, 1e-8, 2e-8, 0.1, 0.5, 1.0, Math.nextDown(1.0), 1 - 1e-8,
            1 - 2e-8, 1 - 1e-12, 0.41421356237309503}) {
            ts.add(t);
            ts.add(-t);
        }
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 3000; i++) {
            ts.add(r.nextDouble(-1, 1));
            ts.add(Math.scalb(r.nextDouble(0.5, 1), -r.nextInt(1, 60)));
        }
        int n = ts.size();
        double[] t = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = ts.get(k);
        }
        double[] out = new double[n];
        KernelMath.atanUnits(t, out, n, new double[n]);
        double worst = 0;
        for (int k = 0; k < n; k++) {
            BigDecimal exact = atan(new BigDecimal(Math.abs(t[k])));
            double e = relError(out[k], t[k] < 0 ? exact.negate() : exact);
            assertTrue(e <= BOUND, "atan(" + t[k] + ") = " + out[k] + ", relative error " + e);
            worst = Math.max(worst, e);
        }
        assertTrue(worst > 0, "a comparison that cannot find any rounding is not a comparison");
    }

    /**
     * {@link KernelMath#atanOnCircle}: atan(w/q) and 1/q for points on the unit circle, w over
     * [−1, 1] with 0, ±1, the points within 1e-8 of them and ±1/√2 (where |w| = q), each with q
     * the correctly rounded √(1 − w²) and q moved by up to four ulps off the circle. The bound is
     * {@link #BOUND} plus the point's distance from the circle |ρ − 1|, ρ = √(w² + q²) (see the
     * method's error statement), taken in 45 digits; 1/q within three roundings (1.5 ulps) of the
     * 45-digit quotient.
     */
    @Test
    void atanOnCircleOverTheWholeCircle() {
        List<Double> ws = new ArrayList<>();
        for (double w : new double[] {0, 1, Math.nextDown(1.0), 1 - 1e-16, 1 - 1e-12, 1 - 1e-8, 1 - 2e-8, 1 - 5e-9,
            1e-8, 2e-8, 1e-300, 0x1p-1020, 0.5, Math.sqrt(0.5), Math.sqrt(0.5) + 1e-8, Math.sqrt(0.5) - 1e-8,
            Math.nextUp(Math.sqrt(0.5)), 0.9, 0.1}) {
            ws.add(w);
            ws.add(-w);
        }
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < 1500; i++) {
            ws.add(r.nextDouble(-1, 1));
            ws.add(1 - Math.scalb(r.nextDouble(), -r.nextInt(1, 53)));
            ws.add(-Math.scalb(r.nextDouble(0.5, 1), -r.nextInt(1, 60)));
        }
        List<double[]> args = new ArrayList<>();
        for (double w : ws) {
            BigDecimal bw = new BigDecimal(w);
            double q0 = BigDecimal.ONE.subtract(bw.multiply(bw), MC).sqrt(MC).doubleValue();
            if (q0 == 0) {
                q0 = 0x1p-450; // w = ±1: the smallest cosine the erf layer's fast path passes
            }
            double q = q0;
            double down = q0;
            args.add(new double[] {w, q0});
            for (int u = 0; u < 4; u++) {
                q = Math.nextUp(q);
                down = Math.nextDown(down);
                args.add(new double[] {w, q});
                if (down > 0) {
                    args.add(new double[] {w, down});
                }
            }
        }
        int n = args.size();
        double[] w = new double[n];
        double[] q = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = args.get(k)[0];
            q[k] = args.get(k)[1];
        }
        double[] out = new double[n];
        double[] inv = new double[n];
        KernelMath.atanOnCircle(w, q, out, inv, n, new double[n]);
        double worst = 0;
        double worstInv = 0;
        for (int k = 0; k < n; k++) {
            BigDecimal bw = new BigDecimal(w[k]);
            BigDecimal bq = new BigDecimal(q[k]);
            double offCircle = bw.multiply(bw).add(bq.multiply(bq), MC).sqrt(MC).subtract(BigDecimal.ONE).abs()
                    .doubleValue();
            double e = relError(out[k], atan(w[k], q[k]));
            assertTrue(e <= BOUND + offCircle, "atan(" + w[k] + "/" + q[k] + ") = " + out[k] + ", relative error " + e
                    + ", off the circle by " + offCircle);
            // 1/q from e·p (KernelMath#atanOnCircle): three roundings, each within 2^-53 relative
            double eInv = relError(inv[k], BigDecimal.ONE.divide(bq, MC));
            assertTrue(eInv <= 3 * 0x1p-53, "1/" + q[k] + " = " + inv[k] + ", relative error " + eInv);
            worstInv = Math.max(worstInv, eInv);
            worst = Math.max(worst, e);
        }
        assertTrue(worst > 0, "a comparison that cannot find any rounding is not a comparison");
        assertTrue(worstInv > 0, "a comparison of 1/q that cannot find any rounding is not a comparison");
    }

    /**
     * The ReLU layer's angle: min(θ, π − θ) = 2 atan(sin θ/(1 + |cos θ|)) for cos θ at ±1 and
     * within 1e-8 of them (nearly collinear and anti-collinear inputs), against
     * arccos|c| = 2 atan(√((1 − |c|)/(1 + |c|))).
     */
    @Test
    void halfAngleNearTheEndpoints() {
        List<Double> cs = new ArrayList<>();
        for (double c : new double[] {1, Math.nextDown(1.0), 1 - 1e-16, 1 - 1e-12, 1 - 1e-8, 1 - 5e-9, 1 - 2e-8, 0.9, 0.5,
            1e-8, 1e-300, 0}) {
            cs.add(c);
            cs.add(-c);
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            cs.add(r.nextDouble(-1, 1));
            cs.add(1 - Math.scalb(r.nextDouble(), -r.nextInt(1, 52)));
        }
        for (double c : cs) {
            BigDecimal a = new BigDecimal(Math.abs(c));
            BigDecimal s2Exact = BigDecimal.ONE.subtract(a.multiply(a), MC);
            double s2 = s2Exact.doubleValue();
            double got = 2 * KernelMath.atanUnit(Math.sqrt(s2) / (1 + Math.abs(c)));
            // the reference from the rounded s2 the code receives: min angle = 2 atan(√s2/(1 + |c|))
            BigDecimal exact = BigDecimal.valueOf(2).multiply(
                    atan(new BigDecimal(s2).sqrt(MC).divide(BigDecimal.ONE.add(a), MC)), MC);
            double e = relError(got, exact);
            assertTrue(e <= BOUND, "c=" + c + ": " + got + ", relative error " + e);
        }
    }

    /** s(t) = sin t − t cos t on [0, π/2] against its Maclaurin series summed in 45 digits. */
    @Test
    void sinMinusXCosSeriesOnZeroToHalfPi() {
        // t ≥ 1e-100: below about 1e-102, s(t) ≈ t³/3 is beyond the normal doubles
        List<Double> ts = new ArrayList<>(List.of(0.0, 1e-100, 1e-8, 1e-3, 0.5, 1.0, 1.2, Math.PI / 2,
                Math.nextDown(Math.PI / 2), Math.PI / 2 - 1e-8));
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++) {
            ts.add(r.nextDouble(0, Math.PI / 2));
        }
        for (double t : ts) {
            BigDecimal bt = new BigDecimal(t);
            BigDecimal sum = BigDecimal.ZERO;
            BigDecimal pow = bt;
            BigDecimal fact = BigDecimal.ONE;
            for (int k = 1; k < 40; k++) {
                pow = pow.multiply(bt).multiply(bt, MC);
                fact = fact.multiply(BigDecimal.valueOf((2L * k) * (2L * k + 1)));
                BigDecimal term = pow.multiply(BigDecimal.valueOf(2L * k)).divide(fact, MC);
                sum = (k % 2 == 1) ? sum.add(term, MC) : sum.subtract(term, MC);
            }
            double got = KernelMath.sinMinusXCosSeries(t);
            double e = relError(got, sum);
            assertTrue(e <= BOUND, "s(" + t + ") = " + got + ", relative error " + e);
        }
        assertEquals(0.0, KernelMath.sinMinusXCosSeries(0.0), 0.0);
    }
}
