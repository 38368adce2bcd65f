package io.github.ntk4j.finite;

import io.github.ntk4j.net.Branches;
import io.github.ntk4j.net.Dense;
import io.github.ntk4j.net.Layer;
import io.github.ntk4j.net.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * The widths of a finite realisation of a {@link Network}: the input dimension d (after the
 * network's Fourier-feature map, if any), every hidden Dense layer m units, the readout (a
 * Dense layer that is the last layer) k units, and every other layer keeps its input width.
 * The one place this rule is written; the forward pass, the memory estimates and the
 * parameter count all read it from here.
 */
final class LayerShapes {
    private final Layer[] layers;
    private final int[] in;
    private final int[] out;
    private final int[] firstInner;
    private final int baseWidth;
    private final DenseShape[] byId;
    private final List<DenseShape> inOrder;

    private LayerShapes(Layer[] layers, int[] in, int[] out, int[] firstInner, int baseWidth, DenseShape[] byId,
            List<DenseShape> inOrder) {
        this.layers = layers;
        this.in = in;
        this.out = out;
        this.firstInner = firstInner;
        this.baseWidth = baseWidth;
        this.byId = byId;
        this.inOrder = inOrder;
    }

    /**
     * One Dense layer of the network, top-level or inside branches.
     *
     * @param id its parameter-stream id: its index for a top-level layer, ids after the
     *           top-level layers for layers inside branches (depth first, in network order)
     * @param dense the layer
     * @param in its fan-in n
     * @param out its output width
     * @param baseFanIn the base fan-in N of standard parameterisation: d for the first layer,
     *                  the network's stated width otherwise (0 if not stated)
     */
    record DenseShape(int id, Dense dense, int in, int out, int baseFanIn) {
    }

    /**
     * @param layer a layer
     * @return the number of Dense layers in it (inside branches, recursively)
     */
    static int denseCount(Layer layer) {
        if (layer instanceof Dense) {
            return 1;
        }
        int c = 0;
        if (layer instanceof Branches b) {
            for (java.util.List<Layer> branch : b.branches()) {
                for (Layer l : branch) {
                    c += denseCount(l);
                }
            }
        }
        return c;
    }

    /**
     * @param layer a layer
     * @return the number of layers inside it (branches, recursively), 0 for a plain layer
     */
    static int innerLayerCount(Layer layer) {
        int c = 0;
        if (layer instanceof Branches b) {
            for (java.util.List<Layer> branch : b.branches()) {
                for (Layer l : branch) {
                    c += 1 + innerLayerCount(l);
                }
                c++;
            }
        }
        return c;
    }

    /**
     * @param l index of a {@link Branches} layer
     * @return the parameter-stream id of the first Dense layer inside it: ids after the
     *         top-level layers' indices, numbered depth first in network order
     */
    int firstInnerId(int l) {
        return firstInner[l];
    }

    /** @return the hidden width N of standard-parameterisation layers (the network's, 0 if not stated) */
    int baseWidth() {
        return baseWidth;
    }

    /**
     * @param network the architecture
     * @param rawInputDim dimension of the raw inputs, before any Fourier-feature map
     * @param width hidden width m
     * @param outputs readout width k
     * @return the shapes
     */
    static LayerShapes of(Network network, int rawInputDim, int width, int outputs) {
        List<Layer> ls = network.layers();
        Layer[] layers = ls.toArray(new Layer[0]);
        int[] in = new int[layers.length];
        int[] out = new int[layers.length];
        int w = network.inputMap() == null ? rawInputDim : network.inputMap().outputDimension(rawInputDim);
        int[] firstInner = new int[layers.length];
        int nextInner = layers.length;
        int ids = layers.length;
        for (Layer layer : layers) {
            ids += layer instanceof Branches ? denseCount(layer) : 0;
        }
        DenseShape[] byId = new DenseShape[ids];
        List<DenseShape> inOrder = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            in[l] = w;
            if (layers[l] instanceof Dense dense) {
                w = l == layers.length - 1 ? outputs : width;
                add(new DenseShape(l, dense, in[l], w, l == 0 ? in[0] : network.width()), byId, inOrder);
            }
            out[l] = w;
            firstInner[l] = nextInner;
            if (layers[l] instanceof Branches b) {
                nextInner = addInner(b, in[l], nextInner, network.width(), byId, inOrder);
            }
        }
        return new LayerShapes(layers, in, out, firstInner, network.width(), byId, List.copyOf(inOrder));
    }

    private static void add(DenseShape s, DenseShape[] byId, List<DenseShape> inOrder) {
        byId[s.id()] = s;
        inOrder.add(s);
    }

    /** The Dense layers inside branches of width w, ids from {@code id} on, depth first; returns the next id. */
    private static int addInner(Branches b, int w, int id, int baseWidth, DenseShape[] byId, List<DenseShape> inOrder) {
        for (List<Layer> branch : b.branches()) {
            for (Layer l : branch) {
                if (l instanceof Dense dense) {
                    add(new DenseShape(id++, dense, w, w, baseWidth), byId, inOrder);
                } else if (l instanceof Branches inner) {
                    id = addInner(inner, w, id, baseWidth, byId, inOrder);
                }
            }
        }
        return id;
    }

    /**
     * @param id a parameter-stream id
     * @return the Dense layer with that id
     */
    DenseShape dense(int id) {
        return byId[id];
    }

    /** @return every Dense layer, top-level and inside branches, in network order (depth first) */
    List<DenseShape> denseLayers() {
        return inOrder;
    }

    /** @return one more than the largest parameter-stream id */
    int idCount() {
        return byId.length;
    }

    /** @return number of layers */
    int count() {
        return layers.length;
    }

    /** @return the layer at index l */
    Layer layer(int l) {
        return layers[l];
    }

    /** @return the input width of layer l (its fan-in for a Dense layer) */
    int in(int l) {
        return in[l];
    }

    /** @return the output width of layer l */
    int out(int l) {
        return out[l];
    }

    /** @return the dimension the first layer sees (after the Fourier-feature map) */
    int inputDimension() {
        return layers.length == 0 ? 0 : in[0];
    }

    /** @return whether layer l carries parameters (a Dense layer) */
    boolean hasParameters(int l) {
        return layers[l] instanceof Dense;
    }

    /** @return the number of raw weights out·in of layer l if it has parameters, else 0 */
    long weightCount(int l) {
        return hasParameters(l) ? (long) out[l] * in[l] : 0;
    }
}
