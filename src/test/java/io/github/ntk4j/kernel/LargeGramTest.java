package io.github.ntk4j.kernel;

import io.github.ntk4j.math.KernelKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A Gram matrix of N = 10,000 fits in the 2 GB heap the test JVM runs with (surefire argLine
 * -Xmx2g) when one kernel is asked for. The network is a single Dense layer so the test
 * measures memory, not speed; entries are checked against the closed form w²x·y/d + b².
 */
class LargeGramTest {
    @Test
    void tenThousandInputsFitInTwoGigabytes() {
        assertTrue(Runtime.getRuntime().maxMemory() <= 2L * 1024 * 1024 * 1024 + (64 << 20),
                "run with -Xmx2g: " + Runtime.getRuntime().maxMemory());
        int n = 10_000;
        int d = 3;
        Random r = new Random(5);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
            }
        }
        Network net = NetworkSpec.parse("dense(1.5,0.2)");
        double[][] k = NtkRecursion.of(net).withThreads(2).gram(x, KernelKind.NNGP);
        assertEquals(n, k.length);
        for (int i = 0; i < n; i += 997) {
            for (int j = 0; j < n; j += 1009) {
                double dot = x[i][0] * x[j][0] + x[i][1] * x[j][1] + x[i][2] * x[j][2];
                assertEquals(2.25 * dot / d + 0.04, k[i][j], 1e-14 * (1 + Math.abs(dot)));
            }
        }
    }
}
