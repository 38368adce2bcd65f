package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The single-pair path against the Gram path: {@link NtkRecursion#pair} (its own one-row
 * preparation, the plain-double rule of Dense where the scales are moderate) must give the
 * off-diagonal entry of the 2×2 Gram matrix of the same two inputs (a different code path: a
 * two-row data set, tiled dot products, the tile-copied rows) bit for bit, or both must refuse.
 * Random closed-form networks (ReLU family, erf, identity, both parameterisations, W_std and
 * b_std from 1e-80 to 1e80 so that the careful ScaledDouble rule runs too) and random inputs:
 * general, collinear (y = c·x), nearly collinear, tiny and huge norms, a zero input. The
 * quadrature activations (Mehler's series on per-input tables, which pair() builds for one input
 * as the Gram path does for many) bit for bit against a Gram matrix of many inputs; their
 * accuracy against the 2-D quadrature is MehlerSeriesTest's.
 */
class PairGramAgreementTest {
    private static final String[] ACTIVATIONS = {"relu", "erf", "abs", "leaky_relu(0.1)", "identity",
        "abrelu(-0.3,1.7)", "erf(2,0.5,0.1)"};
    private static final double[] STDS = {0, 1e-80, 1e-20, 0.1, 1, 1.4, 3, 1e20, 1e80};
    private static final double[] NORMS = {1e-300, 1e-150, 1e-60, 1e-5, 1, 1e5, 1e60, 1e150, 1e300};

