package io.github.ntk4j.symbolic;

/**
 * One line {@code name = expression} of a straight-line program: the expression, in Symja
 * input syntax, uses only the input variables and names defined by earlier lines.
 *
 * @param name the variable this line defines, e.g. {@code k2xy}
 * @param expression its value in Symja input syntax
 */
public record Statement(String name, String expression) {

    @Override
    public String toString() {
        return name + " = " + expression;
    }
}
