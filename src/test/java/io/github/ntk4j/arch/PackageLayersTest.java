package io.github.ntk4j.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package graph of docs/ARCHITECTURE.md: acyclic, and every dependency points down the
 * layers. A package may use any package of a lower level, none of its own level (siblings are
 * independent) and none above.
 */
class PackageLayersTest {
    /** The levels, bottom-up; packages on one line are siblings. Keep in step with docs/ARCHITECTURE.md. */
    static final String[][] LEVELS = {
        {""},                            // the exceptions, Progress
        {"internal"},                    // not exported: Messages, memory checks, kernel state, workers
        {"math"},                        // kernel values and kernel functions, statistics
        {"io", "net"},                   // CSV/JSON; the network model with its layers' kernel rules
        {"kernel", "symbolic", "finite"}, // engines: analytic, symbolic (Symja), finite width
        {"learn"},                       // learning on kernels (uses the analytic engine)
        {"study"},                       // studies combining engines
        {"bench"},                       // not exported: the benchmark harness behind `ntk4j bench`
        {"plot"},                        // charts of studies
        {"cli"},                         // picocli commands: parse, call, print
    };

    /**
     * The layering rule over the packages below {@code base}.
     *
     * @param base the root package
     * @return the rule
     */
    static LayeredArchitecture layers(String base) {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] level : LEVELS) {
            for (String p : level) {
                arch = arch.layer(name(p)).definedBy(p.isEmpty() ? base : base + "." + p + "..");
            }
        }
        for (int i = 0; i < LEVELS.length; i++) {
            List<String> above = new ArrayList<>();
            for (int j = i + 1; j < LEVELS.length; j++) {
                for (String p : LEVELS[j]) {
                    above.add(name(p));
                }
            }
            for (String p : LEVELS[i]) {
                arch = above.isEmpty() ? arch.whereLayer(name(p)).mayNotBeAccessedByAnyLayer()
                        : arch.whereLayer(name(p)).mayOnlyBeAccessedByLayers(above.toArray(new String[0]));
            }
        }
        return arch;
    }

    private static String name(String p) {
        return p.isEmpty() ? "root" : p;
    }

    static ArchRule noCycles(String base) {
        return slices().matching(base + ".(*)..").should().beFreeOfCycles();
    }

    private static Path classDirectory(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mainCodeFollowsTheLayers() {
        // import from ntk4j's own class directory: scanning the class path for the package would
        // open every dependency jar (Symja's 24 MiB) and take most of the test's time
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(classDirectory(io.github.ntk4j.Progress.class));
        assertTrue(main.size() > 50, "imported " + main.size() + " classes");
        noCycles("io.github.ntk4j").check(main);
        layers("io.github.ntk4j").check(main);
    }

    /** The rule has the power to fail: a fixture where math uses cli (an upward dependency) is refused. */
    @Test
    void upwardDependencyIsRefused() {
        String base = "io.github.ntk4j.arch.fixture";
        JavaClasses fixture = new ClassFileImporter()
                .importPath(classDirectory(PackageLayersTest.class).resolve(base.replace('.', '/')));
        assertThrows(AssertionError.class, () -> layers(base).check(fixture));
        assertThrows(AssertionError.class, () -> noCycles(base).check(fixture));
    }
}
