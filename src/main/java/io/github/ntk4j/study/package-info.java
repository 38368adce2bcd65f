/**
 * Studies that combine the engines into checks with a verdict (PASS, FAIL or INCONCLUSIVE):
 * {@code ConvergenceStudy} (the finite-width kernels converge to the analytic ones at the
 * predicted rate), {@code LazyTrainingStudy} (trained wide networks follow the linearised
 * dynamics) and {@code FourierFeatureStudy} (spectral bias with Fourier features).
 */
package io.github.ntk4j.study;
