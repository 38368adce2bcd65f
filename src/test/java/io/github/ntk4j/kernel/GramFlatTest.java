package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelFunction#gramFlat(double[][], double[], double[])}: the Gram matrices row-major in
 * one array each must equal the {@code double[][]} ones bit for bit (same tiles, same order), for
 * the activations with their own Gram loops (ReLU, erf, GELU), one evaluated by quadrature
 * (tanh), and networks with extreme scales; on data sets of 1 row, of sizes that are not a
 * multiple of the 128-wide tile, and with the hard rows (zero rows, copies, multiples, norms
 * 1e-100 to 1e100) on the tiles' edges ({@link GramTilePositionsTest#dataSet}). Where the rows
 * form refuses a matrix, the flat form must refuse it with the same message. The flat values
 * against the independent reference files are checked in {@link ReferenceValuesTest} and
 * {@link ExtremeScaleTest}; here also the default method (a kernel of the user's own) and the
 * argument checks.
 */
class GramFlatTest {
    private static final String[] NETWORKS = {
        "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)",
        "dense(1.4,0.1) erf dense(1.4,0.1) erf dense(1.4,0.1) erf dense(1.4,0.1)",
        "dense(1.3,0.1) tanh dense(1.3,0.1) tanh dense(1,0.1)",
        "dense(1.4,0.1) gelu dense(1.4,0.1) gelu dense(1,0.1)",
        "dense(1e+100,1) relu dense(1e+100,1) relu dense(1e-150,1e-150)",
        "dense(0.8,1e-150) abrelu(-0.5,2) dense(0.8,1e-150) abrelu(-0.5,2) dense(0.8,1e-150)",
        "dense(1e-50,1e-150) erf dense(1e+50,0) erf dense(1,0)"};
    private static final int[] SIZES = {1, 2, 127, 129, 300};

    @Test
    void flatEqualsRowsBitForBit() {
        int compared = 0;
        int refused = 0;
        for (String spec : NETWORKS) {
            Network net = Network.parse(spec);
            int large = 0; // matrices of two tiles or more computed (not refused) for this network
            // tanh has no closed form: its Gram pairs are integrated numerically (slow at the
            // extreme norms), and GELU refuses norms of 1e100 (its variance leaves the double
            // range): both get the ordinary data set with its hard rows (copies, multiples)
            boolean quadrature = spec.contains("tanh");
            boolean ordinary = quadrature || spec.contains("gelu");
            for (int n : quadrature ? new int[] {1, 2, 129} : SIZES) {
                double[][] x = ordinary ? GramMatrixTest.data(Math.max(n, 4), 5, 31 + n) : GramTilePositionsTest.dataSet(
                        new Random(31 + n), n, 5);
                if (x.length != n) {
                    x = java.util.Arrays.copyOf(x, n);
                }
                final double[][] xs = x;
                for (int threads : new int[] {1, 2}) {
                    String label = spec + ", N = " + n + ", " + threads + " threads";
                    NtkRecursion engine = NtkRecursion.of(net).withThreads(threads);
                    GramMatrices rows = null;
                    String why = null;
                    try {
                        rows = engine.gram(x);
                    } catch (InvalidInputException e) {
                        why = e.getMessage();
                    }
                    double[] k = new double[n * n];
                    double[] t = new double[n * n];
                    if (rows == null) {
                        refused++;
                        System.out.println("refused alike: " + label + ": " + why);
                        InvalidInputException e = assertThrows(InvalidInputException.class, () -> engine.gramFlat(xs, k, t),
                                label);
                        assertEquals(why, e.getMessage(), label);
                        continue;
                    }
                    engine.gramFlat(x, k, t);
                    assertSameBits(rows.nngp(), k, label + " NNGP (both kernels)");
                    assertSameBits(rows.ntk(), t, label + " NTK (both kernels)");
                    compared++;
                    large += n > 128 ? 1 : 0;
                    if (threads == 1 || quadrature) {
                        continue;
                    }
                    // one kernel at a time: a Gram of its own in both forms
                    for (KernelKind kind : KernelKind.values()) {
                        assertSameBits(engine.gram(x, kind), engine.gramFlat(x, kind), label + " " + kind + " alone");
                    }
                    double[] only = new double[n * n];
                    engine.gramFlat(x, null, only);
                    assertSameBits(engine.gram(x, KernelKind.NTK), only, label + " NTK into, NNGP null");
                }
            }
            assertTrue(large >= 2, spec + ": no matrix of two tiles or more was computed");
        }
        System.out.printf("flat Gram = rows Gram bit for bit: %d cases, %d refused alike%n", compared, refused);
        assertTrue(compared >= 2 * NETWORKS.length * 3, "too few cases computed: " + compared);
    }

    /** A matrix whose entries leave the double range is refused by the flat form as by the rows. */
    @Test
    void refusesWhatTheRowsFormRefuses() {
        double[][] x = GramTilePositionsTest.dataSet(new Random(9), 200, 5); // row 0 is zero
        NtkRecursion engine = NtkRecursion.of(Network.parse(
                "dense(1e+100,1e-150) relu dense(1e+100,1e-150) relu dense(1e-150,1e-150)")).withThreads(2);
        String rows = assertThrows(InvalidInputException.class, () -> engine.gram(x)).getMessage();
        assertTrue(rows.contains("outside the normal double range"), rows);
        assertEquals(rows, assertThrows(InvalidInputException.class,
                () -> engine.gramFlat(x, new double[200 * 200], new double[200 * 200])).getMessage());
        String one = assertThrows(InvalidInputException.class, () -> engine.gram(x, KernelKind.NTK)).getMessage();
        assertEquals(one, assertThrows(InvalidInputException.class, () -> engine.gramFlat(x, KernelKind.NTK)).getMessage());
    }

    /** A negative control: the comparison notices one changed bit and a shifted layout. */
    @Test
    void comparisonDetectsADifference() {
        double[][] x = GramTilePositionsTest.dataSet(new Random(5), 130, 4);
        NtkRecursion engine = NtkRecursion.of(Network.parse(NETWORKS[1])).withThreads(1);
        double[][] rows = engine.gram(x, KernelKind.NTK);
        double[] flat = engine.gramFlat(x, KernelKind.NTK);
        flat[129 * 130 + 3] = Math.nextUp(flat[129 * 130 + 3]);
        assertThrows(AssertionError.class, () -> assertSameBits(rows, flat, "one ulp"));
        double[] shifted = engine.gramFlat(x, KernelKind.NTK);
        System.arraycopy(shifted, 1, shifted, 0, shifted.length - 1); // row-major read with an offset
        assertThrows(AssertionError.class, () -> assertSameBits(rows, shifted, "shifted"));
    }

    /** The default method, for a kernel of the user's own: the values of its gram(x, kind). */
    @Test
    void defaultMethodCopiesTheRowsOfAUsersKernel() {
        double[][] x = GramTilePositionsTest.dataSet(new Random(7), 41, 3);
        KernelFunction gauss = GaussianKernel.withLengthScale(1.7);
        double[] k = new double[41 * 41];
        double[] t = new double[41 * 41];
        gauss.gramFlat(x, k, t);
        assertSameBits(gauss.gram(x, KernelKind.NNGP), k, "Gaussian NNGP");
        assertSameBits(gauss.gram(x, KernelKind.NTK), t, "Gaussian NTK");
        assertSameBits(gauss.gram(x, KernelKind.NTK), gauss.gramFlat(x, KernelKind.NTK), "Gaussian NTK, new array");
        // the entries are those of the kernel's formula exp(−|x−y|²/(2ℓ²)), written out here
        for (int i = 0; i < 41; i += 5) {
            for (int j = 0; j < 41; j += 3) {
                double s = 0;
                for (int c = 0; c < 3; c++) {
                    s += (x[i][c] - x[j][c]) * (x[i][c] - x[j][c]);
                }
                assertEquals(Math.exp(-s / (2 * 1.7 * 1.7)), k[i * 41 + j], 1e-14, "Gaussian (" + i + ", " + j + ")");
            }
        }
        // a user's kernel whose gram returns a matrix of the wrong shape is refused, not copied half
        KernelFunction broken = new KernelFunction() {
            @Override
            public io.github.ntk4j.math.KernelValue pair(double[] a, double[] b) {
                return gauss.pair(a, b);
            }

            @Override
            public double[][] gram(double[][] xs, KernelKind kind) {
                return new double[xs.length][xs.length - 1];
            }

            @Override
            public double[][] cross(double[][] xs, double[][] ys, KernelKind kind) {
                return gauss.cross(xs, ys, kind);
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        assertThrows(InvalidInputException.class, () -> broken.gramFlat(x, KernelKind.NNGP));
    }

    @Test
    void argumentsAreCheckedAtTheBoundary() {
        double[][] x = GramTilePositionsTest.dataSet(new Random(3), 10, 2);
        for (KernelFunction f : new KernelFunction[] {NtkRecursion.of(Network.parse(NETWORKS[0])),
            GaussianKernel.withLengthScale(1)}) {
            String who = f.describe();
            double[] ok = new double[100];
            message(() -> f.gramFlat(null, ok, null), "data set is empty", who);
            message(() -> f.gramFlat(new double[0][], ok, null), "data set is empty", who);
            message(() -> f.gramFlat(new double[][] {{1, 2}, {Double.NaN, 1}}, new double[4], null), "data set[1][0]", who);
            message(() -> f.gramFlat(x, null, null), "nngpInto and ntkInto are both null", who);
            message(() -> f.gramFlat(x, ok, ok), "nngpInto and ntkInto must be different arrays", who);
            message(() -> f.gramFlat(x, new double[99], null), "nngpInto has length 99, 10×10 = 100 needed", who);
            message(() -> f.gramFlat(x, null, new double[101]), "ntkInto has length 101, 10×10 = 100 needed", who);
            message(() -> f.gramFlat(x, ok, new double[10]), "ntkInto has length 10", who);
            message(() -> f.gramFlat(x, (KernelKind) null), "kernel kind must not be null", who);
            // N = 46,341: N² entries exceed a Java array (refused before anything is allocated)
            double[][] big = new double[46_341][];
            java.util.Arrays.fill(big, new double[] {1});
            message(() -> f.gramFlat(big, KernelKind.NTK), "46341×46341 entries, more than one Java array holds", who);
            message(() -> f.gramFlat(big, null, new double[0]), "at most 46340 inputs", who);
        }
        // nothing written when the arguments are refused
        double[] k = new double[100];
        assertThrows(InvalidInputException.class,
                () -> NtkRecursion.of(Network.parse(NETWORKS[0])).gramFlat(x, k, new double[99]));
        for (double v : k) {
            assertEquals(0.0, v);
        }
    }

    private static void message(org.junit.jupiter.api.function.Executable call, String part, String who) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call, who + ": " + part);
        assertTrue(e.getMessage().contains(part), who + ": '" + e.getMessage() + "' should contain '" + part + "'");
    }

    /** Every entry of the rows equal, bit for bit, to the row-major array's, which has no other entries. */
    static void assertSameBits(double[][] rows, double[] flat, String what) {
        int n = rows.length;
        assertEquals((long) n * n, flat.length, what + ": length");
        for (int i = 0; i < n; i++) {
            assertEquals(n, rows[i].length, what + ": row " + i);
            for (int j = 0; j < n; j++) {
                if (Double.doubleToRawLongBits(rows[i][j]) != Double.doubleToRawLongBits(flat[i * n + j])) {
                    throw new AssertionError(what + ": entry (" + i + ", " + j + ") is " + flat[i * n + j]
                            + " in the flat array and " + rows[i][j] + " in the rows");
                }
            }
        }
    }
}
