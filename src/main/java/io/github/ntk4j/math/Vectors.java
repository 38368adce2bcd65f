package io.github.ntk4j.math;

/**
 * The inner loops of ntk4j's matrix products (the analytic Gram's dot products, the finite
 * networks' forward and backward products): axpys over whole arrays, the loop shape the JIT
 * vectorises. Written by hand rather than through EJML because the callers keep one operand
 * as separate column arrays and accumulate four outputs per loaded value, which is about twice
 * as fast here as 4×4 register tiles of scalar fused multiply-adds (measured with
 * {@code bench empirical} and {@code bench gram}).
 */
public final class Vectors {
    private Vectors() {
    }

    /**
     * acc += s·v over whole arrays of equal length.
     *
     * @param acc accumulator, updated in place
     * @param s the scalar
     * @param v the vector, at least as long as acc
     */
    public static void axpy(double[] acc, double s, double[] v) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] += s * v[j];
        }
    }

    /**
     * Four axpys sharing one vector: a += sa·v, b += sb·v, c += sc·v, e += se·v; each loaded
     * v[j] serves four multiply-adds.
     *
     * @param a first accumulator
     * @param b second accumulator
     * @param c third accumulator
     * @param e fourth accumulator
     * @param sa scalar of a
     * @param sb scalar of b
     * @param sc scalar of c
     * @param se scalar of e
     * @param v the vector; all accumulators at least as long
     */
    public static void axpy4(double[] a, double[] b, double[] c, double[] e, double sa, double sb, double sc, double se,
            double[] v) {
        for (int j = 0; j < v.length; j++) {
            double w = v[j];
            a[j] += sa * w;
            b[j] += sb * w;
            c[j] += sc * w;
            e[j] += se * w;
        }
    }
}
