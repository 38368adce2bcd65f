package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.io.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code kernel --format json} for residual, layernorm, sum/product and standard-parameterisation
 * networks against {@code reference/structure-kernels.json} (mpmath, 80 digits; see
 * {@code src/test/python/make_structure_reference.py}), to 1e-12 relative: the specs as written
 * there, and the standard-parameterisation ones also through {@code --parameterization standard
 * --width N}.
 */
class StructureCommandTest {

    @Test
    void kernelJsonAgreesWithTheReferences() {
        int checked = 0;
        Map<String, Integer> perLayer = new java.util.HashMap<>();
        for (Map<String, Object> c : TestData.cases("/reference/structure-kernels.json")) {
            String net = (String) c.get("net");
            String kind = (String) c.get("kind");
            // a few nets of each structural layer, at a generic and a nearly identical pair (the
            // library paths are checked on every case by the kernel package's reference test)
            String layer = net.contains("standard") ? "standard" : net.contains("residual") ? "residual"
                    : net.contains("layernorm") ? "layernorm" : net.contains("sum(") ? "sum" : net.contains("prod(") ? "prod" : null;
            boolean wanted = kind.equals("random") || kind.equals("nearly identical 2^-40");
            if (!wanted || layer == null || perLayer.merge(layer + kind, 1, Integer::sum) > 2) {
                continue;
            }
            String x = csv(c.get("x"));
            String y = csv(c.get("y"));
            check(c, CliTest.run("kernel", "--x", x, "--y", y, "--net", net, "--format", "json"));
            // the all-standard networks again through the options: --parameterization and --width
            if (net.startsWith("width(") && !net.replace("dense(", "").contains(",0)") && allStandard(net)) {
                String width = net.substring(6, net.indexOf(')'));
                String plain = net.substring(net.indexOf(')') + 2).replace(",standard)", ")");
                check(c, CliTest.run("kernel", "--x", x, "--y", y, "--net", plain, "--parameterization", "standard",
                        "--width", width, "--format", "json"));
            }
            checked++;
        }
        assertTrue(checked >= 15, "too few cases: " + checked);
    }

    private static boolean allStandard(String net) {
        int dense = net.split("dense\\(", -1).length - 1;
        int standard = net.split(",standard\\)", -1).length - 1;
        return dense == standard;
    }

    private static void check(Map<String, Object> c, CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) Json.parse(r.out());
        for (String k : new String[] {"nngp", "ntk"}) {
            double got = ((Number) out.get(k)).doubleValue();
            double ref = TestData.num(c, k);
            double scale = TestData.num(c, k + "_scale");
            double err = Math.abs(got - ref) / Math.max(Math.abs(ref), 1e-12 * scale);
            assertTrue(err <= 1e-12, c.get("kind") + " " + c.get("net") + " " + k + ": " + got + " vs " + ref);
        }
    }

    private static String csv(Object v) {
        return ((List<?>) v).stream().map(o -> Double.toString(((Number) o).doubleValue())).collect(Collectors.joining(","));
    }
}
