package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed (untrained) Fourier-feature input map in front of a network (Tancik et al.,
 * "Fourier features let networks learn high frequency functions in low dimensional domains",
 * NeurIPS 2020):
 * <pre>
 *   γ(v) = [a_j cos(2π b_j·v), a_j sin(2π b_j·v)]_{j = 1..m}
 * </pre>
 * with either
 * <ul>
 * <li><b>Gaussian</b> frequencies ({@code fourier(m,sigma,seed)}): b_j ~ N(0, σ² I) drawn from a
 * seeded stream, a_j = 1; or</li>
 * <li><b>positional encoding</b> ({@code posenc(m,sigma)}): for every input coordinate k,
 * b = σ^{j/m} e_k for j = 0 … m−1, a_j = 1 (so 2·m·d features).</li>
 * </ul>
 * The map is part of the network: every engine applies it to the raw inputs first
 * ({@link Network#mapInputs}), and the kernel it induces is
 * Σ(x, y) = γ(x)·γ(y)/D = (1/D) Σ_j a_j² cos(2π b_j·(x − y)), D the number of features —
 * shift-invariant, which is why it flattens the NTK's spectrum.
 */
public final class FourierFeatures {
    /** The two kinds of frequency sets. */
    public enum Kind {
        /** b_j ~ N(0, σ² I). */
        GAUSSIAN,
        /** b = σ^{j/m} e_k. */
        POSITIONAL
    }

    private final Kind kind;
    private final int m;
    private final double sigma;
    private final long seed;
    private final transient ConcurrentHashMap<Integer, double[][]> frequencies = new ConcurrentHashMap<>();

    private FourierFeatures(Kind kind, int m, double sigma, long seed) {
        if (m < 1) {
            throw Messages.tooSmall("number of Fourier features", m, 1);
        }
        if (m > 1_000_000) {
            throw Messages.tooLarge("number of Fourier features", m, 1_000_000);
        }
        if (!Double.isFinite(sigma)) {
            throw Messages.notFinite("Fourier feature scale sigma", sigma);
        }
        if (sigma <= 0) {
            throw Messages.notPositive("Fourier feature scale sigma", sigma);
        }
        this.kind = kind;
        this.m = m;
        this.sigma = sigma;
        this.seed = seed;
    }

    /**
     * Gaussian random Fourier features.
     *
     * @param m number of frequencies (2m features)
     * @param sigma standard deviation of each frequency component, &gt; 0
     * @param seed seed of the frequencies
     * @return the map
     */
    public static FourierFeatures gaussian(int m, double sigma, long seed) {
        return new FourierFeatures(Kind.GAUSSIAN, m, sigma, seed);
    }

    /**
     * Positional encoding with log-spaced frequencies σ^{j/m}, j = 0 … m−1, per coordinate.
     *
     * @param m frequencies per coordinate
     * @param sigma largest frequency scale, &gt; 0
     * @return the map
     */
    public static FourierFeatures positional(int m, double sigma) {
        return new FourierFeatures(Kind.POSITIONAL, m, sigma, 0);
    }

    /** @return the kind of frequencies */
    public Kind kind() {
        return kind;
    }

    /** @return m, the number of frequencies (per coordinate for positional encoding) */
    public int frequencies() {
        return m;
    }

    /** @return σ */
    public double sigma() {
        return sigma;
    }

    /** @return the seed (Gaussian frequencies only) */
    public long seed() {
        return seed;
    }

    /**
     * The frequency matrix for inputs of dimension d (rows b_j), generated deterministically
     * from (m, σ, seed, d).
     *
     * @param d input dimension
     * @return rows b_j (not a copy: do not modify)
     */
    double[][] frequencyMatrix(int d) {
        return frequencies.computeIfAbsent(d, this::makeFrequencies);
    }

    private double[][] makeFrequencies(int d) {
        if (kind == Kind.GAUSSIAN) {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] b = new double[m][d];
            for (double[] row : b) {
                for (int k = 0; k < d; k++) {
                    row[k] = sigma * gaussian(r);
                }
            }
            return b;
        }
        double[][] b = new double[m * d][d];
        for (int k = 0; k < d; k++) {
            for (int j = 0; j < m; j++) {
                b[k * m + j][k] = Math.pow(sigma, (double) j / m);
            }
        }
        return b;
    }

    /** Standard normal by Box–Muller from a SplittableRandom (reproducible across JDKs). */
    static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * @param d input dimension
     * @return the number of features D = 2 × (number of frequencies)
     */
    public int outputDimension(int d) {
        return 2 * frequencyMatrix(d).length;
    }

    /**
     * γ(v).
     *
     * @param v an input of dimension d
     * @return the 2·(number of frequencies) features, cosines first then sines per frequency
     */
    public double[] apply(double[] v) {
        double[][] b = frequencyMatrix(v.length);
        double[] out = new double[2 * b.length];
        for (int j = 0; j < b.length; j++) {
            double s = 0;
            for (int k = 0; k < v.length; k++) {
                s += b[j][k] * v[k];
            }
            // reduce 2π·s modulo 2π first: sin/cos of a large argument lose nothing then
            double frac = s - Math.rint(s);
            double angle = 2 * Math.PI * frac;
            out[2 * j] = Math.cos(angle);
            out[2 * j + 1] = Math.sin(angle);
        }
        return out;
    }

    /** @return the spec token, {@code fourier(m,sigma,seed)} or {@code posenc(m,sigma)} */
    public String spec() {
        return kind == Kind.GAUSSIAN
                ? "fourier(" + m + "," + Activation.num(sigma) + "," + seed + ")"
                : "posenc(" + m + "," + Activation.num(sigma) + ")";
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FourierFeatures f && f.kind == kind && f.m == m && f.sigma == sigma && f.seed == seed;
    }

    @Override
    public int hashCode() {
        return String.format(Locale.ROOT, "%s/%d/%s/%d", kind, m, sigma, seed).hashCode();
    }
}
