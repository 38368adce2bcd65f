package io.github.ntk4j.net;

import io.github.ntk4j.internal.KernelMath;
import java.util.List;

/**
 * GELU, φ(x) = x·Φ(x) with Φ the standard normal distribution function (Hendrycks &amp; Gimpel
 * 2016); neural-tangents' {@code Gelu} (exact φ, not the tanh approximation).
 *
 * <p>Duals (Tsuchida et al., "Avoiding kernel fixed points: computing with ELU and GELU
 * infinite networks", 2021; neural-tangents' {@code Gelu} kernel function), with
 * δ² = (1 + Σxx)(1 + Σyy) − Σxy² = 1 + Σxx + Σyy + D (D carried without cancellation) and
 * ψ = atan2(Σxy, δ):
 * <pre>
 *   T = Σxy/4 + [ (Σxy² + ΣxxΣyy δ²) / ((1 + Σxx)(1 + Σyy) δ) + Σxy ψ ] / (2π)
 *   Ṫ = 1/4 + ψ/(2π) + Σxy/(2π δ) · (1/δ² + (1 − ΣxxΣyy)/((1 + Σxx)(1 + Σyy)) + 1)
 * </pre>
 * Every quantity is formed without subtracting nearly equal numbers once D is known.
 */
final class Gelu extends Activation {
    private static final Gelu INSTANCE = new Gelu();

    private Gelu() {
    }

