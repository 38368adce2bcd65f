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
 * The branch-free elementary functions of the vectorised pair loops ({@link KernelMath#atanUnits},
 * {@link KernelMath#atanSeries}, {@link KernelMath#atanOnCircle}) and the ReLU family's rule built
 * on them, against 45- to 120-digit values from series that the code does not use (Euler's series
 * for atan), over their whole domains, endpoints and the values within 1e-8 of them included; and
 * the scalar forms of the single-pair path equal to the array forms bit for bit.
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
        double[] t = ts.stream().mapToDouble(Double::doubleValue).toArray();
        int n = t.length;
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
        // scaled by f·h[k]/q[k] with f = h[k] = 1 and scaled[k] = 1: 1/q itself
        double[] inv = new double[n];
        double[] ones = new double[n];
        java.util.Arrays.fill(inv, 1.0);
        java.util.Arrays.fill(ones, 1.0);
        KernelMath.atanOnCircle(w, q, out, inv, 1.0, ones, n, new double[n]);
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
     * {@link KernelMath#atanSeries} A(z) = (atan t − t)/t³, z = t², over [0, 1] (0, 1 and the
     * points within 1e-8 of them included) against 45-digit values, and its array form equal to
     * the scalar one bit for bit (the single-pair path and the Gram loops must agree exactly).
     */
    @Test
    void atanSeriesScalarAndArrays() {
        List<Double> zs = new ArrayList<>(List.of(0.0, 1e-300, 1e-20, 1e-8, 0.1, 0.5, 1.0, Math.nextDown(1.0), 1 - 1e-8));
        SplittableRandom r = new SplittableRandom(23);
        for (int i = 0; i < 2000; i++) {
            zs.add(r.nextDouble());
            zs.add(Math.scalb(r.nextDouble(0.5, 1), -r.nextInt(1, 60)));
        }
        double[] z = zs.stream().mapToDouble(Double::doubleValue).toArray();
        int n = z.length;
        double[] out = new double[n];
        KernelMath.atanSeries(z, out, n, new double[n]);
        MathContext wide = new MathContext(90);
        double worst = 0;
        for (int k = 0; k < n; k++) {
            double scalar = KernelMath.atanSeries(z[k], KernelMath.atanSeriesHigh(z[k]));
            assertEquals(scalar, out[k], 0.0, "z=" + z[k] + ": array and scalar forms differ");
            if (z[k] < 1e-20) {
                assertEquals(-1.0 / 3, scalar, 1e-16, "A(0) = −1/3");
                continue;
            }
            // (atan t − t)/t³ with t = √z, in 90 digits (the difference loses up to 2·20 of them)
            BigDecimal t = new BigDecimal(z[k]).sqrt(wide);
            BigDecimal exact = atanWide(t, wide).subtract(t, wide).divide(t.pow(3, wide), wide);
            double e = relError(scalar, exact);
            assertTrue(e <= BOUND, "A(" + z[k] + ") = " + scalar + ", relative error " + e);
            worst = Math.max(worst, e);
        }
        assertTrue(worst > 0, "a comparison that cannot find any rounding is not a comparison");
    }

    /** Euler's series for atan as {@link #atan(BigDecimal)}, in a given precision. */
    private static BigDecimal atanWide(BigDecimal x, MathContext mc) {
        BigDecimal onePlus = BigDecimal.ONE.add(x.multiply(x), mc);
        BigDecimal y = x.multiply(x).divide(onePlus, mc);
        BigDecimal term = x.divide(onePlus, mc);
        BigDecimal sum = term;
        for (int n = 1; n < 320; n++) {
            term = term.multiply(y, mc).multiply(BigDecimal.valueOf(2L * n)).divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term, mc);
        }
        return sum;
    }

    /**
     * {@link KernelMath#atanOnCircle(double, double)}, the single-pair path's form, equals the
     * array form bit for bit over the circle (w in [−1, 1], q = √(1 − w²)).
     */
    @Test
    void atanOnCircleScalarEqualsArrays() {
        SplittableRandom r = new SplittableRandom(29);
        int n = 4000;
        double[] w = new double[n];
        double[] q = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = k < 4 ? new double[] {0, 1, -1, Math.nextDown(1.0)}[k] : r.nextDouble(-1, 1);
            q[k] = Math.max(Math.sqrt((1 - w[k]) * (1 + w[k])), 0x1p-30);
        }
        double[] out = new double[n];
        KernelMath.atanOnCircle(w, q, out, new double[n], 1.0, new double[n], n, new double[n]);
        for (int k = 0; k < n; k++) {
            assertEquals(out[k], KernelMath.atanOnCircle(w[k], q[k]), 0.0, "w=" + w[k] + " q=" + q[k]);
        }
    }

    /**
     * The ReLU family's pair rule (ABRelu#mapPairs, whose angle and s(m) come from the one
     * series A(z)) against the half-line arc-cosine kernels in 120 digits, for relu, leaky ReLU
     * and abs, at angles from 1e-30 to π − 1e-30 (collinear and anti-collinear ends included):
     * cos θ' = (αs(δ) − βs(θ))/(πα), 1 − cos θ', sin²θ' = (1 − cos θ')(1 + cos θ') and the Θ
     * ratio (αδ + βθ)/(πα), with s(t) = sin t − t cos t, δ = π − θ, α = a² + b², β = 2ab, taken
     * at the (cos θ, sin²θ) the rule receives. 1 − cos θ' and sin²θ' are the values that cancel
     * when formed by subtraction; the rule forms them from non-negative terms, so they are held to
     * {@link #RULE_BOUND} relative; cos θ' and the Θ ratio, differences when β ≠ 0, absolute.
     */
    @Test
    void reluFamilyRuleAgainstArcCosineKernels() {
        MathContext mc = new MathContext(120);
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651");
        List<Double> thetas = new ArrayList<>();
        for (double t : new double[] {1e-30, 1e-20, 1e-12, 1e-8, 1e-4, 0.1, 0.5, 1, Math.PI / 2, 2, 3}) {
            thetas.add(t);
            thetas.add(Math.PI - t);
        }
        SplittableRandom r = new SplittableRandom(31);
        for (int i = 0; i < 300; i++) {
            thetas.add(r.nextDouble(0, Math.PI));
            thetas.add(Math.scalb(r.nextDouble(0.5, 1), -r.nextInt(1, 90)));
        }
        double[][] slopes = {{0, 1}, {0.1, 1}, {-1, 1}};
        double worst = 0;
        for (double[] ab : slopes) {
            io.github.ntk4j.net.ABRelu layer = io.github.ntk4j.net.ABRelu.of(ab[0], ab[1]);
            BigDecimal alpha = new BigDecimal(ab[0] * ab[0] + ab[1] * ab[1]);
            BigDecimal beta = new BigDecimal(2 * ab[0] * ab[1]);
            for (double theta : thetas) {
                // the state the rule receives: cos θ and sin²θ rounded, 1 − cos θ from them
                double c = Math.cos(theta);
                double s2 = Math.sin(theta) * Math.sin(theta);
                io.github.ntk4j.internal.KernelBatch b = new io.github.ntk4j.internal.KernelBatch(1);
                b.size = 1;
                b.c[0] = c;
                b.s2[0] = s2;
                b.v[0] = c > 0 ? s2 / (1 + c) : 1 - c;
                b.ntk[0] = 1;
                layer.mapPairs(b, null, 0, null, 0);
                // the exact angle of (c, √s2), then the kernels
                BigDecimal bc = new BigDecimal(c);
                BigDecimal bs = new BigDecimal(s2).sqrt(mc);
                BigDecimal rho = bc.multiply(bc, mc).add(new BigDecimal(s2), mc).sqrt(mc);
                BigDecimal cos = bc.divide(rho, mc);
                BigDecimal sin = bs.divide(rho, mc);
                BigDecimal small = BigDecimal.valueOf(2).multiply(atanWide(sin.divide(BigDecimal.ONE.add(cos.abs(), mc), mc), mc), mc);
                BigDecimal th = c >= 0 ? small : pi.subtract(small, mc);
                BigDecimal de = pi.subtract(th, mc);
                BigDecimal sTh = sin.subtract(th.multiply(cos, mc), mc);
                BigDecimal sDe = sin.add(de.multiply(cos, mc), mc);
                BigDecimal piAlpha = pi.multiply(alpha, mc);
                BigDecimal cOut = alpha.multiply(sDe, mc).subtract(beta.multiply(sTh, mc), mc).divide(piAlpha, mc);
                BigDecimal vOut = piAlpha.subtract(alpha.multiply(sDe, mc), mc).add(beta.multiply(sTh, mc), mc)
                        .divide(piAlpha, mc);
                BigDecimal s2Out = vOut.multiply(BigDecimal.ONE.add(cOut, mc), mc);
                BigDecimal ntk = alpha.multiply(de, mc).add(beta.multiply(th, mc), mc).divide(piAlpha, mc);
                String what = "a=" + ab[0] + " θ=" + theta;
                for (double[] got : new double[][] {{b.c[0], 0}, {b.v[0], 1}, {b.s2[0], 2}, {b.ntk[0], 3}}) {
                    BigDecimal exact = got[1] == 0 ? cOut : got[1] == 1 ? vOut : got[1] == 2 ? s2Out : ntk;
                    if (exact.abs().compareTo(new BigDecimal("1e-290")) < 0) {
                        continue; // beyond the normal doubles (abs at θ = π/2, the anti-collinear end)
                    }
                    // cos θ' and the Θ ratio are differences for β ≠ 0 (leaky ReLU, abs) and carried to
                    // absolute accuracy (KernelBatch); 1 − cos θ' and sin²θ' relative
                    boolean relative = got[1] == 1 || got[1] == 2;
                    double e = relative ? relError(got[0], exact)
                            : new BigDecimal(got[0]).subtract(exact).abs().doubleValue();
                    assertTrue(e <= RULE_BOUND, what + " output " + (int) got[1] + ": " + got[0] + ", "
                            + (relative ? "relative" : "absolute") + " error " + e);
                    worst = Math.max(worst, e);
                }
            }
        }
        System.out.println("ReLU family rule against 120-digit arc-cosine kernels: worst error " + worst);
        assertTrue(worst > 0, "a comparison that cannot find any rounding is not a comparison");
    }

    /**
     * Bound for the ReLU rule's outputs: about twenty roundings (the division, the series, a few
     * products and sums of non-negative terms), each at most half an ulp relative where nothing
     * cancels, so 16 ulps of 1 leave room without hiding a lost digit (one cancelling
     * subtraction at θ = 1e-8 would lose eight).
     */
    private static final double RULE_BOUND = 16 * 0x1p-52;
}
