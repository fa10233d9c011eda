"""Generates ordering-reference.txt: values, indices and gradients of PyTorch 1.13's reductions, scans and ordering
ops (prod, cumsum, cumprod, logcumsumexp, norm, max/min over a dim, sort, argsort, topk, kthvalue, median, mode)
for OrderingTorchReferenceTest.

Run from this directory with Debian's python3-torch:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 generate_ordering_reference.py
Each line is `name|shape|values` (comma-separated; float64 in repr precision, indices as integers, nan/inf as
Python prints them). Inputs are written too. The inputs are full of ties and NaN on purpose: which index PyTorch
picks among equal values is what the test pins. Gradients are of sum(w * out) for the script's w; second
derivatives are d<grad, v>/dx for its v.
"""
import math
import torch

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20261127)
lines = []


def put(name, t):
    t = torch.as_tensor(t).detach().contiguous().clone()
    shape = ",".join(str(s) for s in t.shape)
    if t.dtype.is_floating_point:
        values = ",".join(repr(float(v)) for v in t.reshape(-1).tolist())
    else:
        values = ",".join(str(int(v)) for v in t.reshape(-1).tolist())
    lines.append(f"{name}|{shape}|{values}")


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen)


def ties(*shape, levels=4):
    return torch.randint(0, levels, tuple(shape), generator=gen).to(torch.float64)


def with_nan(x, count):
    flat = x.clone().reshape(-1)
    flat[torch.randperm(flat.numel(), generator=gen)[:count]] = math.nan
    return flat.reshape(x.shape)


def grads(name, f, x, second=True):
    """Gradient of sum(w * f(x)) and, if asked, d<grad, v>/dx."""
    xi = x.clone().requires_grad_(True)
    out = f(xi)
    w = randn(*out.shape)
    put(name + ".w", w)
    (g,) = torch.autograd.grad((w * out).sum(), xi, create_graph=second)
    put(name + ".grad", g)
    if second:
        v = randn(*g.shape)
        put(name + ".v", v)
        inner = (g * v).sum()
        if inner.requires_grad:
            (gg,) = torch.autograd.grad(inner, xi, allow_unused=True)
            gg = torch.zeros_like(xi) if gg is None else gg
        else:
            gg = torch.zeros_like(xi)
        put(name + ".gradgrad", gg)


# ---------------------------------------------------------------------------------------------------- inputs
inputs = {
    "small": ties(3, 7),                       # insertion-sort sizes, many ties
    "wide": ties(2, 40),                       # introsort / introselect sizes
    "long": ties(2, 70, levels=5),            # topk k=1 takes the partial heap sort (k * 64 <= n)
    "huge": ties(1, 300, levels=6),           # deep introsort recursion, heap paths
    "nan": with_nan(ties(4, 9), 7),            # NaN among ties
    "cube": randn(3, 4, 5),                    # no ties, several dims
    "nanwide": with_nan(ties(2, 45), 15),      # NaN in the introsort / introselect paths
}
inputs["int"] = ties(3, 25, levels=5).to(torch.int64) - 2
for name, x in inputs.items():
    put("in." + name, x)

