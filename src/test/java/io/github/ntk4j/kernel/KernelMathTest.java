package io.github.ntk4j.kernel;

import io.github.ntk4j.internal.KernelMath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pure-Java elementary functions against StrictMath and against exact series. */
class KernelMathTest {

    @Test
    void atanIsFdlibmBitForBit() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 2_000_000; i++) {
            double x = Math.scalb(r.nextDouble(-1, 1), r.nextInt(-40, 40));
            assertEquals(StrictMath.atan(x), KernelMath.atan(x), 0.0, "x=" + x);
        }
        for (double x : new double[] {0, -0.0, 1e-300, 0.4375, 0.6875, 1.1875, 2.4375, 1e20, 1e300,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertEquals(StrictMath.atan(x), KernelMath.atan(x), 0.0, "x=" + x);
        }
        assertTrue(Double.isNaN(KernelMath.atan(Double.NaN)));
    }

    /** s(t) = sin t − t cos t against its series summed in 60-digit BigDecimal arithmetic. */
    @Test
    void sinMinusXCosKeepsRelativePrecisionNearZero() {
        MathContext mc = new MathContext(60);
        for (double t : new double[] {1e-8, 1e-5, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.9, 0.999, 1.0, 1.5, 2.5, 3.0, Math.PI}) {
            BigDecimal bt = new BigDecimal(t);
            BigDecimal sum = BigDecimal.ZERO;
            BigDecimal pow = bt; // t^(2k+1)
            BigDecimal fact = BigDecimal.ONE; // (2k+1)!
            for (int k = 0; k < 60; k++) {
                if (k > 0) {
                    pow = pow.multiply(bt).multiply(bt, mc);
                    fact = fact.multiply(BigDecimal.valueOf((2L * k) * (2L * k + 1)));
                    BigDecimal term = pow.multiply(BigDecimal.valueOf(2L * k)).divide(fact, mc);
                    sum = (k % 2 == 1) ? sum.add(term) : sum.subtract(term);
                }
            }
            double exact = sum.doubleValue();
            double got = KernelMath.sinMinusXCos(t, Math.sin(t), Math.cos(t));
            assertEquals(exact, got, 4 * Math.ulp(exact) + 4e-16 * (t >= 1 ? 1 : 0), "t=" + t);
        }
    }

    @Test
    void expm1IsFdlibmBitForBit() {
        SplittableRandom r = new SplittableRandom(3);
        // every branch: |x| below 2^-54, the primary range, k = ±1, k up to ±1000
        sameAsStrictMath(StrictMath::expm1, KernelMath::expm1, () -> Math.scalb(r.nextDouble(-1, 1), r.nextInt(-60, 11)),
                new double[] {0, -0.0, 1e-300, -1e-300, 0x1p-54, 0.5 * Math.log(2), 1.5 * Math.log(2), -0.25, 56 * Math.log(2),
                    -56 * Math.log(2), -40, 38.8, 40, 709.78, 709.79, -745, 1e300, -1e300, Double.MIN_VALUE,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN});
    }

    @Test
    void log1pIsFdlibmBitForBit() {
        SplittableRandom r = new SplittableRandom(6);
        int[] i = {0};
        // every branch: x ≤ −1, |x| below 2^-54 and 2^-29, (−0.2929, 0.41422), u's two
        // normalisations, |f| below 2^-20, x beyond 2^53
        sameAsStrictMath(StrictMath::log1p, KernelMath::log1p,
                () -> i[0]++ % 3 == 0 ? r.nextDouble(-1, 3) : Math.scalb(r.nextDouble(-1, 1), r.nextInt(-60, 1030)),
                new double[] {0, -0.0, 1e-300, -1e-300, 0x1p-54, 0x1p-29, 0.41422, -0.2929, 1, -1, 0x1p53, 1e300,
                    Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN});
    }

    /**
     * ours(x) and strict(x) the same double (NaN as NaN) at 2,000,000 drawn arguments and at
     * each given one and its two neighbours.
     */
    private static void sameAsStrictMath(java.util.function.DoubleUnaryOperator strict, java.util.function.DoubleUnaryOperator ours,
            java.util.function.DoubleSupplier draw, double[] ends) {
        for (int i = 0; i < 2_000_000; i++) {
            double x = draw.getAsDouble();
            assertEquals(strict.applyAsDouble(x), ours.applyAsDouble(x), 0.0, "x=" + x);
        }
        for (double e : ends) {
            for (double x : new double[] {e, Math.nextUp(e), Math.nextDown(e)}) {
                assertEquals(strict.applyAsDouble(x), ours.applyAsDouble(x), 0.0, "x=" + x);
            }
        }
    }

    /**
     * tanh within 2 ulps of 60-digit values (e^{2x} by halving, its Taylor series and squaring, in
     * BigDecimal), over (−23, 23) uniformly, over |x| from 2^-60 to 1 log-uniformly, and at
     * the ends of each branch of {@link KernelMath#tanh} (0.55, 22, 2^-55) and their neighbours.
     */
    @Test
    void tanhWithinTwoUlpsOfHighPrecisionValues() {
        SplittableRandom r = new SplittableRandom(4);
        java.util.List<Double> xs = new java.util.ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            xs.add(r.nextDouble(-23, 23));
            xs.add(Math.copySign(Math.pow(2, r.nextDouble(-60, 0)), r.nextDouble() - 0.5));
        }
        for (double e : new double[] {0.55, 22, 0x1p-55, 1, 0.5, 1e-8, 0.3}) {
            for (double x : new double[] {e, Math.nextUp(e), Math.nextDown(e)}) {
                xs.add(x);
                xs.add(-x);
            }
        }
        for (double x : xs) {
            double exact = exactTanh(x);
            assertEquals(exact, KernelMath.tanh(x), 2 * Math.ulp(exact), "x=" + x);
            assertEquals(-KernelMath.tanh(x), KernelMath.tanh(-x), 0.0, "odd at x=" + x);
        }
        assertEquals(1.0, KernelMath.tanh(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, KernelMath.tanh(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, KernelMath.tanh(1e300), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(KernelMath.tanh(-0.0)));
        assertEquals(Double.MIN_VALUE, KernelMath.tanh(Double.MIN_VALUE), 0.0);
        assertTrue(Double.isNaN(KernelMath.tanh(Double.NaN)));
    }

    /** tanh x = (e^{2x} − 1)/(e^{2x} + 1) in 60-digit arithmetic. */
    private static double exactTanh(double x) {
        MathContext mc = new MathContext(60);
        BigDecimal y = new BigDecimal(2 * x); // exact: a power-of-two multiple
        int halvings = 0;
        while (y.abs().compareTo(new BigDecimal("0.001")) > 0) {
            y = y.divide(BigDecimal.valueOf(2)); // exact in decimal
            halvings++;
        }
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int n = 1; n < 40; n++) {
            term = term.multiply(y, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
        }
        // e^y − 1 kept apart from the 1, so that small x keeps its digits through the squarings:
        // (1 + m)² − 1 = m(2 + m)
        BigDecimal m = sum.subtract(BigDecimal.ONE, mc);
        for (int k = 0; k < halvings; k++) {
            m = m.multiply(m.add(BigDecimal.valueOf(2), mc), mc);
        }
        return m.divide(m.add(BigDecimal.valueOf(2), mc), mc).doubleValue();
    }
}
