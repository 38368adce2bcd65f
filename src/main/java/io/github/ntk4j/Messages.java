package io.github.ntk4j;

import java.util.Locale;

/**
 * Every user-facing error message of ntk4j, in one place (as Hipparchus keeps its
 * {@code LocalizedCoreFormats}). Each method returns the exception to throw.
 */
public final class Messages {
    private Messages() {
    }

    private static Ntk4jException ex(String format, Object... args) {
        return new Ntk4jException(String.format(Locale.ROOT, format, args));
    }

    /** @param what name of the value @param value the value @return exception for a NaN or infinite number */
    public static Ntk4jException notFinite(String what, double value) {
        return ex("%s is %s: only finite numbers are allowed", what, Double.toString(value));
    }

    /** @param what name of the parameter @param value the value @return exception for a negative standard deviation */
    public static Ntk4jException negativeStd(String what, double value) {
        return ex("%s must be >= 0, got %s", what, Double.toString(value));
    }

    /** @param what name of the parameter @param value the value @return exception for a value that must be positive */
    public static Ntk4jException notPositive(String what, double value) {
        return ex("%s must be > 0, got %s", what, Double.toString(value));
    }

    /** @param what name of the parameter @param value the value @param min smallest allowed @return exception */
    public static Ntk4jException tooSmall(String what, long value, long min) {
        return ex("%s must be at least %d, got %d", what, min, value);
    }

    /** @param what name of the parameter @param value the value @param max largest allowed @return exception */
    public static Ntk4jException tooLarge(String what, long value, long max) {
        return ex("%s must be at most %d, got %d", what, max, value);
    }

    /** @param what name of the data @return exception for empty data */
    public static Ntk4jException empty(String what) {
        return ex("%s is empty: at least one value is needed", what);
    }

    /** @param what1 first name @param d1 its dimension @param what2 second name @param d2 its dimension @return exception */
    public static Ntk4jException dimensionMismatch(String what1, int d1, String what2, int d2) {
        return ex("dimension mismatch: %s has %d entries but %s has %d", what1, d1, what2, d2);
    }

    /** @param name the unknown name @param known the known names @return exception for an unknown activation */
    public static Ntk4jException unknownActivation(String name, String known) {
        return ex("unknown activation '%s' (known: %s)", name, known);
    }

    /** @param spec the specification @param position 0-based position of the bad token @param problem what is wrong @return exception */
    public static Ntk4jException badSpec(String spec, int position, String problem) {
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < position; i++) {
            caret.append(' ');
        }
        return ex("bad network spec at position %d: %s%n  %s%n  %s^", position + 1, problem, spec, caret);
    }

    /** @param problem description @return exception for an invalid network */
    public static Ntk4jException badNetwork(String problem) {
        return ex("invalid network: %s", problem);
    }

    /** @param file the file @param row 1-based row @param column 1-based column @param problem what is wrong @return exception */
    public static Ntk4jException badCsv(String file, int row, int column, String problem) {
        if (column > 0) {
            return ex("%s: row %d, column %d: %s", file, row, column, problem);
        }
        return ex("%s: row %d: %s", file, row, problem);
    }

    /** @param file the file @param problem what went wrong @return exception for an unreadable file */
    public static Ntk4jException io(String file, String problem) {
        return ex("%s: %s", file, problem);
    }

    /** @param what what needs the memory @param bytes bytes needed @param available bytes available @return exception */
    public static Ntk4jException outOfMemory(String what, long bytes, long available) {
        return ex("%s needs about %s of memory but only %s is available (raise -Xmx or reduce the size)",
                what, bytes(bytes), bytes(available));
    }

    /** @param problem description @return a generic invalid-argument exception */
    public static Ntk4jException invalid(String problem) {
        return ex("%s", problem);
    }

    /** @param input the Symja input (shortened) @param reason what Symja reported @return exception for a failed symbolic computation */
    public static Ntk4jException symbolicFailed(String input, String reason) {
        return ex("symbolic computation failed (%s) for: %s", reason, input);
    }

    /**
     * @param activation the activation as written in a spec
     * @param supported what the symbolic engine supports
     * @return exception for an activation without a symbolic dual
     */
    public static Ntk4jException symbolicUnsupported(String activation, String supported) {
        return ex("activation '%s' has no closed-form dual for symbolic derivation (supported: %s)", activation, supported);
    }

    /** @param option the option @param problem what is wrong @return exception for a bad option combination or value */
    public static Ntk4jException badOption(String option, String problem) {
        return ex("%s: %s", option, problem);
    }

    /**
     * Formats a byte count for people.
     *
     * @param b bytes
     * @return e.g. "1.5 GiB"
     */
    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
