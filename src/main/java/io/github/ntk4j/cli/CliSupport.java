package io.github.ntk4j.cli;

import io.github.ntk4j.Messages;
import io.github.ntk4j.io.Json;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Small parsing and printing helpers shared by the commands. */
final class CliSupport {
    private CliSupport() {
    }

    /** Output formats a command may accept. */
    enum Format { text, json, csv }

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

    static void json(PrintWriter out, Map<String, ?> object) {
        out.println(Json.write(object));
        out.flush();
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v).replaceFirst("0+(e|$)", "$1").replaceFirst("\\.(e|$)", ".0$1");
    }
}
