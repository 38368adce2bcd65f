package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.TestData;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * pair()'s one-pair path (the layers' one-pair rules on inputs kept in one array each, found by
 * their values) at the sizes a caller that goes pair by pair uses: d = 100, depths 0 to 10, every
 * closed form it serves (ReLU, leaky ReLU, abs, erf, GELU, both parameterisations) and a network it
 * does not (tanh: the batch path), on inputs that take the special cases (collinear, nearly
 * collinear, equal values in different arrays, tiny and huge norms that are rescaled, a zero
 * input). Each pair is asked twice, so that both the first call (which prepares the inputs) and
 * the cached one are compared: with the Gram matrix's entry bit for bit (a different code path:
 * tiles, batches of 128 pairs), and on the reference files' cases with their independent values to
 * 1e-12, through one engine whose cache holds all of them.
 */
class PairFastPathTest {
    private static final String[] NETS = {"relu", "leaky_relu(0.1)", "abs", "erf", "erf(2,0.5,0.1)", "gelu", "tanh"};

    @Test
    void pairEqualsGramEntryAtDepthsZeroToTen() {
        Random rng = new Random(15);
        double[][] all = inputs(rng, 40, 100);
        // without the rows of tiny and huge norm: erf's batch rule takes its one-by-one form (fdlibm's
        // atan) for a whole row of a tile when one input of the tile needs it, so that row's other
        // entries differ from pair()'s in the last digit (as they did before the one-pair path)
        double[][] moderate = new double[all.length - 2][];
        for (int i = 0, m = 0; i < all.length; i++) {
            if (i != 4 && i != 5) {
                moderate[m++] = all[i];
            }
        }
        int compared = 0;
        for (String act : NETS) {
            // GELU and tanh without them too: their per-input rules refuse the huge row (its variance
            // beyond the doubles), which would refuse the whole Gram matrix
            final double[][] x = act.startsWith("erf") || act.equals("gelu") || act.equals("tanh") ? moderate : all;
            for (int depth : new int[] {0, 1, 3, 5, 10}) {
                if (depth > 3 && act.equals("tanh")) {
                    continue; // the batch path, which PairGramAgreementTest covers; slow here
                }
                for (boolean standard : new boolean[] {false, true}) {
                    Network net = Network.parse(spec(act, depth, standard));
                    NtkRecursion engine = NtkRecursion.of(net).withThreads(1);
                    GramMatrices g;
                    try {
                        g = NtkRecursion.of(net).withThreads(2).gram(x);
                    } catch (Ntk4jException e) {
                        continue; // a value beyond the doubles at this depth (the rows of huge norm)
                    }
                    for (int round = 0; round < 2; round++) {
                        for (int i = 0; i < x.length; i++) {
                            for (int j = i; j < x.length; j += 1 + (i + j) % 3) {
                                KernelValue p = engine.pair(x[i], x[j]);
                                String what = net.spec() + " (" + i + "," + j + ") round " + round;
                                assertEquals(g.nngp()[i][j], p.nngp(), 0.0, "K " + what);
                                assertEquals(g.ntk()[i][j], p.ntk(), 0.0, "Θ " + what);
                                compared++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(compared > 20_000, "compared " + compared);
    }

    /**
     * A cached input changed in place, anywhere (the cache's hash reads only some entries), is
     * prepared again: pair() then equals a fresh engine's value, and differs from the old one.
     */
    @Test
    void inputsChangedInPlaceArePreparedAgain() {
        Network net = Network.parse(spec("relu", 5, false));
        NtkRecursion engine = NtkRecursion.of(net).withThreads(1);
        Random rng = new Random(16);
        double[][] x = inputs(rng, 10, 100);
        for (int k = 0; k < 100; k += 7) {
            KernelValue before = engine.pair(x[0], x[1]);
            engine.pair(x[0], x[1]); // now from the cache
            x[0][k] += 0.25;
            KernelValue after = engine.pair(x[0], x[1]);
            KernelValue fresh = NtkRecursion.of(net).withThreads(1).pair(x[0], x[1]);
            assertEquals(fresh.ntk(), after.ntk(), 0.0, "entry " + k);
            assertEquals(fresh.nngp(), after.nngp(), 0.0, "entry " + k);
            assertNotEquals(before.ntk(), after.ntk(), "entry " + k + ": served the old value");
        }
    }

    /**
     * A caller that passes fresh copies (whose identity lookups then pause) and one that passes the
     * same arrays, on one engine, in turns: every value equals the Gram entry; and an input changed
     * in place after that is prepared again.
     */
    @Test
    void freshCopiesThenTheSameArraysThenAChangeInPlace() {
        Network net = Network.parse(spec("relu", 2, false));
        NtkRecursion engine = NtkRecursion.of(net).withThreads(1);
        Random rng = new Random(17);
        double[][] x = inputs(rng, 24, 100);
        GramMatrices g = NtkRecursion.of(net).withThreads(2).gram(x);
        for (int turn = 0; turn < 4; turn++) {
            boolean copies = turn % 2 == 0;
            for (int p = 0; p < 6000; p++) {
                int a = p % x.length;
                int b = (p / x.length + 1 + a) % x.length;
                int i = Math.min(a, b); // x a row before y: the Gram entry's order
                int j = Math.max(a, b);
                KernelValue v = copies ? engine.pair(x[i].clone(), x[j].clone()) : engine.pair(x[i], x[j]);
                assertEquals(g.ntk()[i][j], v.ntk(), 0.0, "turn " + turn + " (" + i + "," + j + ")");
                assertEquals(g.nngp()[i][j], v.nngp(), 0.0, "turn " + turn + " (" + i + "," + j + ")");
            }
        }
        KernelValue before = engine.pair(x[9], x[10]);
        x[9][99] *= 1.5;
        KernelValue after = engine.pair(x[9], x[10]);
        assertEquals(NtkRecursion.of(net).withThreads(1).pair(x[9], x[10]).ntk(), after.ntk(), 0.0);
        assertNotEquals(before.ntk(), after.ntk(), "served the old value");
    }

    /**
     * The reference files' cases (closed forms at 50 to 80 digits) through one engine per network
     * whose cache holds every case's inputs, each pair asked twice, to 1e-12 relative (or of the
     * Cauchy–Schwarz scale where the value is analytically 0), as ReferenceValuesTest holds fresh
     * engines; and a negative control: a value one part in 1e-10 off fails the same check.
     */
    @Test
    void referenceValuesThroughTheCache() {
        Map<String, NtkRecursion> engines = new java.util.HashMap<>();
        double worst = 0;
        int compared = 0;
        for (String file : new String[] {"/reference/extra-kernels.json", "/reference/structure-kernels.json"}) {
            for (Map<String, Object> c : TestData.cases(file)) {
                String spec = (String) c.get("net");
                NtkRecursion engine = engines.computeIfAbsent(spec, s -> NtkRecursion.of(NetworkSpec.parse(s)).withThreads(1));
                double[] x = TestData.vector(c.get("x"));
                double[] y = TestData.vector(c.get("y"));
                for (int round = 0; round < 2; round++) {
                    KernelValue v = engine.pair(x, y);
                    worst = Math.max(worst, error(v.nngp(), TestData.num(c, "nngp"), TestData.num(c, "nngp_scale")));
                    worst = Math.max(worst, error(v.ntk(), TestData.num(c, "ntk"), TestData.num(c, "ntk_scale")));
                    compared++;
                }
                double ref = TestData.num(c, "ntk");
                double scale = TestData.num(c, "ntk_scale");
                assertTrue(error(ref + 1e-10 * Math.max(Math.max(Math.abs(ref), scale), 1e-300), ref, scale) > 1e-12,
                        "the check must notice a wrong value: ref " + ref + " scale " + scale);
            }
        }
        System.out.printf("reference files through pair()'s cache: %d pairs, worst relative error %.3g%n", compared, worst);
        assertTrue(worst <= 1e-12, "worst relative error " + worst);
    }

    private static double error(double got, double ref, double scale) {
        if (ref == 0 && scale == 0) {
            return got == 0 ? 0 : Double.POSITIVE_INFINITY; // a zero pair: exactly 0
        }
        if (Math.abs(ref) < 1e-12 * scale) {
            return Math.abs(got - ref) / scale;
        }
        return Math.abs(got - ref) / Math.abs(ref);
    }

    /** Random inputs with partners that take the special cases. */
    private static double[][] inputs(Random rng, int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = rng.nextGaussian();
            }
        }
        for (int k = 0; k < d; k++) {
            x[1][k] = -3 * x[0][k]; // anti-collinear with x0
            x[2][k] = x[0][k] * (1 + 1e-9 * rng.nextGaussian()); // nearly collinear with x0
            x[4][k] = x[3][k] * 1e-150; // tiny norm (rescaled rows), collinear with x3
            x[5][k] = x[3][k] * 1e150; // huge norm
            x[6][k] = 0; // a zero input
        }
        x[7] = x[8].clone(); // equal values in different arrays
        return x;
    }

    private static String spec(String act, int depth, boolean standard) {
        StringBuilder s = new StringBuilder(standard ? "width(512) " : "");
        String dense = standard ? "dense(1.4,0.1,standard)" : "dense(1.4,0.1)";
        for (int l = 0; l < depth; l++) {
            s.append(dense).append(' ').append(act).append(' ');
        }
        return s.append(dense).toString();
    }
}
