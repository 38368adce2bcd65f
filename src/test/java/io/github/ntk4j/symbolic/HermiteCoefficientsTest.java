package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.net.Activations;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the tabulated duals against first principles. On the sphere (Σxx = Σyy = 1) a dual
 * is a power series in u = Σxy whose k-th Maclaurin coefficient is a_k², the square of the
 * k-th normalised Hermite coefficient a_k = E[φ(x) He_k(x)]/√(k!) of φ under x ~ N(0, 1)
 * (Mehler's formula). Both sides are exact: the series comes from the derived expression
 * (ntk4j's recursion and Symja's Series), the coefficients from Symja's Integrate of
 * monomials against the Gaussian and its HermiteH polynomials, coefficient by coefficient,
 * k = 0 … 7.
 *
 * <ul>
 * <li>ReLU: E[φ He_k] = (1/√(2π)) ∫₀^∞ x He_k(x) e^(−x²/2) dx. Series of
 * (√(1−u²) + (π − arccos u) u)/(2π) = 1/(2π) + u/4 + u²/(4π) + u⁴/(48π) + ….</li>
 * <li>erf, whose sphere dual is (2/π) arcsin(2u/3): by Gaussian integration by parts
 * E[φ He_k] = E[φ^(k)], and by Rodrigues' formula erf^(k)(x) = (2/√π)(−1)^(k−1) H_(k−1)(x)
 * e^(−x²), so E[φ He_k] = (2/√π)(−1)^(k−1) (1/√(2π)) ∫ H_(k−1)(x) e^(−3x²/2) dx.</li>
 * </ul>
 * He_k(x) = 2^(−k/2) H_k(x/√2) relates Symja's (physicists') HermiteH to the probabilists'
 * polynomials.
 */
class HermiteCoefficientsTest {
    private static final SymjaSession SESSION = SymjaSession.shared();
    private static final int N = 8;
    private final Map<String, String> integrals = new HashMap<>();

    /** ∫ x^m e^(−s x²/2) over [0, ∞) by Symja's Integrate, each computed once. */
    private String halfLineMoment(int m, int s) {
        return integrals.computeIfAbsent(m + "/" + s,
                key -> SESSION.eval("Integrate[x^" + m + "*Exp[-" + s + "*x^2/2],{x,0,Infinity}]"));
    }

    /** Coefficients of a polynomial in x, lowest first, from Symja. */
    private List<String> coefficients(String poly) {
        String list = SESSION.eval("CoefficientList[Expand[" + poly + "],x]");
        List<String> out = new ArrayList<>();
        for (String c : list.substring(1, list.length() - 1).split(",")) {
            out.add(c.strip());
        }
        return out;
    }

    private List<String> sphereSeries(String activation) {
        Network net = Network.fullyConnected(Activations.of(activation), 1, 1, 0);
        SymbolicKernel k = SymbolicRecursion.of(net, SymbolicOptions.defaults().withSphere(true).withExpanded(true)).derive(SESSION);
        return SESSION.maclaurin(k.nngpClosed().orElseThrow(), "u", N);
    }

    private void compare(String name, int k, String hermiteSquared, String seriesCoefficient) {
        String diff = "(" + hermiteSquared + ")-(" + seriesCoefficient + ")";
        assertTrue(SESSION.simplifiesToZero(diff, 5),
                name + " k=" + k + ": a_k² = " + SESSION.eval(hermiteSquared) + " but series coefficient " + seriesCoefficient);
        assertEquals(SESSION.numeric(hermiteSquared), SESSION.numeric(seriesCoefficient), 1e-15, name + " k=" + k);
        System.out.printf("%s k=%d: a_k^2 = %s, Maclaurin coefficient = %s%n", name, k, SESSION.eval(hermiteSquared),
                seriesCoefficient);
    }

    @Test
    void reluDualIsTheSumOfSquaredHermiteCoefficients() {
        List<String> series = sphereSeries("relu");
        assertEquals(N, series.size());
        for (int k = 0; k < N; k++) {
            List<String> he = coefficients("2^(-" + k + "/2)*HermiteH[" + k + ",x/Sqrt[2]]");
            StringBuilder mean = new StringBuilder("0");
            for (int m = 0; m < he.size(); m++) {
                if (!he.get(m).equals("0")) {
                    // x·He_k(x) contributes x^(m+1)
                    mean.append("+(").append(he.get(m)).append(")*(").append(halfLineMoment(m + 1, 1)).append(')');
                }
            }
            String a2 = "((" + mean + ")/Sqrt[2*Pi])^2/" + k + "!";
            compare("relu", k, a2, series.get(k));
        }
        // the values stated in docs/KERNEL-RECURSION.md §4
        assertEquals(1 / (2 * Math.PI), SESSION.numeric(series.get(0)), 1e-16);
        assertEquals(0.25, SESSION.numeric(series.get(1)), 1e-16);
        assertEquals(1 / (4 * Math.PI), SESSION.numeric(series.get(2)), 1e-16);
        assertEquals(0, SESSION.numeric(series.get(3)), 1e-16);
        assertEquals(1 / (48 * Math.PI), SESSION.numeric(series.get(4)), 1e-16);
    }

    @Test
    void erfDualIsTheSumOfSquaredHermiteCoefficients() {
        List<String> series = sphereSeries("erf");
        assertEquals(N, series.size());
        // the sphere dual itself: (2/π) arcsin(2u/3)
        assertEquals(SESSION.numeric("N[(2/Pi)*ArcSin[2*(3/10)/3]]"),
                SESSION.numeric(SESSION.substitute(seriesSource("erf"), List.of("u"), List.of("3/10"))), 1e-15);
        for (int k = 0; k < N; k++) {
            String mean;
            if (k == 0) {
                mean = "0"; // erf is odd
            } else {
                List<String> h = coefficients("HermiteH[" + (k - 1) + ",x]");
                StringBuilder integral = new StringBuilder("0");
                for (int j = 0; j < h.size(); j += 2) {     // odd powers integrate to 0 over the line
                    if (!h.get(j).equals("0")) {
                        integral.append("+(").append(h.get(j)).append(")*2*(").append(halfLineMoment(j, 3)).append(')');
                    }
                }
                mean = "(2/Sqrt[Pi])*(-1)^" + (k - 1) + "*(" + integral + ")/Sqrt[2*Pi]";
            }
            String a2 = "(" + mean + ")^2/" + k + "!";
            compare("erf", k, a2, series.get(k));
        }
    }

    private String seriesSource(String activation) {
        Network net = Network.fullyConnected(Activations.of(activation), 1, 1, 0);
        return SymbolicRecursion.of(net, SymbolicOptions.defaults().withSphere(true).withExpanded(true)).derive(SESSION)
                .nngpClosed().orElseThrow();
    }
}
