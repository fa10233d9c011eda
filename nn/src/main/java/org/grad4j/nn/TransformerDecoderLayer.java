package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.Tensor;

/**
 * One transformer decoder block, as {@code nn.TransformerDecoderLayer}: masked self-attention, attention over the
 * encoder's output ({@code memory}) and a feed-forward network, each with dropout, a residual connection and a
 * layer norm (post-norm by default). PyTorch's names: {@code self_attn}, {@code multihead_attn}, {@code linear1},
 * {@code linear2}, {@code norm1..3}. Options as {@link TransformerEncoderLayer#options()}.
 */
public class TransformerDecoderLayer extends Module {
    private final transient MultiheadAttention selfAttn;
    private final transient MultiheadAttention multiheadAttn;
    private final transient Linear linear1;
    private final transient Dropout dropout;
    private final transient Linear linear2;
    private final transient LayerNorm norm1;
    private final transient LayerNorm norm2;
    private final transient LayerNorm norm3;
    private final transient Dropout dropout1;
    private final transient Dropout dropout2;
    private final transient Dropout dropout3;
    private final boolean normFirst;
    private final boolean gelu;

    /** PyTorch's defaults. */
    public TransformerDecoderLayer(int dModel, int nhead) {
        this(dModel, nhead, TransformerEncoderLayer.options());
    }

    /** With options. */
    public TransformerDecoderLayer(int dModel, int nhead, TransformerEncoderLayer.Options o) {
        Args.notNull(o, "TransformerDecoderLayer", "o");
        RandomGenerator r = o.generator();
        selfAttn = registerModule("self_attn", o.attention(dModel, nhead));
        multiheadAttn = registerModule("multihead_attn", o.attention(dModel, nhead));
        linear1 = registerModule("linear1", new Linear(dModel, o.dimFeedforward, true, o.dtype, r));
        dropout = registerModule("dropout", new Dropout(o.dropout, r));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, dModel, true, o.dtype, r));
        norm1 = registerModule("norm1", o.norm(dModel));
        norm2 = registerModule("norm2", o.norm(dModel));
        norm3 = registerModule("norm3", o.norm(dModel));
        dropout1 = registerModule("dropout1", new Dropout(o.dropout, r));
        dropout2 = registerModule("dropout2", new Dropout(o.dropout, r));
        dropout3 = registerModule("dropout3", new Dropout(o.dropout, r));
        normFirst = o.normFirst;
        gelu = o.gelu;
    }

    /** A decoder needs the encoder's output: always throws; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor tgt) {
        Args.notNull(tgt, "TransformerDecoderLayer.forward", "tgt");
        throw new IllegalArgumentException(name() + " takes (tgt, memory): call forward(tgt, memory)");
    }

    /** {@code forward(tgt, memory)} from two inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "TransformerDecoderLayer.forward", "inputs");
        if (inputs.length != 2) {
            throw new IllegalArgumentException(name() + ".forward takes (tgt, memory), got " + inputs.length);
        }
        return forward(inputs[0], inputs[1]);
    }

    /** Without masks. */
    public Tensor forward(Tensor tgt, Tensor memory) {
        Args.notNull(tgt, "TransformerDecoderLayer.forward", "tgt");
        Args.notNull(memory, "TransformerDecoderLayer.forward", "memory");
        return forward(tgt, memory, null, null, null, null);
    }

    /**
     * With attention masks {@code tgtMask [T, T]} (e.g. {@link Functional#causalMask}) and {@code memoryMask [T, S]},
     * and key padding masks {@code [N, T]} / {@code [N, S]}, each bool (true = blocked, true = padding) or floating
     * point (added to the scores), as {@link MultiheadAttention.Mask}; any may be null.
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
            Tensor memoryKeyPaddingMask) {
        Args.notNull(tgt, "TransformerDecoderLayer.forward", "tgt");
        Args.notNull(memory, "TransformerDecoderLayer.forward", "memory");
        var self = MultiheadAttention.Mask.of(tgtKeyPaddingMask, tgtMask, false);
        var cross = MultiheadAttention.Mask.of(memoryKeyPaddingMask, memoryMask, false);
        Tensor x = tgt;
        if (normFirst) {
            Tensor h = norm1.forward(x);
            x = x.add(dropout1.forward(selfAttn.forward(h, h, h, self, false)[0]));
            x = x.add(dropout2.forward(multiheadAttn.forward(norm2.forward(x), memory, memory, cross, false)[0]));
            return x.add(feedForward(norm3.forward(x)));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, x, x, self, false)[0])));
        x = norm2.forward(x.add(dropout2.forward(multiheadAttn.forward(x, memory, memory, cross, false)[0])));
        return norm3.forward(x.add(feedForward(x)));
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = linear1.forward(x);
        h = gelu ? Activations.gelu(h) : h.relu();
        return dropout3.forward(linear2.forward(dropout.forward(h)));
    }
}