# ---------------------------------------------------------------------------------------------------- ordering
for name, x in inputs.items():
    dims = [0, 1, 2] if x.dim() == 3 else [0, 1]
    for d in dims:
        tag = f"{name}.d{d}"
        for op, f in [("max", torch.max), ("min", torch.min)]:
            r = f(x, d)
            put(f"{op}.{tag}.values", r.values)
            put(f"{op}.{tag}.indices", r.indices)
        for descending in (False, True):
            for stable in (False, True):
                r = torch.sort(x, dim=d, descending=descending, stable=stable)
                put(f"sort.{tag}.{descending}.{stable}.values", r.values)
                put(f"sort.{tag}.{descending}.{stable}.indices", r.indices)
        n = x.shape[d]
        for k in sorted({1, 2, 3, n // 2, n - 1, n}):
            if k < 1 or k > n:
                continue
            for largest in (True, False):
                for sorted_ in (True, False):
                    r = torch.topk(x, k, d, largest=largest, sorted=sorted_)
                    put(f"topk.{tag}.{k}.{largest}.{sorted_}.values", r.values)
                    put(f"topk.{tag}.{k}.{largest}.{sorted_}.indices", r.indices)
            r = torch.kthvalue(x, k, d)
            put(f"kthvalue.{tag}.{k}.values", r.values)
            put(f"kthvalue.{tag}.{k}.indices", r.indices)
        r = torch.median(x, d)
        put(f"median.{tag}.values", r.values)
        put(f"median.{tag}.indices", r.indices)
        r = torch.mode(x, d)
        put(f"mode.{tag}.values", r.values)
        put(f"mode.{tag}.indices", r.indices)
    put(f"median.{name}.all", torch.median(x))

# gradients through the indices (ties included: the chosen index decides where the gradient goes)
for name in ("small", "nan", "cube"):
    x = inputs[name]
    grads(f"grad.max.{name}", lambda t: torch.max(t, 1).values, x, second=False)
    grads(f"grad.min.{name}", lambda t: torch.min(t, 0, keepdim=True).values, x, second=False)
    grads(f"grad.sort.{name}", lambda t: torch.sort(t, 1, descending=True).values, x, second=False)
    grads(f"grad.topk.{name}", lambda t: torch.topk(t, 2, 1).values, x, second=False)
    grads(f"grad.kthvalue.{name}", lambda t: torch.kthvalue(t, 2, 1).values, x, second=False)
    grads(f"grad.median.{name}", lambda t: torch.median(t, 1).values, x, second=False)
    grads(f"grad.mode.{name}", lambda t: torch.mode(t, 1).values, x, second=False)
    grads(f"grad.medianall.{name}", lambda t: torch.median(t), x, second=False)
    grads(f"grad.amax.{name}", lambda t: torch.amax(t, 1), x, second=False)

# ---------------------------------------------------------------------------------------------------- scans, prod
scan_inputs = {
    "plain": randn(3, 5),
    "zero1": torch.tensor([[1.5, -2.0, 0.0, 3.0, 0.5], [0.7, 1.1, -0.4, 2.0, -1.3], [0.0, 2.0, -1.5, 0.8, 1.2]]),
    "zero2": torch.tensor([[1.5, 0.0, -2.0, 0.0, 3.0], [0.0, 0.0, 1.0, 2.0, 1.0], [0.9, -1.2, 0.0, 1.3, 0.0]]),
}
for name, x in scan_inputs.items():
    put("scan." + name, x)
    for d in (0, 1):
        put(f"cumsum.{name}.d{d}", torch.cumsum(x, d))
        put(f"cumprod.{name}.d{d}", torch.cumprod(x, d))
        put(f"logcumsumexp.{name}.d{d}", torch.logcumsumexp(x, d))
        put(f"prod.{name}.d{d}", torch.prod(x, d))
        grads(f"grad.cumsum.{name}.d{d}", lambda t: torch.cumsum(t, d).pow(2), x)
        grads(f"grad.cumprod.{name}.d{d}", lambda t: torch.cumprod(t, d), x)
        grads(f"grad.logcumsumexp.{name}.d{d}", lambda t: torch.logcumsumexp(t, d), x)
        grads(f"grad.prod.{name}.d{d}", lambda t: torch.prod(t, d), x)
    put(f"prod.{name}.all", torch.prod(x))
    grads(f"grad.prod.{name}.all", lambda t: torch.prod(t), x)
extreme = torch.tensor([-1000.0, 0.0, 1000.0, -math.inf, 3.0, math.nan, 1.0])
put("scan.extreme", extreme)
put("logcumsumexp.extreme", torch.logcumsumexp(extreme, 0))
ints = torch.tensor([[3, -2, 0, 7], [1, 5, -4, 2]])
put("scan.int", ints)
put("cumsum.int.d1", torch.cumsum(ints, 1))
put("cumprod.int.d1", torch.cumprod(ints, 1))
put("prod.int.d0", torch.prod(ints, 0))

# ---------------------------------------------------------------------------------------------------- norm
nx = randn(3, 4)
nx[1, 2] = 0.0
put("norm.x", nx)
zero_row = torch.zeros(2, 3)
zero_row[1] = torch.tensor([0.5, -1.0, 2.0])
put("norm.zrow", zero_row)
for p_name, p in [("1", 1), ("2", 2), ("3", 3), ("0.5", 0.5), ("1.5", 1.5), ("-1", -1), ("inf", math.inf),
                  ("-inf", -math.inf), ("0", 0)]:
    put(f"norm.{p_name}.all", torch.norm(nx, p))
    put(f"norm.{p_name}.d1", torch.norm(nx, p, dim=1))
    put(f"norm.{p_name}.d0k", torch.norm(nx, p, dim=0, keepdim=True))
    if p != 0:  # PyTorch gives p = 0 no gradient at all (grad4j: zeros)
        grads(f"grad.norm.{p_name}.d1", lambda t: torch.norm(t, p, dim=1), nx)
        grads(f"grad.norm.{p_name}.zrow", lambda t: torch.norm(t, p, dim=1), zero_row, second=False)
put("norm.fro.d01", torch.norm(nx, "fro", dim=(0, 1)))

with open("ordering-reference.txt", "w") as out:
    out.write(f"# generated by generate_ordering_reference.py with torch {torch.__version__}\n")
    out.write("\n".join(lines) + "\n")
print(len(lines), "lines")
