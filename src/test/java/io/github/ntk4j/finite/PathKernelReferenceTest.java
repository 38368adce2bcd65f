package io.github.ntk4j.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import io.github.ntk4j.net.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The path kernel of a short gradient-descent run from a committed weights file, against an
 * independent numpy implementation (src/test/python/make_pathkernel_reference.py: its own
 * back-propagation, ReLU kinks located in closed form, its own Gauss–Legendre rule), values in
 * src/test/resources/reference/pathkernel. Also reads the weights through the --init format.
 */
class PathKernelReferenceTest {
    private static final String DIR = "/reference/pathkernel/";

    private static String resource(String name) throws IOException {
        try (InputStream in = PathKernelReferenceTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("unchecked")
    private static double[][] matrix(Object o) {
        List<Object> rows = (List<Object>) o;
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(rows.get(i));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static double[] vector(Object o) {
        List<Object> l = (List<Object>) o;
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (Double) l.get(i);
        }
        return v;
    }

    private static void close(String what, double[][] want, double[][] got, double tol) {
        double scale = 0;
        for (double[] row : want) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        assertEquals(want.length, got.length, what + " rows");
        for (int i = 0; i < want.length; i++) {
            for (int j = 0; j < want[i].length; j++) {
                assertEquals(want[i][j], got[i][j], tol * scale, what + " [" + i + "][" + j + "]");
            }
        }
    }

    private static void close(String what, double[] want, double[] got, double tol) {
        close(what, new double[][] {want}, new double[][] {got}, tol);
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"relu", "erf"})
    void matchesTheIndependentNumpyRun(String act) throws IOException {
        Map<String, Object> ref = (Map<String, Object>) Json.parse(resource("pathkernel-reference.json"));
        Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) ref.get("cases")).get(act);
        NetworkWeights w = NetworkWeights.parse(resource((String) c.get("weights")), act + "-weights.json");
        double[][] x = matrix(c.get("x_train"));
        double[] yv = vector(c.get("y_train"));
        double[][] y = new double[yv.length][];
        for (int i = 0; i < yv.length; i++) {
            y[i] = new double[] {yv[i]};
        }
        double[][] xt = matrix(c.get("x_test"));
        TrainableNetwork net = TrainableNetwork.fromWeights(NetworkSpec.parse((String) c.get("network")), w, 2);
        assertEquals(((Double) c.get("width")).intValue(), net.shape(net.denseLayers()[0])[1]);
        PathKernel.Result r = PathKernel.of(x, y, xt, ((Double) c.get("steps")).intValue(), (Double) c.get("lr")).run(net);
        double tol = 1e-12;
        close("f(x; w_0)", vector(c.get("initial_output_test")), r.testBias(), tol);
        close("f(x; w_T) test", vector(c.get("final_output_test")), r.testOutput(), tol);
        close("f(x; w_T) train", vector(c.get("final_output_train")), r.trainOutput(), tol);
        close("path kernel test x train", matrix(c.get("path_kernel_test")), r.testPathKernel(), tol);
        close("path kernel train x train", matrix(c.get("path_kernel_train")), r.trainPathKernel(), tol);
        close("naive path kernel test x train", matrix(c.get("naive_path_kernel_test")), r.testNaivePathKernel(), tol);
        close("naive path kernel train x train", matrix(c.get("naive_path_kernel_train")), r.trainNaivePathKernel(), tol);
        close("kernel machine", vector(c.get("machine_output_test")), r.testMachine(), tol);
        assertTrue(r.maxRelativeGap() <= 1e-10, "gap " + r.maxRelativeGap());
        // the saved weights of the trained network are read back to the same network
        TrainableNetwork back = TrainableNetwork.fromWeights(net.network(), NetworkWeights.parse(net.weights().toJson(), "saved"), 2);
        assertEquals(0.0, TestArrays.maxAbsDiff(net.outputs(xt), back.outputs(xt)));
    }

    /** Tiny helper kept local to the test. */
    static final class TestArrays {
        static double maxAbsDiff(double[][] a, double[][] b) {
            double m = 0;
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[i].length; j++) {
                    m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
                }
            }
            return m;
        }
    }
}
