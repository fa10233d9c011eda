"""The Fashion-MNIST CNN of grad4j's FashionCnn example, in PyTorch, for the README's epoch-time comparison.

Same network, same data handling (pixels / 255, normalised with the training set's mean and std), same optimiser
(Adam, lr 1e-3), batch 64, reshuffled every epoch. Prints each epoch's training time and the test accuracy.

Run it at PyTorch's best on this 2-core machine (see the README's performance section; TORCH_THREADS sets
torch.set_num_threads, default 1; 2 torch threads with 1 OpenBLAS thread is its best mix for this network):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 \
    TORCH_THREADS=2 OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread \
    /usr/bin/python3 benchmarks/pytorch/fashion_cnn_torch.py [epochs] [data dir]
"""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5)
        self.fc1 = nn.Linear(32 * 5 * 5, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    root = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
    torch.manual_seed(0)
    xs = torch.tensor(read_idx(root + "/train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    ys = torch.tensor(read_idx(root + "/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xt = torch.tensor(read_idx(root + "/t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    yt = torch.tensor(read_idx(root + "/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    mean, std = xs.mean(), xs.std()
    xs = ((xs - mean) / std).unsqueeze(1)
    xt = ((xt - mean) / std).unsqueeze(1)
    model = FashionCnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    batch = 64
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xs))
        start = time.perf_counter()
        total = 0.0
        for i in range(0, len(xs), batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(model(xs[idx]), ys[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        schedule.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item()
                          for i in range(0, len(xt), 1000))
        print(f"epoch {epoch + 1}: loss {total / len(xs):.4f}, test accuracy {correct / len(xt):.4f}, "
              f"{seconds:.2f} s", flush=True)


if __name__ == "__main__":
    main()
