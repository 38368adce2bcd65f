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
}
