package io.github.ntk4j.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Class labels as every learning command reads them: one identity and one order.
 * <ul>
 * <li><b>Identity.</b> A label written as a decimal number ({@code [+-]digits[.digits][e±digits]},
 * finite) is its value: {@code 1}, {@code 1.0}, {@code 1e0} and {@code +1.00} are one class
 * (−0 and 0 too). Any other label is its text, compared exactly (so {@code 1f}, {@code 0x1}
 * and {@code NaN} are text, not numbers).</li>
 * <li><b>Order</b> ({@link #ORDER}): numeric labels first, by value; then text labels,
 * lexicographically by UTF-16 code unit ({@link String#compareTo}). This is a total order
 * (consistent with the identity), so sorting any mix of labels is well defined.</li>
 * <li>A class is named by the first spelling met in the data.</li>
 * </ul>
 */
public final class Labels {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private Labels() {
    }

    /**
     * The value of a numeric label.
     *
     * @param label a label as written (surrounding white space ignored)
     * @return its value (0 for −0), or null when it is not a decimal number or not finite
     */
    public static Double value(String label) {
        String s = label.strip();
        if (!DECIMAL.matcher(s).matches()) {
            return null;
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            return null;
        }
        return v == 0 ? 0.0 : v;
    }

    /**
     * The identity of a label: its value (a {@link Double}) when numeric, else its text.
     *
     * @param label a label
     * @return the key two labels of one class share
     */
    public static Object key(String label) {
        Double v = value(label);
        return v != null ? v : label.strip();
    }

    /**
     * Whether two labels name the same class.
     *
     * @param a a label
     * @param b another
     * @return true when their keys are equal
     */
    public static boolean same(String a, String b) {
        return key(a).equals(key(b));
    }

    /** Numbers first by value, then text by {@link String#compareTo}: a total order. */
    public static final Comparator<String> ORDER = Labels::compare;

    private static int compare(String a, String b) {
        Object x = key(a);
        Object y = key(b);
        if (x instanceof Double dx) {
            return y instanceof Double dy ? Double.compare(dx, dy) : -1;
        }
        return y instanceof Double ? 1 : ((String) x).compareTo((String) y);
    }

    /**
     * The classes of some labels, in {@link #ORDER}, each named by its first spelling.
     *
     * @param labels labels (none null)
     * @return the distinct classes
     */
    public static String[] classes(Iterable<String> labels) {
        Map<Object, String> first = new LinkedHashMap<>();
        for (String l : labels) {
            first.putIfAbsent(key(l), l.strip());
        }
        List<String> out = new ArrayList<>(first.values());
        out.sort(ORDER);
        return out.toArray(String[]::new);
    }

    /**
     * The class of each label.
     *
     * @param labels labels
     * @param classes the classes ({@link #classes})
     * @return the index in {@code classes} of each label, −1 for a label of none of them
     */
    public static int[] index(String[] labels, String[] classes) {
        Map<Object, Integer> at = new java.util.HashMap<>();
        for (int c = 0; c < classes.length; c++) {
            at.putIfAbsent(key(classes[c]), c);
        }
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = at.getOrDefault(key(labels[i]), -1);
        }
        return out;
    }
}
