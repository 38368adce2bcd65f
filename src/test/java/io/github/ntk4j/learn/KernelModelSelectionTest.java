package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.KernelModelSelection.Grid;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.List;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.junit.jupiter.api.Test;

/** Model selection against hand-derived facts and an independent LU-based ridge regression. */
class KernelModelSelectionTest {
    private static Grid single(KernelKind kind, double ridge) {
        return new Grid("relu", List.of(kind), new int[] {2}, new double[] {1.4}, new double[] {0.1}, new double[] {ridge},
                Double.POSITIVE_INFINITY);
    }

    /** Standardisation by hand: column (1, 2, 3) → (−√1.5, 0, √1.5); a constant column → 0. */
    @Test
    void standardiserByHand() {
        double[][] x = {{1, 5}, {2, 5}, {3, 5}};
        KernelModelSelection.Standardiser s = KernelModelSelection.Standardiser.fit(x);
        double[][] z = s.apply(new double[][] {{1, 5}, {3, 7}});
        assertEquals(-Math.sqrt(1.5), z[0][0], 1e-15);
        assertEquals(Math.sqrt(1.5), z[1][0], 1e-15);
        assertEquals(0.0, z[0][1]);
        assertEquals(0.0, z[1][1], "a constant training column stays 0 on new rows");
    }

