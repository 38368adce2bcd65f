package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.examples.FourierFeaturesExample;
import io.github.ntk4j.examples.KernelExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The programs in examples/ compile with the tests and run here, so they cannot rot. */
class ExamplesTest {

    static String capture(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void kernelExampleRuns() {
        String out = capture(() -> KernelExample.main(new String[0]));
        assertTrue(out.contains("NTK  Θ(x,y) = ") && !out.contains("NaN"), out);
    }

    @Test
    void fourierFeaturesExampleRuns() {
        String out = capture(() -> FourierFeaturesExample.main(new String[0]));
        assertTrue(out.contains("fourier σ=10") && !out.contains("NaN"), out);
    }
}
