package io.github.ntk4j.symbolic;

import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The one-argument functions the expression reader knows besides those with a dedicated
 * double-double evaluation in {@link CompiledKernel} (Sqrt, ArcCos, ArcSin): Symja's name,
 * the Java expression that {@link JavaForm} prints and the double evaluation.
 */
final class Functions {
    private Functions() {
    }

    /** One function: Symja name, Java form, evaluation. */
    record Function(String symja, String java, DoubleUnaryOperator eval) {
    }

    private static final Map<String, Function> BY_LOWER_NAME = Map.ofEntries(
            f("Sqrt", "Math.sqrt", Math::sqrt),
            f("ArcCos", "Math.acos", Math::acos),
            f("ArcSin", "Math.asin", Math::asin),
            f("ArcTan", "Math.atan", Math::atan),
            f("Exp", "Math.exp", Math::exp),
            f("Log", "Math.log", Math::log),
            f("Abs", "Math.abs", Math::abs),
            f("Sin", "Math.sin", Math::sin),
            f("Cos", "Math.cos", Math::cos),
            f("Tan", "Math.tan", Math::tan),
            f("Sinh", "Math.sinh", Math::sinh),
            f("Cosh", "Math.cosh", Math::cosh),
            f("Tanh", "Math.tanh", Math::tanh),
            f("Sech", "1.0 / Math.cosh", x -> 1 / Math.cosh(x)),
            f("Csch", "1.0 / Math.sinh", x -> 1 / Math.sinh(x)),
            f("Coth", "1.0 / Math.tanh", x -> 1 / Math.tanh(x)),
            f("Sec", "1.0 / Math.cos", x -> 1 / Math.cos(x)),
            f("Csc", "1.0 / Math.sin", x -> 1 / Math.sin(x)),
            f("Cot", "1.0 / Math.tan", x -> 1 / Math.tan(x)),
            f("ArcTanh", "org.hipparchus.util.FastMath.atanh", org.hipparchus.util.FastMath::atanh),
            f("ArcSinh", "org.hipparchus.util.FastMath.asinh", org.hipparchus.util.FastMath::asinh),
            f("ArcCosh", "org.hipparchus.util.FastMath.acosh", org.hipparchus.util.FastMath::acosh),
            f("Erf", "org.apache.commons.numbers.gamma.Erf.value", org.apache.commons.numbers.gamma.Erf::value),
            f("Erfc", "org.apache.commons.numbers.gamma.Erfc.value", org.apache.commons.numbers.gamma.Erfc::value),
            f("Sign", "Math.signum", Math::signum));

    private static Map.Entry<String, Function> f(String name, String java, DoubleUnaryOperator eval) {
        return Map.entry(name.toLowerCase(Locale.ROOT), new Function(name, java, eval));
    }

    /**
     * @param name a function name in any case
     * @return the function, or null if unknown
     */
    static Function byName(String name) {
        return BY_LOWER_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** @return the known names, for messages */
    static String known() {
        return String.join(", ", new java.util.TreeSet<>(BY_LOWER_NAME.values().stream().map(Function::symja).toList()));
    }
}
