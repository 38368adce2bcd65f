package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelBatch;

/**
 * A fully connected layer in NTK parameterisation (docs/KERNEL-RECURSION.md §2, neural-tangents'
 * {@code stax.Dense(out_dim, W_std, b_std, parameterization='ntk')}):
 * h = (W_std/√n) W g + b_std b with W, b entries i.i.d. N(0, 1) and n the fan-in.
 *
 * <p>Kernel rule (docs/KERNEL-RECURSION.md §3): K ← W_std² K + b_std², Θ ← K + W_std² Θ; and for the
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
    public void mapPairs(KernelBatch p) {
        final double w2 = wStd * wStd;
        final double b2 = bStd * bStd;
        final double[] kxy = p.kxy;
        final double[] d = p.d;
        final double[] e = p.e;
        final double[] ntk = p.ntk;
        for (int k = 0; k < p.size; k++) {
            double sxy = w2 * kxy[k] + b2;
            kxy[k] = sxy;
            d[k] = w2 * w2 * d[k] + w2 * b2 * e[k];
            e[k] = w2 * e[k];
            ntk[k] = sxy + w2 * ntk[k];
        }
    }

    @Override
    public String spec() {
        return "dense(" + Activation.num(wStd) + "," + Activation.num(bStd) + ")";
    }
}
