package io.github.ntk4j.examples.smile;

import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.util.Objects;
import smile.math.kernel.MercerKernel;

/**
 * An ntk4j kernel (any {@link KernelFunction}) as a Smile kernel
 * ({@code smile.math.kernel.MercerKernel<double[]>}), for Smile's SVM, Gaussian process and
 * kernel PCA.
 *
 * <p>An example, not part of the library, compiled here against Smile 2.6.0, the last
 * Apache-2.0 release: Smile is GPL from version 3 on (where the interface is the same), so ntk4j
 * neither depends on it nor ships it; the test scope of pom.xml is the only place it appears.
 * Copy it into a project whose licence allows the Smile you use. The kernel has no
 * hyperparameters for Smile to tune: those are the network's.
 */
public final class SmileKernel implements MercerKernel<double[]> {
    private static final long serialVersionUID = 1L;

    private final transient KernelFunction kernel;
    private final KernelKind kind;

    /**
     * @param kernel the kernel function, e.g. {@code NtkRecursion.of(network)}
     * @param kind which of its kernels: NTK or NNGP
     */
    public SmileKernel(KernelFunction kernel, KernelKind kind) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    @Override
    public double k(double[] x, double[] y) {
        return kernel.pair(x, y).get(kind);
    }

    /** @return the value alone: no hyperparameters, so no gradient */
    @Override
    public double[] kg(double[] x, double[] y) {
        return new double[] {k(x, y)};
    }

    @Override
    public MercerKernel<double[]> of(double[] params) {
        return this;
    }

    @Override
    public double[] hyperparameters() {
        return new double[0];
    }

    @Override
    public double[] lo() {
        return new double[0];
    }

    @Override
    public double[] hi() {
        return new double[0];
    }

    @Override
    public String toString() {
        return "ntk4j " + kind + " " + kernel.describe();
    }
}
