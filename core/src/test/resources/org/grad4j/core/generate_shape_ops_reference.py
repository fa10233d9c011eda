"""Generates shape-ops-reference.txt: PyTorch 1.13's values and gradients for ShapeOpsTorchReferenceTest.

Run from this directory with Debian's python3-torch:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 generate_shape_ops_reference.py
Each line is `name|shape|values` (comma-separated; values as float64 in repr precision, integers exactly). Inputs are
written too, so the Java test needs nothing else. Gradients are of sum(w * out) with the script's weights w.
"""
import warnings

import torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")
torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20261127)
lines = []


def put(name, t):
    t = torch.as_tensor(t).detach()
    shape = ",".join(str(s) for s in t.shape)
    if t.dtype.is_floating_point:
        values = ",".join(repr(float(v)) for v in t.reshape(-1).tolist())
    else:
        values = ",".join(str(int(v)) for v in t.reshape(-1).tolist())
    lines.append(f"{name}|{shape}|{values}")


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen)


def choice(values, *shape):
    pool = torch.tensor(values, dtype=torch.float64)
    return pool[torch.randint(len(values), tuple(shape), generator=gen)]


def grads(name, out, inputs, labels):
    w = randn(*out.shape)
    put(name + ".w", w)
    gs = torch.autograd.grad((out * w).sum(), inputs, allow_unused=True)
    for label, g, x in zip(labels, gs, inputs):
        put(name + ".grad." + label, torch.zeros_like(x) if g is None else g)


# ------------------------------------------------------------------------------------------------ scatter_reduce
# ties (values from a small pool, self included) for amax / amin, zeros (single and double) for prod
pools = {"sum": None, "mean": None, "prod": [0.0, 0.0, 1.0, -1.5, 2.0, 0.5], "amax": [0.0, 1.0, 2.0],
         "amin": [0.0, 1.0, 2.0]}
for reduce, pool in pools.items():
    for include_self in (True, False):
        for dim in (0, 1):
            name = f"scatterReduce.{reduce}.{include_self}.{dim}"
            index_shape = (4, 3) if dim == 0 else (2, 4)   # PyTorch's gradient needs src of the index's shape
            self_ = (randn(3, 4) if pool is None else choice(pool, 3, 4)).requires_grad_()
            src = (randn(*index_shape) if pool is None else choice(pool, *index_shape)).requires_grad_()
            index = torch.randint(self_.shape[dim], index_shape, generator=gen)
            out = self_.scatter_reduce(dim, index, src, reduce, include_self=include_self)
            put(name + ".self", self_)
            put(name + ".src", src)
            put(name + ".index", index)
            put(name + ".out", out)
            grads(name, out, (self_, src), ("self", "src"))
            ints_self = torch.randint(-20, 20, (3, 4), generator=gen)
            ints_src = torch.randint(-20, 20, (4, 5), generator=gen)
            put(name + ".int.self", ints_self)
            put(name + ".int.src", ints_src)
            put(name + ".int.out", ints_self.scatter_reduce(dim, index, ints_src, reduce, include_self=include_self))

# ------------------------------------------------------------------------------------------------ unique
u = torch.randint(-3, 4, (3, 5), generator=gen)
put("unique.in", u)
values, inverse, counts = torch.unique(u, sorted=True, return_inverse=True, return_counts=True)
put("unique.values", values)
put("unique.inverse", inverse)
put("unique.counts", counts)
rows = torch.tensor([[1, 2, 0], [0, 5, 1], [1, 2, 0], [0, 1, 9], [0, 5, 1]])
put("uniqueDim.in", rows)
for dim in (0, 1):
    values, inverse, counts = torch.unique(rows, sorted=True, return_inverse=True, return_counts=True, dim=dim)
    put(f"uniqueDim.{dim}.values", values)
    put(f"uniqueDim.{dim}.inverse", inverse)
    put(f"uniqueDim.{dim}.counts", counts)
uf = choice([-1.5, 0.0, 2.25, 7.0], 10)
put("uniqueFloat.in", uf)
values, inverse, counts = torch.unique(uf, return_inverse=True, return_counts=True)
put("uniqueFloat.values", values)
put("uniqueFloat.inverse", inverse)
put("uniqueFloat.counts", counts)

