package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.examples.smile.SmileExample;
import io.github.ntk4j.examples.smile.SmileKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.Test;
import smile.math.kernel.LinearKernel;

/**
 * The Smile example (examples/.../smile, Smile 2.6.0 at test scope): the adapter's value is the
 * kernel's, and Smile's SVM with the NTK separates two rings that its linear kernel cannot.
 */
class SmileKernelTest {
    private static final Network NET = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");

    @Test
    void smileSvmLearnsWithTheNtk() {
        double[] x = {1, 0};
        double[] y = {0.6, 0.8};
        assertEquals(NtkRecursion.of(NET).pair(x, y).ntk(), new SmileKernel(NtkRecursion.of(NET), KernelKind.NTK).k(x, y), 0.0);
        double ntk = SmileExample.accuracy(new SmileKernel(NtkRecursion.of(NET), KernelKind.NTK));
        double linear = SmileExample.accuracy(new LinearKernel());
        assertTrue(ntk >= 0.9, "NTK SVM accuracy " + ntk);
        assertTrue(linear <= 0.7, "negative control: the linear kernel cannot separate rings, accuracy " + linear);
    }
}
