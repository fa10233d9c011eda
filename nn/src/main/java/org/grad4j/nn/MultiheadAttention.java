package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Multi-head attention, as {@code nn.MultiheadAttention}: queries, keys and values are projected, split into
 * {@code numHeads} heads of size {@code embedDim / numHeads}, attended ({@link Functional#scaledDotProductAttention})
 * and projected back by {@code out_proj}. PyTorch's parameters and names: {@code in_proj_weight [3E, E]},
 * {@code in_proj_bias [3E]}, or, when the key or value size differs from {@code embedDim},
 * {@code q_proj_weight [E, E]}, {@code k_proj_weight [E, kdim]}, {@code v_proj_weight [E, vdim]}; and
 * {@code out_proj.weight}, {@code out_proj.bias}; with {@code addBiasKv}, {@code bias_k} and {@code bias_v} {@code [1, 1, E]}
 * (Xavier-normal), a learnt key and value appended to the projected keys and values; with {@code addZeroAttn}, a key
 * and value of zeros appended to each head (masks are extended to let both be attended, as PyTorch). Initialisation as
 * PyTorch: Xavier-uniform projections, zero biases.
 * <pre>{@code
 * var mha = new MultiheadAttention(64, 8, MultiheadAttention.options().batchFirst(true));
 * Tensor y = mha.forward(x, x, x);                                    // self-attention, x [N, L, 64]
 * Tensor[] yw = mha.forward(q, k, v, Mask.of(keyPadding, null, false));   // output and head-averaged weights
 * }</pre>
 * Inputs are {@code [L, N, E]} ({@code [N, L, E]} when batch-first) or unbatched {@code [L, E]}.
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final int kdim;
    private final int vdim;
    private final double dropout;
    private final boolean batchFirst;
    private final boolean addZeroAttn;
    private final transient Tensor inProjWeight;
    private final transient Tensor qProjWeight;
    private final transient Tensor kProjWeight;
    private final transient Tensor vProjWeight;
    private final transient Tensor inProjBias;
    private final transient Tensor biasK;
    private final transient Tensor biasV;
    private final transient Linear outProj;
    private final transient RandomGenerator rng;

    /** Options with PyTorch's defaults: no dropout, biases, key and value size = embedDim, sequence-first, float32. */
    public static Options options() {
        return new Options();
    }

    /** The optional settings of {@link MultiheadAttention}. */
    public static final class Options {
        double dropout;
        boolean bias = true;
        int kdim = -1;
        int vdim = -1;
        boolean batchFirst;
        boolean addBiasKv;
        boolean addZeroAttn;
        DType dtype = DType.FLOAT32;
        RandomGenerator rng;

        private Options() {
        }

        /** Dropout on the attention weights in training mode. */
        public Options dropout(double p) {
            Activations.checkDropoutP(p);
            this.dropout = p;
            return this;
        }

        /** Whether the projections have biases. */
        public Options bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Size of the keys' features (default embedDim). */
        public Options kdim(int kdim) {
            this.kdim = kdim;
            return this;
        }

        /** Size of the values' features (default embedDim). */
        public Options vdim(int vdim) {
            this.vdim = vdim;
            return this;
        }

        /** Inputs and outputs as {@code [N, L, E]} instead of {@code [L, N, E]}. */
        public Options batchFirst(boolean batchFirst) {
            this.batchFirst = batchFirst;
            return this;
        }

        /** Learnt {@code bias_k} and {@code bias_v} appended to the keys and values ({@code add_bias_kv}). */
        public Options addBiasKv(boolean addBiasKv) {
            this.addBiasKv = addBiasKv;
            return this;
        }

        /** A key and value of zeros appended to each head's keys and values ({@code add_zero_attn}). */
        public Options addZeroAttn(boolean addZeroAttn) {
            this.addZeroAttn = addZeroAttn;
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
    }

    /**
     * The masks of one call, each optional (null), as PyTorch's: {@code keyPadding [N, S]} and {@code attn [L, S]}
     * or {@code [N * heads, L, S]} are bool masks, true where a key must not be attended (padding, or a blocked
     * query-key pair), or floating-point masks added to the attention scores (0 to keep, -infinity to block);
     * uint8 masks count as bool, as PyTorch's deprecated byte masks. {@code causal} blocks the keys after each query.
     *
     * @param keyPadding {@code [N, S]}, bool (true = padding) or floating point (added), or null
     * @param attn       {@code [L, S]} or {@code [N * heads, L, S]}, bool (true = blocked) or floating point (added), or
     *                   null
     * @param causal     whether each query may only attend to keys at or before its position
     */
    public record Mask(Tensor keyPadding, Tensor attn, boolean causal) {
        /** A mask set. */
        public static Mask of(Tensor keyPadding, Tensor attn, boolean causal) {
            return new Mask(keyPadding, attn, causal);
        }

        /** No masks. */
        public static final Mask NONE = new Mask(null, null, false);
    }

    /** PyTorch's defaults. */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, options());
    }

    /** With options. */
    public MultiheadAttention(int embedDim, int numHeads, Options o) {
        Args.notNull(o, "MultiheadAttention", "o");
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim (" + embedDim + ") must be divisible by"
                    + " numHeads (" + numHeads + "), both positive");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.kdim = o.kdim > 0 ? o.kdim : embedDim;
        this.vdim = o.vdim > 0 ? o.vdim : embedDim;
        this.dropout = o.dropout;
        this.batchFirst = o.batchFirst;
        this.addZeroAttn = o.addZeroAttn;
        this.rng = o.rng;
        RandomGenerator r = o.rng == null ? Init.generator() : o.rng;
        boolean packed = kdim == embedDim && vdim == embedDim;
        if (packed) {
            inProjWeight = registerParameter("in_proj_weight",
                    Init.xavierUniform(Tensor.zeros(o.dtype, 3 * embedDim, embedDim), 1, r).requiresGrad(true));
            qProjWeight = null;
            kProjWeight = null;
            vProjWeight = null;
        } else {
            inProjWeight = null;
            qProjWeight = registerParameter("q_proj_weight",
                    Init.xavierUniform(Tensor.zeros(o.dtype, embedDim, embedDim), 1, r).requiresGrad(true));
            kProjWeight = registerParameter("k_proj_weight",
                    Init.xavierUniform(Tensor.zeros(o.dtype, embedDim, kdim), 1, r).requiresGrad(true));
            vProjWeight = registerParameter("v_proj_weight",
                    Init.xavierUniform(Tensor.zeros(o.dtype, embedDim, vdim), 1, r).requiresGrad(true));
        }
        inProjBias = o.bias ? registerParameter("in_proj_bias", Tensor.zeros(o.dtype, 3 * embedDim)
                .requiresGrad(true)) : null;
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, o.bias, o.dtype, r));
        if (o.bias) {
            try (var off = org.grad4j.core.Grad.disabled()) {
                outProj.bias().zero();
            }
        }
        // PyTorch's order: initialised after the projections, registered before out_proj in its state dict
        biasK = o.addBiasKv ? registerParameter("bias_k",
                Init.xavierNormal(Tensor.zeros(o.dtype, 1, 1, embedDim), 1, r).requiresGrad(true)) : null;
        biasV = o.addBiasKv ? registerParameter("bias_v",
                Init.xavierNormal(Tensor.zeros(o.dtype, 1, 1, embedDim), 1, r).requiresGrad(true)) : null;
    }

    /** Self- or cross-attention without masks; returns the output only. */
    public Tensor forward(Tensor query, Tensor key, Tensor value) {
        Args.notNull(query, "MultiheadAttention.forward", "query");
        Args.notNull(key, "MultiheadAttention.forward", "key");
        Args.notNull(value, "MultiheadAttention.forward", "value");
        return forward(query, key, value, Mask.NONE, false)[0];
    }

    /** Needs query, key and value: {@code forward(x)} is self-attention {@code forward(x, x, x)}. */
    @Override
    public Tensor forward(Tensor x) {
        Args.notNull(x, "MultiheadAttention.forward", "x");
        return forward(x, x, x);
    }

    /** {@code forward(query, key, value)} from three inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "MultiheadAttention.forward", "inputs");
        if (inputs.length != 3) {
            throw new IllegalArgumentException(name() + ".forward takes (query, key, value), got " + inputs.length
                    + " tensors");
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }

    /**
     * Attention with masks: {@code {output, weights}}; the weights are {@code [N, L, S]} averaged over heads (or
     * {@code [N, heads, L, S]} when {@code averageWeights} is false), null unless {@code needWeights}.
     */
    public Tensor[] forward(Tensor query, Tensor key, Tensor value, Mask mask, boolean needWeights) {
        Args.notNull(query, "MultiheadAttention.forward", "query");
        Args.notNull(key, "MultiheadAttention.forward", "key");
        Args.notNull(value, "MultiheadAttention.forward", "value");
        return forward(query, key, value, mask, needWeights, true);
    }

    /** As {@link #forward(Tensor, Tensor, Tensor, Mask, boolean)}, choosing whether weights are averaged over heads. */
    public Tensor[] forward(Tensor query, Tensor key, Tensor value, Mask mask, boolean needWeights,
            boolean averageWeights) {
        Args.notNull(query, "MultiheadAttention.forward", "query");
        Args.notNull(key, "MultiheadAttention.forward", "key");
        Args.notNull(value, "MultiheadAttention.forward", "value");
        if (mask == null) {
            mask = Mask.NONE;
        }
        boolean unbatched = query.dim() == 2;
        if (!unbatched && query.dim() != 3) {
            throw new IllegalArgumentException(name() + ": expects 3-d query, key and value (or 2-d unbatched), got "
                    + Arrays.toString(query.shape()));
        }
        Tensor q = unbatched ? query.unsqueeze(0) : batchFirst ? query : query.transpose(0, 1);
        Tensor k = unbatched ? key.unsqueeze(0) : batchFirst ? key : key.transpose(0, 1);
        Tensor v = unbatched ? value.unsqueeze(0) : batchFirst ? value : value.transpose(0, 1);
        check("query", q, embedDim);
        check("key", k, kdim);
        check("value", v, vdim);
        int n = q.size(0);
        int l = q.size(1);
        int s = k.size(1);
        if (v.size(1) != s || k.size(0) != n || v.size(0) != n) {
            throw new IllegalArgumentException(name() + ": key and value must have the same batch and length, and"
                    + " the query's batch; got query " + Arrays.toString(query.shape()) + ", key "
                    + Arrays.toString(key.shape()) + ", value " + Arrays.toString(value.shape()));
        }
        Tensor wq;
        Tensor wk;
        Tensor wv;
        if (inProjWeight != null) {
            wq = inProjWeight.narrow(0, 0, embedDim);
            wk = inProjWeight.narrow(0, embedDim, embedDim);
            wv = inProjWeight.narrow(0, 2 * embedDim, embedDim);
        } else {
            wq = qProjWeight;
            wk = kProjWeight;
            wv = vProjWeight;
        }
        int head = embedDim / numHeads;
        Tensor qp = project(q, wq, 0);
        Tensor kp = project(k, wk, 1);
        Tensor vp = project(v, wv, 2);
        int keys = s;
        if (biasK != null) {
            kp = Tensor.concat(1, kp, biasK.expand(n, 1, embedDim));
            vp = Tensor.concat(1, vp, biasV.expand(n, 1, embedDim));
            keys++;
        }
        // [N, T, E] -> [N, heads, T, head]
        qp = qp.reshape(n, l, numHeads, head).transpose(1, 2);
        kp = kp.reshape(n, keys, numHeads, head).transpose(1, 2);
        vp = vp.reshape(n, keys, numHeads, head).transpose(1, 2);
        if (addZeroAttn) {
            Tensor zeros = Tensor.zeros(kp.dtype(), n, numHeads, 1, head);
            kp = Tensor.concat(2, kp, zeros);
            vp = Tensor.concat(2, vp, zeros);
            keys++;
        }
        Tensor additive = null;
        if (mask.attn() != null) {
            Tensor a = additive("attn", mask.attn(), q.dtype());
            additive = a.dim() == 3 ? a.reshape(n, numHeads, l, s) : a;
        }
        if (mask.keyPadding() != null) {
            Tensor kpm = mask.keyPadding();
            if (unbatched && kpm.dim() == 1) kpm = kpm.unsqueeze(0);
            if (kpm.dim() != 2 || kpm.size(0) != n || kpm.size(1) != s) {
                throw new IllegalArgumentException(name() + ": keyPadding mask must be [N, S] = [" + n + ", " + s
                        + "], got " + Arrays.toString(mask.keyPadding().shape()));
            }
            Tensor pad = additive("keyPadding", kpm, q.dtype()).reshape(n, 1, 1, s);
            additive = additive == null ? pad : additive.add(pad);
        }
        if (additive != null && keys > s) {
            // the appended keys are attended by every query: the masks are extended with zeros
            int[] extra = additive.shape();
            extra[extra.length - 1] = keys - s;
            additive = Tensor.concat(additive.dim() - 1, additive, Tensor.zeros(additive.dtype(), extra));
        }
        Tensor[] r = Functional.attention(qp, kp, vp, additive, isTraining() ? dropout : 0, mask.causal(),
                rng == null ? Init.generator() : rng);
        Tensor out = r[0].transpose(1, 2).reshape(n, l, embedDim);
        out = outProj.forward(out);
        Tensor weights = null;
        if (needWeights) {
            weights = averageWeights ? r[1].mean(1) : r[1];
            if (unbatched) weights = weights.squeeze(0);
        }
        out = unbatched ? out.squeeze(0) : batchFirst ? out : out.transpose(0, 1);
        return new Tensor[] {out, weights};
    }

    /** A mask as scores to add: bool (or uint8) true = blocked becomes -infinity; floating point is added as is. */
    private Tensor additive(String what, Tensor m, DType dtype) {
        if (m.dtype() == DType.BOOL || m.dtype() == DType.UINT8) {
            return Functional.maskFill(m, dtype);
        }
        return Functional.additiveMask(name(), what + " mask", m, dtype);
    }

    private Tensor project(Tensor x, Tensor w, int part) {
        Tensor y = x.matmul(w.t());
        return inProjBias == null ? y : y.add(inProjBias.narrow(0, part * embedDim, embedDim));
    }

    private void check(String what, Tensor t, int size) {
        if (t.size(-1) != size) {
            throw new IllegalArgumentException(name() + ": " + what + " must have " + size + " features in its last"
                    + " dim, got shape " + Arrays.toString(t.shape()));
        }
    }

    /** The learnt key appended to the keys, {@code bias_k [1, 1, E]}, or null without {@code addBiasKv}. */
    public Tensor biasK() {
        return biasK;
    }

    /** The learnt value appended to the values, {@code bias_v [1, 1, E]}, or null without {@code addBiasKv}. */
    public Tensor biasV() {
        return biasV;
    }

    /** The output projection ({@code out_proj}). */
    public Linear outProj() {
        return outProj;
    }

    @Override
    protected String extraRepr() {
        return "embedDim=" + embedDim + ", numHeads=" + numHeads + (kdim != embedDim ? ", kdim=" + kdim : "")
                + (vdim != embedDim ? ", vdim=" + vdim : "") + ", dropout=" + dropout + ", batchFirst=" + batchFirst
                + (biasK != null ? ", addBiasKv=true" : "") + (addZeroAttn ? ", addZeroAttn=true" : "");
    }
}
