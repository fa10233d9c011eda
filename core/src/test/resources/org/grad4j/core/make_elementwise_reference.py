"""Generates elementwise-reference.txt: values (float64 and float32), gradients and second derivatives (float64)
of PyTorch 1.13's element-wise functions, for ElementwiseTorchReferenceTest.

Run from this directory with Debian's python3-torch:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 make_elementwise_reference.py
Each line is `name|shape|values` (comma-separated; values as float64 reprs, NaN/Infinity/-Infinity spelled as
Java's Double.parseDouble reads them). For each case `c`: its float64 inputs `c.in<i>`, its outputs `c.out.f64`
and `c.out.f32` (the inputs rounded to float32 first, as `.float()`), and, where the case is differentiable, the
gradients `c.grad<i>` of `sum(w * out)` for the weights `c.w`, and the second derivatives `c.gradgrad<i>` of
`sum_i <grad_i, v_i>` for the directions `c.v<i>`. Binary and ternary cases broadcast a column against a row
(against a third axis), so every pair of awkward values meets.
"""
import math

import mpmath
import torch

gen = torch.Generator().manual_seed(20261127)
lines = []
NAN, INF = math.nan, math.inf

# Awkward values for the unary functions: NaN, infinities, signed zeros, subnormal and huge values, halves (for
# round half to even), domain edges of asin/acos/atanh/acosh/log, and values just inside and outside them.
UNARY = [NAN, INF, -INF, 0.0, -0.0, 5e-324, 1e-300, -1e-300, 1e-8, -1e-8, 0.1, -0.1, 0.25, 0.49999999999999994,
         0.5, -0.5, 0.75, 0.9999999, -0.9999999, 1.0, -1.0, 1.0000001, 1.5, -1.5, 2.0, 2.5, -2.5, 3.0, 3.5, 7.3,
         -7.3, 10.0, -10.0, 88.5, 100.0, 710.0, -745.0, 1024.0, 1e10, 1e300, -1e300]
# Pairs for the binary functions: every value against every value.
BINARY = [NAN, INF, -INF, 0.0, -0.0, 1e-300, 0.5, 1.0, -1.0, 2.5, -2.5, 3.0, -7.5, 1e300]
# Smooth points, inside each function's domain, for gradients of gradients.
SMOOTH = [-2.2, -1.3, -0.6, -0.15, 0.2, 0.45, 0.9, 1.7, 2.6]
UNIT = [-0.9, -0.55, -0.2, 0.05, 0.35, 0.7, 0.85]
ABOVE_ONE = [1.05, 1.3, 2.0, 3.7, 9.0]
POSITIVE = [0.05, 0.3, 0.9, 1.6, 4.0, 250.0]


