package io.github.ntk4j;

import io.github.ntk4j.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Loads the test resources (reference files). */
public final class TestData {
    private TestData() {
    }

    /**
     * @param resource classpath resource path
     * @return the "cases" list of a reference file
     */
    public static List<Map<String, Object>> cases(String resource) {
        try (InputStream in = TestData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return casesOf(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file a reference file outside the class path (generated on demand)
     * @return its "cases" list
     */
    public static List<Map<String, Object>> cases(java.nio.file.Path file) {
        try {
            return casesOf(java.nio.file.Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> casesOf(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        return (List<Map<String, Object>>) root.get("cases");
    }

    /**
     * @param o a JSON list of numbers
     * @return as double[]
     */
    @SuppressWarnings("unchecked")
    public static double[] vector(Object o) {
        List<Object> l = (List<Object>) o;
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) l.get(i)).doubleValue();
        }
        return v;
    }

    /** @return x, y pairs used by several tests: random, collinear, anti-collinear, nearly collinear */
    public static double num(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).doubleValue();
    }

    /**
     * K(x, y) and Θ(x, y) by the textbook recursion on the covariances in plain doubles (Dense:
     * Σ' = W²Σ + b², Θ' = W²Θ + Σ'; activation: Σ' = T(Σ), Θ' = Θ·Ṫ(Σ)), with the activations'
     * 2-D quadrature duals. NTK-parameterisation Dense layers and activations only. For a
     * quadrature activation, {@link io.github.ntk4j.net.Activation#dual} is the 2-D
     * Gauss–Legendre quadrature, not Mehler's series the engine uses: an independent route.
     *
     * @return {K(x, y), Θ(x, y)}
     */
    public static double[] plainRecursion(io.github.ntk4j.net.Network net, double[] x, double[] y) {
        int d = x.length;
        double kxx = 0;
        double kxy = 0;
        double kyy = 0;
        for (int k = 0; k < d; k++) {
            kxx += x[k] * x[k];
            kxy += x[k] * y[k];
            kyy += y[k] * y[k];
        }
        kxx /= d;
        kxy /= d;
        kyy /= d;
        double txx = 0;
        double txy = 0;
        double tyy = 0;
        for (io.github.ntk4j.net.Layer layer : net.layers()) {
            if (layer instanceof io.github.ntk4j.net.Dense dense) {
                if (dense.standard()) {
                    throw new IllegalArgumentException("the plain recursion knows the NTK parameterisation only");
                }
                double w2 = dense.wStd() * dense.wStd();
                double b2 = dense.bStd() * dense.bStd();
                kxx = w2 * kxx + b2;
                kxy = w2 * kxy + b2;
                kyy = w2 * kyy + b2;
                txx = w2 * txx + kxx;
                txy = w2 * txy + kxy;
                tyy = w2 * tyy + kyy;
            } else {
                io.github.ntk4j.net.Activation a = (io.github.ntk4j.net.Activation) layer;
                double nxy = a.dual(kxx, kxy, kyy);
                txy *= a.dualDerivative(kxx, kxy, kyy);
                txx *= a.dualDerivative(kxx, kxx, kxx);
                tyy *= a.dualDerivative(kyy, kyy, kyy);
                kxx = a.dual(kxx, kxx, kxx);
                kyy = a.dual(kyy, kyy, kyy);
                kxy = nxy;
            }
        }
        return new double[] {kxy, txy};
    }

    /**
     * @return n rows of d independent standard normal values from {@code new Random(seed)}
     */
    public static double[][] gaussianRows(int n, int d, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }
}
