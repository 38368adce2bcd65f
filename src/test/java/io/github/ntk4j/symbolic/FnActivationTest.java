package io.github.ntk4j.symbolic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.net.Activation;
import io.github.ntk4j.net.Layers;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.special.Erf;
import org.hipparchus.util.FastMath;
import org.junit.jupiter.api.Test;

/**
 * Every function of the fn language is still accepted and gives the kernel it gave before the
 * whitelist: against the closed-form activations (an independent algorithm) where one exists,
 * and otherwise against the same φ with a hand-written φ' given to {@link Activation#of}, which
 * skips the whole front end (reader, Symja, derivative, compilation).
 */
class FnActivationTest {
    private static final double[] X = {0.8, -0.3, 1.1};
    private static final double[] Y = {0.5, 0.9, -0.4};

    private static void same(KernelValue expected, KernelValue actual, double tol, String what) {
        assertEquals(expected.nngp(), actual.nngp(), tol * Math.abs(expected.nngp()), what + " nngp");
        assertEquals(expected.ntk(), actual.ntk(), tol * Math.abs(expected.ntk()), what + " ntk");
    }

    /**
     * K(X, Y) and Θ(X, Y) by the plain recursion on the activations' own duals: an fn's is the
     * 2-D quadrature of φ (the engine's pairs and Gram matrices take Mehler's series, truncated
     * at 1e-11 relative, which MehlerSeriesTest checks), a closed-form activation's its formula.
     */
    private static KernelValue spec(String net) {
        double[] v = io.github.ntk4j.TestData.plainRecursion(NetworkSpec.parse(net), X, Y);
        return new KernelValue(v[0], v[1]);
    }

    @Test
    void closedFormActivationsWrittenAsExpressions() {
        String[][] pairs = {
            {"fn(\"0.7*Sin(1.3*x+0.2)\")", "sin(0.7,1.3,0.2)"},
            {"fn(\"0.5*Cos[0.9*x-0.4]\")", "cos(0.5,0.9,-0.4)"},
            {"fn(\"1.5*Erf(0.8*x)+0.1\")", "erf(1.5,0.8,0.1)"},
            {"fn(\"0.6*Exp(0.5*x)\")", "exp(0.6,0.5)"},
            {"fn(\"2*E^(-0.3*x^2)\")", "gaussian(2,-0.3)"},
            {"fn(\"Exp(-x^2)*Sin(x)\")", "gabor"},
            {"fn(\"x\")", "identity"},
            {"fn(\"Abs(x)\")", "abs"},
            {"fn(\"Sign(x)\")", "sign"},
            {"fn(\"ABS(-x)\")", "abs"},
        };
        for (String[] p : pairs) {
            for (String net : new String[] {"dense(1.2,0.3) %s dense(1,0)", "dense(0.9,0.2) %s dense(1.1,0.1) %s dense(1,0)"}) {
                same(spec(net.replace("%s", p[1])), spec(net.replace("%s", p[0])), 1e-12, p[0]);
            }
        }
        // Abs(2*x) = 2·abs(x): a kink found through the affine argument's coefficient
        KernelValue abs = spec("dense(1.2,0.3) abs dense(1,0)");
        KernelValue twice = spec("dense(1.2,0.3) fn(\"Abs(2*x)\") dense(1,0)");
        assertEquals(4 * abs.nngp(), twice.nngp(), 1e-12 * 4 * abs.nngp());
    }

