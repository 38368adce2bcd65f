package io.github.ntk4j.net;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.Ntk4jException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a network written as a spec string, layers separated by spaces:
 * <pre>
 *   dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)
 *   dense(1,0.05) erf(1,0.5,0) dense(2,0) leaky_relu(0.1) dense(1,0)
 * </pre>
 * Layer names: {@code dense(W_std,b_std)} (NTK parameterisation) or
 * {@code dense(W_std,b_std,standard)} (standard parameterisation, {@link Parameterization}),
 * {@code layernorm} ({@link LayerNorm}), the activations of {@link Activations#KNOWN}, and
 * branches ({@link Branches}):
 * <pre>
 *   residual(LAYERS)                 x + block(x)
 *   residual(LAYERS; alpha, beta)    alpha·x + beta·block(x)
 *   sum(LAYERS | LAYERS | ...)       sum of branches (identity = the skip), optional "; w1, w2, ..."
 *   prod(LAYERS | LAYERS | ...)      elementwise product of branches
 * </pre>
 * e.g. {@code dense(1,0) residual(relu dense(1,0)) relu dense(1,0)}. The first token may be a
 * Fourier-feature input map {@code fourier(m,sigma,seed)} (Gaussian frequencies) or
 * {@code posenc(m,sigma)} (positional encoding), see {@link FourierFeatures}; then an optional
 * {@code width(N)} states the hidden width that standard-parameterisation NTKs depend on.
 * An error names the position of the bad token and quotes the text that starts there.
 * Blocks nest at most {@link Branches#MAX_NESTING} deep.
 */
public final class NetworkSpec {
    private final String text;
    private int pos;
    /** How many residual/sum/prod blocks enclose the position being read. */
    private int depth;

    private NetworkSpec(String text) {
        this.text = text;
    }

    /**
     * Parses a spec.
     *
     * @param spec the spec string
     * @return the network
     * @throws Ntk4jException with the position of the first bad token
     */
    public static Network parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw Messages.empty("network spec");
        }
        return new NetworkSpec(spec).parseNetwork();
    }

    /**
     * Parses a single activation such as {@code relu}, {@code erf(1,0.5,0)} or
     * {@code leaky_relu(0.1)}.
     *
     * @param spec the activation token
     * @return the activation
     */
    public static Activation parseActivation(String spec) {
        if (spec == null || spec.isBlank()) {
            throw Messages.empty("activation");
        }
        NetworkSpec p = new NetworkSpec(spec.strip());
        String name = p.text.split("\\(", 2)[0].strip();
        if (!Activations.isKnown(name) && !name.equalsIgnoreCase("fn")) {
            throw Messages.unknownActivation(name, Activations.KNOWN);
        }
        Layer l = p.parseLayer();
        if (p.pos != p.text.length()) {
            throw Messages.badSpec(p.text, p.pos, "unexpected text after the activation");
        }
        if (!(l instanceof Activation a)) {
            throw Messages.badSpec(p.text, 0, "expected an activation (" + Activations.KNOWN + ")");
        }
        return a;
    }

    private Network parseNetwork() {
        skipSpace();
        FourierFeatures inputMap = parseInputMap();
        skipSpace();
        int width = parseWidth();
        skipSpace();
        List<Integer> starts = new ArrayList<>();
        List<Layer> layers = parseChain(starts, false);
        if (pos < text.length()) {
            throw Messages.badSpec(text, pos, "unexpected '" + text.charAt(pos) + "'");
        }
        if (layers.isEmpty()) {
            throw Messages.badSpec(text, pos, "expected a dense layer" + (inputMap == null ? "" : " after the input map"));
        }
        Network.Problem problem = Network.problem(layers);
        if (problem != null) {
            throw Messages.badSpec(text, starts.get(problem.index()), problem.message());
        }
        Network net = Network.serial(layers);
        net = inputMap == null ? net : net.withInputMap(inputMap);
        return width > 0 ? net.withWidth(width) : net;
    }

    /** An optional {@code width(N)}: the hidden width of standard-parameterisation layers. */
    private int parseWidth() {
        int start = pos;
        String name = "width";
        if (text.regionMatches(true, pos, name, 0, name.length()) && pos + name.length() < text.length()
                && text.charAt(pos + name.length()) == '(') {
            pos += name.length();
            double[] p = parseParams();
            if (p.length != 1 || p[0] != Math.rint(p[0]) || p[0] < 1 || p[0] > Integer.MAX_VALUE) {
                throw Messages.badSpec(text, start, "width(N) takes one integer N >= 1");
            }
            return (int) p[0];
        }
        return 0;
    }

    /**
     * Layers separated by spaces, up to the end of the text or (nested) a {@code |}, {@code ;}
     * or {@code )}, which is left unread.
     */
    private List<Layer> parseChain(List<Integer> starts, boolean nested) {
        List<Layer> layers = new ArrayList<>();
        skipSpace();
        while (pos < text.length() && !(nested && isChainEnd(text.charAt(pos)))) {
            starts.add(pos);
            layers.add(parseLayer());
            int before = pos;
            skipSpace();
            if (pos < text.length() && pos == before && !(nested && isChainEnd(text.charAt(pos)))) {
                throw Messages.badSpec(text, pos, "expected a space before the next layer, got '" + text.charAt(pos) + "'");
            }
        }
        return layers;
    }

    private static boolean isChainEnd(char c) {
        return c == '|' || c == ';' || c == ')';
    }

    /** An optional leading {@code fourier(m,sigma,seed)} or {@code posenc(m,sigma)}. */
    private FourierFeatures parseInputMap() {
        int start = pos;
        for (String name : new String[] {"fourier", "posenc"}) {
            if (text.regionMatches(true, pos, name, 0, name.length()) && pos + name.length() < text.length()
                    && text.charAt(pos + name.length()) == '(') {
                pos += name.length();
                double[] p = parseParams();
                int want = name.equals("fourier") ? 3 : 2;
                if (p.length != want) {
                    throw Messages.badSpec(text, start, name + (want == 3 ? "(m,sigma,seed)" : "(m,sigma)") + " takes " + want
                            + " parameters, got " + p.length);
                }
                if (p[0] != Math.rint(p[0]) || (want == 3 && p[2] != Math.rint(p[2]))) {
                    throw Messages.badSpec(text, start, "m" + (want == 3 ? " and seed" : "") + " of " + name + " must be integers");
                }
                try {
                    return want == 3 ? FourierFeatures.gaussian((int) p[0], p[1], (long) p[2])
                            : FourierFeatures.positional((int) p[0], p[1]);
                } catch (Ntk4jException e) {
                    throw Messages.badSpec(text, start, e.getMessage());
                }
            }
        }
        return null;
    }

    private Layer parseLayer() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw Messages.badSpec(text, start, "expected a layer name, got '" + text.charAt(start) + "'");
        }
        if (name.equalsIgnoreCase("fn")) {
            return parseExpression(start);
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        boolean open = pos < text.length() && text.charAt(pos) == '(';
        if (open && (lower.equals("residual") || lower.equals("sum") || lower.equals("prod"))) {
            return parseBranches(lower, start);
        }
        if (lower.equals("layernorm")) {
            if (open) {
                throw Messages.badSpec(text, start, "layernorm takes no parameters");
            }
            return LayerNorm.instance();
        }
        if (lower.equals("dense")) {
            return parseDense(start);
        }
        double[] params = new double[0];
        if (open) {
            params = parseParams();
        }
        if (name.equalsIgnoreCase("fourier") || name.equalsIgnoreCase("posenc")) {
            throw Messages.badSpec(text, start, "the input map " + name.toLowerCase(java.util.Locale.ROOT)
                    + "(...) can only be the first layer: it maps the raw inputs");
        }
        if (!Activations.isKnown(name)) {
            throw Messages.badSpec(text, start, "unknown layer '" + name + "' (known: " + LAYERS + ", "
                    + Activations.KNOWN + "; as the first layer only: fourier(m,sigma,seed), posenc(m,sigma))");
        }
        try {
            return Activations.of(name, params);
        } catch (Ntk4jException e) {
            throw Messages.badSpec(text, start, e.getMessage());
        }
    }

    /** The structural layers with their parameter signature, for help texts and error messages. */
    public static final String LAYERS = "dense(W_std,b_std[,ntk|standard]), layernorm, residual(LAYERS[; alpha,beta]), "
            + "sum(LAYERS | LAYERS ...[; w1,w2,...]), prod(LAYERS | LAYERS ...)";

    /** {@code dense(W_std,b_std)} or {@code dense(W_std,b_std,ntk|standard)}. */
    private Layer parseDense(int start) {
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw Messages.badSpec(text, start, "dense takes parameters, dense(W_std,b_std) or dense(W_std,b_std,standard)");
        }
        int close = text.indexOf(')', pos);
        int lastComma = text.lastIndexOf(',', close < 0 ? text.length() : close);
        if (close > 0 && lastComma > pos && text.substring(pos, close).chars().filter(ch -> ch == ',').count() == 2) {
            String word = text.substring(lastComma + 1, close).strip();
            if (!word.isEmpty() && Character.isLetter(word.charAt(0))) {
                Parameterization p;
                try {
                    p = Parameterization.of(word);
                } catch (Ntk4jException e) {
                    throw Messages.badSpec(text, lastComma + 1,
                            "the third parameter of dense is the parameterization, ntk or standard, got '" + word + "'");
                }
                // read the numbers before the word as if the comma closed the list
                NetworkSpec numbers = new NetworkSpec(text.substring(0, lastComma) + ")");
                numbers.pos = pos;
                double[] params = numbers.parseParams();
                pos = close + 1;
                return dense(start, params, p);
            }
        }
        return dense(start, parseParams(), Parameterization.NTK);
    }

    private Layer dense(int start, double[] params, Parameterization p) {
        if (params.length != 2) {
            throw Messages.badSpec(text, start, "dense takes two parameters and an optional parameterization, "
                    + "dense(W_std,b_std) or dense(W_std,b_std,standard), got " + params.length + " numbers");
        }
        try {
            return new Dense(params[0], params[1], p);
        } catch (Ntk4jException e) {
            throw Messages.badSpec(text, start, e.getMessage());
        }
    }


    /** {@code fn("EXPR")}: the expression is everything between the quotes. */
    private Layer parseExpression(int start) {
        if (!text.startsWith("(\"", pos)) {
            throw Messages.badSpec(text, pos, "fn takes an expression in x in quotes, e.g. fn(\"x*Tanh(x)\")");
        }
        int close = text.indexOf("\")", pos + 2);
        if (close < 0) {
            throw Messages.badSpec(text, pos, "unclosed fn(\"...\")");
        }
        String expr = text.substring(pos + 2, close);
        pos = close + 2;
        try {
            return Activations.expression(expr);
        } catch (Ntk4jException e) {
            throw Messages.badSpec(text, start, e.getMessage());
        }
    }

    /**
     * {@code residual(LAYERS)}, {@code residual(LAYERS; alpha, beta)}, {@code sum(LAYERS | LAYERS
     * ...)} with optional {@code ; w1, w2, ...}, {@code prod(LAYERS | LAYERS ...)}; a branch
     * {@code identity} (or empty) is the skip connection.
     */
    private Layer parseBranches(String kind, int start) {
        if (depth >= Branches.MAX_NESTING) { // refused before the recursion could exhaust the stack
            throw Messages.badSpec(text, start, Messages.tooDeep("residual(...), sum(...) and prod(...) blocks",
                    Branches.MAX_NESTING).getMessage());
        }
        depth++;
        try {
            return parseBranchesIn(kind, start);
        } finally {
            depth--;
        }
    }

    private Layer parseBranchesIn(String kind, int start) {
        int open = pos;
        pos++; // '('
        List<List<Layer>> branches = new ArrayList<>();
        while (true) {
            List<Integer> starts = new ArrayList<>();
            int branchStart = pos;
            List<Layer> chain = parseChain(starts, true);
            if (chain.size() == 1 && chain.get(0) instanceof Identity) {
                chain = List.of();
            }
            if (kind.equals("residual") && chain.isEmpty()) {
                throw Messages.badSpec(text, branchStart, "residual(...) needs the layers of its block");
            }
            branches.add(chain);
            if (pos >= text.length()) {
                throw Messages.badSpec(text, open, "unclosed '('");
            }
            char c = text.charAt(pos);
            if (c == '|') {
                if (kind.equals("residual")) {
                    throw Messages.badSpec(text, pos, "residual(...) has one block; use sum(A | B) for general branches");
                }
                pos++;
                continue;
            }
            break;
        }
        double[] weights = null;
        if (text.charAt(pos) == ';') {
            if (kind.equals("prod")) {
                throw Messages.badSpec(text, pos, "prod(...) takes no weights");
            }
            // read "w1, w2, ...)" with the number reader, which expects to start at an opening bracket
            int semi = pos;
            pos = semi; // parseParams skips the character at pos, so the ';' plays the '('
            weights = parseParams();
            pos--; // parseParams consumed ')'; the common close below expects it
            int want = kind.equals("residual") ? 2 : branches.size();
            if (weights.length != want) {
                throw Messages.badSpec(text, semi, kind + "(...) takes " + want + " weights after ';', got " + weights.length);
            }
        }
        if (pos >= text.length() || text.charAt(pos) != ')') {
            throw Messages.badSpec(text, open, "unclosed '('");
        }
        pos++;
        try {
            if (kind.equals("residual")) {
                return Branches.residual(weights == null ? 1 : weights[0], weights == null ? 1 : weights[1], branches.get(0));
            }
            if (kind.equals("prod")) {
                return Branches.fanInProd(castAll(branches.toArray(new List<?>[0])));
            }
            double[] w = weights;
            if (w == null) {
                w = new double[branches.size()];
                java.util.Arrays.fill(w, 1);
            }
            return Branches.fanInSum(w, branches);
        } catch (Ntk4jException e) {
            throw Messages.badSpec(text, start, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Layer>[] castAll(List<?>[] a) {
        return (List<Layer>[]) a;
    }

    private double[] parseParams() {
        int open = pos;
        pos++; // '('
        List<Double> values = new ArrayList<>();
        while (true) {
            skipSpace();
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')'
                    && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            String tok = text.substring(start, pos);
            if (pos >= text.length() && tok.isEmpty()) {
                throw Messages.badSpec(text, open, "unclosed '('");
            }
            double v;
            try {
                v = Double.parseDouble(tok);
            } catch (NumberFormatException e) {
                throw Messages.badSpec(text, start, tok.isEmpty() ? "missing number" : "'" + tok + "' is not a number");
            }
            if (!Double.isFinite(v)) {
                throw Messages.badSpec(text, start, "'" + tok + "' is not a finite number");
            }
            values.add(v);
            skipSpace();
            if (pos >= text.length()) {
                throw Messages.badSpec(text, open, "unclosed '('");
            }
            char ch = text.charAt(pos);
            pos++;
            if (ch == ')') {
                break;
            }
            if (ch != ',') {
                throw Messages.badSpec(text, pos - 1, "expected ',' or ')'");
            }
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
