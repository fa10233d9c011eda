package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;


import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-head attention and the transformer layers against real PyTorch 1.13 modules: state dicts (strictly loaded,
 * so names and shapes are PyTorch's), inputs, masks and outputs from {@code layers/make_torch_attention.py}.
 */
class TorchAttentionInteropTest {
    private static final double TOL = 1e-12;

    @TempDir
    Path dir;

    private Map<String, Tensor> read(String name) throws Exception {
        Path file = dir.resolve(name + ".safetensors");
        try (InputStream in = getClass().getResourceAsStream("layers/" + name + ".safetensors")) {
            Files.copy(in, file);
        }
        return StateDicts.load(file).tensors();
    }

    private static void load(Module m, Map<String, Tensor> t) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        t.forEach((k, v) -> {
            if (k.startsWith("model.")) state.put(k.substring(6), v);
        });
        m.loadStateDict(state);
        m.eval();
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), TOL);
    }

    private static TransformerEncoderLayer.Options small(boolean batchFirst) {
        return TransformerEncoderLayer.options().dimFeedforward(16).batchFirst(batchFirst).dtype(DType.FLOAT64);
    }

    @Test
    void selfAttentionWithPaddingAndCausalMasks() throws Exception {
        Map<String, Tensor> t = read("attention_mha_self");
        var mha = new MultiheadAttention(8, 2, MultiheadAttention.options().batchFirst(true).dtype(DType.FLOAT64));
        load(mha, t);
        Tensor x = t.get("x");
        Tensor[] r = mha.forward(x, x, x, MultiheadAttention.Mask.of(t.get("pad"), t.get("mask"), false), true);
        assertSame(t.get("y"), r[0]);
        assertSame(t.get("w"), r[1]);
        Tensor[] causal = mha.forward(x, x, x, MultiheadAttention.Mask.of(t.get("pad"), null, true), false);
        assertSame(t.get("y"), causal[0]);
        // the key padding mask is bool, as torch's (true = padding); a bool attention mask (true = blocked) and
        // float padding (-infinity = blocked) give the same as the float causal mask and bool padding
        assertEquals(DType.BOOL, t.get("pad").dtype());
        Tensor blocked = t.get("mask").lt(0);
        Tensor floatPad = Functional.maskFill(t.get("pad"), DType.FLOAT64);
        Tensor[] swapped = mha.forward(x, x, x, MultiheadAttention.Mask.of(floatPad, blocked, false), true);
        assertSame(t.get("y"), swapped[0]);
        assertSame(t.get("w"), swapped[1]);
        assertThrows(DTypeMismatchException.class, () -> mha.forward(x, x, x,
                MultiheadAttention.Mask.of(t.get("pad").to(DType.INT64), null, false), false));
    }

    @Test
    void crossAttentionWithOtherKeyAndValueSizes() throws Exception {
        Map<String, Tensor> t = read("attention_mha_kv");
        var mha = new MultiheadAttention(8, 2, MultiheadAttention.options().kdim(6).vdim(4).dtype(DType.FLOAT64));
        load(mha, t);
        Tensor[] r = mha.forward(t.get("q"), t.get("k"), t.get("v"), MultiheadAttention.Mask.NONE, true, false);
        assertSame(t.get("y"), r[0]);
        assertSame(t.get("w"), r[1]);
    }

    @Test
    void learntKeyValueBiasAndZeroAttention() throws Exception {
        Map<String, Tensor> t = read("attention_mha_bias_kv_zero_attn");
        var mha = new MultiheadAttention(8, 2, MultiheadAttention.options().batchFirst(true).addBiasKv(true)
                .addZeroAttn(true).dtype(DType.FLOAT64));
        load(mha, t);
        assertArrayEquals(new int[] {1, 1, 8}, mha.biasK().shape());
        Tensor x = t.get("x");
        Tensor[] r = mha.forward(x, x, x, MultiheadAttention.Mask.of(t.get("pad"), t.get("mask"), false), true);
        assertSame(t.get("y"), r[0]);
        assertSame(t.get("w"), r[1]);     // [N, L, S + 2]: the learnt key and the zero key are attended too
        Map<String, Tensor> u = read("attention_mha_bias_kv");
        var seqFirst = new MultiheadAttention(8, 2, MultiheadAttention.options().addBiasKv(true)
                .dtype(DType.FLOAT64));
        load(seqFirst, u);
        Tensor[] r2 = seqFirst.forward(u.get("q"), u.get("kv"), u.get("kv"), MultiheadAttention.Mask.NONE, true);
        assertSame(u.get("y"), r2[0]);
        assertSame(u.get("w"), r2[1]);
    }

    @Test
    void encoderStackWithFinalNorm() throws Exception {
        Map<String, Tensor> t = read("attention_encoder");
        var encoder = new TransformerEncoder(() -> new TransformerEncoderLayer(8, 2, small(true)), 2,
                new LayerNorm(new int[] {8}, 1e-5, true, true, DType.FLOAT64));
        load(encoder, t);
        assertSame(t.get("y"), encoder.forward(t.get("x"), t.get("mask"), null));
    }

    @Test
    void preNormGeluEncoderLayerWithPadding() throws Exception {
        Map<String, Tensor> t = read("attention_encoder_prenorm");
        var layer = new TransformerEncoderLayer(8, 2, small(false).normFirst(true).gelu(true));
        load(layer, t);
        assertSame(t.get("y"), layer.forward(t.get("x"), null, t.get("pad")));
    }

    @Test
    void decoderStack() throws Exception {
        Map<String, Tensor> t = read("attention_decoder");
        var decoder = new TransformerDecoder(() -> new TransformerDecoderLayer(8, 2, small(true)), 2, null);
        load(decoder, t);
        assertSame(t.get("y"), decoder.forward(t.get("tgt"), t.get("memory"), t.get("mask"), null, null,
                t.get("pad")));
    }
}
