package io.github.ntk4j.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ELU family's inner expectations in closed form ({@link EluMoments}) against
 * {@code reference/elu-moments.json}: mpmath's quadrature at 40 digits, split at the kink
 * (src/test/python/make_elu_moments_reference.py), for elu with α = 1, 0.5, 2 and selu, spreads
 * s from 1e-10 to 30 and means from 0 (and within a few s of it) to ±60.
 */
class EluMomentsTest {
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /**
     * E[φ'] to 2e-15 relative (a sum of two non-negative terms for α ≥ 0) plus the conditioning
     * of its exponentials, 4ε(|μ| + s²/2 + a²/2) relative (the rounding of their arguments, as
     * of the nodes' e^v in the panels: 5e-14 at μ = −60); E[φ] to 2e-15 of the
     * scale |μ| + s of φ's values near the mean (where α = 1 and μ is near 0 the two sides
     * cancel to O(s²) for any method that sums φ's values, the panels included), and to 1e-13
     * relative wherever the value is at least a tenth of that scale.
     */
    @Test
    void closedFormsMatchMpmath() {
        List<String> failures = new ArrayList<>();
        double[] out = new double[2];
        int n = 0;
        for (Map<String, Object> c : TestData.cases("/reference/elu-moments.json")) {
            String name = (String) c.get("activation");
            EluMoments m = switch (name) {
                case "elu" -> new EluMoments(1, 1);
                case "elu(0.5)" -> new EluMoments(0.5, 1);
                case "elu(2)" -> new EluMoments(2, 1);
                case "selu" -> new EluMoments(SELU_ALPHA, SELU_SCALE);
                default -> throw new AssertionError(name);
            };
            double mean = TestData.num(c, "mean");
            double s = TestData.num(c, "s");
            double phi = Double.parseDouble((String) c.get("phi"));
            double dphi = Double.parseDouble((String) c.get("dphi"));
            assertTrue(m.moments(mean, s, out), name + " at mean " + mean + ", s " + s);
            double scale = Math.abs(mean) + s;
            double ePhi = Math.abs(out[0] - phi);
            double eDphi = Math.abs(out[1] - dphi);
            boolean phiOk = ePhi <= 2e-15 * scale && (Math.abs(phi) < 0.1 * scale || ePhi <= 1e-13 * Math.abs(phi));
            double a = mean / s;
            double conditioning = 4 * 0x1p-53 * (Math.abs(mean) + 0.5 * s * s + 0.5 * a * a);
            if (!phiOk || eDphi > (2e-15 + conditioning) * Math.abs(dphi)) {
                failures.add(String.format("%s mean %.3g s %.3g: E[φ] %.17g vs %.17g (%.2g of the scale), E[φ'] %.17g vs %.17g (%.2g)",
                        name, mean, s, out[0], phi, ePhi / scale, out[1], dphi, eDphi / Math.abs(dphi)));
            }
            n++;
        }
        assertTrue(n > 600, "cases read: " + n);
        assertTrue(failures.isEmpty(), failures.size() + " of " + n + ":\n" + String.join("\n", failures));
    }

    /** Outside the double range of the closed forms it declines, and the panels take over. */
    @Test
    void declinesWhereTheClosedFormsDoNotApply() {
        EluMoments m = new EluMoments(1, 1);
        double[] out = new double[2];
        assertTrue(!m.moments(0.5, 1e-130, out));
        assertTrue(!m.moments(1e40, 1, out));
        assertTrue(!m.moments(0, 1e40, out));
    }
}
