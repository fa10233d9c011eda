package org.grad4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.grad4j.core.Tensor;

/**
 * A stack of {@link TransformerDecoderLayer}s with an optional final layer norm, as {@code nn.TransformerDecoder}
 * (state dict names {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}).
 */
public class TransformerDecoder extends Module {
    private final List<TransformerDecoderLayer> layers;
    private final LayerNorm norm;

    /** {@code numLayers} fresh layers from {@code layer}, then {@code norm} (or null). */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, LayerNorm norm) {
        Args.notNull(layer, "TransformerDecoder", "layer");
        if (numLayers <= 0) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be positive, got " + numLayers);
        }
        List<TransformerDecoderLayer> list = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) list.add(layer.get());
        this.layers = List.copyOf(list);
        this.norm = norm;
    }

    /** A decoder needs the encoder's output: always throws; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        Args.notNull(tgt, "TransformerDecoder.forward", "tgt");
        throw new IllegalArgumentException(name() + " takes (tgt, memory): call forward(tgt, memory)");
    }

    /** {@code forward(tgt, memory)} from two inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "TransformerDecoder.forward", "inputs");
        if (inputs.length != 2) {
            throw new IllegalArgumentException(name() + ".forward takes (tgt, memory), got " + inputs.length);
        }
        return forward(inputs[0], inputs[1]);
    }

    /** Without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        Args.notNull(tgt, "TransformerDecoder.forward", "tgt");
        Args.notNull(memory, "TransformerDecoder.forward", "memory");
        return forward(tgt, memory, null, null, null, null);
    }

    /** With masks (any may be null), passed to every layer; see {@link TransformerDecoderLayer}. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
            Tensor memoryKeyPaddingMask) {
        Args.notNull(tgt, "TransformerDecoder.forward", "tgt");
        Args.notNull(memory, "TransformerDecoder.forward", "memory");
        Tensor x = tgt;
        for (TransformerDecoderLayer l : layers) {
            x = l.forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }
}
