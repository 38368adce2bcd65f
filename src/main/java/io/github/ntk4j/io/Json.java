package io.github.ntk4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.github.ntk4j.internal.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the CLI's machine-readable output and the reference files. Reading (RFC 8259, strict:
 * no {@code +1}, no {@code 01}, nothing after the value) is Jackson's streaming parser; objects
 * become {@link LinkedHashMap}s, arrays {@link List}s, numbers {@link Double}s. Writing is the
 * small writer below rather than Jackson's generator because the output format is fixed by the
 * README and tests: integral doubles below 1e15 without ".0", {@code -0.0} kept, ", " and ": "
 * separators; it refuses NaN and infinities, which JSON cannot carry.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

    private Json() {
    }

    /**
     * Parses one JSON value.
     *
     * @param text the JSON text
     * @return Map, List, Double, String, Boolean or null
     * @throws io.github.ntk4j.InvalidInputException if the text is not one valid JSON value
     */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw Messages.invalid("JSON: no value (empty text)");
            }
            Object v = value(p);
            if (p.nextToken() != null) {
                throw Messages.invalid("JSON: trailing characters at " + where(p));
            }
            return v;
        } catch (JsonProcessingException e) {
            throw Messages.invalid("JSON: " + e.getOriginalMessage() + " at " + where(e.getLocation()));
        } catch (IOException e) {
            throw Messages.invalid("JSON: " + e.getMessage());
        }
    }

    private static String where(JsonParser p) {
        return where(p.currentTokenLocation());
    }

    private static String where(JsonLocation l) {
        return l == null ? "an unknown position" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /** The value starting at the parser's current token. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw Messages.invalid("JSON: unexpected " + t + " at " + where(p));
        }
    }

    /**
     * Writes a value as compact JSON: Map, Iterable, double[], double[][], Number, String,
     * Boolean, null.
     *
     * @param v the value
     * @return JSON text
     */
    public static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        try {
            write(sb, v);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /**
     * Writes a value as compact JSON straight to a writer, without building the text in
     * memory first (a Gram matrix of 10,000 inputs is about 2 GB of JSON text).
     *
     * @param out destination (not flushed, not closed)
     * @param v the value, as for {@link #write(Object)}
     * @throws java.io.IOException on a write failure
     */
    public static void write(java.io.Writer out, Object v) throws java.io.IOException {
        write((Appendable) out, v);
    }

    private static void write(Appendable sb, Object v) throws java.io.IOException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ");
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                sb.append(first ? "" : ", ");
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof double[] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ");
                number(sb, a[i]);
            }
            sb.append(']');
        } else if (v instanceof double[][] a) {
            sb.append('[');
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ");
                write(sb, a[i]);
            }
            sb.append(']');
        } else if (v instanceof Double || v instanceof Float) {
            number(sb, ((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            sb.append(n.toString());
        } else if (v instanceof Boolean) {
            sb.append(v.toString());
        } else {
            quote(sb, v.toString());
        }
    }

    private static void number(Appendable sb, double d) throws java.io.IOException {
        if (!Double.isFinite(d)) {
            throw Messages.invalid("a result is " + d + ", which JSON cannot carry");
        }
        if (d == 0 && 1 / d < 0) {
            sb.append("-0.0");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append(Long.toString((long) d));
        } else {
            sb.append(Double.toString(d));
        }
    }

    private static void quote(Appendable sb, String s) throws java.io.IOException {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    // control characters, DEL, the line separators U+2028/9 (line breaks to
                    // JavaScript and many viewers) and surrogates (an unpaired one would not
                    // encode) as escapes: the written text holds no raw line break of any kind
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
