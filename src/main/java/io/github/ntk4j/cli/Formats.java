package io.github.ntk4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code --format} choices, one enum per set of formats a command supports, so picocli
 * parses, checks, lists in {@code --help} and completes them. A command declares
 * <pre>{@code
 * @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
 *         description = "text, json or csv (default: ${DEFAULT-VALUE}).")
 * Formats.TextJsonCsv format;
 * }</pre>
 * and switches on it. Every enum-typed option of every command gets one error wording
 * ({@link #register}): "must be text, json or csv, got 'xml'".
 */
final class Formats {
    private Formats() {
    }

    /** text, json or csv. */
    enum TextJsonCsv { text, json, csv }

    /** csv or json (matrix outputs, csv first as the default). */
    enum CsvJson { csv, json }

    /**
     * Registers, for every enum type used by an option of the command tree, a converter that
     * accepts the constants case-insensitively and words a bad value as the rest of the CLI does.
     *
     * @param root the root command, after its sub-commands were added
     */
    static void register(CommandLine root) {
        List<Class<?>> seen = new ArrayList<>();
        collect(root, seen);
        for (Class<?> type : seen) {
            registerEnum(root, type.asSubclass(Enum.class));
        }
    }

    private static void collect(CommandLine cl, List<Class<?>> seen) {
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (o.type().isEnum() && !seen.contains(o.type())) {
                seen.add(o.type());
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            collect(sub, seen);
        }
    }

    private static <E extends Enum<E>> void registerEnum(CommandLine root, Class<E> type) {
        E[] constants = type.getEnumConstants();
        root.registerConverter(type, s -> {
            for (E c : constants) {
                if (c.name().equalsIgnoreCase(s.strip())) {
                    return c;
                }
            }
            throw new CommandLine.TypeConversionException("must be " + choices(constants) + ", got '" + s + "'");
        });
    }

    /** "a or b", "a, b or c". */
    static String choices(Enum<?>[] constants) {
        List<String> names = Arrays.stream(constants).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
