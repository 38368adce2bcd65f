package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.TestData;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelFunction#cross(double[][], double[][], KernelKind, double[][])}: the values of the
 * allocating cross-Gram, written into the caller's rows (the analytic engine's own path and the
 * interface's default), rows beyond N1 untouched, and misshapen rows refused.
 */
class CrossIntoTest {

    @Test
    void intoEqualsTheAllocatingCrossGram() {
        double[][] x = TestData.gaussianRows(300, 7, 1);
        double[][] y = TestData.gaussianRows(150, 7, 2);
        KernelFunction[] kernels = {NtkRecursion.of(Network.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)")),
                NtkRecursion.of(Network.parse("dense(1.2,0.3) tanh dense(1,0)")), GaussianKernel.withLengthScale(2)};
        for (KernelFunction f : kernels) {
            for (KernelKind kind : KernelKind.values()) {
                double[][] expected = f.cross(x, y, kind);
                // one buffer with more rows than needed, reused for two slices: the second call
                // overwrites the first's rows and leaves the rows beyond it as they were
                double[][] buf = new double[400][150];
                buf[399][0] = 42;
                assertSame(buf, f.cross(x, y, kind, buf));
                for (int i = 0; i < x.length; i++) {
                    assertArrayEquals(expected[i], buf[i], 0, f.describe() + " " + kind + " row " + i);
                }
                double[][] part = java.util.Arrays.copyOfRange(x, 100, 160);
                f.cross(part, y, kind, buf);
                for (int i = 0; i < part.length; i++) {
                    assertArrayEquals(expected[100 + i], buf[i], 0, f.describe() + " " + kind + " slice row " + i);
                }
                assertArrayEquals(expected[60], buf[60], 0);
                assertEquals(42, buf[399][0]);
            }
        }
    }

    @Test
    void misshapenRowsAreRefused() {
        double[][] x = TestData.gaussianRows(5, 3, 3);
        double[][] y = TestData.gaussianRows(4, 3, 4);
        for (KernelFunction f : new KernelFunction[] {NtkRecursion.of(Network.parse("dense(1,0) relu dense(1,0)")),
                GaussianKernel.withLengthScale(1)}) {
            assertEquals("into has 4 rows, 5 needed",
                    assertThrows(InvalidInputException.class, () -> f.cross(x, y, KernelKind.NTK, new double[4][4])).getMessage());
            assertEquals("into[0] must have length 4, got 3",
                    assertThrows(InvalidInputException.class, () -> f.cross(x, y, KernelKind.NTK, new double[5][3])).getMessage());
            assertThrows(InvalidInputException.class, () -> f.cross(x, y, KernelKind.NTK, null));
        }
    }
}
