package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.InMemoryJava;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * User text in generated source: every hostile string put into a Java comment and a
 * string literal, compiled by the JDK's compiler and run; the literal must give back the text
 * exactly and the injected statement must not run. The probe itself is checked on the raw,
 * unescaped text (negative control: there the injection compiles and runs).
 */
class SourceTextTest {
    private static final String CANARY = "ntk4j.sourcetext.injected";
    private static final String INJECT = "System.setProperty(\"" + CANARY + "\", \"1\");";

    /** Text a user can type into a spec, including the backslash-u sequences Java reads early. */
    private static final List<String> HOSTILE = List.of(
            "x(*\\u000a" + INJECT + "//*)",
            "\\u000a" + INJECT + "//",
            "\\u000d" + INJECT + "//",
            "\\uu000a" + INJECT + "//",
            "\\\\u000a" + INJECT + "//",
            "\\\\\\u000a" + INJECT + "//",
            "\\u005c\\u000a" + INJECT + "//",
            "\\u002a/ " + INJECT + " /\\u002a",
            "*/ " + INJECT + " /*",
            "\n" + INJECT + "//",
            "\r" + INJECT + "//",
            "\r\n" + INJECT + "//",
            "\u2028\u2029\u0085 line separators",
            "quotes \" ' \\\" and backslashes \\ \\\\ at the end \\",
            "\\u0022); " + INJECT + " String z = (\\u0022",
            "non-BMP \uD83D\uDE00 and a lone surrogate \uD800 and \uDC00",
            "controls \u0000\u0007\t\u001b\u007f and bidi \u202e\u2066",
            "é ü 中文",
            "(* *) (**) ((**)) *)(*",
            "");

    @Test
    void javaCommentsAndLiteralsKeepHostileTextAsText() throws Exception {
        System.clearProperty(CANARY);
        // one class, one method per string: a single compilation
        StringBuilder source = new StringBuilder("public class Probe {\n");
        for (int i = 0; i < HOSTILE.size(); i++) {
            String s = HOSTILE.get(i);
            String literal = SourceText.javaLiteral(s);
            String comment = SourceText.javaComment(s);
            asciiOnOneLine(literal, s);
            asciiOnOneLine(comment, s);
            source.append("    // ").append(comment).append('\n')
                    .append("    /* ").append(comment).append(" */\n")
                    .append("    /** ").append(comment).append(" */\n")
                    .append("    public static String value").append(i).append("() {\n")
                    .append("        String s = ").append(literal).append("; // ").append(comment).append('\n')
                    .append("        return s;\n    }\n");
        }
        source.append("}\n");
        InMemoryJava.Result r = InMemoryJava.compile("Probe", source.toString(), false);
        assertNotNull(r.loaded(), () -> "does not compile:\n" + source + r.diagnostics());
        for (int i = 0; i < HOSTILE.size(); i++) {
            assertEquals(HOSTILE.get(i), r.loaded().getMethod("value" + i).invoke(null), "the literal gives back the text");
        }
        assertNull(System.getProperty(CANARY), "injected code ran");
    }

    /** Negative control: the probe detects the injection when the text goes in unescaped. */
    @Test
    void theProbeCatchesAnUnescapedInjection() throws Exception {
        System.clearProperty(CANARY);
        String raw = "x(*\\u000a" + INJECT + "//*)";
        String source = "public class Probe {\n    public static String value() {\n        // " + raw + "\n        return \"\";\n    }\n}\n";
        InMemoryJava.Result r = InMemoryJava.compile("Probe", source, false);
        assertNotNull(r.loaded(), r.diagnostics());
        r.loaded().getMethod("value").invoke(null);
        assertEquals("1", System.getProperty(CANARY), "the unescaped comment ran the injected statement");
        System.clearProperty(CANARY);
    }

    @Test
    void symjaAndTexCommentsStayOneClosedComment() {
        for (String s : HOSTILE) {
            String symja = SourceText.symjaComment(s);
            visibleOnOneLine(symja, s);
            assertFalse(symja.contains("(*") || symja.contains("*)"), symja);
            visibleOnOneLine(SourceText.texComment(s), s);
        }
        // visible non-ASCII stays readable in Symja and TeX comments, as ASCII escapes in Java
        String readable = "T, Ṫ ± 1e-9 – 中文 \uD83D\uDE00";
        assertEquals(readable, SourceText.symjaComment(readable));
        assertEquals(readable, SourceText.texComment(readable));
        assertEquals("\\u202e\\u2028\\u0085\\ud800", SourceText.texComment("\u202e\u2028\u0085\ud800"));
        // readable where nothing is hostile
        assertEquals("dense(1,0) relu dense(1,0)", SourceText.symjaComment("dense(1,0) relu dense(1,0)"));
        assertEquals("fn(\"Sin(x)\")", SourceText.javaComment("fn(\"Sin(x)\")"));
        assertEquals("a\\\\u000ab", SourceText.javaComment("a\nb"));
        assertEquals("\"a\\nb\\u2028\"", SourceText.javaLiteral("a\nb\u2028"));
    }

    private static void visibleOnOneLine(String out, String in) {
        out.codePoints().forEach(cp -> {
            int t = Character.getType(cp);
            boolean invisible = cp < 0x20 || cp == 0x7f || t == Character.CONTROL || t == Character.FORMAT
                    || t == Character.SURROGATE || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                    || t == Character.SPACE_SEPARATOR && cp != ' ';
            assertFalse(invisible, () -> "code point U+" + Integer.toHexString(cp) + " in " + out + " (from "
                    + SourceText.javaLiteral(in) + ")");
        });
    }

    private static void asciiOnOneLine(String out, String in) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            assertTrue(c >= 0x20 && c <= 0x7e, () -> "character U+" + Integer.toHexString(c) + " in " + out + " (from "
                    + SourceText.javaLiteral(in) + ")");
        }
    }
}
