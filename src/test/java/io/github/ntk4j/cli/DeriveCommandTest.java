package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InMemoryJava;
import io.github.ntk4j.io.Json;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.symbolic.SymjaSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntk4j derive} end to end, and the promise that other commands never load Symja. */
class DeriveCommandTest {
    private static final SymjaSession SESSION = SymjaSession.shared();

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    /**
     * At a zero-variance input the closed form is 0/0; --at gives its limit. Independent value:
     * with x = 0 the first Dense(w, b) layer gives Σxx = b², Σxy = b², Σyy = w²·yy + b², then the
     * arc-cosine kernel T and the readout K = w²T + b², Θ = K + w²·b²·(π − θ)/(2π).
     */
    @Test
    @SuppressWarnings("unchecked")
    void atAZeroVarianceInputGivesTheLimitNotNaN() {
        double w = 1.4;
        double b = 0.1;
        double yy = 2;
        double sxx = b * b;
        double syy = w * w * yy + b * b;
        double norm = Math.sqrt(sxx * syy);
        double th = Math.acos(sxx / norm);
        double t = norm / (2 * Math.PI) * (Math.sin(th) + (Math.PI - th) * Math.cos(th));
        double k = w * w * t + b * b;
        double theta = k + w * w * sxx * (Math.PI - th) / (2 * Math.PI);
        CliTest.Run r = run("derive", "--activation", "relu", "--depth", "1", "--w-std", "1.4", "--b-std", "0.1",
                "--at", "xx=0,xy=0,yy=2", "--format", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        assertEquals(k, (Double) m.get("nngp_value"), 1e-13 * k);
        assertEquals(theta, (Double) m.get("ntk_value"), 1e-13 * theta);
    }

    @Test
    void kernelCommandLoadsNoSymjaClass() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                "io.github.ntk4j.cli.Main", "kernel", "--x", "1,2", "--y", "2,1").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output.length() > 2000 ? output.substring(output.length() - 2000) : output);
        assertTrue(output.contains("io.github.ntk4j.cli.DeriveCommand"), "derive is registered (its class is loaded by picocli)");
        assertTrue(output.contains("nngp"), "the kernel command printed its result");
        List<String> symja = output.lines().filter(l -> l.contains("org.matheclipse") || l.contains("edu.jas")).toList();
        assertTrue(symja.isEmpty(), "Symja classes loaded by 'kernel': " + symja.subList(0, Math.min(5, symja.size())));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonOnTheSphereWithSeriesAndValue() {
        CliTest.Run r = run("derive", "--activation", "relu", "--depth", "1", "--w-std", "1", "--b-std", "0", "--sphere",
                "--series", "5", "--at", "u=0.3", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        assertEquals(List.of("u"), m.get("variables"));
        String nngp = (String) m.get("nngp");
        String ntk = (String) m.get("ntk");
        assertTrue(nngp.contains("Sqrt(") && nngp.contains("ArcCos(") && !nngp.contains("["), nngp);
        assertTrue(SESSION.simplifiesToZero("(" + nngp + ")-(Sqrt[1-u^2]+(Pi-ArcCos[u])*u)/(2*Pi)", 5), nngp);
        assertTrue(SESSION.simplifiesToZero("(" + ntk + ")-(Sqrt[1-u^2]+2*u*(Pi-ArcCos[u]))/(2*Pi)", 5), ntk);
        List<String> ks = (List<String>) m.get("nngp_series");
        List<String> ts = (List<String>) m.get("ntk_series");
        assertEquals(5, ks.size());
        assertEquals(5, ts.size());
        assertEquals(1 / (48 * Math.PI), SESSION.numeric(ks.get(4)), 1e-16);
        assertEquals(3 / (4 * Math.PI), SESSION.numeric(ts.get(2)), 1e-16);
        double u = 0.3;
        double acos = Math.acos(u);
        double root = Math.sqrt(1 - u * u);
        assertEquals((root + (Math.PI - acos) * u) / (2 * Math.PI), (Double) m.get("nngp_value"), 1e-15);
        assertEquals((root + 2 * u * (Math.PI - acos)) / (2 * Math.PI), (Double) m.get("ntk_value"), 1e-15);
    }

    /**
     * The text output is Symja input: each line read back by Symja's parser and evaluated in
     * order at a point reproduces the numeric engine's kernels.
     */
    @Test
    void textRoundTripsThroughSymjasParser() {
        CliTest.Run r = run("derive", "--activation", "relu", "--depth", "3", "--w-std", "1.4", "--b-std", "0.1");
        assertEquals(0, r.code(), r.err());
        // x = (1, 2), y = (2, 0.5), d = 2
        List<String> names = new ArrayList<>(List.of("xx", "xy", "yy"));
        List<Double> values = new ArrayList<>(List.of(2.5, 1.5, 2.125));
        int lines = 0;
        for (String line : r.out().lines().toList()) {
            if (line.startsWith("(*")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            assertTrue(eq > 0, line);
            String name = line.substring(0, eq);
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            names.add(name);
            values.add(SESSION.numeric(line.substring(eq + 3), names.subList(0, v.length), v));
            lines++;
        }
        assertTrue(lines > 10, "a straight-line program for depth 3: " + r.out());
        KernelValue want = NtkRecursion.of(NetworkSpec.parse("dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1) relu dense(1.4,0.1)"))
                .pair(new double[] {1, 2}, new double[] {2, 0.5});
        assertEquals(want.nngp(), values.get(names.indexOf("nngp")), 1e-12 * want.nngp());
        assertEquals(want.ntk(), values.get(names.indexOf("ntk")), 1e-12 * want.ntk());
    }

    /** The java output compiles, and the compiled method gives the numeric engine's values. */
    @Test
    void javaOutputCompilesAndAgrees(@TempDir Path dir) throws Exception {
        CliTest.Run r = run("derive", "--net", "dense(1.2,0.2) erf dense(0.8,0.1) relu dense(1,0)", "--expanded", "--format", "java");
        assertEquals(0, r.code(), r.err());
        double[] got = compileAndEvaluate(dir, r.out(), false);
        KernelValue want = NtkRecursion.of(NetworkSpec.parse("dense(1.2,0.2) erf dense(0.8,0.1) relu dense(1,0)"))
                .pair(new double[] {1, 2}, new double[] {2, 0.5});
        assertEquals(want.nngp(), got[0], 1e-12 * Math.abs(want.nngp()));
        assertEquals(want.ntk(), got[1], 1e-12 * Math.abs(want.ntk()));
    }

    /**
     * Compiles a java output, whole (comments included), in memory and runs its at(xx, xy, yy) at
     * (2.5, 1.5, 2.125), the input kernel of x = (1, 2), y = (2, 0.5).
     *
     * @param withNtk4j compile and run against ntk4j (integral lines call its numeric duals)
     * @return {nngp, ntk}
     */
    private static double[] compileAndEvaluate(Path dir, String javaOutput, boolean withNtk4j) throws Exception {
        InMemoryJava.Result r = InMemoryJava.compile("DerivedKernel", javaOutput, withNtk4j);
        assertTrue(r.loaded() != null, () -> javaOutput + r.diagnostics());
        return (double[]) r.loaded().getMethod("at", double.class, double.class, double.class).invoke(null, 2.5, 1.5, 2.125);
    }

    /**
     * A tanh network end to end: JSON names the integral lines, --at is the numeric engine's value,
     * the Java output (integral lines call the activation's numeric duals) compiles against ntk4j
     * and agrees with the engine, and --series is refused with the reason.
     */
    @Test
    @SuppressWarnings("unchecked")
    void integralActivationInJsonJavaAndSeries(@TempDir Path dir) throws Exception {
        String spec = "dense(1.2,0.2) tanh dense(0.8,0.1)";
        KernelValue want = NtkRecursion.of(NetworkSpec.parse(spec)).pair(new double[] {1, 2}, new double[] {2, 0.5});
        CliTest.Run r = run("derive", "--net", spec, "--integrate-seconds", "0", "--format", "json", "--at", "xx=2.5,xy=1.5,yy=2.125");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
        assertEquals("straight-line", m.get("form"));
        List<Map<String, Object>> integrals = (List<Map<String, Object>>) m.get("integrals");
        assertEquals(List.of("T_diagonal", "T_diagonal", "T", "Tdot"), integrals.stream().map(i -> i.get("kind")).toList());
        assertEquals(want.nngp(), (Double) m.get("nngp_value"), 1e-12 * Math.abs(want.nngp()));
        assertEquals(want.ntk(), (Double) m.get("ntk_value"), 1e-12 * Math.abs(want.ntk()));

        // the Java output's integral lines call the activation's duals (the 2-D quadrature), as the
        // plain recursion does; the engine's pair() takes Mehler's series (truncated at 1e-11)
        CliTest.Run java = run("derive", "--net", spec, "--integrate-seconds", "0", "--format", "java");
        assertEquals(0, java.code(), java.err());
        double[] got = compileAndEvaluate(dir, java.out(), true);
        double[] plain = io.github.ntk4j.TestData.plainRecursion(NetworkSpec.parse(spec), new double[] {1, 2},
                new double[] {2, 0.5});
        assertEquals(plain[0], got[0], 1e-12 * Math.abs(plain[0]));
        assertEquals(plain[1], got[1], 1e-12 * Math.abs(plain[1]));

        CliTest.Run series = run("derive", "--net", spec, "--sphere", "--series", "3");
        assertEquals(2, series.code());
        assertTrue(series.err().contains("tanh has none") && series.err().lines().count() == 1, series.err());
    }

    @Test
    void badUsageIsOneLineAndExitCode2() {
        CliTest.Run noSphere = run("derive", "--series", "4");
        assertEquals(2, noSphere.code());
        assertTrue(noSphere.err().contains("--series") && noSphere.err().contains("--sphere"), noSphere.err());
        CliTest.Run format = run("derive", "--format", "xml");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("text, tex, java or json"), format.err());
        CliTest.Run outside = run("derive", "--depth", "1", "--sphere", "--at", "u=1.5");
        assertEquals(2, outside.code());
        assertTrue(outside.err().contains("[-1, 1]"), outside.err());
        CliTest.Run missing = run("derive", "--depth", "1", "--at", "xx=1,xy=0.5");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("yy"), missing.err());
        assertFalse(missing.out().contains("Exception"));
    }

    /**
     * --simplify-seconds 1e7 reached Symja as 1.0E7 and text/json printed an
     * unevaluated TimeConstrained(Simplify(…)) with exit 0. Out-of-range time limits are one
     * line and exit 2 in every format; limits in range give a result with no Symja wrapper.
     */
    @Test
    void timeLimitsAreBoundedAndNeverPrintedAsAResult() {
        for (String format : List.of("text", "json", "java", "tex")) {
            for (String[] bad : new String[][] {{"--simplify-seconds", "1e7"}, {"--simplify-seconds", "3601"},
                    {"--simplify-seconds", "0"}, {"--simplify-seconds", "-1"}, {"--simplify-seconds", "NaN"},
                    {"--simplify-seconds", "Infinity"}, {"--integrate-seconds", "1e7"}, {"--integrate-seconds", "-0.5"}}) {
                CliTest.Run r = run("derive", "--net", "dense(1,0) relu dense(1,0)", "--format", format, bad[0], bad[1]);
                assertEquals(2, r.code(), format + " " + String.join(" ", bad) + ": " + r.out() + r.err());
                assertEquals("", r.out(), "nothing on stdout");
                assertEquals(1, r.err().lines().count(), r.err());
                assertTrue(r.err().contains(bad[0]) && r.err().contains("3600"), r.err());
            }
        }
        // in range, with a fraction and at the bound: a result, no wrapper; the same kernel as the default
        CliTest.Run plain = run("derive", "--net", "dense(1,0) relu dense(1,0)");
        for (String seconds : List.of("3600", "0.25", "1e-3")) {
            CliTest.Run r = run("derive", "--net", "dense(1,0) relu dense(1,0)", "--simplify-seconds", seconds, "--format", "json",
                    "--at", "xx=1,xy=0.5,yy=2");
            assertEquals(0, r.code(), r.err());
            assertFalse(r.out().toLowerCase(java.util.Locale.ROOT).matches("(?s).*(timeconstrained|simplify|together)\\s*[\\[(].*"),
                    r.out());
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(r.out());
            // x·x/2 = 1, x·y/2 = 0.5, y·y/2 = 2
            KernelValue want = NtkRecursion.of(NetworkSpec.parse("dense(1,0) relu dense(1,0)"))
                    .pair(new double[] {Math.sqrt(2), 0}, new double[] {0.5 * Math.sqrt(2), Math.sqrt(2 * (2 - 0.25))});
            assertEquals(want.nngp(), (Double) m.get("nngp_value"), 1e-12 * want.nngp());
            assertEquals(want.ntk(), (Double) m.get("ntk_value"), 1e-12 * want.ntk());
        }
        assertEquals(0, plain.code());
        assertFalse(plain.out().contains("TimeConstrained"), plain.out());
    }

    /**
     * hermite(2) was "non-polynomial" to --series while the same
     * poly worked. Two hermite layers (and hermite with one relu) now give the series, equal
     * to the poly form's and to the numeric engine summed at points of [-1, 1] (the kernel is
     * a polynomial of degree 4 here, so 6 terms are exact); two transcendental layers stay refused.
     */
    @Test
    @SuppressWarnings("unchecked")
    void hermiteLayersComposeInTheSeriesLikeTheirPolyForm() {
        double r = Math.sqrt(0.5);
        String hermite = "dense(1.2,0.3) hermite(2) dense(0.9,0.2) hermite(2) dense(1,0.1)";
        String poly = "dense(1.2,0.3) poly(" + (-r) + ",0," + r + ") dense(0.9,0.2) poly(" + (-r) + ",0," + r + ") dense(1,0.1)";
        CliTest.Run h = run("derive", "--sphere", "--series", "6", "--net", hermite, "--format", "json");
        assertEquals(0, h.code(), h.err());
        CliTest.Run p = run("derive", "--sphere", "--series", "6", "--net", poly, "--format", "json");
        assertEquals(0, p.code(), p.err());
        List<String> hk = (List<String>) ((Map<String, Object>) Json.parse(h.out())).get("nngp_series");
        List<String> ht = (List<String>) ((Map<String, Object>) Json.parse(h.out())).get("ntk_series");
        List<String> pk = (List<String>) ((Map<String, Object>) Json.parse(p.out())).get("nngp_series");
        List<String> pt = (List<String>) ((Map<String, Object>) Json.parse(p.out())).get("ntk_series");
        NtkRecursion engine = NtkRecursion.of(NetworkSpec.parse(hermite));
        for (double u : new double[] {-1, -0.7, 0, 0.3, 0.95, 1}) {
            KernelValue want = engine.pair(new double[] {Math.sqrt(2), 0}, new double[] {Math.sqrt(2) * u, Math.sqrt(2 * (1 - u * u))});
            double[] got = {sum(hk, u), sum(ht, u)};
            assertEquals(want.nngp(), got[0], 1e-12 * Math.abs(want.nngp()), "nngp at u = " + u);
            assertEquals(want.ntk(), got[1], 1e-12 * Math.abs(want.ntk()), "ntk at u = " + u);
            // the poly form: its coefficients ±1/√2 are rounded to double, so agreement to about 1e-15
            assertEquals(sum(pk, u), got[0], 1e-12 * Math.abs(got[0]), "poly nngp at u = " + u);
            assertEquals(sum(pt, u), got[1], 1e-12 * Math.abs(got[1]), "poly ntk at u = " + u);
        }
        CliTest.Run mixed = run("derive", "--sphere", "--series", "4", "--net", "dense(1,0) hermite(3) dense(1,0) relu dense(1,0) monomial(2) dense(1,0)");
        assertEquals(0, mixed.code(), mixed.err());
        CliTest.Run two = run("derive", "--sphere", "--series", "4", "--net", "dense(1,0) relu dense(1,0) erf dense(1,0)");
        assertEquals(2, two.code());
        assertTrue(two.err().contains("non-polynomial activation (this network has 2)"), two.err());
    }

    private static double sum(List<String> coefficients, double u) {
        double s = 0;
        for (int i = coefficients.size() - 1; i >= 0; i--) {
            s = s * u + SESSION.numeric(coefficients.get(i));
        }
        return s;
    }

    /**
     * Escaping: a reproducer's fn text, with a Unicode escape that ends a Java comment,
     * in every format. Either the spec is refused (one line, exit 2: fn's whitelist) or the
     * output keeps it as text: the Java class compiles whole and runs without the injected
     * statement, text/tex comment lines stay closed on their line, json parses back.
     */
    @Test
    void injectedCodeInFnTextStaysText() throws Exception {
        String canary = "ntk4j.derive.injected";
        List<String> payloads = List.of(
                "x(*\\u000aSystem.setProperty(\\u0022" + canary + "\\u0022,\\u0022x\\u0022);//*)",
                "x(*\\u002a/System.setProperty(\\u0022" + canary + "\\u0022,\\u0022x\\u0022);/\\u002a*)",
                "x(**)System.setProperty(\\u0022" + canary + "\\u0022,\\u0022x\\u0022);//*)");
        for (String payload : payloads) {
            String net = "dense(1,0) fn(\"" + payload + "\") dense(1,0)";
            for (String format : List.of("java", "text", "tex", "json")) {
                System.clearProperty(canary);
                CliTest.Run r = run("derive", "--net", net, "--integrate-seconds", "0", "--format", format);
                if (r.code() == 2) {
                    assertEquals(1, r.err().lines().count(), r.err());
                    continue;
                }
                assertEquals(0, r.code(), r.err());
                for (String line : r.out().split("\n", -1)) {
                    for (char c : line.toCharArray()) {
                        assertTrue(c != '\r' && c != 0x2028 && c != 0x2029 && c != 0x85, format + ": raw line break in " + line);
                    }
                    if (format.equals("text") && line.startsWith("(*")) {
                        assertEquals(line.length() - 2, line.indexOf("*)"), "one closed comment: " + line);
                    }
                    assertFalse(line.contains("\\u000a") && !line.contains("\\\\u000a") && format.equals("java"),
                            "an active Unicode escape in " + line);
                }
                if (format.equals("java")) {
                    InMemoryJava.Result c = InMemoryJava.compile("DerivedKernel", r.out(), true);
                    assertTrue(c.loaded() != null, () -> r.out() + c.diagnostics());
                    double[] got = (double[]) c.loaded().getMethod("at", double.class, double.class, double.class)
                            .invoke(null, 2.5, 1.5, 2.125);
                    KernelValue want = NtkRecursion.of(NetworkSpec.parse("dense(1,0) identity dense(1,0)"))
                            .pair(new double[] {1, 2}, new double[] {2, 0.5});
                    assertEquals(want.nngp(), got[0], 1e-9 * Math.abs(want.nngp()), "fn(x) is the identity");
                }
                if (format.equals("json")) {
                    Json.parse(r.out());
                }
                assertEquals(null, System.getProperty(canary), "injected code ran (" + format + ")");
            }
        }
    }
}
