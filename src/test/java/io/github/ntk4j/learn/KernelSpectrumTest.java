package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelSpectrumTest {

    /** Q diag(λ) Qᵀ with Q a Householder reflection I − 2uuᵀ/uᵀu: the spectrum is λ by construction. */
    @Test
    void explicitMatrixWithKnownSpectrum() {
        double[] lambda = {5.0, -0.5, 3.25, 1e-3, 3.25, 0.0, 2.0};
        int n = lambda.length;
        Random r = new Random(7);
        double[] u = new double[n];
        double uu = 0;
        for (int i = 0; i < n; i++) {
            u[i] = r.nextGaussian();
            uu += u[i] * u[i];
        }
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i][k] * lambda[k] * q[j][k];
                }
                a[i][j] = s;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i][j] = a[j][i];
            }
        }
        KernelSpectrum s = KernelSpectrum.of(a, true);
        double[] expected = lambda.clone();
        Arrays.sort(expected);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[n - 1 - i], s.eigenvalue(i), 1e-13 * 5, "eigenvalue " + i);
        }
        for (int i = 0; i < n; i++) {
            double[] v = s.eigenvector(i);
            double norm = 0;
            for (int row = 0; row < n; row++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[row][k] * v[k];
                }
                assertEquals(s.eigenvalue(i) * v[row], av, 1e-13 * 5, "A v = λ v, vector " + i + " row " + row);
                norm += v[row] * v[row];
            }
            assertEquals(1.0, norm, 1e-13);
        }
        assertEquals(Double.POSITIVE_INFINITY, s.conditionNumber());
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> s.requirePositiveSemiDefinite("the test matrix"));
        assertTrue(e.getMessage().contains("not positive semi-definite"), e.getMessage());
    }

    /**
     * One Dense(w, b) layer: Θ(x, y) = K(x, y) = w² x·y/d + b², so the Gram matrix is
     * w² X Xᵀ/d + b² 11ᵀ. With mean-zero orthogonal columns c_j of X its eigenvalues are
     * w²‖c_j‖²/d, b²·n (for the all-ones vector) and zeros.
     */
    @Test
    void denseNetworkGramHasClosedFormSpectrum() {
        double[][] x = {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}, {1, 0}, {-1, 0}};
        double w = 1.5;
        double b = 0.5;
        NtkRecursion engine = NtkRecursion.of(NetworkSpec.parse("dense(" + w + "," + b + ")")).withThreads(1);
        double[] expected = {w * w * 6 / 2, w * w * 4 / 2, b * b * 6, 0, 0, 0};
        for (KernelKind kind : KernelKind.values()) {
            KernelSpectrum s = KernelSpectrum.ofGram(engine, x, kind, false);
            assertFalse(s.hasVectors());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], s.eigenvalue(i), 1e-13 * expected[0], kind + " eigenvalue " + i);
            }
            s.requirePositiveSemiDefinite("gram");
        }
    }

    @Test
    void refusesAsymmetricMatrix() {
        Ntk4jException e = assertThrows(Ntk4jException.class, () -> KernelSpectrum.of(new double[][] {{1, 2}, {2.5, 1}}, false));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
        assertThrows(Ntk4jException.class, () -> KernelSpectrum.of(new double[][] {{1, 2}}, false));
    }
}
