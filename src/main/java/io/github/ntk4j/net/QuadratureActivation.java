package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.internal.KernelBatch;
import io.github.ntk4j.internal.KernelRows;
import io.github.ntk4j.internal.ScaledDouble;
import io.github.ntk4j.internal.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;
import org.hipparchus.analysis.integration.gauss.LegendreRuleFactory;

/**
 * An activation known only through φ and φ' (neural-tangents' {@code ElementwiseNumerical}):
 * its duals are the Gaussian expectations themselves, integrated numerically. With
 * u = √Σxx·z1 and v = (Σxy/√Σxx)·z1 + √(D/Σxx)·z2 (z1, z2 independent standard normal; the
 * conditional law of v given u, with D = ΣxxΣyy − Σxy² carried without cancellation so that
 * nearly collinear pairs keep their digits),
 * <pre>
 *   T = E[φ(u)φ(v)] = ∫ N(z1) φ(u) ∫ N(z2) φ(v) dz2 dz1,   Ṫ the same with φ'
 * </pre>
 * each 1-D integral over [−9, 9] (the Gaussian mass beyond is 2e-19) by Gauss–Legendre panels of
 * {@code degree} nodes (default {@value #DEFAULT_DEGREE}), split at the kinks of φ (elu, selu:
 * 0; for v at the z2 where the kink falls given z1), with geometric panels towards a kink
 * for nearly collinear pairs, and no longer than 2/σ for a standard deviation σ ≥ 1 where φ may
 * have a singularity nearby, so that a singularity of φ at distance ≥ 1 from the real axis
 * (tanh: π/2, sigmoid, softplus, silu: π, mish: about 2.4) stays outside each panel's Bernstein
 * ellipse with ρ ≥ 3.4. The built-ins' singularities all lie within 1 of Re x = 0, so their
 * panels grow geometrically away from it ({@link #edges}: about 50 per dimension at σ = 1e6);
 * an {@code fn} keeps panels of 2/σ everywhere (sin oscillates on the whole line).
 *
 * <p>Cost and budget: an {@code fn} takes ⌈9·max(1, σ)⌉ panels per dimension, (16·⌈9·max(1,
 * σ)⌉)² evaluations of φ and of φ' per pair and layer: 2.1e4 at σ ≤ 1, 8e4 at σ = 2; the
 * built-ins about 2·(9 + log₃ σ) panels. The nodes are counted before any panel is built and a
 * rule of more than {@value #MAX_NODES} per dimension (about a second per pair) is refused in
 * one line naming the variance, the panels it needs and the limit. E[φ(u)²] that underflows
 * (0 or subnormal while φ is not 0) is refused as below the double range, and a φ that
 * exceeds the double range at a node is named with the |x| where it does.
 *
 * <p>Why not 2-D Gauss–Hermite as neural-tangents: measured against independent QUADPACK values
 * (ActivationReferenceTest), 48×48 Gauss–Hermite points leave relative errors of 6e-4 for tanh
 * at variance 2.5 (its poles at ±iπ/2 are close to the real axis on the Gauss–Hermite scale)
 * and 8e-3 for elu (the jump of φ'). The panels reach 1e-12 there.
 *
 * <p>That is {@link #dual} and {@link #dualDerivative}. The engine's pairs and Gram matrices instead build (in {@link #mapRows}) each input's Hermite
 * coefficients once per layer and sums Mehler's series per pair ({@link MehlerTable}: a
 * truncation bound checked pair by pair, a few dozen multiply-adds for |ρ| ≤ 0.9), and falls
 * back to the panels above only for pairs whose series does not meet its bound by degree 64
 * (kinked φ' near collinear inputs) or whose sin²θ' the series cannot give to its digits (below
 * {@link CollinearDefect#CANCELLATION}); identical inputs take Ṫ = E[φ'(σz)²] from the table.
 */
public class QuadratureActivation extends Activation {
    /** Default Gauss–Legendre nodes per panel. */
    public static final int DEFAULT_DEGREE = 16;
    /** Smallest batch whose series' head goes through MehlerTable#head (a table slice is copied per tile). */
    private static final int MIN_VECTOR_BATCH = 8;
    /**
     * Mehler's series is tried for |ρ| below this, 1: its truncation bound decides, pair by pair,
     * whether it converged. Why not a limit below 1: near collinear inputs the coefficients of a
     * smooth φ still decay geometrically (sigmoid's at variance 0.6 by a factor 2.5 every two
     * degrees, 3e-7 at degree 21), and the earlier limit 0.97 sent every pair of a deep network
     * in the ordered phase to the 2-D quadrature (200 inputs, W_std 1, b_std 0.5, whole process:
     * softplus at depth 6 5.1 s, now 1.8 s; mish 2.3 s, now 0.55 s; the values within 2.3e-13
     * and 4.7e-12 of the previous ones, which were the ones off, ActivationReferenceTest); kinked
     * φ' (elu, selu) miss the bound there and fall back as before, at no measurable cost.
     */
    static final double MAX_SERIES_CORRELATION = 1.0;
    /**
     * The general rule's pairs (those the series did not settle: nearly collinear outputs, whose
     * sin²θ' the defect rule carries) do not take the plain series for T and Ṫ beyond this |ρ|.
     * Why: there T and Ṫ feed the defect's difference, and the series, stopped at 1e-12 of its
     * sum, gave silu's Θ at inputs 1e-7 from collinear to 3.8e-13 where the quadrature gives
     * 5e-15 (reference/activation-kernels.json). A smooth φ takes the series about the collinear
     * pair there instead ({@link CollinearDefect#collinearSeries}: the collinear pair's values
     * less gaps whose every term is positive), and the 2-D quadrature where its bound is not met.
     */
    private static final double GENERAL_RULE_SERIES_CORRELATION = 0.97;
    /** Integration range in standard deviations. */
    private static final double RANGE = 9;

