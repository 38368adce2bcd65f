/**
 * Kernel values and kernel functions: {@code KernelKind} (NNGP or NTK), {@code KernelValue} (both
 * for one pair), {@code GramMatrices} (both Gram matrices of a data set), and
 * {@code KernelFunction}, the one kernel-function type every learner takes (pair, Gram and
 * cross-Gram, diagonal), implemented by the analytic engine and by {@code PairwiseKernel} for a
 * kernel of your own; plus the statistics the studies use (log-log rate fits, significance).
 */
package io.github.ntk4j.math;
