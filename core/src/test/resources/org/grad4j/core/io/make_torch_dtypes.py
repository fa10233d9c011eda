"""Writes torch_dtypes.safetensors from real PyTorch 1.13 tensors of every dtype grad4j reads (int64 token ids, a
0-d int64 num_batches_tracked as BatchNorm keeps it, a bool mask, int32, uint8, and float16 / bfloat16 converted by
torch from float32 values chosen at the awkward spots: subnormals, overflow, infinities, NaN, signed zero and
round-to-even ties), and torch_dtypes_expected.txt with what torch holds, for TorchDtypesInteropTest.
Run with PyTorch 1.13 (Debian python3-torch): python3 make_torch_dtypes.py
The file is written by the safetensors layout (8-byte little-endian header length, JSON header, raw data) because
Debian ships no `safetensors` package; the bytes of every tensor are torch's own."""
import json
import struct

import torch

SOURCE = torch.tensor([
    0.0, -0.0, 1.0, -2.5, 1.0 / 3.0, 65504.0, 65520.0, 70000.0, 1e-7, 6e-8, 5.960464477539063e-08,
    2.98e-08, 1.0009765625, 1.00048828125, 1.00146484375, 3.4e38, 1e-40, 1.00390625, 1.005859375,
    float("inf"), float("-inf"), float("nan")], dtype=torch.float32)

tensors = {
    "token_ids": torch.tensor([[0, 1, 2 ** 53 + 1], [-1, 2 ** 63 - 1, -2 ** 63]], dtype=torch.int64),
    "num_batches_tracked": torch.tensor(1234567, dtype=torch.int64),
    "mask": torch.tensor([[True, False, True], [False, False, True]]),
    "counts": torch.tensor([-2 ** 31, -1, 0, 2 ** 31 - 1], dtype=torch.int32),
    "pixels": torch.tensor([0, 1, 127, 128, 255], dtype=torch.uint8),
    "half": SOURCE.half(),
    "bhalf": SOURCE.bfloat16(),
}
DTYPES = {torch.int64: "I64", torch.bool: "BOOL", torch.int32: "I32", torch.uint8: "U8", torch.float16: "F16",
          torch.bfloat16: "BF16"}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().tobytes()   # little-endian on this machine, as the format requires


header, blobs, offset = {}, [], 0
for name, t in tensors.items():
    data = raw_bytes(t)
    header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
encoded = json.dumps(header, separators=(",", ":")).encode()
encoded += b" " * (-len(encoded) % 8)
with open("torch_dtypes.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def float_bits(t):
    return [str(b & 0xFFFFFFFF) for b in t.float().view(torch.int32).tolist()]


with open("torch_dtypes_expected.txt", "w") as f:
    f.write("# name: values as torch holds them (floats as float32 bit patterns, unsigned)\n")
    for name in ("token_ids", "num_batches_tracked", "mask", "counts", "pixels"):
        f.write(name + ": " + " ".join(str(int(v)) for v in tensors[name].flatten().tolist()) + "\n")
    f.write("source: " + " ".join(float_bits(SOURCE)) + "\n")
    f.write("half: " + " ".join(float_bits(tensors["half"])) + "\n")
    f.write("bhalf: " + " ".join(float_bits(tensors["bhalf"])) + "\n")
    f.write("half_bits: " + " ".join(str(b & 0xFFFF) for b in tensors["half"].view(torch.int16).tolist()) + "\n")
    f.write("bhalf_bits: " + " ".join(str(b & 0xFFFF) for b in tensors["bhalf"].view(torch.int16).tolist()) + "\n")
