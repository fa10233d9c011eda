"""Writes torch_mlp.safetensors from a real torch.nn.Sequential and prints its forward output, for
TorchCheckpointInteropTest. Run with PyTorch 1.13 (Debian python3-torch): python3 make_torch_checkpoint.py
The file is written by the safetensors layout (8-byte little-endian header length, JSON header, raw data) because
Debian ships no `safetensors` package; state_dict names and tensor layouts are torch's own."""
import json
import struct

import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)).double()
x = torch.linspace(-1, 1, 8, dtype=torch.float64).reshape(2, 4)
with torch.no_grad():
    y = model(x)

header, blobs, offset = {}, [], 0
for name, tensor in model.state_dict().items():
    data = tensor.contiguous().numpy().astype('<f8').tobytes()
    header[name] = {"dtype": "F64", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
encoded = json.dumps(header, separators=(",", ":")).encode()
encoded += b" " * (-len(encoded) % 8)
with open("torch_mlp.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))
print([repr(v) for v in y.flatten().tolist()])
