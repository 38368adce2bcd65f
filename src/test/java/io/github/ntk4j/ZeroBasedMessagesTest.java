package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.finite.PathKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.FilterCrossValidation;
import io.github.ntk4j.learn.InterpolatingSolver;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.symbolic.CompiledKernel;
import io.github.ntk4j.symbolic.SymbolicOptions;
import io.github.ntk4j.symbolic.SymbolicRecursion;
import io.github.ntk4j.symbolic.SymjaSession;
import org.junit.jupiter.api.Test;

/**
 * Library misuse and refusals name array entries by their 0-based index, as Java indexes them
 * ({@code x[1]}), across the packages. Each case puts the fault at an index where a 1-based
 * message would name a different entry, so that the test fails on either convention's mistake.
 */
class ZeroBasedMessagesTest {

    /**
     * A Gram entry beyond the double range is named by its 0-based rows. dense(1e100, 0) relu
     * dense(1, 0): K(x, y) = W² r_x r_y κ(θ)/… grows as 1e200·|x||y|, so with x₀ = 1e-200 and
     * x₁ = 1e200 (d = 1) only K(x₁, x₁) ≈ 1e600 leaves the doubles; K(x₀, x₁) ≈ 1e200 fits.
     */
    @Test
    void gramAndCrossRefusalsNameTheirRows() {
        NtkRecursion k = NtkRecursion.of(Network.parse("dense(1e100,0) relu dense(1,0)")).withThreads(1);
        double[][] x = {{1e-200}, {1e200}};
        String gram = assertThrows(Ntk4jException.class, () -> k.gram(x, KernelKind.NNGP)).getMessage();
        assertTrue(gram.contains("K(x[1], x[1])"), gram);
        double[][] y = {{1e-200}, {1e-200}, {1e200}};
        String cross = assertThrows(Ntk4jException.class, () -> k.cross(x, y, KernelKind.NTK)).getMessage();
        assertTrue(cross.contains("Θ(x[1], y[2])"), cross);
        // the flat form refuses the same entry by the same name
        String flat = assertThrows(Ntk4jException.class, () -> k.gramFlat(x, KernelKind.NNGP)).getMessage();
        assertEquals(gram, flat);
    }

    @Test
    void compiledKernelChecksItsInputsAtTheBoundary() {
        CompiledKernel c = CompiledKernel.compile(SymbolicRecursion.of(Network.parse("dense(1.4,0.1) relu dense(1,0)"),
                SymbolicOptions.defaults()).derive(SymjaSession.shared()));
        String nan = assertThrows(InvalidInputException.class, () -> c.pair(new double[] {1, 2, 3},
                new double[] {1, 2, Double.NaN})).getMessage();
        assertTrue(nan.contains("y[2]"), nan);
        String inf = assertThrows(InvalidInputException.class, () -> c.pair(new double[] {1, Double.POSITIVE_INFINITY},
                new double[] {1, 2})).getMessage();
        assertTrue(inf.contains("x[1]"), inf);
        // null is refused as misuse, not by a NullPointerException
        assertThrows(InvalidInputException.class, () -> c.pair(null, new double[] {1}));
        assertThrows(InvalidInputException.class, () -> c.pair(new double[] {1}, null));
    }

    @Test
    void interpolatingSolverNamesTheAsymmetricEntries() {
        double[][] g = {{2, 0, 0}, {0, 2, 0}, {0, 0.5, 2}};
        String m = assertThrows(InvalidInputException.class, () -> InterpolatingSolver.factor(g)).getMessage();
        assertTrue(m.contains("matrix[2][1] is 0.5 but matrix[1][2] is 0.0"), m);
    }

    @Test
    void crossValidationNamesTheLabelOutOfRange() {
        int n = 8;
        double[][] g = new double[n][n];
        int[] strata = new int[n];
        for (int i = 0; i < n; i++) {
            g[i][i] = 1;
            strata[i] = i % 2;
        }
        int[] labels = strata.clone();
        labels[5] = 7;
        FilterCrossValidation cv = FilterCrossValidation.prepare(g, strata, 2, 0);
        String m = assertThrows(InvalidInputException.class,
                () -> cv.select(labels, 2, new double[] {1e-3}, new double[] {1.0})).getMessage();
        assertTrue(m.contains("labels[5] is 7, not in 0..1"), m);
    }

    @Test
    void oneOutputTargetsNameTheirRow() {
        double[][] x = {{1, 0}, {0, 1}, {1, 1}};
        double[][] twoColumns = {{1}, {2}, {3, 4}};
        String wide = assertThrows(InvalidInputException.class,
                () -> PathKernel.of(x, twoColumns, new double[0][], 10, 0.1)).getMessage();
        assertTrue(wide.contains("targets[2] must have one entry, it has 2"), wide);
        double[][] nan = {{1}, {Double.NaN}, {3}};
        String bad = assertThrows(InvalidInputException.class, () -> PathKernel.of(x, nan, new double[0][], 10, 0.1))
                .getMessage();
        assertTrue(bad.contains("targets[1][0]"), bad);
    }
}
