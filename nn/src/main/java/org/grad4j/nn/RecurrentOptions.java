package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.DType;

/**
 * The optional settings of {@link RNN}, {@link LSTM} and {@link GRU}, with PyTorch's defaults: 1 layer, biases,
 * sequence-first ({@code [L, N, H]}), no dropout between layers, one direction, tanh (RNN), float32.
 * <pre>{@code
 * new LSTM(16, 32, RecurrentOptions.create().numLayers(2).batchFirst(true).bidirectional(true).dropout(0.2));
 * }</pre>
 */
public final class RecurrentOptions {
    int numLayers = 1;
    boolean bias = true;
    boolean batchFirst;
    double dropout;
    boolean bidirectional;
    boolean relu;
    DType dtype = DType.FLOAT32;
    RandomGenerator rng;

    private RecurrentOptions() {
    }

    /** PyTorch's defaults. */
    public static RecurrentOptions create() {
        return new RecurrentOptions();
    }

    /** Stacked layers, each reading the previous one's output sequence. */
    public RecurrentOptions numLayers(int numLayers) {
        if (numLayers <= 0) {
            throw new IllegalArgumentException("numLayers must be positive, got " + numLayers);
        }
        this.numLayers = numLayers;
        return this;
    }

    /** Whether the layers have biases ({@code bias_ih}, {@code bias_hh}). */
    public RecurrentOptions bias(boolean bias) {
        this.bias = bias;
        return this;
    }

    /** {@code [N, L, H]} inputs and outputs instead of {@code [L, N, H]} (the states stay {@code [layers, N, H]}). */
    public RecurrentOptions batchFirst(boolean batchFirst) {
        this.batchFirst = batchFirst;
        return this;
    }

    /** Dropout on each layer's output except the last, in training mode. */
    public RecurrentOptions dropout(double p) {
        Activations.checkDropoutP(p);
        this.dropout = p;
        return this;
    }

    /** A second set of layers reads the sequence backwards; outputs are concatenated ({@code 2 H} features). */
    public RecurrentOptions bidirectional(boolean bidirectional) {
        this.bidirectional = bidirectional;
        return this;
    }

    /** ReLU instead of tanh ({@link RNN} only, PyTorch's {@code nonlinearity='relu'}). */
    public RecurrentOptions relu(boolean relu) {
        this.relu = relu;
        return this;
    }

    /** The parameters' dtype. */
    public RecurrentOptions dtype(DType dtype) {
        Args.notNull(dtype, "RecurrentOptions.dtype", "dtype");
        this.dtype = dtype;
        return this;
    }

    /** The generator for initialisation and dropout. */
    public RecurrentOptions rng(RandomGenerator rng) {
        this.rng = rng;
        return this;
    }
}