    /**
     * pair() keeps its prepared inputs by value: an array changed in place, an input differing
     * from a cached one only where the slot hash does not look (d = 100, entry 3), an input made
     * NaN after it was cached, and more distinct inputs than the cache holds, each against a
     * fresh engine (nothing cached) and the 2×2 Gram path.
     */
    @Test
    void cachedInputsFollowTheirValues() {
        Network net = Network.parse("dense(1.4,0.1) erf dense(1.4,0.1) relu dense(1,0)");
        NtkRecursion engine = NtkRecursion.of(net).withThreads(1);
        Random rng = new Random(7);
        double[] x = new double[100];
        double[] y = new double[100];
        for (int k = 0; k < 100; k++) {
            x[k] = rng.nextGaussian();
            y[k] = rng.nextGaussian();
        }
        KernelValue before = engine.pair(x, y);
        x[3] += 0.5; // entry 3 is not among the entries the slot hash reads (0, 12, 24, ...)
        KernelValue after = engine.pair(x, y);
        KernelValue fresh = NtkRecursion.of(net).withThreads(1).pair(x, y);
        assertEquals(fresh.ntk(), after.ntk(), 0.0);
        assertEquals(fresh.nngp(), after.nngp(), 0.0);
        assertTrue(before.ntk() != after.ntk(), "the changed input must not be served from the cache");
        assertEquals(engine.gram(new double[][] {x, y}).ntk()[0][1], after.ntk(), 1e-15 * Math.abs(after.ntk()));
        x[50] = Double.NaN;
        assertThrows(Ntk4jException.class, () -> engine.pair(x, y));
        // 10,000 distinct inputs (more than the cache's 4,096 entries), then the first ones again
        double[][] many = new double[10_000][];
        for (int i = 0; i < many.length; i++) {
            many[i] = y.clone();
            many[i][i % 100] += 1e-3 * (1 + i / 100);
        }
        NtkRecursion other = NtkRecursion.of(net).withThreads(1);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < many.length; i += round == 0 ? 1 : 97) {
                KernelValue v = engine.pair(many[i], y);
                KernelValue w = other.withThreads(1).pair(y, many[i]);
                assertEquals(w.ntk(), v.ntk(), 1e-15 * Math.abs(w.ntk()), "input " + i);
            }
        }
    }

    @Test
    void pairEqualsGramEntry() {
        Random rng = new Random(20261206);
        int compared = 0;
        int refused = 0;
        for (int t = 0; t < 400; t++) {
            Network net = Network.parse(randomSpec(rng));
            NtkRecursion engine = NtkRecursion.of(net).withThreads(1);
            int d = 1 + rng.nextInt(7);
            double[] x = randomInput(rng, d);
            double[] y = partner(rng, x);
            KernelValue p;
            GramMatrices g;
            try {
                p = engine.pair(x, y);
            } catch (Ntk4jException e) {
                p = null;
            }
            try {
                g = engine.gram(new double[][] {x, y});
            } catch (Ntk4jException e) {
                g = null;
            }
            String what = net.spec() + " x=" + java.util.Arrays.toString(x) + " y=" + java.util.Arrays.toString(y);
            if (p == null || g == null) {
                // the Gram matrix also holds the diagonal: it may refuse where the pair does not,
                // never the other way round
                assertTrue(g == null, "pair refused where the Gram path did not: " + what);
                refused++;
                continue;
            }
            close(g.nngp()[0][1], p.nngp(), "K " + what);
            close(g.ntk()[0][1], p.ntk(), "Θ " + what);
            compared++;
        }
        assertTrue(compared > 250, "too few pairs compared: " + compared + " (refused " + refused + ")");
    }

    /**
     * Quadrature activations (smooth, with kinks, a user's fn, mixed with closed forms): pair()
     * equals the entry of a Gram matrix of twelve inputs bit for bit, off the diagonal (the upper
     * triangle, which the Gram path computes; the lower one, y against x, to the
     * quadrature's tested accuracy) and on it, for random pairs (the series) and nearly collinear ones (the quadrature the series falls
     * back to); and pair() takes the series for most pairs.
     */
    @Test
    void quadratureActivationsPairEqualsGramEntry() {
        String[] nets = {"dense(1.4,0.1) tanh dense(1.4,0.1) tanh dense(1,0)",
            "dense(1.1,0.2) elu dense(1.3,0) relu dense(0.9,0.1) selu dense(1,0)",
            "dense(1.3,0.2) fn(\"x*Tanh(Log(1+Exp(x)))\") dense(1,0.1)",
            "dense(2,0.3) silu dense(1.2,0.5) erf dense(1.1,0.1) sigmoid dense(1,0)"};
        Random rng = new Random(5);
        double[][] x = new double[12][];
        for (int i = 0; i < 8; i++) {
            double norm = 0.3 + 2 * rng.nextDouble();
            x[i] = new double[4];
            for (int k = 0; k < 4; k++) {
                x[i][k] = norm * rng.nextGaussian();
            }
        }
        x[8] = partner(new Random(1), x[0]); // collinear or nearly so, either sign
        x[9] = x[1].clone();
        x[9][2] *= 1 + 1e-7;
        x[10] = new double[] {-x[2][0], -x[2][1], -x[2][2] * (1 + 1e-4), -x[2][3]};
        x[11] = x[3].clone();
        for (String spec : nets) {
            Network net = Network.parse(spec);
            GramMatrices g = NtkRecursion.of(net).withThreads(2).gram(x);
            NtkRecursion engine = NtkRecursion.of(net).withThreads(1);
            long before = io.github.ntk4j.net.QuadratureActivation.seriesPairCount();
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    KernelValue p = engine.pair(x[i], x[j]);
                    if (i <= j) { // the entries the Gram path computes (it mirrors the others)
                        assertEquals(g.nngp()[i][j], p.nngp(), 0.0, spec + " K (" + i + "," + j + ")");
                        assertEquals(g.ntk()[i][j], p.ntk(), 0.0, spec + " Θ (" + i + "," + j + ")");
                    } else {
                        // y against x: the rules' products in the other order, so the series may
                        // stop a block earlier or later (its truncation tolerance is 1e-11), and the
                        // 2-D quadrature of a nearly collinear pair integrates the other way round:
                        // to the 1e-9 that MehlerSeriesTest and ActivationReferenceTest hold it to
                        assertEquals(g.nngp()[i][j], p.nngp(), 1e-9 * Math.abs(g.nngp()[i][j]), spec + " K (" + i + "," + j + ")");
                        assertEquals(g.ntk()[i][j], p.ntk(), 1e-9 * Math.abs(g.ntk()[i][j]), spec + " Θ (" + i + "," + j + ")");
                    }
                }
            }
            long series = io.github.ntk4j.net.QuadratureActivation.seriesPairCount() - before;
            assertTrue(series > x.length * x.length / 2, spec + ": only " + series + " pair evaluations by the series");
        }
    }

    /**
     * In d = 100 the dot product's order matters: for random inputs one sum in index order
     * differs from the four blocks in the last digits (checked here, so that the test can fail),
     * and pair() must still equal the Gram entry bit for bit at depth 0, where K is x·y/d up to
     * the scales, for every d from 1 to 13 and 100 (blocks empty, uneven, even).
     */
    @Test
    void pairSumsInTheGramsOrder() {
        NtkRecursion engine = NtkRecursion.of(Network.parse("dense(1,0)")).withThreads(1);
        Random rng = new Random(11);
        int differing = 0;
        for (int t = 0; t < 200; t++) {
            int d = t < 130 ? 1 + t % 13 : 100;
            double[] x = new double[d];
            double[] y = new double[d];
            for (int k = 0; k < d; k++) {
                x[k] = rng.nextGaussian();
                y[k] = rng.nextGaussian();
            }
            double sequential = 0;
            for (int k = 0; k < d; k++) {
                sequential += x[k] * y[k];
            }
            double gram = engine.gram(new double[][] {x, y}).nngp()[0][1];
            KernelValue p = engine.pair(x, y);
            assertEquals(gram, p.nngp(), 0.0, "d=" + d + " t=" + t);
            if (d == 100 && sequential != InputProducts.dotInTileOrder(x, y)) {
                differing++;
            }
        }
        assertTrue(differing > 10, "the order of the sum made no difference: " + differing);
    }

    /**
     * pair() from eight threads at once (each reusing its own batch) gives the values one thread
     * gives, for a deep erf/relu network.
     */
    @Test
    void pairFromManyThreads() throws Exception {
        Network net = Network.parse("dense(1.4,0.1) erf dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1,0.2)");
        Random rng = new Random(3);
        double[][] x = new double[40][30];
        for (double[] row : x) {
            for (int k = 0; k < row.length; k++) {
                row[k] = rng.nextGaussian();
            }
        }
        double[][] serial = new double[x.length][x.length];
        NtkRecursion fresh = NtkRecursion.of(net).withThreads(1);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                serial[i][j] = fresh.pair(x[i], x[j]).ntk();
            }
        }
        NtkRecursion shared = NtkRecursion.of(net);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int w = 0; w < 8; w++) {
                final int offset = w;
                done.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < x.length; i++) {
                            int j = (i + offset + round) % x.length;
                            wrong += shared.pair(x[i], x[j]).ntk() == serial[i][j] ? 0 : 1;
                        }
                    }
                    return wrong;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertEquals(0, f.get().intValue());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A negative control: the comparison notices a difference of one ulp. */
    @Test
    void comparisonDetectsADifference() {
        NtkRecursion engine = NtkRecursion.of(Network.parse("dense(1.4,0.1) relu dense(1.4,0.1)")).withThreads(1);
        double[] x = {0.3, -1.2, 2.0};
        double[] y = {1.1, 0.4, -0.7};
        double ntk = engine.pair(x, y).ntk();
        assertThrows(AssertionError.class, () -> close(engine.gram(new double[][] {x, y}).ntk()[0][1],
                Math.nextUp(ntk), "perturbed"));
    }

    /** Bit for bit (the same dot-product order, rules and conversion; Java's arithmetic is exact IEEE). */
    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 0.0, what);
    }

    private static String randomSpec(Random rng) {
        int depth = 1 + rng.nextInt(3);
        boolean standard = rng.nextInt(4) == 0;
        StringBuilder s = new StringBuilder();
        if (standard) {
            s.append("width(").append(1 + rng.nextInt(1000)).append(") ");
        }
        for (int l = 0; l <= depth; l++) {
            double w = STDS[1 + rng.nextInt(STDS.length - 1)];
            double b = STDS[rng.nextInt(STDS.length)];
            if (rng.nextInt(3) > 0) { // mostly moderate, the fast rule's range
                w = 0.5 + 2 * rng.nextDouble();
                b = rng.nextInt(5) == 0 ? 0 : rng.nextDouble();
            }
            s.append("dense(").append(w).append(',').append(b).append(standard ? ",standard" : "").append(") ");
            if (l < depth) {
                s.append(ACTIVATIONS[rng.nextInt(ACTIVATIONS.length)]).append(' ');
            }
        }
        return s.toString().trim();
    }

    private static double[] randomInput(Random rng, int d) {
        double norm = rng.nextInt(3) == 0 ? NORMS[rng.nextInt(NORMS.length)] : 1;
        double[] x = new double[d];
        for (int k = 0; k < d; k++) {
            x[k] = rng.nextGaussian() * norm;
        }
        return x;
    }

    private static double[] partner(Random rng, double[] x) {
        int d = x.length;
        double[] y = new double[d];
        switch (rng.nextInt(6)) {
            case 0: { // collinear, either sign
                double c = (rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextInt(9) - 4);
                for (int k = 0; k < d; k++) {
                    y[k] = c * x[k];
                }
                return y;
            }
            case 1: { // nearly collinear
                for (int k = 0; k < d; k++) {
                    y[k] = x[k] * (1 + 1e-9 * rng.nextGaussian());
                }
                return y;
            }
            case 2: // identical
                return x.clone();
            case 3: // a zero input
                return y;
            default:
                return randomInput(rng, d);
        }
    }
}
