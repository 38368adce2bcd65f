/**
 * The symbolic engine: closed-form NNGP and NTK expressions of a network ({@code SymbolicRecursion})
 * derived with the Symja computer algebra system, printed as Symja, TeX or Java expressions and
 * evaluated in double-double precision ({@code CompiledKernel}).
 *
 * <p>Symja is an optional dependency of ntk4j: this is the one package that needs it. Add
 * {@code org.matheclipse:matheclipse-core:3.0.0} to your build to use it; without it the package
 * refuses with a one-line message naming Symja, and every other package works.
 */
package io.github.ntk4j.symbolic;
