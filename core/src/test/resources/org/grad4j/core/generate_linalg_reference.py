"""Generates linalg-reference.txt: values and gradients of torch.linalg (PyTorch 1.13) for LinalgTorchReferenceTest.

Run from this directory with Debian's python3-torch:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 generate_linalg_reference.py
Each line is `name|shape|values` (shape and values comma-separated, float64, repr precision). Inputs are written
too, so the Java test needs nothing else. Eigenvectors and singular vectors are defined up to sign; both sides
normalise each vector so that its largest-magnitude entry is positive (grad4j's convention), and the gradient
losses only use sign-invariant functions of them (V * V).
"""
import torch

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20261127)
lines = []


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen)


def put(name, t):
    t = torch.as_tensor(t).detach().to(torch.float64).contiguous().clone()
    shape = ",".join(str(s) for s in t.shape)
    values = ",".join(repr(float(v)) for v in t.reshape(-1).tolist())
    lines.append(f"{name}|{shape}|{values}")


def normalise_columns(v, partner_rows=None):
    """Flip columns of v (and matching rows of partner) so each column's largest-|.| entry is positive."""
    idx = v.abs().argmax(dim=-2, keepdim=True)
    signs = torch.sign(torch.gather(v, -2, idx))
    v = v * signs
    if partner_rows is not None:
        partner_rows = partner_rows * signs.transpose(-2, -1)
    return v, partner_rows


def grad_of(f, *inputs, weights_seed_name):
    ins = [x.clone().requires_grad_(True) for x in inputs]
    out = f(*ins)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    loss = 0
    for i, o in enumerate(outs):
        w = randn(*o.shape)
        put(f"{weights_seed_name}.w{i}", w)
        loss = loss + (w * o).sum()
    grads = torch.autograd.grad(loss, ins, create_graph=True)
    for i, g in enumerate(grads):
        put(f"{weights_seed_name}.grad{i}", g)
    # second order: d/dA <grad, v> for a fixed v
    vs = [randn(*g.shape) for g in grads]
    inner = sum((g * v).sum() for g, v in zip(grads, vs))
    gg = torch.autograd.grad(inner, ins, allow_unused=True) if inner.requires_grad else [None] * len(ins)
    for i, (v, g2) in enumerate(zip(vs, gg)):
        g2 = torch.zeros_like(ins[i]) if g2 is None else g2
        put(f"{weights_seed_name}.v{i}", v)
        put(f"{weights_seed_name}.gradgrad{i}", g2)


def well_conditioned(m, n, low=1.0, high=3.0):
    k = min(m, n)
    u, _ = torch.linalg.qr(randn(m, k))
    v, _ = torch.linalg.qr(randn(n, k))
    s = torch.linspace(high, low, k) + 0.1 * torch.rand(k, generator=gen)
    return u @ torch.diag(s) @ v.T


A = well_conditioned(3, 3)
A[0] = -A[0]
Ab = torch.stack([well_conditioned(3, 3), well_conditioned(3, 3)])
B = randn(3, 2)
q, _ = torch.linalg.qr(randn(4, 4))
S = q @ torch.diag(torch.tensor([0.5, 1.3, 2.2, 3.6])) @ q.T
H = q @ torch.diag(torch.tensor([-1.7, -0.4, 0.9, 2.5])) @ q.T
T = well_conditioned(4, 3)
W = well_conditioned(3, 5)
BT = randn(4, 2)
BW = randn(3, 2)
x = randn(7)
for name, t in [("A", A), ("Ab", Ab), ("B", B), ("S", S), ("H", H), ("T", T), ("W", W), ("BT", BT), ("BW", BW),
                ("x", x)]:
    put("in." + name, t)

put("det.A", torch.linalg.det(A))
put("det.Ab", torch.linalg.det(Ab))
put("inv.A", torch.linalg.inv(A))
put("inv.Ab", torch.linalg.inv(Ab))
put("solve.A.B", torch.linalg.solve(A, B))
put("cholesky.S", torch.linalg.cholesky(S))
for name, M in [("T", T), ("W", W)]:
    Q, R = torch.linalg.qr(M)
    put(f"qr.{name}.Q", Q)
    put(f"qr.{name}.R", R)
    U, Sv, Vh = torch.linalg.svd(M, full_matrices=False)
    U, Vh = normalise_columns(U, Vh)
    put(f"svd.{name}.U", U)
    put(f"svd.{name}.S", Sv)
    put(f"svd.{name}.Vh", Vh)
    put(f"pinv.{name}", torch.linalg.pinv(M))
