"""Generates the PyTorch reference values pasted into the optim tests (TorchReferenceTest).

Run with Debian's python3-torch (PyTorch 1.13):  /usr/bin/python3 generate_torch_reference.py
The tests never need torch: they hold the printed numbers as constants.
"""
import math
import torch

torch.set_default_dtype(torch.float64)


def objective(x, y):
    # Non-quadratic test function shared with OptimizerTrajectoryTest.f:
    # sum_i [(1 - x_i)^2 + 5 (x_{i+1} - x_i^2)^2] + sum_j [y_j^4 / 4 + sin(2 y_j)] + 0.3 x_2 y_0
    x0, x1 = x[:2], x[1:]
    return (((1 - x0) ** 2).sum() + 5 * ((x1 - x0 ** 2) ** 2).sum()
            + (y ** 4 / 4 + torch.sin(2 * y)).sum() + 0.3 * x[2] * y[0])


def trajectory(make, negate=False, steps=25, groups=False):
    x = torch.tensor([-1.2, 1.0, 0.5], requires_grad=True)
    y = torch.tensor([0.7, -0.4], requires_grad=True)
    opt = make(x, y)
    for _ in range(steps):
        opt.zero_grad()
        f = objective(x, y)
        (-f if negate else f).backward()
        opt.step()
    return x.detach().tolist() + y.detach().tolist()


O = torch.optim
CONFIGS = [
    ("sgd", lambda x, y: O.SGD([x, y], lr=0.01), False),
    ("sgdMomentumDampeningWd", lambda x, y: O.SGD([x, y], lr=0.01, momentum=0.9, dampening=0.1, weight_decay=0.05), False),
    ("sgdNesterovWd", lambda x, y: O.SGD([x, y], lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.05), False),
    ("sgdMomentumMaximize", lambda x, y: O.SGD([x, y], lr=0.01, momentum=0.5, maximize=True), True),
    # maximize negates the gradient BEFORE weight decay and momentum (as the 1.13 code does; its docstring box
    # applies maximize at the end instead, which differs when weight decay is on)
    ("sgdMaximizeMomentumWd", lambda x, y: O.SGD([x, y], lr=0.01, momentum=0.9, weight_decay=0.05, maximize=True), True),
    ("sgdGroups", lambda x, y: O.SGD([{"params": [x]}, {"params": [y], "lr": 0.05, "momentum": 0.9}], lr=0.01), False),
    ("adam", lambda x, y: O.Adam([x, y], lr=0.05), False),
    ("adamAmsgradWd", lambda x, y: O.Adam([x, y], lr=0.05, betas=(0.8, 0.95), weight_decay=0.1, amsgrad=True), False),
    ("adamMaximizeEps", lambda x, y: O.Adam([x, y], lr=0.05, eps=1e-3, maximize=True), True),
    ("adamw", lambda x, y: O.AdamW([x, y], lr=0.05), False),
    ("adamwAmsgradMaximize", lambda x, y: O.AdamW([x, y], lr=0.05, weight_decay=0.1, amsgrad=True, maximize=True), True),
    ("rmsprop", lambda x, y: O.RMSprop([x, y], lr=0.01), False),
    ("rmspropCenteredMomentumWd", lambda x, y: O.RMSprop([x, y], lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.05), False),
    ("rmspropCenteredMaximize", lambda x, y: O.RMSprop([x, y], lr=0.01, centered=True, maximize=True), True),
    ("adagrad", lambda x, y: O.Adagrad([x, y], lr=0.1), False),
    ("adagradDecayWdInitial", lambda x, y: O.Adagrad([x, y], lr=0.2, lr_decay=0.05, weight_decay=0.05, initial_accumulator_value=0.5, eps=1e-6), False),
    ("adagradMaximize", lambda x, y: O.Adagrad([x, y], lr=0.1, maximize=True), True),
    ("adadelta", lambda x, y: O.Adadelta([x, y], eps=1e-2), False),
    ("adadeltaRhoWdMaximize", lambda x, y: O.Adadelta([x, y], lr=0.5, rho=0.8, eps=1e-2, weight_decay=0.05, maximize=True), True),
    ("adamax", lambda x, y: O.Adamax([x, y], lr=0.05), False),
    ("adamaxBetasWdMaximize", lambda x, y: O.Adamax([x, y], lr=0.05, betas=(0.8, 0.95), weight_decay=0.1, eps=1e-3, maximize=True), True),
    ("nadam", lambda x, y: O.NAdam([x, y], lr=0.05), False),
    ("nadamBetasWdMomentumDecay", lambda x, y: O.NAdam([x, y], lr=0.05, betas=(0.8, 0.95), weight_decay=0.1, momentum_decay=0.01, eps=1e-3), False),
    # beta2 = 0.9: rho_t passes 5 at step 6, so both branches of the rectification run
    ("radam", lambda x, y: O.RAdam([x, y], lr=0.05, betas=(0.9, 0.9)), False),
    ("radamWd", lambda x, y: O.RAdam([x, y], lr=0.05, weight_decay=0.1), False),
    ("rprop", lambda x, y: O.Rprop([x, y], lr=0.01), False),
    ("rpropEtasStepSizesMaximize", lambda x, y: O.Rprop([x, y], lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True), True),
    ("nadamGroups", lambda x, y: O.NAdam([{"params": [x]}, {"params": [y], "lr": 0.1, "betas": (0.5, 0.99)}], lr=0.05), False),
]


