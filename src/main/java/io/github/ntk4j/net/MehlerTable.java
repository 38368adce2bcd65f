package io.github.ntk4j.net;

import io.github.ntk4j.math.Workers;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;

/**
 * Per-input Hermite coefficients of φ and φ' for the Gram path of a {@link QuadratureActivation}
 * (Mehler's expansion). For (u, v) ~ N(0, Σ) with σx² = Σxx, σy² = Σyy, ρ = Σxy/(σxσy),
 * <pre>
 *   E[f(u)g(v)] = Σ_k a_k(σx) b_k(σy) ρ^k,   a_k(σ) = E[f(σz) He_k(z)]/√k!
 * </pre>
 * (Mehler 1866; O'Donnell, <i>Analysis of Boolean Functions</i>, §11.2), so T uses the
 * coefficients of φ and Ṫ those of φ'. They depend on one input's variance only: computed once
 * per input and layer (K + 1 coefficients each, K = {@value #K}, by the same Gauss–Legendre panels
 * as the pair quadrature on [−Z, Z], Z = √K + 7, beyond which |He_k(z)|N(z)/√k! is below
 * 1e-18 for k ≤ K, N the normal density), a pair then costs O(k) multiply-adds.
 *
 * <p>Truncation bound, pair by pair: by Cauchy–Schwarz the terms beyond k sum to at most
 * |ρ|^{k+1}·t_k(σx)·t_k(σy) with t_k² = Σ_{j&gt;k} a_j² = E[f(σz)²] − Σ_{j≤k} a_j² (Parseval),
 * formed as a suffix sum of the computed coefficients plus the remainder beyond K, itself
 * bounded from E[f²] (1-D quadrature) minus Σ_{j≤K} a_j² plus a guard of 1e-13·E[f²] for the
 * rounding and quadrature error of that subtraction. The series stops at the first k where the
 * bound is below {@value #RELATIVE}·|sum| + {@value #ABSOLUTE}·√(E[f(u)²]E[f(v)²]); when it is
 * not reached by k = K (|ρ| near 1, activations with a kink whose coefficients decay slowly)
 * the caller falls back to the pair quadrature.
 */
final class MehlerTable {
    /** Highest Hermite degree kept. */
    static final int K = 63;
    private static final int STRIDE = K + 1;
    /** Doubles per input in {@link #coef} and {@link #tail}: φ's and φ''s interleaved. */
    private static final int ROW = 2 * STRIDE;
    /** Relative truncation tolerance of the series. */
    static final double RELATIVE = 1e-11;
    /** Absolute truncation tolerance, in units of the Cauchy–Schwarz scale. */
    static final double ABSOLUTE = 1e-14;
    private static final double GUARD = 1e-13;
    private static final double Z = Math.sqrt(K) + 7;

    /** Input variances the coefficients belong to. */
    final double[] variance;
    /**
     * Coefficients, input i at [i·ROW, (i+1)·ROW): c_k of φ at 2k, d_k of φ' at 2k + 1
     * (interleaved so that one pair's two series read one stretch of memory).
     */
    final double[] coef;
    /** The tails t_k, laid out as {@link #coef}: the Cauchy–Schwarz bound of the terms beyond k. */
    final double[] tail;
    /** √E[φ(σz)²] at 2i and √E[φ'(σz)²] at 2i + 1. */
    final double[] scale;
    /** E[φ'(σz)²] per input: Ṫ of the input with itself. */
    final double[] dphiSquare;

    private MehlerTable(int n) {
        variance = new double[n];
        coef = new double[n * ROW];
        tail = new double[n * ROW];
        scale = new double[2 * n];
        dphiSquare = new double[n];
    }

    /**
     * Bytes a table for n inputs takes.
     *
     * @param n inputs
     * @return bytes
     */
    static long bytes(long n) {
        return n * (2L * ROW + 4) * 8;
    }

