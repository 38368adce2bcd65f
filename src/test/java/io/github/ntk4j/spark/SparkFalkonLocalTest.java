package io.github.ntk4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.learn.FalkonRegressor;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spark FALKON in local mode against the single-machine solver, iterate by iterate. */
class SparkFalkonLocalTest {
    static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("test").set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void sameIteratesAsOneMachine() {
        Random r = new Random(7);
        int n = 600;
        double[][] x = new double[n][3];
        double[][] y = new double[n][2];
        List<SparkFalkon.Example> ex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = r.nextGaussian();
            }
            y[i][0] = Math.sin(x[i][0]) + 0.1 * r.nextGaussian();
            y[i][1] = x[i][1] * x[i][2];
            ex.add(new SparkFalkon.Example(i, x[i], y[i]));
        }
        Network net = Network.fullyConnected(NetworkSpec.parseActivation("relu"), 2, 1.4, 0.1);
        NtkRecursion engine = NtkRecursion.of(net);
        for (int its = 1; its <= 6; its++) {
            FalkonRegressor local = FalkonRegressor.fit(engine, KernelKind.NTK, x, y, FalkonRegressor.Options.ridge(0.5).withCentres(50).withIterations(its).withTolerance(1e-12).withSeed(3));
            SparkFalkon.Model spark = SparkFalkon.fit(sc, sc.parallelize(ex, 3), KernelSource.of(net), KernelKind.NTK, 50, 0.5,
                    its, 1e-12, 3, 2);
            assertEquals(local.iterations(), spark.iterations());
            double[] a = local.coefficients();
            double[] b = spark.alpha();
            double scale = 0;
            for (double v : a) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-10 * scale, "iteration " + its + " alpha " + i);
            }
        }
    }
}
