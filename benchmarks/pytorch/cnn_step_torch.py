"""One training step of the FashionCnn network (batch 64, random 28x28 inputs) in PyTorch: the twin of grad4j's
CnnTrainingStepBenchmark. Prints the median wall time and the median CPU time (process_time) per step over the
measured steps, after warm-up; CPU time is the fairer figure when the machine is shared.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 \
    OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread \
    /usr/bin/python3 benchmarks/pytorch/cnn_step_torch.py [steps] [warm-up steps]
TORCH_THREADS (default 1) sets torch.set_num_threads. PyTorch's best on 2 cores for this network is TORCH_THREADS=2
with OPENBLAS_NUM_THREADS=1 (its convolutions run on its own thread pool, not on OpenBLAS).
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from fashion_cnn_torch import FashionCnn

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "1")))
torch.manual_seed(7)
model = FashionCnn()
x = torch.randn(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
opt = torch.optim.SGD(model.parameters(), lr=0.01)


def step():
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()


steps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
warm_up = int(sys.argv[2]) if len(sys.argv) > 2 else 20
for _ in range(warm_up):
    step()
wall, cpu = [], []
for _ in range(steps):
    w, c = time.perf_counter(), time.process_time()
    step()
    wall.append(time.perf_counter() - w)
    cpu.append(time.process_time() - c)
print(f"median per step: wall {statistics.median(wall) * 1e3:.2f} ms, cpu {statistics.median(cpu) * 1e3:.2f} ms")
