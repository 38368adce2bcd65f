package io.github.ntk4j.symbolic;

import static io.github.ntk4j.TestData.num;
import static io.github.ntk4j.TestData.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Activations;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compiled evaluator of the derived expressions against the shared reference file
 * (closed forms in 50-digit arithmetic, cross-checked by quadrature; independent of both
 * engines) and against the numeric engine, to 1e-12 relative, including the nearly
 * collinear cases that the naive double evaluation of ArcCos gets wrong in the 10th digit.
 */
class CompiledKernelTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    private static final double TOL = 1e-12;

    private static double rel(double got, double want) {
        return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
    }

    @Test
    void referenceFileToOneInATrillion() {
        List<String> failures = new ArrayList<>();
        double worst = 0;
        int n = 0;
        for (Map<String, Object> c : TestData.cases("/reference/kernels.json")) {
            Network net = Network.fullyConnected(Activations.of((String) c.get("activation")),
                    (int) num(c, "depth"), num(c, "W_std"), num(c, "b_std"));
            CompiledKernel k = CompiledKernel.compile(SymbolicRecursion.of(net, SymbolicOptions.defaults()).derive(SESSION));
            double[] x = vector(c.get("x"));
            double[] y = vector(c.get("y"));
            KernelValue v = k.pair(x, y);
            KernelValue engine = NtkRecursion.of(net).pair(x, y);
            double[][] checks = {
                {v.nngp(), num(c, "nngp")}, {v.ntk(), num(c, "ntk")}, {v.nngp(), engine.nngp()}, {v.ntk(), engine.ntk()}};
            for (double[] chk : checks) {
                double e = rel(chk[0], chk[1]);
                worst = Math.max(worst, e);
                if (!(e <= TOL)) {
                    failures.add(net + " x=" + c.get("x") + ": got " + chk[0] + ", want " + chk[1] + " (rel " + e + ")");
                }
            }
            n++;
        }
        System.out.printf("compiled kernel vs reference (%d cases): worst relative error %.3g%n", n, worst);
        assertEquals(16, n);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