def lbfgs_trajectory(make, steps):
    x = torch.tensor([-1.2, 1.0, 0.5], requires_grad=True)
    y = torch.tensor([0.7, -0.4], requires_grad=True)
    opt = make(x, y)
    losses = []

    def closure():
        opt.zero_grad()
        f = objective(x, y)
        f.backward()
        return f

    for _ in range(steps):
        losses.append(float(opt.step(closure)))
    state = opt.state[x]
    return x.detach().tolist() + y.detach().tolist(), losses, state["func_evals"], state["n_iter"]


LBFGS_CONFIGS = [
    ("lbfgs", lambda x, y: O.LBFGS([x, y], lr=0.1), 3),
    ("lbfgsHistory2MaxIter7", lambda x, y: O.LBFGS([x, y], lr=0.2, history_size=2, max_iter=7), 4),
    ("lbfgsStrongWolfe", lambda x, y: O.LBFGS([x, y], line_search_fn="strong_wolfe"), 2),
    ("lbfgsStrongWolfeHistory3", lambda x, y: O.LBFGS([x, y], lr=0.5, history_size=3, max_iter=6, line_search_fn="strong_wolfe"), 3),
]


def java_array(values):
    return "{" + ", ".join(repr(float(v)) for v in values) + "}"


print("// ---- optimizer trajectories: final [x0, x1, x2, y0, y1] after 25 steps")
for name, make, negate in CONFIGS:
    print(f'Map.entry("{name}", new double[] {java_array(trajectory(make, negate))}),')


print("// ---- LBFGS: final [x0, x1, x2, y0, y1], then the loss each step returned, func_evals, n_iter")
for name, make, steps in LBFGS_CONFIGS:
    final, losses, evals, iters = lbfgs_trajectory(make, steps)
    print(f'Map.entry("{name}", new double[][] {{{java_array(final)}, {java_array(losses)}, {{{evals}, {iters}}}}}),')


def dummy_optimizer(lrs):
    ps = [torch.zeros(1, requires_grad=True) for _ in lrs]
    return O.SGD([{"params": [p], "lr": lr} for p, lr in zip(ps, lrs)], lr=lrs[0])


def schedule(make, epochs, lrs=(0.1,)):
    opt = dummy_optimizer(list(lrs))
    sched = make(opt)
    out = [sched.get_last_lr()[0]]
    for _ in range(epochs):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


S = O.lr_scheduler
print("// ---- scheduler sequences: get_last_lr()[0] after construction, then after each step (base lr 0.1)")
print("STEP_LR =", java_array(schedule(lambda o: S.StepLR(o, step_size=3, gamma=0.5), 12)))
print("EXPONENTIAL_LR =", java_array(schedule(lambda o: S.ExponentialLR(o, gamma=0.9), 10)))
print("COSINE_LR =", java_array(schedule(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 25)))
print("LINEAR_LR =", java_array(schedule(lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4), 8)))
print("SEQUENTIAL_LR =", java_array(schedule(lambda o: S.SequentialLR(
    o, [S.LinearLR(o, start_factor=0.1, total_iters=3), S.CosineAnnealingLR(o, T_max=7)], milestones=[3]), 12)))


