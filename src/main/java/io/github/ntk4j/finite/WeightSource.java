package io.github.ntk4j.finite;

/**
 * Where a finite network's raw Dense parameters (the N(0, 1) numbers W[row][col] and b[row]
 * before scaling by W_std/√n and b_std) come from: regenerated from {@link ParameterStreams}
 * under the network's seed ({@link Streamed}, for Monte Carlo networks that are evaluated once),
 * or held in memory ({@link Stored}, initialised from the same streams, for training). The
 * layer rules read weights only through this type, so both kinds of network share one
 * forward, backward and empirical-NTK implementation ({@link FinitePass}).
 */
abstract class WeightSource {

    /**
     * @param layer index of a Dense layer
     * @return W of that layer as one row-major out×in array in memory, or null when its rows
     *         are regenerated where they are used ({@link #fillRow})
     */
    abstract double[] matrix(int layer);

    /**
     * Writes W[row][col0 … col0+len) of a Dense layer to dst[off …].
     *
     * @param layer index of a Dense layer
     * @param row output unit
     * @param col0 first column, a multiple of {@link ParameterStreams#COLUMN_BLOCK}
     * @param len number of columns
     * @param in the layer's fan-in
     * @param dst destination
     * @param off offset in dst
     */
    abstract void fillRow(int layer, int row, int col0, int len, int in, double[] dst, int off);

    /**
     * @param layer index of a Dense layer
     * @param out its output width
     * @return its raw biases (read only)
     */
    abstract double[] biases(int layer, int out);

    /**
     * Asked by the forward pass before it regenerates a layer's weights: an out×in array to
     * keep them in for the backward pass, or null to regenerate them there too.
     *
     * @param layer index of a Dense layer
     * @param size out·in
     * @return the array, or null
     */
    double[] keep(int layer, int size) {
        return null;
    }

    /**
     * Told by the backward pass that a layer's weights are no longer needed in this pass.
     *
     * @param layer index of a Dense layer
     */
    void release(int layer) {
    }

    /**
     * Weights regenerated from the counter-based streams; the weights of the layers flagged in
     * {@code kept} are kept from the forward pass for the backward pass (one source per
     * evaluation). Which layers are kept never changes a result: the same numbers reach the
     * same products in the same order.
     */
    static final class Streamed extends WeightSource {
        private final long seed;
        private final boolean[] keepFlags;
        private final double[][] kept;

        Streamed(long seed, boolean[] keepFlags) {
            this.seed = seed;
            this.keepFlags = keepFlags;
            this.kept = new double[keepFlags.length][];
        }

        @Override
        double[] matrix(int layer) {
            // Dense layers inside branches have ids past the top-level layers and are never kept
            return layer < kept.length ? kept[layer] : null;
        }

        @Override
        void fillRow(int layer, int row, int col0, int len, int in, double[] dst, int off) {
            ParameterStreams.fillWeights(seed, layer, row, col0, len, dst, off);
        }

        @Override
        double[] biases(int layer, int out) {
            return ParameterStreams.biases(seed, layer, out);
        }

        @Override
        double[] keep(int layer, int size) {
            return layer < keepFlags.length && keepFlags[layer] ? (kept[layer] = new double[size]) : null;
        }

        @Override
        void release(int layer) {
            if (layer < kept.length) {
                kept[layer] = null;
            }
        }
    }

    /**
     * Weights and biases held in memory and changed in place by training; at construction
     * every raw parameter is the number {@link Streamed} regenerates for the same seed.
     */
    static final class Stored extends WeightSource {
        private final double[][] weights;
        private final double[][] biases;

        Stored(long seed, LayerShapes shapes) {
            int count = shapes.count();
            weights = new double[count][];
            biases = new double[count][];
            for (int l = 0; l < count; l++) {
                if (shapes.hasParameters(l)) {
                    int in = shapes.in(l);
                    int out = shapes.out(l);
                    double[] w = new double[out * in];
                    for (int r = 0; r < out; r++) {
                        ParameterStreams.fillWeights(seed, l, r, 0, in, w, r * in);
                    }
                    weights[l] = w;
                    biases[l] = ParameterStreams.biases(seed, l, out);
                }
            }
        }

        @Override
        double[] matrix(int layer) {
            return weights[layer];
        }

        @Override
        void fillRow(int layer, int row, int col0, int len, int in, double[] dst, int off) {
            System.arraycopy(weights[layer], row * in + col0, dst, off, len);
        }

        @Override
        double[] biases(int layer, int out) {
            return biases[layer];
        }

        /** @return the live biases of a layer, changed in place by {@link #descend} */
        double[] liveBiases(int layer) {
            return biases[layer];
        }

        /**
         * One gradient-descent step on a layer: θ ← θ − η ∇θ.
         *
         * @param layer index of a Dense layer
         * @param gradient ∂L/∂W (out×in) and ∂L/∂b
         * @param eta step η
         */
        void descend(int layer, FiniteRule.Gradient gradient, double eta) {
            double[] w = weights[layer];
            double[] gw = gradient.weights();
            for (int k = 0; k < w.length; k++) {
                w[k] -= eta * gw[k];
            }
            double[] b = biases[layer];
            double[] gb = gradient.biases();
            for (int k = 0; k < b.length; k++) {
                b[k] -= eta * gb[k];
            }
        }
    }
}
