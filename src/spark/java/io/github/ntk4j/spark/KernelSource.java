package io.github.ntk4j.spark;

import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.net.Network;
import io.github.ntk4j.net.NetworkSpec;
import java.io.Serializable;

/**
 * The kernel as Spark ships it to executors: the network's spec text ({@link Network#spec},
 * which {@link NetworkSpec#parse} reads back), from which each task rebuilds the analytic
 * engine ({@link NtkRecursion}) on one thread (a task is one core's work).
 */
public final class KernelSource implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String spec;
    private transient KernelFunction engine;

    private KernelSource(String spec) {
        this.spec = spec;
    }

    /**
     * @param network the network whose NTK/NNGP is wanted
     * @return its kernel source
     */
    public static KernelSource of(Network network) {
        KernelSource s = new KernelSource(network.spec());
        s.get(); // fail here, on the driver, if the spec does not read back
        return s;
    }

    /** @return the engine for a task: one thread, no progress (built once per deserialised copy) */
    public KernelFunction get() {
        KernelFunction e = engine;
        if (e == null) {
            e = NtkRecursion.of(NetworkSpec.parse(spec)).withThreads(1);
            engine = e;
        }
        return e;
    }

    /**
     * @param threads threads on the driver
     * @return the engine for the driver's own work (the centres' kernel)
     */
    public KernelFunction driver(int threads) {
        return NtkRecursion.of(NetworkSpec.parse(spec)).withThreads(threads);
    }

    /** @return the network's spec */
    public String spec() {
        return spec;
    }
}