    private final String name;
    private final List<Double> params;
    private final DoubleUnaryOperator phi;
    private final DoubleUnaryOperator dphi;
    private final int degree;
    private final double[] nodes;
    private final double[] weights;
    /** Built by {@link Activations} from a spec token: equal when name and parameters are. */
    private final boolean fromSpec;
    /** Points where φ or φ' is not smooth (elu, selu: 0); empty for smooth activations. */
    private final double[] kinks;
    /** Whether every kink of φ is at 0 (elu, selu; none counts too), where {@link CollinearDefect}'s panels have an edge. */
    private final boolean kinksAtZero;
    /** φ in Symja syntax for the built-in ones ({@link #symbolicForm}), null if not known. */
    private final String symbolic;
    /** Whether φ's singularities are known to lie near Re x = 0 (graded panels, see {@link #edges}). */
    private final boolean graded;
    /**
     * A distance τ ≥ 1 within which φ and φ' are analytic about the real axis (|Im x| &lt; τ): the
     * inner Gauss–Hermite rules ({@link InnerHermite}) are taken at spreads up to τ times their
     * limits for τ = 1. 1 unless known ({@link Activations}).
     */
    private final double strip;
    /** φ's parity where known: {@link #ODD}, {@link #EVEN} or 0 (see {@link MehlerTable#of}). */
    final int parity;
    /** φ and φ' together at many points (never null: φ and φ' one by one unless given). */
    private final PhiAndDerivative both;
    /** The inner expectations in closed form, or null. */
    private final InnerMoments moments;
    /** φ alone and φ' alone ({@link #firstOnly}), known to {@link #integrate2} by identity. */
    private final PhiAndDerivative phiOnly;
    private final PhiAndDerivative dphiOnly;

    /**
     * φ and φ' at many points in one call, for an activation whose φ' is cheap once φ is known
     * (tanh: φ' = 1 − φ², one evaluation of tanh instead of two): the Gram path's tables evaluate
     * both at every node of every input (Math.tanh is not an intrinsic in Java 17; measured with
     * {@code bench gram --n 2000 --threads 1}, medians of four alternating runs: the tanh Gram 20 %
     * faster, silu 8 %, mish 13 %). The values must be those of φ and φ' bit for bit.
     */
    @FunctionalInterface
    interface PhiAndDerivative {
        /**
         * @param x the points (phi may be the same array: each x[q] is read before phi[q] is written)
         * @param n how many
         * @param phi φ(x[q]) into phi[q]
         * @param dphi φ'(x[q]) into dphi[q]
         */
        void values(double[] x, int n, double[] phi, double[] dphi);

        /**
         * @param phi φ
         * @param dphi φ'
         * @return both, one point at a time
         */
        static PhiAndDerivative of(DoubleUnaryOperator phi, DoubleUnaryOperator dphi) {
            return (x, n, f, df) -> {
                for (int q = 0; q < n; q++) {
                    final double v = x[q];
                    f[q] = phi.applyAsDouble(v);
                    df[q] = dphi.applyAsDouble(v);
                }
            };
        }
    }

    /** {@code parity} of an odd φ. */
    static final int ODD = 1;
    /** {@code parity} of an even φ. */
    static final int EVEN = 2;

    /**
     * The inner expectations of the 2-D quadrature in closed form, for an activation that has
     * them ({@link EluMoments}): used where the inner Gaussian covers a kink, in place of the
     * panels.
     */
    interface InnerMoments {
        /**
         * @param mean μ
         * @param s the spread, &gt; 0
         * @param out E[φ(μ + sZ)] into out[0], E[φ'(μ + sZ)] into out[1]
         * @return false where the closed forms do not apply (then the panels do)
         */
        boolean moments(double mean, double s, double[] out);
    }

    /**
     * @param name the name in specs (letters, digits, '_')
     * @param params the parameters as written in a spec (may be empty)
     * @param phi φ
     * @param dphi φ'
     * @param degree Gauss–Legendre nodes per panel, 4 … 64
     */
    public QuadratureActivation(String name, List<Double> params, DoubleUnaryOperator phi, DoubleUnaryOperator dphi,
            int degree) {
        this(name, params, phi, dphi, degree, false, new double[0], null, false, 0, null, null);
    }

    /**
     * @param name the name in specs (letters, digits, '_')
     * @param params the parameters as written in a spec (may be empty)
     * @param phi φ
     * @param dphi φ'
     * @param degree Gauss–Legendre nodes per panel, 4 … 64
     * @param kinks the points where φ or φ' is not smooth (the panels are split there), finite
     */
    protected QuadratureActivation(String name, List<Double> params, DoubleUnaryOperator phi, DoubleUnaryOperator dphi,
            int degree, double[] kinks) {
        this(name, params, phi, dphi, degree, false, finiteKinks(kinks), null, false, 0, null, null);
    }

    private static double[] finiteKinks(double[] kinks) {
        for (double k : kinks) {
            if (!Double.isFinite(k)) {
                throw Messages.notFinite("kink", k);
            }
        }
        return kinks;
    }

    /**
     * @param graded whether every complex singularity s of φ and φ' has |Re s| ≤ 1 and
     *     |Im s| ≥ 1 and φ is entire on each side of its kinks otherwise (the built-ins: tanh's
     *     poles iπ(k + ½), sigmoid's and silu's iπ(2k + 1), softplus's branch points there,
     *     mish's poles ½·ln 2 ± i(3π/4 + 2πk); elu and selu are entire on each side of 0): the
     *     panels then grow geometrically away from x = 0 ({@link #edges})
     * @param parity {@link #ODD} when φ(−x) = −φ(x) for every x (tanh), {@link #EVEN} when
     *     φ(−x) = φ(x), 0 when neither or unknown: the Gram path's tables then keep only the
     *     Hermite degrees that do not vanish ({@link MehlerTable#of})
     * @param both φ and φ' together (the same values), or null to evaluate them apart
     * @param moments the inner expectations in closed form, or null (panels)
     */
    QuadratureActivation(String name, List<Double> params, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, int degree,
            boolean fromSpec, double[] kinks, String symbolic, boolean graded, int parity, PhiAndDerivative both,
            InnerMoments moments) {
        this(name, params, phi, dphi, degree, fromSpec, kinks, symbolic, graded, parity, both, moments, 1);
    }

