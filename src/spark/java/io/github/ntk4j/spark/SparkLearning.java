package io.github.ntk4j.spark;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The model of {@code classify} and {@code regress} ({@code learn.KernelModelSelection}'s, for one
 * network and ridge) over a Spark data set: features standardised by their mean and standard
 * deviation (divisor n; a constant column set to 0), one-hot targets or standardised values,
 * the ridge relative to the mean kernel diagonal.
 */
final class SparkLearning {
    private SparkLearning() {
    }

    /** The standardisation and target encoding of a training set. */
    record Prepared(long rows, int features, double[] mean, double[] inverseSd, String[] classes, double yMean,
            double yScale) implements Serializable {
        double[] scale(double[] x) {
            if (x.length != mean.length) {
                throw Messages.dimensionMismatch("a row (features)", x.length, "the training features", mean.length);
            }
            double[] out = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                out[j] = (x[j] - mean[j]) * inverseSd[j];
            }
            return out;
        }

        double[] target(String label) {
            if (classes != null) {
                double[] y = new double[classes.length];
                y[Arrays.asList(classes).indexOf(label)] = 1;
                return y;
            }
            return new double[] {(value(label) - yMean) / yScale};
        }

        String decode(double[] out) {
            if (classes == null) {
                return Double.toString(out[0] * yScale + yMean);
            }
            int best = 0;
            for (int i = 1; i < out.length; i++) {
                if (out[i] > out[best]) {
                    best = i;
                }
            }
            return classes[best];
        }
    }

    static double value(String label) {
        try {
            return Double.parseDouble(label);
        } catch (NumberFormatException e) {
            throw Messages.invalid("the target '" + label + "' is not a number (regress needs real-valued targets)");
        }
    }

    /** Two passes: means, then sums of squared deviations; classes or target moments. */
    static Prepared prepare(JavaRDD<SparkData.Labelled> rows, boolean classify) {
        long n = rows.count();
        if (n == 0) {
            throw Messages.invalid("the training data has no rows");
        }
        int d = rows.first().x().length;
        double[] sum = rows.map(SparkData.Labelled::x).treeAggregate(new double[d], (a, x) -> {
            if (x.length != d) {
                throw Messages.dimensionMismatch("a row (features)", x.length, "the first row (features)", d);
            }
            return Blocks.addInto(a, x);
        }, Blocks::addInto);
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / n;
        }
        double[] ss = rows.map(SparkData.Labelled::x).treeAggregate(new double[d], (a, x) -> {
            for (int j = 0; j < d; j++) {
                a[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
            return a;
        }, Blocks::addInto);
        double[] inv = new double[d];
        for (int j = 0; j < d; j++) {
            inv[j] = ss[j] == 0 ? 0 : 1 / Math.sqrt(ss[j] / n);
        }
        if (classify) {
            List<String> cls = new ArrayList<>(rows.map(SparkData.Labelled::label).distinct().collect());
            cls.sort(SparkLearning::compareLabels);
            if (cls.size() < 2) {
                throw Messages.invalid("classification needs at least two classes, the labels are all '" + cls.get(0) + "'");
            }
            return new Prepared(n, d, mean, inv, cls.toArray(new String[0]), 0, 1);
        }
        double ym = rows.map(r -> value(r.label())).reduce(Double::sum) / n;
        double yss = rows.map(r -> (value(r.label()) - ym) * (value(r.label()) - ym)).reduce(Double::sum);
        return new Prepared(n, d, mean, inv, null, ym, yss > 0 ? Math.sqrt(yss / n) : 1);
    }

    private static int compareLabels(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** The mean of k(x, x) over the rows. */
    static double meanDiagonal(JavaRDD<double[]> x, KernelSource src, KernelKind kind) {
        double[] s = x.mapPartitions(it -> {
            KernelFunction e = src.get();
            List<double[]> part = new ArrayList<>();
            it.forEachRemaining(part::add);
            double t = 0;
            if (!part.isEmpty()) {
                for (double v : e.diagonal(part.toArray(new double[0][]), kind)) {
                    t += v;
                }
            }
            return List.of(new double[] {t, part.size()}).iterator();
        }).reduce(Blocks::addInto);
        return s[0] / s[1];
    }

    /** Accuracy (classify) or RMSE in the target's units (regress) of the model on labelled rows. */
    static double score(JavaSparkContext sc, SparkFalkon.Model model, Prepared p, JavaRDD<SparkData.Labelled> rows) {
        JavaRDD<double[]> out = model.predict(sc, rows.map(r -> p.scale(r.x())));
        JavaRDD<double[]> both = out.zip(rows.map(SparkData.Labelled::label)).map(t -> {
            if (p.classes() != null) {
                return new double[] {p.decode(t._1()).equals(t._2()) ? 1 : 0, 1};
            }
            double e = Double.parseDouble(p.decode(t._1())) - value(t._2());
            return new double[] {e * e, 1};
        });
        double[] s = both.reduce(Blocks::addInto);
        return p.classes() != null ? s[0] / s[1] : Math.sqrt(s[0] / s[1]);
    }
}
