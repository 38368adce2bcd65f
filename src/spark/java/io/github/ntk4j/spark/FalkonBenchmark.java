package io.github.ntk4j.spark;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * FALKON classification of N synthetic HIGGS-like rows (d = 28 standard normal features, two
 * classes from a fixed nonlinear rule, row i generated from its own seeded stream so both engines
 * see the same data), on one machine ({@link FalkonRegressor#fit}) or on Spark
 * ({@link SparkFalkon#fit}): prints the seconds of the first pass (the kernel blocks G(X_b, C)
 * and G_nMᵀY) and per conjugate-gradient iteration, as one JSON line. Run each engine as its own
 * process, alternating (docs/SPARK.md).
 *
 * <pre>
 * java ... io.github.ntk4j.spark.FalkonBenchmark local|spark N M ITERATIONS [MASTER [PARTITIONS]]
 * </pre>
 */
public final class FalkonBenchmark {
    static final int D = 28;

    private FalkonBenchmark() {
    }

    static double[] row(long i) {
        SplittableRandom r = new SplittableRandom(0x5eedL * 1_000_003L + i);
        double[] x = new double[D + 2];
        for (int j = 0; j < D; j++) {
            x[j] = r.nextGaussian();
        }
        double s = Math.sin(x[0] * x[1]) + x[2] * x[2] - 1 + 0.5 * x[3] + 0.3 * r.nextGaussian();
        x[D + (s > 0 ? 1 : 0)] = 1; // one-hot target in the last two places
        return x;
    }

    /**
     * @param args engine, N, M, iterations, master, partitions
     */
    public static void main(String[] args) {
        String engine = args[0];
        int n = Integer.parseInt(args[1]);
        int m = Integer.parseInt(args[2]);
        int its = Integer.parseInt(args[3]);
        Network net = Network.fullyConnected(NetworkSpec.parseActivation("relu"), 2, 1.4, 0.1);
        double ridge = 1e-3 * n; // r; λ = r/n
        long t0 = System.nanoTime();
        String json;
        if (engine.equals("local")) {
            double[][] x = new double[n][];
            double[][] y = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] r = row(i);
                x[i] = java.util.Arrays.copyOf(r, D);
                y[i] = java.util.Arrays.copyOfRange(r, D, D + 2);
            }
            double gen = (System.nanoTime() - t0) * 1e-9;
            List<Long> stamps = new ArrayList<>();
            long[] perPass = new long[1];
            long start = System.nanoTime();
            FalkonRegressor fr = FalkonRegressor.fit(NtkRecursion.of(net), KernelKind.NTK, x, y, FalkonRegressor.Options.ridge(ridge).withCentres(m).withIterations(its).withTolerance(1e-15).withSeed(1).withProgress((done, total) -> {
                        long passes = its + 1L;
                        perPass[0] = total / passes;
                        if (done > 0 && perPass[0] > 0 && done % perPass[0] == 0 && done < total) {
                            stamps.add(System.nanoTime());
                        }
                    }));
            long end = System.nanoTime();
            stamps.add(end);
            double first = (stamps.get(0) - start) * 1e-9;
            double rest = (stamps.get(stamps.size() - 1) - stamps.get(0)) * 1e-9 / fr.iterations();
            json = String.format(Locale.ROOT, "{\"engine\": \"local\", \"n\": %d, \"d\": %d, \"m\": %d, \"iterations\": %d, "
                    + "\"generate_s\": %.2f, \"first_pass_s\": %.3f, \"s_per_iteration\": %.4f, \"fit_s\": %.2f, \"threads\": %d}",
                    n, D, m, fr.iterations(), gen, first, rest, (end - start) * 1e-9, Runtime.getRuntime().availableProcessors());
        } else {
            String master = args.length > 4 ? args[4] : "local[2]";
            int parts = args.length > 5 ? Integer.parseInt(args[5]) : 8;
            JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName("ntk4j FalkonBenchmark")
                    .setIfMissing("spark.ui.enabled", "false"));
            try {
                List<Integer> ids = new ArrayList<>();
                for (int p = 0; p < parts; p++) {
                    ids.add(p);
                }
                JavaRDD<SparkFalkon.Example> data = sc.parallelize(ids, parts).flatMap(p -> {
                    long from = (long) p * n / parts;
                    long to = (long) (p + 1) * n / parts;
                    List<SparkFalkon.Example> out = new ArrayList<>();
                    for (long i = from; i < to; i++) {
                        double[] r = row(i);
                        out.add(new SparkFalkon.Example(i, java.util.Arrays.copyOf(r, D),
                                java.util.Arrays.copyOfRange(r, D, D + 2)));
                    }
                    return out.iterator();
                });
                long start = System.nanoTime();
                SparkFalkon.Model mod = SparkFalkon.fit(sc, data, KernelSource.of(net), KernelKind.NTK, m, ridge, its, 1e-15, 1,
                        Runtime.getRuntime().availableProcessors());
                long end = System.nanoTime();
                json = String.format(Locale.ROOT, "{\"engine\": \"spark\", \"master\": \"%s\", \"partitions\": %d, \"n\": %d, "
                        + "\"d\": %d, \"m\": %d, \"iterations\": %d, \"first_pass_s\": %.3f, \"s_per_iteration\": %.4f, "
                        + "\"fit_s\": %.2f}", master, parts, n, D, m, mod.iterations(), mod.targetSeconds(),
                        mod.secondsPerIteration(), (end - start) * 1e-9);
            } finally {
                sc.stop();
            }
        }
        System.out.println(json);
    }
}
