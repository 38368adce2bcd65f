package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.NetworkSpec;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dense path's memory estimate follows the path taken, checked against the
 * bytes the code allocates, counted by the JVM per thread (com.sun.management.ThreadMXBean; the
 * engine runs on the calling thread with one thread).
 */
class DenseMemoryEstimateTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static double[][] data(int n, long seed) {
        Random rng = new Random(seed);
        double[][] x = new double[n][3];
        for (double[] r : x) {
            for (int j = 0; j < 3; j++) {
                r[j] = rng.nextGaussian();
            }
        }
        return x;
    }

    /** Bytes allocated by train, predict (with variances) and the residual, in ntk or nngp mode, at time t. */
    private static long[] run(KernelKind mode, double time, int n, int m) {
        NtkRecursion engine = NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1,0)"))
                .withThreads(1);
        double[][] x = data(n, 1);
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            y[i][0] = Math.sin(x[i][0]);
        }
        double[][] xs = data(m, 2);
        long a0 = allocated();
        GradientFlowPredictor gf = GradientFlowPredictor.train(engine, mode, x, y, 1, 1e-2);
        long a1 = allocated();
        gf.predict(xs, time, true);
        long a2 = allocated();
        gf.residualValues(time);
        long a3 = allocated();
        return new long[] {a1 - a0, a2 - a1, a3 - a2};
    }

    /**
     * At t = ∞ the path is Cholesky: the estimate lies between the n×n arrays that are alive
     * together (the flat kernels, the factor and its kept copy) and all the bytes the path
     * allocates; it no longer counts an eigen-decomposition (before: 5.9 GiB estimated at
     * N = 8,000, 3.9 GB used), which is more than everything the path allocates.
     */
    @Test
    void choleskyPathEstimateIsBracketedByItsAllocations() {
        int n = 800;
        int m = 40;
        long nn = 8L * n * n;
        for (KernelKind mode : KernelKind.values()) {
            long[] a = run(mode, Double.POSITIVE_INFINITY, n, m);
            long total = a[0] + a[1] + a[2];
            long estimate = GradientFlowPredictor.bytesNeeded(n, m, 1, mode, Double.POSITIVE_INFINITY, true, false);
            int kernels = mode == KernelKind.NNGP ? 1 : 2;
            // alive together at the peak: the flat kernels, the factor being made and (pure-Java LAPACK) its kept copy
            long alive = (kernels + (Lapack.useNative() ? 1 : 2)) * nn;
            assertTrue(estimate >= alive, mode + ": estimate " + estimate + " below the " + alive + " bytes alive together");
            // natively the factor is made off the heap (one copy of G + rI), which the estimate counts as heap
            long offHeap = Lapack.useNative() ? nn : 0;
            assertTrue(estimate <= total + offHeap, mode + ": estimate " + estimate + " above the " + total + " + "
                    + offHeap + " bytes allocated");
            // training alone: its estimate covers the kernels it keeps, as the engine's rows
            long train = GradientFlowPredictor.trainingBytes(n, mode);
            assertTrue(train >= kernels * nn && train <= a[0], mode + ": training " + train + " vs allocated " + a[0]);
            // the old estimate (10 n² + 2 n² doubles and 7 m n) exceeded everything the path allocates
            long old = 12 * nn + 7L * 8 * m * n;
            assertTrue(old > total, mode + ": old " + old + " vs allocated " + total);
        }
    }

    /** At finite t the eigen-decomposition is made, and the estimate counts it. */
    @Test
    void eigenPathEstimateCoversTheDecomposition() {
        int n = 600;
        int m = 30;
        long nn = 8L * n * n;
        long[] a = run(KernelKind.NTK, 2.0, n, m);
        long estimate = GradientFlowPredictor.bytesNeeded(n, m, 1, KernelKind.NTK, 2.0, true, false);
        long cholesky = GradientFlowPredictor.bytesNeeded(n, m, 1, KernelKind.NTK, Double.POSITIVE_INFINITY, true, false);
        assertTrue(estimate > cholesky + 3 * nn, estimate + " vs " + cholesky);
        // the kernels, the matrix copy and the eigenvectors are alive together
        assertTrue(estimate >= 4 * nn, "estimate " + estimate);
        assertTrue(a[0] + a[1] + a[2] >= 4 * nn, "allocated " + (a[0] + a[1] + a[2]));
        // the directions at t = ∞ add the decomposition to the Cholesky path
        assertEquals(GradientFlowPredictor.residualBytes(n, 1, Double.POSITIVE_INFINITY, true, true, false),
                GradientFlowPredictor.residualBytes(n, 1, 2.0, false, false, false));
    }
}
