package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.KernelModelSelection.Options;
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
    private static final KernelFamily SINGLE = KernelFamily.fullyConnected("relu").withGrid("depth", 2)
            .withGrid("w_std", 1.4).withGrid("b_std", 0.1);

    private static Options options(int folds, int innerFolds, long seed, double... ridges) {
        return Options.defaults().withFolds(folds).withInnerFolds(innerFolds).withSeed(seed).withRidges(ridges)
                .withThreads(1);
    }

    /** Standardisation by hand: column (1, 2, 3) → (−√1.5, 0, √1.5); a constant column → 0. */
    @Test
    void standardiserByHand() {
        double[][] x = {{1, 5}, {2, 5}, {3, 5}};
        Standardiser s = Standardiser.fit(x);
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
        int[] f = Folds.assign(cls, 5, 3);
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
        KernelModel m = KernelModelSelection.fit(Task.REGRESS, x, y, SINGLE, options(3, 3, 1, ridge));
        // the FALKON solver with every training row a centre is the same estimator by another
        // algorithm (Nyström normal equations by preconditioned CG, stopped at a relative
        // residual of 1e-7)
        KernelModel mf = KernelModelSelection.fit(x, yv, SINGLE,
                options(3, 3, 1, ridge).withSolver(KernelModelSelection.Solver.falkon(n)));
        double[][] xs = {{2.5, -0.7}, {5, -1.5}};
        double[] got = m.predict(xs).values();
        double[] gotFalkon = mf.predict(xs).values();
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
            assertEquals(expected, got[i], 1e-9 * Math.abs(expected), "row " + i);
            assertEquals(expected, gotFalkon[i], 1e-6 * Math.abs(expected), "FALKON, row " + i);
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
        KernelFamily two = KernelFamily.fullyConnected("relu").withKinds(KernelKind.NTK, KernelKind.NNGP)
                .withGrid("depth", 1, 2).withGrid("w_std", 1.4);
        KernelModelSelection.Result r = KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, two, options(3, 2, 0, 1e-3, 1e-1));
        assertEquals(1.0, r.mean());
        assertEquals(n, r.folds().stream().mapToInt(KernelModelSelection.Fold::testSize).sum());
        // the same by FALKON with 8 centres per fit, choosing among two ridges by inner folds
        KernelFamily one = KernelFamily.fullyConnected("relu").withGrid("depth", 1).withGrid("w_std", 1.4);
        KernelModelSelection.Result rf = KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, one,
                options(3, 2, 0, 1e-3, 1e-1).withSolver(KernelModelSelection.Solver.falkon(8)));
        assertEquals(1.0, rf.mean());
        for (KernelModelSelection.Fold f : rf.folds()) {
            assertTrue(f.chosen().ridge() == 1e-3 || f.chosen().ridge() == 1e-1, f.toString());
            assertEquals(1.0, f.chosen().innerScore(), f.toString());
        }
        // FALKON gives the t = ∞ predictor only
        Ntk4jException time = assertThrows(Ntk4jException.class,
                () -> options(3, 2, 0, 1e-3).withTime(1.0).withSolver(KernelModelSelection.Solver.falkon(8)));
        assertTrue(time.getMessage().contains("t = ∞ predictor only"), time.getMessage());
    }

    @Test
    void badInputIsRefused() {
        double[][] x = {{1}, {2}, {3}, {4}, {5}, {6}};
        String[] y = {"a", "a", "a", "a", "a", "b"};
        Ntk4jException few = assertThrows(Ntk4jException.class,
                () -> KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, SINGLE, options(3, 2, 0, 1e-3)));
        assertTrue(few.getMessage().contains("class 'b' has 1 member, fewer than the 3 folds"), few.getMessage());
        Ntk4jException notNumber = assertThrows(Ntk4jException.class,
                () -> KernelModelSelection.crossValidate(Task.REGRESS, x, y, SINGLE, options(3, 2, 0, 1e-3)));
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
                () -> KernelModelSelection.crossValidate(Task.CLASSIFY, big, labels, SINGLE, options(2, 2, 0, 1e-3)));
        assertTrue(large.getMessage().contains("FALKON"), large.getMessage());
    }

    /**
     * A residual GELU network with layernorm, cross-validated from code: its candidates print
     * readably; with one candidate and one ridge the fitted model is ridge regression with that
     * network's NTK, recomputed here by a Hipparchus LU solve.
     */
    @Test
    void residualNetworkFamilyIsCrossValidated() {
        KernelFamily family = KernelFamily.network("dense({w},{b}) residual(gelu dense({w},0)) layernorm dense(1,0)")
                .withGrid("w", 1, 1.4, 2).withGrid("b", 0, 0.1);
        assertEquals(6, family.size());
        assertEquals("ntk w=1 b=0", family.candidates().get(0).toString());
        assertEquals("ntk w=1.4 b=0.1", family.candidates().get(3).toString());
        assertTrue(family.toString().endsWith("kernel=ntk w=1,1.4,2 b=0,0.1"), family.toString());
        Random rng = new Random(7);
        int n = 36;
        double[][] x = new double[n][2];
        String[] y = new String[n];
        for (int i = 0; i < n; i++) {
            double s = i % 2 == 0 ? 3 : -3;
            x[i][0] = s + rng.nextGaussian();
            x[i][1] = rng.nextGaussian();
            y[i] = i % 2 == 0 ? "up" : "down";
        }
        KernelModelSelection.Result r = KernelModelSelection.crossValidate(Task.CLASSIFY, x, y, family,
                options(3, 2, 0, 1e-3, 1e-1));
        assertEquals(1.0, r.mean());
        for (KernelModelSelection.Fold f : r.folds()) {
            assertTrue(f.chosen().toString().matches("ntk w=(1|1\\.4|2) b=(0|0\\.1) ridge=0\\.(001|1)"), f.chosen().toString());
        }
        assertTrue(r.toText().contains("accuracy  1.0000"), r.toText());
        // one candidate: the model is ridge regression with this network's NTK on standardised rows
        KernelFamily one = KernelFamily.network("dense(1.4,0.1) residual(gelu dense(1.4,0)) layernorm dense(1,0)");
        double ridge = 1e-2;
        KernelModel m = KernelModelSelection.fit(Task.CLASSIFY, x, y, one, options(3, 2, 0, ridge));
        assertEquals(List.of("down", "up"), m.classes());
        double[][] z = standardise(x, x);
        double[][] xs = {{0.5, 0.2}, {-1, 1}};
        double[][] zs = standardise(xs, x);
        NtkRecursion e = NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) residual(gelu dense(1.4,0)) layernorm dense(1,0)"));
        double[][] g = e.gram(z, KernelKind.NTK);
        double md = 0;
        for (int i = 0; i < n; i++) {
            md += g[i][i] / n;
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += ridge * md;
        }
        double[][] t = new double[n][2];
        for (int i = 0; i < n; i++) {
            t[i][y[i].equals("down") ? 0 : 1] = 1;
        }
        double[][] alpha = new LUDecomposition(new Array2DRowRealMatrix(g)).getSolver().solve(new Array2DRowRealMatrix(t)).getData();
        double[][] c = e.cross(zs, z, KernelKind.NTK);
        KernelModel.Predictions p = m.predict(xs);
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 2; k++) {
                double expected = 0;
                for (int j = 0; j < n; j++) {
                    expected += c[i][j] * alpha[j][k];
                }
                assertEquals(expected, p.scores()[i][k], 1e-9 * Math.max(1, Math.abs(expected)), "row " + i + " class " + k);
            }
        }
        assertEquals(p.scores()[0][1] > p.scores()[0][0] ? "up" : "down", p.label(0));
    }

    private static double[][] standardise(double[][] rows, double[][] train) {
        int d = train[0].length;
        double[][] out = new double[rows.length][d];
        for (int j = 0; j < d; j++) {
            double mu = 0;
            for (double[] r : train) {
                mu += r[j] / train.length;
            }
            double v = 0;
            for (double[] r : train) {
                v += (r[j] - mu) * (r[j] - mu) / train.length;
            }
            for (int i = 0; i < rows.length; i++) {
                out[i][j] = (rows[i][j] - mu) / Math.sqrt(v);
            }
        }
        return out;
    }

    /** Misuse is refused when the family or options are made, with 0-based indices. */
    @Test
    void familiesAndOptionsAreCheckedAtConstruction() {
        Ntk4jException unknown = assertThrows(Ntk4jException.class, () -> KernelFamily.fullyConnected("relux"));
        assertTrue(unknown.getMessage().contains("relux"), unknown.getMessage());
        Ntk4jException badSpec = assertThrows(Ntk4jException.class,
                () -> KernelFamily.network("dense({w},0) relux dense(1,0)").withGrid("w", 1));
        assertTrue(badSpec.getMessage().contains("relux"), badSpec.getMessage());
        Ntk4jException unbound = assertThrows(Ntk4jException.class,
                () -> KernelFamily.network("dense({w},{b}) relu dense(1,0)").withGrid("w", 1).candidates());
        assertTrue(unbound.getMessage().contains("{b}"), unbound.getMessage());
        Ntk4jException noSuch = assertThrows(Ntk4jException.class,
                () -> KernelFamily.network("dense({w},0) relu dense(1,0)").withGrid("q", 1));
        assertTrue(noSuch.getMessage().contains("'q'"), noSuch.getMessage());
        Ntk4jException depth = assertThrows(Ntk4jException.class,
                () -> KernelFamily.fullyConnected("relu").withGrid("depth", 1.5));
        assertTrue(depth.getMessage().contains("whole numbers"), depth.getMessage());
        assertThrows(io.github.ntk4j.InvalidInputException.class, () -> Options.defaults().withRidges());
        Ntk4jException negative = assertThrows(io.github.ntk4j.InvalidInputException.class,
                () -> Options.defaults().withRidges(1e-3, -1));
        assertTrue(negative.getMessage().contains("ridges[1]"), negative.getMessage());
        Ntk4jException nan = assertThrows(Ntk4jException.class,
                () -> KernelFamily.fullyConnected("relu").withGrid("w_std", 1, Double.NaN));
        assertTrue(nan.getMessage().contains("w_std[1]"), nan.getMessage());
        assertEquals("fully connected relu networks: kernel=ntk depth=1,2,3 w_std=1.4,2 b_std=0.1",
                KernelFamily.fullyConnected("relu").toString());
    }

    /**
     * A family of any kernel: Gaussian kernels by length scale, regression with double targets.
     * A smooth target is learnt (RMSE well below the targets' spread) when the grid holds a
     * sensible length scale, and not with a length scale far below the data's spacing (the
     * negative control: each prediction is then near the mean).
     */
    @Test
    void familyOfAnyKernelWithRealTargets() {
        Random rng = new Random(11);
        int n = 60;
        double[][] x = new double[n][2];
        double[] y = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.nextGaussian();
            x[i][1] = rng.nextGaussian();
            y[i] = Math.sin(1.5 * x[i][0]) + 0.5 * x[i][1];
            mean += y[i] / n;
        }
        double sd = 0;
        for (double v : y) {
            sd += (v - mean) * (v - mean) / n;
        }
        sd = Math.sqrt(sd);
        KernelFamily gauss = KernelFamily.of("gaussian kernels",
                c -> io.github.ntk4j.kernel.GaussianKernel.withLengthScale(c.get("l"))).withGrid("l", 0.5, 1, 2);
        assertEquals("ntk l=0.5", gauss.candidates().get(0).toString());
        KernelModelSelection.Result good = KernelModelSelection.crossValidate(x, y, gauss, options(3, 2, 0, 1e-3, 1e-1));
        for (KernelModelSelection.Fold f : good.folds()) {
            double l = f.chosen().candidate().get("l");
            assertTrue(l == 0.5 || l == 1 || l == 2, f.toString());
        }
        assertTrue(good.mean() < 0.3 * sd, good.mean() + " vs sd " + sd);
        KernelFamily tiny = KernelFamily.of("tiny gaussian", c -> io.github.ntk4j.kernel.GaussianKernel.withLengthScale(
                c.get("l"))).withGrid("l", 1e-3);
        KernelModelSelection.Result bad = KernelModelSelection.crossValidate(x, y, tiny, options(3, 2, 0, 1e-3, 1e-1));
        assertTrue(bad.mean() > 0.8 * sd, bad.mean() + " vs sd " + sd);
        KernelModel m = KernelModelSelection.fit(x, y, gauss, options(3, 2, 0, 1e-3, 1e-1));
        double[] p = m.predict(new double[][] {{0.2, -0.3}}).values();
        assertEquals(Math.sin(0.3) - 0.15, p[0], 0.3 * sd);
        assertThrows(Ntk4jException.class, () -> m.predict(new double[][] {{0.2}}));
    }
}
