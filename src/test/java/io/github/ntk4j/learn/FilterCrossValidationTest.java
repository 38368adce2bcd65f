package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.math.KernelKind;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The spectral cross-validation against a brute-force one: per fold and ridge, (G + r·s·I)⁻¹ Y
 * by Hipparchus' LU in place of the eigen-decomposition; for early stopping,
 * G⁻¹(I − e^{−G t/s})Y with the matrix exponential by scaling and squaring.
 */
class FilterCrossValidationTest {

    @Test
    void ridgeAndTimeAccuraciesMatchBruteForce() {
        Random r = new Random(5);
        int n = 60;
        double[][] x = new double[n][2];
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = i % 3;
            x[i][0] = cls[i] + 0.8 * r.nextGaussian();
            x[i][1] = r.nextGaussian();
        }
        // the ReLU NTK: its mean diagonal s ≈ 4 is not 1, so a filter that forgot s would differ
        double[][] g = io.github.ntk4j.kernel.NtkRecursion.of(io.github.ntk4j.net.Network.fullyConnected(
                io.github.ntk4j.net.NetworkSpec.parseActivation("relu"), 1, 1.4, 0.1)).gram(x, KernelKind.NTK);
        int folds = 4;
        FilterCrossValidation cv = FilterCrossValidation.prepare(g, cls, folds, 9);
        int[] fold = cv.folds();
        double[] ridges = {1e-3, 0.3};
        double[] times = {0.5, 20};
        for (double ridge : ridges) {
            for (double time : times) {
                FilterCrossValidation.Choice c = cv.select(cls, 3, new double[] {ridge}, new double[] {time});
                assertEquals(bruteForce(g, cls, fold, folds, ridge, Double.NaN), c.ridgeAccuracy(), 1e-12);
                assertEquals(bruteForce(g, cls, fold, folds, Double.NaN, time), c.timeAccuracy(), 1e-12);
            }
        }
        // stratified: each fold holds 5 of each class's 20 rows
        int[][] count = new int[folds][3];
        for (int i = 0; i < n; i++) {
            count[fold[i]][cls[i]]++;
        }
        for (int[] f : count) {
            for (int c : f) {
                assertEquals(5, c);
            }
        }
    }

    private static double bruteForce(double[][] g, int[] cls, int[] fold, int folds, double ridge, double time) {
        double acc = 0;
        for (int f = 0; f < folds; f++) {
            final int ff = f;
            int[] tr = java.util.stream.IntStream.range(0, g.length).filter(i -> fold[i] != ff).toArray();
            int[] te = java.util.stream.IntStream.range(0, g.length).filter(i -> fold[i] == ff).toArray();
            RealMatrix gtt = new Array2DRowRealMatrix(tr.length, tr.length);
            double scale = 0;
            for (int i = 0; i < tr.length; i++) {
                for (int j = 0; j < tr.length; j++) {
                    gtt.setEntry(i, j, g[tr[i]][tr[j]]);
                }
                scale += g[tr[i]][tr[i]] / tr.length;
            }
            RealMatrix y = new Array2DRowRealMatrix(tr.length, 3);
            for (int i = 0; i < tr.length; i++) {
                y.setEntry(i, cls[tr[i]], 1);
            }
            RealMatrix alpha;
            if (!Double.isNaN(ridge)) {
                RealMatrix a = gtt.copy();
                for (int i = 0; i < tr.length; i++) {
                    a.addToEntry(i, i, ridge * scale);
                }
                alpha = new LUDecomposition(a).getSolver().solve(y);
            } else {
                // α(t) = G⁻¹ (I − e^{−G t/s}) Y, the exponential by scaling and squaring of its Taylor series
                double t = time / scale;
                RealMatrix e = expNegative(gtt, t);
                RealMatrix id = org.hipparchus.linear.MatrixUtils.createRealIdentityMatrix(tr.length);
                alpha = new LUDecomposition(gtt).getSolver().solve(id.subtract(e).multiply(y));
            }
            int right = 0;
            for (int i : te) {
                double[] out = new double[3];
                for (int j = 0; j < tr.length; j++) {
                    for (int c = 0; c < 3; c++) {
                        out[c] += g[i][tr[j]] * alpha.getEntry(j, c);
                    }
                }
                int best = out[1] > out[0] ? 1 : 0;
                best = out[2] > out[best] ? 2 : best;
                right += best == cls[i] ? 1 : 0;
            }
            acc += (double) right / te.length / folds;
        }
        return acc;
    }

    /** e^{−G t}: Taylor series (30 terms) of e^{−G t/2^q} with ‖G t/2^q‖₁ ≤ 1/2, squared q times. */
    private static RealMatrix expNegative(RealMatrix g, double t) {
        int q = Math.max(0, (int) Math.ceil(Math.log(2 * g.getNorm1() * t) / Math.log(2)));
        RealMatrix a = g.scalarMultiply(-t / Math.pow(2, q));
        RealMatrix term = org.hipparchus.linear.MatrixUtils.createRealIdentityMatrix(g.getRowDimension());
        RealMatrix sum = term.copy();
        for (int j = 1; j <= 30; j++) {
            term = term.multiply(a).scalarMultiply(1.0 / j);
            sum = sum.add(term);
        }
        for (int i = 0; i < q; i++) {
            sum = sum.multiply(sum);
        }
        return sum;
    }

    @Test
    void refusesTooFewRows() {
        assertThrows(io.github.ntk4j.InvalidInputException.class,
                () -> FilterCrossValidation.prepare(new double[][] {{1, 0}, {0, 1}}, new int[] {0, 1}, 2, 0));
    }
}
