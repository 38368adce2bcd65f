package io.github.ntk4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One identity and one total order for class labels. */
class LabelsTest {
    /** A reproducer: 847, 254a, 96.9 (numbers by value, then text). */
    @Test
    void mixedLabelsSort() {
        assertArrayEquals(new String[] {"96.9", "847", "254a"}, Labels.classes(List.of("847", "254a", "96.9", "847")));
    }

    /** Variant: sorting hundreds of mixed labels never breaks TimSort's contract, and the order is total. */
    @Test
    void orderIsTotalOnRandomMixes() {
        Random rng = new Random(4);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int v = rng.nextInt(1000);
            labels.add(switch (i % 6) {
                case 0 -> Integer.toString(v);
                case 1 -> v + "a";
                case 2 -> v / 10.0 + "";
                case 3 -> v + "e-2";
                case 4 -> "0x" + v;
                default -> "NaN" + (v % 3 == 0 ? "" : v);
            });
        }
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(labels, rng);
            List<String> sorted = new ArrayList<>(labels);
            sorted.sort(Labels.ORDER); // throws IllegalArgumentException on a contract violation
            for (int i = 1; i < sorted.size(); i++) {
                assertTrue(Labels.ORDER.compare(sorted.get(i - 1), sorted.get(i)) <= 0);
            }
        }
        // transitivity and antisymmetry on every triple of a small set with the tricky cases
        String[] s = {"1", "1.0", "1e0", "+1.00", "2", "2.00", "2e0", "-0", "0", "10", "9.5", "1f", "NaN", "Infinity", "abc",
            "Abc", "254a", "847", "96.9", ".5", "5."};
        for (String a : s) {
            for (String b : s) {
                assertEquals(Integer.signum(Labels.ORDER.compare(a, b)), -Integer.signum(Labels.ORDER.compare(b, a)), a + " " + b);
                for (String c : s) {
                    if (Labels.ORDER.compare(a, b) <= 0 && Labels.ORDER.compare(b, c) <= 0) {
                        assertTrue(Labels.ORDER.compare(a, c) <= 0, a + " <= " + b + " <= " + c);
                    }
                }
            }
        }
    }

    /** A reproducer (1 and 1.0 one class) and a variant (2, 2.00, 2e0; −0 and 0), named by the first spelling. */
    @Test
    void numericLabelsAreTheirValue() {
        assertArrayEquals(new String[] {"1", "3"}, Labels.classes(List.of("1", "1.0", "3", "1")));
        assertArrayEquals(new String[] {"2.00", "10"}, Labels.classes(List.of("2.00", "2", "2e0", "10", "1e1")));
        assertArrayEquals(new String[] {"-0"}, Labels.classes(List.of("-0", "0", "0.0")));
        assertArrayEquals(new int[] {0, 0, 1, -1}, Labels.index(new String[] {"2e0", "2", "1e1", "3"}, new String[] {"2.00", "10"}));
        // text stays text: 1f, 0x1, NaN and Infinity are not numbers here
        assertEquals(4, Labels.classes(List.of("1", "1f", "0x1", "NaN", "1.0")).length);
        assertTrue(Labels.same(" 1 ", "1.000"));
        assertTrue(!Labels.same("café", "cafe"));
    }
}
