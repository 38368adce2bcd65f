package io.github.ntk4j.internal;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.Ntk4jException;
import io.github.ntk4j.NumericalFailureException;
import io.github.ntk4j.OutputException;
import io.github.ntk4j.RunInterruptedException;

import java.util.Locale;

/**
 * Every user-facing error message of ntk4j, in one place (as Hipparchus keeps its
 * {@code LocalizedCoreFormats}). Each method returns the exception to throw.
 */
public final class Messages {
    private Messages() {
    }

    /** The longest piece of user text a message echoes ({@link #clip}). */
    public static final int MAX_ECHO = 200;

    /** The longest message an exception built here carries: messages stay bounded whatever the input. */
    public static final int MAX_MESSAGE = 2000;

    private static Ntk4jException ex(String format, Object... args) {
        return new InvalidInputException(bounded(String.format(Locale.ROOT, format, args)));
    }

    /**
     * User text as a message echoes it: at most {@link #MAX_ECHO} characters, the rest replaced
     * by "…" and the number of characters left out, so that a message never grows with the input.
     *
     * @param text the text (null is "null")
     * @return the text, or its head and the count of what was cut
     */
    public static String clip(String text) {
        return clip(text, MAX_ECHO);
    }

    /**
     * @param text the text (null is "null")
     * @param max the most characters kept
     * @return the text, or its first {@code max} characters, "…" and the count of what was cut
     */
    public static String clip(String text, int max) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "… (" + (text.length() - max) + " more characters)";
    }

    /** A whole message bounded to {@link #MAX_MESSAGE} characters. */
    private static String bounded(String message) {
        return clip(message, MAX_MESSAGE);
    }

    /**
     * @param what what is nested (e.g. "residual(...), sum(...) and prod(...)")
     * @param max the deepest nesting allowed
     * @return exception for a structure nested deeper than the limit
     */
    public static Ntk4jException tooDeep(String what, int max) {
        return ex("%s are nested more than %d deep, the limit (a deeper network would exhaust the call stack)", what, max);
    }

    /**
     * @param what name of the value
     * @param value the value
     * @return exception for a NaN or infinite number
     */
    public static Ntk4jException notFinite(String what, double value) {
        return ex("%s is %s: only finite numbers are allowed", what, Double.toString(value));
    }

    /**
     * @param what name of the parameter
     * @param value the value
     * @return exception for a negative standard deviation
     */
    public static Ntk4jException negativeStd(String what, double value) {
        return ex("%s must be >= 0, got %s", what, Double.toString(value));
    }

    /**
     * @param what name of the parameter
     * @param value the value
     * @return exception for a value that must be positive
     */
    public static Ntk4jException notPositive(String what, double value) {
        return ex("%s must be > 0, got %s", what, Double.toString(value));
    }

    /**
     * @param what name of the parameter
     * @param value the value
     * @param min smallest allowed
     * @return exception
     */
    public static Ntk4jException tooSmall(String what, long value, long min) {
        return ex("%s must be at least %d, got %d", what, min, value);
    }

    /**
     * @param what name of the parameter
     * @param value the value
     * @param max largest allowed
     * @return exception
     */
    public static Ntk4jException tooLarge(String what, long value, long max) {
        return ex("%s must be at most %d, got %d", what, max, value);
    }

    /**
     * @param what name of the data
     * @return exception for empty data
     */
    public static Ntk4jException empty(String what) {
        return ex("%s is empty: at least one value is needed", what);
    }

    /**
     * @param what1 first name
     * @param d1 its dimension
     * @param what2 second name
     * @param d2 its dimension
     * @return exception
     */
    public static Ntk4jException dimensionMismatch(String what1, int d1, String what2, int d2) {
        return ex("dimension mismatch: %s has %d entries but %s has %d", what1, d1, what2, d2);
    }

    /**
     * @param name the unknown name
     * @param known the known names
     * @return exception for an unknown activation
     */
    public static Ntk4jException unknownActivation(String name, String known) {
        return ex("unknown activation '%s' (known: %s)", name, known);
    }

    /**
     * An error in a network spec, pointing at the bad token by its 1-based position and the
     * text that starts there (one line, so the CLI can print it as it is).
     *
     * @param spec the specification
     * @param position 0-based position of the bad token
     * @param problem what is wrong
     * @return exception
     */
    public static Ntk4jException badSpec(String spec, int position, String problem) {
        String rest = spec.substring(Math.min(position, spec.length()));
        String at = rest.isEmpty() ? "at the end" : "at \"" + (rest.length() > 24 ? rest.substring(0, 24) + "…" : rest) + "\"";
        return ex("bad network spec at position %d (%s): %s", position + 1, at, problem);
    }

    /**
     * @param problem description
     * @return exception for an invalid network
     */
    public static Ntk4jException badNetwork(String problem) {
        return ex("invalid network: %s", problem);
    }

    /**
     * @param file the file
     * @param row 1-based row
     * @param column 1-based column
     * @param problem what is wrong
     * @return exception
     */
    public static Ntk4jException badCsv(String file, int row, int column, String problem) {
        if (column > 0) {
            return ex("%s: row %d, column %d: %s", file, row, column, problem);
        }
        return ex("%s: row %d: %s", file, row, problem);
    }

    /**
     * @param file the file
     * @param problem what went wrong
     * @return exception for an unreadable file
     */
    public static Ntk4jException io(String file, String problem) {
        return ex("%s: %s", file, problem);
    }

    /**
     * @param what what needs the memory
     * @param bytes bytes needed
     * @param available bytes available
     * @return exception
     */
    public static Ntk4jException outOfMemory(String what, long bytes, long available) {
        return ex("%s needs about %s of memory but only %s is available (raise -Xmx or reduce the size)",
                what, bytes(bytes), bytes(available));
    }

    /**
     * @param n training rows
     * @param bytes bytes the dense N×N path needs
     * @param available bytes available
     * @return exception for a training set too large for the dense kernel path
     */
    public static Ntk4jException denseTooLarge(long n, long bytes, long available) {
        return ex("%d training inputs need about %s for the dense N×N kernel matrices but only %s is available: raise "
                + "-Xmx or use the matrix-free FALKON solver (memory O(M² + N·d) for M centres)",
                n, bytes(bytes), bytes(available));
    }

    /**
     * @param problem description
     * @return a generic invalid-argument exception
     */
    public static Ntk4jException invalid(String problem) {
        return ex("%s", problem);
    }

    /**
     * @param what what the memory is for
     * @param bytes bytes needed
     * @return a one-line note stating the memory a run needs
     */
    public static String memoryNote(String what, long bytes) {
        return String.format(Locale.ROOT, "%s: needs about %s of memory", what, bytes(bytes));
    }

    /**
     * @param option the option
     * @param value its value
     * @param allowed the allowed values
     * @return exception for a bad choice
     */
    public static Ntk4jException badChoice(String option, String value, String allowed) {
        return ex("%s must be %s, got '%s'", option, allowed, value);
    }

    /**
     * @param what the matrix, e.g. "the NTK Gram matrix of the training set (with diag-reg 0)"
     * @param condition its (effective) condition number, possibly infinite
     * @param limit the largest accepted
     * @param largestEigenvalue its largest eigenvalue, to suggest a regulariser on its scale
     * @return exception for a matrix whose inverse would amplify rounding errors into the result
     */
    public static Ntk4jException illConditioned(String what, double condition, double limit, double largestEigenvalue) {
        return ex("%s is ill-conditioned (condition number %s > %.1e): the result would be dominated by rounding "
                + "errors; add a diagonal regulariser, e.g. %.1e (1e-8 of the largest eigenvalue)",
                what, Double.isInfinite(condition) ? "infinite" : String.format(Locale.ROOT, "%.2e", condition), limit,
                1e-8 * largestEigenvalue);
    }

    /**
     * @param what the matrix
     * @param smallest its most negative eigenvalue
     * @param largest its largest eigenvalue
     * @return exception for a kernel matrix that is not positive semi-definite beyond rounding
     */
    public static Ntk4jException notPositiveSemiDefinite(String what, double smallest, double largest) {
        return ex("%s is not positive semi-definite: eigenvalue %.3e against a largest of %.3e is beyond rounding "
                + "(is it a kernel matrix?)", what, smallest, largest);
    }

    /**
     * @param detail what differed
     * @return exception for a kernel that is not a function of x·y on the sphere, so Funk–Hecke does not apply
     */
    public static Ntk4jException notDotProductKernel(String detail) {
        return ex("the network's kernel is not a dot-product kernel on the sphere (%s): Funk–Hecke does not apply; "
                + "use the spectrum of a Gram matrix on data instead", detail);
    }

    /**
     * @param input the Symja input (shortened)
     * @param reason what Symja reported
     * @return exception for a failed symbolic computation
     */
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

    /**
     * @param option the option
     * @param problem what is wrong
     * @return exception for a bad option combination or value
     */
    public static Ntk4jException badOption(String option, String problem) {
        return ex("%s: %s", option, problem);
    }

    /**
     * @param first an option
     * @param second the option it needs
     * @return exception for an option given without its companion
     */
    public static Ntk4jException optionsTogether(String first, String second) {
        return ex("%s and %s go together: give both or neither", first, second);
    }

    /**
     * @param what the quantity, e.g. "the NTK Θ(x, y)"
     * @param magnitude its order of magnitude, e.g. "3e+400"
     * @return exception for a result larger than the largest double (about 1.8e+308)
     */
    public static Ntk4jException beyondDouble(String what, String magnitude) {
        return ex("%s is about %s, beyond the range of a double (largest 1.8e+308): not printed", what, magnitude);
    }

    /**
     * @param what the quantity
     * @param magnitude its order of magnitude, e.g. "2e-320"
     * @return exception for a non-zero result below the smallest normal double, where a double
     *         would keep too few digits or round it to 0
     */
    public static Ntk4jException belowDouble(String what, String magnitude) {
        return ex("%s is about %s, below the smallest normal double (2.2e-308), where it would lose digits or"
                + " round to 0: not printed", what, magnitude);
    }

    /**
     * @param what the quantity that is not a finite number (e.g. an entry of a result)
     * @param value the value
     * @return exception for a result that came out NaN or infinite
     */
    public static Ntk4jException notRepresentable(String what, double value) {
        return ex("%s is %s: the result does not fit a double and is not printed", what, Double.toString(value));
    }

    /**
     * @param rule the kernel rule, e.g. "activation poly(0,0,1) at layer 3"
     * @param what the quantity out of range
     * @param magnitude its order of magnitude, e.g. "about 3e+400" or "above 1.8e+308"
     * @return exception for a rule that needs a quantity as a double where it does not fit one
     */
    public static Ntk4jException ruleOutOfRange(String rule, String what, String magnitude) {
        return ex("%s: %s is %s, outside the normal double range (2.2e-308 to 1.8e+308) in which this rule"
                + " is evaluated", rule, what, magnitude);
    }

    /**
     * @param what the computation, e.g. "the symmetric eigen-decomposition of a 40×40 matrix"
     * @return exception for an iterative algorithm that stopped without converging on valid input
     */
    public static Ntk4jException noConvergence(String what) {
        return new NumericalFailureException(String.format(Locale.ROOT, "%s did not converge", what));
    }

    /**
     * @param what the run, e.g. "the Gram matrix"
     * @param cause the {@link InterruptedException}, or null
     * @return exception for a run stopped by a thread interrupt; partial results are discarded
     */
    public static Ntk4jException interrupted(String what, Throwable cause) {
        return new RunInterruptedException(String.format(Locale.ROOT, "%s was interrupted", what), cause);
    }

    /**
     * @param what what was being written, e.g. a file name or "standard output"
     * @param problem what went wrong
     * @return exception for a write that failed
     */
    public static Ntk4jException writeFailed(String what, String problem) {
        return new OutputException(String.format(Locale.ROOT, "%s: cannot be written (%s)", what, problem), null);
    }

    /**
     * @return exception for a symbolic computation asked for while Symja (the optional
     *     {@code org.matheclipse:matheclipse-core} dependency) is not on the class path
     */
    public static Ntk4jException symjaMissing() {
        return ex("symbolic derivation needs Symja (org.matheclipse:matheclipse-core), which is not on the class path; "
                + "add it as a dependency (the numeric engines do not need it)");
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
