package io.github.ntk4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.cli.Main;
import io.github.ntk4j.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure-Java linear algebra (JavaLapack, on EJML) against the native one (NativeLapack, on
 * OpenBLAS), routine by routine and end to end: each routine also against an independent
 * check (a triple loop for products, A x = b residuals for the solves, A v = λ v and
 * orthonormality for eigenvectors, the exact 1-norm condition number from the inverse), and the
 * learning commands with {@code -Dntk4j.linalg=java} against the same commands run natively, to
 * 1e-10 relative (norm-wise per array).
 */
class LinearAlgebraFallbackTest {
    @TempDir
    Path dir;

    private static double[] random(Random r, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    /** @return a column-major n×n symmetric positive definite matrix B Bᵀ/n + I/4 (condition number of order 10) */
    private static double[] spd(Random r, int n) {
        double[] b = random(r, n * n);
        double[] a = JavaLapack.gemm(false, true, n, n, n, b, b);
        for (int i = 0; i < a.length; i++) {
            a[i] /= n;
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += 0.25;
        }
        return a;
    }

    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= rel * scale,
                    what + "[" + i + "]: " + actual[i] + " vs " + expected[i] + " (scale " + scale + ")");
        }
    }

    @Test
    void productsAgreeWithATripleLoopAndWithOpenBlas() {
        Random r = new Random(1);
        // 1000 exercises EJML's multi-threaded product (Lapack.PARALLEL_ORDER)
        for (int[] s : new int[][] {{7, 5, 3}, {40, 31, 17}, {1000, 3, 20}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    double[] a = random(r, m * k);
                    double[] b = random(r, k * n);
                    double[] loop = new double[m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int p = 0; p < k; p++) {
                                double aip = ta ? a[i * k + p] : a[p * m + i];
                                double bpj = tb ? b[p * n + j] : b[j * k + p];
                                sum += aip * bpj;
                            }
                            loop[j * m + i] = sum;
                        }
                    }
                    String what = "gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb;
                    assertClose(loop, JavaLapack.gemm(ta, tb, m, n, k, a, b), 1e-13, what + " java");
                    assertClose(loop, NativeLapack.gemm(ta, tb, m, n, k, a, b), 1e-13, what + " native");
                }
            }
        }
    }

    @Test
    void choleskySolvesAndConditionAgree() {
        Random r = new Random(2);
        NativeLapack.load();
        for (int n : new int[] {1, 2, 30, 1000}) {
            double[] a = spd(r, n);
            double[] lj = a.clone();
            double[] ln = a.clone();
            assertTrue(JavaLapack.potrf(lj, n));
            Object factor = NativeLapack.cholesky(ln, n);
            assertTrue(factor != null);
            NativeLapack.copyOut(factor, ln);
            NativeLapack.free(factor);
            assertClose(ln, lj, 1e-10, "factor n=" + n); // the strict upper triangle is a's in both
            double[] b = random(r, n * 3);
            Lapack.Stored sj = Lapack.storeJava(lj, n);
            Lapack.Stored sn = Lapack.storeNative(ln);
            double[] xj = b.clone();
            double[] xn = b.clone();
            Lapack.potrs(sj, n, xj, 3);
            Lapack.potrs(sn, n, xn, 3);
            assertClose(xn, xj, 1e-10, "potrs n=" + n);
            assertClose(b, JavaLapack.gemm(false, false, n, 3, n, a, xj), 1e-12 * n, "A x = b n=" + n);
            for (boolean t : new boolean[] {false, true}) {
                double[] yj = b.clone();
                double[] yn = b.clone();
                Lapack.trsmLower(sj, n, yj, 3, t);
                Lapack.trsmLower(sn, n, yn, 3, t);
                assertClose(yn, yj, 1e-10, "trsm n=" + n + " transposed=" + t);
            }
            if (n <= 30) {
                // the exact 1-norm condition number, from the inverse (columns A⁻¹ e_j)
                double[] inv = new double[n * n];
                for (int j = 0; j < n; j++) {
                    inv[j * n + j] = 1;
                }
                Lapack.potrs(sn, n, inv, n);
                double invNorm = 0;
                double norm = 0;
                for (int j = 0; j < n; j++) {
                    double ci = 0;
                    double ca = 0;
                    for (int i = 0; i < n; i++) {
                        ci += Math.abs(inv[j * n + i]);
                        ca += Math.abs(a[j * n + i]);
                    }
                    invNorm = Math.max(invNorm, ci);
                    norm = Math.max(norm, ca);
                }
                double exact = norm * invNorm;
                double cj = Lapack.condition(sj, n, norm);
                double cn = Lapack.condition(sn, n, norm);
                // an estimate is a lower bound, and Hager's method is rarely off by more than 3
                assertTrue(cj <= exact * (1 + 1e-10) && cj >= exact / 3, "java condition " + cj + " exact " + exact);
                assertTrue(cn <= exact * (1 + 1e-10) && cn >= exact / 3, "native condition " + cn + " exact " + exact);
            }
        }
        // not positive definite: both refuse
        double[] indefinite = {1, 2, 2, 1};
        assertFalse(JavaLapack.potrf(indefinite.clone(), 2));
        assertTrue(NativeLapack.cholesky(indefinite.clone(), 2) == null);
    }

    @Test
    void symmetricEigenAgrees() {
        Random r = new Random(3);
        NativeLapack.load();
        int n = 60;
        double[] a = spd(r, n);
        double[] vj = a.clone();
        double[] vn = a.clone();
        double[] wj = JavaLapack.syevd(vj, n, true);
        double[] wn = NativeLapack.syevd(vn, n, true);
        assertClose(wn, wj, 1e-12, "eigenvalues");
        double[] av = JavaLapack.gemm(false, false, n, n, n, a, vj);
        for (int c = 0; c < n; c++) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(Math.abs(av[c * n + i] - wj[c] * vj[c * n + i]) <= 1e-12 * wj[n - 1], "A v = λ v, column " + c);
                dot += vj[c * n + i] * vn[c * n + i];
            }
            assertEquals(1.0, Math.abs(dot), 1e-9, "eigenvector " + c + " against OpenBLAS's (up to sign)");
        }
        double[] vtv = JavaLapack.gemm(true, false, n, n, n, vj, vj);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1.0 : 0.0, vtv[j * n + i], 1e-12, "VᵀV");
            }
        }
        assertClose(wn, JavaLapack.syevd(a.clone(), n, false), 1e-12, "eigenvalues without vectors");
        // eigenvalues only: OpenBLAS's two-stage reduction (dsyevd_2stage), larger than its block size
        int big = 300;
        double[] s = spd(r, big);
        assertClose(JavaLapack.syevd(s.clone(), big, false), NativeLapack.syevd(s.clone(), big, false), 1e-12,
                "two-stage eigenvalues");
    }

    /**
     * The eigenvector back-transformation split over two parts, a hundred times: the parts share
     * the Householder reflectors, which LAPACK's reflector routines change while they apply them
     * (each reflector's implicit leading 1 written into the matrix, the stored value put back
     * after). Before those entries were set to 1 ahead of the parts, about one call in twenty at
     * n = 151 on these matrices returned vectors off by 1e-3 or far more (a loop of such calls
     * outside the suite: 15 of 300 on two parts; 0 of 600 after), so a hundred calls find the
     * race with probability above 0.99 (it failed 3 runs of 3 without the fix). Checked against
     * the matrix itself: A v = λ v and VᵀV = I.
     */
    @Test
    void splitBackTransformationIsRaceFree() {
        Random r = new Random(11);
        NativeLapack.load();
        double[] settings = NativeLapack.splitForTests(2, 0);
        try {
            int e = 151;
            for (int call = 0; call < 100; call++) {
                // a symmetric Gaussian matrix plus e·I (eigenvalues spread over about e ± 2√e)
                double[] sym = new double[e * e];
                for (int i = 0; i < e; i++) {
                    for (int j = 0; j <= i; j++) {
                        sym[i * e + j] = r.nextGaussian();
                        sym[j * e + i] = sym[i * e + j];
                    }
                    sym[i * e + i] += e;
                }
                double[] v = sym.clone();
                double[] w = NativeLapack.syevd(v, e, true);
                double[] av = JavaLapack.gemm(false, false, e, e, e, sym, v);
                double[] vtv = JavaLapack.gemm(true, false, e, e, e, v, v);
                for (int c = 0; c < e; c++) {
                    for (int i = 0; i < e; i++) {
                        assertTrue(Math.abs(av[c * e + i] - w[c] * v[c * e + i]) <= 1e-12 * w[e - 1],
                                "call " + call + ": A v = λ v, column " + c);
                        assertEquals(i == c ? 1.0 : 0.0, vtv[c * e + i], 1e-12, "call " + call + ": VᵀV");
                    }
                }
            }
        } finally {
            NativeLapack.restore(settings);
        }
    }

    /**
     * The native calls split over Java threads (blocked Cholesky, column blocks of the solves and
     * products, the area-balanced Gram-sum update, the eigenvector back-transformation) against
     * EJML, forced to three parts at sizes that are no multiple of the block or part sizes.
     */
    @Test
    void splitNativeCallsAgreeWithEjml() {
        Random r = new Random(5);
        NativeLapack.load();
        double[] settings = NativeLapack.splitForTests(3, 0);
        try {
            int n = 601; // blocks 256, 256, 89
            double[] a = spd(r, n);
            double[] lj = a.clone();
            assertTrue(JavaLapack.potrf(lj, n));
            Object factor = NativeLapack.cholesky(a, n);
            assertTrue(factor != null);
            double[] ln = new double[n * n];
            NativeLapack.copyOut(factor, ln);
            NativeLapack.free(factor);
            assertClose(lj, ln, 1e-10, "blocked factor");
            double[] indefinite = a.clone();
            indefinite[550 * n + 550] = -1; // in the last block: the first two factor, the third fails
            assertFalse(JavaLapack.potrf(indefinite.clone(), n));
            assertTrue(NativeLapack.cholesky(indefinite, n) == null, "blocked factorisation of an indefinite matrix");
            Lapack.Stored sj = Lapack.storeJava(lj, n);
            Lapack.Stored sn = Lapack.storeNative(ln);
            double[] b = random(r, n * 7);
            double[] xj = b.clone();
            double[] xn = b.clone();
            Lapack.potrs(sj, n, xj, 7);
            Lapack.potrs(sn, n, xn, 7);
            assertClose(xj, xn, 1e-10, "split potrs");
            assertClose(b, JavaLapack.gemm(false, false, n, 7, n, a, xn), 1e-12 * n, "A x = b");
            for (boolean t : new boolean[] {false, true}) {
                double[] yj = b.clone();
                double[] yn = b.clone();
                Lapack.trsmLower(sj, n, yj, 7, t);
                Lapack.trsmLower(sn, n, yn, 7, t);
                assertClose(yj, yn, 1e-10, "split trsm transposed=" + t);
            }
            assertClose(JavaLapack.gemm(false, false, n, 7, n, a, b), Lapack.gemm(Lapack.storeNative(a), n, b, 7), 1e-13,
                    "split stored product");
            for (int[] s : new int[][] {{37, 50, 23}, {50, 37, 23}}) { // split by columns, then by rows
                int m = s[0];
                int nc = s[1];
                int k = s[2];
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        double[] x = random(r, m * k);
                        double[] y = random(r, k * nc);
                        assertClose(JavaLapack.gemm(ta, tb, m, nc, k, x, y), NativeLapack.gemm(ta, tb, m, nc, k, x, y), 1e-13,
                                "split gemm " + m + "x" + nc + " " + ta + tb);
                    }
                }
            }
            int m = 101;
            double[] g = random(r, m * 40);
            double[] expected = JavaLapack.gemm(false, true, m, m, 40, g, g);
            try (Lapack.GramSum sum = new Lapack.GramSum(m)) {
                sum.add(g, 40);
                assertClose(expected, sum.symmetric(), 1e-13, "split Gram sum");
            }
            // the factor of H + αG made in the sum's own array, by the blocked (split) factorisation,
            // against EJML's factor of the same matrix formed separately
            double[] w = random(r, n * 30);
            double[] hw = JavaLapack.gemm(false, true, n, n, 30, w, w);
            try (Lapack.GramSum sum = new Lapack.GramSum(n)) {
                sum.add(w, 30);
                double[] norm = new double[1];
                Lapack.Stored f = sum.choleskyPlus(0.5, a, norm);
                assertTrue(f != null);
                double[] plus = new double[n * n];
                for (int i = 0; i < plus.length; i++) {
                    plus[i] = 0.5 * a[i] + hw[i];
                }
                assertTrue(JavaLapack.potrf(plus, n));
                double[] fn = new double[n * n];
                f.copyTo(fn);
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < j; i++) { // compare the lower triangles only
                        fn[j * n + i] = 0;
                        plus[j * n + i] = 0;
                    }
                }
                assertClose(plus, fn, 1e-10, "split factor in the sum's array");
                assertClose(hw, sum.symmetric(), 1e-12, "the sum after the split factor");
            }
            int e = 151;
            double[] sym = spd(r, e);
            double[] vj = sym.clone();
            double[] vn = sym.clone();
            double[] wj = JavaLapack.syevd(vj, e, true);
            double[] wn = NativeLapack.syevd(vn, e, true);
            assertClose(wj, wn, 1e-12, "eigenvalues, split back-transformation");
            double[] av = JavaLapack.gemm(false, false, e, e, e, sym, vn);
            double[] vtv = JavaLapack.gemm(true, false, e, e, e, vn, vn);
            for (int c = 0; c < e; c++) {
                for (int i = 0; i < e; i++) {
                    assertTrue(Math.abs(av[c * e + i] - wn[c] * vn[c * e + i]) <= 1e-12 * wn[e - 1], "A v = λ v, column " + c);
                    assertEquals(i == c ? 1.0 : 0.0, vtv[c * e + i], 1e-12, "VᵀV");
                }
            }
        } finally {
            NativeLapack.restore(settings);
        }
    }

    /** Sums of A Aᵀ (dsyrk natively, EJML in Java) against a triple loop, on both paths. */
    @Test
    void gramSumsAgreeWithATripleLoop() {
        Random r = new Random(4);
        int m = 70;
        double[] a1 = random(r, m * 50);
        double[] a2 = random(r, m * 90); // only its first 30 columns are added
        double[] expected = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double v = 0;
                for (int t = 0; t < 50; t++) {
                    v += a1[t * m + i] * a1[t * m + j];
                }
                for (int t = 0; t < 30; t++) {
                    v += a2[t * m + i] * a2[t * m + j];
                }
                expected[j * m + i] = v;
            }
        }
        for (String path : new String[] {"native", "java"}) {
            if (path.equals("java")) {
                System.setProperty(LinearAlgebra.PROPERTY, "java");
            }
            try (Lapack.GramSum sum = new Lapack.GramSum(m)) {
                sum.add(a1, 50);
                double[][] rows = new double[35][]; // a2's first 30 columns as rows, and 5 more ignored
                for (int t = 0; t < rows.length; t++) {
                    rows[t] = java.util.Arrays.copyOfRange(a2, t * m, (t + 1) * m);
                }
                sum.add(rows, 30);
                sum.add(a2, 0);
                assertClose(expected, sum.symmetric(), 1e-13, path + " Gram sum");
                // H u from the lower triangle where the sum is (dsymv, dsymm), against the full H
                for (int k : new int[] {1, 3}) {
                    double[] u = random(r, m * k);
                    assertClose(fullTimes(expected, m, u, k), sum.times(u, k), 1e-13, path + " H u, k = " + k);
                }
                // the factor of H + αG (G symmetric, a shifted Gram matrix): its solves give back
                // the right-hand side through the full matrix, and its 1-norm by column sums
                double[] b0 = random(r, m * 40);
                double[] g = new double[m * m];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        double v = i == j ? 1 : 0;
                        for (int t = 0; t < 40; t++) {
                            v += b0[t * m + i] * b0[t * m + j];
                        }
                        g[j * m + i] = v;
                    }
                }
                double alpha = 0.3;
                double[] norm = new double[1];
                Lapack.Stored f = sum.choleskyPlus(alpha, g, norm);
                double expectedNorm = 0;
                for (int j = 0; j < m; j++) {
                    double col = 0;
                    for (int i = 0; i < m; i++) {
                        col += Math.abs(expected[j * m + i] + alpha * g[j * m + i]);
                    }
                    expectedNorm = Math.max(expectedNorm, col);
                }
                assertEquals(expectedNorm, norm[0], 1e-13 * expectedNorm, path + " 1-norm");
                double[] rhs = random(r, m * 2);
                double[] xs = rhs.clone();
                Lapack.potrs(f, m, xs, 2);
                double[] full = new double[m * m];
                for (int i = 0; i < full.length; i++) {
                    full[i] = expected[i] + alpha * g[i];
                }
                assertClose(rhs, fullTimes(full, m, xs, 2), 1e-9, path + " (H + αG) x = b");
                // the factor was made in the sum's array: H is still the sum, for products, its
                // symmetric copy and the next factor (another ridge)
                assertClose(expected, sum.symmetric(), 1e-13, path + " Gram sum after a factor");
                double[] u3 = random(r, m * 3);
                assertClose(fullTimes(expected, m, u3, 3), sum.times(u3, 3), 1e-13, path + " H u after a factor");
                assertClose(fullTimes(expected, m, u3, 1), sum.times(u3, 1), 1e-13, path + " H u (one column) after a factor");
                Lapack.Stored f2 = sum.choleskyPlus(2 * alpha, g, norm);
                double[] xs2 = rhs.clone();
                Lapack.potrs(f2, m, xs2, 2);
                double[] full2 = new double[m * m];
                for (int i = 0; i < full2.length; i++) {
                    full2[i] = expected[i] + 2 * alpha * g[i];
                }
                assertClose(rhs, fullTimes(full2, m, xs2, 2), 1e-9, path + " (H + 2αG) x = b");
                // negative control: H − 1e6·G is not positive definite, and H survives the attempt
                assertTrue(sum.choleskyPlus(-1e6, g, norm) == null, path + " indefinite");
                assertClose(expected, sum.symmetric(), 1e-13, path + " Gram sum after a failed factor");
                assertClose(fullTimes(expected, m, u3, 3), sum.times(u3, 3), 1e-13, path + " H u after a failed factor");
                assertThrows(IllegalStateException.class, () -> sum.add(a1, 50), path + " no additions once factored");
            } finally {
                System.clearProperty(LinearAlgebra.PROPERTY);
            }
        }
    }

    /** @return A u for the full m×m column-major A and the m×k column-major u */
    private static double[] fullTimes(double[] a, int m, double[] u, int k) {
        double[] out = new double[m * k];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int j = 0; j < m; j++) {
                    v += a[j * m + i] * u[c * m + j];
                }
                out[c * m + i] = v;
            }
        }
        return out;
    }

    private static Object cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(0, code, String.join(" ", args) + ": " + err);
        return Json.parse(out.toString().strip());
    }

    /** Every number of two JSON values, array by array, to rel × the array's largest entry. */
    @SuppressWarnings("unchecked")
    static void assertSameNumbers(Object expected, Object actual, double rel, String path) {
        if (expected instanceof Map<?, ?> e) {
            Map<String, Object> a = (Map<String, Object>) actual;
            assertEquals(e.keySet(), a.keySet(), path);
            for (Object k : e.keySet()) {
                assertSameNumbers(e.get(k), a.get(k), rel, path + "." + k);
            }
        } else if (expected instanceof List<?> e && !e.isEmpty() && e.get(0) instanceof Number) {
            List<Object> a = (List<Object>) actual;
            double[] x = new double[e.size()];
            double[] y = new double[a.size()];
            // an eigenvector's sign is arbitrary, and so is that of a coefficient along it
            boolean upToSign = path.contains("target_coefficient");
            for (int i = 0; i < x.length && i < y.length; i++) {
                x[i] = ((Number) e.get(i)).doubleValue();
                y[i] = ((Number) a.get(i)).doubleValue();
                if (upToSign) {
                    x[i] = Math.abs(x[i]);
                    y[i] = Math.abs(y[i]);
                }
            }
            assertClose(x, y, rel, path);
        } else if (expected instanceof List<?> e) {
            List<Object> a = (List<Object>) actual;
            assertEquals(e.size(), a.size(), path);
            List<Object> flatE = new ArrayList<>();
            List<Object> flatA = new ArrayList<>();
            boolean rows = !e.isEmpty() && e.get(0) instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Number;
            if (rows) { // a matrix: compare it as one array
                e.forEach(row -> flatE.addAll((List<Object>) row));
                a.forEach(row -> flatA.addAll((List<Object>) row));
                assertSameNumbers(flatE, flatA, rel, path);
            } else {
                for (int i = 0; i < e.size(); i++) {
                    assertSameNumbers(e.get(i), a.get(i), rel, path + "[" + i + "]");
                }
            }
        } else if (expected instanceof Number e) {
            double x = e.doubleValue();
            double y = ((Number) actual).doubleValue();
            assertTrue(Math.abs(x - y) <= rel * Math.abs(x), path + ": " + y + " vs " + x);
        } else {
            assertEquals(expected, actual, path);
        }
    }

    /** The learning commands' runs the two paths must agree on (t = ∞ by Cholesky, finite t by eigen, GP, spectrum). */
    static List<String[]> learningRuns(Path dir) throws Exception {
        Random r = new Random(4);
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            double[] v = random(r, 4);
            x.append(v[0]).append(',').append(v[1]).append(',').append(v[2]).append(',').append(v[3]).append('\n');
            y.append(Math.sin(v[0]) + 0.5 * v[1] * v[2]).append(',').append(v[3]).append('\n');
            if (i < 15) {
                double[] w = random(r, 4);
                t.append(w[0]).append(',').append(w[1]).append(',').append(w[2]).append(',').append(w[3]).append('\n');
            }
        }
        Path xs = Files.writeString(dir.resolve("x.csv"), x);
        Path ys = Files.writeString(dir.resolve("y.csv"), y);
        Path ts = Files.writeString(dir.resolve("t.csv"), t);
        String[] common = {"--train", xs.toString(), "--targets", ys.toString(), "--test", ts.toString(), "--diag-reg", "1e-2",
            "--format", "json", "--threads", "1"};
        List<String[]> runs = new ArrayList<>();
        runs.add(concat(new String[] {"predict"}, common));
        runs.add(concat(new String[] {"predict", "--time", "3", "--directions", "5"}, common));
        runs.add(concat(new String[] {"predict", "--mode", "gp"}, common));
        runs.add(new String[] {"spectrum", "--input", xs.toString(), "--format", "json", "--threads", "1"});
        return runs;
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void learningCommandsGiveTheSameNumbersOnThePureJavaPath() throws Exception {
        assertTrue(LinearAlgebra.isNative(), "the test class path has the linux-x86_64 natives: " + LinearAlgebra.describe());
        for (String[] args : learningRuns(dir)) {
            Object nativeRun = cli(args);
            Object javaRun;
            System.setProperty(LinearAlgebra.PROPERTY, "java");
            try {
                assertFalse(LinearAlgebra.isNative());
                javaRun = cli(args);
            } finally {
                System.clearProperty(LinearAlgebra.PROPERTY);
            }
            assertSameNumbers(nativeRun, javaRun, 1e-10, args[0]);
        }
        // negative control: a different ridge is told apart at this tolerance
        List<String[]> runs = learningRuns(dir);
        String[] other = runs.get(0).clone();
        other[java.util.Arrays.asList(other).indexOf("1e-2") ] = "1.0000001e-2";
        Object a = cli(runs.get(0));
        Object b = cli(other);
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> assertSameNumbers(a, b, 1e-10, "control"));
    }
}
