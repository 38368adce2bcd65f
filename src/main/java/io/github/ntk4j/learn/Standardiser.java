package io.github.ntk4j.learn;

import io.github.ntk4j.internal.Messages;

/**
 * Standardisation z = (x − mean)/sd per column with the statistics of the rows it was fitted on
 * (sd with divisor n); a column constant there maps to 0 (it carries no information there, and
 * dividing by its zero spread is undefined).
 *
 * <p><b>Scale-safe.</b> Each column is first divided by a power of two 2^e near its largest
 * magnitude (exact in binary floating point), and mean, deviations and sd are formed from the
 * scaled values x/2^e, which lie in [−2, 2]: a column of magnitude 1e300 (whose squared deviations
 * would overflow) or 1e-170 (whose squares would underflow to 0, making the column look
 * constant) standardises to the same values as the same column at magnitude 1, to rounding. The
 * mean and sd are kept in the scaled units and {@link #apply} forms (x/2^e − mean)/sd, so no
 * intermediate leaves the double range. Hipparchus' {@code Mean} and {@code Variance} (1.8/3.x)
 * sum x and (x − mean)² unscaled, so they overflow and underflow at exactly these magnitudes;
 * that is why this is written here. Only a column whose values are all equal is constant.
 */
public final class Standardiser {
    /** per column: the mean of x/2^e */
    private final double[] mean;
    /** per column: 1/sd of x/2^e (0 for a constant column) */
    private final double[] inverseSd;
    /** per column: the exponent e of the scale 2^e */
    private final int[] exponent;

    private Standardiser(double[] mean, double[] inverseSd, int[] exponent) {
        this.mean = mean;
        this.inverseSd = inverseSd;
        this.exponent = exponent;
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
        int[] exp = new int[d];
        for (int j = 0; j < d; j++) {
            double max = 0;
            boolean constant = true;
            for (double[] row : x) {
                max = Math.max(max, Math.abs(row[j]));
                constant &= row[j] == x[0][j];
            }
            int e = exponentOf(max);
            double m = 0;
            for (double[] row : x) {
                m += Math.scalb(row[j], -e);
            }
            m /= x.length;
            double ss = 0;
            for (double[] row : x) {
                double dev = Math.scalb(row[j], -e) - m;
                ss += dev * dev;
            }
            mean[j] = m;
            exp[j] = e;
            inv[j] = constant || ss == 0 ? 0 : 1 / Math.sqrt(ss / x.length);
        }
        return new Standardiser(mean, inv, exp);
    }

    /** The binary exponent of a magnitude ≥ 0 (subnormals included; 0 for 0). */
    private static int exponentOf(double max) {
        if (max == 0) {
            return 0;
        }
        return max >= Double.MIN_NORMAL ? Math.getExponent(max) : Math.getExponent(max * 0x1p54) - 54;
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
                double z = (Math.scalb(x[i][j], -exponent[j]) - mean[j]) * inverseSd[j];
                if (!Double.isFinite(z)) {
                    throw Messages.invalid("x[" + i + "][" + j + "] = " + x[i][j] + " is too far outside the training "
                            + "values of its column to standardise (its standardised value exceeds the double range)");
                }
                out[i][j] = z;
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
