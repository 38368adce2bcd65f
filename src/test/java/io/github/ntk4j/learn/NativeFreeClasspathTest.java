package io.github.ntk4j.learn;

import io.github.ntk4j.RecordingClassLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.cli.Main;
import io.github.ntk4j.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning engines without the OpenBLAS/JavaCPP jars, as a library user who did not add the
 * natives has them: ntk4j's classes and its non-optional dependencies (hipparchus-core, EJML,
 * jackson-core, FastDoubleParser) plus picocli to drive the commands, in a class loader of their own. The learning
 * commands must give the numbers the native path gives in this JVM (1e-10 relative, norm-wise
 * per array), the fallback must be announced in exactly one line on standard error, and no
 * JavaCPP or OpenBLAS class may be requested beyond the one availability probe.
 */
class NativeFreeClasspathTest {
    private static final List<String> JARS = List.of("/org/hipparchus/hipparchus-core/", "/org/ejml/",
            "/com/fasterxml/jackson/core/jackson-core/", "/ch/randelshofer/fastdoubleparser/", "/info/picocli/");
    private static final String PROBE = "org.bytedeco.openblas.global.openblas";

    @TempDir
    Path dir;

    @Test
    void learningRunsOnPureJavaWithTheSameNumbers() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        boolean sawBytedeco = false;
        for (String entry : cp.split(File.pathSeparator)) {
            String p = entry.replace('\\', '/');
            sawBytedeco |= p.contains("/org/bytedeco/");
            if (p.endsWith("/target/classes") || p.endsWith("/target/classes/") || JARS.stream().anyMatch(p::contains)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertTrue(sawBytedeco, "the test class path should have the natives (so that leaving them out means something)");
        List<String[]> runs = LinearAlgebraFallbackTest.learningRuns(dir);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (RecordingClassLoader loader = new RecordingClassLoader("native-free", urls.toArray(new URL[0]))) {
            Method run = Class.forName(Main.class.getName(), true, loader)
                    .getMethod("run", PrintWriter.class, PrintWriter.class, String[].class);
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            List<Object> isolated = new ArrayList<>();
            try {
                for (String[] args : runs) {
                    StringWriter out = new StringWriter();
                    StringWriter err = new StringWriter();
                    int code = (Integer) run.invoke(null, new PrintWriter(out), new PrintWriter(err), (Object) args);
                    assertEquals(0, code, String.join(" ", args) + ": " + err);
                    isolated.add(Json.parse(out.toString().strip()));
                }
            } finally {
                System.setErr(stderr);
            }
            for (int i = 0; i < runs.size(); i++) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(err), runs.get(i)), err.toString());
                LinearAlgebraFallbackTest.assertSameNumbers(Json.parse(out.toString().strip()), isolated.get(i), 1e-10,
                        String.join(" ", runs.get(i)));
            }
            String notice = captured.toString(StandardCharsets.UTF_8).strip();
            assertEquals(1, notice.lines().count(), notice);
            assertTrue(notice.startsWith("ntk4j: org.bytedeco:openblas is not on the class path; learning runs on pure-Java EJML")
                    && notice.contains("slower") && notice.contains("openblas-platform"), notice);
            List<String> asked = new ArrayList<>();
            for (String n : loader.requested) {
                if (n.startsWith("org.bytedeco") && !n.equals(PROBE)) {
                    asked.add(n);
                }
            }
            assertEquals(List.of(), asked, "JavaCPP/OpenBLAS classes requested beyond the probe");
            assertTrue(loader.requested.contains(PROBE), "the probe ran");
        }
    }
}
