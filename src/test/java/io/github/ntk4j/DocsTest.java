package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.ntk4j.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code in README.md and docs/*.md is run, as doctests are. The rules for a fenced block:
 * <ul>
 *   <li>{@code ```java}: a complete program (imports, one top-level class with
 *       {@code main}); compiled with javax.tools against the test class path and its
 *       {@code main} run with a timeout of {@value #TIMEOUT_SECONDS} s; any compiler error,
 *       exception or timeout fails;</li>
 *   <li>{@code ```sh}: commands {@code java -jar target/ntk4j.jar ARGS} (one per line,
 *       {@code \} continues a line, {@code #} starts a comment), run in-process through
 *       {@link Main} from the repository root; each must exit 0;</li>
 *   <li>{@code ```console}, {@code ```text} and other languages ({@code xml}, {@code json},
 *       {@code mermaid}, …): shown, not run (commands with their output, formulas, files);</li>
 *   <li>a fence without a language fails: every block says which of these it is.</li>
 * </ul>
 */
class DocsTest {
    private static final int TIMEOUT_SECONDS = 120;
    private static final Pattern FENCE = Pattern.compile("^```([A-Za-z0-9_+-]*)\\s*$");
    private static final Pattern CLASS = Pattern.compile("(?m)^public\\s+(?:final\\s+)?class\\s+(\\w+)");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final String JAR = "java -jar target/ntk4j.jar";

    @TempDir
    static Path work;

    /** One fenced block. */
    record Block(Path file, int line, String language, String text) {
        String where() {
            return file + ":" + line;
        }
    }

    static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(Path.of("README.md"));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int start = i + 1;
            StringBuilder sb = new StringBuilder();
            int j = start;
            while (j < lines.size() && !lines.get(j).startsWith("```")) {
                sb.append(lines.get(j)).append('\n');
                j++;
            }
            out.add(new Block(file, start, m.group(1), sb.toString()));
            i = j;
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> codeBlocksRun() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path doc : documents()) {
            for (Block b : blocks(doc)) {
                switch (b.language()) {
                    case "java" -> tests.add(DynamicTest.dynamicTest("java " + b.where(), () -> runJava(b)));
                    case "sh" -> tests.add(DynamicTest.dynamicTest("sh " + b.where(), () -> runShell(b)));
                    case "" -> tests.add(DynamicTest.dynamicTest("untagged " + b.where(),
                            () -> fail(b.where() + ": a code block needs a language: java (a program the tests run), "
                                    + "sh (commands the tests run), console or text (shown, not run)")));
                    default -> {
                        // shown, not run
                    }
                }
            }
        }
        return tests;
    }

    /** Negative controls: a block that does not compile, a program that throws, a failing or piped command. */
    @org.junit.jupiter.api.Test
    void brokenBlocksFail() throws Exception {
        Path f = Path.of("synthetic.md");
        assertThrows(AssertionError.class, () -> runJava(new Block(f, 1, "java",
                "public class Broken { public static void main(String[] a) { int x = \"no\"; } }")));
        assertThrows(AssertionError.class, () -> runJava(new Block(f, 1, "java",
                "public class Throws { public static void main(String[] a) { throw new IllegalStateException(); } }")));
        runJava(new Block(f, 1, "java", "public class Fine { public static void main(String[] a) { } }"));
        assertThrows(AssertionError.class, () -> runShell(new Block(f, 1, "sh", JAR + " kernel --x 1,NaN --y 1,2\n")));
        assertThrows(AssertionError.class, () -> runShell(new Block(f, 1, "sh", JAR + " --version | head -1\n")));
        assertThrows(AssertionError.class, () -> runShell(new Block(f, 1, "sh", "ls docs\n")));
        runShell(new Block(f, 1, "sh", "# a comment\n" + JAR + " kernel --x 1,2 \\\n    --y 2,1\n"));
        assertEquals(List.of("a", "b c", "d(e | f)"), List.of(split(" a 'b c' \"d(e | f)\"")));
    }

    private static void runJava(Block b) throws Exception {
        Matcher c = CLASS.matcher(b.text());
        assertTrue(c.find(), b.where() + ": a java block is a complete program with a public class and main");
        String cls = c.group(1);
        Matcher p = PACKAGE.matcher(b.text());
        String pkg = p.find() ? p.group(1) : "";
        Path dir = Files.createTempDirectory(work, "doc");
        Path src = dir.resolve("src").resolve(pkg.replace('.', '/')).resolve(cls + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, b.text());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, fm, diagnostics,
                    List.of("-classpath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), "-d", classes.toString(), "-encoding",
                            "UTF-8", "-Xlint:none"),
                    null, fm.getJavaFileObjects(src.toFile())).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder(b.where() + ": does not compile:\n");
                diagnostics.getDiagnostics().forEach(d -> sb.append("  line ")
                        .append(b.line() + d.getLineNumber() - 1).append(": ").append(d.getMessage(null)).append('\n'));
                fail(sb.toString());
            }
        }
        String name = pkg.isEmpty() ? cls : pkg + "." + cls;
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "doc-" + cls);
            t.setDaemon(true);
            return t;
        });
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, DocsTest.class.getClassLoader())) {
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Future<?> run = ex.submit(() -> {
                main.invoke(null, (Object) new String[0]);
                return null;
            });
            try {
                run.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                fail(b.where() + ": main did not finish in " + TIMEOUT_SECONDS + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause()
                        : e.getCause();
                throw new AssertionError(b.where() + ": main threw " + cause, cause);
            }
        } finally {
            System.setOut(saved);
            ex.shutdownNow();
        }
        System.out.print(captured.toString(StandardCharsets.UTF_8));
    }

    private static void runShell(Block b) {
        String joined = b.text().replace("\\\n", " ");
        int n = 0;
        for (String raw : joined.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            assertTrue(line.startsWith(JAR + " "), b.where() + ": a sh block holds only '" + JAR + " ARGS' lines (the "
                    + "tests run them); show other commands in a console block: " + line);
            String[] args = split(line.substring(JAR.length()));
            for (String w : args) {
                assertTrue(!w.matches("\\||>|>>|<|&&|;|2>|2>&1"), b.where() + ": '" + w + "' is shell syntax; a sh block "
                        + "is run without a shell (one command per line): show pipes and redirections in a console block");
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
            assertEquals(0, code, b.where() + ": '" + line + "' exited " + code + ": " + err);
            n++;
        }
        assertTrue(n > 0, b.where() + ": an empty sh block");
    }

    /** Splits a command line into words: whitespace separates, single and double quotes group. */
    static String[] split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(ch);
                any = true;
            }
        }
        if (quote != 0) {
            throw new AssertionError("unclosed quote in: " + s);
        }
        if (any) {
            out.add(cur.toString());
        }
        return out.toArray(String[]::new);
    }
}
