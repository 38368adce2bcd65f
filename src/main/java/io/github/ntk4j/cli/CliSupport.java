package io.github.ntk4j.cli;

import io.github.ntk4j.InvalidInputException;
import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.Json;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small parsing and printing helpers shared by the commands. */
final class CliSupport {
    private CliSupport() {
    }

    /**
     * Runs a library call on behalf of a command-line option: a bad-input message from the
     * library (which speaks in library terms) is prefixed with the option's name.
     *
     * @param option the option, e.g. "--plot"
     * @param call the library call
     * @param <T> its result
     * @return its result
     */
    static <T> T forOption(String option, Supplier<T> call) {
        try {
            return call.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(option + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the command-line option that sets a parameter to a library message that names the
     * parameter in library terms (e.g. "a diagonal regulariser" becomes "a diagonal regulariser
     * (--diag-reg)").
     *
     * @param e the library's exception
     * @param phrase the library's name of the parameter
     * @param option the option that sets it
     * @return the exception to throw: with the hint when the phrase occurs, else {@code e}
     */
    static InvalidInputException hint(InvalidInputException e, String phrase, String option) {
        String m = e.getMessage();
        return m != null && m.contains(phrase) ? new InvalidInputException(m.replace(phrase, phrase + " (" + option + ")"), e) : e;
    }

    /**
     * Parses "1,0.3,-0.5" into a vector, naming the option and position of a bad entry.
     */
    static double[] vector(String option, String s) {
        if (s == null || s.isBlank()) {
            throw Messages.empty(option);
        }
        String[] parts = s.split(",", -1);
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            try {
                v[i] = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw Messages.invalid(option + " entry " + (i + 1) + ": " + (p.isEmpty() ? "empty value" : "'" + p + "' is not a number"));
            }
            if (!Double.isFinite(v[i])) {
                throw Messages.notFinite(option + " entry " + (i + 1), v[i]);
            }
        }
        return v;
    }

    /** Writes a value as one line of JSON, streamed (a large matrix is not first built as a string). */
    static void json(PrintWriter out, Object value) {
        try {
            Json.write(out, value);
        } catch (java.io.IOException e) {
            throw io.github.ntk4j.internal.Messages.writeFailed("standard output", String.valueOf(e.getMessage())); // PrintWriter does not throw
        }
        out.println();
        out.flush();
    }

    /**
     * Writes one CSV record (RFC 4180): numbers as Java prints them (the shortest decimal that
     * reads back to the same double), text quoted where it holds a comma, a quote or a line
     * break (quotes doubled), null as an empty field (a value that does not exist, as JSON's
     * null). NaN and infinities are refused, as {@link #json} refuses them.
     *
     * @param out where to write
     * @param fields the record's fields: numbers, booleans, text or null
     */
    static void csv(PrintWriter out, Object... fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object f = fields[i];
            if (f == null) {
                continue;
            }
            if ((f instanceof Double || f instanceof Float) && !Double.isFinite(((Number) f).doubleValue())) {
                throw Messages.notRepresentable("a printed value", ((Number) f).doubleValue());
            }
            String s = f.toString();
            boolean quote = f instanceof CharSequence && (s.indexOf(',') >= 0 || s.indexOf('"') >= 0
                    || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0);
            sb.append(quote ? quoted(s) : s);
        }
        out.println(sb);
    }

    /** A CSV field in quotes, its quotes doubled (RFC 4180). */
    static String quoted(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * A number with 17 significant digits, trailing zeros of the mantissa removed (never those
     * of the exponent: 1e-200 must not print as 1e-2). NaN and infinities are refused.
     */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            throw Messages.notRepresentable("a printed value", v);
        }
        String s = String.format(Locale.ROOT, "%.17g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            mantissa = mantissa.replaceFirst("0+$", "");
            if (mantissa.endsWith(".")) {
                mantissa += "0";
            }
        }
        return mantissa + exponent;
    }

    /** A study's result with the wall time it took. */
    record Timed<R>(R result, double seconds) {
    }

    /**
     * Runs a long study the way every study command does: states the memory it needs on
     * stderr first, shows a progress bar while it runs (when stderr is a terminal), and times it.
     */
    static <R> Timed<R> runStudy(picocli.CommandLine.Model.CommandSpec spec, String name, long bytesNeeded,
            Function<io.github.ntk4j.Progress, R> study) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(Messages.memoryNote(name, bytesNeeded));
        err.flush();
        long t0 = System.nanoTime();
        R result;
        try (ProgressBar bar = new ProgressBar(err, name)) {
            result = study.apply(bar);
        }
        return new Timed<>(result, (System.nanoTime() - t0) * 1e-9);
    }
}
