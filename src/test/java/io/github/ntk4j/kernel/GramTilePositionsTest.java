package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Gram path's vectorised loops and their second passes, wherever in a 128-wide tile the
 * pairs that need the second pass sit: a data set of 300 rows (three tiles, so diagonal,
 * off-diagonal and ragged tiles) in which zero rows, copies, multiples (either sign) and nearly
 * collinear copies of earlier rows, and rows of norm 1e-100 to 1e100, fall on the first, last and
 * middle columns of tiles. Every entry of the Gram (upper triangle, the one it computes) and of a
 * cross-Gram must equal the single-pair path's value ({@link NtkRecursion#pair}: a batch of one, every loop in its scalar
 * tail) to 4 ulps, and the Gram must be exactly symmetric.
 */
class GramTilePositionsTest {
    private static final String[] NETWORKS = {
        "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)",
        "dense(1.4,0.1) erf dense(1.4,0.1) erf dense(1.4,0.1) erf dense(1.4,0.1)",
        "dense(2,0.3) abrelu(-0.3,1.7) dense(1,0) leaky_relu(0.1) dense(1.4,0.1)",
        "dense(1.2,0.2) erf(2,0.5,0.1) dense(3,0.05) abs dense(1,1)",
        "width(50) dense(1.4,0.1,standard) relu dense(1.4,0.1,standard) erf dense(1,0.1,standard)"};
    private static final int[] SPECIAL_AT = {0, 1, 63, 126, 127, 128, 129, 200, 254, 255, 256, 257, 298, 299};

    @Test
    void gramAndCrossEntriesEqualSinglePairs() {
        double[][] x = dataSet(new Random(18), 300, 6);
        for (String spec : NETWORKS) {
            NtkRecursion engine = NtkRecursion.of(Network.parse(spec)).withThreads(2);
            GramMatrices g = engine.gram(x);
            double[][] a = java.util.Arrays.copyOfRange(x, 0, 200);
            double[][] b = java.util.Arrays.copyOfRange(x, 70, 300);
            GramMatrices c = engine.cross(a, b);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    assertEquals(g.nngp()[i][j], g.nngp()[j][i], 0.0, spec + " NNGP symmetry " + i + "," + j);
                    assertEquals(g.ntk()[i][j], g.ntk()[j][i], 0.0, spec + " NTK symmetry " + i + "," + j);
                    if (j < i) {
                        continue;
                    }
                    KernelValue p = engine.pair(x[i], x[j]);
                    close(p.nngp(), g.nngp()[i][j], spec + " NNGP " + i + "," + j);
                    close(p.ntk(), g.ntk()[i][j], spec + " NTK " + i + "," + j);
                }
            }
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < b.length; j++) {
                    // (the Gram computes its lower triangle as (x_j, x_i), whose rules round differently)
                    KernelValue p = engine.pair(a[i], b[j]);
                    close(p.nngp(), c.nngp()[i][j], spec + " cross NNGP " + i + "," + j);
                    close(p.ntk(), c.ntk()[i][j], spec + " cross NTK " + i + "," + j);
                }
            }
        }
    }

    /** A negative control: the comparison notices a one-part-in-1e14 difference. */
    @Test
    void comparisonDetectsADifference() {
        double[][] x = dataSet(new Random(18), 130, 6);
        NtkRecursion engine = NtkRecursion.of(Network.parse(NETWORKS[1])).withThreads(1);
        double v = engine.gram(x).ntk()[127][128];
        assertThrows(AssertionError.class, () -> close(engine.pair(x[127], x[128]).ntk(), v * (1 + 1e-14), "perturbed"));
    }

    private static void close(double expected, double actual, String what) {
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        assertEquals(expected, actual, 4 * Math.ulp(scale), what);
    }

    static double[][] dataSet(Random rng, int n, int d) {
        double[] norms = {1e-100, 1e-5, 1, 1e5, 1e100};
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            double norm = rng.nextInt(4) == 0 ? norms[rng.nextInt(norms.length)] : 1;
            for (int k = 0; k < d; k++) {
                x[i][k] = rng.nextGaussian() * norm;
            }
        }
        for (int s = 0; s < SPECIAL_AT.length; s++) {
            int i = SPECIAL_AT[s];
            if (i >= n) {
                continue;
            }
            double[] src = x[rng.nextInt(n)];
            double[] row = new double[d];
            switch (s % 5) {
                case 0: // a zero row
                    break;
                case 1: // a copy
                    row = src.clone();
                    break;
                case 2: // a multiple, either sign
                    double f = (s % 2 == 0 ? -1 : 1) * Math.pow(10, rng.nextInt(7) - 3);
                    for (int k = 0; k < d; k++) {
                        row[k] = f * src[k];
                    }
                    break;
                case 3: // nearly collinear
                    for (int k = 0; k < d; k++) {
                        row[k] = src[k] * (1 + 1e-9 * rng.nextGaussian());
                    }
                    break;
                default: // the previous row exactly (a duplicate pair on the diagonal band)
                    row = x[Math.max(0, i - 1)].clone();
            }
            x[i] = row;
        }
        return x;
    }
}
