package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.net.Poly;
import java.util.List;
import java.util.Random;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.hipparchus.analysis.integration.gauss.SymmetricGaussIntegrator;
import org.junit.jupiter.api.Test;

/**
 * Polynomial activations: T = E[φ(u)φ(v)] and Ṫ = E[φ'(u)φ'(v)] for (u, v) ~ N(0, Σ), as
 * the symbolic engine has them (T from Isserlis' moments, Ṫ derived by Price's theorem) and
 * as the numeric {@link Poly#dual}, against 2-D Gauss–Hermite quadrature (Hipparchus),
 * which is exact for these polynomial integrands: with Σ = L Lᵀ (Cholesky), (u, v) = L z,
 * z ~ N(0, I), z_i = √2 t_i and ∫ f(t) e^(−t²) dt ≈ Σ w_i f(t_i).
 */
class PolyGaussHermiteTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    private static final SymmetricGaussIntegrator GH = new GaussIntegratorFactory().hermite(12);

    private interface F2 {
        double at(double u, double v);
    }

    private static double gaussian2(F2 f, double xx, double xy, double yy) {
        double l11 = Math.sqrt(xx);
        double l21 = xy / l11;
        double l22 = Math.sqrt(Math.max(yy - l21 * l21, 0));
        double s = 0;
        for (int i = 0; i < GH.getNumberOfPoints(); i++) {
            double z1 = Math.sqrt(2) * GH.getPoint(i);
            for (int j = 0; j < GH.getNumberOfPoints(); j++) {
                double z2 = Math.sqrt(2) * GH.getPoint(j);
                s += GH.getWeight(i) * GH.getWeight(j) * f.at(l11 * z1, l21 * z1 + l22 * z2);
            }
        }
        return s / Math.PI;
    }

    @Test
    void symbolicAndNumericDualsMatchQuadrature() {
        for (double[] c : new double[][] {{0.5, 1, -0.25, 0.1}, {0, 0, 1}, {0.3, -1.2, 0, 0.4, -0.05}}) {
            Poly p = new Poly(c);
            List<String> rules = SymbolicRecursion.baseRules(SESSION, p, 5);
            Random rnd = new Random(42);
            for (int n = 0; n < 4; n++) {
                double xx = 0.2 + 2 * rnd.nextDouble();
                double yy = 0.2 + 2 * rnd.nextDouble();
                double xy = (2 * rnd.nextDouble() - 1) * 0.95 * Math.sqrt(xx * yy);
                double t = gaussian2((u, v) -> p.apply(u) * p.apply(v), xx, xy, yy);
                double td = gaussian2((u, v) -> p.derivative(u) * p.derivative(v), xx, xy, yy);
                double tol = 1e-12 * Math.max(1, Math.abs(t));
                String where = p.spec() + " at " + xx + "," + xy + "," + yy;
                assertEquals(t, SESSION.numeric(rules.get(0), List.of("xx", "xy", "yy"), xx, xy, yy), tol, "symbolic T " + where);
                assertEquals(td, SESSION.numeric(rules.get(1), List.of("xx", "xy", "yy"), xx, xy, yy),
                        1e-12 * Math.max(1, Math.abs(td)), "derived Ṫ " + where);
                assertEquals(t, p.dual(xx, xy, yy), tol, "numeric T " + where);
                assertEquals(td, p.dualDerivative(xx, xy, yy), 1e-12 * Math.max(1, Math.abs(td)), "numeric Ṫ " + where);
                double var = gaussian2((u, v) -> p.apply(u) * p.apply(u), xx, xx, xx);
                assertEquals(var, SESSION.numeric(rules.get(2), List.of("xx"), xx), 1e-12 * Math.max(1, var), "T(xx,xx,xx) " + where);
            }
        }
    }
}
