package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.TestData;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelFunction#cross(double[][], double[][], KernelKind, double[][])}: the values of the
 * allocating cross-Gram, written into the caller's rows (the analytic engine's own path and the
 * interface's default), rows beyond N1 untouched, and misshapen rows refused; and
 * {@link KernelFunction#against}: the same values for every slice against columns prepared once,
 * unaffected by later changes to the caller's columns.
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

    @Test
    void againstGivesTheCrossGramOfEverySlice() {
        double[][] x0 = TestData.gaussianRows(300, 7, 5);
        double[][] y0 = TestData.gaussianRows(120, 7, 6);
        // and rows whose scale the analytic engine shifts by a power of two (its prepared copies),
        // for the kernels defined there (tanh's quadrature refuses such variances)
        double[][] xs = io.github.ntk4j.internal.Vectors.copyRows(x0);
        double[][] ys = io.github.ntk4j.internal.Vectors.copyRows(y0);
        for (int k = 0; k < 7; k++) {
            ys[3][k] *= 1e200;
            ys[4][k] *= 1e-200;
            xs[7][k] *= 1e150;
        }
        KernelFunction[] kernels = {NtkRecursion.of(Network.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)")),
                NtkRecursion.of(Network.parse("dense(1.2,0.3) tanh dense(1,0)")), GaussianKernel.withLengthScale(2)};
        for (KernelFunction f : kernels) {
            boolean extreme = !f.describe().contains("tanh");
            double[][] x = extreme ? xs : x0;
            double[][] y = extreme ? ys : y0;
            for (KernelKind kind : KernelKind.values()) {
                double[][] expected = f.cross(x, y, kind);
                double[][] yCopy = io.github.ntk4j.internal.Vectors.copyRows(y);
                KernelFunction.Against g = f.against(yCopy, kind);
                // the caller's columns changed afterwards: the prepared kernel keeps the old ones
                yCopy[0][0] += 1;
                yCopy[5] = new double[7];
                double[][] buf = new double[100][120];
                for (int s = 0; s < x.length; s += 100) {
                    double[][] part = java.util.Arrays.copyOfRange(x, s, s + 100);
                    assertSame(buf, g.cross(part, buf));
                    for (int i = 0; i < part.length; i++) {
                        assertArrayEquals(expected[s + i], buf[i], 0, f.describe() + " " + kind + " row " + (s + i));
                    }
                }
            }
        }
    }

    @Test
    void againstRefusesMisuse() {
        double[][] y = TestData.gaussianRows(4, 3, 4);
        for (KernelFunction f : new KernelFunction[] {NtkRecursion.of(Network.parse("dense(1,0) relu dense(1,0)")),
                GaussianKernel.withLengthScale(1)}) {
            assertThrows(InvalidInputException.class, () -> f.against(y, null));
            assertThrows(InvalidInputException.class, () -> f.against(new double[0][], KernelKind.NTK));
            KernelFunction.Against g = f.against(y, KernelKind.NTK);
            String m = assertThrows(InvalidInputException.class, () -> g.cross(TestData.gaussianRows(5, 2, 1), new double[5][4]))
                    .getMessage();
            assertTrue(m.startsWith("dimension mismatch: ") && m.endsWith(" has 2 entries but the second's has 3")
                    || m.equals("dimension mismatch: x has 2 entries but y has 3"), m);
            assertThrows(InvalidInputException.class, () -> g.cross(TestData.gaussianRows(5, 3, 1), null));
            assertEquals("into has 4 rows, 5 needed",
                    assertThrows(InvalidInputException.class, () -> g.cross(TestData.gaussianRows(5, 3, 1), new double[4][4]))
                            .getMessage());
        }
    }
}
