"""Writes one safetensors file per case for TorchLayersInteropTest: the float64 state dict of a real torch.nn layer
under "model.<name>" (BatchNorm's num_batches_tracked as the int64 scalar it is), its inputs "x..." and torch's
outputs "y..." (max-pooling indices as the int64 "i..." torch returns).
Run with PyTorch 1.13 (Debian python3-torch), in this directory: /usr/bin/python3 make_torch_layers.py
The safetensors layout is written by hand because Debian ships no `safetensors` package."""
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


# torch dtype -> (safetensors dtype, little-endian numpy type); floating point is written as float64
DTYPES = {torch.float64: ("F64", "<f8"), torch.int64: ("I64", "<i8"), torch.bool: ("BOOL", "u1")}


def write(name, tensors):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous()
        if t.is_floating_point():
            t = t.to(torch.float64)
        code, numpy_type = DTYPES[t.dtype]
        data = t.numpy().astype(numpy_type).tobytes()
        header[key] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(name + ".safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def state(model):
    return {"model." + k: v.clone() for k, v in model.state_dict().items()}


def layer_case(name, model, *shape):
    x = torch.randn(*shape)
    with torch.no_grad():
        y = model(x)
    write(name, {**state(model), "x": x, "y": y})


def main():
    layer_case("conv2d_stride_padding", nn.Conv2d(3, 4, 3, stride=2, padding=1), 2, 3, 7, 6)
    layer_case("conv2d_groups_dilation", nn.Conv2d(4, 6, (3, 2), padding=(1, 0), dilation=(2, 1), groups=2, bias=False),
               2, 4, 8, 5)
    layer_case("conv2d_depthwise_reflect", nn.Conv2d(3, 3, 3, padding=1, groups=3, padding_mode="reflect"), 2, 3, 5, 6)
    layer_case("conv2d_same_replicate", nn.Conv2d(2, 3, 4, padding="same", padding_mode="replicate"), 1, 2, 6, 5)
    layer_case("conv2d_same_dilated", nn.Conv2d(2, 3, 4, padding="same", dilation=2), 1, 2, 9, 8)
    layer_case("conv2d_circular", nn.Conv2d(2, 2, 3, padding=2, padding_mode="circular"), 1, 2, 5, 4)
    layer_case("conv1d_stride_dilation", nn.Conv1d(3, 5, 3, stride=2, padding=2, dilation=2), 2, 3, 11)
    layer_case("conv1d_same_circular", nn.Conv1d(2, 4, 3, padding="same", padding_mode="circular"), 2, 2, 7)
    layer_case("conv_transpose2d", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
               2, 4, 4, 3)

    x = torch.randn(2, 3, 9, 8)
    mp, mpi = F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, return_indices=True)
    dp, dpi = F.max_pool2d(x, 2, stride=1, dilation=2, return_indices=True)
    amp, ampi = F.adaptive_max_pool2d(x, (4, 3), return_indices=True)
    x1 = torch.randn(2, 3, 10)
    mp1, mp1i = F.max_pool1d(x1, 3, stride=2, padding=1, return_indices=True)
    write("pooling", {
        "x": x, "x1": x1,
        "y.maxPool2d": mp, "i.maxPool2d": mpi, "y.maxPool2dDilated": dp, "i.maxPool2dDilated": dpi,
        "y.avgPool2d": F.avg_pool2d(x, 3, stride=2, padding=1),
        "y.avgPool2dExcludePad": F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False),
        "y.adaptiveAvgPool2d": F.adaptive_avg_pool2d(x, (4, 3)),
        "y.adaptiveMaxPool2d": amp, "i.adaptiveMaxPool2d": ampi,
        "y.maxPool1d": mp1, "i.maxPool1d": mp1i,
        "y.avgPool1d": F.avg_pool1d(x1, 4, stride=3, padding=2),
    })


    def batch_norm_case(name, model, *shape):
        with torch.no_grad():
            model.weight.uniform_(0.5, 1.5)
            model.bias.uniform_(-0.5, 0.5)
        initial = state(model)
        xs = [torch.randn(*shape) * 2 + 1 for _ in range(3)]
        model.train()
        with torch.no_grad():
            y0 = model(xs[0])
            y1 = model(xs[1])
        trained = {"trained." + k[len("model."):]: v.clone() for k, v in state(model).items()}
        model.eval()
        with torch.no_grad():
            y2 = model(xs[2])
        write(name, {**initial, **trained, "x0": xs[0], "x1": xs[1], "x2": xs[2], "y0": y0, "y1": y1, "y2": y2})


    batch_norm_case("batch_norm2d", nn.BatchNorm2d(3, momentum=0.2), 4, 3, 3, 2)
    batch_norm_case("batch_norm1d", nn.BatchNorm1d(4), 5, 4, 3)


    def affine_case(name, model, *shape):
        with torch.no_grad():
            for p in model.parameters():
                p.uniform_(-1, 1)
        layer_case(name, model, *shape)


    affine_case("layer_norm", nn.LayerNorm([3, 4]), 2, 5, 3, 4)
    affine_case("group_norm", nn.GroupNorm(2, 4), 3, 4, 5)


    class SmallCnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)
            self.fc = nn.Linear(4 * 3 * 3, 3)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
            return self.fc(x.flatten(1))


    cnn = SmallCnn().eval()
    with torch.no_grad():
        cnn.bn.running_mean.uniform_(-0.2, 0.2)
        cnn.bn.running_var.uniform_(0.5, 1.5)
    layer_case("small_cnn", cnn, 2, 1, 6, 7)

    # added later; after the cases above, so that their random numbers (and files) stay the same
    xc = torch.randn(2, 3, 9, 8)
    xc1 = torch.randn(2, 3, 10)
    write("pooling_ceil", {
        "x": xc, "x1": xc1,
        "y.avgPool2dCeil": F.avg_pool2d(xc, 3, stride=2, padding=1, ceil_mode=True),
        "y.avgPool2dCeilExcludePad": F.avg_pool2d(xc, 3, stride=2, padding=1, ceil_mode=True,
                                                  count_include_pad=False),
        "y.avgPool2dCeilNoPadding": F.avg_pool2d(xc, (2, 3), stride=(2, 2), ceil_mode=True),
        "y.avgPool1dCeil": F.avg_pool1d(xc1, 4, stride=3, padding=1, ceil_mode=True, count_include_pad=False),
    })
    batch_norm_case("batch_norm2d_cumulative", nn.BatchNorm2d(3, momentum=None), 4, 3, 3, 2)
    layer_case("conv_transpose1d", nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2,
                                                      dilation=2), 2, 4, 5)
    bag = nn.EmbeddingBag(6, 3, mode="max")
    bag_input = torch.tensor([0, 2, 4, 1, 5, 5, 3])
    bag_offsets = torch.tensor([0, 3, 3, 5])
    bag_2d = torch.tensor([[0, 1, 2], [5, 3, 3]])
    weighted = nn.EmbeddingBag(6, 3, mode="sum")
    weighted.load_state_dict(bag.state_dict())
    psw = torch.randn(7)
    with torch.no_grad():
        write("embedding_bag", {**state(bag), "input": bag_input, "offsets": bag_offsets, "input2d": bag_2d,
                                "y.max": bag(bag_input, bag_offsets), "y.max2d": bag(bag_2d),
                                "psw": psw, "y.sumWeighted": weighted(bag_input, bag_offsets, per_sample_weights=psw)})


if __name__ == "__main__":
    main()
