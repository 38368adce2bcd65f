package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
import java.util.List;

/**
 * φ(x) = x. T = Σxy, Ṫ = 1; D and E pass through unchanged.
 */
public final class Identity extends Activation {
    private static final Identity INSTANCE = new Identity();

    private Identity() {
    }

    /** @return the identity activation */
    public static Identity instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "identity";
    }

    @Override
    protected List<Double> parameters() {
        return List.of();
    }

    @Override
    public double apply(double x) {
        return x;
    }

    @Override
    public double derivative(double x) {
        return 1;
    }

    @Override
    public double mapVariance(double kxx) {
        return kxx;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return kxy;
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return 1;
    }

    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        return new KernelRows(scaleIn, scaleIn, new double[0][], null);
    }

    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        // T = Σxy, Ṫ = 1, same scales: nothing changes
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return "(" + xy + ")";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return "1";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity;
    }

    @Override
    public int hashCode() {
        return 17;
    }
}
