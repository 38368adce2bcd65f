package io.github.ntk4j;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class loader over a chosen class path (parent: the platform loader) that remembers every
 * class asked of it: the tests that run the library without an optional dependency (Symja, the
 * OpenBLAS natives) check that none of its classes was even requested.
 */
public final class RecordingClassLoader extends URLClassLoader {
    /** Every class name asked of this loader. */
    public final Set<String> requested = ConcurrentHashMap.newKeySet();

    /**
     * @param name the loader's name (in stack traces)
     * @param urls its class path
     */
    public RecordingClassLoader(String name, URL[] urls) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        requested.add(name);
        return super.loadClass(name, resolve);
    }
}
