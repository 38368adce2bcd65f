package io.github.ntk4j.finite;

import io.github.ntk4j.internal.Messages;
import io.github.ntk4j.io.AtomicFile;
import io.github.ntk4j.io.Json;
import io.github.ntk4j.net.Parameterization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a finite network as a file: the weights format of {@code --init} and
 * {@code --save-weights}. One JSON object,
 * <pre>
 *   {"parameterization": "ntk" | "standard",
 *    "layers": [{"W": [[w11, w12, …], …], "b": [b1, …]}, …]}
 * </pre>
 * one entry per Dense layer in network order (depth first through residual blocks and other
 * branches, as {@link TrainableNetwork#denseLayers}), W with one row per output unit and one
 * column per input, b one entry per output unit. The numbers are the <em>raw</em> parameters,
 * N(0, 1) at initialisation: the layer computes
 * <pre>
 *   h = W_std/√n_in · W x + b_std · b
 * </pre>
 * whatever the parameterisation (neural-tangents' {@code stax.Dense}); the parameterisation
 * says which parameters gradient descent moves (NTK: W and b themselves; standard: W_std/√N · W
 * and b_std · b, see {@link TrainableNetwork}), so a file is only read into a network of the
 * same parameterisation. The architecture (activations, W_std, b_std) is not in the file: it
 * is given as usual, and the file must fit its shapes. Numbers are written in Java's shortest
 * round-trip form, so writing and reading a file gives back the same doubles. Immutable.
 */
public final class NetworkWeights {
    private final Parameterization parameterization;
    private final double[][][] weights;
    private final double[][] biases;

    private NetworkWeights(Parameterization parameterization, double[][][] weights, double[][] biases) {
        this.parameterization = parameterization;
        this.weights = weights;
        this.biases = biases;
    }

    /**
     * @param parameterization which parameters training moves
     * @param weights raw W per Dense layer (rows = outputs; copied)
     * @param biases raw b per Dense layer (copied)
     * @return the weights
     * @throws io.github.ntk4j.InvalidInputException for ragged, empty or non-finite arrays or a
     *     bias vector whose length is not W's row count
     */
    public static NetworkWeights of(Parameterization parameterization, double[][][] weights, double[][] biases) {
        if (parameterization == null) {
            throw Messages.invalid("weights: the parameterization is missing");
        }
        if (weights == null || biases == null || weights.length == 0) {
            throw Messages.empty("weights: the list of layers");
        }
        if (weights.length != biases.length) {
            throw Messages.dimensionMismatch("weight matrices", weights.length, "bias vectors", biases.length);
        }
        double[][][] w = new double[weights.length][][];
        double[][] b = new double[weights.length][];
        for (int l = 0; l < weights.length; l++) {
            String where = "weights: layer " + (l + 1);
            double[][] wl = weights[l];
            if (wl == null || wl.length == 0 || wl[0] == null || wl[0].length == 0) {
                throw Messages.empty(where + " W");
            }
            w[l] = new double[wl.length][];
            for (int r = 0; r < wl.length; r++) {
                if (wl[r] == null || wl[r].length != wl[0].length) {
                    throw Messages.invalid(where + ": W row " + (r + 1) + " has " + (wl[r] == null ? 0 : wl[r].length)
                            + " columns, row 1 has " + wl[0].length);
                }
                for (double v : wl[r]) {
                    if (!Double.isFinite(v)) {
                        throw Messages.notFinite(where + " W entry", v);
                    }
                }
                w[l][r] = wl[r].clone();
            }
            if (biases[l] == null || biases[l].length != wl.length) {
                throw Messages.invalid(where + ": b has " + (biases[l] == null ? 0 : biases[l].length)
                        + " entries, W has " + wl.length + " rows");
            }
            for (double v : biases[l]) {
                if (!Double.isFinite(v)) {
                    throw Messages.notFinite(where + " b entry", v);
                }
            }
            b[l] = biases[l].clone();
        }
        return new NetworkWeights(parameterization, w, b);
    }

    /** @return which parameters training moves */
    public Parameterization parameterization() {
        return parameterization;
    }

    /** @return the number of Dense layers */
    public int layerCount() {
        return weights.length;
    }

    /**
     * @param layer index of a Dense layer in network order (0-based)
     * @return a copy of its raw W (rows = outputs)
     */
    public double[][] weights(int layer) {
        double[][] c = new double[weights[layer].length][];
        for (int r = 0; r < c.length; r++) {
            c[r] = weights[layer][r].clone();
        }
        return c;
    }

    /**
     * @param layer index of a Dense layer in network order (0-based)
     * @return a copy of its raw b
     */
    public double[] biases(int layer) {
        return biases[layer].clone();
    }

    /** Row count (outputs) of a layer without copying. */
    int rows(int layer) {
        return weights[layer].length;
    }

    /** Column count (inputs) of a layer without copying. */
    int columns(int layer) {
        return weights[layer][0].length;
    }

    /** Live rows, for the package's readers. */
    double[] row(int layer, int r) {
        return weights[layer][r];
    }

    /** Live biases, for the package's readers. */
    double[] liveBiases(int layer) {
        return biases[layer];
    }

    /**
     * Parses the format of the class comment.
     *
     * @param json the JSON text
     * @param source where it came from (for messages: a file name)
     * @return the weights
     * @throws io.github.ntk4j.InvalidInputException with one line naming the source and the
     *     problem (not JSON, a missing key, a ragged matrix, a number that is not finite)
     */
    public static NetworkWeights parse(String json, String source) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (io.github.ntk4j.InvalidInputException e) {
            throw Messages.invalid(source + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw Messages.invalid(source + ": expected a JSON object {\"parameterization\": ..., \"layers\": [...]}");
        }
        Object p = m.get("parameterization");
        if (!(p instanceof String ps)) {
            throw Messages.invalid(source + ": \"parameterization\" must be \"ntk\" or \"standard\"");
        }
        Parameterization par;
        try {
            par = Parameterization.of(ps);
        } catch (io.github.ntk4j.InvalidInputException e) {
            throw Messages.invalid(source + ": \"parameterization\" must be \"ntk\" or \"standard\", got \"" + ps + "\"");
        }
        if (!(m.get("layers") instanceof List<?> layers) || layers.isEmpty()) {
            throw Messages.invalid(source + ": \"layers\" must be a non-empty list of {\"W\": [[...]], \"b\": [...]}");
        }
        double[][][] w = new double[layers.size()][][];
        double[][] b = new double[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            String where = source + ": layer " + (l + 1);
            if (!(layers.get(l) instanceof Map<?, ?> layer)) {
                throw Messages.invalid(where + " must be an object {\"W\": [[...]], \"b\": [...]}");
            }
            if (!(layer.get("W") instanceof List<?> rows) || rows.isEmpty()) {
                throw Messages.invalid(where + ": \"W\" must be a non-empty list of rows");
            }
            w[l] = new double[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                w[l][r] = numbers(rows.get(r), where + ", W row " + (r + 1));
            }
            b[l] = numbers(layer.get("b"), where + ", \"b\"");
        }
        try {
            return of(par, w, b);
        } catch (io.github.ntk4j.InvalidInputException e) {
            throw Messages.invalid(source + ": " + e.getMessage().replaceFirst("^weights: ", ""));
        }
    }

    private static double[] numbers(Object o, String where) {
        if (!(o instanceof List<?> list) || list.isEmpty()) {
            throw Messages.invalid(where + " must be a non-empty list of numbers");
        }
        double[] v = new double[list.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(list.get(i) instanceof Double d)) {
                throw Messages.invalid(where + ": entry " + (i + 1) + " is not a number");
            }
            v[i] = d;
        }
        return v;
    }

    /**
     * Reads a weights file.
     *
     * @param file the file
     * @return the weights
     * @throws io.github.ntk4j.InvalidInputException if it cannot be read or is not in the format
     */
    public static NetworkWeights read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw io.github.ntk4j.io.TextLines.readError(file.toString(), e);
        }
        return parse(text, file.toString());
    }

    /** @return the JSON text of the class comment (one line per layer row) */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parameterization", parameterization.token());
        List<Object> layers = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("W", weights[l]);
            layer.put("b", biases[l]);
            layers.add(layer);
        }
        m.put("layers", layers);
        return Json.write(m);
    }

    /**
     * Writes the weights atomically (a temporary file moved into place).
     *
     * @param file the target
     * @throws io.github.ntk4j.OutputException if it cannot be written
     */
    public void write(Path file) {
        String text = toJson();
        AtomicFile.writeText(file, w -> {
            w.write(text);
            w.write('\n');
        });
    }
}
