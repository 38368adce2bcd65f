package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.examples.tribuo.TribuoExample;
import io.github.ntk4j.examples.tribuo.TribuoKernel;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.math.la.DenseVector;

/**
 * The Tribuo adapter (examples/.../tribuo): its similarity is the kernel's value, and Tribuo's
 * kernel SVM trained with the NTK separates two rings that Tribuo's linear kernel cannot (the
 * negative control stays near the 50 % of guessing).
 */
class TribuoKernelTest {
    /** Tribuo's trainers log their progress at INFO through java.util.logging; the suite's output stays quiet. */
    private static final java.util.logging.Logger TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");

    @BeforeAll
    static void quietTribuo() {
        TRIBUO.setLevel(java.util.logging.Level.WARNING);
    }

    private static final Network NET = NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)");

    @Test
    void similarityIsTheKernelValue() {
        double[] x = {1, 0};
        double[] y = {0.6, 0.8};
        TribuoKernel k = new TribuoKernel(NtkRecursion.of(NET), KernelKind.NTK);
        double v = k.similarity(DenseVector.createDenseVector(x).sparsify(), DenseVector.createDenseVector(y).sparsify());
        assertEquals(NtkRecursion.of(NET).pair(x, y).ntk(), v, 0.0);
        TribuoKernel nngp = new TribuoKernel(NtkRecursion.of(NET), KernelKind.NNGP);
        assertEquals(NtkRecursion.of(NET).pair(x, y).nngp(),
                nngp.similarity(DenseVector.createDenseVector(x).sparsify(), DenseVector.createDenseVector(y).sparsify()), 0.0);
    }

    @Test
    void tribuoKernelSvmLearnsWithTheNtk() {
        double ntk = TribuoExample.accuracy(new TribuoKernel(NtkRecursion.of(NET), KernelKind.NTK));
        double linear = TribuoExample.accuracy(new org.tribuo.math.kernel.Linear());
        assertTrue(ntk >= 0.9, "NTK kernel SVM accuracy " + ntk);
        assertTrue(linear <= 0.7, "negative control: the linear kernel cannot separate rings, accuracy " + linear);
    }
}
