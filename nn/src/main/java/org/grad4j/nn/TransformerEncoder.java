package org.grad4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.grad4j.core.Tensor;

/**
 * A stack of {@link TransformerEncoderLayer}s with an optional final layer norm, as {@code nn.TransformerEncoder}
 * (state dict names {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}).
 * <pre>{@code
 * var encoder = new TransformerEncoder(() -> new TransformerEncoderLayer(64, 4, options), 2, null);
 * }</pre>
 */
public class TransformerEncoder extends Module {
    private final List<TransformerEncoderLayer> layers;
    private final LayerNorm norm;

    /** {@code numLayers} layers, each a fresh one from {@code layer} (PyTorch deep-copies one; here each is new). */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) {
        Args.notNull(layer, "TransformerEncoder", "layer");
        if (numLayers <= 0) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be positive, got " + numLayers);
        }
        List<TransformerEncoderLayer> list = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) list.add(layer.get());
        this.layers = List.copyOf(list);
        this.norm = norm;
    }

    @Override
    public Tensor forward(Tensor src) {
        Args.notNull(src, "TransformerEncoder.forward", "src");
        return forward(src, null, null);
    }

    /** With an additive attention mask and a key padding mask (either may be null), passed to every layer. */
    public Tensor forward(Tensor src, Tensor mask, Tensor keyPaddingMask) {
        Args.notNull(src, "TransformerEncoder.forward", "src");
        Tensor x = src;
        for (TransformerEncoderLayer l : layers) x = l.forward(x, mask, keyPaddingMask);
        return norm == null ? x : norm.forward(x);
    }

    /** The layers, in order. */
    public List<TransformerEncoderLayer> layers() {
        return layers;
    }
}
