package org.grad4j.nn;

/**
 * An Elman recurrent network, as {@code nn.RNN}: {@code h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)} (or ReLU).
 * Multi-layer, batch-first, bidirectional and initial states through {@link RecurrentOptions} and
 * {@link Recurrent#forward(org.grad4j.core.Tensor, org.grad4j.core.Tensor, org.grad4j.core.Tensor)}; PyTorch's
 * parameter names and initialisation, so its state dict loads as is.
 * <pre>{@code
 * var rnn = new RNN(8, 16, RecurrentOptions.create().numLayers(2).batchFirst(true));
 * Recurrent.Result r = rnn.forward(x, null, null);    // x [N, L, 8]: r.output() [N, L, 16], r.h() [2, N, 16]
 * }</pre>
 */
public class RNN extends Recurrent {
    /** One layer with PyTorch's defaults. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.create());
    }

    /** With options. */
    public RNN(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(Kind.RNN, inputSize, hiddenSize, options);
    }
}
