package org.grad4j.nn;

import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * One transformer encoder block, as {@code nn.TransformerEncoderLayer}: self-attention and a two-layer feed-forward
 * network, each with dropout, a residual connection and a layer norm (after the residual by default, before the
 * sublayer with {@code normFirst}). PyTorch's submodule names ({@code self_attn}, {@code linear1}, {@code linear2},
 * {@code norm1}, {@code norm2}), so its state dict loads as is.
 * <pre>{@code
 * var layer = new TransformerEncoderLayer(64, 4, TransformerEncoderLayer.options().dimFeedforward(256)
 *         .batchFirst(true).normFirst(true));
 * Tensor y = layer.forward(x, Functional.causalMask(len, len, DType.FLOAT32), null);   // x [N, len, 64]
 * }</pre>
 */
public class TransformerEncoderLayer extends Module {
    private final transient MultiheadAttention selfAttn;
    private final transient Linear linear1;
    private final transient Dropout dropout;
    private final transient Linear linear2;
    private final transient LayerNorm norm1;
    private final transient LayerNorm norm2;
    private final transient Dropout dropout1;
    private final transient Dropout dropout2;
    private final boolean normFirst;
    private final boolean gelu;

    /** The optional settings of the encoder and decoder layers, with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    /** Settings: feed-forward size 2048, dropout 0.1, ReLU, eps 1e-5, sequence-first, post-norm, float32. */
    public static final class Options {
        int dimFeedforward = 2048;
        double dropout = 0.1;
        boolean gelu;
        double layerNormEps = 1e-5;
        boolean batchFirst;
        boolean normFirst;
        DType dtype = DType.FLOAT32;
        RandomGenerator rng;

        private Options() {
        }

        /** Hidden size of the feed-forward network. */
        public Options dimFeedforward(int size) {
            this.dimFeedforward = size;
            return this;
        }

        /** Dropout probability (training mode only). */
        public Options dropout(double p) {
            Activations.checkDropoutP(p);
            this.dropout = p;
            return this;
        }

        /** GELU instead of ReLU in the feed-forward network. */
        public Options gelu(boolean gelu) {
            this.gelu = gelu;
            return this;
        }

        /** The layer norms' eps. */
        public Options layerNormEps(double eps) {
            this.layerNormEps = eps;
            return this;
        }

        /** {@code [N, L, E]} inputs instead of {@code [L, N, E]}. */
        public Options batchFirst(boolean batchFirst) {
            this.batchFirst = batchFirst;
            return this;
        }

        /** Layer norm before each sublayer (pre-norm) instead of after the residual. */
        public Options normFirst(boolean normFirst) {
            this.normFirst = normFirst;
            return this;
        }

        /** The parameters' dtype. */
        public Options dtype(DType dtype) {
            this.dtype = dtype;
            return this;
        }

        /** The generator for initialisation and dropout. */
        public Options rng(RandomGenerator rng) {
            this.rng = rng;
            return this;
        }

        RandomGenerator generator() {
            return rng == null ? Init.generator() : rng;
        }

        MultiheadAttention attention(int dModel, int nhead) {
            return new MultiheadAttention(dModel, nhead, MultiheadAttention.options().dropout(dropout)
                    .batchFirst(batchFirst).dtype(dtype).rng(generator()));
        }

        LayerNorm norm(int dModel) {
            return new LayerNorm(new int[] {dModel}, layerNormEps, true, true, dtype);
        }
    }

    /** PyTorch's defaults. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, options());
    }

    /** With options. */
    public TransformerEncoderLayer(int dModel, int nhead, Options o) {
        Args.notNull(o, "TransformerEncoderLayer", "o");
        RandomGenerator r = o.generator();
        selfAttn = registerModule("self_attn", o.attention(dModel, nhead));
        linear1 = registerModule("linear1", new Linear(dModel, o.dimFeedforward, true, o.dtype, r));
        dropout = registerModule("dropout", new Dropout(o.dropout, r));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward, dModel, true, o.dtype, r));
        norm1 = registerModule("norm1", o.norm(dModel));
        norm2 = registerModule("norm2", o.norm(dModel));
        dropout1 = registerModule("dropout1", new Dropout(o.dropout, r));
        dropout2 = registerModule("dropout2", new Dropout(o.dropout, r));
        normFirst = o.normFirst;
        gelu = o.gelu;
    }

    @Override
    public Tensor forward(Tensor src) {
        Args.notNull(src, "TransformerEncoderLayer.forward", "src");
        return forward(src, null, null);
    }

    /**
     * With an attention mask {@code [L, L]} (floating point, added to the scores, e.g. {@link Functional#causalMask},
     * or bool, true = blocked) and a key padding mask {@code [N, L]} (bool, true = padding, or floating point, added),
     * either may be null; as {@link MultiheadAttention.Mask}.
     */
    public Tensor forward(Tensor src, Tensor mask, Tensor keyPaddingMask) {
        Args.notNull(src, "TransformerEncoderLayer.forward", "src");
        MultiheadAttention.Mask m = MultiheadAttention.Mask.of(keyPaddingMask, mask, false);
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttention(norm1.forward(x), m));
            return x.add(feedForward(norm2.forward(x)));
        }
        x = norm1.forward(x.add(selfAttention(x, m)));
        return norm2.forward(x.add(feedForward(x)));
    }

    private Tensor selfAttention(Tensor x, MultiheadAttention.Mask m) {
        return dropout1.forward(selfAttn.forward(x, x, x, m, false)[0]);
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = linear1.forward(x);
        h = gelu ? Activations.gelu(h) : h.relu();
        return dropout2.forward(linear2.forward(dropout.forward(h)));
    }
}
