package io.github.ntk4j.finite;

/**
 * Where a finite network's Dense parameters come from: the raw N(0, 1) numbers W[row][col] and
 * b[row] regenerated from {@link ParameterStreams} under the network's seed ({@link Streamed},
 * for Monte Carlo networks that are evaluated once), or the trained parameters θ_W = c_W W,
 * θ_b = c_b b held in memory ({@link Stored}, initialised from the same streams, for training;
 * c_W, c_b from {@link DenseRule}: 1 in NTK parameterisation). The layer rules read weights
 * only through this type, so both kinds of network share one forward, backward and
 * empirical-NTK implementation ({@link FinitePass}). Layers are named by their parameter-stream
 * ids ({@link LayerShapes.DenseShape#id}).
 */
abstract class WeightSource {

    /** @return whether the source holds trained parameters (else raw N(0, 1) numbers) */
    abstract boolean trained();

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
        boolean trained() {
            return false;
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
     * Trained weights and biases held in memory and changed in place by training, for every
     * Dense layer (inside branches too, by id); at construction every parameter is c times the
     * number {@link Streamed} regenerates for the same seed ({@link #initialWeights}).
     */
    static final class Stored extends WeightSource {
        private final long seed;
        private final LayerShapes shapes;
        private final double[][] weights;
        private final double[][] biases;
        /** Initial trained parameters given by the caller instead of the streams (null: from the streams). */
        private double[][] givenWeights;
        private double[][] givenBiases;

        Stored(long seed, LayerShapes shapes) {
            this.seed = seed;
            this.shapes = shapes;
            weights = new double[shapes.idCount()][];
            biases = new double[shapes.idCount()][];
            for (LayerShapes.DenseShape d : shapes.denseLayers()) {
                double[] w = new double[d.out() * d.in()];
                for (int r = 0; r < d.out(); r++) {
                    initialWeights(d.id(), r, w, r * d.in());
                }
                weights[d.id()] = w;
                biases[d.id()] = initialBiases(d.id());
            }
        }

        /**
         * Writes the initial trained weights of one row, c_W times the streamed raw numbers.
         *
         * @param id a Dense layer's id
         * @param row output unit
         * @param dst destination of the fan-in values
         * @param off offset in dst
         */
        void initialWeights(int id, int row, double[] dst, int off) {
            LayerShapes.DenseShape d = shapes.dense(id);
            if (givenWeights != null) {
                System.arraycopy(givenWeights[id], row * d.in(), dst, off, d.in());
                return;
            }
            ParameterStreams.fillWeights(seed, id, row, 0, d.in(), dst, off);
            double c = DenseRule.trainedWeightFactor(d);
            if (c != 1) {
                for (int k = off; k < off + d.in(); k++) {
                    dst[k] *= c;
                }
            }
        }

        /**
         * @param id a Dense layer's id
         * @return its initial trained biases, c_b times the streamed raw numbers
         */
        double[] initialBiases(int id) {
            LayerShapes.DenseShape d = shapes.dense(id);
            if (givenBiases != null) {
                return givenBiases[id].clone();
            }
            double[] b = ParameterStreams.biases(seed, id, d.out());
            double c = DenseRule.trainedBiasFactor(d);
            if (c != 1) {
                for (int k = 0; k < b.length; k++) {
                    b[k] *= c;
                }
            }
            return b;
        }

        /**
         * Replaces the parameters by given trained ones, which also become the initial values
         * ({@link #initialWeights}, {@link #initialBiases}) instead of the streamed numbers.
         *
         * @param w trained weights per Dense layer id (out×in row-major; copied)
         * @param b trained biases per Dense layer id (copied)
         */
        void start(double[][] w, double[][] b) {
            givenWeights = new double[w.length][];
            givenBiases = new double[b.length][];
            for (LayerShapes.DenseShape d : shapes.denseLayers()) {
                givenWeights[d.id()] = w[d.id()].clone();
                givenBiases[d.id()] = b[d.id()].clone();
                System.arraycopy(w[d.id()], 0, weights[d.id()], 0, weights[d.id()].length);
                System.arraycopy(b[d.id()], 0, biases[d.id()], 0, biases[d.id()].length);
            }
        }

        @Override
        boolean trained() {
            return true;
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
         * @param layer id of a Dense layer
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
