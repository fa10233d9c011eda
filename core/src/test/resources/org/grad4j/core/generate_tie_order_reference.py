"""Generates tie-order-reference.txt: the indices PyTorch 1.13's CPU topk, kthvalue and unstable sort pick among
equal values in long rows, for TieOrderLongRowsTest.

The rows are long (1,500 to 3,000 elements) and have few distinct values, so that topk with k from 2 to 23 takes
the C++ library's heap-based partial sort with heaps of several levels (k * 64 <= n), larger k its introselect,
kthvalue its quickselect over many partitions, and sort its introsort with a final insertion sort: the paths whose
index choices among ties only these exact steps reproduce.

Run from this directory with Debian's python3-torch:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 generate_tie_order_reference.py
Each line is `name|values` (comma-separated integers: the input row's values, or the chosen indices).
"""
import torch

gen = torch.Generator().manual_seed(7)
lines = []


def put(name, t):
    lines.append(name + "|" + ",".join(str(int(v)) for v in t.reshape(-1).tolist()))


for n, levels in ((1500, 5), (3000, 9)):
    x = torch.randint(0, levels, (n,), generator=gen).to(torch.float64)
    put(f"input.{n}", x)
    for k in (2, 3, 5, 8, 13, 23, 40, 100):
        for largest in (True, False):
            for sorted_ in (True, False):
                r = torch.topk(x, k, 0, largest=largest, sorted=sorted_)
                put(f"topk.{n}.{k}.{largest}.{sorted_}", r.indices)
    for k in (1, 2, n // 3, n // 2, n - 1, n):
        put(f"kthvalue.{n}.{k}", torch.kthvalue(x, k, 0).indices)
    for descending in (True, False):
        put(f"sort.{n}.{descending}", torch.sort(x, dim=0, descending=descending, stable=False).indices)

# k * 64 == n exactly: PyTorch still takes the partial heap sort
for n, k in ((128, 2), (192, 3), (256, 4)):
    x = torch.randint(0, 3, (n,), generator=gen).to(torch.float64)
    put(f"input.{n}", x)
    for largest in (True, False):
        put(f"topk.{n}.{k}.{largest}.True", torch.topk(x, k, 0, largest=largest, sorted=True).indices)

with open("tie-order-reference.txt", "w") as f:
    f.write("# written by generate_tie_order_reference.py (PyTorch " + torch.__version__ + ")\n")
    f.write("\n".join(lines) + "\n")
