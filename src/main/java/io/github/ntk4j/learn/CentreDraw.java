package io.github.ntk4j.learn;

import io.github.ntk4j.internal.DataChecks;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.math.KernelFunction;
import io.github.ntk4j.math.KernelKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * How FALKON's M Nyström centres are chosen among the training rows.
 *
 * <ul>
 * <li>{@link #UNIFORM} (the default): M rows drawn uniformly without replacement
 * ({@link FalkonRegressor#centreIndices}).</li>
 * <li>{@link #KPP}: k-means++ seeding (D² sampling; Arthur and Vassilvitskii, "k-means++: the
 * advantages of careful seeding", SODA 2007) in the kernel's feature space, drawn in rounds of
 * B = max(1, ⌊M/50⌋) centres. Every row i keeps its squared feature-space distance to the
 * nearest centre so far,
 * <pre>
 *   D(i) = min over centres c of  k(x_i, x_i) + k(c, c) − 2 k(x_i, c)     (clipped at 0),
 * </pre>
 * and each round draws B new rows without replacement with probability proportional to D
 * (the first round: uniformly). So centres spread over the data instead of piling up where it
 * is dense, and a row equal to a centre (D = 0) is never drawn again; the Nyström span of M
 * such centres holds more of the kernel than that of M uniform ones (the distance is the
 * residual k(x, x) − k̂(x, x) of the one-centre Nyström approximation; Oglic and Gärtner,
 * "Nyström method with kernel k-means++ samples as landmarks", ICML 2017, bound the
 * approximation error of these landmarks). Cost: one kernel pass of the rows against the M
 * centres (the same number of kernel entries as the rows' part of FALKON's G(X, C)), in row
 * slices, plus O(rows) memory.</li>
 * </ul>
 *
 * <p><b>The draw, exactly</b> (so that another implementation reproduces it:
 * {@code src/test/python/fashion_nystroem.py --centre-draw kpp-java}): one
 * {@code java.util.Random(seed)}; the weights start at 1 for every row; a round takes
 * t = min(B, M − chosen) rows: it forms the running sums S_j = w_0 + … + w_j (in row order, in
 * double precision) and for each of its t rows draws u = nextDouble()·S_{n−1} and takes the
 * first j with S_j &gt; u (the last row if none), drawing again when row j is already a centre or
 * has w_j = 0 (so the round is
 * a draw without replacement in proportion to w). Then the new centres' kernel columns update
 * w_i = min(w_i, D_i) (on the first round w_i = D_i), the chosen rows get w = 0, and the next
 * round begins. Where fewer than t rows have w &gt; 0 (the rows hold fewer distinct points than
 * M), the rest are the first rows, in row order, not chosen yet.
 *
 * <p>Measured on Fashion-MNIST (docs/LEARNING.md §10, the validation split only, 6,000 images,
 * the depth-2 ReLU NTK on sqrt-sphere inputs, exact Nyström solves): with M = 3,000 centres for
 * 27,000 training rows KPP beat UNIFORM for each of three seeds (+0.0020 to +0.0043); with
 * M = 6,000 for the same rows (the full run's ratio M/N = 2/9) it did not (−0.0020, +0.0003). So
 * UNIFORM stays the default, and KPP is for runs with few centres for the rows.
 */
public enum CentreDraw {
    /** uniform without replacement */
    UNIFORM,
    /** k-means++ (D² sampling) in the kernel's feature space */
    KPP;

    /** Rounds of a {@link #KPP} draw: B = max(1, ⌊M/ROUNDS⌋) centres per round. */
    static final int ROUNDS = 50;

    /** @return the command-line spelling: {@code uniform} or {@code kpp} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param s {@code uniform} or {@code kpp} (case-insensitive)
     * @return the draw
     */
    public static CentreDraw parse(String s) {
        CentreDraw d = DataChecks.byLabel(values(), CentreDraw::label, s);
        if (d != null) {
            return d;
        }
        throw Messages.badChoice("--centre-draw", String.valueOf(s), "uniform or kpp");
    }

    /**
     * Draws the centres' row numbers among the first {@code rows} rows of x.
     *
     * @param engine the kernel (used by {@link #KPP} only; its threads compute the kernel slices)
     * @param kind NTK or NNGP (used by {@link #KPP} only)
     * @param x inputs (the kernel's inputs: already preprocessed)
     * @param rows draw from x[0..rows), 1 ≤ rows ≤ x.length
     * @param m centres, 1 ≤ m ≤ rows
     * @param seed the seed
     * @return m distinct row numbers, in draw order
     */
    public int[] indices(KernelFunction engine, KernelKind kind, double[][] x, int rows, int m, long seed) {
        if (rows < 1 || rows > x.length) {
            throw Messages.invalid("the centres are drawn from the first 1.." + x.length + " rows, got " + rows);
        }
        if (m < 1 || m > rows) {
            throw Messages.invalid("the number of centres must be between 1 and the number of training inputs (" + rows
                    + "), got " + m);
        }
        if (this == UNIFORM) {
            return FalkonRegressor.centreIndices(rows, m, seed);
        }
        if (engine == null || kind == null) {
            throw Messages.invalid("a k-means++ centre draw needs the kernel and its kind");
        }
        return kmeansPlusPlus(engine, kind, x, rows, m, seed);
    }

    /**
     * The centres themselves: {@link #indices}' rows of x, copied.
     *
     * @param engine the kernel (used by {@link #KPP} only)
     * @param kind NTK or NNGP (used by {@link #KPP} only)
     * @param x inputs
     * @param rows draw from x[0..rows)
     * @param m centres
     * @param seed the seed
     * @return m rows of x
     */
    public double[][] centres(KernelFunction engine, KernelKind kind, double[][] x, int rows, int m, long seed) {
        int[] idx = indices(engine, kind, x, rows, m, seed);
        double[][] c = new double[m][];
        for (int i = 0; i < m; i++) {
            c[i] = x[idx[i]].clone();
        }
        return c;
    }

    private static int[] kmeansPlusPlus(KernelFunction engine, KernelKind kind, double[][] x, int rows, int m, long seed) {
        double[][] pool = Arrays.copyOf(x, rows);
        double[] diag = engine.diagonal(pool, kind);
        double[] w = new double[rows];
        Arrays.fill(w, 1.0);
        double[] sums = new double[rows];
        boolean[] taken = new boolean[rows];
        int[] chosen = new int[m];
        int count = 0;
        int per = Math.max(1, m / ROUNDS);
        Random rnd = new Random(seed);
        boolean first = true;
        while (count < m) {
            int t = Math.min(per, m - count);
            int positive = 0;
            double s = 0;
            for (int j = 0; j < rows; j++) {
                s += w[j];
                sums[j] = s;
                if (w[j] > 0) {
                    positive++;
                }
            }
            int start = count;
            if (positive < t) { // fewer distinct points than centres: the rest in row order
                for (int j = 0; j < rows && count < m; j++) {
                    if (!taken[j]) {
                        taken[j] = true;
                        chosen[count++] = j;
                    }
                }
                break;
            }
            while (count < start + t) {
                double u = rnd.nextDouble() * s;
                int j = firstAbove(sums, u);
                if (!taken[j] && w[j] > 0) {
                    taken[j] = true;
                    chosen[count++] = j;
                }
            }
            if (count == m) {
                break;
            }
            double[][] fresh = new double[t][];
            for (int i = 0; i < t; i++) {
                fresh[i] = x[chosen[start + i]];
            }
            double[] freshDiag = new double[t];
            for (int i = 0; i < t; i++) {
                freshDiag[i] = diag[chosen[start + i]];
            }
            int slice = (int) Math.max(1, Math.min(rows, FalkonRegressor.BLOCK_ENTRIES / t));
            for (int lo = 0; lo < rows; lo += slice) {
                int hi = Math.min(rows, lo + slice);
                double[][] kb = engine.cross(Arrays.copyOfRange(pool, lo, hi), fresh, kind);
                for (int i = lo; i < hi; i++) {
                    double d = first ? Double.POSITIVE_INFINITY : w[i];
                    double[] row = kb[i - lo];
                    for (int c = 0; c < t; c++) {
                        double v = diag[i] + freshDiag[c] - 2 * row[c];
                        if (v < d) {
                            d = v;
                        }
                    }
                    w[i] = d > 0 ? d : 0;
                }
            }
            for (int i = 0; i < count; i++) {
                w[chosen[i]] = 0;
            }
            first = false;
        }
        return chosen;
    }

    /** The first j with sums[j] &gt; u (sums non-decreasing, u &lt; sums[last]). */
    private static int firstAbove(double[] sums, double u) {
        int lo = 0;
        int hi = sums.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sums[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
