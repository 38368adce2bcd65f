package io.github.ntk4j.net;

import io.github.ntk4j.Messages;
import io.github.ntk4j.Ntk4jException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a network written as a spec string, layers separated by spaces:
 * <pre>
 *   dense(1.4,0.1) relu dense(1.4,0.1) erf dense(1,0)
 *   dense(1,0.05) erf(1,0.5,0) dense(2,0) leaky_relu(0.1) dense(1,0)
 * </pre>
 * Layer names: {@code dense(W_std,b_std)} and the activations of {@link Activations#KNOWN}; the
 * first token may be a Fourier-feature input map {@code fourier(m,sigma,seed)} (Gaussian
 * frequencies) or {@code posenc(m,sigma)} (positional encoding), see {@link FourierFeatures}.
 * An error names the position of the bad token and quotes the text that starts there.
 */
public final class NetworkSpec {
    private final String text;
    private int pos;

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
        if (!Activations.isKnown(name)) {
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
        List<Layer> layers = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        skipSpace();
        FourierFeatures inputMap = parseInputMap();
        skipSpace();
        while (pos < text.length()) {
            starts.add(pos);
            layers.add(parseLayer());
            int before = pos;
            skipSpace();
            if (pos < text.length() && pos == before) {
                throw Messages.badSpec(text, pos, "expected a space before the next layer, got '" + text.charAt(pos) + "'");
            }
        }
        if (layers.isEmpty()) {
            throw Messages.badSpec(text, pos, "expected a dense layer after the input map");
        }
        try {
            Network net = Network.serial(layers);
            return inputMap == null ? net : net.withInputMap(inputMap);
        } catch (Ntk4jException e) {
            // point at the offending layer where we can tell which it is
            int at = 0;
            if (!(layers.get(0) instanceof Dense)) {
                at = starts.get(0);
            } else if (!(layers.get(layers.size() - 1) instanceof Dense)) {
                at = starts.get(layers.size() - 1);
            } else {
                for (int i = 1; i < layers.size(); i++) {
                    if (layers.get(i) instanceof Activation && !(layers.get(i - 1) instanceof Dense)) {
                        at = starts.get(i);
                        break;
                    }
                }
            }
            throw Messages.badSpec(text, at, e.getMessage().replaceFirst("^invalid network: ", ""));
        }
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
        double[] params = new double[0];
        if (pos < text.length() && text.charAt(pos) == '(') {
            params = parseParams();
        }
        if (name.equalsIgnoreCase("dense")) {
            if (params.length != 2) {
                throw Messages.badSpec(text, start, "dense takes two parameters, dense(W_std,b_std), got " + params.length);
            }
            try {
                return new Dense(params[0], params[1]);
            } catch (Ntk4jException e) {
                throw Messages.badSpec(text, start, e.getMessage());
            }
        }
        if (name.equalsIgnoreCase("fourier") || name.equalsIgnoreCase("posenc")) {
            throw Messages.badSpec(text, start, "the input map " + name.toLowerCase(java.util.Locale.ROOT)
                    + "(...) can only be the first layer: it maps the raw inputs");
        }
        if (!Activations.isKnown(name)) {
            throw Messages.badSpec(text, start, "unknown layer '" + name + "' (known: dense(W_std,b_std), "
                    + Activations.KNOWN + "; as the first layer only: fourier(m,sigma,seed), posenc(m,sigma))");
        }
        try {
            return Activations.of(name, params);
        } catch (Ntk4jException e) {
            throw Messages.badSpec(text, start, e.getMessage());
        }
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
