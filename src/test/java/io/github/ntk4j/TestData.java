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
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> cases(String resource) {
        try (InputStream in = TestData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return (List<Map<String, Object>>) root.get("cases");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
