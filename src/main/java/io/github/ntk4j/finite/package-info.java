/**
 * Finite-width networks: forward passes and parameter gradients of a network at width n with
 * weights drawn from regenerable random streams ({@code FiniteNetwork}) or stored and trained
 * ({@code TrainableNetwork}), and the empirical NTK and NNGP they give ({@code EmpiricalNtk}),
 * whose mean over initialisations converges to the analytic kernels as the width grows.
 */
package io.github.ntk4j.finite;
