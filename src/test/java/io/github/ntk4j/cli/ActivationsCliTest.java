package io.github.ntk4j.cli;

import static io.github.ntk4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Activations;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;

/**
 * The bad-input rules for activations (one line, exit 2, never NaN) and the open
 * activation type: fn("EXPR") through Symja, and a user's activation given only φ, φ'.
 */
class ActivationsCliTest {

    private static void refused(String net, String mustContain) {
        CliTest.Run r = run("kernel", "--x", "1,0.5", "--y", "0.3,-0.2", "--net", net);
        assertEquals(2, r.code(), net + " -> " + r.err());
        assertEquals("", r.out(), net);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("NaN"), r.err());
        assertTrue(r.err().contains(mustContain), net + " -> " + r.err());
    }

    @Test
    void badActivationsGetOneLineAndExitTwo() {
        refused("dense(1,0) tahn dense(1,0)", "gelu, sin(a,b,c)");
        refused("dense(1,0) fn(\"x^2+\") dense(1,0)", "fn(\"x^2+\")");
        refused("dense(1,0) fn(\"x*y\") dense(1,0)", "'y' is not part of the fn language");
        refused("dense(1,0) fn(\"Exp(x^2)\") dense(1,0)", "diverge");
        refused("dense(3,0) gaussian(1,2) dense(1,0)", "diverge");
        refused("dense(1,0) rectified_monomial(5) dense(1,0)", "n = 0, 1, 2, 3 or 4");
        refused("dense(1,0) exp(1,30) dense(1,0)", "do not fit a double");
    }

    @Test
    void fnDerivesTheDerivativeSymbolically() {
        // mish written as an expression: Symja's φ' against the hand-written one in Activations
        Activation fn = NetworkSpec.parseActivation("fn(\"x*Tanh(Log(1+Exp(x)))\")");
        Activation mish = Activations.of("mish");
        for (double x = -6; x <= 6; x += 0.37) {
            assertEquals(mish.apply(x), fn.apply(x), 1e-14 * (1 + Math.abs(x)));
            assertEquals(mish.derivative(x), fn.derivative(x), 1e-13);
        }
        assertEquals("fn(\"x*Tanh(Log(1+Exp(x)))\")", fn.spec());
    }

    @Test
    void aUsersActivationNeedsOnlyPhiAndItsDerivative() {
        // x³ by quadrature against the exact Isserlis moments of monomial(3)
        Activation cube = Activation.of("cube", x -> x * x * x, x -> 3 * x * x);
        double[] x = {0.8, -0.3, 1.1};
        double[] y = {0.5, 0.9, -0.4};
        KernelValue q = NtkRecursion.of(Network.serial(io.github.ntk4j.net.Layers.dense(1.1, 0.2), cube,
                io.github.ntk4j.net.Layers.dense(1, 0))).pair(x, y);
        KernelValue exact = NtkRecursion.of(NetworkSpec.parse("dense(1.1,0.2) monomial(3) dense(1,0)")).pair(x, y);
        assertEquals(exact.nngp(), q.nngp(), 1e-12 * Math.abs(exact.nngp()));
        assertEquals(exact.ntk(), q.ntk(), 1e-12 * Math.abs(exact.ntk()));
    }
}
