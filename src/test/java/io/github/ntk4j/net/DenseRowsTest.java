package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dense's per-input rule ({@link Dense#mapRows}), whose plain-double branch covers moderate
 * scales, against the rule restated here in ScaledDouble arithmetic (exponent range unbounded, the
 * same 53-bit mantissas): r' = √((W r)² + b²), p = W r/r', q = b/r', κ = p q, m = W s/s',
 * u = r/s', g = 1/s' (s the NTK scale: r, or 1 for 0). Inside 2^±240 the two must agree bit for
 * bit; the inputs straddle that bound (2^±200 … 2^±300) so both branches run, including zero
 * scales and zero W_std or b_std.
 */
class DenseRowsTest {
    @Test
    void plainDoubleRuleEqualsScaledRule() {
        Random rng = new Random(7);
        int moderate = 0;
        for (int t = 0; t < 3000; t++) {
            double w = pick(rng);
            double b = rng.nextInt(6) == 0 ? 0 : pick(rng);
            boolean std = rng.nextBoolean();
            Dense dense = new Dense(w, b, std ? Parameterization.STANDARD : Parameterization.NTK);
            ScaledDouble[] in = new ScaledDouble[3];
            for (int i = 0; i < in.length; i++) {
                in[i] = rng.nextInt(8) == 0 ? ScaledDouble.ZERO
                        : ScaledDouble.of(1 + rng.nextDouble(), rng.nextInt(600) - 300);
            }
            KernelRows rows;
            try {
                rows = dense.mapRows(in, Workers.serial());
            } catch (RuntimeException refused) {
                continue; // beyond the 1e150 bound: only outside the plain-double range
            }
            for (int i = 0; i < in.length; i++) {
                ScaledDouble sw = ScaledDouble.of(w);
                ScaledDouble sb = ScaledDouble.of(b);
                ScaledDouble wr = in[i].multiply(sw);
                ScaledDouble r = wr.multiply(wr).add(sb.multiply(sb)).sqrt();
                String what = "W=" + w + " b=" + b + " r=" + in[i] + " std=" + std;
                assertEquals(r, rows.scaleOut[i], "r' " + what);
                double p = r.isZero() ? 0 : wr.divide(r).doubleValue();
                double q = r.isZero() ? 0 : sb.divide(r).doubleValue();
                ScaledDouble sOut = r.isZero() ? ScaledDouble.ONE : r;
                ScaledDouble sIn = in[i].isZero() ? ScaledDouble.ONE : in[i];
                double[][] c = rows.coefficients;
                assertEquals(p, c[0][i], "p " + what);
                assertEquals(q, c[1][i], "q " + what);
                assertEquals(p * q, c[2][i], "κ " + what);
                assertEquals(sIn.multiply(sw).divide(sOut).doubleValue(), c[3][i], "m " + what);
                if (std) {
                    assertEquals(in[i].divide(sOut).doubleValue(), c[4][i], "u " + what);
                    assertEquals(ScaledDouble.ONE.divide(sOut).doubleValue(), c[5][i], "g " + what);
                }
                if (in[i].isZero() || Math.abs(in[i].exponent()) < 240) {
                    moderate++;
                }
            }
        }
        assertTrue(moderate > 2000, "too few rows in the plain-double range: " + moderate);
    }

    private static double pick(Random rng) {
        return Math.scalb(1 + rng.nextDouble(), rng.nextInt(600) - 300);
    }
}
