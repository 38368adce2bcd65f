package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.io.Idx;
import io.github.ntk4j.io.Json;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The k-means++ centre draw against an independent implementation: numpy's kernel and a copy of
 * java.util.Random in {@code src/test/python/make_centre_draw_reference.py} (committed as
 * {@code src/test/resources/reference/centre-draw.json}), which must give the very same rows on
 * the shipped Fashion-MNIST slice; and its defining property on clustered data, where a uniform
 * draw (the negative control) misses small clusters and k-means++ does not.
 */
class CentreDrawTest {
    private static final String NET = "dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)";
    private static final NtkRecursion ENGINE = NtkRecursion.of(NetworkSpec.parse(NET)).withThreads(1);

    @Test
    @SuppressWarnings("unchecked")
    void kppMatchesThePythonDrawOnTheFashionSlice() throws IOException {
        Map<String, Object> ref = (Map<String, Object>) Json.parse(
                Files.readString(Path.of("src/test/resources/reference/centre-draw.json")));
        assertEquals(NET, ref.get("network"));
        assertEquals(CentreDraw.ROUNDS, ((Number) ref.get("rounds")).intValue());
        double[][] images = Idx.readImages(Path.of("examples/data/fashion-mnist/train-images-idx3-ubyte.gz"));
        List<Object> cases = (List<Object>) ref.get("cases");
        assertEquals(3, cases.size());
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            int rows = ((Number) c.get("rows")).intValue();
            int m = ((Number) c.get("centres")).intValue();
            long seed = ((Number) c.get("seed")).longValue();
            KernelKind kind = "ntk".equals(c.get("kind")) ? KernelKind.NTK : KernelKind.NNGP;
            int[] want = ((List<?>) c.get("indices")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
            double[][] x = Preprocessing.fit(Preprocessing.Kind.SQRT_SPHERE, Arrays.copyOf(images, rows))
                    .apply(Arrays.copyOf(images, rows));
            // more rows than the draw sees: the rows past `rows` must play no part
            double[][] padded = Arrays.copyOf(x, rows + 5);
            for (int i = rows; i < rows + 5; i++) {
                padded[i] = x[0].clone();
            }
            int[] got = CentreDraw.KPP.indices(ENGINE, kind, padded, rows, m, seed);
            assertArrayEquals(want, got, "rows " + rows + ", M " + m + ", seed " + seed + ", " + kind);
            double[][] cs = CentreDraw.KPP.centres(ENGINE, kind, padded, rows, m, seed);
            for (int i = 0; i < m; i++) {
                assertArrayEquals(x[want[i]], cs[i], 0.0);
            }
        }
    }

    /** Five tight clusters of 1,000, 500, 20, 10 and 5 points on the sphere in d = 8. */
    private static double[][] clusters(long seed) {
        int[] sizes = {1000, 500, 20, 10, 5};
        Random rng = new Random(seed);
        int d = 8;
        double[][] x = new double[Arrays.stream(sizes).sum()][];
        int r = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                double[] v = new double[d];
                v[c] = 1;
                for (int j = 0; j < d; j++) {
                    v[j] += 0.01 * rng.nextGaussian();
                }
                x[r++] = v;
            }
        }
        return x;
    }

    private static int clusterOf(int row) {
        int[] ends = {1000, 1500, 1520, 1530, 1535};
        for (int c = 0; c < ends.length; c++) {
            if (row < ends[c]) {
                return c;
            }
        }
        throw new IllegalStateException();
    }

    @Test
    void kppReachesEveryClusterWhereUniformDoesNot() {
        double[][] x = clusters(5);
        int uniformMisses = 0;
        for (long seed = 0; seed < 10; seed++) {
            Set<Integer> kpp = new HashSet<>();
            for (int i : CentreDraw.KPP.indices(ENGINE, KernelKind.NTK, x, x.length, 10, seed)) {
                kpp.add(clusterOf(i));
            }
            assertEquals(5, kpp.size(), "k-means++ with 10 centres misses a cluster, seed " + seed);
            Set<Integer> uni = new HashSet<>();
            for (int i : CentreDraw.UNIFORM.indices(ENGINE, KernelKind.NTK, x, x.length, 10, seed)) {
                uni.add(clusterOf(i));
            }
            uniformMisses += uni.size() < 5 ? 1 : 0;
        }
        // negative control: 10 uniform rows hit the 5-point cluster with probability about 3 %
        assertTrue(uniformMisses >= 8, "the uniform draw reached every cluster in " + (10 - uniformMisses) + " of 10");
    }

    @Test
    void duplicatesAreNotDrawnTwiceUntilTheDistinctPointsRunOut() {
        double[][] base = clusters(9);
        double[][] x = new double[60][];
        for (int i = 0; i < 60; i++) {
            x[i] = base[(i % 6) * 200].clone(); // six distinct points, each ten times
        }
        int[] six = CentreDraw.KPP.indices(ENGINE, KernelKind.NTK, x, 60, 6, 3);
        Set<Integer> points = new HashSet<>();
        for (int i : six) {
            points.add(i % 6);
        }
        assertEquals(6, points.size(), Arrays.toString(six));
        int[] all = CentreDraw.KPP.indices(ENGINE, KernelKind.NTK, x, 60, 20, 3);
        assertEquals(20, Arrays.stream(all).distinct().count());
        assertTrue(Arrays.stream(all).allMatch(i -> i >= 0 && i < 60));
    }

    @Test
    void uniformIsFalkonsDrawAndArgumentsAreChecked() {
        double[][] x = clusters(1);
        assertArrayEquals(FalkonRegressor.centreIndices(700, 50, 4),
                CentreDraw.UNIFORM.indices(null, null, x, 700, 50, 4));
        assertEquals(CentreDraw.KPP, CentreDraw.parse(" KPP "));
        assertEquals(CentreDraw.UNIFORM, CentreDraw.parse("uniform"));
        assertThrows(InvalidInputException.class, () -> CentreDraw.parse("leverage"));
        assertThrows(InvalidInputException.class, () -> CentreDraw.KPP.indices(ENGINE, KernelKind.NTK, x, 10, 11, 0));
        assertThrows(InvalidInputException.class, () -> CentreDraw.KPP.indices(ENGINE, KernelKind.NTK, x, x.length + 1, 1, 0));
        assertThrows(InvalidInputException.class, () -> CentreDraw.KPP.indices(null, KernelKind.NTK, x, 10, 5, 0));
    }
}
