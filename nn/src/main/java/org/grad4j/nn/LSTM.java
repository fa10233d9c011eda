package org.grad4j.nn;

/**
 * A long short-term memory network, as {@code nn.LSTM}: input, forget, cell and output gates; {@link #forward(Tensor, Tensor, Tensor)} takes and returns the hidden and cell states.
 * Multi-layer, batch-first, bidirectional and initial states through {@link RecurrentOptions} and
 * {@link Recurrent#forward(org.grad4j.core.Tensor, org.grad4j.core.Tensor, org.grad4j.core.Tensor)}; PyTorch's
 * parameter names and initialisation, so its state dict loads as is.
 * <pre>{@code
 * var rnn = new LSTM(8, 16, RecurrentOptions.create().numLayers(2).batchFirst(true));
 * Recurrent.Result r = rnn.forward(x, null, null);    // x [N, L, 8]: r.output() [N, L, 16], r.h() [2, N, 16]
 * }</pre>
 */
public class LSTM extends Recurrent {
    /** One layer with PyTorch's defaults. */
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.create());
    }

    /** With options. */
    public LSTM(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(Kind.LSTM, inputSize, hiddenSize, options);
    }
}
