package io.github.ntk4j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cases that src/test/python/random_reference_cases.py generates (random networks and inputs,
 * values from mpmath's closed forms), each checked as ReferenceValuesTest checks its scale-ratio
 * reference file: pair(), the Gram matrix and the cross-Gram, in either order, to 1e-12. Not part
 * of the normal test run (the cases take minutes to generate); run it on a file:
 * <pre>
 *   python3 src/test/python/random_reference_cases.py 1 400 &gt; /tmp/cases.json
 *   mvn -o -q test-compile surefire:test -Dtest=RandomReferenceCheck -Dcases=/tmp/cases.json
 * </pre>
 * It prints every failure, the worst error and the cases the engine refused (a value outside the
 * double range on the way), which are not failures.
 */
class RandomReferenceCheck {
    @Test
    void everyGeneratedCaseToOneInATrillion() {
        String file = System.getProperty("cases");
        assertTrue(file != null, "give the generated file: -Dcases=FILE");
        List<String> failures = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        double worst = 0;
        List<Map<String, Object>> cases = TestData.cases(Path.of(file));
        for (Map<String, Object> c : cases) {
            try {
                worst = Math.max(worst, ReferenceValuesTest.checkInEitherOrder(failures, c));
            } catch (Ntk4jException e) {
                // a refusal (an intermediate variance outside the double range, say) is not a wrong
                // value; listed apart, to be read
                refused.add(c.get("kind") + " | " + c.get("net") + ": " + e.getMessage());
            }
        }
        System.out.printf("%d random cases: worst relative error %.3g, %d failures, %d refused%n", cases.size(), worst,
                failures.size(), refused.size());
        failures.forEach(System.out::println);
        refused.forEach(r -> System.out.println("refused: " + r));
        assertTrue(failures.isEmpty(), failures.size() + " failures");
    }
}
