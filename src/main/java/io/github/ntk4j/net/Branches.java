package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.math.KernelBatch;
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
 * <p>Quantities that cancel, carried exactly (docs/KERNEL-RECURSION.md §5): E is linear, E = Σ w_i² E_i. The
 * determinant of a sum of 2×2 Gram blocks A, B is det A + det B + M(A, B) with the mixed term
 * M = A_xx B_yy + A_yy B_xx − 2 A_xy B_xy written as the two non-negative parts
 * (√(A_xx B_yy) − √(A_yy B_xx))² + 2(ab − A_xy B_xy), a = √(A_xx A_yy), b = √(B_xx B_yy), where
 * ab − |A_xy B_xy| = b·D_A/(a + |A_xy|) + |A_xy|·D_B/(b + |B_xy|) has no cancellation (for sums
 * of n blocks: Σ det + Σ_{i&lt;j} M). For the Hadamard product, D = (ab − |A_xy B_xy|)(ab +
 * |A_xy B_xy|) and E = (√(A_xx B_xx) − √(A_yy B_yy))² + 2(ab − A_xy B_xy). The one difference
 * of two rounded numbers left, √(A_xx B_yy) − √(A_yy B_xx), carries an absolute error of a few
 * ulps of the variances, so D keeps a relative error of order ε/θ for inputs at angle θ, i.e.
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

    private final List<List<Layer>> branches;
    private final Join join;
    private final double[] weights;
    private final boolean residual;

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

    @Override
    public void mapPairs(KernelBatch p) {
        final int n = p.size;
        final int nb = branches.size();
        // run every branch on a copy of the input state; its final variances end up in q.kxx/q.kyy
        for (int i = 0; i < nb; i++) {
            KernelBatch q = p.scratch(i);
            p.copyTo(q);
            for (Layer l : branches.get(i)) {
                for (int k = 0; k < n; k++) {
                    // in a Gram row every pair shares x: reuse its variance instead of recomputing
                    q.kxxOut[k] = k > 0 && q.kxx[k] == q.kxx[k - 1] ? q.kxxOut[k - 1] : l.mapVariance(q.kxx[k]);
                    q.kyyOut[k] = k > 0 && q.kyy[k] == q.kyy[k - 1] ? q.kyyOut[k - 1] : l.mapVariance(q.kyy[k]);
                }
                l.mapPairs(q);
                System.arraycopy(q.kxxOut, 0, q.kxx, 0, n);
                System.arraycopy(q.kyyOut, 0, q.kyy, 0, n);
            }
        }
        if (join == Join.SUM) {
            sum(p, nb);
        } else {
            product(p, nb);
        }
    }

    private void sum(KernelBatch p, int nb) {
        for (int k = 0; k < p.size; k++) {
            double kxy = 0;
            double e = 0;
            double ntk = 0;
            double d = 0;
            for (int i = 0; i < nb; i++) {
                KernelBatch a = p.scratch(i);
                double c = weights[i] * weights[i];
                kxy += c * a.kxy[k];
                e += c * a.e[k];
                ntk += c * a.ntk[k];
                d += c * c * a.d[k];
                for (int j = i + 1; j < nb; j++) {
                    KernelBatch b = p.scratch(j);
                    d += c * weights[j] * weights[j] * mixed(a.kxx[k], a.kxy[k], a.kyy[k], a.d[k],
                            b.kxx[k], b.kxy[k], b.kyy[k], b.d[k]);
                }
            }
            store(p, k, kxy, d, e, ntk);
        }
    }

    private void product(KernelBatch p, int nb) {
        for (int k = 0; k < p.size; k++) {
            KernelBatch a = p.scratch(0);
            double xx = a.kxx[k];
            double yy = a.kyy[k];
            double xy = a.kxy[k];
            double d = a.d[k];
            double e = a.e[k];
            double ntk = a.ntk[k];
            for (int i = 1; i < nb; i++) {
                KernelBatch b = p.scratch(i);
                double bxx = b.kxx[k];
                double byy = b.kyy[k];
                double bxy = b.kxy[k];
                double ra = Math.sqrt(xx) * Math.sqrt(yy);
                double rb = Math.sqrt(bxx) * Math.sqrt(byy);
                double g = gap(ra, xy, d, rb, bxy, b.d[k]);
                double plus = ra * rb + Math.abs(xy * bxy);
                double dn = g * plus;
                double diff = Math.sqrt(xx) * Math.sqrt(bxx) - Math.sqrt(yy) * Math.sqrt(byy);
                double en = diff * diff + 2 * (xy * bxy > 0 ? g : plus);
                ntk = ntk * bxy + xy * b.ntk[k];
                xx *= bxx;
                yy *= byy;
                xy *= bxy;
                d = dn;
                e = en;
            }
            store(p, k, xy, d, e, ntk);
        }
    }

    private static void store(KernelBatch p, int k, double kxy, double d, double e, double ntk) {
        if (p.same[k]) {
            p.kxy[k] = p.kxxOut[k];
            p.d[k] = 0;
            p.e[k] = 0;
        } else {
            p.kxy[k] = kxy;
            p.d[k] = Math.max(d, 0);
            p.e[k] = Math.max(e, 0);
        }
        p.ntk[k] = ntk;
    }

    /**
     * ab − |A_xy B_xy| ≥ 0 without cancellation, a = √(A_xx A_yy), b = √(B_xx B_yy):
     * b(a − |A_xy|) + |A_xy|(b − |B_xy|) with a − |A_xy| = D_A/(a + |A_xy|).
     */
    static double gap(double a, double axy, double da, double b, double bxy, double db) {
        double ua = Math.abs(axy);
        double ub = Math.abs(bxy);
        double ga = a + ua > 0 ? Math.max(da, 0) / (a + ua) : 0;
        double gb = b + ub > 0 ? Math.max(db, 0) / (b + ub) : 0;
        return b * ga + ua * gb;
    }

    /** The mixed term M(A, B) = A_xx B_yy + A_yy B_xx − 2 A_xy B_xy of det(A + B), as two non-negative parts. */
    static double mixed(double axx, double axy, double ayy, double da, double bxx, double bxy, double byy, double db) {
        double ra = Math.sqrt(axx) * Math.sqrt(ayy);
        double rb = Math.sqrt(bxx) * Math.sqrt(byy);
        double diff = Math.sqrt(axx) * Math.sqrt(byy) - Math.sqrt(ayy) * Math.sqrt(bxx);
        double cross = axy * bxy > 0 ? gap(ra, axy, da, rb, bxy, db) : ra * rb + Math.abs(axy * bxy);
        return diff * diff + 2 * cross;
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
