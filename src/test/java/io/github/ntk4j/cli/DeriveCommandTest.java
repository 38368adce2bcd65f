package io.github.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.Json;
import io.github.ntk4j.math.KernelValue;
import io.github.ntk4j.kernel.NtkRecursion;
import io.github.ntk4j.net.NetworkSpec;
import io.github.ntk4j.symbolic.SymjaSession;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
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
     * Compiles the statements of a java output into a method of (xx, xy, yy) and runs it at
     * (2.5, 1.5, 2.125), the input kernel of x = (1, 2), y = (2, 0.5).
     *
     * @param withNtk4j compile and run against ntk4j (integral lines call its numeric duals)
     * @return {nngp, ntk}
     */
    private static double[] compileAndEvaluate(Path dir, String javaOutput, boolean withNtk4j) throws Exception {
        StringBuilder src = new StringBuilder("public class Derived { public static double[] eval(double xx, double xy, double yy) {\n");
        javaOutput.lines().filter(l -> !l.startsWith("//")).forEach(l -> src.append(l).append('\n'));
        src.append("return new double[] {nngp, ntk}; } }\n");
        Files.writeString(dir.resolve("Derived.java"), src);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(withNtk4j ? List.of("-cp", System.getProperty("java.class.path")) : List.of());
        args.addAll(List.of("-d", dir.toString(), dir.resolve("Derived.java").toString()));
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), src.toString());
        ClassLoader parent = withNtk4j ? DeriveCommandTest.class.getClassLoader() : ClassLoader.getPlatformClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, parent)) {
            return (double[]) cl.loadClass("Derived").getMethod("eval", double.class, double.class, double.class)
                    .invoke(null, 2.5, 1.5, 2.125);
        }
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

        CliTest.Run java = run("derive", "--net", spec, "--integrate-seconds", "0", "--format", "java");
        assertEquals(0, java.code(), java.err());
        double[] got = compileAndEvaluate(dir, java.out(), true);
        assertEquals(want.nngp(), got[0], 1e-12 * Math.abs(want.nngp()));
        assertEquals(want.ntk(), got[1], 1e-12 * Math.abs(want.ntk()));

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
}
