package io.github.ntk4j.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public surface outside cli is printed and may not grow unnoticed. */
class ApiSurfaceTest {
    /** The surface when this test was written; raise it only with a reason in the commit. */
    private static final int MAX_TYPES = 200;
    // 1400: pathkernel added about 130 (PathKernel.Result's 28 components, NetworkWeights,
    // PathKernelStudy and its four result records, SingleNetworkRun)
    // 1450: the IDX loaders and held-out selection added about 50 (io.Idx, io.LabelledData,
    // learn.HoldoutSelection with its Trial and Result records, FalkonRegressor.Problem and Timing);
    // eight activation classes then became package-private (net.Layers makes them)
    // 1455: KernelFunction.gramFlat (rows copied by G1, one array not) and internal
    // DataChecks.oneOutputTargets, which replaced two copies of the same checks
    private static final int MAX_METHODS = 1455;

    @Test
    void publicSurfaceIsCountedAndBounded() throws Exception {
        ApiSurface.Count all = ApiSurface.count(Path.of("target/classes"), true);
        ApiSurface.Count api = ApiSurface.count(Path.of("target/classes"), false);
        System.out.println("public surface outside cli: " + all);
        System.out.println("public surface outside cli and internal: " + api);
        assertTrue(all.types() > 50 && all.methods() > 300, "the counter sees the classes: " + all);
        assertTrue(all.types() <= MAX_TYPES && all.methods() <= MAX_METHODS, all.toString());
    }
}
