package io.github.ntk4j.math;

/**
 * The two infinite-width kernels of one pair of inputs.
 *
 * @param nngp the NNGP kernel K(x, y)
 * @param ntk the neural tangent kernel Θ(x, y)
 */
public record KernelValue(double nngp, double ntk) {

    /**
     * @param kind which kernel
     * @return its value
     */
    public double get(KernelKind kind) {
        return kind == KernelKind.NTK ? ntk : nngp;
    }
}
