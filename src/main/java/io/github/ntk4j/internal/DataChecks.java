package io.github.ntk4j.internal;

import io.github.ntk4j.internal.Messages;

/** Boundary checks on input vectors and data sets, with messages naming the 0-based index, as Java does ({@code x[0][1]}). */
public final class DataChecks {
    private DataChecks() {
    }

    /**
     * Rejects a count below its minimum.
     *
     * @param name its name in messages
     * @param value the count
     * @param min the least allowed value
     */
    public static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw Messages.tooSmall(name, value, min);
        }
    }

    /**
     * A copy of targets for one network output, checked: n rows (one per training input), each
     * of one finite entry. Messages name the 0-based row, as {@link #dataSet} does.
     *
     * @param what what needs one output, in messages ("the path kernel")
     * @param y the targets
     * @param n the number of training inputs
     * @return a copy of y
     */
    public static double[][] oneOutputTargets(String what, double[][] y, int n) {
        if (y == null || y.length != n) {
            throw Messages.dimensionMismatch("training inputs", n, "targets", y == null ? 0 : y.length);
        }
        double[][] copy = new double[n][];
        for (int i = 0; i < n; i++) {
            if (y[i] == null || y[i].length != 1) {
                throw Messages.invalid(what + " is for one network output: targets[" + i + "] must have one entry, it has "
                        + (y[i] == null ? 0 : y[i].length));
            }
            if (!Double.isFinite(y[i][0])) {
                throw Messages.notFinite("targets[" + i + "][0]", y[i][0]);
            }
            copy[i] = y[i].clone();
        }
        return copy;
    }

    /**
     * Checks a single input vector: non-null, non-empty, finite.
     *
     * @param name its name in messages
     * @param x the vector
     */
    public static void vector(String name, double[] x) {
        if (x == null || x.length == 0) {
            throw Messages.empty(name);
        }
        for (int k = 0; k < x.length; k++) {
            if (!Double.isFinite(x[k])) {
                throw Messages.notFinite(name + "[" + k + "]", x[k]);
            }
        }
    }

    /**
     * Checks rows that a result is written into: at least {@code rows} of them, each of length
     * {@code cols}.
     *
     * @param name the argument's name, for the message
     * @param into the rows
     * @param rows rows written
     * @param cols length of each
     */
    public static void rowsInto(String name, double[][] into, int rows, int cols) {
        if (into == null) {
            throw Messages.invalid(name + " must not be null");
        }
        if (into.length < rows) {
            throw Messages.invalid(name + " has " + into.length + " rows, " + rows + " needed");
        }
        for (int i = 0; i < rows; i++) {
            if (into[i] == null || into[i].length != cols) {
                throw Messages.invalid(name + "[" + i + "] must have length " + cols + ", got "
                        + (into[i] == null ? "null" : String.valueOf(into[i].length)));
            }
        }
    }

    /**
     * The largest N whose N×N matrix fits one Java array: N² ≤ 2³¹ − 9 (46,340² = 2,147,395,600;
     * 46,341² exceeds it).
     */
    public static final int MAX_FLAT_ORDER = 46_340;

    /**
     * Checks the N×N order of a matrix kept in one array: N ≤ {@link #MAX_FLAT_ORDER}.
     *
     * @param what what the matrix is, for the message
     * @param n its order N
     */
    public static void flatOrder(String what, long n) {
        if (n > MAX_FLAT_ORDER) {
            throw Messages.invalid(what + " of " + n + " inputs would have " + n + "×" + n
                    + " entries, more than one Java array holds: at most " + MAX_FLAT_ORDER
                    + " inputs (use the double[][] form)");
        }
    }

    /**
     * Checks the arrays that N×N matrices are written into, one array each ({@code N·N} entries):
     * at least one is given, each given one has length N·N, and they are not the same array.
     *
     * @param n the order N (≤ {@link #MAX_FLAT_ORDER})
     * @param firstName the first array's name, for messages
     * @param first the first array, or null
     * @param secondName the second array's name
     * @param second the second array, or null
     */
    public static void squaresInto(int n, String firstName, double[] first, String secondName, double[] second) {
        flatOrder("a kernel matrix", n);
        if (first == null && second == null) {
            throw Messages.invalid(firstName + " and " + secondName + " are both null: at least one is needed");
        }
        if (first == second) {
            throw Messages.invalid(firstName + " and " + secondName + " must be different arrays");
        }
        int entries = n * n;
        if (first != null && first.length != entries) {
            throw Messages.invalid(firstName + " has length " + first.length + ", " + n + "×" + n + " = " + entries
                    + " needed");
        }
        if (second != null && second.length != entries) {
            throw Messages.invalid(secondName + " has length " + second.length + ", " + n + "×" + n + " = " + entries
                    + " needed");
        }
    }

    /**
     * Checks a data set: at least one row, rows of one positive length, finite entries.
     *
     * @param name its name in messages
     * @param x rows of the data set
     * @return the common dimension d
     */
    public static int dataSet(String name, double[][] x) {
        if (x == null || x.length == 0) {
            throw Messages.empty(name);
        }
        int d = -1;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length == 0) {
                throw Messages.invalid(name + "[" + i + "] is " + (x[i] == null ? "null" : "empty"));
            }
            if (d < 0) {
                d = x[i].length;
            } else if (x[i].length != d) {
                throw Messages.invalid(name + "[" + i + "] has " + x[i].length + " entries but " + name + "[0] has " + d);
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(x[i][k])) {
                    throw Messages.notFinite(name + "[" + i + "][" + k + "]", x[i][k]);
                }
            }
        }
        return d;
    }

    /**
     * The constant whose label equals {@code s}, ignoring case and white space around it: the one
     * lookup behind every option spelled by a label ({@code --centre-draw}, {@code --preprocess},
     * {@code --kernel-storage}, a spec's parameterisation).
     *
     * @param values the constants
     * @param label each constant's label
     * @param s the text given (null: no match)
     * @param <E> the constants' type
     * @return the constant, or null when none has that label
     */
    public static <E> E byLabel(E[] values, java.util.function.Function<? super E, String> label, String s) {
        String t = s == null ? "" : s.strip();
        for (E e : values) {
            if (label.apply(e).equalsIgnoreCase(t)) {
                return e;
            }
        }
        return null;
    }
}
