/**
 * ntk4j: exact infinite-width neural tangent (NTK) and neural network Gaussian process (NNGP)
 * kernels of fully connected networks, symbolic and numeric, validated against finite-width
 * Monte Carlo, with kernel learning on top.
 *
 * <p>This package holds what every other package shares: the exception types (every exception
 * ntk4j throws on purpose is an unchecked {@code Ntk4jException}: {@code InvalidInputException}
 * for bad input or a result that does not fit a double, {@code NumericalFailureException} when an
 * algorithm fails on valid input, {@code OutputException} when a result cannot be written,
 * {@code RunInterruptedException}) and {@code Progress}, the callback long runs report to.
 * Where to start: {@code net.Network} builds a network, {@code kernel.NtkRecursion} computes its
 * kernels, {@code learn} predicts with them; docs/LIBRARY.md has the Maven coordinates.
 */
package io.github.ntk4j;
