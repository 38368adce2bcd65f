package io.github.ntk4j.internal;

/**
 * User text (a network spec with its {@code fn("…")} expression, an activation name, a note)
 * made safe to put into generated source: Java string literals and comments, Symja comments
 * and TeX comments. The Java forms are printable ASCII only (U+0020 … U+007E), the comment
 * forms of Symja and TeX keep visible non-ASCII characters; in none does a line terminator
 * (CR, LF, NEL, U+2028, U+2029) or an invisible or bidirectional control character reach the
 * output, and each escapes what would end its context.
 *
 * <p>Java needs care beyond the obvious: the compiler turns every Unicode escape
 * {@code \}{@code uXXXX} into its character <em>before</em> it splits the source into tokens
 * (JLS §3.3), in comments as in code, so the text {@code \}{@code u000a} in a {@code //}
 * comment ends the comment and what follows is compiled. A backslash is eligible to start a
 * Unicode escape only when an even number of backslashes precede it; the functions here
 * therefore write every backslash of the user's text as a pair ({@code \\}), whose second
 * backslash is never eligible.
 */
public final class SourceText {
    private SourceText() {
    }

    /**
     * A Java string literal whose value is exactly {@code s}.
     *
     * @param s any text (unpaired surrogates included)
     * @return {@code "…"} with {@code \\}, {@code \"}, {@code \n}, {@code \r}, {@code \t} and
     *     {@code \}{@code uXXXX} escapes for every other character outside printable ASCII
     *     (never for a quote, backslash, CR or LF, which Java would read as that character
     *     before tokenising)
     */
    public static String javaLiteral(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (printable(c)) {
                        sb.append(c);
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Text for the inside of a Java comment ({@code //} or {@code /* … *}{@code /}): a backslash
     * becomes {@code \\} (so no Unicode escape can form), {@code *}{@code /} becomes
     * {@code * /}, and every character outside printable ASCII becomes the readable
     * {@code \\uXXXX} (with the backslash doubled, so it stays text).
     *
     * @param s any text
     * @return printable ASCII that cannot end the comment
     */
    public static String javaComment(String s) {
        return comment(s, "\\\\", "\\\\u%04x").replace("*/", "* /");
    }

    /**
     * Text for the inside of a Symja (Mathematica) comment {@code (* … *)}: comment brackets
     * {@code (*} and {@code *)} (Symja nests them) are broken apart and every invisible
     * character (line breaks, controls, bidirectional overrides; see {@link #texComment})
     * becomes {@code \}{@code uXXXX}, so the comment stays one comment on its line.
     *
     * @param s any text
     * @return visible text that neither ends nor opens a comment
     */
    public static String symjaComment(String s) {
        String t = visible(s);
        // repeat until stable: "(**)" would otherwise leave a pair behind
        String prev;
        do {
            prev = t;
            t = t.replace("(*", "( *").replace("*)", "* )");
        } while (!t.equals(prev));
        return t;
    }

    /**
     * Text for a TeX comment ({@code % …} to the end of the line): every invisible character
     * (see {@link #visible}) becomes {@code \}{@code uXXXX}, so the comment stays on its line.
     *
     * @param s any text
     * @return visible text without line breaks
     */
    public static String texComment(String s) {
        return visible(s);
    }

    /**
     * Keeps visible characters (letters, digits, punctuation, symbols and the plain space,
     * non-ASCII included, such as Ṫ or ±) and writes every other code point as
     * {@code \}{@code uXXXX}: control and format characters (bidirectional overrides among
     * them), line and paragraph separators, other spaces, unpaired surrogates, private-use and
     * unassigned code points.
     */
    private static String visible(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == ' ' || cp > ' ' && cp != 0x7f && shown(cp)) {
                sb.appendCodePoint(cp);
            } else {
                for (int k = i; k < i + n; k++) {
                    sb.append(String.format("\\u%04x", (int) s.charAt(k)));
                }
            }
            i += n;
        }
        return sb.toString();
    }

    private static boolean shown(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    private static String comment(String s, String backslash, String escape) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                sb.append(backslash);
            } else if (printable(c)) {
                sb.append(c);
            } else {
                sb.append(String.format(escape, (int) c));
            }
        }
        return sb.toString();
    }

    private static boolean printable(char c) {
        return c >= 0x20 && c <= 0x7e;
    }
}
