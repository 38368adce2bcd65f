package io.github.ntk4j.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public surface outside cli is printed and may not grow unnoticed. */
class ApiSurfaceTest {
    /** The surface when this test was written; raise it only with a reason in the commit. */
    private static final int MAX_TYPES = 200;
    // 1400: pathkernel (issue 16) added about 130 (PathKernel.Result's 28 components, NetworkWeights,
    // PathKernelStudy and its four result records, SingleNetworkRun)
    private static final int MAX_METHODS = 1400;

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
