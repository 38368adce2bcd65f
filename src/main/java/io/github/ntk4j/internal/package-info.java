/**
 * Not part of the API (the module does not export it): the state a layer rule updates, messages,
 * memory checks, shared numerical kernels and the worker pool.
 */
package io.github.ntk4j.internal;
