package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SphereSpectrumTest {
    private static NtkRecursion engine(String spec) {
        return NtkRecursion.of(NetworkSpec.parse(spec)).withThreads(2);
    }

    @Test
    void multiplicities() {
        for (int k = 0; k < 12; k++) {
            assertEquals(k == 0 ? 1 : 2, SphereSpectrum.multiplicity(2, k));
            assertEquals(2 * k + 1, SphereSpectrum.multiplicity(3, k));
            assertEquals((k + 1) * (k + 1), SphereSpectrum.multiplicity(4, k));
        }
        assertEquals(5, SphereSpectrum.multiplicity(5, 1));
        assertEquals(14, SphereSpectrum.multiplicity(5, 2)); // (d + 2)(d − 1)/2
        assertEquals(30, SphereSpectrum.multiplicity(5, 3)); // (2k+d−2)(k+d−3)!/(k!(d−2)!) = 9·120/(6·6)
    }

    /**
     * By hand: φ(x) = x² after dense(1,0) on ‖x‖² = d gives K(u) = E[a²b²] = 1 + 2u² and
     * Θ(u) = K + Σ·Ṫ = 1 + 2u² + u·4u = 1 + 6u². With u² = (1 + (d − 1)P₂)/d and a kernel
     * P_k(x·y) having eigenvalue 1/N(d, k) (addition theorem), in d = 5:
     * K: μ₀ = 1 + 2/5, μ₂ = 2·4/(5·14) = 4/35; Θ: μ₀ = 1 + 6/5, μ₂ = 12/35; the others 0.
     */
    @Test
    void polynomialKernelByHand() {
        NtkRecursion e = engine("dense(1,0) poly(0,0,1) dense(1,0)");
        SphereSpectrum k = SphereSpectrum.of(e, KernelKind.NNGP, 5, 6);
        SphereSpectrum t = SphereSpectrum.of(e, KernelKind.NTK, 5, 6);
        double[] muK = {1.4, 0, 4.0 / 35, 0, 0, 0, 0};
        double[] muT = {2.2, 0, 12.0 / 35, 0, 0, 0, 0};
        for (int j = 0; j <= 6; j++) {
            assertEquals(muK[j], k.eigenvalue(j), 1e-14, "NNGP degree " + j);
            assertEquals(muT[j], t.eigenvalue(j), 1e-14, "NTK degree " + j);
        }
        // the explicit-kernel entry point: κ(u) = u has μ₁ = E[u²] = 1/d
        SphereSpectrum lin = SphereSpectrum.of(u -> u, 7, 3);
        assertEquals(1.0 / 7, lin.eigenvalue(1), 1e-15);
        assertEquals(0, lin.eigenvalue(0), 1e-15);
        assertEquals(0, lin.eigenvalue(2), 1e-15);
    }

    /**
     * Two-layer ReLU without bias in d = 3 by hand (docs/KERNEL-RECURSION.md §4, u uniform on [−1, 1] for
     * d = 3): K(u) = (√(1−u²) + (π − arccos u) u)/(2π) has μ₀ = ½∫K = 3/16, μ₁ = ½∫uK = 1/12;
     * Θ = K + u(π − arccos u)/(2π) has μ₀ = 1/4, μ₁ = 1/6. The closed form through the
     * explicit-kernel entry point agrees with the network's kernel at every degree.
     */
    @Test
    void reluTwoLayerByHandAndClosedForm() {
        NtkRecursion e = engine("dense(1,0) relu dense(1,0)");
        SphereSpectrum k = SphereSpectrum.of(e, KernelKind.NNGP, 3, 30);
        SphereSpectrum t = SphereSpectrum.of(e, KernelKind.NTK, 3, 30);
        assertEquals(3.0 / 16, k.eigenvalue(0), 1e-15);
        assertEquals(1.0 / 12, k.eigenvalue(1), 1e-15);
        assertEquals(1.0 / 4, t.eigenvalue(0), 1e-15);
        assertEquals(1.0 / 6, t.eigenvalue(1), 1e-15);
        SphereSpectrum closed = SphereSpectrum.of(
                u -> (Math.sqrt(1 - u * u) + 2 * u * (Math.PI - Math.acos(u))) / (2 * Math.PI), 3, 30);
        for (int j = 0; j <= 30; j++) {
            assertEquals(closed.eigenvalue(j), t.eigenvalue(j), 1e-15, "degree " + j);
            assertTrue(t.errorEstimate(j) < 1e-14, "quadrature error estimate at degree " + j);
        }
    }

    /**
     * Bietti and Mairal 2019 (Prop. 5 / Thm. 1): for the two-layer ReLU NTK without bias on
     * S^{d−1}, μ_k = 0 for odd k ≥ 3 and the even degrees decay like k^{−d}; with bias the odd
     * degrees do not vanish. (The NNGP, an arc-cosine kernel of degree 1, decays like k^{−d−2}.)
     * The exponent is asymptotic: the local slope between k = 40 and 60 is within 0.1 of it
     * (measured: −2.976 and −3.929 for the NTK, −4.953 and −5.886 for the NNGP, d = 3, 4).
     */
    @Test
    void reluOddDegreesVanishWithoutBiasAndDecayLikePowerOfD() {
        for (int d : new int[] {3, 4}) {
            SphereSpectrum ntk = SphereSpectrum.of(engine("dense(1,0) relu dense(1,0)"), KernelKind.NTK, d, 60);
            SphereSpectrum nngp = SphereSpectrum.of(engine("dense(1,0) relu dense(1,0)"), KernelKind.NNGP, d, 60);
            SphereSpectrum biased = SphereSpectrum.of(engine("dense(1,0.5) relu dense(1,0.5)"), KernelKind.NTK, d, 9);
            double mu0 = ntk.eigenvalue(0);
            for (int k = 3; k <= 59; k += 2) {
                assertEquals(0, ntk.eigenvalue(k), 1e-15 * mu0, "NTK odd degree " + k + ", d = " + d);
                assertEquals(0, nngp.eigenvalue(k), 1e-15 * mu0, "NNGP odd degree " + k + ", d = " + d);
            }
            for (int k = 0; k <= 60; k += 2) {
                assertTrue(ntk.eigenvalue(k) > 0, "even degree " + k);
            }
            for (int k = 3; k <= 9; k += 2) {
                assertTrue(biased.eigenvalue(k) > 1e-5 * biased.eigenvalue(0), "with bias, odd degree " + k + ": "
                        + biased.eigenvalue(k));
            }
            double slopeNtk = Math.log(ntk.eigenvalue(60) / ntk.eigenvalue(40)) / Math.log(60.0 / 40);
            double slopeNngp = Math.log(nngp.eigenvalue(60) / nngp.eigenvalue(40)) / Math.log(60.0 / 40);
            assertEquals(-d, slopeNtk, 0.1, "NTK decay exponent, d = " + d);
            assertEquals(-d - 2, slopeNngp, 0.15, "NNGP decay exponent, d = " + d);
        }
    }

    /** Funk–Hecke eigenvalues with multiplicities, sorted decreasing: the expected spectrum of Gram/n. */
    private static List<Double> withMultiplicities(SphereSpectrum s, int count) {
        List<Double> out = new ArrayList<>();
        for (int k = 0; k <= s.maxDegree(); k++) {
            for (int m = 0; m < SphereSpectrum.multiplicity(s.dimension(), k); m++) {
                out.add(s.eigenvalue(k));
            }
        }
        Collections.sort(out, Collections.reverseOrder());
        return out.subList(0, count);
    }

    /**
     * On the circle (d = 2), n equally spaced points make the Gram matrix circulant: its
     * eigenvalues divided by n are the trapezoidal-rule Fourier coefficients of κ(cos θ), which
     * equal the μ_k up to aliasing by μ_{n±k}. The erf kernel is analytic, its μ_k fall
     * geometrically (≈ 1e-12 by k = 25), so with n = 128 every eigenvalue must agree to rounding.
     */
    @Test
    void circleGramEigenvaluesMatchFunkHecke() {
        NtkRecursion e = engine("dense(1,0.3) erf dense(1,0.3)");
        int n = 128;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            double phi = 2 * Math.PI * i / n;
            x[i] = new double[] {Math.sqrt(2) * Math.cos(phi), Math.sqrt(2) * Math.sin(phi)};
        }
        for (KernelKind kind : KernelKind.values()) {
            double[][] g = e.gram(x, kind);
            for (double[] row : g) {
                for (int j = 0; j < n; j++) {
                    row[j] /= n;
                }
            }
            KernelSpectrum gram = KernelSpectrum.of(g, false);
            List<Double> fh = withMultiplicities(SphereSpectrum.of(e, kind, 2, 80), n);
            for (int i = 0; i < n; i++) {
                assertEquals(fh.get(i), gram.eigenvalue(i), 1e-13 * gram.largest(), kind + " eigenvalue " + i);
            }
        }
    }

    /**
     * Uniform random points on S² (d = 3), two-layer ReLU NTK: the eigenvalues of Gram/n,
     * taken in groups of N(3, k) = 2k + 1 in the order of the μ_k (0, 1, 2, 4, 6, …; odd k ≥ 3
     * are 0), average to μ_k. The empirical operator's eigenvalues fluctuate by O(1/√n): with
     * n = 500 the group means were within 1.6 % over three seeds (3.4 % for k = 6, not tested).
     */
    @Test
    void sampledSphereGramEigenvaluesMatchFunkHecke() {
        NtkRecursion e = engine("dense(1,0) relu dense(1,0)");
        int d = 3;
        int n = 500;
        Random r = new Random(2);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                x[i][j] = r.nextGaussian();
                norm += x[i][j] * x[i][j];
            }
            for (int j = 0; j < d; j++) {
                x[i][j] *= Math.sqrt(d / norm);
            }
        }
        double[][] g = e.gram(x, KernelKind.NTK);
        for (double[] row : g) {
            for (int j = 0; j < n; j++) {
                row[j] /= n;
            }
        }
        KernelSpectrum gram = KernelSpectrum.of(g, false);
        SphereSpectrum fh = SphereSpectrum.of(e, KernelKind.NTK, d, 6);
        int at = 0;
        for (int k : new int[] {0, 1, 2, 4}) {
            int m = (int) SphereSpectrum.multiplicity(d, k);
            double mean = 0;
            for (int i = 0; i < m; i++) {
                mean += gram.eigenvalue(at + i) / m;
            }
            at += m;
            assertEquals(fh.eigenvalue(k), mean, 0.02 * fh.eigenvalue(k), "degree " + k);
        }
    }
}