    /**
     * @param strip τ ≥ 1 such that φ and φ' are analytic in |Im x| &lt; τ, for a φ without kinks
     *     (the built-ins: a little inside the singularities listed under graded): the inner
     *     Gauss–Hermite rule of the 2-D quadrature then serves spreads up to τ times its limit
     *     for τ = 1, where panels took ten times the evaluations (softplus at the defaults,
     *     400 inputs of dimension 100 through 5 layers: 29.5 against 9.5 s, the values within
     *     3.6e-15)
     */
    QuadratureActivation(String name, List<Double> params, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, int degree,
            boolean fromSpec, double[] kinks, String symbolic, boolean graded, int parity, PhiAndDerivative both,
            InnerMoments moments, double strip) {
        if (!(strip >= 1) || strip == Double.POSITIVE_INFINITY || strip > 1 && kinks.length > 0) {
            throw Messages.invalid("the analytic strip must be finite and at least 1 (1 where φ has kinks), got " + strip);
        }
        this.strip = strip;
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw Messages.invalid("an activation name must be letters, digits and '_', starting with a letter, got " + name);
        }
        if (phi == null || dphi == null) {
            throw Messages.invalid("activation " + name + " needs both φ and φ'");
        }
        if (degree < 4 || degree > 64) {
            throw Messages.invalid("quadrature degree must be 4 … 64, got " + degree);
        }
        this.name = name;
        this.params = List.copyOf(params);
        this.phi = phi;
        this.dphi = dphi;
        this.degree = degree;
        this.fromSpec = fromSpec;
        this.kinks = kinks.clone();
        boolean atZero = true;
        for (double kink : kinks) {
            atZero &= kink == 0;
        }
        this.kinksAtZero = atZero;
        this.symbolic = symbolic;
        this.graded = graded;
        if (parity != 0 && parity != ODD && parity != EVEN) {
            throw Messages.invalid("parity must be 0, ODD or EVEN, got " + parity);
        }
        this.parity = parity;
        this.both = both != null ? both : PhiAndDerivative.of(phi, dphi);
        this.moments = moments;
        this.phiOnly = firstOnly(phi);
        this.dphiOnly = firstOnly(dphi);
        org.hipparchus.util.Pair<double[], double[]> rule = new LegendreRuleFactory().getRule(degree);
        nodes = rule.getFirst().clone();
        weights = rule.getSecond().clone();
    }

    /** @return φ and φ' together, as the Gram path's tables evaluate them */
    PhiAndDerivative values() {
        return both;
    }

    /** @return Gauss–Legendre nodes per panel */
    public int degree() {
        return degree;
    }

    /**
     * @param n nodes per panel
     * @return the same activation with another quadrature degree
     */
    public QuadratureActivation withDegree(int n) {
        return new QuadratureActivation(name, params, phi, dphi, n, fromSpec, kinks, symbolic, graded, parity, both, moments,
                strip);
    }

    @Override
    public java.util.Optional<String> symbolicForm() {
        return java.util.Optional.ofNullable(symbolic);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected List<Double> parameters() {
        return params;
    }

    @Override
    public double apply(double x) {
        return phi.applyAsDouble(x);
    }

    @Override
    public double derivative(double x) {
        return dphi.applyAsDouble(x);
    }

    @Override
    public double mapVariance(double kxx) {
        if (kxx == 0) {
            double f = phi.applyAsDouble(0);
            return finite(f * f, "T", kxx, kxx, kxx);
        }
        double v = finite(meanSquare(kxx), "T", kxx, kxx, kxx);
        if (v < Double.MIN_NORMAL && !vanishes(phi, Math.sqrt(kxx))) {
            // E[φ(u)²] > 0 for a φ that is not 0 almost everywhere: 0 or a subnormal is underflow
            throw Messages.ruleOutOfRange("activation " + spec(), "E[φ(u)²] at pre-activation variance " + kxx,
                    (v == 0 ? "below 2.2e-308 (it underflowed to 0, though φ is not 0)" : "about " + v + " (subnormal)"));
        }
        return v;
    }

    /** Whether φ is 0 at a few points of scale 1 and σ (then E[φ(u)²] = 0 may be exact). */
    private static boolean vanishes(DoubleUnaryOperator f, double sigma) {
        for (double x : new double[] {0, 0.5, 1, 2, 3, sigma, 2 * sigma, 4 * sigma}) {
            if (f.applyAsDouble(x) != 0 || f.applyAsDouble(-x) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * E[φ(σz)²] for σ² = kxx &gt; 0, by the panels of {@link #edges}; a φ that exceeds the
     * double range at a node is refused with the smallest such |x|.
     */
    private double meanSquare(double kxx) {
        double sigma = Math.sqrt(kxx);
        double[] br = new double[kinks.length];
        for (int i = 0; i < br.length; i++) {
            br[i] = kinks[i] / sigma;
        }
        double[] e = edges(br, NONE, sigma, RANGE, 2, 0, kxx);
        double sum = 0;
        double overflow = Double.POSITIVE_INFINITY;
        for (int p = 0; p + 1 < e.length; p++) {
            double h = 0.5 * (e[p + 1] - e[p]);
            double mid = 0.5 * (e[p + 1] + e[p]);
            for (int i = 0; i < nodes.length; i++) {
                double z = mid + h * nodes[i];
                double x = sigma * z;
                double v = phi.applyAsDouble(x);
                if (Double.isInfinite(v)) {
                    overflow = Math.min(overflow, Math.abs(x));
                }
                sum += h * weights[i] * Gaussians.pdf(z) * v * v;
            }
        }
        if (overflow < Double.POSITIVE_INFINITY) {
            String at = Double.isInfinite(phi.applyAsDouble(0)) ? "x = 0"
                    : "|x| = " + String.format(java.util.Locale.ROOT, "%.3g", overflow);
            throw Messages.ruleOutOfRange("activation " + spec(), "φ(x) at " + at,
                    "beyond 1.8e+308 (φ exceeds the double range there; the quadrature for E[φ(u)²] at pre-activation"
                            + " variance " + kxx + " evaluates φ up to |x| = " + String.format(java.util.Locale.ROOT, "%.3g", RANGE * sigma) + ")");
        }
        return sum;
    }

    @Override
    public double dual(double kxx, double kxy, double kyy) {
        return dual(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0), phiOnly, "T");
    }

    @Override
    public double dualDerivative(double kxx, double kxy, double kyy) {
        return dualDerivative(kxx, kxy, kyy, Math.max(kxx * kyy - kxy * kxy, 0));
    }

    /** Ṫ here is a quadrature, accurate to about 1e-13 and costly: {@link CollinearDefect} takes one panel. */
    @Override
    boolean dualDerivativeInClosedForm() {
        return false;
    }

    @Override
    double dualDerivative(double kxx, double kxy, double kyy, double d) {
        return dual(kxx, kxy, kyy, d, dphiOnly, "Ṫ");
    }

    /** E[f(u)f(v)] for f = φ ({@link #phiOnly}) or φ' ({@link #dphiOnly}), checked finite. */
    private double dual(double kxx, double kxy, double kyy, double d, PhiAndDerivative f, String what) {
        double[] out = new double[2];
        expectations(kxx, kxy, kyy, d, f, out);
        return finite(out[0], what, kxx, kxy, kyy);
    }

    /**
     * E[f1(u)f1(v)] into out[0] and E[f2(u)f2(v)] into out[1] for one pair by the quadrature,
     * f1 and f2 at each point from one call of {@code fs}: (φ, φ') gives T and Ṫ in one pass (see
     * {@link #integrate2}), {@link #firstOnly} one function. Not checked for finiteness.
     */
    private void expectations(double kxx, double kxy, double kyy, double d, PhiAndDerivative fs, double[] out) {
        if (kxx == 0 || kyy == 0) {
            double[] at0 = {0};
            double[] f0 = new double[2];
            fs.values(at0, 1, at0, f0);
            if (kxx == 0 && kyy == 0) {
                out[0] = at0[0] * at0[0];
                out[1] = f0[0] * f0[0];
            } else {
                // one input is 0: E[f(0)f(v)] = f(0)·E[f(v)]
                integrate2(Math.max(kxx, kyy), 0, 0, fs, ONES, out);
                out[0] = at0[0] * out[0];
                out[1] = f0[0] * out[1];
            }
        } else {
            // the outer variable the one of larger variance, so that the inner integral has the
            // conditional variance D/max(Σxx, Σyy) ≤ min(Σxx, Σyy) and the value does not depend
            // on the argument order: with the smaller variance outside, tanh's Ṫ at Σxx = 0.14,
            // Σyy = 1.3e28 came out 7e-4 off (the inner integrand then a spike of width 1e-14),
            // with the larger outside right to 2e-15 (ReferenceValuesTest, scale-ratio file)
            integrate2(Math.max(kxx, kyy), kxy, d, fs, fs, out);
        }
    }

    /** 1 for both functions at every point (the inner factor of a pair with one input 0). */
    private static final PhiAndDerivative ONES = (x, n, f1, f2) -> {
        java.util.Arrays.fill(f1, 0, n, 1.0);
        java.util.Arrays.fill(f2, 0, n, 1.0);
    };

    /** f at each point into the first array; the second is left as it is (never written: 0). */
    private static PhiAndDerivative firstOnly(DoubleUnaryOperator f) {
        return (x, n, f1, f2) -> {
            for (int q = 0; q < n; q++) {
                f1[q] = f.applyAsDouble(x[q]);
            }
        };
    }

    /** The centre of a grid whose panels do not grow (φ's singularities unknown). */
    static final double NO_CENTRE = Double.NaN;

    /**
     * Most Gauss–Legendre nodes per dimension one rule may take: (8192)² = 6.7e7 evaluations of φ
     * per pair and layer in the 2-D rule, about a second; beyond, the input is refused before
     * any panel is built. Uniform panels (an {@code fn}, singularities unknown) reach it at σ
     * ≈ 57 (degree 16); graded panels (the built-ins) at σ ≈ 1e119.
     */
    static final int MAX_NODES = 8192;

    /**
     * Panel edges on [−range, range] for a standard deviation σ (in units of z, x = σz): the
     * break points, panels at the distances {@code refine} towards each of them, and between
     * these points panels no longer than {@code cap} and:
     * <ul>
     * <li>without a centre (NaN: φ's singularities are unknown, an {@code fn}): 2/max(1, σ)
     * everywhere, so that a singularity of φ at distance ≥ 1 from the real axis stays outside
     * each panel's Bernstein ellipse with ρ ≥ 3.4 (the panels are equal between break points);
     * <li>with a centre c (the built-ins, whose singularities s have |Re s − cσ| ≤ 1 and |Im s|
     * ≥ 1 in x): 2/max(1, σ) within 2/σ of c, then growing geometrically, as long as their
     * distance d from c (doubling up to 10/σ, tripling beyond): a panel [c + d, c + 3d] with d
     * ≥ 10/σ sees every such singularity at normalised distance ≥ 1.9 beyond its end, ρ ≥ 3.5
     * (the doubled ones ρ ≥ 3.7), whatever the singularity's imaginary part. So a built-in at
     * σ = 1e6 takes about 50 panels per dimension instead of 9·10⁶.
     * </ul>
     * The nodes this takes are counted before any panel is built and refused beyond {@link
     * #MAX_NODES} (one line: the variance, the panels it needs, the limit).
     *
     * @param variance the pre-activation variance, for the message
     */
    private double[] edges(double[] breaks, double[] refine, double sigma, double range, double cap, double centre,
            double variance) {
        return edges(breaks, refine, sigma, range, cap, graded ? centre : NO_CENTRE, degree, MAX_NODES, spec(), variance);
    }

    /** See {@link #edges(double[], double[], double, double, double, double, double)}. */
    static double[] edges(double[] breaks, double[] refine, double sigma, double range, double cap, double centre,
            int degree, long maxNodes, String spec, double variance) {
        double u = Math.min(cap, 2 / Math.max(1, sigma));
        // the points every grid has: the ends, the break points and their refinements (graded
        // grids add the centre below)
        double[] fixed = new double[3 + breaks.length * (1 + 2 * refine.length)];
        int nf = 0;
        fixed[nf++] = -range;
        fixed[nf++] = range;
        for (double b : breaks) {
            if (b > -range && b < range) {
                fixed[nf++] = b;
                for (double w : refine) {
                    if (b - w > -range) {
                        fixed[nf++] = b - w;
                    }
                    if (b + w < range) {
                        fixed[nf++] = b + w;
                    }
                }
            }
        }
        java.util.Arrays.sort(fixed, 0, nf);
        int m = 0;
        for (int i = 0; i < nf; i++) {
            if (m == 0 || fixed[i] != fixed[m - 1]) {
                fixed[m++] = fixed[i];
            }
        }
        // count first (in double: 18σ panels may exceed a long): nothing that grows with σ is
        // allocated before the budget is checked. Graded panels only where they are fewer than
        // uniform ones (at σ ≤ 1 the uniform grid takes 9 panels on [−9, 9], the walk from 0 10)
        if (!Double.isNaN(centre)) {
            double uniform = 0;
            for (int i = 0; i + 1 < m; i++) {
                uniform += Math.ceil((fixed[i + 1] - fixed[i]) / u);
            }
            double[] withCentre = fixed;
            int mc = m;
            if (centre > -range && centre < range && java.util.Arrays.binarySearch(fixed, 0, m, centre) < 0) {
                int at = -java.util.Arrays.binarySearch(fixed, 0, m, centre) - 1;
                withCentre = new double[m + 1];
                System.arraycopy(fixed, 0, withCentre, 0, at);
                withCentre[at] = centre;
                System.arraycopy(fixed, at, withCentre, at + 1, m - at);
                mc = m + 1;
            }
            double walked = 0;
            for (int i = 0; i + 1 < mc; i++) {
                walked += walk(withCentre[i], withCentre[i + 1], centre, sigma, u, cap, null, 0);
            }
            if (uniform <= walked) {
                centre = Double.NaN;
            } else {
                fixed = withCentre;
                m = mc;
            }
        }
        double panels = 0;
        for (int i = 0; i + 1 < m; i++) {
            panels += Double.isNaN(centre) ? Math.ceil((fixed[i + 1] - fixed[i]) / u)
                    : walk(fixed[i], fixed[i + 1], centre, sigma, u, cap, null, 0);
            if (!(panels * degree <= maxNodes)) {
                panels = Double.isNaN(centre) ? Math.ceil(2 * range / u) : panels;
                throw Messages.invalid("activation " + spec + ": the quadrature at pre-activation variance "
                        + String.format(java.util.Locale.ROOT, "%.3g needs %s Gauss–Legendre panels of %d nodes per dimension,"
                                + " above its limit of %d nodes (%.2g evaluations of φ per pair)", variance,
                                panels < 1e7 ? Long.toString((long) panels) : String.format(java.util.Locale.ROOT, "%.3g", panels),
                                degree, maxNodes, (double) maxNodes * maxNodes)
                        + (Double.isNaN(centre) ? ": φ is known only pointwise, so its panels are no longer than 2/σ;"
                                + " use smaller weights, fewer layers or a built-in activation" : ""));
            }
        }
        double[] r = new double[(int) panels + 1];
        int at = 0;
        r[at++] = fixed[0];
        for (int i = 0; i + 1 < m; i++) {
            if (Double.isNaN(centre)) {
                double a = fixed[i];
                double b = fixed[i + 1];
                int pieces = (int) Math.ceil((b - a) / u);
                for (int k = 1; k < pieces; k++) {
                    r[at++] = a + (b - a) * k / pieces;
                }
                r[at++] = b;
            } else {
                at = walk(fixed[i], fixed[i + 1], centre, sigma, u, cap, r, at);
            }
        }
        return at == r.length ? r : java.util.Arrays.copyOf(r, at);
    }

    /**
     * The graded panels of [a, b] (not containing the centre c in its interior), walked from the
     * end nearer c: each panel as long as its distance from c allows (see {@link #edges}).
     * Counts them when out is null, else writes the edges after a (which is there already)
     * into out from at, returning the new end.
     */
    private static int walk(double a, double b, double c, double sigma, double u, double cap, double[] out, int at) {
        boolean up = a >= c;
        double from = up ? a : b;
        double to = up ? b : a;
        int count = 0;
        double x = from;
        int start = at;
        while (up ? x < to : x > to) {
            double d = Math.abs(x - c);
            double len = d < 2 / sigma ? u : Math.min(cap, Math.max(u, d < 10 / sigma ? d : 2 * d));
            x = up ? x + len : x - len;
            if (up ? x >= to : x <= to) {
                x = to; // the last panel ends at the segment's end
            }
            if (out != null) {
                out[at++] = x;
            }
            count++;
        }
        if (out == null) {
            return count;
        }
        if (!up) {
            // written from b down to a: reverse into ascending order
            for (int i = start, j = at - 1; i < j; i++, j--) {
                double t = out[i];
                out[i] = out[j];
                out[j] = t;
            }
            // the list now runs a … (last step before b); b replaces the walk's start
            System.arraycopy(out, start + 1, out, start, at - start - 1);
            out[at - 1] = b;
        }
        return at;
    }

    /** No refinement. */
    private static final double[] NONE = {};
    /** Distances of the geometric panels towards a break point for nearly collinear inputs. */
    private static final double[] NEAR = {1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10};
    /** The same for moderately correlated inputs, where the turn is 0.01 … 1 wide. */
    private static final double[] MODERATE = {1, 0.5, 0.25, 0.1, 0.05, 0.025, 0.01, 0.005};

    /**
     * Two expectations over the same points: E[g1(u)f1(v)] into out[0] and E[g2(u)f2(v)] into
     * out[1], with u = √a·z1, v = (c/√a)·z1 + √(D/a)·z2 (a &gt; 0), g1, g2 from {@code outer} and
     * f1, f2 from {@code inner} (each call gives both). Both integrals by Gauss–Legendre panels
     * split where f and g have kinks; the inner one by a Gauss–Hermite rule ({@link InnerHermite})
     * where its integrand is smooth and narrow: always for a φ without kinks, and for one with
     * kinks where every kink is at least {@link #RANGE} inner standard deviations from the inner
     * mean, so that the Gaussian's mass on the far side (below 1e-18) is negligible and the
     * integrand is analytic where the rule looks. Why the latter: nearly collinear pairs through
     * elu took panels over the whole inner range at every outer node, about 100,000 evaluations
     * of φ' per Ṫ (120 inputs within 1 % of each other, depth 6: 7.7 minutes). Where the inner
     * Gaussian does cover a kink, an activation with closed-form inner expectations ({@link
     * InnerMoments}: elu, selu) takes them instead of the inner panels, for (φ, φ') together,
     * φ alone or φ' alone.
     */
    private void integrate2(double a, double c, double d, PhiAndDerivative outer, PhiAndDerivative inner, double[] out) {
        double sa = Math.sqrt(a);
        double m = c / sa;
        double s = Math.sqrt(d / a);
        // the outer integrand has kinks where u has (z1 = k/√a) and turns within ~s/|m| of where
        // the inner mean crosses a kink (z1 = k/m): split at both, and resolve the turn with
        // geometric panels when it is narrower than the Gaussian's scale (s < |m|): towards 1e-10
        // for nearly collinear inputs, down to 0.005 for moderately correlated ones (without
        // them a discontinuous φ' such as abs's sign lost up to 1e-7 at correlations about 0.99)
        double[] br = new double[m != 0 ? 2 * kinks.length : kinks.length];
        for (int i = 0; i < kinks.length; i++) {
            br[i] = kinks[i] / sa + 0.0;
            if (m != 0) {
                br[kinks.length + i] = kinks[i] / m + 0.0;
            }
        }
        double[] refine = kinks.length == 0 || !(s < Math.abs(m)) ? NONE : s < 1e-2 * Math.abs(m) ? NEAR : MODERATE;
        double so = Math.max(sa, Math.abs(m));
        // graded: g(√a·z1) and the inner mean's crossing of φ's singular region both sit at z1 = 0
        double[] edges = edges(br, refine, so, RANGE, 2, 0, so * so);
        double[] kinkGap = new double[kinks.length];
        // in units of the strip: x ↦ φ(μ + s√2·x) is analytic in |Im x| < τ/(s√2), as φ(μ + (s/τ)√2·x) for τ = 1
        double[] hermite = s > 0 ? InnerHermite.rule(s / strip) : null;
        int nh = hermite == null ? 0 : hermite.length / 2;
        double[] pt = new double[Math.max(degree, Math.max(nh, 1))];
        double[] f1 = new double[pt.length];
        double[] f2 = new double[pt.length];
        double[] g1 = new double[1];
        double[] g2 = new double[1];
        // which inner expectations the closed forms give: both, E[φ] alone, E[φ'] alone, or none
        final int closed = moments == null || s == 0 ? -1 : inner == both ? 2 : inner == phiOnly ? 0 : inner == dphiOnly ? 1 : -1;
        double[] mo = new double[2];
        double sum1 = 0;
        double sum2 = 0;
        for (int p = 0; p + 1 < edges.length; p++) {
            double h = 0.5 * (edges[p + 1] - edges[p]);
            double mid = 0.5 * (edges[p + 1] + edges[p]);
            for (int i = 0; i < degree; i++) {
                double z1 = mid + h * nodes[i];
                double mean = m * z1;
                double in1 = 0;
                double in2 = 0;
                boolean smooth = hermite != null;
                for (int k = 0; k < kinks.length && smooth; k++) {
                    smooth = Math.abs(kinks[k] - mean) >= RANGE * s;
                }
                if (s == 0) {
                    pt[0] = mean;
                    inner.values(pt, 1, f1, f2);
                    in1 = f1[0];
                    in2 = f2[0];
                } else if (smooth) {
                    for (int j = 0; j < nh; j++) {
                        pt[j] = mean + s * hermite[2 * j];
                    }
                    inner.values(pt, nh, f1, f2);
                    for (int j = 0; j < nh; j++) {
                        in1 += hermite[2 * j + 1] * f1[j];
                        in2 += hermite[2 * j + 1] * f2[j];
                    }
                } else if (closed >= 0 && moments.moments(mean, s, mo)) {
                    in1 = closed == 2 ? mo[0] : mo[closed];
                    in2 = closed == 2 ? mo[1] : 0; // one function alone: its second channel stays 0
                } else {
                    for (int k = 0; k < kinks.length; k++) {
                        kinkGap[k] = (kinks[k] - mean) / s;
                    }
                    double[] e = edges(kinkGap, NONE, s, RANGE, 2, -mean / s, s * s);
                    for (int q = 0; q + 1 < e.length; q++) {
                        double h2 = 0.5 * (e[q + 1] - e[q]);
                        double mid2 = 0.5 * (e[q + 1] + e[q]);
                        for (int j = 0; j < degree; j++) {
                            pt[j] = mean + s * (mid2 + h2 * nodes[j]);
                        }
                        inner.values(pt, degree, f1, f2);
                        for (int j = 0; j < degree; j++) {
                            double z2 = mid2 + h2 * nodes[j];
                            double w2 = h2 * weights[j] * Gaussians.pdf(z2);
                            in1 += w2 * f1[j];
                            in2 += w2 * f2[j];
                        }
                    }
                }
                g1[0] = sa * z1;
                outer.values(g1, 1, g1, g2);
                double w = h * weights[i] * Gaussians.pdf(z1);
                sum1 += w * g1[0] * in1;
                sum2 += w * g2[0] * in2;
            }
        }
        out[0] = sum1;
        out[1] = sum2;
    }

    /**
     * The default per-input rule, plus the Hermite coefficients of φ and φ' for every input
     * (see {@link MehlerTable}, built by the workers), so that the Gram path evaluates each
     * pair's T and Ṫ by Mehler's series in O(k) operations instead of the 2-D quadrature. A data
     * set of one input (the single-pair path, which keeps its prepared inputs in a cache) builds
     * the same table, so that a pair costs the same as a Gram entry and has the same bits; the 2-D
     * quadrature stays reachable as {@link #dual} and {@link #dualDerivative}, the independent
     * reference the series is tested against. Why for one input too: a table costs about as much
     * as one pair by the 2-D quadrature (measured with {@code ntk4j bench pair}, tanh at depth 5).
     */
    @Override
    public KernelRows mapRows(ScaledDouble[] scaleIn, Workers workers) {
        if (scaleIn.length == 0) {
            return super.mapRows(scaleIn, workers);
        }
        double[] var = inputVariances(scaleIn);
        // T(x, x) first: it refuses a variance whose panels exceed the budget before the table
        // allocates anything for it
        double[] tv = new double[var.length];
        workers.forEach(var.length, i -> tv[i] = mapVariance(var[i]));
        MehlerTable table = MehlerTable.of(var, phi, dphi, both, kinks, nodes, weights, workers, graded, spec(), parity);
        // T(x, x) by the same 1-D rule as the pair quadrature, not the table's finer one: pairs
        // the series leaves to that quadrature (nearly collinear ones) form D' = T(x,x)T(y,y) − T²
        // from both, and their errors must cancel there (measured: 1e-9 relative for selu at a
        // distance of 1e-7 with the table's values, 1e-11 with these)
        return rows(scaleIn, var, tv, table);
    }

    /**
     * The Gram path on the scale-free state itself: ρ = cos θ, T and Ṫ by Mehler's series,
     * cos θ' = T/(r'_x r'_y), sin²θ' = (1 − cos θ')(1 + cos θ') and ratio' = ratio·Ṫ·s_x s_y/(s'_x s'_y)
     * ({@link Activation#mapPairs}). Pairs the series does not take (|ρ| ≥ {@value
     * #MAX_SERIES_CORRELATION}, truncation bound not met, identical inputs, an input of scale 0)
     * or whose sin²θ' would lose digits by that subtraction (below {@link
     * CollinearDefect#CANCELLATION}) go to the general rule, in runs.
     */
    @Override
    public void mapPairs(KernelBatch batch, KernelRows x, int i, KernelRows y, int yFrom) {
        if (!(x.prepared instanceof MehlerTable tx) || !(y.prepared instanceof MehlerTable ty)
                || tx.parity != ty.parity || !(x.coefficients[0][i] > 0)) {
            super.mapPairs(batch, x, i, y, yFrom);
            return;
        }
        final int n = batch.size;
        final double gx = x.coefficients[2][i];
        final double rgx = x.coefficients[3][i];
        final double[] syy = y.coefficients[0];
        final double[] gy = y.coefficients[2];
        final double[] rgy = y.coefficients[3];
        final double[] sum = new double[2];
        // the series' first blocks for the whole batch in one branch-free loop, then the
        // truncation bound and what else a pair needs one by one
        final double[] ts = batch.work;
        final double[] dts = batch.work2;
        final double[] mT = batch.work3;
        final double[] mD = batch.work4;
        // a batch of one (the single-pair path) or a few pairs: the head by sums() pair by pair
        // (same bits), without copying a slice of the table
        final boolean vector = n >= MIN_VECTOR_BATCH && n <= MehlerTable.SLICE;
        MehlerTable.Slice slice = null;
        double[] rhos = batch.c;
        double[] s2In = batch.s2;
        double[] vIn = batch.v;
        double[] ntkIn = batch.ntk;
        if (vector) {
            slice = MehlerTable.Slice.of(batch, ty, yFrom, n, gy, rgy, syy);
            final double[] rho = batch.c;
            double[] xs = rho;
            if (tx.step == 2) {
                // the series variable of a table of known parity: ρ²
                xs = batch.work5;
                for (int k = 0; k < n; k++) {
                    xs[k] = rho[k] * rho[k];
                }
            }
            MehlerTable.head(tx, i, slice, n, xs, ts, dts, mT, mD);
            // the batch's inputs kept in the slice (the scan below restores the pairs it hands
            // on), then every pair's values from the head written into the batch
            rhos = slice.rhoIn;
            s2In = slice.s2In;
            vIn = slice.vIn;
            ntkIn = slice.ntkIn;
            System.arraycopy(batch.c, 0, rhos, 0, n);
            System.arraycopy(batch.s2, 0, s2In, 0, n);
            System.arraycopy(batch.v, 0, vIn, 0, n);
            System.arraycopy(batch.ntk, 0, ntkIn, 0, n);
            // T and Ṫ: the head's sums times ρ where the table's series starts at degree 1
            finish(slice, n, gx, rgx, ts, dts, tx.offsetT == 1 ? rhos : slice.one, tx.offsetD == 1 ? rhos : slice.one, batch.c,
                    batch.s2, batch.v, batch.ntk);
            settle(slice, n, gx, rhos, batch.s2, dts, mT, mD);
        }
        final double[] settled = vector ? slice.open : null;
        final boolean[] same = batch.same;
        int series = 0;
        int from = -1; // start of the current run of pairs left to the general rule
        int k = 0;
        while (k < n) {
            if (vector) {
                // the pairs the head settled (all conditions below hold): their values are in place
                final int k0 = k;
                while (k < n && settled[k] <= 0 & !same[k]) {
                    k++;
                }
                if (k > k0) {
                    series += k - k0;
                    if (from >= 0) {
                        mapPairs(batch, x, i, y, yFrom, from, k0);
                        from = -1;
                    }
                    continue;
                }
            }
            boolean done = false;
            final int j = yFrom + k;
            final double rho = rhos[k];
            final double gg = gx * gy[j];
            if (vector) {
                // the general rule or rest() below starts from the pair's inputs
                batch.c[k] = rho;
                batch.s2[k] = s2In[k];
                batch.v[k] = vIn[k];
                batch.ntk[k] = ntkIn[k];
            }
            if (!same[k] && syy[j] > 0 && gg > 0 && Math.abs(rho) < MAX_SERIES_CORRELATION
                    && (vector ? !(mT[k] <= 0 & mD[k] <= 0) && MehlerTable.rest(tx, i, ty, j, rho, ts[k], dts[k], sum)
                            : MehlerTable.sums(tx, i, ty, j, rho, sum))) {
                // further blocks (rest), or a small batch's whole series (sums); then the
                // same operations as finish()
                final double c = sum[0] * gg;
                final double s2 = (1 - c) * (1 + c);
                if (s2 >= CollinearDefect.CANCELLATION && Double.isFinite(sum[1])) {
                    final double cp = Math.max(c, 0.0);
                    batch.c[k] = c;
                    batch.s2[k] = s2;
                    batch.v[k] = (1 - cp) * (1 + cp) / (1 + cp) - Math.min(c, 0.0);
                    batch.ntk[k] *= sum[1] * (rgx * rgy[j]);
                    done = true;
                    series++;
                }
            }
            if (!done && from < 0) {
                from = k;
            } else if (done && from >= 0) {
                mapPairs(batch, x, i, y, yFrom, from, k);
                from = -1;
            }
            k++;
        }
        if (from >= 0) {
            mapPairs(batch, x, i, y, yFrom, from, n);
        }
        if (series > 0) {
            SERIES_PAIRS.add(series);
        }
    }

    /**
     * From the series' head (T = ts[k]·preT[k], Ṫ = dts[k]·preD[k], the factors ρ or 1 as the
     * table's series starts at degree 1 or 0) for every pair of the batch: cos θ' = T·g_x g_y into
     * cs, sin²θ' = (1 − cos θ')(1 + cos θ') into s2s, 1 − cos θ' into vs as sin²θ'/(1 + cos θ')
     * where cos θ' &gt; 0 and 1 − cos θ' otherwise (without a branch: with c⁺ = max(c, 0), (1 −
     * c⁺)(1 + c⁺)/(1 + c⁺) − min(c, 0) is the one for c &gt; 0 and 1 − c, exactly, for c ≤ 0), and
     * ntk[k] multiplied by the NTK factor Ṫ/(g'_x g'_y), in loops short enough for C2 to
     * vectorise, straight into the batch (whose inputs the caller kept for the pairs the head did
     * not settle).
     */
    static void finish(MehlerTable.Slice sl, int n, double gx, double rgx, double[] ts, double[] dts, double[] preT, double[] preD,
            double[] cs, double[] s2s, double[] vs, double[] ntk) {
        final double[] g = sl.g;
        final double[] rg = sl.rg;
        for (int k = 0; k < n; k++) {
            final double c = ts[k] * preT[k] * (gx * g[k]);
            cs[k] = c;
            s2s[k] = (1 - c) * (1 + c);
        }
        for (int k = 0; k < n; k++) {
            ntk[k] *= dts[k] * preD[k] * (rgx * rg[k]);
        }
        for (int k = 0; k < n; k++) {
            final double c = cs[k];
            final double cp = Math.max(c, 0.0);
            vs[k] = (1 - cp) * (1 + cp) / (1 + cp) - Math.min(c, 0.0);
        }
    }

    /** The largest |ρ| below {@value #MAX_SERIES_CORRELATION}: |ρ| − this ≤ 0 exactly when |ρ| &lt; the limit. */
    private static final double BELOW_MAX_CORRELATION = Math.nextDown(MAX_SERIES_CORRELATION);

    /**
     * Whether the head settled each pair of the batch, as one number per pair in the slice's
     * {@code open}: ≤ 0 exactly when the truncation bound was met after the head (mT, mD ≤ 0),
     * sin²θ' (s2s) ≥ {@link CollinearDefect#CANCELLATION}, the head's Ṫ sum dts is finite (then so
     * is Ṫ, dts or ρ·dts with |ρ| &lt; 1), |ρ| &lt; {@value
     * #MAX_SERIES_CORRELATION}, g_x g_y &gt; 0 and Σyy &gt; 0; NaN or positive otherwise. Each test is the sign
     * of a difference (a − b ≤ 0 exactly when a ≤ b for doubles, a − MIN_VALUE ≤ 0 … exactly when
     * a &gt; 0 fails), a finite Ṫ is Ṫ·0 = 0 (NaN otherwise), joined by Math.max, which keeps a NaN:
     * a branch-free loop that C2 vectorises, where the same tests pair by pair (and the copies of
     * the settled values) took a quarter of a tanh Gram's JFR samples (N = 4,000, d = 100, depth
     * 5); this pass with bulk copies made that Gram 5 % faster.
     */
    static void settle(MehlerTable.Slice sl, int n, double gx, double[] rhos, double[] s2s, double[] dts, double[] mT,
            double[] mD) {
        final double[] g = sl.g;
        final double[] open = sl.open;
        for (int k = 0; k < n; k++) {
            final double bound = Math.max(mT[k], mD[k]);
            final double kept = Math.max(CollinearDefect.CANCELLATION - s2s[k], dts[k] * 0.0);
            open[k] = Math.max(bound, kept);
        }
        final double[] sy = sl.sy;
        for (int k = 0; k < n; k++) {
            final double range = Math.max(Math.abs(rhos[k]) - BELOW_MAX_CORRELATION, Double.MIN_VALUE - gx * g[k]);
            open[k] = Math.max(open[k], Math.max(range, Double.MIN_VALUE - sy[k]));
        }
    }

    /** Pairs whose T and Ṫ came from Mehler's series (not the quadrature), over all instances. */
    private static final java.util.concurrent.atomic.LongAdder SERIES_PAIRS = new java.util.concurrent.atomic.LongAdder();

    /**
     * Diagnostics: how many pairs, since the class was loaded, had T and Ṫ from Mehler's series
     * rather than the 2-D quadrature (a fallback is silent otherwise; tests check that the series
     * path is actually taken).
     *
     * @return the count over all quadrature activations and threads
     */
    public static long seriesPairCount() {
        return SERIES_PAIRS.sum();
    }

    @Override
    public long preparedBytes(int inputs) {
        return MehlerTable.bytes(inputs);
    }

    @Override
    void mapCovariances(CovarianceBatch p) {
        MehlerTable tx = p.preparedX instanceof MehlerTable m ? m : null;
        MehlerTable ty = p.preparedY instanceof MehlerTable m ? m : null;
        boolean series = tx != null && ty != null;
        int row = p.row;
        double[] sum = new double[2];
        double[] sum3 = new double[3];
        int seriesPairs = 0;
        for (int k = 0; k < p.size; k++) {
            double a = p.kxx[k];
            double b = p.kyy[k];
            double c = p.kxy[k];
            double d = p.d[k];
            int col = p.column0 + k;
            // the series needs this pair's variances to be the ones the coefficients belong to
            boolean fast = series && a > 0 && b > 0 && tx.parity == ty.parity && tx.variance[row] == a && ty.variance[col] == b;
            double tdot;
            double t = Double.NaN;
            double gap = Double.NaN;
            if (fast && p.same[k]) {
                tdot = tx.dphiSquare[row];
            } else {
                double rho = fast ? c / (Math.sqrt(a) * Math.sqrt(b)) : 0;
                if (fast && Math.abs(rho) < GENERAL_RULE_SERIES_CORRELATION && MehlerTable.sums(tx, row, ty, col, rho, sum)) {
                    t = sum[0];
                    tdot = sum[1];
                    seriesPairs++;
                } else if (fast && !p.same[k] && smooth() && CollinearDefect.collinearSeries(this, p, k, a, b, sum3)) {
                    // nearly collinear: the collinear pair's T0 and Ṫ0 less the series' gaps
                    t = sum3[0];
                    tdot = sum3[1];
                    gap = sum3[2];
                    seriesPairs++;
                } else if (p.same[k]) {
                    tdot = dual(a, c, b, d, dphiOnly, "Ṫ");
                } else {
                    // T and Ṫ by one pass over the quadrature's points. Why: the pairs the series
                    // leaves to the quadrature (then with |ρ| ≥ 0.97: every pair of a deep network
                    // in the ordered phase) took the two apart, evaluating φ twice at every point
                    // (tanh: 55 % of such a Gram's time in Math.tanh; 200 inputs, depth 10, W_std 1,
                    // b_std 0.5: 8.3 against 4.3 s, the same bits)
                    expectations(a, c, b, d, both, sum);
                    t = sum[0];
                    tdot = sum[1];
                }
            }
            p.ntk[k] *= finite(tdot, "Ṫ", a, c, b);
            double txx = p.kxxOut[k];
            double tyy = p.kyyOut[k];
            if (p.same[k]) {
                p.kxy[k] = txx;
                p.d[k] = 0;
            } else {
                t = finite(t, "T", a, c, b);
                if (kinks.length == 0 || c > 0 && kinksAtZero) {
                    // a φ with its kinks at 0 (elu, selu) too, for pairs of the same direction: G's
                    // panels have an edge at 0, and the integral of Ṫ up to the collinear pair is
                    // taken in u = √(c0 − c), in which the kink's square root is smooth. By
                    // subtraction, two equal rows through selu left D' at rounding level and a
                    // ReLU after it an angle of 1e-8 (its NTK 7e-9 off); inputs 1e-7 apart 1.5e-9
                    CollinearDefect.carry(this, p, k, t, gap);
                } else {
                    p.d[k] = Math.max(txx * tyy - t * t, 0);
                    p.e[k] = Math.max(txx + tyy - 2 * t, 0);
                }
                p.kxy[k] = t;
            }
        }
        if (seriesPairs > 0) {
            SERIES_PAIRS.add(seriesPairs);
        }
    }

    /**
     * Whether φ has no kinks (so φ' is continuous and T(c0) − T(c) = ∫ Ṫ holds with the table's
     * φ', which a step's jump would break: fn("Sign[x]") has Ṫ = 0 from its φ' = 0).
     */
    boolean smooth() {
        return kinks.length == 0;
    }

    /** The analytic strip τ (see the constructor). */
    double strip() {
        return strip;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuadratureActivation q && q.getClass() == getClass() && q.name.equals(name)
                && q.params.equals(params) && q.degree == degree
                && (fromSpec && q.fromSpec || q.phi == phi && q.dphi == dphi);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, params, degree);
    }
}
