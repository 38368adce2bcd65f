package io.github.ntk4j.arch;

import io.github.ntk4j.RecordingClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.TestData;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symja is an optional dependency: the numeric engines (analytic, finite-width, learning, the
 * studies) and the CLI's other commands must run without it. This test loads ntk4j in its own
 * class loader whose class path is the CLI's without Symja (ntk4j's classes, hipparchus-core, commons-numbers,
 * EJML, jackson-core, OpenBLAS, picocli, XChart and its dependencies) and the 40-odd jars only
 * Symja brings, and records every class
 * it is asked for: no Symja (org.matheclipse) or JAS (edu.jas) class may even be requested.
 * Kernel values are checked against the 50-digit references of kernels.json (their source is
 * stated in the file), and {@code derive} must refuse with one line naming Symja.
 */
class SymjaFreeClasspathTest {
    /** Path fragments of the CLI's jars without Symja (mvn dependency:tree less Symja and what it brings). */
    private static final List<String> LIBRARY_JARS = List.of("/org/hipparchus/hipparchus-core/", "/org/apache/commons/commons-numbers-", "/org/ejml/",
            "/com/fasterxml/jackson/core/jackson-core/", "/ch/randelshofer/fastdoubleparser/", "/info/picocli/", "/org/knowm/xchart/", "/de/erichseifert/",
            "/de/rototor/", "/org/apache/pdfbox/", "/commons-logging/", "/com/madgag/", "/org/bytedeco/");

    @TempDir
    Path dir;

    private static RecordingClassLoader libraryLoader() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        boolean sawSymja = false;
        for (String entry : cp.split(File.pathSeparator)) {
            String p = entry.replace('\\', '/');
            sawSymja |= p.contains("/org/matheclipse/");
            boolean mainClasses = p.endsWith("/target/classes") || p.endsWith("/target/classes/");
            if (mainClasses || LIBRARY_JARS.stream().anyMatch(p::contains)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertTrue(sawSymja, "the test class path should contain Symja (so that removing it means something): " + cp);
        assertTrue(urls.stream().anyMatch(u -> u.toString().endsWith("/target/classes/")), "ntk4j's classes: " + urls);
        return new RecordingClassLoader("symja-free", urls.toArray(new URL[0]));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(RecordingClassLoader loader, String... args) throws Exception {
        Class<?> main = Class.forName("io.github.ntk4j.cli.Main", true, loader);
        Method run = main.getMethod("run", PrintWriter.class, PrintWriter.class, String[].class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            int code = (Integer) run.invoke(null, new PrintWriter(out), new PrintWriter(err), args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static String csv(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void numericEnginesRunWithoutSymja() throws Exception {
        try (RecordingClassLoader loader = libraryLoader()) {
            // analytic engine: the first relu and erf cases of the reference file
            int checked = 0;
            for (Map<String, Object> c : TestData.cases("/reference/kernels.json")) {
                String act = (String) c.get("activation");
                if (checked >= 4 || !(act.equals("relu") || act.equals("erf"))) {
                    continue;
                }
                Run r = cli(loader, "kernel", "--x", csv(TestData.vector(c.get("x"))), "--y", csv(TestData.vector(c.get("y"))),
                        "--activation", act, "--depth", String.valueOf((int) TestData.num(c, "depth")),
                        "--w-std", String.valueOf(TestData.num(c, "W_std")), "--b-std", String.valueOf(TestData.num(c, "b_std")),
                        "--format", "json");
                assertEquals(0, r.code(), r.err());
                Map<String, Object> m = (Map<String, Object>) io.github.ntk4j.io.Json.parse(r.out().strip());
                for (String k : List.of("nngp", "ntk")) {
                    double ref = TestData.num(c, k);
                    double got = (Double) m.get(k);
                    assertTrue(Math.abs(got - ref) <= 1e-12 * Math.abs(ref), k + ": got " + got + ", reference " + ref);
                }
                checked++;
            }
            assertEquals(4, checked);

            // finite-width engine, learning engine and a study, end to end
            Path x = dir.resolve("x.csv");
            Path y = dir.resolve("y.csv");
            Files.writeString(x, "1,0\n0.6,0.8\n-0.5,0.5\n0.2,-1\n");
            Files.writeString(y, "1\n0\n-1\n0.5\n");
            List<String[]> runs = List.of(
                    new String[] {"empirical", "--x", "1,0", "--y", "0.6,0.8", "--width", "32", "--samples", "4", "--threads", "1"},
                    new String[] {"gram", "--input", x.toString()},
                    new String[] {"predict", "--train", x.toString(), "--targets", y.toString(), "--test", x.toString(),
                        "--diag-reg", "1e-3"},
                    new String[] {"spectrum", "--sphere-dim", "3", "--degrees", "4"},
                    new String[] {"verify", "--widths", "8,16,32", "--seeds", "2", "--activation", "erf", "--threads", "1"},
                    new String[] {"train", "--widths", "16,32,64", "--seeds", "2", "--steps", "5", "--threads", "1"},
                    new String[] {"pathkernel", "--width", "16", "--steps", "3"},
                    new String[] {"fourier", "--grid", "16", "--features", "8", "--steps", "10", "--threads", "1"},
                    new String[] {"bench", "gram", "--n", "50", "--d", "5", "--repeat", "1", "--threads", "1"});
            for (String[] args : runs) {
                Run r = cli(loader, args);
                assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 3, String.join(" ", args) + " -> " + r.code() + ": " + r.err());
                assertTrue(!r.out().isBlank(), String.join(" ", args));
            }

            // the symbolic engine says what is missing, in one line, exit 2
            Run d = cli(loader, "derive", "--activation", "relu", "--depth", "1");
            assertEquals(2, d.code(), d.err());
            assertTrue(d.err().contains("needs Symja") && d.err().strip().lines().count() == 1, d.err());

            List<String> symja = new ArrayList<>();
            for (String n : loader.requested) {
                String lower = n.toLowerCase(Locale.ROOT);
                if ((lower.startsWith("org.matheclipse") || lower.startsWith("edu.jas")) && !n.equals(
                        "org.matheclipse.core.eval.ExprEvaluator")) {
                    symja.add(n);
                }
            }
            Collections.sort(symja);
            assertEquals(List.of(), symja, "Symja classes requested (only derive's availability probe may ask)");
        }
    }
}