L, V = torch.linalg.eigh(H)
V, _ = normalise_columns(V)
put("eigh.H.L", L)
put("eigh.H.V", V)
for ordname, o in [("fro", "fro"), ("nuc", "nuc"), ("1", 1), ("-1", -1), ("2", 2), ("-2", -2), ("inf", float("inf")),
                   ("-inf", float("-inf"))]:
    put(f"matrix_norm.{ordname}.T", torch.linalg.matrix_norm(T, o))
    grad_of(lambda m: torch.linalg.matrix_norm(m, o), T, weights_seed_name=f"g.matrix_norm.{ordname}")
for ordname, o in [("2", 2), ("1", 1), ("3", 3), ("0.5", 0.5), ("-1", -1), ("inf", float("inf")),
                   ("-inf", float("-inf")), ("0", 0)]:
    put(f"vector_norm.{ordname}.x", torch.linalg.vector_norm(x, o))
    put(f"vector_norm.{ordname}.T.dim0", torch.linalg.vector_norm(T, o, dim=0))
    if o != 0:
        grad_of(lambda v: torch.linalg.vector_norm(v, o), x, weights_seed_name=f"g.vector_norm.{ordname}")
put("lstsq.T.BT", torch.linalg.lstsq(T, BT).solution)
put("lstsq.W.BW", torch.linalg.lstsq(W, BW).solution)

grad_of(torch.linalg.det, A, weights_seed_name="g.det")
# rank 2: the gradient is the cofactor matrix, which PyTorch computes through the SVD
Asing = randn(3, 2) @ randn(2, 3)
put("in.Asing", Asing)
grad_of(torch.linalg.det, Asing, weights_seed_name="g.det.singular")
grad_of(torch.linalg.inv, A, weights_seed_name="g.inv")
Lt = torch.tril(randn(3, 3)) + 3 * torch.eye(3)
put("in.Lt", Lt)
put("solve_triangular.lower", torch.linalg.solve_triangular(Lt, B, upper=False))
put("solve_triangular.upper", torch.linalg.solve_triangular(Lt.T, B, upper=True))
grad_of(lambda t, b: torch.linalg.solve_triangular(t, b, upper=False), Lt, B, weights_seed_name="g.solve_triangular")
# the full matrix is passed: only the upper triangle is read, so the rest gets no gradient
grad_of(lambda t, b: torch.linalg.solve_triangular(t, b, upper=True), A, B,
        weights_seed_name="g.solve_triangular.upper")
sign, logabsdet = torch.linalg.slogdet(Ab)
put("slogdet.Ab.sign", sign)
put("slogdet.Ab.logabsdet", logabsdet)
grad_of(lambda m: torch.linalg.slogdet(m).logabsdet, Ab, weights_seed_name="g.slogdet")
grad_of(torch.linalg.solve, A, B, weights_seed_name="g.solve")
grad_of(torch.linalg.cholesky, S, weights_seed_name="g.cholesky")
grad_of(lambda m: torch.linalg.qr(m), T, weights_seed_name="g.qr.T")
grad_of(lambda m: torch.linalg.qr(m), W, weights_seed_name="g.qr.W")


def eigh_loss(m):
    L, V = torch.linalg.eigh(m)
    return L, V * V


def svd_loss(m):
    U, Sv, Vh = torch.linalg.svd(m, full_matrices=False)
    return U * U, Sv, Vh * Vh


grad_of(eigh_loss, H, weights_seed_name="g.eigh")
grad_of(svd_loss, T, weights_seed_name="g.svd.T")
grad_of(svd_loss, W, weights_seed_name="g.svd.W")
grad_of(torch.linalg.pinv, T, weights_seed_name="g.pinv.T")
grad_of(torch.linalg.pinv, W, weights_seed_name="g.pinv.W")
# rank 2 of 4 x 3, and the identity (repeated singular values): PyTorch's formula needs neither full rank nor
# distinct singular values
Tdef = randn(4, 2) @ randn(2, 3)
put("in.Tdef", Tdef)
put("pinv.Tdef", torch.linalg.pinv(Tdef))
grad_of(torch.linalg.pinv, Tdef, weights_seed_name="g.pinv.Tdef")
grad_of(torch.linalg.pinv, torch.eye(3), weights_seed_name="g.pinv.I")
grad_of(lambda a, b: torch.linalg.lstsq(a, b).solution, T, BT, weights_seed_name="g.lstsq.T")

with open("linalg-reference.txt", "w") as f:
    f.write(f"# generated by generate_linalg_reference.py with torch {torch.__version__}\n")
    f.write("\n".join(lines) + "\n")
print(len(lines), "entries")