print("SEQUENTIAL_WARMUP_MULTI_STEP_LR =", java_array(schedule(lambda o: S.SequentialLR(
    o, [S.LinearLR(o, start_factor=0.2, total_iters=3), S.MultiStepLR(o, milestones=[2, 4], gamma=0.5)], milestones=[3]), 10)))
print("SEQUENTIAL_WARMUP_POLYNOMIAL_LR =", java_array(schedule(lambda o: S.SequentialLR(
    o, [S.LinearLR(o, start_factor=0.2, total_iters=3), S.PolynomialLR(o, total_iters=5, power=2.0)], milestones=[3]), 10)))
print("MULTI_STEP_LR =", java_array(schedule(lambda o: S.MultiStepLR(o, milestones=[5, 2, 8, 5], gamma=0.5), 10)))
print("LAMBDA_LR =", java_array(schedule(lambda o: S.LambdaLR(o, lambda e: 1.0 / (e + 1) + 0.05 * e), 8)))
print("POLYNOMIAL_LR =", java_array(schedule(lambda o: S.PolynomialLR(o, total_iters=6, power=2.0), 9)))
print("POLYNOMIAL_LR_DEFAULT =", java_array(schedule(lambda o: S.PolynomialLR(o), 7)))


def cycle(make, steps, optimizer):
    """lr and momentum (SGD's momentum or Adam's beta1) after construction, then after each step."""
    p = torch.zeros(1, requires_grad=True)
    opt = optimizer([p])
    sched = make(opt)

    def momentum():
        g = opt.param_groups[0]
        return g["betas"][0] if "betas" in g else g["momentum"]

    lrs, moms = [sched.get_last_lr()[0]], [momentum()]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
        moms.append(momentum())
    return lrs, moms


SGD_M = lambda ps: O.SGD(ps, lr=0.1, momentum=0.9)
ADAM = lambda ps: O.Adam(ps, lr=0.1)
CYCLES = [
    ("ONE_CYCLE_COS", lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=20), 20, SGD_M),
    ("ONE_CYCLE_LINEAR_THREE_PHASE", lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=17, pct_start=0.25, anneal_strategy="linear", three_phase=True, div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9), 16, ADAM),
    ("ONE_CYCLE_EPOCHS", lambda o: S.OneCycleLR(o, max_lr=0.2, epochs=3, steps_per_epoch=4, cycle_momentum=False), 12, SGD_M),
    ("CYCLIC_TRIANGULAR", lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=2), 14, SGD_M),
    ("CYCLIC_TRIANGULAR2", lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2", base_momentum=0.7, max_momentum=0.95), 14, SGD_M),
    ("CYCLIC_EXP_RANGE", lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range", gamma=0.9), 14, SGD_M),
]
for name, make, steps, optimizer in CYCLES:
    lrs, moms = cycle(make, steps, optimizer)
    print(name + "_LR =", java_array(lrs))
    print(name + "_MOMENTUM =", java_array(moms))


def plateau(kwargs, metrics):
    opt = dummy_optimizer([0.1])
    sched = S.ReduceLROnPlateau(opt, **kwargs)
    out = []
    for m in metrics:
        opt.step()
        sched.step(m)
        out.append(opt.param_groups[0]["lr"])
    return out


PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.92, 0.91, 0.905, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
print("PLATEAU_METRICS =", java_array(PLATEAU_METRICS))
print("PLATEAU_MIN_REL =", java_array(plateau(dict(mode="min", factor=0.5, patience=2, threshold=0.1,
                                                   cooldown=1, min_lr=0.01), PLATEAU_METRICS)))
print("PLATEAU_MAX_ABS =", java_array(plateau(dict(mode="max", factor=0.3, patience=1, threshold=0.05,
                                                   threshold_mode="abs"), PLATEAU_METRICS)))

print("// ---- clip_grad_norm_: grads a = [3, -4], b = [[1, 2], [-2, 0.5]]")
for norm_type, max_norm in [(2.0, 1.0), (math.inf, 0.5), (1.0, 2.0), (3.0, 100.0)]:
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(2, 2, requires_grad=True)
    a.grad = torch.tensor([3.0, -4.0])
    b.grad = torch.tensor([[1.0, 2.0], [-2.0, 0.5]])
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type)
    print(f"norm {norm_type} max {max_norm}: total = {float(total)!r}, grads =",
          java_array(a.grad.tolist() + b.grad.flatten().tolist()))