# ------------------------------------------------------------------------------------------------ searchsorted, bucketize
seq = torch.tensor([-2.0, 0.0, 0.0, 1.5, 3.0, 3.0, 3.0, 8.0])
vals = torch.tensor([[-5.0, -2.0, 0.0, 0.5], [3.0, 4.0, 8.0, 9.0]])
put("searchsorted.seq", seq)
put("searchsorted.values", vals)
put("searchsorted.left", torch.searchsorted(seq, vals))
put("searchsorted.right", torch.searchsorted(seq, vals, right=True))
perm = torch.randperm(seq.numel(), generator=gen)
shuffled = seq[perm]
sorter = torch.argsort(shuffled)
put("searchsorted.shuffled", shuffled)
put("searchsorted.sorter", sorter)
put("searchsorted.sorterLeft", torch.searchsorted(shuffled, vals, sorter=sorter))
put("searchsorted.sorterRight", torch.searchsorted(shuffled, vals, side="right", sorter=sorter))
seq2 = torch.sort(randn(2, 6), dim=1).values
vals2 = randn(2, 3)
put("searchsorted.seq2", seq2)
put("searchsorted.values2", vals2)
put("searchsorted.rows", torch.searchsorted(seq2, vals2))
iseq = torch.tensor([1, 3, 3, 5, 9], dtype=torch.int32)
ivals = torch.tensor([0, 3, 4, 9, 10])
put("searchsorted.iseq", iseq)
put("searchsorted.ivals", ivals)
put("searchsorted.ileftInt32", torch.searchsorted(iseq, ivals, out_int32=True))
put("searchsorted.iright", torch.searchsorted(iseq, ivals, right=True))
bounds = torch.tensor([1.0, 3.0, 5.0, 7.0])
bx = torch.tensor([[0.0, 1.0, 2.0], [3.0, 6.0, 7.0], [7.5, 5.0, -1.0]])
put("bucketize.bounds", bounds)
put("bucketize.x", bx)
put("bucketize.left", torch.bucketize(bx, bounds))
put("bucketize.right", torch.bucketize(bx, bounds, right=True))

# ------------------------------------------------------------------------------------------------ pad
# PyTorch 1.13 pads the last dim of a 3-d input and the last two of a 4-d one in the non-constant modes
px = randn(2, 3, 4).requires_grad_()
put("pad.x", px)
px4 = randn(1, 2, 3, 4).requires_grad_()
put("pad.x4", px4)
cases = {"constant.a": ((1, 2), "constant", 1.5), "constant.b": ((2, 1, 1, 0), "constant", 0.0),
         "constant.crop": ((-1, 2, 0, -1), "constant", -3.0), "reflect.a": ((2, 3), "reflect", None),
         "reflect.b": ((1, 2, 2, 1), "reflect", None), "replicate.a": ((3, 1), "replicate", None),
         "replicate.b": ((2, 1, 0, 3), "replicate", None), "circular.a": ((4, 2), "circular", None),
         "circular.b": ((1, 3, 3, 2), "circular", None)}
for name, (pads, mode, value) in cases.items():
    x = px if len(pads) == 2 else px4
    out = F.pad(x, pads, mode=mode, value=value) if mode == "constant" else F.pad(x, pads, mode=mode)
    put(f"pad.{name}.pads", torch.tensor(pads))
    put(f"pad.{name}.out", out)
    grads(f"pad.{name}", out, (x,), ("x",))

# ------------------------------------------------------------------------------------------------ repeat_interleave, roll
rx = randn(3, 4).requires_grad_()
put("repeatInterleave.x", rx)
reps = torch.tensor([2, 0, 3])
put("repeatInterleave.reps", reps)
out = rx.repeat_interleave(reps, dim=0)
put("repeatInterleave.tensorDim0", out)
grads("repeatInterleave.tensorDim0", out, (rx,), ("x",))
out = rx.repeat_interleave(3, dim=1)
put("repeatInterleave.intDim1", out)
grads("repeatInterleave.intDim1", out, (rx,), ("x",))
out = rx.repeat_interleave(2)
put("repeatInterleave.intFlat", out)
grads("repeatInterleave.intFlat", out, (rx,), ("x",))
reps12 = torch.randint(0, 3, (12,), generator=gen)
put("repeatInterleave.reps12", reps12)
out = rx.repeat_interleave(reps12)
put("repeatInterleave.tensorFlat", out)
grads("repeatInterleave.tensorFlat", out, (rx,), ("x",))

ro = randn(2, 3, 4).requires_grad_()
put("roll.x", ro)
out = torch.roll(ro, (1, -5), (0, 2))
put("roll.dims", out)
grads("roll.dims", out, (ro,), ("x",))
out = torch.roll(ro, 7)
put("roll.flat", out)
grads("roll.flat", out, (ro,), ("x",))
out = torch.roll(ro, (2, 1), (-1, -1))
put("roll.sameDim", out)

# ------------------------------------------------------------------------------------------------ linalg.lstsq (gelsd)
deficient = randn(5, 3)
deficient[:, 2] = 2 * deficient[:, 0]
lstsq_cases = {"tall": (randn(5, 3), randn(5, 2)), "deficient": (deficient, randn(5, 2)),
               "wide": (randn(3, 5), randn(3, 2)), "batched": (randn(2, 4, 3), randn(2, 4, 2))}
for name, (a, b) in lstsq_cases.items():
    a = a.clone().requires_grad_()
    b = b.clone().requires_grad_()
    r = torch.linalg.lstsq(a, b, driver="gelsd")
    put(f"lstsq.{name}.a", a)
    put(f"lstsq.{name}.b", b)
    put(f"lstsq.{name}.solution", r.solution)
    put(f"lstsq.{name}.residuals", r.residuals)
    put(f"lstsq.{name}.rank", r.rank)
    put(f"lstsq.{name}.singularValues", r.singular_values)
    if name != "deficient":   # the gradient of a rank-deficient solution is not continuous
        grads(f"lstsq.{name}", r.solution, (a, b), ("a", "b"))

with open("shape-ops-reference.txt", "w") as f:
    f.write(f"# generated by generate_shape_ops_reference.py with torch {torch.__version__}\n")
    f.write("\n".join(lines) + "\n")
