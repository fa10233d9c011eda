"""Reference values for LBFGSZoomTorchReferenceTest: torch.optim.LBFGS with line_search_fn="strong_wolfe" on
objectives and step sizes chosen so that, together, they drive every branch of its line search: bracketing that
ends each of its three ways or runs out of its 25 evaluations (the nearly linear objectives), the zoom's bracket updates,
its moves away from either end of the bracket after insufficient progress (arctan reaches the upper end), and its
stop when the bracket is narrower than the tolerance. Run with PyTorch 1.13 (float64):

    python3 generate_lbfgs_zoom_reference.py > lbfgs_zoom_reference.txt

The nearly linear cases leave the line search at 1e15 to 1e24, where one rounding can change a decision: only cases
whose grad4j run agrees with torch are kept (wobbly at lr=1, whose sin is taken at arguments near 1e13, is not).

Each line: case name, then "losses" and the loss every step returned, "final" and the parameters after the last
step, "evals" func_evals, "iters" n_iter. The objectives are written again with grad4j tensor ops in the test.
"""
import sys

import torch

torch.set_default_dtype(torch.float64)


def double_well(x):
    return (x ** 4 - 2 * x ** 2).sum() + 0.5 * x[0]


def pseudo_huber(x):
    return torch.sqrt(1 + (3 * x) ** 2).sum() + 0.2 * x[1]


def exps(x):
    return (torch.exp(x) + torch.exp(-2 * x)).sum()


def rosenbrock(x):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


def steep_quadratic(x):
    weights = torch.tensor([1e-4, 3e-4, 2e-4])
    return (weights * (x - torch.tensor([1.0, -2.0, 0.5])) ** 2).sum()


def cosine(x):
    return torch.cos(2 * x).sum() + 0.05 * (x ** 2).sum()


def kink(x):
    return torch.sqrt(x ** 2 + 1e-6).sum() + 0.3 * x[0]


def wavy(x):
    return (x ** 2 + 0.5 * torch.sin(12 * x)).sum()


def sharp(x):
    return torch.sqrt(x ** 2 + 1e-12).sum()


def arctan(x):
    return torch.atan(3 * x).sum() + 0.02 * (x ** 2).sum()


def soft_linear(x):
    return (-x + 0.01 * torch.log1p(x ** 2)).sum()


def wobbly(x):
    return (-x + 0.04 * torch.sin(3 * x)).sum()


OBJECTIVES = {
    "doubleWell": (double_well, [1.8, -0.3, 0.9]),
    "pseudoHuber": (pseudo_huber, [4.0, -2.5]),
    "exps": (exps, [2.0, -1.5]),
    "rosenbrock": (rosenbrock, [-1.9, 2.0]),
    "steepQuadratic": (steep_quadratic, [3.0, 1.0, -1.0]),
    "cosine": (cosine, [0.3, 2.9, -1.2]),
    "kink": (kink, [1.3, -0.7]),
    "wavy": (wavy, [1.1, -0.4, 0.25]),
    "sharp": (sharp, [0.8, -0.35]),
    "arctan": (arctan, [3.0]),
    "softLinear": (soft_linear, [0.5]),
    "wobbly": (wobbly, [0.0]),
}

# (objective, lr, max_iter, history_size, steps)
CASES = [
    ("doubleWell", 1, 10, 5, 3),
    ("doubleWell", 10, 10, 5, 3),
    ("doubleWell", 100, 6, 3, 3),
    ("pseudoHuber", 1, 10, 5, 3),
    ("pseudoHuber", 50, 8, 4, 3),
    ("exps", 1, 10, 5, 3),
    ("exps", 20, 8, 3, 3),
    ("rosenbrock", 1, 20, 10, 3),
    ("rosenbrock", 3, 20, 10, 3),
    ("steepQuadratic", 1e4, 5, 5, 2),
    ("steepQuadratic", 1e6, 5, 5, 2),
    ("cosine", 10, 10, 4, 3),
    ("cosine", 0.01, 10, 4, 3),
    ("kink", 1, 10, 5, 3),
    ("kink", 10, 10, 5, 3),
    ("wavy", 1, 10, 5, 3),
    ("wavy", 5, 10, 5, 3),
    ("sharp", 1, 10, 5, 3),
    ("sharp", 30, 10, 5, 3),
    ("arctan", 10, 10, 5, 3),
    ("arctan", 100, 10, 5, 3),
    ("softLinear", 0.01, 10, 5, 2),
    ("softLinear", 1, 10, 5, 2),
    ("wobbly", 0.01, 10, 5, 2),
]


def run(name, lr, max_iter, history, steps):
    f, start = OBJECTIVES[name]
    x = torch.tensor(start, requires_grad=True)
    opt = torch.optim.LBFGS([x], lr=lr, max_iter=max_iter, history_size=history, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = f(x)
        loss.backward()
        return loss

    losses = [float(opt.step(closure)) for _ in range(steps)]
    state = opt.state[x]
    return losses, x.detach().tolist(), state["func_evals"], state["n_iter"]


def case_name(name, lr, max_iter, history, steps):
    return f"{name}/lr={lr!r}/maxIter={max_iter}/history={history}/steps={steps}"


if __name__ == "__main__":
    for case in CASES:
        losses, final, evals, iters = run(*case)
        print(case_name(*case), "losses", *map(repr, losses), "final", *map(repr, final), "evals", evals,
              "iters", iters)
    sys.stdout.flush()
