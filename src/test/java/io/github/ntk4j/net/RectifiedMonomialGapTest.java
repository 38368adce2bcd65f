package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The series that {@link RectifiedMonomial} uses for x − sin x (its D' near collinear inputs),
 * against 20-digit values over its whole domain [0, 1], endpoints included. Reference values:
 * {@code mpmath} at 40 digits, {@code x - mp.sin(x)} for the binary64 value of each x.
 */
class RectifiedMonomialGapTest {
    @Test
    void xMinusSinMatchesFortyDigitValues() {
        double[][] cases = {
            {1e-6, 1.6666666666665831071e-19},
            {1e-3, 1.6666665833333354215e-10},
            {0.1, 0.00016658335317184772092},
            {0.5, 0.020574461395796999727},
            {0.9999999999999999, 0.15852901519210344231},
            {1.0, 0.15852901519210349335},
        };
        for (double[] c : cases) {
            double got = RectifiedMonomial.xMinusSin(c[0]);
            assertEquals(c[1], got, 1e-15 * c[1], "x − sin x at x = " + c[0]);
        }
        assertEquals(0.0, RectifiedMonomial.xMinusSin(0.0), 0.0, "x − sin x at 0");
    }
}