    /** @return GELU */
    public static Gelu instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "gelu";
    }

    @Override
    public double apply(double x) {
        return x * Gaussians.cdf(x);
    }

    @Override
    public double derivative(double x) {
        return Gaussians.cdf(x) + x * Gaussians.pdf(x);
    }

    /**
     * T and Ṫ of a pair (Σxx = a, Σxy = c, Σyy = b, D = ΣxxΣyy − Σxy² = d) into out[0] and
     * out[1], from one square root and one arc tangent shared by both.
     */
    private static void duals(double a, double c, double b, double d, double[] out) {
        double pa = 1 + a;
        double pb = 1 + b;
        double delta2 = 1 + a + b + d;
        double delta = Math.sqrt(delta2);
        double psi = atan2(c, delta);
        out[0] = dual(a, c, b, pa, pb, delta2, delta, psi);
        out[1] = dualDerivative(a, c, b, pa, pb, delta2, delta, psi);
    }

    /** T of {@link #duals} from its shared quantities (1 + Σxx, 1 + Σyy, δ², δ, ψ). */
    private static double dual(double a, double c, double b, double pa, double pb, double delta2, double delta,
            double psi) {
        return 0.25 * c + ((c * c + a * b * delta2) / (pa * pb * delta) + c * psi) / (2 * Math.PI);
    }

    /** Ṫ of {@link #duals} from its shared quantities (1 + Σxx, 1 + Σyy, δ², δ, ψ). */
    private static double dualDerivative(double a, double c, double b, double pa, double pb, double delta2,
            double delta, double psi) {
        return 0.25 + psi / (2 * Math.PI) + c / (2 * Math.PI * delta) * (1 / delta2 + (1 - a * b) / (pa * pb) + 1);
    }

    /**
     * The batch rule ({@link Activation#mapPairs} with this class's {@link #mapCovariances}) for
     * one general pair, by the same operations in the same order, so the same bits: the state
     * turned into covariances at the actual variances (coefficients of {@link Activation#rows}:
     * Σxx, r, 1/r', s/s', Σ'xx), the duals of {@link #duals}, D' by the plain difference, and the
     * state normalised back. A pair whose D' the plain difference would not give to full
     * accuracy ({@link CollinearDefect#carry} takes its quadrature), or with an output scale of
     * 0, is left to the batch rule. Why: through a batch of one pair, pair() on a GELU network
     * ran at 3.1 times a Gram entry's cost (ntk4j bench pair, depth 5).
     */
    @Override
    public boolean mapPair(io.github.ntk4j.internal.KernelPair pair, double[] x, int xAt, double[] y, int yAt) {
        final double gx = x[xAt + 2];
        final double gj = y[yAt + 2];
        if (gx * gj == 0) {
            return false;
        }
        final double a = x[xAt];
        final double b = y[yAt];
        final double rr = x[xAt + 1] * y[yAt + 1];
        final double c = pair.c * rr;
        final double d = pair.s2 * a * b;
        final double pa = 1 + a;
        final double pb = 1 + b;
        final double delta2 = 1 + a + b + d;
        final double delta = Math.sqrt(delta2);
        final double psi = atan2(c, delta);
        final double t = dual(a, c, b, pa, pb, delta2, delta, psi);
        final double txx = x[xAt + 4];
        final double tyy = y[yAt + 4];
        final double dPlain = txx * tyy - t * t;
        if (!(dPlain >= CollinearDefect.CANCELLATION * txx * tyy) && a > 0 && b > 0 && t > 0) {
            return false; // CollinearDefect#carry's quadrature
        }
        final double dOut = Math.max(dPlain, 0);
        double c1 = t * gx * gj;
        c1 = c1 > 1 ? 1 : c1 < -1 ? -1 : c1;
        double s2 = Math.min(dOut * gx * gj * (gx * gj), 1);
        if (!(dOut >= 0x1p-960) && c1 < 1) {
            s2 = (1 - c1) * (1 + c1);
        }
        pair.c = c1;
        pair.s2 = s2;
        pair.v = c1 > 0 ? s2 / (1 + c1) : 1 - c1;
        pair.ntk = pair.ntk * dualDerivative(a, c, b, pa, pb, delta2, delta, psi) * (x[xAt + 3] * y[yAt + 3]);
        return true;
    }

    private static double duals(double a, double c, double b, double d, int which) {
        double[] out = new double[2];
        duals(a, c, b, d, out);
        return out[which];
    }

    /** atan2(y, x) for x &gt; 0, by the pure-Java arc tangent of the hot loop. */
    private static double atan2(double y, double x) {
        return KernelMath.atan(y / x);
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return duals(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0), 0);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return duals(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0), 1);
    }

    @Override
    public double mapVariance(double kxx) {
        return duals(kxx, kxx, kxx, 0, 0);
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        double[] out = new double[2];
        for (int k = 0; k < p.size; k++) {
            double a = p.kxx[k];
            double b = p.kyy[k];
            double c = p.kxy[k];
            double d = p.d[k];
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            duals(a, c, b, d, out);
            p.ntk[k] *= out[1];
            if (p.same[k]) {
                p.kxy[k] = txx;
                p.d[k] = 0;
            } else {
                CollinearDefect.carry(this, p, k, out[0]);
                p.kxy[k] = out[0];
            }
        }
    }

    @Override
    public String symbolicDual(String xx, String xy, String yy) {
        String a = "(" + xx + ")";
        String b = "(" + yy + ")";
        String c = "(" + xy + ")";
        String delta = "Sqrt[(1+" + a + ")*(1+" + b + ")-" + c + "^2]";
        return "(" + c + "/4+((" + c + "^2+" + a + "*" + b + "*((1+" + a + ")*(1+" + b + ")-" + c + "^2))/((1+" + a
                + ")*(1+" + b + ")*" + delta + ")+" + c + "*ArcTan[" + c + "/" + delta + "])/(2*Pi))";
    }

    @Override
    public String symbolicDualDerivative(String xx, String xy, String yy) {
        String a = "(" + xx + ")";
        String b = "(" + yy + ")";
        String c = "(" + xy + ")";
        String d2 = "((1+" + a + ")*(1+" + b + ")-" + c + "^2)";
        return "(1/4+ArcTan[" + c + "/Sqrt[" + d2 + "]]/(2*Pi)+" + c + "/(2*Pi*Sqrt[" + d2 + "])*(1/" + d2 + "+(1-" + a
                + "*" + b + ")/((1+" + a + ")*(1+" + b + "))+1))";
    }

    @Override
    protected List<Double> parameters() {
        return List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gelu;
    }

    @Override
    public int hashCode() {
        return 31;
    }
}
