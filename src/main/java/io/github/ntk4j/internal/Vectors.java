package io.github.ntk4j.internal;

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

    /**
     * Σ x[xOff + i]·y[yOff + i] over i &lt; n, in four interleaved partial sums (independent
     * chains the processor overlaps; a fixed order, so the result does not depend on the caller).
     *
     * @param x first vector's array
     * @param xOff its offset
     * @param y second vector's array
     * @param yOff its offset
     * @param n length
     * @return the dot product
     */
    public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += x[xOff + k] * y[yOff + k];
            s1 += x[xOff + k + 1] * y[yOff + k + 1];
            s2 += x[xOff + k + 2] * y[yOff + k + 2];
            s3 += x[xOff + k + 3] * y[yOff + k + 3];
        }
        for (; k < n; k++) {
            s0 += x[xOff + k] * y[yOff + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * acc[accOff + i] += s·v[vOff + i] for i &lt; n.
     *
     * @param acc accumulator array, updated in place
     * @param accOff its offset
     * @param s the scalar
     * @param v the vector's array
     * @param vOff its offset
     * @param n length
     */
    public static void axpy(double[] acc, int accOff, double s, double[] v, int vOff, int n) {
        for (int j = 0; j < n; j++) {
            acc[accOff + j] += s * v[vOff + j];
        }
    }
}
