package io.github.ntk4j.kernel;

import io.github.ntk4j.math.GramMatrices;

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
    /**
     * Bound for the pairs limited by the erf layer, not by a structural rule: erf forms its
     * output D and E by subtraction, which at nearly collinear inputs loses about 7 digits of D;
     * a ReLU-family layer after it turns that into about 1e-10 relative (docs/LAYERS.md, "Known
     * limit"; the same error shows on the plain chain in {@link #erfLimitIsThePlainChainsToo}).
     */
    private static final double ERF_LIMITED = 1e-9;

    @Test
    void structuralLayersToOneInATrillion() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        double worstErf = 0;
        int n = 0;
        int nErf = 0;
        for (Map<String, Object> c : TestData.cases("/reference/structure-kernels.json")) {
            Network net = NetworkSpec.parse((String) c.get("net"));
            double[] x = vector(c.get("x"));
            double[] y = vector(c.get("y"));
            String label = c.get("kind") + " | " + net + " | x=" + c.get("x");
            boolean erfLimited = ((String) c.get("net")).contains("erf") && ((String) c.get("kind")).startsWith("nearly");
            double tol = erfLimited ? ERF_LIMITED : TOL;
            KernelValue v = NtkRecursion.of(net).pair(x, y);
            GramMatrices g = NtkRecursion.of(net).withThreads(1).gram(new double[][] {x, y});
            double e = Math.max(
                    Math.max(check(failures, label, "nngp", v.nngp(), num(c, "nngp"), num(c, "nngp_scale"), tol),
                            check(failures, label, "ntk", v.ntk(), num(c, "ntk"), num(c, "ntk_scale"), tol)),
                    Math.max(check(failures, "gram " + label, "nngp", g.nngp()[0][1], num(c, "nngp"), num(c, "nngp_scale"), tol),
                            check(failures, "gram " + label, "ntk", g.ntk()[0][1], num(c, "ntk"), num(c, "ntk_scale"), tol)));
            if (erfLimited) {
                worstErf = Math.max(worstErf, e);
                nErf++;
            } else {
                worst = Math.max(worst, e);
            }
            n++;
        }
        System.out.printf("structure reference file: %d cases, worst relative error %.3g; %d nearly collinear cases "
                + "through erf: worst %.3g%n", n, worst, nErf, worstErf);
        assertTrue(n > 400, "reference file has too few cases: " + n);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /**
     * The erf limit is not a structural one: the plain chain dense erf dense relu dense, no
     * branch, no layernorm, shows the same error at nearly collinear inputs (reference value from
     * the same mpmath rules at 80 digits), while the same pair through relu instead of erf is
     * exact to 1e-12.
     */
    @Test
    void erfLimitIsThePlainChainsToo() {
        double[] x = {1.0193, 0.4199};
        double[] y = {1.0193 + 1.3e-7, 0.4199 - 0.7e-7};
        KernelValue erf = NtkRecursion.of(NetworkSpec.parse("dense(1.2,0.1) erf dense(1.1,0.2) relu dense(1,0)")).pair(x, y);
        double erfErr = Math.abs(erf.ntk() - 0.8939188763742000061) / 0.8939188763742000061;
        KernelValue relu = NtkRecursion.of(NetworkSpec.parse("dense(1.2,0.1) relu dense(1.1,0.2) relu dense(1,0)")).pair(x, y);
        double reluErr = Math.abs(relu.ntk() - 0.84314454642386532737) / 0.84314454642386532737;
        System.out.printf("plain chain at angle ~1e-7: erf then relu %.3g, relu then relu %.3g%n", erfErr, reluErr);
        assertTrue(reluErr <= TOL, "relu chain: " + reluErr);
        assertTrue(erfErr <= ERF_LIMITED, "erf chain: " + erfErr);
    }

    /** Relative error; a value analytically zero (below 1e-12 of √(K(x,x)K(y,y))) is judged against that scale. */
    private static double check(List<String> failures, String label, String which, double got, double ref, double scale,
            double tol) {
        double denom = Math.max(Math.abs(ref), TOL * scale);
        double err = denom == 0 ? Math.abs(got) : Math.abs(got - ref) / denom;
        if (!(err <= tol)) {
            failures.add(String.format("%s %s: got %.17g, reference %.17g, relative error %.3g", label, which, got, ref, err));
        }
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }
}
