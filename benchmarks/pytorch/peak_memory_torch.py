"""PyTorch twin of grad4j's PeakMemoryBenchmark: the 60,000 Fashion-MNIST training images as float32 in [0, 1]
([60000, 784]), the 784-256-128-10 MLP (ReLU) with Adam (lr 1e-3), cross-entropy, batches of 128 from a shuffled
order, a fixed number of steps; then the process's peak resident set (VmHWM of /proc/self/status).

Usage: python3 peak_memory_torch.py [steps] [keep]      (steps default 300; keep: zero_grad(set_to_none=False))
Run it as the README's Performance section says (OpenBLAS, one thread), e.g.
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_NUM_THREADS=1 \
      /usr/bin/python3 benchmarks/pytorch/peak_memory_torch.py 300
"""
import gzip
import os
import sys
import time

import numpy as np
import torch

DATA = os.environ.get("GRAD4J_DATA", "/usr/share/datasets/fashion-mnist")
BATCH = 128


def idx(name):
    """An IDX file (plain or gzipped) as a numpy array of its shape."""
    path = os.path.join(DATA, name)
    opener = open
    if not os.path.exists(path):
        path, opener = path + ".gz", gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def status_mb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    keep = len(sys.argv) > 2 and sys.argv[2] == "keep"
    torch.set_num_threads(1)
    torch.manual_seed(7)
    images = torch.from_numpy(idx("train-images-idx3-ubyte").astype(np.float32) / 255.0).reshape(-1, 784)
    labels = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    n = images.shape[0]
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
    order = torch.randperm(n)
    start = time.perf_counter()
    loss = float("nan")
    for step in range(steps):
        first = (step * BATCH) % (n - BATCH + 1)
        rows = order[first:first + BATCH]
        optimizer.zero_grad(set_to_none=not keep)
        out = loss_fn(model(images.index_select(0, rows)), labels.index_select(0, rows))
        out.backward()
        optimizer.step()
        loss = out.item()
    seconds = time.perf_counter() - start
    print(f"PyTorch {torch.__version__}: {steps} steps of batch {BATCH}{' (set_to_none=False)' if keep else ''} in "
          f"{seconds:.1f} s, last loss {loss:.4f}; peak RSS (VmHWM) {status_mb('VmHWM'):.0f} MB, RSS now "
          f"{status_mb('VmRSS'):.0f} MB")


if __name__ == "__main__":
    main()
