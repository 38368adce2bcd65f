package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.net.Activation;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;
import org.junit.jupiter.api.Test;

/**
 * fn("EXPR") activations whose Gaussian integrals do not exist, or that are undefined on part of
 * the real line, are refused at once with the true reason; the
 * removable singularities and growing functions that do have Gaussian integrals are accepted, and
 * their duals match values computed independently of the quadrature.
 */
class ExpressionDomainTest {
    private static final SymjaActivationFactory FACTORY = new SymjaActivationFactory();

    private static String refusal(String expression) {
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> FACTORY.create(expression), expression);
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("fn(\"" + expression + "\") "), m);
        assertFalse(m.contains("grows like"), m);
        assertFalse(m.contains("NaN") || m.contains("Infinity"), m);
        return m;
    }

    private static void refused(String expression, String reason) {
        String m = refusal(expression);
        assertTrue(m.contains(reason), expression + " -> " + m);
    }

    @Test
    void polesAreRefusedWhereTheyAre() {
        // reproducers
        refused("1/x", "has a pole at x = 0: E[φ(u)²] does not exist for a Gaussian u");
        refused("Coth(x)", "has a pole at x = 0:");
        refused("Tan(x)", "has a pole at x = 1.5708:");
        refused("1/(x-0.5)", "has a pole at x = 0.5:");
        // variants: other functions, several poles, a removable point next to a pole, far out
        refused("Sec(x)", "has a pole at x = 1.5708:");
        refused("Csc(x)", "has a pole at x = 0:");
        refused("Cot(x)", "has a pole at x = 0:");
        refused("Csch(x)", "has a pole at x = 0:");
        refused("1/(x^2-1)", "has a pole at x = 1:");
        refused("1/x^2", "has a pole at x = 0:");
        refused("Cos(x)/x", "has a pole at x = 0:");
        refused("x/Sin(x)", "has a pole at x = 3.14159:");
        refused("1/(Exp(x)-1)", "has a pole at x = 0:");
        refused("Tan(x^2)", "has a pole at x = 1.25331:");
        refused("1/(x^2-0.000001)", "has a pole at x = 0.001:");
        refused("1/(x-1000)", "has a pole at x = 1000:");
        refused("1/(x-4294967296)", "has a pole at x = 4.29497e+09:");
    }

    @Test
    void singularDerivativesAreRefusedToo() {
        // the NTK needs E[φ'(u)φ'(v)]: a log singularity in φ is a pole in φ'
        refused("Log(x^2)", "has a derivative with a pole at x = 0: E[φ'(u)²], which the NTK needs, does not exist");
        refused("Sin(1/x)", "has a derivative with a pole at x = 0");
        refused("x*Log(x^2)", "has a derivative φ' unbounded near x = 0: ntk4j integrates only activations whose φ and φ'"
                + " are finite on the whole real line");
    }

    @Test
    void partlyUndefinedFunctionsAreRefusedWithTheirDomain() {
        // once these were "grows like exp(1.77·x²)"
        refused("Sqrt(x)", "is undefined for x < 0 (not a real number there)");
        refused("Log(x)", "is undefined for x < 0");
        refused("x^0.5", "is undefined for x < 0");
        refused("ArcSin(x)", "is undefined outside [-1, 1]");
        // variants
        refused("x^(-1/2)", "is undefined for x < 0");
        refused("x^(1/3)", "is undefined for x < 0");
        refused("x^x", "is undefined for x < 0");
        refused("ArcCos(x)", "is undefined outside [-1, 1]");
        refused("ArcTanh(x)", "is undefined outside [-1, 1]");
        refused("ArcCosh(x)", "is undefined for x < 1");
        refused("Sqrt(x-0.3)", "is undefined for x < 0.3");
        refused("Log(1-x^2)", "is undefined outside [-1, 1]");
        refused("Sqrt(Sin(x))", "is undefined for -3.14159 < x < 0 and for 3.14159 < x < 6.28319");
    }

    @Test
    void boundedAndGrowingFunctionsAreAccepted() {
        // removable singularities, jumps of nothing, growth of every integrable kind
        for (String e : new String[] {"Sin(x)/x", "Sin(1000*x)/x", "(Exp(x)-1)/x", "(1-Cos(x))/x^2", "(Exp(x)-1-x)/x^2", "x/(Exp(x)-1)",
            "Sinh(x)/x", "Erf(x)/x", "Sqrt(x^2)", "Sqrt(1+x^2)", "Log(1+x^2)", "Log(1+Exp(x))", "x*Tanh(Log(1+Exp(x)))",
            "1/(1+x^2)", "1/(2+Sin(x)-Cos(x))", "x^3", "Sinh(x)", "Cosh(x)", "Exp(x)", "2^x", "Tanh(x)", "Erf(x)", "Erfc(x)",
            "Sech(x)", "ArcTan(x)", "ArcSinh(x)", "Exp(-x^2)", "Sin(x)+x^2/4"}) {
            Activation a = FACTORY.create(e);
            assertEquals("fn(\"" + e + "\")", a.spec());
        }
        // growth like exp(c·x²) is not a domain fault: accepted here, refused by variance later
        Activation g = FACTORY.create("Exp(x^2)");
        assertTrue(Double.isFinite(g.mapVariance(0.1)));
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> g.mapVariance(1));
        assertTrue(e.getMessage().contains("grows like exp("), e.getMessage());
        FACTORY.create("1/Erfc(x)");
    }

    /**
     * sinc(x) = ∫₀¹ cos(xt) dt, so with u, v centred Gaussian (variances a, b, covariance c)
     * E[sinc(u) sinc(v)] = ∫∫ exp(−(s²a + t²b)/2) cosh(stc) ds dt over the unit square, and
     * sinc'(x) = −∫₀¹ t sin(xt) dt gives E[sinc'(u) sinc'(v)] = ∫∫ st exp(−(s²a + t²b)/2) sinh(stc).
     * Both integrands are entire: 40×40 Gauss–Legendre points give them to rounding.
     */
    private static double sincReference(double a, double c, double b, boolean derivative) {
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(40);
        double[] n = rule.getFirst();
        double[] w = rule.getSecond();
        double sum = 0;
        for (int i = 0; i < n.length; i++) {
            double s = 0.5 * (n[i] + 1);
            for (int j = 0; j < n.length; j++) {
                double t = 0.5 * (n[j] + 1);
                double g = Math.exp(-(s * s * a + t * t * b) / 2);
                sum += 0.25 * w[i] * w[j] * (derivative ? s * t * g * Math.sinh(s * t * c) : g * Math.cosh(s * t * c));
            }
        }
        return sum;
    }

    @Test
    void sincKeepsItsValues() {
        Activation sinc = FACTORY.create("Sin(x)/x");
        double[][] cov = {{1, 0.3, 0.8}, {0.625, 0.625, 0.625}, {2.5, -1.1, 1.7}, {0.04, 0.01, 0.09}, {4, 3.9, 4}};
        for (double[] k : cov) {
            double t = sincReference(k[0], k[1], k[2], false);
            double td = sincReference(k[0], k[1], k[2], true);
            assertEquals(t, sinc.dual(k[0], k[1], k[2]), 1e-12 * Math.abs(t), "T at " + java.util.Arrays.toString(k));
            assertEquals(td, sinc.dualDerivative(k[0], k[1], k[2]), 1e-12 * Math.abs(td), "Ṫ at " + java.util.Arrays.toString(k));
        }
        // negative control: the reference tells sinc from a neighbour
        Activation other = FACTORY.create("Sin(1.01*x)/x");
        assertTrue(Math.abs(other.dual(1, 0.3, 0.8) - sincReference(1, 0.3, 0.8, false)) > 1e-4);
    }

    @Test
    void sinKeepsItsClosedForm() {
        // E[sin u sin v] = e^{−(a+b)/2} sinh c, E[cos u cos v] = e^{−(a+b)/2} cosh c
        Activation sin = FACTORY.create("Sin(x)");
        double[][] cov = {{1, 0.3, 0.8}, {2.5, -1.1, 1.7}, {0.04, 0.01, 0.09}};
        for (double[] k : cov) {
            double e = Math.exp(-(k[0] + k[2]) / 2);
            assertEquals(e * Math.sinh(k[1]), sin.dual(k[0], k[1], k[2]), 1e-12 * e * Math.abs(Math.sinh(k[1])));
            assertEquals(e * Math.cosh(k[1]), sin.dualDerivative(k[0], k[1], k[2]), 1e-12 * e * Math.cosh(k[1]));
        }
    }

    /** Every enclosure holds the values of the compiled closure at points inside the interval. */
    @Test
    void intervalsEncloseThePointValues() {
        String[] exprs = {"Sin(x)/x", "x*Tanh(Log(1+Exp(x)))", "1/(x^2-1)", "Sqrt(1+x^2)-x", "Erf(x)*Cos(3*x)", "Tan(x)",
            "Sec(x)+Csc(x)", "x^(1/3)", "ArcSin(x/4)", "ArcCosh(2+x^2)", "Sinh(x)*Sech(x)^2", "2^x-Erfc(x)", "Cot(x)*Coth(x)",
            "ArcTanh(x/5)", "Log(2+Sin(x))", "(x-1)^7/(3+x^4)", "Abs(x)^3"};
        Random rnd = new Random(19);
        SymjaSession s = SymjaSession.shared();
        for (String text : exprs) {
            Expr e;
            try {
                e = ExprParser.parse(s.eval(text));
            } catch (Ntk4jException ex) {
                continue; // not readable here (helper lanes differ on Abs): nothing to check
            }
            DoubleUnaryOperator f = SymjaActivationFactory.compile(e);
            for (int trial = 0; trial < 2000; trial++) {
                // |x| ≤ 50: beyond, some closures overflow to ∞/∞ = NaN where φ is defined
                // (mish as Symja writes it, at x > 355), which is the quadrature's finite check's business
                double mid = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(4) - 1);
                double half = Math.pow(10, -rnd.nextInt(12)) * rnd.nextDouble();
                double lo = mid - half;
                double hi = mid + half;
                ExpressionDomain.Iv iv = ExpressionDomain.eval(e, lo, hi);
                for (int p = 0; p < 5; p++) {
                    double x = lo + (hi - lo) * rnd.nextDouble();
                    double v = f.applyAsDouble(x);
                    if (Double.isNaN(v)) {
                        assertTrue(iv.def() != 0, text + " NaN at " + x + " but defined on [" + lo + ", " + hi + "]");
                    } else {
                        assertTrue(iv.def() != 2, text + " defined at " + x + " but nowhere on [" + lo + ", " + hi + "]");
                        assertTrue(iv.lo() <= v && v <= iv.hi() || iv.singular(),
                                text + "(" + x + ") = " + v + " outside " + iv + " on [" + lo + ", " + hi + "]");
                    }
                }
            }
        }
    }

    @Test
    void everyFunctionOfTheReaderHasAnIntervalRule() {
        for (String name : Functions.known().split(", ")) {
            assertTrue(ExpressionDomain.KNOWN.contains(name), name + " has no interval rule in ExpressionDomain");
        }
    }

    @Test
    void pointsArePrintedShort() {
        assertEquals("0", ExpressionDomain.format(3e-12));
        assertEquals("0.5", ExpressionDomain.format(0.5000000001));
        assertEquals("-1.5708", ExpressionDomain.format(-Math.PI / 2));
        assertEquals("1000", ExpressionDomain.format(1000));
        assertEquals("4.29497e+09", ExpressionDomain.format(4294967296.0));
    }
}
