package io.github.ntk4j.internal;

import io.github.ntk4j.internal.Messages;

/** Boundary checks on input vectors and data sets, with messages naming row and column. */
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
                throw Messages.notFinite(name + "[" + (k + 1) + "]", x[k]);
            }
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
                throw Messages.invalid(name + " row " + (i + 1) + " is empty");
            }
            if (d < 0) {
                d = x[i].length;
            } else if (x[i].length != d) {
                throw Messages.invalid(name + " row " + (i + 1) + " has " + x[i].length + " entries but row 1 has " + d);
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(x[i][k])) {
                    throw Messages.notFinite(name + " row " + (i + 1) + ", column " + (k + 1), x[i][k]);
                }
            }
        }
        return d;
    }
}
