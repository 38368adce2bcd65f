package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import java.util.Arrays;

/**
 * Labels as regression targets: one-hot class indicators (classification, classes in
 * {@link #classes} order) or the values standardised with their mean and standard deviation
 * (divisor n) (regression).
 */
final class LabelEncoding {
    private LabelEncoding() {
    }

    /**
     * Encoded targets.
     *
     * @param y n×C one-hot rows or n×1 standardised values
     * @param classOf class index of each row (all 0 for regression)
     * @param mean the mean of the values (0 for classification)
     * @param scale their standard deviation (1 for classification, or for constant values)
     */
    record Targets(double[][] y, int[] classOf, double mean, double scale) {
    }

    /**
     * @param labels class labels
     * @return the distinct classes in {@link io.github.ntk4j.io.Labels#ORDER} (numbers by value, then
     *     text), a class of numeric labels ({@code 1}, {@code 1.0}) named by its first spelling
     */
    static String[] classes(String[] labels) {
        return io.github.ntk4j.io.Labels.classes(Arrays.asList(labels));
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * @param labels labels
     * @param classes the classes
     * @return the index in {@code classes} of each label
     */
    static int[] classIndex(String[] labels, String[] classes) {
        int[] out = io.github.ntk4j.io.Labels.index(labels, classes);
        for (int i = 0; i < labels.length; i++) {
            if (out[i] < 0) {
                throw Messages.invalid("labels[" + i + "] = '" + labels[i] + "' is not one of the classes "
                        + Arrays.toString(classes));
            }
        }
        return out;
    }

    /**
     * @param labels regression targets written as numbers
     * @return their values
     */
    static double[] values(String[] labels) {
        double[] v = new double[labels.length];
        for (int i = 0; i < v.length; i++) {
            Double d = labels[i] == null ? null : number(labels[i]);
            if (d == null) {
                throw Messages.invalid("labels[" + i + "]: the target '" + labels[i] + "' is not a number (regression needs "
                        + "real-valued targets; use classification for class labels)");
            }
            if (!Double.isFinite(d)) {
                throw Messages.notFinite("labels[" + i + "]", d);
            }
            v[i] = d;
        }
        return v;
    }

    /**
     * @param task classification or regression
     * @param labels n labels
     * @param classes the classes (classification), or null
     * @return the targets
     */
    static Targets encode(Task task, String[] labels, String[] classes) {
        int n = labels.length;
        if (task == Task.CLASSIFY) {
            int[] cls = classIndex(labels, classes);
            double[][] y = new double[n][classes.length];
            for (int i = 0; i < n; i++) {
                y[i][cls[i]] = 1;
            }
            return new Targets(y, cls, 0, 1);
        }
        double[] v = values(labels);
        // scale-safe: targets near 1e307 overflow a plain sum or sum of squares
        double mean = io.github.ntk4j.internal.ScaleSafe.mean(v);
        double sd = io.github.ntk4j.internal.ScaleSafe.sd(v, mean, 0);
        if (!Double.isFinite(sd)) {
            throw Messages.invalid("the standard deviation of the targets is above 1.8e308, beyond the range of a double: "
                        + "scale the targets down");
        }
        double scale = sd > 0 ? sd : 1;
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            y[i][0] = (v[i] - mean) / scale;
        }
        return new Targets(y, new int[n], mean, scale);
    }
}
