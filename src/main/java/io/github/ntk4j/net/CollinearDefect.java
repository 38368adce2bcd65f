package io.github.ntk4j.net;

import org.hipparchus.analysis.integration.gauss.HermiteRuleFactory;

/**
 * The output's D' = T(x,x)T(y,y) − T² and E' = T(x,x) + T(y,y) − 2T of a smooth activation
 * without cancellation for nearly collinear pairs (docs/KERNEL-RECURSION.md §5), where forming them by
 * subtraction would leave only absolute accuracy and a following ReLU-type layer, whose angle
 * comes from √D', would lose half the digits (measured: 3e-10 relative after gelu → relu).
 *
 * <p>With T0 = T(Σxx, √(ΣxxΣyy), Σyy), the dual at the collinear pair with the same variances,
 * <pre>
 *   D' = G + (T0 − T)(T0 + T),   E' = H + 2(T0 − T)
 *   G  = T(x,x)T(y,y) − T0² = ½ E[(φ(σx z)φ(σy z') − φ(σx z')φ(σy z))²]    (z, z' independent)
 *   H  = T(x,x) + T(y,y) − 2T0 = E[(φ(σx z) − φ(σy z))²]
 *   T0 − T = ∫_Σxy^√(ΣxxΣyy) Ṫ dc   (Simpson's rule; the interval is D/(√(ΣxxΣyy) + Σxy))
 * </pre>
 * G and H are expectations of squares, evaluated by Gauss–Hermite quadrature (40 nodes per
 * dimension, from Hipparchus): no cancellation, and they only need a few correct digits since
 * they are themselves small. Used only when the plain difference would cancel (D' below 1e-3
 * of T(x,x)T(y,y)).
 */
final class CollinearDefect {
    private static final int N = 40;
    private static final double[] X;
    private static final double[] W;
    static {
        org.hipparchus.util.Pair<double[], double[]> r = new HermiteRuleFactory().getRule(N);
        X = r.getFirst().clone();
        W = r.getSecond().clone();
    }
    /** Relative size of D' below which the plain difference loses too many digits. */
    static final double CANCELLATION = 1e-3;

    private CollinearDefect() {
    }

    /**
     * Sets D' and E' of pair k from T (already computed), T(x,x), T(y,y), by subtraction when
     * that is accurate and by the formulas above otherwise.
     */
    static void carry(Activation act, CovarianceBatch p, int k, double t) {
        double txx = p.kxxOut[k];
        double tyy = p.kyyOut[k];
        double dPlain = txx * tyy - t * t;
        double a = p.kxx[k];
        double b = p.kyy[k];
        if (dPlain >= CANCELLATION * txx * tyy || a <= 0 || b <= 0 || t <= 0) {
            p.d[k] = Math.max(dPlain, 0);
            p.e[k] = Math.max(txx + tyy - 2 * t, 0);
            return;
        }
        double c = p.kxy[k];
        double c0 = Math.sqrt(a) * Math.sqrt(b);
        double delta = c > 0 ? p.d[k] / (c0 + c) : c0 - c;
        double gap = delta / 6 * (act.dualDerivative(a, c, b) + 4 * act.dualDerivative(a, c + 0.5 * delta, b)
                + act.dualDerivative(a, c0, b));
        double t0 = t + gap;
        double sx = Math.sqrt(2 * a);
        double sy = Math.sqrt(2 * b);
        double[] fx = new double[N];
        double[] fy = new double[N];
        for (int i = 0; i < N; i++) {
            fx[i] = act.apply(sx * X[i]);
            fy[i] = act.apply(sy * X[i]);
        }
        double g = 0;
        double h = 0;
        for (int i = 0; i < N; i++) {
            double di = fx[i] - fy[i];
            h += W[i] * di * di;
            for (int j = i + 1; j < N; j++) {
                // fx_i fy_j − fx_j fy_i = fx_i (fy_j − fx_j) − fx_j (fy_i − fx_i): differences first
                double m = fx[i] * (fy[j] - fx[j]) - fx[j] * (fy[i] - fx[i]);
                g += W[i] * W[j] * m * m;
            }
        }
        g /= Math.PI; // ½ Σ_{i≠j} = Σ_{i<j}; weights for e^{−x²} in two dimensions sum to π
        h /= Math.sqrt(Math.PI);
        p.d[k] = Math.max(g + gap * (t0 + t), 0);
        p.e[k] = Math.max(h + 2 * gap, 0);
    }
}
