"""PyTorch CPU timings matching grad4j's JMH benchmarks (GemmBenchmark, MlpTrainingStepBenchmark), for the README's
comparison. Usage: python3 bench_torch.py [threads]. Best and median of 7 repeats of a timeit loop (us per op).
Debian's python3-torch links the reference BLAS; for a representative PyTorch, run with OpenBLAS:
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench_torch.py 2"""
import sys, timeit, statistics
import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)

def report(name, fn, number):
    for _ in range(3):
        fn()
    times = [t / number * 1e6 for t in timeit.repeat(fn, number=number, repeat=7)]
    print(f"{name:42s} best {min(times):10.1f} us   median {statistics.median(times):10.1f} us")

with torch.no_grad():
    for size in (64, 256, 512, 1024):
        a = torch.randn(size, size)
        b = torch.randn(size, size)
        bt = torch.randn(size, size).t()
        number = max(3, int(2e8 / size ** 3))
        report(f"matmul {size}", lambda: a @ b, number)
        report(f"matmulTransposedRight {size}", lambda: a @ bt, number)

BATCH = 64
for layers in ("784-128-10", "64-32-10"):
    n_in, hidden, n_out = map(int, layers.split("-"))
    g = torch.Generator().manual_seed(7)
    x = torch.rand(BATCH, n_in, generator=g)
    labels = torch.randint(0, n_out, (BATCH, 1), generator=g)
    w1 = (torch.randn(hidden, n_in, generator=g) / n_in ** 0.5).requires_grad_()
    b1 = torch.zeros(hidden, requires_grad=True)
    w2 = (torch.randn(n_out, hidden, generator=g) / hidden ** 0.5).requires_grad_()
    b2 = torch.zeros(n_out, requires_grad=True)
    params = (w1, b1, w2, b2)

    def step():
        logits = (x @ w1.t() + b1).relu() @ w2.t() + b2
        loss = -logits.log_softmax(1).gather(1, labels).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.add_(p.grad, alpha=-0.01)
                p.grad = None
        return loss.item()

    report(f"mlp training step {layers}", step, 200)