def fmt(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def put(name, t):
    t = torch.as_tensor(t).detach().to(torch.float64).contiguous()
    shape = ",".join(str(s) for s in t.shape)
    values = ",".join(fmt(float(v)) for v in t.reshape(-1).tolist())
    lines.append(f"{name}|{shape}|{values}")


def randn(shape):
    return torch.randn(tuple(shape), generator=gen, dtype=torch.float64)


def exact(mp_f, inputs, fallback):
    """mp_f of each (broadcast) input tuple with 200-bit mpmath, rounded to double; fallback's value (PyTorch's) where
    an input is not finite (or, for atan2, -0.0), or the result is not real (IEEE conventions, which mpmath does not
    know)."""
    mpmath.mp.prec = 200
    cols = torch.broadcast_tensors(*inputs)
    flat = [c.reshape(-1).tolist() for c in cols]
    fb = fallback.reshape(-1).tolist()
    out = []
    for k in range(len(fb)):
        args = [row[k] for row in flat]
        negative_zero = any(math.copysign(1, a) < 0 and a == 0 for a in args)
        if not all(math.isfinite(a) for a in args) or (negative_zero and mp_f is mpmath.atan2):
            out.append(fb[k])
            continue
        try:
            v = mp_f(*[mpmath.mpf(a) for a in args])
        except (ValueError, ZeroDivisionError):
            out.append(fb[k])
            continue
        out.append(float(v) if isinstance(v, mpmath.mpf) else math.nan)
    return torch.tensor(out, dtype=torch.float64).reshape(fallback.shape)


def case(name, f, inputs, grad=True, second=True, f32=True, mp_f=None):
    """inputs: float64 tensors (broadcastable); mp_f: the function in mpmath, for correctly rounded references."""
    for i, x in enumerate(inputs):
        put(f"{name}.in{i}", x)
    put(f"{name}.out.f64", f(*inputs))
    if f32:
        put(f"{name}.out.f32", f(*[x.float() for x in inputs]))
    if mp_f is not None:
        put(f"{name}.exact.f64", exact(mp_f, inputs, f(*inputs)))
        inputs32 = [x.float().double() for x in inputs]
        put(f"{name}.exact.f32", exact(mp_f, inputs32, f(*inputs32)).float())
    if not grad:
        return
    ins = [x.clone().requires_grad_(True) for x in inputs]
    out = f(*ins)
    w = randn(out.shape)
    put(f"{name}.w", w)
    grads = torch.autograd.grad((w * out).sum(), ins, create_graph=second)
    for i, g in enumerate(grads):
        put(f"{name}.grad{i}", g)
    if not second:
        return
    vs = [randn(g.shape) for g in grads]
    inner = sum((g * v).sum() for g, v in zip(grads, vs))
    # A rule that does not depend on the inputs (lerp with a constant weight) has zero second derivatives.
    gg = torch.autograd.grad(inner, ins, allow_unused=True) if inner.requires_grad else [None] * len(ins)
    for i, (v, g2) in enumerate(zip(vs, gg)):
        put(f"{name}.v{i}", v)
        put(f"{name}.gradgrad{i}", torch.zeros_like(ins[i]) if g2 is None else g2)


def t(values):
    return torch.tensor(values, dtype=torch.float64)


def column(values):
    return t(values).reshape(-1, 1)


def row(values):
    return t(values).reshape(1, -1)


# ------------------------------------------------------------------------------------------------ unary
unary = {
    "tan": torch.tan, "asin": torch.asin, "acos": torch.acos, "atan": torch.atan, "sinh": torch.sinh,
    "cosh": torch.cosh, "asinh": torch.asinh, "acosh": torch.acosh, "atanh": torch.atanh, "log2": torch.log2,
    "log10": torch.log10, "exp2": torch.exp2,
}
smooth_domain = {"asin": UNIT, "acos": UNIT, "atanh": UNIT, "acosh": ABOVE_ONE, "log2": POSITIVE,
                 "log10": POSITIVE}
mp = mpmath
exact_unary = {
    "tan": mp.tan, "asin": mp.asin, "acos": mp.acos, "atan": mp.atan, "sinh": mp.sinh, "cosh": mp.cosh,
    "asinh": mp.asinh, "acosh": mp.acosh, "atanh": mp.atanh, "log2": lambda x: mp.log(x, 2),
    "log10": mp.log10, "exp2": lambda x: mp.mpf(2) ** x,
}
for name, f in unary.items():
    case(name, f, [t(UNARY)], second=False, mp_f=exact_unary[name])
    case(name + ".smooth", f, [t(smooth_domain.get(name, SMOOTH))])

# Piecewise constant: zero gradients (PyTorch has no second derivative for them: its zeros carry no graph).
for name, f in {"floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "trunc": torch.trunc}.items():
    case(name, f, [t(UNARY)], second=False)
for d in (0, 1, 2, 3, -1, -2):
    case(f"round.d{d}".replace("-", "m"), lambda x, d=d: torch.round(x, decimals=d),
         [t(UNARY + [1.25, 2.675, 0.125, -0.375, 1234.5, 1250.0, 1350.0, -1450.0])], second=False)
case("frac", torch.frac, [t(UNARY)], second=False)
case("nanToNum", torch.nan_to_num, [t(UNARY)], second=False)
case("nanToNum.custom", lambda x: torch.nan_to_num(x, nan=1.5, posinf=1e300, neginf=None), [t(UNARY)],
     second=False)
case("nanToNum.all", lambda x: torch.nan_to_num(x, nan=-2.0, posinf=7.0, neginf=-8.0), [t(UNARY)], second=False)
for name, f in {"isNan": torch.isnan, "isInf": torch.isinf, "isFinite": torch.isfinite, "isPosInf": torch.isposinf,
                "isNegInf": torch.isneginf}.items():
    case(name, lambda x, f=f: f(x).to(torch.float64), [t(UNARY)], grad=False)

# ------------------------------------------------------------------------------------------------ binary
binary = {"atan2": torch.atan2, "fmod": torch.fmod, "logAddExp": torch.logaddexp, "logAddExp2": torch.logaddexp2,
          "hypot": torch.hypot}
exact_binary = {"atan2": mp.atan2, "logAddExp": lambda a, b: mp.log(mp.exp(a) + mp.exp(b)),
                "logAddExp2": lambda a, b: mp.log(mp.mpf(2) ** a + mp.mpf(2) ** b, 2), "hypot": mp.hypot}
for name, f in binary.items():
    case(name, f, [column(BINARY), row(BINARY)], second=False, mp_f=exact_binary.get(name))
SMOOTH_B = [-2.1, -0.7, 0.4, 1.3, 2.9]
case("atan2.smooth", torch.atan2, [column(SMOOTH), row(SMOOTH_B)], mp_f=exact_binary["atan2"])
case("logAddExp.smooth", torch.logaddexp, [column(SMOOTH), row(SMOOTH_B)], mp_f=exact_binary["logAddExp"])
case("logAddExp2.smooth", torch.logaddexp2, [column(SMOOTH), row(SMOOTH_B)], mp_f=exact_binary["logAddExp2"])
case("hypot.smooth", torch.hypot, [column(SMOOTH), row(SMOOTH_B)], mp_f=exact_binary["hypot"])
case("fmod.smooth", torch.fmod, [column([-5.3, -2.2, -0.6, 0.15, 1.7, 4.45, 9.1]), row([-1.9, -0.7, 0.65, 1.3, 2.9])])
case("fmod.scalar", lambda x: torch.fmod(x, 2.5), [t(UNARY)], second=False)
case("fmod.negscalar", lambda x: torch.fmod(x, -1.5), [t(UNARY)], second=False)
case("logAddExp.wide", torch.logaddexp, [column([-1000.0, -30.0, 0.0, 30.0, 1000.0]), row([-1000.0, 0.0, 1000.0])],
     second=False, mp_f=exact_binary["logAddExp"])
case("hypot.wide", torch.hypot, [column([1e-200, 3e200, 1e308, 5e-324]), row([4e-200, 4e200, 1e308, 0.0])],
     second=False, mp_f=mp.hypot)

# ------------------------------------------------------------------------------------------------ lerp
for label, w in {"w03": 0.3, "w07": 0.7, "wm02": -0.2, "w15": 1.5, "w0": 0.0, "w1": 1.0, "w05": 0.5}.items():
    case(f"lerp.{label}", lambda s, e, w=w: torch.lerp(s, e, w), [column(BINARY), row(BINARY)], second=False)
    case(f"lerp.{label}.smooth", lambda s, e, w=w: torch.lerp(s, e, w), [column(SMOOTH), row(SMOOTH_B)])
LERP_S = [-2.5, 0.0, 1.0, 3.25, 1e30]
LERP_E = [-1.0, 0.5, 7.0]
LERP_W = [-0.7, 0.0, 0.25, 0.49999, 0.5, 0.8, 1.0, 2.0]
case("lerp.tensor", torch.lerp,
     [t(LERP_S).reshape(-1, 1, 1), t(LERP_E).reshape(1, -1, 1), t(LERP_W).reshape(1, 1, -1)])

# ------------------------------------------------------------------------------------------------ clamp
CLAMP_X = [NAN, -INF, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 4.0, INF]
CLAMP_LO = [NAN, -INF, -1.0, 0.0, 0.5, 3.0]
CLAMP_HI = [NAN, -2.0, 0.0, 1.0, 2.5, INF]
x3, lo3, hi3 = t(CLAMP_X).reshape(-1, 1, 1), t(CLAMP_LO).reshape(1, -1, 1), t(CLAMP_HI).reshape(1, 1, -1)
# PyTorch 1.13's clamp backward fails when the bounds broadcast x to a larger shape ("output with shape [11, 6, 1]
# doesn't match the broadcast shape"), so the operands are broadcast first; the gradients are the same.


def clamp(x, lo=None, hi=None):
    present = [a for a in (x, lo, hi) if a is not None]
    expanded = iter(torch.broadcast_tensors(*present))
    x = next(expanded)
    lo = next(expanded) if lo is not None else None
    hi = next(expanded) if hi is not None else None
    return torch.clamp(x, lo, hi)


case("clamp.both", lambda x, lo, hi: clamp(x, lo, hi), [x3, lo3, hi3], second=False)
case("clamp.min", lambda x, lo: clamp(x, lo=lo), [column(CLAMP_X), row(CLAMP_LO)], second=False)
case("clamp.max", lambda x, hi: clamp(x, hi=hi), [column(CLAMP_X), row(CLAMP_HI)], second=False)
# Smooth for the second derivative: clamp of a curved function of x.
case("clamp.both.smooth", lambda x, lo, hi: clamp(x * x * x, lo, hi * hi),
     [t([-1.7, -0.9, -0.2, 0.4, 1.1, 1.9]).reshape(-1, 1, 1), t([-0.8, 0.3]).reshape(1, -1, 1),
      t([0.6, 1.4]).reshape(1, 1, -1)])

with open("elementwise-reference.txt", "w") as out:
    out.write("# generated by make_elementwise_reference.py with torch " + torch.__version__ + "\n")
    out.write("\n".join(lines) + "\n")
print(len(lines), "lines")
