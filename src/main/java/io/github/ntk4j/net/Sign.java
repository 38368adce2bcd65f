package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelMath;

/**
 * φ(x) = sign(x), neural-tangents' {@code Sign}.
 *
 * <p>NNGP dual (the arc-cosine kernel of degree 0, Cho &amp; Saul 2009, rescaled to ±1):
 * T = 1 − 2θ/π = (2/π)·atan(Σxy/√D) with θ the angle between the inputs; T(s, s, s) = 1 for
 * s &gt; 0 (0 for a zero input). NTK: φ' = 0 almost everywhere, so Ṫ = E[φ'(u)φ'(v)] = 0, as
 * neural-tangents defines it (∂T/∂Σxy = (2/π)/√D is the contribution of the delta function
 * at 0, which gradient descent never sees); hence no Price's theorem here. The recursion
 * carries θ and δ = π − θ from atan of √D and Σxy and the output's D' = 1 − T² = 4θδ/π²,
 * E' = 2 − 2T = 4θ/π without cancellation.
 */
public final class Sign extends Activation {
    private static final Sign INSTANCE = new Sign();

    private Sign() {
    }

    /** @return sign */
    public static Sign instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public double apply(double x) {
        return Math.signum(x);
    }

    @Override
    public double derivative(double x) {
        return 0;
    }

    @Override
    public boolean dualDerivativeByPriceTheorem() {
        return false;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return dualOfOnePair(kxx, kxy, kyy, false);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return 0;
    }

    @Override
    public double mapVariance(double kxx) {
        return kxx > 0 ? 1 : 0;
    }

    /** Reads the angle scale-free; its outputs are of order 1. */
    @Override
    boolean needsProductsOfVariances() {
        return false;
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        for (int k = 0; k < p.size; k++) {
            p.ntk[k] = 0;
            if (p.kxx[k] == 0 || p.kyy[k] == 0) {
                p.kxy[k] = 0;
                p.d[k] = 0;
                p.e[k] = p.kxxOut[k] + p.kyyOut[k];
                continue;
            }
            if (p.same[k]) {
                p.kxy[k] = 1;
                p.d[k] = 0;
                p.e[k] = 0;
                continue;
            }
            // the angle from the scale-free state (CovarianceBatch#cos): Σxy and √D over- or
            // underflow at variances beyond about 1e±154
            double sd = Math.sqrt(p.sin2[k]);
            double c = p.cos[k];
            double th = KernelMath.angle(c, sd);
            double de = KernelMath.angle(-c, sd); // π − θ without cancellation
            // T = (2/π)(π/2 − θ): for nearly orthogonal inputs by atan(Σxy/√D) itself (as the difference
            // of the two angles, nearly π/2 each, it lost the digits of a small T: 1.1e-1 of a T of
            // 6e-16 after rectified_monomial(2) on nearly anti-collinear inputs, 3.6e-8 of one of 1e-8)
            p.kxy[k] = Math.abs(c) < sd ? 2 / Math.PI * KernelMath.atan(c / sd) : (de - th) / Math.PI;
            p.d[k] = 4 * th * de / (Math.PI * Math.PI);
            p.e[k] = 4 * th / Math.PI;
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        return "(2/Pi*ArcSin[(" + xy + ")/Sqrt[(" + xx + ")*(" + yy + ")]])";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        return "0";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sign;
    }

    @Override
    public int hashCode() {
        return 41;
    }
}
