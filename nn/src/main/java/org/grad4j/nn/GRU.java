package org.grad4j.nn;

/**
 * A gated recurrent unit network, as {@code nn.GRU}: reset, update and new gates, {@code h_t = (1 - z) n + z h_{t-1}}.
 * Multi-layer, batch-first, bidirectional and initial states through {@link RecurrentOptions} and
 * {@link Recurrent#forward(org.grad4j.core.Tensor, org.grad4j.core.Tensor, org.grad4j.core.Tensor)}; PyTorch's
 * parameter names and initialisation, so its state dict loads as is.
 * <pre>{@code
 * var rnn = new GRU(8, 16, RecurrentOptions.create().numLayers(2).batchFirst(true));
 * Recurrent.Result r = rnn.forward(x, null, null);    // x [N, L, 8]: r.output() [N, L, 16], r.h() [2, N, 16]
 * }</pre>
 */
public class GRU extends Recurrent {
    /** One layer with PyTorch's defaults. */
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentOptions.create());
    }

    /** With options. */
    public GRU(int inputSize, int hiddenSize, RecurrentOptions options) {
        super(Kind.GRU, inputSize, hiddenSize, options);
    }
}
