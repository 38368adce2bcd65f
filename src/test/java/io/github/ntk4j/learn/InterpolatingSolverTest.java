package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.NumericalFailureException;
import io.github.ntk4j.kernel.GaussianKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.hipparchus.dfp.Dfp;
import org.hipparchus.dfp.DfpField;
import org.hipparchus.linear.Array2DRowFieldMatrix;
import org.hipparchus.linear.FieldLUDecomposition;
import org.hipparchus.linear.FieldMatrix;
import org.junit.jupiter.api.Test;

/**
 * The interpolating solver against independent arithmetic: the training residual summed
 * exactly in BigDecimal, the solution and the RKHS norm against an LU solve in 60-digit
 * decimal arithmetic (Hipparchus Dfp), with the plain double solve as negative control.
 */
class InterpolatingSolverTest {
    private static final DfpField FIELD = new DfpField(60);

    /** Gaussian kernel of points close together on a line: a Gram matrix with κ ≈ 1.4e12 (numpy.linalg.cond). */
    private static double[][] illConditionedGram() {
        double[][] x = new double[40][1];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = i * 0.4;
        }
        return GaussianKernel.withLengthScale(1.0).gram(x, KernelKind.NTK);
    }

    private static double[][] randomLabels(int n, int k, long seed) {
        Random r = new Random(seed);
        double[][] y = new double[n][k];
        for (int i = 0; i < n; i++) {
            y[i][r.nextInt(k)] = 1;
        }
        return y;
    }

    /** max_{i,c} |y − K(hi + lo)| / max|y|, every product and sum exact (BigDecimal). */
    private static double exactResidual(double[][] g, double[][][] parts, double[][] y) {
        double worst = 0;
        double yMax = 0;
        for (int i = 0; i < g.length; i++) {
            for (int c = 0; c < y[0].length; c++) {
                BigDecimal s = new BigDecimal(y[i][c]);
                yMax = Math.max(yMax, Math.abs(y[i][c]));
                for (int j = 0; j < g.length; j++) {
                    BigDecimal kij = new BigDecimal(g[i][j]);
                    s = s.subtract(kij.multiply(new BigDecimal(parts[0][j][c]))).subtract(kij.multiply(new BigDecimal(parts[1][j][c])));
                }
                worst = Math.max(worst, Math.abs(s.doubleValue()));
            }
        }
        return worst / yMax;
    }

    /** The exact solution of K a = y (60 digits; the Gram entries are exact in Dfp). */
    private static Dfp[][] dfpSolve(double[][] g, double[][] y) {
        int n = g.length;
        FieldMatrix<Dfp> a = new Array2DRowFieldMatrix<>(FIELD, n, n);
        FieldMatrix<Dfp> b = new Array2DRowFieldMatrix<>(FIELD, n, y[0].length);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.setEntry(i, j, FIELD.newDfp(g[i][j]));
            }
            for (int c = 0; c < y[0].length; c++) {
                b.setEntry(i, c, FIELD.newDfp(y[i][c]));
            }
        }
        FieldMatrix<Dfp> x = new FieldLUDecomposition<>(a).getSolver().solve(b);
        Dfp[][] out = new Dfp[n][y[0].length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < y[0].length; c++) {
                out[i][c] = x.getEntry(i, c);
            }
        }
        return out;
    }

    /** max |α − ref| / max |ref|, α = hi + lo summed in Dfp. */
    private static double solutionError(double[][][] parts, Dfp[][] ref) {
        double err = 0;
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            for (int c = 0; c < ref[0].length; c++) {
                Dfp a = FIELD.newDfp(parts[0][i][c]).add(FIELD.newDfp(parts[1][i][c]));
                err = Math.max(err, Math.abs(a.subtract(ref[i][c]).toDouble()));
                max = Math.max(max, Math.abs(ref[i][c].toDouble()));
            }
        }
        return err / max;
    }

    @Test
    void refinedInterpolantFitsTheLabelsOnAnIllConditionedGram() {
        double[][] g = illConditionedGram();
        double[][] y = randomLabels(g.length, 3, 1);
        InterpolatingSolver s = InterpolatingSolver.factor(g);
        assertTrue(s.condition() > 1e9 && s.condition() < 1e14, "condition " + s.condition());
        InterpolatingSolver.Solution refined = s.solve(y);
        InterpolatingSolver.Solution plain = s.solveUnrefined(y);
        double refinedResidual = exactResidual(g, refined.coefficientParts(), y);
        double plainResidual = exactResidual(g, plain.coefficientParts(), y);
        assertTrue(refined.interpolates());
        assertTrue(refined.refinementSteps() >= 1);
        // training predictions equal the labels far below 1e-8 relative after refinement ...
        assertTrue(refinedResidual < 1e-13, "refined residual " + refinedResidual);
        // ... while the plain double solve misses them by about κ·ε (negative control)
        assertTrue(plainResidual > 1e-9, "plain residual " + plainResidual);
        // the solver's own compensated residual agrees with the exact one
        assertEquals(refinedResidual, refined.relativeResidual(), 1e-15);
        double[][] f = refined.trainingPredictions();
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(y[i][c], f[i][c], 1e-13);
            }
        }
    }

    /**
     * The measured reason for the hand-written refinement: LAPACK's own dporfs (OpenBLAS 0.3.31)
     * refines with residuals in working precision and leaves the training residual orders of
     * magnitude above the extra-precise refinement's.
     */
    @Test
    void lapackDporfsLeavesALargerResidual() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Lapack.useNative(), "needs the OpenBLAS natives");
        double[][] g = illConditionedGram();
        double[][] y = randomLabels(g.length, 3, 1);
        int n = g.length;
        double[] a = Mat.flat(g);
        double[] af = new double[n * n];
        Lapack.Stored factor = Lapack.cholesky(a, n, false);
        assertTrue(factor != null);
        factor.copyTo(af);
        double[] b = Lapack.colMajor(y);
        double[] x = b.clone();
        org.bytedeco.openblas.global.openblas.LAPACKE_dpotrs(org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR,
                (byte) 'L', n, 3, af, n, x, n);
        double[] ferr = new double[3];
        double[] berr = new double[3];
        int info = org.bytedeco.openblas.global.openblas.LAPACKE_dporfs(
                org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR, (byte) 'L', n, 3, a, n, af, n, b, n, x, n, ferr, berr);
        assertEquals(0, info);
        double[][][] lapackParts = {Lapack.rows(x, n, 3), new double[n][3]};
        double lapack = exactResidual(g, lapackParts, y);
        double ours = exactResidual(g, InterpolatingSolver.factor(g).solve(y).coefficientParts(), y);
        assertTrue(lapack > 1e3 * ours, "dporfs " + lapack + " vs extra-precise " + ours);
    }

    @Test
    void solutionAndNormMatchSixtyDigitLuOnTheIllConditionedGram() {
        double[][] g = illConditionedGram();
        double[][] y = randomLabels(g.length, 2, 2);
        Dfp[][] ref = dfpSolve(g, y);
        InterpolatingSolver s = InterpolatingSolver.factor(g);
        InterpolatingSolver.Solution refined = s.solve(y);
        double refinedError = solutionError(refined.coefficientParts(), ref);
        double plainError = solutionError(s.solveUnrefined(y).coefficientParts(), ref);
        assertTrue(refinedError < 1e-12, "refined coefficients off by " + refinedError);
        assertTrue(plainError > 1e3 * refinedError, "plain " + plainError + " vs refined " + refinedError);
        Dfp norm = FIELD.getZero();
        for (int i = 0; i < y.length; i++) {
            for (int c = 0; c < 2; c++) {
                norm = norm.add(ref[i][c].multiply(FIELD.newDfp(y[i][c])));
            }
        }
        assertEquals(norm.toDouble(), refined.rkhsNormSquared(), 1e-12 * norm.toDouble());
    }

    @Test
    void ntkInterpolantMatchesSixtyDigitLuAndPredicts() {
        NtkRecursion ntk = NtkRecursion.of(Network.fullyConnected(NetworkSpec.parseActivation("relu"), 2, 1.4, 0.1));
        Random r = new Random(3);
        double[][] x = new double[25][4];
        for (double[] row : x) {
            for (int j = 0; j < 4; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] xs = {{0.3, -1, 0.5, 2}, {1, 1, 1, 1}};
        double[][] g = ntk.gram(x, KernelKind.NTK);
        double[][] y = randomLabels(x.length, 2, 4);
        Dfp[][] ref = dfpSolve(g, y);
        InterpolatingSolver.Solution sol = InterpolatingSolver.factor(ntk, KernelKind.NTK, x).solve(y);
        assertTrue(solutionError(sol.coefficientParts(), ref) < 1e-14);
        double[][] cross = ntk.cross(xs, x, KernelKind.NTK);
        double[][] pred = sol.predict(cross);
        for (int i = 0; i < xs.length; i++) {
            for (int c = 0; c < 2; c++) {
                Dfp f = FIELD.getZero();
                for (int j = 0; j < x.length; j++) {
                    f = f.add(FIELD.newDfp(cross[i][j]).multiply(ref[j][c]));
                }
                assertEquals(f.toDouble(), pred[i][c], 1e-12 * Math.max(1, Math.abs(f.toDouble())));
            }
        }
        assertEquals(InterpolatingSolver.Method.CHOLESKY, sol.method());
        assertTrue(sol.interpolates());
    }

    @Test
    void duplicatedInputsWithDifferentLabelsAreNumericallySingular() {
        double[][] x = {{0.0}, {1.0}, {1.0}, {2.5}};
        double[][] g = GaussianKernel.withLengthScale(1.0).gram(x, KernelKind.NTK);
        double[][] y = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
        InterpolatingSolver.Solution sol = InterpolatingSolver.factor(g).solve(y);
        assertFalse(sol.interpolates());
        NumericalFailureException e = assertThrows(NumericalFailureException.class, sol::rkhsNormSquared);
        assertTrue(e.getMessage().contains("numerically singular"), e.getMessage());
    }

    @Test
    void indefiniteMatrixFallsBackToTheEigenSolve() {
        double[][] g = {{1, 2}, {2, 1}}; // eigenvalues 3 and −1: Cholesky fails
        InterpolatingSolver s = InterpolatingSolver.factor(g);
        assertTrue(s.choleskyFailed());
        InterpolatingSolver.Solution sol = s.solve(new double[][] {{1}, {1}});
        assertEquals(InterpolatingSolver.Method.EIGEN, sol.method());
        assertEquals(1, sol.rank());
        // minimum-norm least squares on the kept direction (1,1)/√2 with eigenvalue 3: α = (1/3, 1/3)
        double[][] a = sol.coefficients();
        assertEquals(1.0 / 3, a[0][0], 1e-15);
        assertEquals(1.0 / 3, a[1][0], 1e-15);
        assertThrows(NumericalFailureException.class, sol::rkhsNormSquared);
    }

    @Test
    void refusesAnAsymmetricGram() {
        assertThrows(io.github.ntk4j.InvalidInputException.class,
                () -> InterpolatingSolver.factor(new double[][] {{1, 0.5}, {0.4, 1}}));
    }

    @Test
    void exactResidualHelperIsExact() {
        // guards the test's own reference: 0.1·10 summed in BigDecimal is not 1 in binary
        assertTrue(new BigDecimal(0.1).multiply(new BigDecimal(10)).compareTo(BigDecimal.ONE) != 0);
        assertEquals(0, new BigDecimal(0.5).multiply(new BigDecimal(4), MathContext.UNLIMITED).compareTo(new BigDecimal(2)));
    }
}
