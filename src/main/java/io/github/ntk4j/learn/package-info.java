/**
 * Kernel learning with any {@code math.KernelFunction}: predictions of networks trained by
 * gradient flow at time t or to convergence ({@code GradientFlowPredictor}), exact NNGP Bayesian
 * inference ({@code GaussianProcessPredictor}), the matrix-free FALKON solver for large data
 * ({@code FalkonRegressor}), cross-validated model selection ({@code KernelModelSelection}), and
 * kernel spectra ({@code KernelSpectrum}, {@code SphereSpectrum}).
 *
 * <p>Dense linear algebra runs on native OpenBLAS when {@code org.bytedeco:openblas} with natives
 * for the platform is on the class path, otherwise on pure-Java EJML, with a one-line notice
 * ({@code LinearAlgebra}).
 */
package io.github.ntk4j.learn;
