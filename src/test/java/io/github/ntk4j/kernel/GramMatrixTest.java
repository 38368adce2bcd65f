package io.github.ntk4j.kernel;

import io.github.ntk4j.math.GramMatrices;

import io.github.ntk4j.math.KernelValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.junit.jupiter.api.Test;

/**
 * Properties every Gram matrix must have whatever the engine does inside: symmetry, positive
 * semi-definiteness (smallest eigenvalue ≥ −1e-10·largest, by Hipparchus' symmetric eigen
 * solver), entries equal to independently computed single pairs, and results that do not
 * depend on the thread count.
 */
class GramMatrixTest {
    static double[][] data(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
            }
        }
        // a duplicate row, a collinear row and an anti-collinear row: the hard cases
        x[1] = x[0].clone();
        for (int k = 0; k < d; k++) {
            x[2][k] = 2 * x[0][k];
            x[3][k] = -0.5 * x[0][k];
        }
        return x;
    }

    @Test
    void symmetricPositiveSemiDefiniteForEveryActivation() {
        double[][] x = data(150, 5, 7);
        for (String spec : new String[] {"dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1,0)",
            "dense(1.2,0.2) erf dense(1.5,0.1) erf dense(1,0.1)", "dense(1,0) abs dense(1,0) leaky_relu(0.1) dense(1,0)",
            "dense(0.7,0.1) poly(0.1,1,0,0.25) dense(0.8,0)", "dense(1.3,0.2) erf dense(1.5,0.1) relu dense(1,0)"}) {
            Network net = NetworkSpec.parse(spec);
            GramMatrices g = NtkRecursion.of(net).withThreads(2).gram(x);
            for (double[][] m : new double[][][] {g.nngp(), g.ntk()}) {
                for (int i = 0; i < m.length; i++) {
                    for (int j = 0; j < m.length; j++) {
                        assertEquals(m[i][j], m[j][i], 0.0, spec);
                        assertTrue(Double.isFinite(m[i][j]));
                    }
                }
                double[] ev = new EigenDecompositionSymmetric(GramMatrices.asRealMatrix(m)).getEigenvalues();
                double max = 0;
                double min = Double.POSITIVE_INFINITY;
                for (double e : ev) {
                    max = Math.max(max, e);
                    min = Math.min(min, e);
                }
                assertTrue(min >= -1e-10 * max, spec + ": smallest eigenvalue " + min + ", largest " + max);
            }
        }
    }

    @Test
    void entriesEqualSinglePairsAndDoNotDependOnThreads() {
        double[][] x = data(130, 4, 3);
        double[][] y = data(70, 4, 4);
        Network net = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)");
        NtkRecursion one = NtkRecursion.of(net).withThreads(1);
        GramMatrices g1 = one.gram(x);
        GramMatrices g3 = NtkRecursion.of(net).withThreads(3).gram(x);
        GramMatrices c = NtkRecursion.of(net).withThreads(2).cross(x, y);
        for (int i = 0; i < x.length; i += 7) {
            for (int j = 0; j < x.length; j += 5) {
                KernelValue v = one.pair(x[i], x[j]);
                assertEquals(v.ntk(), g1.ntk()[i][j], 1e-13 * Math.abs(v.ntk()));
                assertEquals(v.nngp(), g1.nngp()[i][j], 1e-13 * Math.abs(v.nngp()) + 1e-300);
                assertEquals(g1.ntk()[i][j], g3.ntk()[i][j], 0.0);
            }
            for (int j = 0; j < y.length; j += 3) {
                KernelValue v = one.pair(x[i], y[j]);
                assertEquals(v.ntk(), c.ntk()[i][j], 1e-13 * Math.abs(v.ntk()));
            }
        }
    }
}
