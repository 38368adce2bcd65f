package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Symja 3.0.0 was built against Hipparchus 3.0; the pom forces every Hipparchus module to
 * 4.0.3. This proves the combination works: the Hipparchus on the class path is 4.0.3, and
 * Symja differentiates, simplifies and integrates numerically (the last through Hipparchus).
 */
class SymjaUnderPinnedHipparchusTest {
    private static final SymjaSession SESSION = SymjaSession.shared();

    @Test
    void hipparchusOnTheClassPathIs403() {
        String jar = org.hipparchus.util.FastMath.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(jar.contains("4.0.3"), "hipparchus-core comes from " + jar);
        String odeJar = org.hipparchus.ode.ODEIntegrator.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(odeJar.contains("4.0.3"), "hipparchus-ode comes from " + odeJar);
    }

    @Test
    void derivativeAndSimplification() {
        // d/dx sin(x)² = 2 sin x cos x, and sin² + cos² = 1
        assertEquals("0", SESSION.eval("Simplify[D[Sin[x]^2, x] - 2*Sin[x]*Cos[x]]"));
        assertEquals("1", SESSION.simplify("Sin[x]^2 + Cos[x]^2", 5));
        // d/dc arccos(c) = −1/√(1 − c²)
        assertEquals("0", SESSION.simplify("D[ArcCos[c], c] + 1/Sqrt[1 - c^2]", 5));
    }

    @Test
    void numericIntegrationGoesThroughHipparchus() {
        // ∫ exp(−x²) over the line = √π
        double v = SESSION.numeric("NIntegrate[Exp[-x^2], {x, -10, 10}]");
        assertEquals(Math.sqrt(Math.PI), v, 1e-9);
    }
}
