package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.internal.KernelMath;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Erf's per-input rule ({@link Erf#mapRows}), whose plain-double branch covers moderate a, b, c
 * and scales, against the rule restated here in ScaledDouble arithmetic (exponent range
 * unbounded, the same 53-bit mantissas): u = 2b²r², ζ = u/(1 + u), τ = 1/(1 + u),
 * r' = √(a²(2/π) arcsin ζ + c²) with arcsin ζ = atan(u/√(1 + 2u)), g = 1/r', c·g, √ζ, √ζ/r',
 * √(τ(1 + ζ)), λ = |ab| s/(s'√(1 + u)). Inside 2^±120 the two must agree bit for bit; the
 * parameters and scales straddle that bound (2^±200) so both branches run, with zero scales and
 * zero, negative and signed-zero a, b, c.
 */
class ErfRowsTest {
    @Test
    void plainDoubleRuleEqualsScaledRule() {
        Random rng = new Random(11);
        int moderate = 0;
        for (int t = 0; t < 3000; t++) {
            double a = pick(rng);
            double b = pick(rng);
            double c = rng.nextInt(4) == 0 ? (rng.nextBoolean() ? 0.0 : -0.0) : pick(rng);
            Erf erf = new Erf(a, b, c);
            ScaledDouble[] in = new ScaledDouble[3];
            for (int i = 0; i < in.length; i++) {
                in[i] = rng.nextInt(8) == 0 ? ScaledDouble.ZERO
                        : ScaledDouble.of(1 + rng.nextDouble(), rng.nextInt(400) - 200);
            }
            KernelRows rows = erf.mapRows(in, Workers.serial());
            for (int i = 0; i < in.length; i++) {
                String what = "a=" + a + " b=" + b + " c=" + c + " r=" + in[i];
                double[] expected = scaledRule(a, b, c, in[i]);
                double[][] co = rows.coefficients;
                for (int m = 0; m < co.length; m++) {
                    assertEquals(Double.doubleToRawLongBits(expected[m]), Double.doubleToRawLongBits(co[m][i]),
                            "coefficient " + m + ": " + expected[m] + " against " + co[m][i] + ", " + what);
                }
                assertEquals(scaledOut(a, c, in[i], b), rows.scaleOut[i], "r' " + what);
                boolean extreme = rows.extreme != null && rows.extreme[i];
                assertEquals(expected[11] != 0, extreme, "extreme " + what);
                if ((in[i].isZero() || Math.abs(in[i].exponent()) < 120) && moderate(a) && moderate(b) && moderate(c)) {
                    moderate++;
                }
            }
        }
        assertTrue(moderate > 1000, "too few rows in the plain-double range: " + moderate);
    }

    private static boolean moderate(double v) {
        return v == 0 || Math.abs(Math.getExponent(v)) < 120;
    }

    private static double pick(Random rng) {
        double v = Math.scalb(1 + rng.nextDouble(), rng.nextInt(400) - 200);
        return rng.nextBoolean() ? v : -v;
    }

    private static ScaledDouble arcsinZeta(ScaledDouble r, double b) {
        ScaledDouble u = r.multiply(r).multiply(ScaledDouble.of(b).multiply(ScaledDouble.of(b)).multiply(2.0));
        ScaledDouble y = u.divide(u.multiply(2.0).add(ScaledDouble.ONE).sqrt());
        if (y.isZero()) {
            return ScaledDouble.ZERO;
        }
        if (y.exponent() >= 0) {
            return ScaledDouble.of(0.5 * Math.PI - KernelMath.atan(ScaledDouble.ONE.divide(y).doubleValue()));
        }
        return y.exponent() > -60 ? ScaledDouble.of(KernelMath.atan(y.doubleValue())) : y;
    }

    private static ScaledDouble scaledOut(double a, double c, ScaledDouble r, double b) {
        ScaledDouble tScale = ScaledDouble.of(a).multiply(ScaledDouble.of(a)).multiply(2 / Math.PI);
        return arcsinZeta(r, b).multiply(tScale).add(ScaledDouble.of(c).multiply(ScaledDouble.of(c))).sqrt();
    }

    /** The eleven coefficients and (as [11], 1 or 0) the extreme flag, by ScaledDouble operations. */
    private static double[] scaledRule(double a, double b, double c, ScaledDouble r) {
        double[] co = new double[12];
        ScaledDouble u = r.multiply(r).multiply(ScaledDouble.of(b).multiply(ScaledDouble.of(b)).multiply(2.0));
        ScaledDouble onePlusU = u.add(ScaledDouble.ONE);
        ScaledDouble tau = ScaledDouble.ONE.divide(onePlusU);
        ScaledDouble zeta = u.divide(onePlusU);
        ScaledDouble rOut = scaledOut(a, c, r, b);
        co[0] = zeta.doubleValue();
        co[1] = tau.doubleValue();
        co[5] = Math.sqrt(co[0]);
        co[7] = tau.mantissa();
        co[8] = tau.exponent();
        co[9] = tau.multiply(zeta.add(ScaledDouble.ONE)).sqrt().doubleValue();
        co[10] = rOut.doubleValue();
        boolean tiny = tau.exponent() < -900 || rOut.isZero();
        if (!rOut.isZero()) {
            ScaledDouble g = ScaledDouble.ONE.divide(rOut);
            tiny |= g.exponent() > 500 || g.exponent() < -500;
            co[2] = g.doubleValue();
            co[3] = g.multiply(c).doubleValue();
            co[6] = zeta.sqrt().divide(rOut).doubleValue();
        }
        ScaledDouble absAb = ScaledDouble.of(Math.abs(a)).multiply(ScaledDouble.of(Math.abs(b)));
        ScaledDouble sIn = r.isZero() ? ScaledDouble.ONE : r;
        ScaledDouble sOut = rOut.isZero() ? ScaledDouble.ONE : rOut;
        co[4] = absAb.multiply(sIn).divide(sOut.multiply(onePlusU.sqrt())).doubleValue();
        co[11] = tiny ? 1 : 0;
        return co;
    }
}
