package io.github.ntk4j.math;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import org.hipparchus.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;

/** {@link RateFit} against Hipparchus' independent {@link SimpleRegression}. */
class RateFitTest {

    @Test
    void exactPowerLawGivesItsExponent() {
        double[] m = {64, 128, 256, 512};
        double[] y = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            y[i] = 3 * Math.pow(m[i], -0.5);
        }
        RateFit f = RateFit.fit(m, y, 0.95);
        assertEquals(-0.5, f.slope(), 1e-14);
        assertEquals(Math.log(3), f.intercept(), 1e-12);
        assertEquals(3 * Math.pow(1000, -0.5), f.predict(1000), 1e-14);
        assertEquals(0, f.slopeStderr(), 1e-13);
    }

    @Test
    void slopeAndIntervalMatchSimpleRegression() {
        double[] m = {64, 128, 256, 512, 1024, 2048, 4096};
        double[] y = {0.31, 0.23, 0.15, 0.12, 0.090, 0.060, 0.041};
        RateFit f = RateFit.fit(m, y, 0.95);
        SimpleRegression reg = new SimpleRegression();
        for (int i = 0; i < m.length; i++) {
            reg.addData(Math.log(m[i]), Math.log(y[i]));
        }
        assertEquals(reg.getSlope(), f.slope(), 1e-13);
        assertEquals(reg.getSlopeStdErr(), f.slopeStderr(), 1e-13);
        double half = reg.getSlopeConfidenceInterval(0.05);
        assertEquals(reg.getSlope() - half, f.lower(), 1e-12);
        assertEquals(reg.getSlope() + half, f.upper(), 1e-12);
        assertTrue(f.consistentWith(-0.5));
        assertFalse(f.consistentWith(-0.25));
        assertFalse(f.consistentWith(-1));
    }

    @Test
    void tooFewOrBadPointsAreRefused() {
        assertThrows(Ntk4jException.class, () -> RateFit.fit(new double[] {1, 2}, new double[] {1, 2}, 0.95));
        assertThrows(Ntk4jException.class, () -> RateFit.fit(new double[] {1, 2, 4}, new double[] {1, 0, 2}, 0.95));
        assertThrows(Ntk4jException.class, () -> RateFit.fit(new double[] {2, 2, 2}, new double[] {1, 3, 2}, 0.95));
    }

    @Test
    void standardErrorIntervalHasTheClosedForm() {
        // widths 64, 256, 1024 (log-spaced by h = ln 4), relative standard errors r at each: the slope's
        // variance is r²/Sxx with Sxx = 2h², the middle point does not enter it, and the two equal
        // outer terms give ν_eff = 2ν (Welch–Satterthwaite)
        double h = Math.log(4);
        double r = 0.1;
        double[] m = {64, 256, 1024};
        double[] y = {0.4, 0.2, 0.1};
        double[] se = {0.04, 0.02, 0.01};
        RateFit f = RateFit.withStandardErrors(m, y, se, new double[] {7, 7, 7}, 0.95);
        assertEquals(-0.5, f.slope(), 1e-14);
        assertEquals(r / Math.sqrt(2 * h * h), f.slopeStderr(), 1e-14);
        assertEquals(14, f.degreesOfFreedom(), 1e-9);
        // t_{0.975, 14} = 2.144786688 (tables)
        assertEquals(2.144786688 * f.slopeStderr(), f.halfWidth(), 1e-8);
        assertTrue(f.consistentWith(-0.5));
        // a zero or infinite point is named in the message
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> RateFit.withStandardErrors(m,
                new double[] {Double.POSITIVE_INFINITY, 1, 1}, se, new double[] {7, 7, 7}, 0.95));
        assertTrue(e.getMessage().contains("positive finite"), e.getMessage());
    }
}
