/**
 * The analytic engine: {@code NtkRecursion} computes the exact infinite-width NNGP and NTK of a
 * network (Jacot, Gabriel and Hongler 2018; Lee et al. 2019) for one pair, a Gram matrix or a
 * cross-Gram matrix, on worker threads, in double precision with overflow refused rather than
 * returned as infinity; {@code GaussianKernel} and {@code LaplaceKernel} are ordinary kernels of
 * the same {@code math.KernelFunction} type. The recursion is written out in
 * docs/KERNEL-RECURSION.md.
 */
package io.github.ntk4j.kernel;
