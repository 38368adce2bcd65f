package io.github.ntk4j.arch;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Counts the public surface of ntk4j in a directory of compiled classes: public types (top-level
 * public classes and public members of public types) and their public methods and constructors
 * (declared, not inherited; no synthetic or bridge methods), outside {@code cli}, with and
 * without {@code internal}. Run as a program on any build, e.g. an older commit's
 * {@code target/classes}, to compare:
 * {@code java -cp target/test-classes:target/classes io.github.ntk4j.arch.ApiSurface target/classes}.
 */
public final class ApiSurface {
    private ApiSurface() {
    }

    /**
     * @param types public types
     * @param methods their public methods and constructors
     * @param perPackage "package: types/methods" lines
     */
    public record Count(int types, int methods, TreeMap<String, int[]> perPackage) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(types + " public types, " + methods + " public methods and constructors\n");
            perPackage.forEach((p, c) -> sb.append(String.format("  %-28s %3d types %4d methods%n", p, c[0], c[1])));
            return sb.toString();
        }
    }

    /**
     * @param classes a directory of compiled classes
     * @param withInternal whether to count io.github.ntk4j.internal
     * @return the count outside cli
     */
    public static Count count(Path classes, boolean withInternal) throws IOException, ClassNotFoundException {
        List<String> names = new ArrayList<>();
        Path base = classes.resolve("io/github/ntk4j");
        try (Stream<Path> s = Files.walk(base)) {
            s.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                String rel = classes.relativize(p).toString();
                names.add(rel.substring(0, rel.length() - ".class".length()).replace('/', '.').replace('\\', '.'));
            });
        }
        int types = 0;
        int methods = 0;
        TreeMap<String, int[]> per = new TreeMap<>();
        // the classes counted first, then the libraries they use; not the running build's classes
        List<URL> urls = new ArrayList<>();
        urls.add(classes.toUri().toURL());
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (e.endsWith(".jar")) {
                urls.add(Path.of(e).toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String n : names) {
                String pkg = n.substring(0, n.lastIndexOf('.'));
                if (pkg.endsWith(".cli") || pkg.contains(".cli.") || (!withInternal && pkg.endsWith(".internal"))) {
                    continue;
                }
                Class<?> c = Class.forName(n, false, loader);
                if (!visible(c)) {
                    continue;
                }
                int m = 0;
                for (Method method : c.getDeclaredMethods()) {
                    if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                        m++;
                    }
                }
                for (var k : c.getDeclaredConstructors()) {
                    if (Modifier.isPublic(k.getModifiers()) && !k.isSynthetic()) {
                        m++;
                    }
                }
                types++;
                methods += m;
                int[] pc = per.computeIfAbsent(pkg.replace("io.github.ntk4j", "root").replace("root.", ""), k -> new int[2]);
                pc[0]++;
                pc[1] += m;
            }
        }
        return new Count(types, methods, per);
    }

    private static boolean visible(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Prints the counts for a classes directory.
     *
     * @param args the directory (default target/classes)
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/classes");
        System.out.println("outside cli:             " + count(dir, true));
        System.out.println("outside cli and internal: " + count(dir, false));
    }
}
