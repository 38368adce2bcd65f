package io.github.ntk4j.kernel;

import static io.github.ntk4j.TestData.num;
import static io.github.ntk4j.TestData.vector;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Standard parameterisation, residual blocks, sums and products of branches, and layer
 * normalisation against {@code reference/structure-kernels.json}, to 1e-12 relative: values from
 * {@code src/test/python/make_structure_reference.py}, which evaluates the naive rules of
 * neural-tangents' {@code Dense(parameterization='standard')}, {@code FanInSum},
 * {@code FanInProd} and {@code LayerNorm} with mpmath at 80 digits (a different algorithm from
 * the engine's cancellation-free recursion), at random, identical, collinear, anti-collinear,
 * nearly collinear and zero inputs. Both the single-pair path and the Gram path are checked.
 */
class StructureReferenceTest {
    private static final double TOL = 1e-12;

    @Test
    void structuralLayersToOneInATrillion() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        int n = 0;
        for (Map<String, Object> c : TestData.cases("/reference/structure-kernels.json")) {
            Network net = NetworkSpec.parse((String) c.get("net"));
            double[] x = vector(c.get("x"));
            double[] y = vector(c.get("y"));
            String label = c.get("kind") + " | " + net + " | x=" + c.get("x");
            KernelValue v = NtkRecursion.of(net).pair(x, y);
            worst = Math.max(worst, check(failures, label, "nngp", v.nngp(), num(c, "nngp"), num(c, "nngp_scale")));
            worst = Math.max(worst, check(failures, label, "ntk", v.ntk(), num(c, "ntk"), num(c, "ntk_scale")));
            GramMatrices g = NtkRecursion.of(net).withThreads(1).gram(new double[][] {x, y});
            worst = Math.max(worst, check(failures, "gram " + label, "nngp", g.nngp()[0][1], num(c, "nngp"), num(c, "nngp_scale")));
            worst = Math.max(worst, check(failures, "gram " + label, "ntk", g.ntk()[0][1], num(c, "ntk"), num(c, "ntk_scale")));
            n++;
        }
        System.out.printf("structure reference file: %d cases, worst relative error %.3g%n", n, worst);
        assertTrue(n > 400, "reference file has too few cases: " + n);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** Relative error; a value analytically zero (below 1e-12 of √(K(x,x)K(y,y))) is judged against that scale. */
    private static double check(List<String> failures, String label, String which, double got, double ref, double scale) {
        double denom = Math.max(Math.abs(ref), TOL * scale);
        double err = denom == 0 ? Math.abs(got) : Math.abs(got - ref) / denom;
        if (!(err <= TOL)) {
            failures.add(String.format("%s %s: got %.17g, reference %.17g, relative error %.3g", label, which, got, ref, err));
        }
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
}