    /**
     * The coefficients of every input.
     *
     * @param variances Σxx of each input at the layer's input
     * @param f φ
     * @param df φ'
     * @param kinks points where φ or φ' is not smooth (panels are split there)
     * @param degree Gauss–Legendre nodes per panel
     * @param workers threads to share the inputs among
     */
    static MehlerTable of(double[] variances, DoubleUnaryOperator f, DoubleUnaryOperator df, double[] kinks, int degree,
            Workers workers) {
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(degree);
        double[] gx = rule.getFirst();
        double[] gw = rule.getSecond();
        int n = variances.length;
        MehlerTable t = new MehlerTable(n);
        int chunks = (n + CHUNK - 1) / CHUNK;
        workers.forEach(chunks, c -> {
            for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                t.fillInput(i, variances[i], f, df, kinks, gx, gw);
            }
        });
        return t;
    }

    /** Inputs per task. */
    private static final int CHUNK = 64;
    private static final double[] SQRT = new double[STRIDE + 1];
    static {
        for (int k = 0; k <= STRIDE; k++) {
            SQRT[k] = Math.sqrt(k);
        }
    }

    private void fillInput(int i, double v, DoubleUnaryOperator f, DoubleUnaryOperator df, double[] kinks, double[] gx,
            double[] gw) {
        double[] ca = new double[STRIDE];
        double[] cb = new double[STRIDE];
        variance[i] = v;
        if (v > 0) {
            double sigma = Math.sqrt(v);
            double[] br = new double[kinks.length];
            for (int q = 0; q < br.length; q++) {
                br[q] = kinks[q] / sigma;
            }
            double[] e = QuadratureActivation.edges(br, false, sigma, Z, Math.min(1, 2 / Math.max(1, sigma)));
            int m = (e.length - 1) * gx.length;
            double[] z = new double[m];
            double[] fa = new double[m];
            double[] fb = new double[m];
            int at = 0;
            for (int p = 0; p + 1 < e.length; p++) {
                double hw = 0.5 * (e[p + 1] - e[p]);
                double mid = 0.5 * (e[p + 1] + e[p]);
                for (int q = 0; q < gx.length; q++, at++) {
                    z[at] = mid + hw * gx[q];
                    double w = hw * gw[q] * Gaussians.pdf(z[at]);
                    fa[at] = f.applyAsDouble(sigma * z[at]) * w;
                    fb[at] = df.applyAsDouble(sigma * z[at]) * w;
                }
            }
            // normalised Hermite recurrence h_{k+1} = (z h_k − √k h_{k−1})/√(k+1), over all
            // nodes at once (independent loops the JIT vectorises)
            double[] hPrev = new double[m];
            double[] h = new double[m];
            java.util.Arrays.fill(h, 1);
            for (int k = 0; k < STRIDE; k++) {
                double sa = 0;
                double sb = 0;
                double a = SQRT[k] / SQRT[k + 1];
                double b = 1 / SQRT[k + 1];
                for (int q = 0; q < m; q++) {
                    double hq = h[q];
                    sa += fa[q] * hq;
                    sb += fb[q] * hq;
                    hPrev[q] = b * z[q] * hq - a * hPrev[q];
                }
                ca[k] = sa;
                cb[k] = sb;
                double[] swap = h;
                h = hPrev;
                hPrev = swap;
            }
        } else {
            ca[0] = f.applyAsDouble(0);
            cb[0] = df.applyAsDouble(0);
        }
        double sa = v > 0 ? QuadratureActivation.meanSquare(f, v, kinks, gx, gw) : ca[0] * ca[0];
        double sb = v > 0 ? QuadratureActivation.meanSquare(df, v, kinks, gx, gw) : cb[0] * cb[0];
        scale[2 * i] = Math.sqrt(sa);
        scale[2 * i + 1] = Math.sqrt(sb);
        dphiSquare[i] = sb;
        fill(ca, sa, v > 0, i * ROW);
        fill(cb, sb, v > 0, i * ROW + 1);
    }

    private void fill(double[] c, double square, boolean guard, int at) {
        double head = 0;
        for (int k = 0; k < STRIDE; k++) {
            head += c[k] * c[k];
        }
        // what lies beyond K, bounded from Parseval with a guard for the subtraction's error
        double beyond = Math.max(square - head, 0) + (guard ? GUARD * square : 0);
        double suffix = beyond;
        for (int k = K; k >= 0; k--) {
            coef[at + 2 * k] = c[k];
            tail[at + 2 * k] = Math.sqrt(suffix);
            suffix += c[k] * c[k];
        }
    }

    /**
     * T = Σ_k c_k(x) c_k(y) ρ^k and Ṫ = Σ_k d_k(x) d_k(y) ρ^k for input i of table tx and input
     * j of table ty, summed together in blocks of four terms (independent chains the processor
     * overlaps), into out[0] and out[1].
     *
     * @return false when the truncation bound of either series is not met by k = K (out then
     *     holds partial sums)
     */
    static boolean sums(MehlerTable tx, int i, MehlerTable ty, int j, double rho, double[] out) {
        final double[] cx = tx.coef;
        final double[] cy = ty.coef;
        final double[] sx = tx.tail;
        final double[] sy = ty.tail;
        final int a = i * ROW;
        final int b = j * ROW;
        final double floorT = ABSOLUTE * tx.scale[2 * i] * ty.scale[2 * j];
        final double floorD = ABSOLUTE * tx.scale[2 * i + 1] * ty.scale[2 * j + 1];
        final double rho2 = rho * rho;
        final double rho4 = rho2 * rho2;
        double r = 1;
        double t = 0;
        double dt = 0;
        for (int k = 0; k < STRIDE; k += 4) {
            int p = a + 2 * k;
            int q = b + 2 * k;
            double r1 = r * rho;
            double r2 = r * rho2;
            double r3 = r1 * rho2;
            t += cx[p] * cy[q] * r + cx[p + 2] * cy[q + 2] * r1 + cx[p + 4] * cy[q + 4] * r2 + cx[p + 6] * cy[q + 6] * r3;
            dt += cx[p + 1] * cy[q + 1] * r + cx[p + 3] * cy[q + 3] * r1 + cx[p + 5] * cy[q + 5] * r2
                    + cx[p + 7] * cy[q + 7] * r3;
            r *= rho4; // ρ^{k+4}: the bound of the terms beyond k + 3
            double ar = Math.abs(r);
            if (ar * sx[p + 6] * sy[q + 6] <= RELATIVE * Math.abs(t) + floorT
                    && ar * sx[p + 7] * sy[q + 7] <= RELATIVE * Math.abs(dt) + floorD) {
                out[0] = t;
                out[1] = dt;
                return true;
            }
        }
        out[0] = t;
        out[1] = dt;
        return false;
    }
}
