package io.github.ntk4j.net;

import java.util.List;

/**
 * The one place to make layers from code, with one naming scheme: a lower-case factory per
 * layer, named as in a network spec ({@link NetworkSpec}). Compose them with
 * {@link Network#serial(Layer...)}, or write the spec and {@link Network#parse(String)} it:
 * <pre>{@code
 * Network a = Network.serial(Layers.dense(1.4, 0.1), Layers.relu(), Layers.dense(1.4, 0.1), Layers.erf(), Layers.dense(1, 0));
 * Network b = Network.parse("dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)");   // the same network
 * }</pre>
 * Networks are infinitely wide here: a Dense layer has no width, only the standard deviations
 * of its weights and biases ({@link #dense(double, double)}); a finite width is given where
 * finite networks are made ({@code io.github.ntk4j.finite}).
 */
public final class Layers {
    private Layers() {
    }

    /**
     * A fully connected layer in NTK parameterisation, h = (W_std/√n) W g + b_std b with W, b
     * i.i.d. N(0, 1) (spec {@code dense(W_std,b_std)}).
     *
     * @param wStd the weights' standard deviation W_std ≥ 0 (not a width: widths are infinite here)
     * @param bStd the biases' standard deviation b_std ≥ 0
     * @return the layer
     */
    public static Dense dense(double wStd, double bStd) {
        return new Dense(wStd, bStd);
    }

    /**
     * A fully connected layer in standard parameterisation (spec {@code dense(W_std,b_std,standard)}).
     *
     * @param wStd W_std ≥ 0
     * @param bStd b_std ≥ 0
     * @return the layer
     */
    public static Dense denseStandard(double wStd, double bStd) {
        return new Dense(wStd, bStd, Parameterization.STANDARD);
    }

    /** @return max(0, x) ({@code relu}) */
    public static Activation relu() {
        return ABRelu.relu();
    }

    /**
     * @param alpha the slope for x &lt; 0
     * @return max(x, αx) ({@code leaky_relu(alpha)})
     */
    public static Activation leakyRelu(double alpha) {
        return ABRelu.leaky(alpha);
    }

    /**
     * @param a slope for x &lt; 0
     * @param b slope for x &gt; 0
     * @return a·min(x, 0) + b·max(x, 0) ({@code abrelu(a,b)})
     */
    public static Activation abRelu(double a, double b) {
        return ABRelu.of(a, b);
    }

    /** @return |x| ({@code abs}) */
    public static Activation abs() {
        return ABRelu.abs();
    }

    /** @return erf(x) ({@code erf}) */
    public static Activation erf() {
        return Erf.standard();
    }

    /**
     * @param a output scale
     * @param b input scale
     * @param c output shift
     * @return a·erf(b·x) + c ({@code erf(a,b,c)})
     */
    public static Activation erf(double a, double b, double c) {
        return new Erf(a, b, c);
    }

    /** @return x·Φ(x), the exact GELU ({@code gelu}) */
    public static Activation gelu() {
        return Gelu.instance();
    }

    /** @return sign(x) ({@code sign}) */
    public static Activation sign() {
        return Sign.instance();
    }

    /** @return x ({@code identity}) */
    public static Activation identity() {
        return Identity.instance();
    }

    /** @return the Gabor activation of {@link Gabor} ({@code gabor}) */
    public static Activation gabor() {
        return Gabor.instance();
    }

    /**
     * @param a output scale
     * @param b input scale
     * @param c phase
     * @return a·sin(b·x + c) ({@code sin(a,b,c)})
     */
    public static Activation sin(double a, double b, double c) {
        return new Sinusoid(false, a, b, c);
    }

    /**
     * @param a output scale
     * @param b input scale
     * @param c phase
     * @return a·cos(b·x + c) ({@code cos(a,b,c)})
     */
    public static Activation cos(double a, double b, double c) {
        return new Sinusoid(true, a, b, c);
    }

    /**
     * @param gamma γ &gt; 0
     * @return the RBF activation of {@link Rbf} ({@code rbf(gamma)})
     */
    public static Activation rbf(double gamma) {
        return new Rbf(gamma);
    }

    /**
     * @param coefficients c₀, c₁, … of c₀ + c₁x + c₂x² + …
     * @return the polynomial ({@code poly(c0,c1,...)})
     */
    public static Activation poly(double... coefficients) {
        return new Poly(coefficients);
    }

    /**
     * @param n the degree, 0 … 8
     * @return the probabilists' Hermite polynomial He_n ({@code hermite(n)})
     */
    public static Activation hermite(int n) {
        return new Hermite(n);
    }

    /**
     * @param n the power
     * @return max(0, x)ⁿ ({@link RectifiedMonomial})
     */
    public static Activation rectifiedMonomial(int n) {
        return new RectifiedMonomial(n);
    }

    /**
     * @param spec an activation as in a network spec, e.g. {@code relu}, {@code erf(1,0.5,0)}
     * @return the activation; an unknown name is refused here
     */
    public static Activation activation(String spec) {
        return NetworkSpec.parseActivation(spec);
    }

    /** @return layer normalisation over the features ({@code layernorm}) */
    public static Layer layerNorm() {
        return LayerNorm.instance();
    }

    /**
     * @param block the layers of the residual branch
     * @return x + block(x) ({@code residual(LAYERS)})
     */
    public static Layer residual(Layer... block) {
        return Branches.residual(block);
    }

    /**
     * @param alpha weight of the skip
     * @param beta weight of the branch
     * @param block the layers of the branch
     * @return α·x + β·block(x) ({@code residual(LAYERS; alpha, beta)})
     */
    public static Layer residual(double alpha, double beta, Layer... block) {
        return Branches.residual(alpha, beta, List.of(block));
    }
}
