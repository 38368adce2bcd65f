package io.github.ntk4j.cli;

import io.github.ntk4j.internal.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one check, made by {@link Main#run} for every command before it runs, that no file a
 * command writes is one it reads or another it writes: {@code gram --input X.csv --output X.csv}
 * would replace its own input. The file options of every command are found by type (an option
 * of type {@link Path}); those named in {@link #OUTPUT_OPTIONS} are written, all others read.
 * Two paths are the same file when {@link Files#isSameFile} says so (symbolic and hard links
 * included); when one does not exist yet, when the real path of its directory and its name agree
 * (a link to the directory, {@code ./a/../X.csv}).
 */
final class OutputFiles {
    /** The options that name a file the command writes. */
    static final Set<String> OUTPUT_OPTIONS = Set.of("--output", "--plot", "--save-weights");

    private OutputFiles() {
    }

    private record Named(String option, Path path) {
    }

    /**
     * Refuses a run whose output is one of its inputs, or whose two outputs are one file.
     *
     * @param pr the parsed command line
     * @throws io.github.ntk4j.InvalidInputException naming both options
     */
    static void check(CommandLine.ParseResult pr) {
        List<Named> inputs = new ArrayList<>();
        List<Named> outputs = new ArrayList<>();
        for (CommandLine.ParseResult p = pr; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            for (OptionSpec o : p.commandSpec().options()) {
                Object v = o.getValue();
                List<Path> paths = new ArrayList<>();
                if (v instanceof Path path) {
                    paths.add(path);
                } else if (v instanceof Collection<?> c) {
                    for (Object e : c) {
                        if (e instanceof Path path) {
                            paths.add(path);
                        }
                    }
                }
                for (Path path : paths) {
                    (OUTPUT_OPTIONS.contains(o.longestName()) ? outputs : inputs).add(new Named(o.longestName(), path));
                }
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            Named out = outputs.get(i);
            for (Named in : inputs) {
                if (same(out.path(), in.path())) {
                    throw Messages.badOption(out.option(), "'" + Messages.clip(out.path().toString()) + "' is the file "
                            + in.option() + " reads: writing it would destroy the input; choose another output file");
                }
            }
            for (int j = 0; j < i; j++) {
                Named other = outputs.get(j);
                if (same(out.path(), other.path())) {
                    throw Messages.badOption(out.option(), "'" + Messages.clip(out.path().toString()) + "' is also the file of "
                            + other.option() + ": one would overwrite the other; choose two files");
                }
            }
        }
    }

    /**
     * Refuses a list option given with no value in it ({@code --sigmas ,}, {@code --centres ,}):
     * picocli splits such text into an empty list, and the command would run with nothing to do.
     * Checked here, for every command's list options at once.
     *
     * @param pr the parsed command line
     */
    static void checkLists(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            for (OptionSpec o : p.matchedOptions()) {
                if (o.splitRegex() == null || o.splitRegex().isEmpty()) {
                    continue;
                }
                Object v = o.getValue();
                boolean empty = v instanceof Collection<?> c ? c.isEmpty()
                        : v != null && v.getClass().isArray() && java.lang.reflect.Array.getLength(v) == 0;
                if (empty) {
                    throw Messages.badOption(o.longestName(), "the list is empty: give at least one value");
                }
            }
        }
    }

    /** Whether two paths name one file (see the class comment). */
    static boolean same(Path a, Path b) {
        if (a.toString().isEmpty() || b.toString().isEmpty()) {
            return false; // an empty name is refused by the command with its own message
        }
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException | SecurityException e) {
            // compare the names below
        }
        return canonical(a).equals(canonical(b));
    }

    /**
     * The real path of the deepest existing ancestor, with the rest of the path appended: a file
     * that does not exist yet, named through a link to its directory or with "..", gets the name
     * it will have. A dangling link stands for itself (a write replaces the link).
     */
    private static Path canonical(Path p) {
        Path abs;
        try {
            abs = p.toAbsolutePath().normalize();
        } catch (java.io.IOError | SecurityException e) {
            return p;
        }
        Path existing = abs;
        Path rest = abs.getFileSystem().getPath("");
        while (existing != null) {
            try {
                return existing.toRealPath().resolve(rest);
            } catch (IOException | SecurityException e) {
                Path name = existing.getFileName();
                rest = name == null ? rest : name.resolve(rest);
                existing = existing.getParent();
            }
        }
        return abs;
    }
}
