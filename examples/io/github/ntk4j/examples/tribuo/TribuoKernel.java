package io.github.ntk4j.examples.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.util.Objects;
import org.tribuo.math.kernel.Kernel;
import org.tribuo.math.la.SparseVector;
import org.tribuo.math.protos.KernelProto;

/**
 * An ntk4j kernel (any {@link KernelFunction}: the analytic NTK or NNGP of a network, or a kernel
 * of your own) as a Tribuo kernel ({@code org.tribuo.math.kernel.Kernel}, tribuo-math 4.3,
 * Apache-2.0), so that Tribuo's kernel models, e.g. the kernel SVM
 * {@code org.tribuo.classification.sgd.kernel.KernelSVMTrainer}, train with it.
 *
 * <p>An example, not part of the library: Tribuo stays out of ntk4j's dependencies. Copy it
 * into a project that has both (docs/LIBRARY.md). Tribuo asks for one pair at a time; a pair
 * costs what {@link KernelFunction#pair} costs. Saving a Tribuo model with this kernel in
 * Tribuo's protobuf format is not supported ({@link #serialize} says so).
 */
public final class TribuoKernel implements Kernel {
    private static final long serialVersionUID = 1L;

    private final transient KernelFunction kernel;
    private final KernelKind kind;

    /**
     * @param kernel the kernel function, e.g. {@code NtkRecursion.of(network)}
     * @param kind which of its kernels: NTK or NNGP
     */
    public TribuoKernel(KernelFunction kernel, KernelKind kind) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    @Override
    public double similarity(SparseVector a, SparseVector b) {
        return kernel.pair(a.toArray(), b.toArray()).get(kind);
    }

    @Override
    public KernelProto serialize() {
        throw new UnsupportedOperationException("an ntk4j kernel is not saved in Tribuo's protobuf format");
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Kernel");
    }

    @Override
    public String toString() {
        return "ntk4j " + kind + " " + kernel.describe();
    }
}
