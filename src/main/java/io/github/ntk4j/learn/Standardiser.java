package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;

/**
 * Standardisation z = (x − mean)/sd per column with the statistics of the rows it was fitted on
 * (sd with divisor n); a column constant there maps to 0 (it carries no information there, and
 * dividing by its zero spread is undefined).
 */
public final class Standardiser {
    private final double[] mean;
    private final double[] inverseSd;

    private Standardiser(double[] mean, double[] inverseSd) {
        this.mean = mean;
        this.inverseSd = inverseSd;
    }

    /**
     * Fits the per-column statistics.
     *
     * @param x feature rows (at least one, all of one length, finite)
     * @return the standardiser
     */
    public static Standardiser fit(double[][] x) {
        io.github.ntk4j.internal.DataChecks.dataSet("x", x);
        int d = x[0].length;
        double[] mean = new double[d];
        double[] inv = new double[d];
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (double[] row : x) {
                m += row[j];
            }
            m /= x.length;
            double ss = 0;
            boolean constant = true;
            for (double[] row : x) {
                ss += (row[j] - m) * (row[j] - m);
                constant &= row[j] == x[0][j];
            }
            mean[j] = m;
            inv[j] = constant || ss == 0 ? 0 : 1 / Math.sqrt(ss / x.length);
        }
        return new Standardiser(mean, inv);
    }

    /** @return the number of features it was fitted on */
    public int features() {
        return mean.length;
    }

    /**
     * Standardises rows with the fitted statistics.
     *
     * @param x rows of the fitted length (may be empty)
     * @return new standardised rows
     */
    public double[][] apply(double[][] x) {
        double[][] out = new double[x.length][mean.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != mean.length) {
                throw Messages.dimensionMismatch("x[" + i + "] (features)", x[i] == null ? 0 : x[i].length,
                        "the training features", mean.length);
            }
            for (int j = 0; j < mean.length; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw Messages.notFinite("x[" + i + "][" + j + "]", x[i][j]);
                }
                out[i][j] = (x[i][j] - mean[j]) * inverseSd[j];
            }
        }
        return out;
    }

    /**
     * Feature columns with one value in every row.
     *
     * @param x feature rows (at least one)
     * @return the 0-based constant columns, in increasing order
     */
    static int[] constantColumns(double[][] x) {
        return java.util.stream.IntStream.range(0, x[0].length).filter(j -> {
            for (double[] row : x) {
                if (row[j] != x[0][j]) {
                    return false;
                }
            }
            return true;
        }).toArray();
    }
}
