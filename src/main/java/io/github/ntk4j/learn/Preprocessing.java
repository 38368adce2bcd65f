package io.github.ntk4j.learn;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import java.util.Locale;

/**
 * The map from raw feature rows to the kernel's inputs, fitted on the training rows and applied
 * unchanged to every other row (validation, test, new data). Immutable.
 *
 * <ul>
 * <li>{@link Kind#STANDARDISE} (the default): per feature (column) z = (x − mean)/sd with the
 * training rows' statistics ({@link Standardiser}). Each feature gets unit spread, whatever its
 * original spread: on images a nearly blank border pixel that is lit in a handful of training
 * images gets the weight of a central pixel, and a test image lit there gets a large z.</li>
 * <li>{@link Kind#SPHERE}: per row (one image), centred by its own mean over the d features and
 * scaled to Euclidean norm √d, so that every input has x·x/d = 1 (the first layer's input
 * variance in the NTK parameterisation): z = √d (x − x̄ 1)/‖x − x̄ 1‖. The inputs then lie on
 * one sphere, where a fully connected network's kernel is a function of the cosine of the angle
 * alone (the setting of Arora et al. 2019, "On exact computation with an infinitely wide neural
 * net", §6, and of Lee et al. 2018 and Novak et al. 2019, who centre and normalise each image
 * before computing NNGP kernels). Nothing is fitted: the map of a row depends on that row alone.
 * A row whose features are all equal has no direction after centring and maps to the zero row
 * (it carries no information but its brightness, which this map discards by design). The
 * computation is scale-safe: the row is first divided by a power of two near its largest
 * magnitude (exact in binary), so rows of magnitude 1e300 or 1e-300 map to the same values as at
 * magnitude 1, to rounding.</li>
 * <li>{@link Kind#SQRT_SPHERE}: each feature first replaced by its signed square root
 * sign(x)·√|x|, then the row mapped as by SPHERE. On pixel intensities (all ≥ 0) this is the
 * Hellinger (Bhattacharyya) embedding of the image read as a histogram: it compresses the bright
 * end, so the few saturated pixels of an image weigh less against the shape of the whole.
 * Nothing is fitted either.</li>
 * </ul>
 *
 * <p>Measured on Fashion-MNIST (docs/LEARNING.md §10, exact kernel ridge regression of a depth-2
 * ReLU NTK on 5,000 training images, scored on 4,000 other training images, the test images
 * unread; {@code src/test/python/fashion_preprocess.py}): SQRT_SPHERE 0.8792, SPHERE 0.8758,
 * STANDARDISE 0.8732 at their best ridges.
 */
public final class Preprocessing {
    /** How the rows are mapped. */
    public enum Kind {
        /** per-feature z-scores with the training statistics */
        STANDARDISE,
        /** per-row centring and scaling to norm √d */
        SPHERE,
        /** per-feature signed square root, then per-row centring and scaling to norm √d */
        SQRT_SPHERE;

        /** @return the command-line spelling: {@code standardise}, {@code sphere} or {@code sqrt-sphere} */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * @param s {@code standardise}, {@code sphere} or {@code sqrt-sphere} (case-insensitive)
         * @return the kind
         */
        public static Kind parse(String s) {
            Kind k = DataChecks.byLabel(values(), Kind::label, s);
            if (k != null) {
                return k;
            }
            throw Messages.invalid("unknown preprocessing '" + s + "': use standardise, sphere or sqrt-sphere");
        }
    }

    private final Kind kind;
    private final int features;
    /** the fitted standardiser (STANDARDISE), else null */
    private final Standardiser scaler;

    private Preprocessing(Kind kind, int features, Standardiser scaler) {
        this.kind = kind;
        this.features = features;
        this.scaler = scaler;
    }

    /**
     * Fits the map on training rows.
     *
     * @param kind the map
     * @param x the training rows (at least one, all of one length, finite)
     * @return the fitted map
     */
    public static Preprocessing fit(Kind kind, double[][] x) {
        if (kind == null) {
            throw Messages.invalid("the preprocessing kind must not be null");
        }
        DataChecks.dataSet("x", x);
        return kind == Kind.STANDARDISE ? new Preprocessing(kind, x[0].length, Standardiser.fit(x))
                : new Preprocessing(kind, x[0].length, null);
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the number of features it was fitted on */
    public int features() {
        return features;
    }

    /**
     * Maps rows.
     *
     * @param x rows of the fitted length, finite (may be empty)
     * @return new rows
     */
    public double[][] apply(double[][] x) {
        if (scaler != null) {
            return scaler.apply(x);
        }
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != features) {
                throw Messages.dimensionMismatch("x[" + i + "] (features)", x[i] == null ? 0 : x[i].length,
                        "the training features", features);
            }
            out[i] = sphere(kind == Kind.SQRT_SPHERE ? signedSqrt(x[i], i) : x[i], i);
        }
        return out;
    }

    /** sign(x)·√|x| per feature (a new row; non-finite values refused). */
    private static double[] signedSqrt(double[] x, int row) {
        double[] r = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            if (!Double.isFinite(x[j])) {
                throw Messages.notFinite("x[" + row + "][" + j + "]", x[j]);
            }
            r[j] = Math.copySign(Math.sqrt(Math.abs(x[j])), x[j]);
        }
        return r;
    }

    /** √d (x − x̄)/‖x − x̄‖ for one row, scale-safe; the zero row for a constant row. */
    private static double[] sphere(double[] x, int row) {
        int d = x.length;
        double max = 0;
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(x[j])) {
                throw Messages.notFinite("x[" + row + "][" + j + "]", x[j]);
            }
            max = Math.max(max, Math.abs(x[j]));
        }
        double[] z = new double[d];
        if (max == 0) {
            return z;
        }
        int e = max >= Double.MIN_NORMAL ? Math.getExponent(max) : Math.getExponent(max * 0x1p54) - 54;
        double mean = 0;
        for (int j = 0; j < d; j++) {
            z[j] = Math.scalb(x[j], -e); // |z| < 2: no overflow below
            mean += z[j];
        }
        mean /= d;
        double ss = 0;
        for (int j = 0; j < d; j++) {
            z[j] -= mean;
            ss += z[j] * z[j];
        }
        if (ss == 0) {
            java.util.Arrays.fill(z, 0);
            return z;
        }
        double f = Math.sqrt(d / ss);
        for (int j = 0; j < d; j++) {
            z[j] *= f;
        }
        return z;
    }
}
