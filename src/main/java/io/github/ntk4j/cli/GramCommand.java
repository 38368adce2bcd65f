package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.io.Csv;
import io.github.ntk4j.io.Json;
import io.github.ntk4j.math.KernelKind;
import io.github.ntk4j.kernel.NtkRecursion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ntk4j gram}: a Gram matrix K(X,X) or cross-Gram matrix K(X,Y) from CSV files. */
@Command(name = "gram", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Gram matrix of the exact NTK or NNGP over the rows of a CSV file (or between two files).")
final class GramCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "X.csv", description = "Inputs, one per row, no header.")
    Path input;

    @Option(names = "--input2", paramLabel = "Y.csv", description = "Second inputs: compute K(X, Y) instead of K(X, X).")
    Path input2;

    @Option(names = "--kernel", paramLabel = "KIND", defaultValue = "ntk", description = "ntk or nngp (default: ${DEFAULT-VALUE}).")
    KernelKind kernel;

    @Option(names = "--output", paramLabel = "K.csv", description = "Where to write the matrix (default: standard output).")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "csv (one row per input, no header) or json (an array of rows). Default: ${DEFAULT-VALUE}.")
    Formats.CsvJson format;

    @Mixin
    ThreadsOption threads;

    @Mixin
    NetworkOptions network;

    @Mixin
    EngineOptions engineOptions;

    @Override
    public void run() {
        if (engineOptions.spark()) {
            engineOptions.runOnSpark(spec);
            return;
        }
        if (output != null && output.toString().isBlank()) {
            throw Messages.badOption("--output", "the file name is empty (leave out --output for standard output)");
        }
        KernelKind kind = kernel;
        if (output != null) {
            AtomicFile.checkWritable(output); // a bad output file is refused before the work
        }
        NtkRecursion engine = NtkRecursion.of(network.network());
        if (threads.given() != null) {
            engine = engine.withThreads(threads.given());
        }
        double[][] x = Csv.read(input);
        double[][] y = input2 == null ? null : Csv.read(input2);
        PrintWriter err = spec.commandLine().getErr();
        double[][] k;
        try (ProgressBar bar = new ProgressBar(err, "gram")) {
            engine = engine.withProgress(bar);
            k = y == null ? engine.gram(x, kind) : engine.cross(x, y, kind);
        }
        if (format == Formats.CsvJson.json) {
            // streamed: the text of a large matrix is several times its size in memory
            final double[][] matrix = k;
            if (output == null) {
                CliSupport.json(spec.commandLine().getOut(), matrix);
            } else {
                AtomicFile.writeText(output, w -> {
                    Json.write(w, matrix);
                    w.write('\n');
                });
            }
        } else if (output == null) {
            try {
                Csv.write(spec.commandLine().getOut(), k);
            } catch (IOException e) {
                throw Messages.writeFailed("standard output", String.valueOf(e.getMessage()));
            }
        } else {
            Csv.write(output, k);
        }
    }
}
