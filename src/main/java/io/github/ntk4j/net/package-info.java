/**
 * The network model, in the style of neural-tangents' stax: layers ({@code Dense} with its
 * parameterisation, the activations, {@code LayerNorm}, residual and product {@code Branches},
 * {@code FourierFeatures}), each carrying its kernel rule (the dual activation T and its
 * derivative, by closed form or Gauss-Hermite/Mehler quadrature), its symbolic rule and its
 * finite-width forward map; {@code Network} composes them and checks that the infinite-width
 * limit is Gaussian; {@code NetworkSpec} reads the spec syntax, e.g.
 * {@code "dense(1.4,0.1) relu dense(1.4,0.1)"}.
 */
package io.github.ntk4j.net;
