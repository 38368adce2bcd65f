/**
 * ntk4j: exact infinite-width NTK and NNGP kernels of fully connected networks, numeric and
 * symbolic, validated against finite-width Monte Carlo, with kernel learning on top.
 *
 * <p>Exported: the API packages. Not exported: {@code internal} (engine state, messages, memory
 * checks, workers), {@code bench} (the benchmark harness), and the command line ({@code cli},
 * {@code plot}), which is not in the library jar at all (it is in the CLI jar, run from the class
 * path). Optional at run time ({@code requires static}): Symja for {@code symbolic}, OpenBLAS
 * through JavaCPP for native linear algebra in {@code learn} (add {@code --add-modules
 * org.bytedeco.openblas} or require it from your module; without it learn/ runs on EJML), and
 * picocli and XChart for the command line. docs/LIBRARY.md shows it on the module path.
 *
 * <p>Compiled apart from the classes (pom.xml, execution {@code module-info}): Hipparchus, EJML
 * and Symja have no module names of their own, so they are required by their file-derived
 * automatic names ({@code hipparchus.core}, {@code ejml.ddense}, {@code ejml.core},
 * {@code matheclipse.core}).
 */
module io.github.ntk4j {
    requires transitive hipparchus.core; // math.GramMatrices.asRealMatrix returns a Hipparchus RealMatrix
    requires org.apache.commons.numbers.gamma; // erf and erfc (net.Erf, net.Gelu, fn expressions)
    requires ejml.core;
    requires ejml.ddense;
    requires com.fasterxml.jackson.core;
    requires ch.randelshofer.fastdoubleparser;
    requires java.management;

    requires static org.bytedeco.javacpp;
    requires static org.bytedeco.openblas;
    requires static matheclipse.core;
    requires static info.picocli;
    requires static org.knowm.xchart;
    requires static java.desktop;

    exports io.github.ntk4j;
    exports io.github.ntk4j.math;
    exports io.github.ntk4j.io;
    exports io.github.ntk4j.net;
    exports io.github.ntk4j.kernel;
    exports io.github.ntk4j.symbolic;
    exports io.github.ntk4j.finite;
    exports io.github.ntk4j.learn;
    exports io.github.ntk4j.study;

    // fn("expr") activations: net finds the symbolic engine's factory as a service
    uses io.github.ntk4j.net.ExpressionActivationFactory;
    provides io.github.ntk4j.net.ExpressionActivationFactory with io.github.ntk4j.symbolic.SymjaActivationFactory;
}
