package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.learn.GradientFlowPredictor;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.math.PairwiseKernel;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** A user's own kernel through the {@link KernelFunction} type, checked against closed forms. */
class PairwiseKernelTest {

    private static final double[][] X = {{0.3, -1.2}, {1.5, 0.2}, {-0.7, 0.9}, {0.1, 0.1}};

    @Test
    void gaussianAndLaplaceMatchTheirClosedForms() {
        // (0.3,-1.2) - (1.5,0.2) = (-1.2,-1.4): squared distance 3.4 exactly in decimal
        double g = GaussianKernel.withLengthScale(2).pair(X[0], X[1]).ntk();
        assertEquals(Math.exp(-3.4 / 8), g, 1e-16 * Math.exp(-3.4 / 8) * 4);
        double l = LaplaceKernel.withLengthScale(0.5).pair(X[0], X[1]).nngp();
        assertEquals(Math.exp(-Math.sqrt(3.4) / 0.5), l, 2e-15 * l); // 0.3 - 1.5 and -1.2 - 0.2 are not exact in binary
        double[][] k = GaussianKernel.withLengthScale(2).gram(X, KernelKind.NTK);
        for (int i = 0; i < X.length; i++) {
            assertEquals(1.0, k[i][i]);
            for (int j = 0; j < X.length; j++) {
                assertEquals(k[i][j], k[j][i]);
            }
        }
    }

    @Test
    void gradientFlowAtInfiniteTimeWithAUserKernelIsKernelInterpolation() {
        KernelFunction poly = PairwiseKernel.of("poly2", (x, y) -> {
            double s = 1;
            for (int i = 0; i < x.length; i++) {
                s += x[i] * y[i];
            }
            return s * s + (x == y ? 1e-3 : 0);
        });
        KernelFunction rbf = GaussianKernel.withLengthScale(1);
        double[][] y = {{1}, {-1}, {0.5}, {2}};
        double[][] xs = {{0.2, 0.4}};
        double[][] mean = GradientFlowPredictor.train(rbf, KernelKind.NTK, X, y, 1.0, 0)
                .predict(xs, Double.POSITIVE_INFINITY, false).mean();
        // independent: k(x*, X) K⁻¹ y by Hipparchus LU on the closed-form Gram
        RealMatrix kxx = new Array2DRowRealMatrix(4, 4);
        double[] kx = new double[4];
        for (int i = 0; i < 4; i++) {
            kx[i] = Math.exp(-0.5 * sq(xs[0], X[i]));
            for (int j = 0; j < 4; j++) {
                kxx.setEntry(i, j, Math.exp(-0.5 * sq(X[i], X[j])));
            }
        }
        double[] alpha = new LUDecomposition(kxx).getSolver().solve(new org.hipparchus.linear.ArrayRealVector(
                new double[] {1, -1, 0.5, 2})).toArray();
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += kx[i] * alpha[i];
        }
        assertEquals(expected, mean[0][0], 1e-10 * Math.abs(expected) + 1e-12);
        assertEquals("poly2", poly.describe());
    }

    @Test
    void gaussianAndLaplaceKeepEveryScale() {
        // exponents exact in binary, so the references are Math.exp of a literal
        // huge inputs: ‖x − y‖ = 2e308 overflows a plain sum of squares (which gave k = 0)
        double[] big = {1e308};
        double[] minusBig = {-1e308};
        assertEquals(Math.exp(-2), GaussianKernel.withLengthScale(1e308).pair(big, minusBig).ntk(), 2e-16 * Math.exp(-2));
        assertEquals(Math.exp(-2), LaplaceKernel.withLengthScale(1e308).pair(big, minusBig).ntk(), 2e-16 * Math.exp(-2));
        // a difference tiny beside the entries: (1e-200)² underflows in a plain sum (which gave k = 1)
        double[] a = {1, 1e-200};
        double[] b = {1, 2e-200};
        assertEquals(Math.exp(-0.5), GaussianKernel.withLengthScale(1e-200).pair(a, b).ntk(), 4e-16 * Math.exp(-0.5));
        assertEquals(Math.exp(-1), LaplaceKernel.withLengthScale(1e-200).pair(a, b).ntk(), 4e-16 * Math.exp(-1));
        // a tiny length scale at x = y: −1/(2ℓ²) = −∞ times 0 was NaN
        assertEquals(1.0, GaussianKernel.withLengthScale(1e-300).pair(a, a).ntk());
        assertEquals(1.0, LaplaceKernel.withLengthScale(1e-300).pair(a, a).ntk());
        // just above the smallest normal double: returned with its digits
        assertEquals(Math.exp(-684.5), GaussianKernel.withLengthScale(1).pair(new double[] {0}, new double[] {37}).ntk(),
                1e-15 * Math.exp(-684.5) * 685);
        assertEquals(Math.exp(-708), LaplaceKernel.withLengthScale(1).pair(new double[] {0}, new double[] {708}).ntk(),
                1e-15 * Math.exp(-708) * 708);
    }

    @Test
    void valuesBelowTheDoubleRangeAreExpsRoundingNotAnError() {
        // documented: accurate to 2.2e-308 absolute beside k(x, x) = 1, so a small length scale is a
        // poor candidate in a grid, not a failure (KernelModelSelectionTest relies on that)
        double[][] far = {{0}, {40}};
        assertEquals(Math.exp(-800), GaussianKernel.withLengthScale(1).pair(far[0], far[1]).ntk());
        double[][] g = GaussianKernel.withLengthScale(1e-3).gram(far, KernelKind.NTK);
        assertEquals(1.0, g[0][0]);
        assertEquals(0.0, g[0][1]); // exp(−8e8)
        assertEquals(0.0, LaplaceKernel.withLengthScale(Double.MIN_VALUE).pair(far[0], far[1]).ntk()); // ‖x − y‖/ℓ = ∞
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(InvalidInputException.class, () -> GaussianKernel.withLengthScale(0));
        assertThrows(InvalidInputException.class, () -> GaussianKernel.withLengthScale(Double.NaN));
        KernelFunction bad = PairwiseKernel.of("bad", (x, y) -> Double.NaN);
        assertThrows(InvalidInputException.class, () -> bad.gram(X, KernelKind.NTK));
        assertThrows(InvalidInputException.class, () -> bad.pair(new double[] {1}, new double[] {1, 2}));
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
