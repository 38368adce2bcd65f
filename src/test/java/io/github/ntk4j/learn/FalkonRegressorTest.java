package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.Progress;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * FALKON against the dense ridge solution Θ* (Θ + rI)⁻¹ Y computed here by a Hipparchus LU
 * solve (a different algorithm): with every training input a centre the Nyström problem is the
 * dense one, so the two must agree to the CG tolerance; with fewer centres the error must fall
 * as M grows.
 */
class FalkonRegressorTest {
    private static final NtkRecursion ENGINE = NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)"))
            .withThreads(1);
    private static final int N = 300;
    private static final double R = 1e-2;
    private static final double[][] X = new double[N][3];
    private static final double[][] Y = new double[N][2];
    private static final double[][] XS = new double[40][3];

    static {
        Random rng = new Random(11);
        for (double[] row : X) {
            for (int j = 0; j < 3; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        for (double[] row : XS) {
            for (int j = 0; j < 3; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        for (int i = 0; i < N; i++) {
            Y[i][0] = Math.sin(2 * X[i][0]) + 0.1 * rng.nextGaussian();
            Y[i][1] = X[i][1] * X[i][2];
        }
    }

    private static double[][] dense() {
        double[][] g = ENGINE.gram(X, KernelKind.NTK);
        for (int i = 0; i < N; i++) {
            g[i][i] += R;
        }
        RealMatrix alpha = new LUDecomposition(new Array2DRowRealMatrix(g)).getSolver().solve(new Array2DRowRealMatrix(Y));
        return new Array2DRowRealMatrix(ENGINE.cross(XS, X, KernelKind.NTK)).multiply(alpha).getData();
    }

    private static double relativeError(double[][] expected, double[][] actual) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                double e = expected[i][c] - actual[i][c];
                num += e * e;
                den += expected[i][c] * expected[i][c];
            }
        }
        return Math.sqrt(num / den);
    }

    @Test
    void allCentresGiveTheDenseSolutionAndFewerConverge() {
        double[][] exact = dense();
        long[] calls = {0};
        FalkonRegressor full = FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(N).withIterations(200).withTolerance(1e-10).withSeed(1).withProgress((done, total) -> calls[0]++));
        assertTrue(calls[0] > 0, "progress reported");
        assertTrue(full.relativeResidual() <= 1e-10, "converged: " + full.relativeResidual());
        double errFull = relativeError(exact, full.predict(XS));
        assertTrue(errFull < 1e-7, "M = N: relative error " + errFull);
        double err30 = relativeError(exact, FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(30).withIterations(200).withTolerance(1e-10).withSeed(1)).predict(XS));
        double err150 = relativeError(exact, FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(150).withIterations(200).withTolerance(1e-10).withSeed(1)).predict(XS));
        double err270 = relativeError(exact, FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(270).withIterations(200).withTolerance(1e-10).withSeed(1)).predict(XS));
        // the Nyström error falls with M (measured 0.43, 0.16, ... for this nearly interpolating ridge)
        assertTrue(err150 < err30 && err270 < err150, "M = 30: " + err30 + ", 150: " + err150 + ", 270: " + err270);
    }

    /** Dense ridge predictions at XS of a model fitted on the first n rows of X with ridge r and targets t. */
    private static double[][] dense(int n, double r, double[][] t) {
        double[][] xn = java.util.Arrays.copyOf(X, n);
        double[][] g = ENGINE.gram(xn, KernelKind.NTK);
        for (int i = 0; i < n; i++) {
            g[i][i] += r;
        }
        RealMatrix alpha = new LUDecomposition(new Array2DRowRealMatrix(g)).getSolver().solve(new Array2DRowRealMatrix(t));
        return new Array2DRowRealMatrix(ENGINE.cross(XS, xn, KernelKind.NTK)).multiply(alpha).getData();
    }

    /**
     * One {@link FalkonRegressor.Problem} serves several fits: ten one-vs-rest ±1 columns solved
     * together, two ridges, a fit on a prefix of the rows, and predictions for rows of the problem
     * (XS appended after X) from its kept kernel slices; every one the dense ridge solution of its
     * own rows and ridge (Hipparchus LU) when all the fitted rows are centres.
     */
    @Test
    void oneProblemManyFitsEachTheDenseRidgeSolution() {
        int n = 200;
        double[][] all = new double[N + XS.length][];
        System.arraycopy(X, 0, all, 0, N);
        System.arraycopy(XS, 0, all, N, XS.length);
        double[][] t = new double[N][10];
        for (int i = 0; i < N; i++) {
            java.util.Arrays.fill(t[i], -1);
            int cls = (int) Math.floor(5 * (Math.tanh(X[i][0] + 0.5 * X[i][1]) + 1)); // 10 classes from the inputs
            t[i][Math.min(9, cls)] = 1;
        }
        FalkonRegressor.Problem p = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all,
                java.util.Arrays.copyOf(X, n), Progress.NONE);
        assertTrue(p.keptWhole());
        for (double r : new double[] {1e-2, 1.0}) {
            FalkonRegressor f = p.fit(n, java.util.Arrays.copyOf(t, n), r, 300, 1e-11, null);
            double[][] exact = dense(n, r, java.util.Arrays.copyOf(t, n));
            double err = relativeError(exact, p.predictRows(f, N, N + XS.length));
            assertTrue(err < 1e-7, "ridge " + r + ": relative error " + err);
            assertEquals(0, relativeError(f.predict(XS), p.predictRows(f, N, N + XS.length)), 1e-12);
            assertTrue(f.timing().kernelPassSeconds() > 0 && f.timing().iterationSeconds() > 0);
        }
        // negative control: the answer to ridge 1e-2 is not that of ridge 1
        FalkonRegressor f = p.fit(n, java.util.Arrays.copyOf(t, n), 1e-2, 300, 1e-11, null);
        assertTrue(relativeError(dense(n, 1.0, java.util.Arrays.copyOf(t, n)), p.predictRows(f, N, N + XS.length)) > 1e-3);
        // centres from other rows than those fitted: the Nyström problem, no longer the dense one
        FalkonRegressor.Problem q = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all,
                FalkonRegressor.centres(X, N, 60, 5), Progress.NONE);
        double errNystrom = relativeError(dense(N, 1e-2, t), q.predictRows(q.fit(N, t, 1e-2, 300, 1e-11, null), N, N + 40));
        assertTrue(errNystrom > 1e-4 && errNystrom < 0.6, "M = 60 of 300: " + errNystrom);
    }

    /**
     * {@link FalkonRegressor.Storage#SINGLE}: the fit is the Nyström solution of the kernel G(X, C)
     * rounded entry by entry to float, solved here independently by a Hipparchus LU solve of
     * (G̃ᵀG̃ + r·G_MM) α = G̃ᵀY in double precision and predicted as G̃(XS, C) α; the double
     * storage's fit is not that solution (negative control: it solves the unrounded problem), and
     * the two storages' predictions agree to the rounding's size.
     */
    @Test
    void singleStorageSolvesTheNystromProblemOfTheRoundedKernel() {
        int n = 200;
        double[][] all = new double[N + XS.length][];
        System.arraycopy(X, 0, all, 0, N);
        System.arraycopy(XS, 0, all, N, XS.length);
        double[][] t = java.util.Arrays.copyOf(Y, n);
        double r = 1e-2;
        double[][] c = FalkonRegressor.centres(X, n, 60, 5);
        FalkonRegressor.Problem single = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all, c, Progress.NONE,
                FalkonRegressor.Storage.SINGLE);
        FalkonRegressor.Problem dbl = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all, c, Progress.NONE,
                FalkonRegressor.Storage.DOUBLE);
        assertTrue(single.keptWhole() && single.storage() == FalkonRegressor.Storage.SINGLE);
        FalkonRegressor fs = single.fit(n, t, r, 300, 1e-13, null);
        FalkonRegressor fd = dbl.fit(n, t, r, 300, 1e-13, null);
        // the reference: G rounded to float, G_MM with the solver's jitter M·ε·max diag, LU in double
        double[][] g = ENGINE.cross(all, c, KernelKind.NTK);
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) row[j];
            }
        }
        double[][] gmm = ENGINE.gram(c, KernelKind.NTK);
        double maxDiag = 0;
        for (int i = 0; i < c.length; i++) {
            maxDiag = Math.max(maxDiag, gmm[i][i]);
        }
        for (int i = 0; i < c.length; i++) {
            gmm[i][i] += c.length * Math.ulp(1.0) * maxDiag;
        }
        RealMatrix gn = new Array2DRowRealMatrix(java.util.Arrays.copyOf(g, n));
        RealMatrix h = gn.transpose().multiply(gn).add(new Array2DRowRealMatrix(gmm).scalarMultiply(r));
        RealMatrix alpha = new LUDecomposition(h).getSolver().solve(gn.transpose().multiply(new Array2DRowRealMatrix(t)));
        double[][] expected = new Array2DRowRealMatrix(java.util.Arrays.copyOfRange(g, N, N + XS.length)).multiply(alpha)
                .getData();
        double errSingle = relativeError(expected, single.predictRows(fs, N, N + XS.length));
        double errDouble = relativeError(expected, dbl.predictRows(fd, N, N + XS.length));
        double apart = relativeError(dbl.predictRows(fd, N, N + XS.length), single.predictRows(fs, N, N + XS.length));
        assertTrue(errSingle < 1e-10, "single storage against the rounded problem: " + errSingle);
        assertTrue(errDouble > 1e3 * errSingle, "negative control, double storage against the rounded problem: " + errDouble
                + " (single: " + errSingle + ")");
        assertTrue(apart > 0 && apart < 1e-5, "single against double storage: " + apart);
        assertEquals(FalkonRegressor.Storage.SINGLE, FalkonRegressor.Storage.parse(" Single"));
        assertThrows(io.github.ntk4j.InvalidInputException.class, () -> FalkonRegressor.Storage.parse("half"));
    }

    /**
     * With G(X, C) in several slices (M = 2,000 centres: 1,000 rows a slice) the products share the
     * slices among the threads: the fit on two threads is the fit on one, bit for bit, in both
     * storages; and the two storages differ (negative control: the comparison can fail).
     */
    @Test
    void slicesSharedAmongThreadsGiveTheSameFitBitForBit() {
        Random rng = new Random(3);
        int n = 2500;
        double[][] x = new double[n][3];
        double[][] t = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = rng.nextGaussian();
            }
            t[i][0] = Math.sin(x[i][0]);
            t[i][1] = x[i][1] * x[i][2];
        }
        double[][] c = FalkonRegressor.centres(x, n, 2000, 1);
        double[][] alphas = new double[4][];
        int at = 0;
        for (FalkonRegressor.Storage st : FalkonRegressor.Storage.values()) {
            for (int threads : new int[] {1, 2}) {
                FalkonRegressor.Problem p = FalkonRegressor.Problem.prepare(ENGINE.withThreads(threads), KernelKind.NTK, x, c,
                        Progress.NONE, st);
                assertTrue(p.keptWhole());
                alphas[at++] = p.fit(n, t, 1e-2, 8, 1e-14, null).coefficients();
            }
        }
        assertTrue(java.util.Arrays.equals(alphas[0], alphas[1]), "double storage, 1 and 2 threads");
        assertTrue(java.util.Arrays.equals(alphas[2], alphas[3]), "single storage, 1 and 2 threads");
        assertFalse(java.util.Arrays.equals(alphas[0], alphas[2]), "negative control: double and single storage");
    }

    /** The rms of G(X[0..n), C)α − T computed from predictions (a kernel pass of its own). */
    private static double directRms(FalkonRegressor f, int n, double[][] t) {
        double[][] pred = f.predict(java.util.Arrays.copyOf(X, n));
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < t[i].length; c++) {
                double r = pred[i][c] - t[i][c];
                s += r * r;
            }
        }
        return Math.sqrt(s / (n * t[0].length));
    }

    /**
     * Without G(X, C) kept (a zero keep budget), each fit forms the normal matrix G_nMᵀG_nM in one
     * pass and iterates on it: the same dense ridge solutions (Hipparchus LU) as with the slices
     * kept, for two ridges and a fit on a prefix of the rows, and the training residual's rms from
     * the normal equations equal to the one computed from predictions.
     */
    @Test
    void normalMatrixModeGivesTheDenseRidgeSolution() {
        int n = 200;
        double[][] all = new double[N + XS.length][];
        System.arraycopy(X, 0, all, 0, N);
        System.arraycopy(XS, 0, all, N, XS.length);
        double[][] t = java.util.Arrays.copyOf(Y, n);
        FalkonRegressor.Problem kept = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all,
                java.util.Arrays.copyOf(X, n), Progress.NONE);
        FalkonRegressor.Problem normal = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all,
                java.util.Arrays.copyOf(X, n), Progress.NONE, 1, 0);
        assertTrue(kept.keptWhole());
        assertTrue(!normal.keptWhole());
        assertTrue(Double.isNaN(normal.kernelSeconds()), "no pass before the first fit");
        assertTrue(Double.isNaN(normal.kernelEvaluationSeconds()), "no evaluation before the first fit");
        for (double r : new double[] {1e-2, 1.0}) {
            double[][] exact = dense(n, r, t);
            FalkonRegressor a = kept.fit(n, t, r, 300, 1e-11, null);
            FalkonRegressor b = normal.fit(n, t, r, 300, 1e-11, null);
            double errA = relativeError(exact, kept.predictRows(a, N, N + XS.length));
            double errB = relativeError(exact, normal.predictRows(b, N, N + XS.length));
            assertTrue(errA < 1e-7 && errB < 1e-7, "ridge " + r + ": kept " + errA + ", normal matrix " + errB);
            assertTrue(!a.solvedDirectly() && a.iterations() > 0, "ridge " + r + ": the kept slices by iterating");
            assertTrue(!b.solvedDirectly() || b.relativeResidual() <= 1e-11, "a direct solve's error estimate within "
                    + "the tolerance: " + b.relativeResidual());
            assertTrue(normal.kernelSeconds() > 0);
            // the evaluation is a part of each pass: of the prepared pass where the slices are kept,
            // of the fit's own pass where they are not
            for (FalkonRegressor f : new FalkonRegressor[] {a, b}) {
                FalkonRegressor.Timing tm = f.timing();
                assertTrue(tm.kernelEvaluationSeconds() > 0 && tm.kernelEvaluationSeconds() <= tm.kernelPassSeconds(),
                        tm.toString());
            }
            assertEquals(kept.kernelEvaluationSeconds(), a.timing().kernelEvaluationSeconds());
            assertEquals(normal.kernelEvaluationSeconds(), b.timing().kernelEvaluationSeconds());
        }
        // 60 centres of the 200 rows: the Nyström problem, the same in both modes, and the training
        // residual's rms from the kept slices and from the normal equations against predictions
        double[][] c60 = FalkonRegressor.centres(X, n, 60, 5);
        FalkonRegressor.Problem kept60 = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all, c60, Progress.NONE);
        FalkonRegressor.Problem normal60 = FalkonRegressor.Problem.prepare(ENGINE, KernelKind.NTK, all, c60, Progress.NONE,
                1, 0);
        FalkonRegressor a60 = kept60.fit(n, t, 1e-2, 300, 1e-12, null);
        FalkonRegressor b60 = normal60.fit(n, t, 1e-2, 300, 1e-12, null);
        assertTrue(relativeError(kept60.predictRows(a60, N, N + XS.length), normal60.predictRows(b60, N, N + XS.length)) < 1e-9);
        // at tolerance 1e-9 the normal matrix is solved directly (M = 60 ≤ 3,600·k; G_MM copied out
        // of the pass, the centres being rows of X), and agrees with the kept slices' iterations
        // (to 1e-12); at 1e-12 either path may run, each within its tolerance (checked above)
        FalkonRegressor d60 = normal60.fit(n, t, 1e-2, 300, 1e-9, null);
        assertTrue(d60.solvedDirectly() && d60.iterations() == 0 && d60.relativeResidual() <= 1e-9,
                "direct, error estimate " + d60.relativeResidual());
        assertTrue(!a60.solvedDirectly() && a60.iterations() > 0);
        assertTrue(relativeError(kept60.predictRows(a60, N, N + XS.length), normal60.predictRows(d60, N, N + XS.length)) < 1e-8);
        double direct = directRms(b60, n, t);
        assertEquals(direct, a60.trainingResidualRms().getAsDouble(), 1e-10 * direct);
        assertEquals(direct, b60.trainingResidualRms().getAsDouble(), 1e-10 * direct);
        // negative control: the normal matrix of other rows gives another answer
        FalkonRegressor other = normal.fit(N, Y, 1e-2, 300, 1e-11, null);
        assertTrue(relativeError(dense(n, 1e-2, t), normal.predictRows(other, N, N + XS.length)) > 1e-4);
        // a nearly interpolating fit (ridge 1e-9, every fitted row a centre): the residual's terms
        // cancel by more than 1e3, so the normal equations do not claim its rms
        FalkonRegressor interp = normal.fit(n, t, 1e-9, 300, 1e-11, null);
        assertTrue(interp.trainingResidualRms().isEmpty(), "rms " + interp.trainingResidualRms());
        // H + 1e-9·G_MM there is too ill-conditioned for the direct solve's error estimate: the
        // fit falls back to the conjugate gradient, and still gives the dense solution
        assertTrue(!interp.solvedDirectly() && interp.iterations() > 0, "fell back: " + interp.iterations());
        assertTrue(relativeError(dense(n, 1e-9, t), normal.predictRows(interp, N, N + XS.length)) < 1e-4);
        assertTrue(kept.fit(n, t, 1e-9, 300, 1e-11, null).trainingResidualRms().isPresent(), "exact from the kept slices");
    }

    /**
     * The direct solve's rule by operation counts: a Cholesky factorisation of order M (M³/3 at 20
     * times the rate) against min(iterations, 10) iterations of 6M²k: M ≤ 3,600·k by hand (20 · 6 ·
     * 10 · 3 = 3,600); fewer allowed iterations lower the limit in proportion.
     */
    @Test
    void directSolveWhereTheFactorisationCostsLessThanTenIterations() {
        assertTrue(FalkonRegressor.directCheaper(3600, 1, 100));
        assertFalse(FalkonRegressor.directCheaper(3601, 1, 100));
        assertTrue(FalkonRegressor.directCheaper(7200, 2, 10));
        assertFalse(FalkonRegressor.directCheaper(7201, 2, 10));
        assertTrue(FalkonRegressor.directCheaper(360, 1, 1));
        assertFalse(FalkonRegressor.directCheaper(361, 1, 1));
    }

    /** The keep budget: with the default heap, G(X, C) kept whole up to eight M×M matrices (at least 64 MB); with -Xmx, whatever fits. */
    /**
     * G(X, C) is kept when it fits in the free heap with a fit's two M×M matrices beside it
     * (16·M² bytes). The case of the full Fashion-MNIST run under -Xmx16g: N = 60,000,
     * M = 12,000, G = 5,760,000,000 bytes, workspace 2,304,000,000 bytes (by hand), about 11 GB
     * free: kept (the former rule, half the free heap, refused it); 8 GB free: not kept; one
     * byte short of G plus the workspace: not kept, exactly that: kept.
     */
    @Test
    void keptWholeWhenItFitsBesideAFit() {
        long g = 8L * 60_000 * 12_000;
        assertEquals(5_760_000_000L, g);
        assertEquals(2_304_000_000L, FalkonRegressor.fitWorkspace(12_000));
        assertTrue(FalkonRegressor.keepsWhole(g, 12_000, 11_000_000_000L));
        assertFalse(g <= 11_000_000_000L / 2, "the former rule refused it");
        assertFalse(FalkonRegressor.keepsWhole(g, 12_000, 8_000_000_000L));
        assertFalse(FalkonRegressor.keepsWhole(g, 12_000, 8_063_999_999L));
        assertTrue(FalkonRegressor.keepsWhole(g, 12_000, 8_064_000_000L));
        assertFalse(FalkonRegressor.keepsWhole(-1, 1, Long.MAX_VALUE), "an overflowed size is never kept");
    }

    @Test
    void keepBudgetIsEightCentreMatrices() {
        assertEquals(64L * 2000 * 2000, FalkonRegressor.keepBudget(2000, false));
        assertEquals(64L << 20, FalkonRegressor.keepBudget(10, false));
        assertEquals(Long.MAX_VALUE, FalkonRegressor.keepBudget(2000, true), "-Xmx given: as much as fits");
    }

    @Test
    void oneOutputOneCentreByHand() {
        // M = 1, centre c: α = Σ_i G(x_i,c) y_i / (Σ_i G(x_i,c)² + r G(c,c)), the 1-D normal equation
        double[][] x = {{1, 0}, {0, 1}, {1, 1}};
        double[][] y = {{1}, {2}, {3}};
        FalkonRegressor f = FalkonRegressor.fit(ENGINE, KernelKind.NNGP, x, y, FalkonRegressor.Options.ridge(0.5).withCentres(1).withIterations(10).withTolerance(1e-12).withSeed(3));
        // the single centre is one of the inputs; find which by trying all three
        double[][] xs = {{0.3, -0.2}};
        double got = f.predict(xs)[0][0];
        boolean matched = false;
        for (double[] c : x) {
            double num = 0;
            double den = 0;
            for (int i = 0; i < 3; i++) {
                double g = ENGINE.pair(x[i], c).nngp();
                num += g * y[i][0];
                den += g * g;
            }
            den += 0.5 * ENGINE.pair(c, c).nngp();
            double expected = ENGINE.pair(xs[0], c).nngp() * num / den;
            matched |= Math.abs(expected - got) < 1e-12 * Math.abs(expected);
        }
        assertTrue(matched, "prediction " + got);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(Ntk4jException.class, () -> FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(0).withIterations(10).withTolerance(1e-6).withSeed(1)));
        assertThrows(Ntk4jException.class, () -> FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(N + 1).withIterations(10).withTolerance(1e-6).withSeed(1)));
        assertThrows(Ntk4jException.class, () -> FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(0).withCentres(10).withIterations(10).withTolerance(1e-6).withSeed(1)));
        assertThrows(Ntk4jException.class, () -> FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(10).withIterations(0).withTolerance(1e-6).withSeed(1)));
        assertEquals(2, FalkonRegressor.fit(ENGINE, KernelKind.NTK, X, Y, FalkonRegressor.Options.ridge(R).withCentres(10).withIterations(5).withTolerance(1e-6).withSeed(1)).predict(XS)[0].length);
    }
}
