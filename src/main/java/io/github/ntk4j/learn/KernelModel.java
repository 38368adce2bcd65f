package io.github.ntk4j.learn;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.learn.KernelModelSelection.Choice;
import io.github.ntk4j.learn.KernelModelSelection.Task;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A kernel model fitted on a data set with its hyperparameters chosen by cross-validation
 * ({@link KernelModelSelection#fit}): maps new rows as the training rows were ({@link Preprocessing}) and
 * returns the kernel regression outputs, as scores per class (classification: the one-hot
 * regression outputs, the predicted class is the highest) or as values in the targets' units
 * (regression). Immutable.
 */
public final class KernelModel {
    private final Task task;
    private final List<String> classes;
    private final Preprocessing scaler;
    private final Choice choice;
    /** Preprocessed rows ↦ the model's outputs (one-hot scores or the standardised target). */
    private final UnaryOperator<double[][]> outputs;
    private final double yMean;
    private final double yScale;

    KernelModel(Task task, String[] classes, Preprocessing scaler, Choice choice, UnaryOperator<double[][]> outputs,
            double yMean, double yScale) {
        this.task = task;
        this.classes = classes == null ? List.of() : List.of(classes);
        this.scaler = scaler;
        this.choice = choice;
        this.outputs = outputs;
        this.yMean = yMean;
        this.yScale = yScale;
    }

    /** @return classification or regression */
    public Task task() {
        return task;
    }

    /** @return the classes in score-column order (empty for regression) */
    public List<String> classes() {
        return classes;
    }

    /** @return the chosen hyperparameters */
    public Choice choice() {
        return choice;
    }

    /**
     * Predicts rows.
     *
     * @param x raw feature rows, as many features as the training rows
     * @return scores per class or values
     */
    public Predictions predict(double[][] x) {
        DataChecks.dataSet("x", x);
        if (x[0].length != scaler.features()) {
            throw Messages.dimensionMismatch("x[0] (features)", x[0].length, "the training features", scaler.features());
        }
        double[][] out = outputs.apply(scaler.apply(x));
        if (task == Task.CLASSIFY) {
            return new Predictions(task, classes, out, null);
        }
        double[] v = new double[x.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = yMean + yScale * out[i][0];
        }
        return new Predictions(task, classes, null, v);
    }

    /**
     * What a model predicts for a batch of rows.
     *
     * @param task classification or regression
     * @param classes the classes in score-column order (empty for regression)
     * @param scores classification: n×C kernel regression outputs of the one-hot targets; null
     *     for regression
     * @param values regression: n predicted values; null for classification
     */
    public record Predictions(Task task, List<String> classes, double[][] scores, double[] values) {
        /** @return the number of rows predicted */
        public int size() {
            return task == Task.CLASSIFY ? scores.length : values.length;
        }

        /**
         * @param i a row
         * @return the class with the highest score (classification)
         */
        public String label(int i) {
            if (task != Task.CLASSIFY) {
                throw Messages.invalid("a regression has values, not class labels: use values()");
            }
            return classes.get(argMax(scores[i]));
        }

        /**
         * @return the predicted class of each row (classification) or the value written as a
         *     decimal number (regression)
         */
        public String[] labels() {
            String[] out = new String[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = task == Task.CLASSIFY ? label(i) : Double.toString(values[i]);
            }
            return out;
        }
    }

    static int argMax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
