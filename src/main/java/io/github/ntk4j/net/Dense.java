package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelBatch;

/**
 * A fully connected layer, neural-tangents' {@code stax.Dense(out_dim, W_std, b_std,
 * parameterization)}.
 * <ul>
 * <li>NTK parameterisation (docs/KERNEL-RECURSION.md §2): h = (W_std/√n) W g + b_std b with W, b entries
 * i.i.d. N(0, 1) and n the fan-in.</li>
 * <li>Standard parameterisation ({@link Parameterization#STANDARD}, Sohl-Dickstein et al. 2020):
 * W entries N(0, W_std²/N), b entries N(0, b_std²), N the base fan-in ({@link KernelBatch#fanIn}).
 * Same function at initialisation, different gradients.</li>
 * </ul>
 *
 * <p>Kernel rule (docs/KERNEL-RECURSION.md §3, neural-tangents' {@code Dense.kernel_fn}): K ← W_std² K + b_std²
 * in both; Θ ← K_new + W_std² Θ (NTK) or Θ ← N·K_old + W_std² Θ + 1 (standard); and for the
 * quantities that cancel (§5): D ← W_std⁴ D + W_std² b_std² E, E ← W_std² E.
 *
 * @param wStd the weight standard deviation W_std ≥ 0
 * @param bStd the bias standard deviation b_std ≥ 0
 * @param parameterization NTK or standard
 */
public record Dense(double wStd, double bStd, Parameterization parameterization) implements Layer {

    /**
     * Checks the standard deviations.
     *
     * @param wStd W_std, finite and ≥ 0
     * @param bStd b_std, finite and ≥ 0
     * @param parameterization NTK or standard, not null
     */
    public Dense {
        check("W_std", wStd);
        check("b_std", bStd);
        if (parameterization == null) {
            throw Messages.invalid("the parameterization of a dense layer is null");
        }
    }

    /**
     * A Dense layer in NTK parameterisation.
     *
     * @param wStd W_std, finite and ≥ 0
     * @param bStd b_std, finite and ≥ 0
     */
    public Dense(double wStd, double bStd) {
        this(wStd, bStd, Parameterization.NTK);
    }

    /**
     * @param p the parameterisation
     * @return this layer with parameterisation p
     */
    public Dense with(Parameterization p) {
        return p == parameterization ? this : new Dense(wStd, bStd, p);
    }

    /** @return whether this layer is in standard parameterisation */
    public boolean standard() {
        return parameterization == Parameterization.STANDARD;
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
        if (standard()) {
            final double n = p.fanIn;
            for (int k = 0; k < p.size; k++) {
                double old = kxy[k];
                kxy[k] = w2 * old + b2;
                d[k] = w2 * w2 * d[k] + w2 * b2 * e[k];
                e[k] = w2 * e[k];
                ntk[k] = n * old + w2 * ntk[k] + 1;
            }
            return;
        }
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
        return "dense(" + Activation.num(wStd) + "," + Activation.num(bStd)
                + (standard() ? "," + parameterization.token() : "") + ")";
    }
}
