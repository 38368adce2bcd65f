package io.github.ntk4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The shared {@code --threads T} option ({@code @Mixin ThreadsOption threads;}): checked for
 * its range while the command line is parsed, so a bad value is refused before any work or
 * memory estimate.
 */
final class ThreadsOption {
    /** Most worker threads accepted: far above any core count this library is run on. */
    static final int MAX = 1024;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Integer threads;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads, 1.." + MAX
            + " (default: all processors); results do not depend on it.")
    void set(int value) {
        if (value < 1 || value > MAX) {
            throw new ParameterException(spec.commandLine(),
                    "--threads must be between 1 and " + MAX + ", got " + value);
        }
        threads = value;
    }

    /** @return the thread count given, or null for the engine's default */
    Integer given() {
        return threads;
    }

    /** @return the thread count given, or the number of processors */
    int orProcessors() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
