package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The formulas {@code derive} prints for the closed-form activations, evaluated by the
 * compiled evaluator, against the numeric engine (itself checked against independent
 * quadrature in ActivationReferenceTest): T as tabulated in Symja syntax and Ṫ derived from it
 * by Price's theorem (sign: as tabulated, Ṫ = 0). Two layers, so that the diagonal map
 * (PowerExpand) and the composition are exercised too.
 */
class ActivationFormulasTest {
    private static final SymjaSession SESSION = SymjaSession.shared();

    @Test
    void derivedFormulasAgreeWithTheNumericEngine() {
        String[] acts = {"gelu", "sin(1.5,0.8,0.3)", "cos", "sign", "rectified_monomial(2)", "gabor", "rbf(0.5)",
            "hermite(3)", "gaussian", "exp(0.8,0.5)", "exp_normalized"};
        double[][] xs = {{0.7, -0.4, 1.1}, {0.3, 0.9, -0.5}};
        List<String> failures = new ArrayList<>();
        for (String a : acts) {
            Network net = NetworkSpec.parse("dense(1.1,0.2) " + a + " dense(0.9,0.1) " + a + " dense(1,0)");
            CompiledKernel k = CompiledKernel.compile(SymbolicRecursion.of(net, SymbolicOptions.defaults()).derive(SESSION));
            KernelValue sym = k.pair(xs[0], xs[1]);
            KernelValue num = NtkRecursion.of(net).pair(xs[0], xs[1]);
            double e = Math.max(Math.abs(sym.nngp() - num.nngp()) / Math.abs(num.nngp()),
                    Math.abs(sym.ntk() - num.ntk()) / Math.max(Math.abs(num.ntk()), 1e-300));
            System.out.printf("  derive %-22s vs numeric engine: relative difference %.2g%n", a, e);
            if (!(e <= 1e-12) && !(a.equals("sign") && num.ntk() == 0 && sym.ntk() == 0 && Math.abs(sym.nngp() - num.nngp())
                    <= 1e-12 * Math.abs(num.nngp()))) {
                failures.add(a + ": symbolic " + sym + ", numeric " + num);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
