package io.github.ntk4j;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java source in memory with the JDK's compiler ({@link ToolProvider#getSystemJavaCompiler})
 * and loads it, for tests of generated source: nothing is written to disk.
 */
public final class InMemoryJava {
    private InMemoryJava() {
    }

    /** The outcome: the loaded class, or null with the compiler's messages. */
    public record Result(Class<?> loaded, String diagnostics) {
    }

    /**
     * @param className the public class's simple name (no package)
     * @param source its compilation unit
     * @param withClassPath compile and load against the test class path (ntk4j and its
     *     dependencies); otherwise against the platform classes only
     * @return the class, or null and the diagnostics when it does not compile
     */
    public static Result compile(String className, String source, boolean withClassPath) throws Exception {
        Map<String, Class<?>> r = new HashMap<>();
        StringWriter diagnostics = new StringWriter();
        boolean ok = compileAll(Map.of(className, source), withClassPath, r, diagnostics);
        return new Result(ok ? r.get(className) : null, diagnostics.toString());
    }

    /**
     * Several compilation units in one compiler run.
     *
     * @param sources class name to source
     * @param withClassPath as {@link #compile}
     * @param loaded receives the loaded classes by name
     * @param diagnostics receives the compiler's messages
     * @return whether all compiled
     */
    public static boolean compileAll(Map<String, String> sources, boolean withClassPath, Map<String, Class<?>> loaded,
            StringWriter diagnostics) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler (a JRE instead of a JDK)");
        }
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(null, null, null);
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        classes.put(name, b);
                        return b;
                    }
                };
            }
        };
        List<JavaFileObject> units = new java.util.ArrayList<>();
        sources.forEach((className, source) -> units.add(
                new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return source;
                    }
                }));
        List<String> options = withClassPath ? List.of("-classpath", System.getProperty("java.class.path")) : List.of();
        boolean ok = javac.getTask(diagnostics, files, null, options, null, units).call();
        if (!ok) {
            return false;
        }
        ClassLoader parent = withClassPath ? InMemoryJava.class.getClassLoader() : ClassLoader.getPlatformClassLoader();
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = b.toByteArray();
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        for (String className : sources.keySet()) {
            loaded.put(className, loader.loadClass(className));
        }
        return true;
    }
}
