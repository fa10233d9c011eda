"""Writes attention_*.safetensors for TorchAttentionInteropTest: float64 state dicts of real torch.nn attention and
transformer modules (in eval mode, so dropout is off) under "model.<name>", inputs, masks (float additive, bool padding: true = blocked) and
PyTorch 1.13's outputs. Run in this directory: /usr/bin/python3 make_torch_attention.py"""
import torch
import torch.nn as nn

from make_torch_layers import write

torch.manual_seed(2)
torch.set_default_dtype(torch.float64)


def randomize(model):
    with torch.no_grad():
        for p in model.parameters():
            p.uniform_(-0.5, 0.5)
    return model.eval()


def state(model):
    return {"model." + k: v.clone() for k, v in model.state_dict().items()}


causal = torch.triu(torch.full((5, 5), float("-inf")), diagonal=1)

mha = randomize(nn.MultiheadAttention(8, 2, batch_first=True))
x = torch.randn(2, 5, 8)
pad = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]], dtype=torch.bool)
with torch.no_grad():
    y, w = mha(x, x, x, key_padding_mask=pad, attn_mask=causal)
write("attention_mha_self", {**state(mha), "x": x, "pad": pad, "mask": causal, "y": y, "w": w})

mha2 = randomize(nn.MultiheadAttention(8, 2, kdim=6, vdim=4))
q, k, v = torch.randn(3, 2, 8), torch.randn(5, 2, 6), torch.randn(5, 2, 4)
with torch.no_grad():
    y2, w2 = mha2(q, k, v, average_attn_weights=False)
write("attention_mha_kv", {**state(mha2), "q": q, "k": k, "v": v, "y": y2, "w": w2})

layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)
encoder = randomize(nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8)))
with torch.no_grad():
    ye = encoder(x, mask=causal)
write("attention_encoder", {**state(encoder), "x": x, "mask": causal, "y": ye})

pre = randomize(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, activation="gelu", norm_first=True))
xs = torch.randn(5, 2, 8)
with torch.no_grad():
    yp = pre(xs, src_key_padding_mask=pad)
write("attention_encoder_prenorm", {**state(pre), "x": xs, "pad": pad, "y": yp})

dlayer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, batch_first=True)
decoder = randomize(nn.TransformerDecoder(dlayer, 2))
tgt = torch.randn(2, 4, 8)
with torch.no_grad():
    yd = decoder(tgt, x, tgt_mask=causal[:4, :4], memory_key_padding_mask=pad)
write("attention_decoder", {**state(decoder), "tgt": tgt, "memory": x, "mask": causal[:4, :4], "pad": pad,
                            "y": yd})

# added later; after the cases above, so that their random numbers (and files) stay the same
mha3 = randomize(nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True, batch_first=True))
with torch.no_grad():
    y3, w3 = mha3(x, x, x, key_padding_mask=pad, attn_mask=causal)
write("attention_mha_bias_kv_zero_attn", {**state(mha3), "x": x, "pad": pad, "mask": causal, "y": y3, "w": w3})

mha4 = randomize(nn.MultiheadAttention(8, 2, add_bias_kv=True))
q4, kv4 = torch.randn(3, 2, 8), torch.randn(5, 2, 8)
with torch.no_grad():
    y4, w4 = mha4(q4, kv4, kv4)
write("attention_mha_bias_kv", {**state(mha4), "q": q4, "kv": kv4, "y": y4, "w": w4})
