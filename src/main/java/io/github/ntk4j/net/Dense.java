package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.kernel.KernelPair;

/**
 * A fully connected layer in NTK parameterisation (KERNELS.md §2, neural-tangents'
 * {@code stax.Dense(out_dim, W_std, b_std, parameterization='ntk')}):
 * h = (W_std/√n) W g + b_std b with W, b entries i.i.d. N(0, 1) and n the fan-in.
 *
 * <p>Kernel rule (KERNELS.md §3): K ← W_std² K + b_std², Θ ← K + W_std² Θ; and for the
 * quantities that cancel (§5): D ← W_std⁴ D + W_std² b_std² E, E ← W_std² E.
 *
 * @param wStd the weight standard deviation W_std ≥ 0
 * @param bStd the bias standard deviation b_std ≥ 0
 */
public record Dense(double wStd, double bStd) implements Layer {

    /**
     * Checks the standard deviations.
     *
     * @param wStd W_std, finite and ≥ 0
     * @param bStd b_std, finite and ≥ 0
     */
    public Dense {
        check("W_std", wStd);
        check("b_std", bStd);
    }

    private static void check(String what, double v) {
        if (!Double.isFinite(v)) {
            throw Messages.notFinite(what, v);
        }
        if (v < 0) {
            throw Messages.negativeStd(what, v);
        }
    }

    @Override
    public double mapVariance(double kxx) {
        return wStd * wStd * kxx + bStd * bStd;
    }

    @Override
    public void mapPair(KernelPair p) {
        double w2 = wStd * wStd;
        double b2 = bStd * bStd;
        p.kxy = w2 * p.kxy + b2;
        p.d = w2 * w2 * p.d + w2 * b2 * p.e;
        p.e = w2 * p.e;
        p.ntk = p.kxy + w2 * p.ntk;
    }

    @Override
    public String spec() {
        return "dense(" + Activation.num(wStd) + "," + Activation.num(bStd) + ")";
    }
}
