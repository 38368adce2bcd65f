package io.github.ntk4j.kernel;

import static io.github.ntk4j.TestData.num;
import static io.github.ntk4j.TestData.vector;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.math.GramMatrices;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quadrature activations (and gelu) at large pre-activation scales σ = 1e2, 1e3, 1e6, where
 * φ(σz) turns within 1/σ of z = 0 and uniform panels of length 2/σ took ⌈9σ⌉ panels per
 * dimension (tanh at σ = 1e3 did not finish in a minute), against {@code
 * reference/largescale-kernels.json} from {@code src/test/python/make_largescale_reference.py}
 * (nested adaptive QUADPACK from φ itself, independent of the graded Gauss–Legendre panels):
 * the single-pair path, the Gram path (Mehler's series or its fallback) and the activation's
 * duals directly, to 1e-12 relative (measured: 8e-14 at worst), or absolute in units of
 * 1e-12·T(x,x) for an exactly 0 reference: odd φ at
 * orthogonal inputs).
 */
class LargeScaleReferenceTest {
    private static final double TOL = 1e-12;

    @Test
    @Timeout(300)
    void largeScalesAgreeWithIndependentQuadrature() {
        List<Map<String, Object>> cases = TestData.cases("/reference/largescale-kernels.json");
        // the scale of each (activation, σ): its identical-input case
        Map<String, double[]> scale = new HashMap<>();
        for (Map<String, Object> c : cases) {
            if (num(c, "rho") == 1) {
                scale.put(c.get("activation") + "@" + num(c, "sigma"),
                        new double[] {num(c, "t"), num(c, "tdot"), num(c, "ntk")});
            }
        }
        List<String> failures = new ArrayList<>();
        Map<String, Double> worst = new TreeMap<>();
        for (Map<String, Object> c : cases) {
            String act = (String) c.get("activation");
            double[] s = scale.get(act + "@" + num(c, "sigma"));
            Network net = NetworkSpec.parse("dense(1,0) " + act + " dense(1,0)");
            Activation phi = net.activations().get(0);
            double[] x = vector(c.get("x"));
            double[] y = vector(c.get("y"));
            String label = act + " σ=" + num(c, "sigma") + " ρ=" + num(c, "rho");
            double a = num(c, "sxx");
            double xy = num(c, "sxy");
            double b = num(c, "syy");
            KernelValue v = NtkRecursion.of(net).pair(x, y);
            GramMatrices g = NtkRecursion.of(net).withThreads(1).gram(new double[][] {x, y});
            double e = 0;
            e = Math.max(e, check(failures, label, "T", phi.dual(a, xy, b), num(c, "t"), s[0]));
            e = Math.max(e, check(failures, label, "Ṫ", phi.dualDerivative(a, xy, b), num(c, "tdot"), s[1]));
            e = Math.max(e, check(failures, label, "nngp", v.nngp(), num(c, "nngp"), s[0]));
            e = Math.max(e, check(failures, label, "ntk", v.ntk(), num(c, "ntk"), s[2]));
            e = Math.max(e, check(failures, label, "gram nngp", g.nngp()[0][1], num(c, "nngp"), s[0]));
            e = Math.max(e, check(failures, label, "gram ntk", g.ntk()[0][1], num(c, "ntk"), s[2]));
            e = Math.max(e, check(failures, label, "gram nngp(x,x)", g.nngp()[0][0], s[0], s[0]));
            worst.merge(act + " σ=" + num(c, "sigma"), e, Math::max);
        }
        worst.forEach((k, e) -> System.out.printf("  %-22s worst relative error %.2g%n", k, e));
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** A wrong reference must fail: the same check at ρ = 0.6 against ρ = 0.6001's T. */
    @Test
    void aWrongReferenceFails() {
        Activation tanh = NetworkSpec.parse("dense(1,0) tanh dense(1,0)").activations().get(0);
        double a = 1e6;
        double right = tanh.dual(a, 0.6 * a, a);
        double wrong = tanh.dual(a, 0.6001 * a, a);
        List<String> failures = new ArrayList<>();
        check(failures, "control", "T", right, wrong, 1);
        assertTrue(failures.size() == 1, "a correlation off by 1e-4 passed the check");
    }

    private static double check(List<String> failures, String label, String which, double got, double ref, double scale) {
        // an exact 0 (odd φ, orthogonal inputs) comes out of either quadrature as rounding noise:
        // measured against 1e-12 of the scale, as ActivationReferenceTest does
        double denom = Math.max(Math.abs(ref), 1e-12 * Math.abs(scale));
        double err = Math.abs(got - ref) / denom;
        if (!(err <= TOL)) {
            failures.add(String.format("%s %s: got %.17g, reference %.17g, relative error %.3g", label, which, got, ref, err));
        }
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
}
