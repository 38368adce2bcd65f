package io.github.ntk4j.learn;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Not a test: times {@link FalkonRegressor#sliceProduct} (one conjugate-gradient product of a
 * 4,096 × 2,000 slice with k right-hand sides) by thread CPU time, best of 12 after 3 warm-ups,
 * so that two builds can be compared on a shared machine:
 *
 * <pre>
 * mvn -q -o test-compile
 * java -cp target/classes:target/test-classes io.github.ntk4j.learn.SliceProductTiming 1 10
 * </pre>
 *
 * (for the other build, its target/classes first on the class path).
 */
public final class SliceProductTiming {
    private SliceProductTiming() {
    }

    /**
     * @param args the numbers of right-hand sides k to time
     */
    public static void main(String[] args) {
        int rows = 4096;
        int m = 2000;
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        for (String a : args) {
            int k = Integer.parseInt(a);
            Random r = new Random(1);
            double[] g = new double[rows * m];
            for (int i = 0; i < g.length; i++) {
                g[i] = r.nextDouble();
            }
            double[] u = new double[m * k];
            for (int i = 0; i < u.length; i++) {
                u[i] = r.nextGaussian();
            }
            double[] v = new double[rows * k];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextGaussian();
            }
            double best = Double.POSITIVE_INFINITY;
            double check = 0;
            for (int rep = 0; rep < 15; rep++) {
                long t0 = clock.getCurrentThreadCpuTime();
                double[] w = FalkonRegressor.sliceProduct(g, rows, m, u, v, k);
                double s = (clock.getCurrentThreadCpuTime() - t0) * 1e-9;
                check = w[0] + w[m * k - 1];
                if (rep >= 3) {
                    best = Math.min(best, s);
                }
            }
            System.out.printf("k=%d: %.4f s CPU, %.2f G multiply-adds/s (check %s)%n", k, best, 2.0 * rows * m * k / best / 1e9,
                    check);
        }
    }
}
