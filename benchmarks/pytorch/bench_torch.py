"""PyTorch twins of grad4j's JMH benchmarks (MlpTrainingStepBenchmark, OpOverheadBenchmark, GemmBenchmark): the
same cases, shapes and steps, timed call by call; prints the median and the mean of each in microseconds, one
tab-separated line per case (the case names are the JMH benchmark names, so benchmarks/compare.sh can pair them).

Usage: python3 bench_torch.py [--torch-threads N] [--seconds S] [--only SUBSTRING ...]

Run it at PyTorch's best settings on this machine (see the README's Performance section; compare.sh does all this):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread   OpenBLAS instead of the reference BLAS
  unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE                      OpenBLAS picks its AVX-512 kernels
  MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824   no page faults per step
  1 core:  taskset -c 1, OPENBLAS_NUM_THREADS=1, --torch-threads 1
  2 cores: OPENBLAS_NUM_THREADS=2, --torch-threads 1 (PyTorch's best 2-core mix here)
"""
import argparse
import math
import os
import statistics
import sys
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--torch-threads", type=int, default=1)
parser.add_argument("--seconds", type=float, default=3.0, help="measured time per case (after as long a warm-up)")
parser.add_argument("--only", nargs="*", default=None, help="run only the cases whose name contains one of these")
parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="cpu: this thread's CPU time, for comparisons on a loaded machine (1 BLAS thread only)")
args = parser.parse_args()

torch.set_num_threads(args.torch_threads)
for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    if var in os.environ:
        print(f"# warning: {var} is set; OpenBLAS will not use its best kernels", file=sys.stderr)
print(f"# torch {torch.__version__}, torch threads {torch.get_num_threads()}, "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
      f"affinity {sorted(os.sched_getaffinity(0))}", file=sys.stderr)


def wanted(name):
    return args.only is None or any(s in name for s in args.only)


def measure(name, fn, seconds=None):
    """Warm up, then time single calls for `seconds`; print the median and the mean in microseconds."""
    if not wanted(name):
        return
    seconds = args.seconds if seconds is None else seconds
    end = time.perf_counter() + max(1.0, seconds / 2)
    while time.perf_counter() < end:
        fn()
    samples = []
    clock = time.perf_counter_ns if args.clock == "wall" else time.thread_time_ns
    end = time.perf_counter() + seconds
    while True:
        t0 = clock()
        fn()
        samples.append(clock() - t0)
        if len(samples) >= 10 and time.perf_counter() > end:
            break
    median = statistics.median(samples) / 1e3
    mean = statistics.fmean(samples) / 1e3
    print(f"{name}\t{median:.4f}\t{mean:.4f}\t{len(samples)}", flush=True)


# --- MlpTrainingStepBenchmark.trainingStep: 784-256-128-10, ReLU, CrossEntropyLoss, Adam(lr=1e-3) ---
LAYERS = (784, 256, 128, 10)
for batch, set_to_none in [(b, none) for b in (32, 128, 512) for none in (True, False)]:
    # set_to_none=False: the twin of trainingStepKeepingGrads (gradients zeroed in place, buffers kept)
    case = "trainingStep" if set_to_none else "trainingStepKeepingGrads"
    name = f"MlpTrainingStepBenchmark.{case} batch={batch}"
    if not wanted(name):
        continue
    torch.manual_seed(7)
    model = torch.nn.Sequential(
        torch.nn.Linear(LAYERS[0], LAYERS[1]), torch.nn.ReLU(),
        torch.nn.Linear(LAYERS[1], LAYERS[2]), torch.nn.ReLU(),
        torch.nn.Linear(LAYERS[2], LAYERS[3]))
    loss_fn = torch.nn.CrossEntropyLoss()
    # foreach=True: PyTorch's multi-tensor Adam, its fastest on the CPU (fused=True is CUDA-only in 1.13)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
    x = torch.rand(batch, LAYERS[0])
    labels = torch.randint(0, LAYERS[3], (batch,))

    def step():
        optimizer.zero_grad(set_to_none=set_to_none)
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    measure(name, step)