    /**
     * The Gram engine agrees with the closed forms of abs and sign on 40 random inputs, through
     * two kinked layers (measured worst 8.7e-14 relative to the diagonal; 1e-7 before the
     * quadrature resolved the inner expectation's turn at moderately correlated inputs, see
     * QuadratureActivation.integrate).
     */
    @Test
    void gramMatricesOfAbsAndSign() {
        double[][] x = new double[40][];
        java.util.Random r = new java.util.Random(19);
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        }
        for (String[] p : new String[][] {{"fn(\"Abs(x)\")", "abs"}, {"fn(\"Sign[x]\")", "sign"}}) {
            String net = "dense(1.1,0.2) %s dense(0.9,0.1) %s dense(1,0)";
            double[][] fn = NtkRecursion.of(NetworkSpec.parse(net.replace("%s", p[0]))).gram(x, io.github.ntk4j.math.KernelKind.NTK);
            double[][] ref = NtkRecursion.of(NetworkSpec.parse(net.replace("%s", p[1]))).gram(x, io.github.ntk4j.math.KernelKind.NTK);
            double worst = 0;
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    double d = Math.abs(fn[i][j] - ref[i][j]) / Math.abs(ref[i][i]);
                    worst = Math.max(worst, d);
                }
            }
            System.out.printf("Gram of %s against %s: worst difference %.2g relative to the diagonal%n", p[0], p[1], worst);
            assertTrue(worst < 1e-12, p[0] + ": " + worst);
        }
    }

    private static void byHand(String expression, DoubleUnaryOperator phi, DoubleUnaryOperator dphi) {
        Activation fn = NetworkSpec.parseActivation("fn(\"" + expression + "\")");
        for (double x = -3; x <= 3; x += 0.29) {
            assertEquals(phi.applyAsDouble(x), fn.apply(x), 1e-14 * (1 + Math.abs(phi.applyAsDouble(x))), expression + " φ(" + x + ")");
            assertEquals(dphi.applyAsDouble(x), fn.derivative(x), 1e-13 * (1 + Math.abs(dphi.applyAsDouble(x))),
                    expression + " φ'(" + x + ")");
        }
        Activation hand = Activation.of("hand", phi, dphi);
        same(NtkRecursion.of(Network.serial(Layers.dense(1.1, 0.2), hand, Layers.dense(1, 0))).pair(X, Y),
                NtkRecursion.of(Network.serial(Layers.dense(1.1, 0.2), fn, Layers.dense(1, 0))).pair(X, Y), 1e-12, expression);
    }

    @Test
    void everyFunctionOfTheLanguage() {
        byHand("Sqrt(1+x^2)", x -> Math.sqrt(1 + x * x), x -> x / Math.sqrt(1 + x * x));
        byHand("ArcTan(x)", Math::atan, x -> 1 / (1 + x * x));
        byHand("Log(1+x^2)", x -> Math.log(1 + x * x), x -> 2 * x / (1 + x * x));
        byHand("Tanh(x)", Math::tanh, x -> 1 / (Math.cosh(x) * Math.cosh(x)));
        byHand("Sinh(x/3)", x -> Math.sinh(x / 3), x -> Math.cosh(x / 3) / 3);
        byHand("Cosh(x/3)", x -> Math.cosh(x / 3), x -> Math.sinh(x / 3) / 3);
        byHand("Sech(x)", x -> 1 / Math.cosh(x), x -> -Math.tanh(x) / Math.cosh(x));
        byHand("Csch(2+Tanh(x))", x -> 1 / Math.sinh(2 + Math.tanh(x)),
            x -> -Math.cosh(2 + Math.tanh(x)) / Math.pow(Math.sinh(2 + Math.tanh(x)), 2) / Math.pow(Math.cosh(x), 2));
        byHand("Coth(2+Tanh(x))", x -> 1 / Math.tanh(2 + Math.tanh(x)),
            x -> -1 / Math.pow(Math.sinh(2 + Math.tanh(x)), 2) / Math.pow(Math.cosh(x), 2));
        byHand("Tan(Tanh(x))", x -> Math.tan(Math.tanh(x)), x -> 1 / Math.pow(Math.cos(Math.tanh(x)) * Math.cosh(x), 2));
        byHand("Sec(Tanh(x))", x -> 1 / Math.cos(Math.tanh(x)),
            x -> Math.sin(Math.tanh(x)) / Math.pow(Math.cos(Math.tanh(x)), 2) / Math.pow(Math.cosh(x), 2));
        byHand("Csc(2+Tanh(x))", x -> 1 / Math.sin(2 + Math.tanh(x)),
            x -> -Math.cos(2 + Math.tanh(x)) / Math.pow(Math.sin(2 + Math.tanh(x)), 2) / Math.pow(Math.cosh(x), 2));
        byHand("Cot(2+Tanh(x))", x -> 1 / Math.tan(2 + Math.tanh(x)),
            x -> -1 / Math.pow(Math.sin(2 + Math.tanh(x)), 2) / Math.pow(Math.cosh(x), 2));
        byHand("ArcSin(Tanh(x)/2)", x -> Math.asin(Math.tanh(x) / 2),
            x -> 0.5 / Math.pow(Math.cosh(x), 2) / Math.sqrt(1 - Math.pow(Math.tanh(x) / 2, 2)));
        byHand("ArcCos(Tanh(x)/2)", x -> Math.acos(Math.tanh(x) / 2),
            x -> -0.5 / Math.pow(Math.cosh(x), 2) / Math.sqrt(1 - Math.pow(Math.tanh(x) / 2, 2)));
        byHand("ArcTanh(Tanh(x)/2)", x -> FastMath.atanh(Math.tanh(x) / 2),
            x -> 0.5 / Math.pow(Math.cosh(x), 2) / (1 - Math.pow(Math.tanh(x) / 2, 2)));
        byHand("ArcSinh(x)", FastMath::asinh, x -> 1 / Math.sqrt(1 + x * x));
        byHand("ArcCosh(2+x^2)", x -> FastMath.acosh(2 + x * x), x -> 2 * x / Math.sqrt(Math.pow(2 + x * x, 2) - 1));
        byHand("Erfc(x)", Erf::erfc, x -> -2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
        byHand("x^3/6-Pi*x+E", x -> x * x * x / 6 - Math.PI * x + Math.E, x -> x * x / 2 - Math.PI);
        byHand("2^(-x^2)", x -> Math.pow(2, -x * x), x -> -2 * x * Math.log(2) * Math.pow(2, -x * x));
        byHand("x*Tanh(Log(1+Exp(x)))", x -> x * Math.tanh(Math.log1p(Math.exp(x))),
            x -> Math.tanh(Math.log1p(Math.exp(x))) + x / Math.pow(Math.cosh(Math.log1p(Math.exp(x))), 2) / (1 + Math.exp(-x)));
    }
}
