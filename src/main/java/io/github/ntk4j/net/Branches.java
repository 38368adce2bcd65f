package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Parallel branches joined by a sum or a product: neural-tangents'
 * {@code serial(FanOut(n), parallel(b_1, …, b_n), FanInSum())} (or {@code FanInProd()}) as one
 * layer. Each branch is a chain of layers applied to the same input; an empty chain, or
 * {@code identity}, is the skip connection. A residual block x ↦ α·x + β·block(x) is
 * {@link #residual}.
 *
 * <p>Kernel rules (neural-tangents' {@code FanInSum}/{@code FanInProd}), for independent
 * branches with kernels (K_i, Θ_i) and, for the sum, weights w_i:
 * <pre>
 *   sum:      K = Σ w_i² K_i,        Θ = Σ w_i² Θ_i
 *   product:  K = Π K_i,             Θ = Σ_i Θ_i Π_{j≠i} K_j
 * </pre>
 * The branches must be independent (every branch but at most one contains a Dense layer, whose
 * fresh weights decorrelate it from the others) and, for the sum, all but one of them mean-zero;
 * {@link Network} checks this when the network is built.
 *
 * <p>Quantities that cancel, carried exactly in the scale-free state (docs/KERNEL-RECURSION.md §5,
 * {@link #mapPairs}): the determinant of a sum of 2×2 Gram blocks A, B is det A + det B + M(A, B)
 * with the mixed term M = A_xx B_yy + A_yy B_xx − 2 A_xy B_xy written as the two non-negative
 * parts (√(A_xx B_yy) − √(A_yy B_xx))² + 2√(A_xx A_yy B_xx B_yy)(1 − c_A c_B) (for sums of n
 * blocks: Σ det + Σ_{i&lt;j} M); for the Hadamard product, sin²θ' = (1 − |c_A c_B|)(1 + |c_A c_B|).
 * 1 − c_A c_B is formed from the branches' sin²θ without cancellation. The one difference of two
 * rounded numbers left, √(A_xx B_yy) − √(A_yy B_xx), carries an absolute error of a few ulps, so
 * the angle stays accurate to a few ulps absolutely.
 */
public final class Branches implements Layer {
    /** How the branches are joined. */
    public enum Join {
        /** Weighted sum, neural-tangents' {@code FanInSum}. */
        SUM,
        /** Elementwise (Hadamard) product, neural-tangents' {@code FanInProd}. */
        PRODUCT
    }

    /**
     * The deepest nesting of branches inside branches a network may have: the spec parser, the
     * checks, the kernel rules and the spec of a network recurse once per level, so the limit
     * keeps them within any thread's call stack with a wide margin (measured: 1,000 levels ran
     * on the launcher's main thread but overflowed a test runner's thread; 2,000 overflowed both).
     */
    public static final int MAX_NESTING = 100;

    private final List<List<Layer>> branches;
    private final Join join;
    private final double[] weights;
    private final boolean residual;
    /** 1 + the deepest nesting of branches inside this one, computed from the direct children only. */
    private final int nesting;

    private Branches(List<List<Layer>> branches, Join join, double[] weights, boolean residual) {
        if (branches == null || branches.isEmpty()) {
            throw Messages.badNetwork("a fan-in needs at least one branch");
        }
        List<List<Layer>> copy = new ArrayList<>();
        for (List<Layer> b : branches) {
            if (b == null) {
                throw Messages.badNetwork("a branch is null");
            }
            for (Layer l : b) {
                if (l == null) {
                    throw Messages.badNetwork("a layer in a branch is null");
                }
            }
            // a branch that is only the identity activation is the skip connection: one form for both
            copy.add(b.size() == 1 && b.get(0) instanceof Identity ? List.of() : List.copyOf(b));
        }
        if (weights.length != copy.size()) {
            throw Messages.badNetwork(copy.size() + " branches but " + weights.length + " weights");
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw Messages.notFinite("branch weight", w);
            }
        }
        int deepest = 0;
        for (List<Layer> b : copy) {
            for (Layer l : b) {
                if (l instanceof Branches inner) {
                    deepest = Math.max(deepest, inner.nesting);
                }
            }
        }
        if (deepest + 1 > MAX_NESTING) {
            throw Messages.tooDeep("residual(...), sum(...) and prod(...) blocks", MAX_NESTING);
        }
        this.nesting = deepest + 1;
        this.branches = List.copyOf(copy);
        this.join = join;
        this.weights = weights.clone();
        this.residual = residual;
    }

    /**
     * Sum of branches, neural-tangents' {@code serial(FanOut(n), parallel(...), FanInSum())}.
     *
     * @param branches the branches (an empty list is the identity)
     * @return the layer
     */
    @SafeVarargs
    public static Branches fanInSum(List<? extends Layer>... branches) {
        double[] w = new double[branches.length];
        Arrays.fill(w, 1);
        return new Branches(lists(branches), Join.SUM, w, false);
    }

    /**
     * Weighted sum of branches: Σ w_i b_i(x).
     *
     * @param weights one weight per branch, finite
     * @param branches the branches (an empty list is the identity)
     * @return the layer
     */
    public static Branches fanInSum(double[] weights, List<? extends List<? extends Layer>> branches) {
        return new Branches(lists(branches.toArray(new List<?>[0])), Join.SUM, weights, false);
    }

    /**
     * Elementwise product of branches, neural-tangents' {@code serial(FanOut(n), parallel(...),
     * FanInProd())}.
     *
     * @param branches the branches
     * @return the layer
     */
    @SafeVarargs
    public static Branches fanInProd(List<? extends Layer>... branches) {
        double[] w = new double[branches.length];
        Arrays.fill(w, 1);
        return new Branches(lists(branches), Join.PRODUCT, w, false);
    }

    /**
     * The residual block x ↦ α·x + β·block(x).
     *
     * @param alpha weight α of the skip connection
     * @param beta weight β of the block
     * @param block the block's layers, at least one
     * @return the layer
     */
    public static Branches residual(double alpha, double beta, List<? extends Layer> block) {
        if (block == null || block.isEmpty()) {
            throw Messages.badNetwork("a residual block needs at least one layer");
        }
        return new Branches(List.of(List.of(), List.copyOf(block)), Join.SUM, new double[] {alpha, beta}, true);
    }

    /**
     * The residual block x ↦ x + block(x).
     *
     * @param block the block's layers
     * @return the layer
     */
    public static Branches residual(Layer... block) {
        return residual(1, 1, Arrays.asList(block));
    }

    /**
     * neural-tangents-style construction: {@code Branches.fanOut(2).parallel(List.of(),
     * block).fanInSum()}.
     *
     * @param n number of copies of the input, ≥ 1
     * @return a fan-out waiting for its branches
     */
    public static FanOut fanOut(int n) {
        if (n < 1) {
            throw Messages.tooSmall("fan-out", n, 1);
        }
        return new FanOut(n);
    }

    /** A fan-out of n copies, waiting for {@link #parallel} branches. */
    public static final class FanOut {
        private final int n;

        private FanOut(int n) {
            this.n = n;
        }

        /**
         * @param branches one chain of layers per copy (an empty list is the identity)
         * @return the branches, waiting for a fan-in
         */
        @SafeVarargs
        public final Parallel parallel(List<? extends Layer>... branches) {
            if (branches.length != n) {
                throw Messages.badNetwork("fan-out into " + n + " copies but " + branches.length + " parallel branches");
            }
            return new Parallel(lists(branches));
        }
    }

    /** Parallel branches waiting for a fan-in. */
    public static final class Parallel {
        private final List<List<Layer>> branches;

        private Parallel(List<List<Layer>> branches) {
            this.branches = branches;
        }

        /** @return the branches joined by a sum */
        public Branches fanInSum() {
            double[] w = new double[branches.size()];
            Arrays.fill(w, 1);
            return new Branches(branches, Join.SUM, w, false);
        }

        /** @return the branches joined by an elementwise product */
        public Branches fanInProd() {
            double[] w = new double[branches.size()];
            Arrays.fill(w, 1);
            return new Branches(branches, Join.PRODUCT, w, false);
        }
    }

    private static List<List<Layer>> lists(List<?>[] branches) {
        List<List<Layer>> out = new ArrayList<>();
        for (List<?> b : branches) {
            if (b == null) {
                throw Messages.badNetwork("a branch is null");
            }
            List<Layer> ls = new ArrayList<>();
            for (Object o : b) {
                if (!(o instanceof Layer l)) {
                    throw Messages.badNetwork("a layer in a branch is null");
                }
                ls.add(l);
            }
            out.add(ls);
        }
        return out;
    }

    /** @return the branches, each a chain of layers (unmodifiable; empty = identity) */
    public List<List<Layer>> branches() {
        return branches;
    }

    /** @return 1 for branches of plain layers, 1 + the deepest nesting of the branches inside, at most {@link #MAX_NESTING} */
    public int nesting() {
        return nesting;
    }

    /** @return how the branches are joined */
    public Join join() {
        return join;
    }

    /** @return the weight of each branch (sum only; all 1 for a product) */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * This layer with every Dense layer inside in the given parameterisation.
     *
     * @param p the parameterisation
     * @return the new layer
     */
    public Branches with(Parameterization p) {
        List<List<Layer>> out = new ArrayList<>();
        for (List<Layer> b : branches) {
            out.add(Network.withParameterization(b, p));
        }
        return new Branches(out, join, weights, residual);
    }

    @Override
    public double mapVariance(double kxx) {
        double acc = join == Join.SUM ? 0 : 1;
        for (int i = 0; i < branches.size(); i++) {
            double v = kxx;
            for (Layer l : branches.get(i)) {
                v = l.mapVariance(v);
            }
            acc = join == Join.SUM ? acc + weights[i] * weights[i] * v : acc * v;
        }
        return acc;
    }

    /** The inner layers' per-input state ({@link #mapRows} keeps their rows). */
    @Override
    public long preparedBytes(int inputs) {
        long bytes = 0;
        for (List<Layer> ls : branches) {
            for (Layer l : ls) {
                bytes += l.preparedBytes(inputs);
            }
        }
        return bytes;
    }

    /**
     * Per input: each branch's layers map the scale in turn (their rows are kept for
     * {@link #mapPairs}); the output scale is r' = √(Σ w_i² R_i²) (sum) or Π R_i (product), R_i
     * the scale at the end of branch i. Coefficients: for the sum, α_i = w_i R_i/r' (Σ α_i² = 1,
     * all 0 when r' = 0) and μ_i = w_i S_i/s'; for the product, [0] = 1, or 0 when r' = 0, and
     * π_i = S_i Π_{j≠i} R_j/s', with S, s' the NTK scales of {@link KernelBatch#ntk} (the scale,
     * or 1 for a scale of 0); μ = α and π = 1 unless an input has scale 0.
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        final int n = scaleIn.length;
        final int nb = branches.size();
        KernelRows[][] inner = new KernelRows[nb][];
        ScaledDouble[][] ends = new ScaledDouble[nb][];
        for (int b = 0; b < nb; b++) {
            List<Layer> ls = branches.get(b);
            inner[b] = new KernelRows[ls.size()];
            ScaledDouble[] s = scaleIn;
            for (int l = 0; l < ls.size(); l++) {
                inner[b][l] = ls.get(l).mapRows(s, workers);
                s = inner[b][l].scaleOut;
            }
            ends[b] = s;
        }
        ScaledDouble[] out = new ScaledDouble[n];
        double[][] co = new double[join == Join.SUM ? 2 * nb : 1 + nb][n];
        for (int i = 0; i < n; i++) {
            ScaledDouble acc = join == Join.SUM ? ScaledDouble.ZERO : ScaledDouble.ONE;
            for (int b = 0; b < nb; b++) {
                if (join == Join.SUM) {
                    ScaledDouble t = ends[b][i].multiply(Math.abs(weights[b]));
                    acc = acc.add(t.multiply(t));
                } else {
                    acc = acc.multiply(ends[b][i]);
                }
            }
            ScaledDouble r = join == Join.SUM ? acc.sqrt() : acc;
            out[i] = r;
            // NTK scales (KernelBatch#ntk): r, or 1 for a scale of 0
            ScaledDouble sOut = r.isZero() ? ScaledDouble.ONE : r;
            for (int b = 0; b < nb; b++) {
                ScaledDouble sEnd = ends[b][i].isZero() ? ScaledDouble.ONE : ends[b][i];
                if (join == Join.SUM) {
                    co[nb + b][i] = sEnd.multiply(Math.abs(weights[b])).divide(sOut).doubleValue();
                } else {
                    ScaledDouble others = ScaledDouble.ONE;
                    for (int o = 0; o < nb; o++) {
                        others = o == b ? others : others.multiply(ends[o][i]);
                    }
                    co[1 + b][i] = sEnd.multiply(others).divide(sOut).doubleValue();
                }
            }
            if (r.isZero()) {
                continue;
            }
            if (join == Join.SUM) {
                for (int b = 0; b < nb; b++) {
                    co[b][i] = ends[b][i].multiply(Math.abs(weights[b])).divide(r).doubleValue();
                }
            } else {
                co[0][i] = 1;
            }
        }
        return new KernelRows(scaleIn, out, co, null, inner);
    }

    /**
     * Runs every branch on a copy of the pair states, then joins them, scale-free: with α_i, β_i
     * the normalised branch weights of x and y ({@link #mapRows}) and (c_i, s²_i, ratio_i) the
     * branch's state,
     * <pre>
     *   sum:      cos θ' = Σ α_i β_i c_i,   ratio' = Σ μ_i(x) μ_i(y) ratio_i,
     *             sin²θ' = Σ (α_i β_i)² s²_i + Σ_{i&lt;j} [(α_i β_j − β_i α_j)² + 2 α_i β_i α_j β_j (1 − c_i c_j)]
     *   product:  cos θ' = Π c_i,            ratio' = Σ_i π_i(x) π_i(y) ratio_i Π_{j≠i} c_j,
     *             sin²θ' = (1 − |c_a c_b|)(1 + |c_a c_b|) folded over the branches
     * </pre>
     * the sum's being det(A + B) = det A + det B + M(A, B) of the class comment divided by
     * Σ'xxΣ'yy. 1 − c_i c_j has no cancellation: for c_i c_j &gt; 0 it is g_i + g_j − g_i g_j with
     * g = 1 − |c| = sin²θ/(1 + |c|) ≤ 1; and 1 − cos θ' = sin²θ'/(1 + cos θ') for cos θ' &gt; 0.
     */
    @Override
    public void mapPairs(KernelBatch p, KernelRows x, int i, KernelRows y, int yFrom) {
        final int n = p.size;
        final int nb = branches.size();
        for (int b = 0; b < nb; b++) {
            KernelBatch q = p.scratch(b);
            p.copyTo(q);
            List<Layer> ls = branches.get(b);
            for (int l = 0; l < ls.size(); l++) {
                ls.get(l).mapPairs(q, x.inner[b][l], i, y.inner[b][l], yFrom);
            }
        }
        for (int k = 0; k < n; k++) {
            final int j = yFrom + k;
            double c;
            double s2;
            double ntk;
            boolean rough = false;
            if (join == Join.SUM) {
                c = 0;
                s2 = 0;
                ntk = 0;
                for (int a = 0; a < nb; a++) {
                    KernelBatch qa = p.scratch(a);
                    double ax = x.coefficients[a][i];
                    double ay = y.coefficients[a][j];
                    double w = ax * ay;
                    rough |= qa.rough[k];
                    c += w * qa.c[k];
                    ntk += x.coefficients[nb + a][i] * y.coefficients[nb + a][j] * qa.ntk[k];
                    s2 += w * w * qa.s2[k];
                    for (int b = a + 1; b < nb; b++) {
                        KernelBatch qb = p.scratch(b);
                        double bx = x.coefficients[b][i];
                        double by = y.coefficients[b][j];
                        double diff = ax * by - ay * bx;
                        s2 += diff * diff + 2 * w * (bx * by) * oneMinusProduct(qa.c[k], qa.s2[k], qb.c[k], qb.s2[k]);
                    }
                }
                if (isZero(x, i, nb) || isZero(y, j, nb)) {
                    c = 0;
                    s2 = 0;
                }
            } else {
                KernelBatch q0 = p.scratch(0);
                c = q0.c[k];
                s2 = q0.s2[k];
                rough = q0.rough[k];
                for (int b = 1; b < nb; b++) {
                    KernelBatch qb = p.scratch(b);
                    double m = oneMinusProduct(Math.abs(c), s2, Math.abs(qb.c[k]), qb.s2[k]);
                    c *= qb.c[k];
                    s2 = m * (1 + Math.abs(c));
                    rough |= qb.rough[k];
                }
                // Θ = Σ_i Θ_i Π_{j≠i} K_j, each term scaled by π_i(x) π_i(y)
                ntk = 0;
                for (int b = 0; b < nb; b++) {
                    double t = p.scratch(b).ntk[k] * x.coefficients[1 + b][i] * y.coefficients[1 + b][j];
                    for (int o = 0; o < nb && t != 0; o++) {
                        t = o == b ? t : t * p.scratch(o).c[k];
                    }
                    ntk += t;
                }
                if (x.coefficients[0][i] == 0 || y.coefficients[0][j] == 0) {
                    c = 0;
                    s2 = 0;
                }
            }
            if (p.same[k]) {
                boolean zero = join == Join.SUM ? isZero(x, i, nb) : x.coefficients[0][i] == 0;
                p.c[k] = zero ? 0 : 1;
                p.v[k] = zero ? 1 : 0;
                p.s2[k] = 0;
            } else {
                c = c > 1 ? 1 : c < -1 ? -1 : c;
                s2 = s2 > 1 ? 1 : s2;
                p.c[k] = c;
                p.s2[k] = s2;
                p.v[k] = c > 0 ? s2 / (1 + c) : 1 - c;
            }
            p.ntk[k] = ntk;
            p.rough[k] |= rough;
        }
    }

    /** Whether input i has scale 0 at the output of a sum (all its α_i are 0). */
    private static boolean isZero(KernelRows r, int i, int nb) {
        for (int b = 0; b < nb; b++) {
            if (r.coefficients[b][i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * 1 − c_a c_b ≥ 0 without cancellation, from each cosine and its sin²: for c_a c_b &gt; 0,
     * g_a + g_b − g_a g_b with g = 1 − |c| = sin²θ/(1 + |c|); otherwise 1 + |c_a c_b|.
     */
    static double oneMinusProduct(double ca, double s2a, double cb, double s2b) {
        if (ca * cb > 0) {
            double ga = Math.max(s2a, 0) / (1 + Math.abs(ca));
            double gb = Math.max(s2b, 0) / (1 + Math.abs(cb));
            return ga + gb - ga * gb;
        }
        return 1 + Math.abs(ca * cb);
    }

    @Override
    public String spec() {
        if (residual) {
            String block = chain(branches.get(1));
            boolean plain = weights[0] == 1 && weights[1] == 1;
            return "residual(" + block + (plain ? "" : "; " + Activation.num(weights[0]) + "," + Activation.num(weights[1])) + ")";
        }
        StringBuilder sb = new StringBuilder(join == Join.SUM ? "sum(" : "prod(");
        for (int i = 0; i < branches.size(); i++) {
            sb.append(i == 0 ? "" : " | ").append(branches.get(i).isEmpty() ? "identity" : chain(branches.get(i)));
        }
        boolean plain = true;
        for (double w : weights) {
            plain &= w == 1;
        }
        if (!plain) {
            sb.append(';');
            for (int i = 0; i < weights.length; i++) {
                sb.append(i == 0 ? " " : ",").append(Activation.num(weights[i]));
            }
        }
        return sb.append(')').toString();
    }

    private static String chain(List<Layer> ls) {
        StringBuilder sb = new StringBuilder();
        for (Layer l : ls) {
            sb.append(sb.length() == 0 ? "" : " ").append(l.spec());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Branches b && b.branches.equals(branches) && b.join == join && Arrays.equals(b.weights, weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(branches, join, Arrays.hashCode(weights));
    }
}
