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
     * A deep copy of rows (each row its own array): for values that must not follow later
     * changes to the caller's arrays.
     *
     * @param a rows
     * @return the copy
     */
    public static double[][] copyRows(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
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

    /**
     * z[zOff + q] = G[r0 + q·m ..][·]·u[uOff ..] for the four rows q = 0..3 of a row-major block
     * of width m, in one pass over u. Why by hand: C2 does not vectorise a floating-point sum (it
     * would reorder it), so four rows' chains side by side are what keeps both multiply-add
     * units busy; measured on FALKON's products (learn.FalkonRegressor.sliceProduct, thread CPU
     * time, src/test SliceProductTiming): a 4,096 × 2,000 slice with ten right-hand sides 0.080 → 0.044 s.
     */
    public static void dot4(double[] g, int r0, int m, double[] u, int uOff, double[] z, int zOff) {
        int r1 = r0 + m;
        int r2 = r1 + m;
        int r3 = r2 + m;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < m; j++) {
            double uj = u[uOff + j];
            s0 += g[r0 + j] * uj;
            s1 += g[r1 + j] * uj;
            s2 += g[r2 + j] * uj;
            s3 += g[r3 + j] * uj;
        }
        z[zOff] = s0;
        z[zOff + 1] = s1;
        z[zOff + 2] = s2;
        z[zOff + 3] = s3;
    }

    /** {@link #dot4} for two right-hand sides at once (u at uOff and at vOff): eight chains, each row entry loaded once. */
    public static void dot4x2(double[] g, int r0, int m, double[] u, int uOff, int vOff, double[] z, int zOff) {
        int r1 = r0 + m;
        int r2 = r1 + m;
        int r3 = r2 + m;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double t0 = 0;
        double t1 = 0;
        double t2 = 0;
        double t3 = 0;
        for (int j = 0; j < m; j++) {
            double uj = u[uOff + j];
            double vj = u[vOff + j];
            double g0 = g[r0 + j];
            double g1 = g[r1 + j];
            double g2 = g[r2 + j];
            double g3 = g[r3 + j];
            s0 += g0 * uj;
            s1 += g1 * uj;
            s2 += g2 * uj;
            s3 += g3 * uj;
            t0 += g0 * vj;
            t1 += g1 * vj;
            t2 += g2 * vj;
            t3 += g3 * vj;
        }
        z[zOff] = s0;
        z[zOff + 1] = s1;
        z[zOff + 2] = s2;
        z[zOff + 3] = s3;
        z[zOff + 4] = t0;
        z[zOff + 5] = t1;
        z[zOff + 6] = t2;
        z[zOff + 7] = t3;
    }

    /** w[wOff + j] += Σ_q z[zOff + q]·G[r0 + q·m + j] over four rows: one load and store of w for four rows. */
    public static void axpy4Rows(double[] w, int wOff, double[] z, int zOff, double[] g, int r0, int m) {
        double z0 = z[zOff];
        double z1 = z[zOff + 1];
        double z2 = z[zOff + 2];
        double z3 = z[zOff + 3];
        int r1 = r0 + m;
        int r2 = r1 + m;
        int r3 = r2 + m;
        for (int j = 0; j < m; j++) {
            w[wOff + j] += z0 * g[r0 + j] + z1 * g[r1 + j] + z2 * g[r2 + j] + z3 * g[r3 + j];
        }
    }
}