# --- OpOverheadBenchmark ---
a = torch.tensor([0.5], requires_grad=True)
b = torch.tensor([-1.25], requires_grad=True)
c = torch.tensor([2.0], requires_grad=True)


def mul_add_sum_backward():
    a.grad = b.grad = c.grad = None
    (a * b + c).sum().backward()
    return a.grad


measure("OpOverheadBenchmark.mulAddSumBackward", mul_add_sum_backward)

torch.manual_seed(7)
mlp = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                          torch.nn.Linear(16, 1))
mlp_params = list(mlp.parameters())
sample = torch.tensor([[0.3, -0.7]])


def linear_mlp_forward_backward():
    for p in mlp_params:
        p.grad = None
    mlp(sample).sum().backward()
    return mlp_params[0].grad


measure("OpOverheadBenchmark.linearMlpForwardBackward", linear_mlp_forward_backward)

SCALAR_OPS = 640


def scalar_graph(z, w, bias):
    """64 blocks of 10 ops: t = relu(z * w + bias); z = tanh(-(t / (t * t * 0.1 + 1) - z)), as in grad4j's."""
    for _ in range(SCALAR_OPS // 10):
        t = (z * w + bias).relu()
        s = t * t * 0.1 + 1.0
        z = (-(t / s - z)).tanh()
    return z


x0 = torch.tensor(0.25, requires_grad=True)
w = torch.tensor(0.9, requires_grad=True)
bias = torch.tensor(0.1, requires_grad=True)


def scalar_graph_640():
    x0.grad = w.grad = bias.grad = None
    scalar_graph(x0, w, bias).backward()
    return w.grad


measure("OpOverheadBenchmark.scalarGraph640", scalar_graph_640)


class Scalar:
    """A minimal pure-Python scalar autodiff value (micrograd's design), the yardstick for the per-node cost."""
    __slots__ = ("data", "grad", "_parents", "_backward")

    def __init__(self, data, parents=()):
        self.data = data
        self.grad = 0.0
        self._parents = parents
        self._backward = None

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data * other.data, (self, other))

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = backward
        return out

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data + other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = backward
        return out

    def __sub__(self, other):
        out = Scalar(self.data - other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = backward
        return out

    def __truediv__(self, other):
        out = Scalar(self.data / other.data, (self, other))

        def backward():
            self.grad += out.grad / other.data
            other.grad -= out.grad * self.data / (other.data * other.data)
        out._backward = backward
        return out

    def __neg__(self):
        out = Scalar(-self.data, (self,))

        def backward():
            self.grad -= out.grad
        out._backward = backward
        return out

    def relu(self):
        out = Scalar(self.data if self.data > 0 else 0.0, (self,))

        def backward():
            self.grad += out.grad if out.data > 0 else 0.0
        out._backward = backward
        return out

    def tanh(self):
        out = Scalar(math.tanh(self.data), (self,))

        def backward():
            self.grad += (1 - out.data * out.data) * out.grad
        out._backward = backward
        return out

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node._parents)
        self.grad = 1.0
        for node in reversed(order):
            if node._backward is not None:
                node._backward()


def scalar_graph_640_pure_python():
    z, wp, bp = Scalar(0.25), Scalar(0.9), Scalar(0.1)
    scalar_graph(z, wp, bp).backward()
    return wp.grad


measure("OpOverheadBenchmark.scalarGraph640 in pure-Python scalar autodiff", scalar_graph_640_pure_python)

# --- GemmBenchmark: C = A B and C = A B^T, n x n ---
with torch.no_grad():
    for size in (64, 256, 512, 1024, 2048):
        for dtype_name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
            for bench, transposed in (("matmul", False), ("matmulTransposedRight", True)):
                name = f"GemmBenchmark.{bench} dtype={dtype_name} size={size}"
                if not wanted(name):
                    continue
                ga = torch.randn(size, size, dtype=dtype)
                gb = torch.randn(size, size, dtype=dtype)
                if transposed:
                    gb = gb.t()
                measure(name, lambda: ga @ gb)
