package io.github.ntk4j.net;


/**
 * The Gabor function φ(x) = exp(−x²)·sin(x), neural-tangents' {@code Gabor}.
 *
 * <p>Duals (the complex Gaussian integral of e^{−u²−v²+i(u±v)}; neural-tangents' {@code Gabor}
 * kernel function), with S = Σxx + Σyy, Δ = 4D, r = 2S + Δ + 1, n = S + Δ + 2Σxy:
 * <pre>
 *   T = e^{−n/(2r)} · expm1(2Σxy/r) / (2√r)
 *   Ṫ = e^{−n/(2r)} (L + e^{2Σxy/r} R) / (2 r^{5/2}),
 *       L, R = 1 + 2S + 4(Σxy² + ΣxxΣyy) ∓ 4Σxy(Δ + 3S + 2)
 * </pre>
 * expm1 keeps T's relative accuracy for nearly orthogonal inputs, D comes from the recursion.
 */
final class Gabor extends Activation {
    private static final Gabor INSTANCE = new Gabor();

    private Gabor() {
    }

    /** @return the Gabor activation */
    public static Gabor instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "gabor";
    }

    @Override
    public double apply(double x) {
        return Math.exp(-x * x) * Math.sin(x);
    }

    @Override
    public double derivative(double x) {
        return Math.exp(-x * x) * (Math.cos(x) - 2 * x * Math.sin(x));
    }

    /**
     * T and Ṫ of a pair (Σxx = a, Σxy = c, Σyy = b, D = d) into out[0] and out[1], sharing the
     * exponential and the square root.
     */
    private static void duals(double a, double c, double b, double d, double[] out) {
        double s = a + b;
        double delta = 4 * d;
        double r = 2 * s + delta + 1;
        double n = s + delta + 2 * c;
        double e = Math.exp(-n / (2 * r));
        double root = Math.sqrt(r);
        out[0] = e * Math.expm1(2 * c / r) / (2 * root);
        double shared = 1 + 2 * s + 4 * (c * c + a * b);
        double diff = 4 * c * (delta + 3 * s + 2);
        out[1] = e * ((shared - diff) + Math.exp(2 * c / r) * (shared + diff)) / (2 * r * r * root);
    }

    private static double duals(double a, double c, double b, double d, int which) {
        double[] out = new double[2];
        duals(a, c, b, d, out);
        return out[which];
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return duals(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0), 0);
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return dualDerivative(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0));
    }

    @Override
    double dualDerivative(double kxx, double kxy, double kyy, double d) {
        return duals(kxx, kxy, kyy, d, 1);
    }

    @Override
    public double mapVariance(double kxx) {
        // T(s, s, s) = (1 − e^{−2s/(1+4s)})/(2√(1+4s))
        double r = 1 + 4 * kxx;
        return -Math.expm1(-2 * kxx / r) / (2 * Math.sqrt(r));
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        double[] out = new double[2];
        for (int k = 0; k < p.size; k++) {
            double a = p.kxx[k];
            double b = p.kyy[k];
            double c = p.kxy[k];
            double d = p.d[k];
            duals(a, c, b, d, out);
            p.ntk[k] *= out[1];
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
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
        String s = "((" + xx + ")+(" + yy + "))";
        String dd = "(4*((" + xx + ")*(" + yy + ")-(" + xy + ")^2))";
        String r = "(2*" + s + "+" + dd + "+1)";
        String n = "(" + s + "+" + dd + "+2*(" + xy + "))";
        return "(Exp[-" + n + "/(2*" + r + ")]*(Exp[2*(" + xy + ")/" + r + "]-1)/(2*Sqrt[" + r + "]))";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gabor;
    }

    @Override
    public int hashCode() {
        return 37;
    }
}
