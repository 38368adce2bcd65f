/**
 * Not part of the API (the module does not export it, the library jar leaves it out): the
 * benchmark harness behind {@code ntk4j bench}.
 */
package io.github.ntk4j.bench;
