package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Sphere multiplicities as exact integers, and spectra of matrices at the top of the double range. */
class ExactMultiplicityTest {
    private static BigInteger factorial(int n) {
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            f = f.multiply(BigInteger.valueOf(i));
        }
        return f;
    }

    @Test
    void multiplicitiesAboveTwoToThe53AreExact() {
        // reference: N(d,k) = (2k+d−2)(k+d−3)!/(k!(d−2)!) (Atkinson and Han 2012, (2.10)) in exact integers
        for (int d : new int[] {3, 5, 40, 100}) {
            for (int k : new int[] {1, 2, 7, 30, 60}) {
                BigInteger ref = BigInteger.valueOf(2L * k + d - 2).multiply(factorial(k + d - 3))
                        .divide(factorial(k).multiply(factorial(d - 2)));
                assertEquals(ref, SphereSpectrum.exactMultiplicity(d, k), "d=" + d + " k=" + k);
            }
        }
        BigInteger big = SphereSpectrum.exactMultiplicity(100, 30);
        assertTrue(big.bitLength() > 53, "beyond a double's exact integers: " + big);
    }

    @Test
    void aMatrixAtTheTopOfTheDoubleRangeHasItsEigenvalues() {
        // diag-reg 1e308 made the QR iteration overflow ("did not converge"); exact: 1e308 ± 1
        KernelSpectrum s = KernelSpectrum.of(new double[][] {{1e308, 1}, {1, 1e308}}, true);
        assertEquals(1e308, s.eigenvalues()[0], 1e292);
        assertEquals(1e308, s.eigenvalues()[1], 1e292);
        // ordinary scales are not rescaled at all: the same eigenvalues as before, to the last bit
        KernelSpectrum t = KernelSpectrum.of(new double[][] {{3, 1}, {1, 3}}, false);
        assertEquals(4, t.eigenvalues()[0], 4 * Math.ulp(4.0));
        assertEquals(2, t.eigenvalues()[1], 4 * Math.ulp(4.0));
    }
}