    /** Stratified folds: every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ members of each class. */
    @Test
    void foldsAreStratified() {
        int[] cls = new int[23];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = i < 7 ? 0 : i < 18 ? 1 : 2; // 7, 11, 5 members
        }
        int[] f = KernelModelSelection.assign(Task.CLASSIFY, cls, 5, 3);
        int[][] count = new int[3][5];
        for (int i = 0; i < cls.length; i++) {
            count[cls[i]][f[i]]++;
        }
        int[] sizes = {7, 11, 5};
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 5; k++) {
                assertTrue(count[c][k] == sizes[c] / 5 || count[c][k] == (sizes[c] + 4) / 5, "class " + c + " fold " + k);
            }
        }
    }

    /**
     * With a one-point grid the final model is kernel ridge regression on standardised data:
     * recomputed here with a Hipparchus LU solve of (Θ + r·mean diag·I) α = (y − ȳ)/sd_y.
     */
    @Test
    void regressionModelIsRidgeRegressionOnStandardisedData() {
        Random rng = new Random(5);
        int n = 40;
        double[][] x = new double[n][2];
        String[] y = new String[n];
        double[] yv = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = 3 + 2 * rng.nextGaussian();
            x[i][1] = -1 + 0.5 * rng.nextGaussian();
            yv[i] = 10 + 4 * Math.sin(x[i][0]) + x[i][1];
            y[i] = Double.toString(yv[i]);
        }
        double ridge = 1e-2;
        KernelModelSelection.Model m = KernelModelSelection.fit(Task.REGRESS, x, y, 3, 1, single(KernelKind.NTK, ridge), 1);
        // the FALKON solver with every training row a centre is the same estimator by another
        // algorithm (Nyström normal equations by preconditioned CG, stopped at a relative
        // residual of 1e-7)
        KernelModelSelection.Model mf = KernelModelSelection.fit(Task.REGRESS, x, y, 3, 1, single(KernelKind.NTK, ridge),
                KernelModelSelection.Solver.falkon(n), 1);
        double[][] xs = {{2.5, -0.7}, {5, -1.5}};
        String[] got = m.predict(xs);
        String[] gotFalkon = mf.predict(xs);
        // independent computation
        double[] mu = new double[2];
        double[] sd = new double[2];
        for (int j = 0; j < 2; j++) {
            for (double[] r : x) {
                mu[j] += r[j] / n;
            }
            for (double[] r : x) {
                sd[j] += (r[j] - mu[j]) * (r[j] - mu[j]) / n;
            }
            sd[j] = Math.sqrt(sd[j]);
        }
        double ym = 0;
        double ys = 0;
        for (double v : yv) {
            ym += v / n;
        }
        for (double v : yv) {
            ys += (v - ym) * (v - ym) / n;
        }
        ys = Math.sqrt(ys);
        double[][] z = new double[n][2];
        double[][] t = new double[n][1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 2; j++) {
                z[i][j] = (x[i][j] - mu[j]) / sd[j];
            }
            t[i][0] = (yv[i] - ym) / ys;
        }
        double[][] zs = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                zs[i][j] = (xs[i][j] - mu[j]) / sd[j];
            }
        }
        NtkRecursion e = NtkRecursion.of(Network.fullyConnected(NetworkSpec.parseActivation("relu"), 2, 1.4, 0.1));
        double[][] g = e.gram(z, KernelKind.NTK);
        double md = 0;
        for (int i = 0; i < n; i++) {
            md += g[i][i] / n;
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += ridge * md;
        }
        double[][] alpha = new LUDecomposition(new Array2DRowRealMatrix(g)).getSolver().solve(new Array2DRowRealMatrix(t)).getData();
        double[][] c = e.cross(zs, z, KernelKind.NTK);
        for (int i = 0; i < 2; i++) {
            double f = 0;
            for (int j = 0; j < n; j++) {
                f += c[i][j] * alpha[j][0];
            }
            double expected = ym + ys * f;
            assertEquals(expected, Double.parseDouble(got[i]), 1e-9 * Math.abs(expected), "row " + i);
            assertEquals(expected, Double.parseDouble(gotFalkon[i]), 1e-6 * Math.abs(expected), "FALKON, row " + i);
        }
    }

    /** Two far-apart clusters are separated perfectly in every fold; the fold sizes add up. */
    @Test
    void separableClassesAreClassifiedPerfectly() {
        Random rng = new Random(2);
        int n = 30;
        double[][] x = new double[n][3];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            double s = i % 2 == 0 ? 5 : -5;
            for (int j = 0; j < 3; j++) {
                x[i][j] = s + rng.nextGaussian();
            }
            y[i] = i % 2 == 0 ? "a" : "b";
        }
        KernelModelSelection.Result r = KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, 3, 2, 0,
                new Grid("relu", List.of(KernelKind.NTK, KernelKind.NNGP), new int[] {1, 2}, new double[] {1.4},
                        new double[] {0.1}, new double[] {1e-3, 1e-1}, Double.POSITIVE_INFINITY), 1, null);
        assertEquals(1.0, r.mean());
        assertEquals(n, r.folds().stream().mapToInt(KernelModelSelection.Fold::testSize).sum());
        // the same by FALKON with 8 centres per fit, choosing among two ridges by inner folds
        KernelModelSelection.Result rf = KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, 3, 2, 0,
                new Grid("relu", List.of(KernelKind.NTK), new int[] {1}, new double[] {1.4}, new double[] {0.1},
                        new double[] {1e-3, 1e-1}, Double.POSITIVE_INFINITY),
                KernelModelSelection.Solver.falkon(8), 1, null);
        assertEquals(1.0, rf.mean());
        for (KernelModelSelection.Fold f : rf.folds()) {
            assertTrue(f.chosen().ridge() == 1e-3 || f.chosen().ridge() == 1e-1, f.toString());
            assertEquals(1.0, f.chosen().innerScore(), f.toString());
        }
        // FALKON gives the t = ∞ predictor only
        Grid finite = new Grid("relu", List.of(KernelKind.NTK), new int[] {1}, new double[] {1.4}, new double[] {0.1},
                new double[] {1e-3}, 1.0);
        Ntk4jException time = assertThrows(Ntk4jException.class, () -> KernelModelSelection.crossValidate(Task.CLASSIFY, x, y,
                3, 2, 0, finite, KernelModelSelection.Solver.falkon(8), 1, null));
        assertTrue(time.getMessage().contains("t = ∞ predictor only"), time.getMessage());
    }

    @Test
    void badInputIsRefused() {
        double[][] x = {{1}, {2}, {3}, {4}, {5}, {6}};
        String[] y = {"a", "a", "a", "a", "a", "b"};
        Ntk4jException few = assertThrows(Ntk4jException.class,
                () -> KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, 3, 2, 0, single(KernelKind.NTK, 1e-3), 1, null));
        assertTrue(few.getMessage().contains("class 'b' has 1 member, fewer than the 3 folds"), few.getMessage());
        Ntk4jException notNumber = assertThrows(Ntk4jException.class,
                () -> KernelModelSelection.crossValidate(Task.REGRESS, x, y, 3, 2, 0, single(KernelKind.NTK, 1e-3), 1, null));
        assertTrue(notNumber.getMessage().contains("is not a number"), notNumber.getMessage());
        // too many rows for the dense path: refused before any N×N allocation, pointing to FALKON
        int n = 200_000;
        double[][] big = new double[n][1];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            big[i][0] = i;
            labels[i] = i % 2 == 0 ? "a" : "b";
        }
        Ntk4jException large = assertThrows(Ntk4jException.class,
                () -> KernelModelSelection.crossValidate(Task.CLASSIFY, big, labels, 2, 2, 0, single(KernelKind.NTK, 1e-3), 1, null));
        assertTrue(large.getMessage().contains("FALKON"), large.getMessage());
    }
}
