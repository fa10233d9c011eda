package org.grad4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * L-BFGS, a quasi-Newton method that re-evaluates the objective through a closure, exactly as
 * {@code torch.optim.LBFGS} 1.13: each {@link #step(Supplier)} runs up to {@code maxIter} iterations, each one a
 * two-loop recursion over the last {@code historySize} curvature pairs followed by a fixed step of {@code lr} (the
 * very first step of {@code min(1, 1 / |g|_1) * lr}) or, with {@link LineSearch#STRONG_WOLFE}, a line search that
 * brackets and zooms with cubic interpolation until the strong Wolfe conditions hold (c1 = 1e-4, c2 = 0.9, at
 * most 25 evaluations, PyTorch's {@code _strong_wolfe}).
 *
 * <pre>{@code
 * var lbfgs = new LBFGS(model.parameters(), LBFGS.options().lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE));
 * for (int i = 0; i < 10; i++) {
 *     lbfgs.step(() -> {
 *         lbfgs.zeroGrad();
 *         Tensor loss = loss(model);
 *         loss.backward();
 *         return loss;                          // evaluated with grad enabled, possibly many times per step
 *     });
 * }
 * }</pre>
 *
 * <p>Options: {@code lr} (1), {@code maxIter} (20) iterations per step, {@code maxEval} (default
 * {@code maxIter * 5 / 4}) closure evaluations per step, {@code toleranceGrad} (1e-7) on the largest gradient
 * element, {@code toleranceChange} (1e-9) on the change of the loss and of the parameters, {@code historySize}
 * (100), {@code lineSearchFn} ({@link LineSearch#NONE}). As in PyTorch there is exactly one parameter group, the
 * parameters must share one floating dtype, and a parameter without a gradient counts as a zero gradient. The
 * memory cost is about {@code 2 * historySize + 3} copies of all the parameters.
 *
 * <p>State (PyTorch keeps it in the first parameter's state): the counters {@code funcEvals} and {@code nIter}, the
 * step length {@code t}, {@code hDiag}, {@code prevLoss} and the curvature pairs' {@code ro.<k>} as numbers of
 * parameter 0; the direction {@code d}, the previous gradient {@code prevFlatGrad} and the pairs
 * {@code oldDirs.<k>}, {@code oldStps.<k>} as per-parameter slices, so the state dict has the usual layout. Each
 * parameter's step count is {@code nIter}.
 */
public final class LBFGS extends Optimizer {
    /** The line search: none (fixed steps of {@code lr}) or PyTorch's strong-Wolfe search. */
    public enum LineSearch {
        /** Fixed steps of length {@code lr} (PyTorch's {@code line_search_fn=None}). */
        NONE,
        /** Bracketing and cubic-interpolation zoom to a strong-Wolfe point ({@code "strong_wolfe"}). */
        STRONG_WOLFE
    }

    /** The learning rate: the step length tried first (default 1). */
    public static final Option<Double> LR = Option.number("lr", 1.0);
    /** Iterations per {@link #step(Supplier)} (default 20). */
    public static final Option<Integer> MAX_ITER = Option.integer("maxIter", 20);
    /** Closure evaluations per step (default {@code maxIter * 5 / 4}). */
    public static final Option<Integer> MAX_EVAL = Option.requiredInteger("maxEval");
    /** Stop when the largest gradient element is at most this (default 1e-7). */
    public static final Option<Double> TOLERANCE_GRAD = Option.number("toleranceGrad", 1e-7);
    /** Stop when the loss or the parameters change by less than this (default 1e-9). */
    public static final Option<Double> TOLERANCE_CHANGE = Option.number("toleranceChange", 1e-9);
    /** How many curvature pairs to keep (default 100). */
    public static final Option<Integer> HISTORY_SIZE = Option.integer("historySize", 100);
    /** The line search (default {@link LineSearch#NONE}). */
    public static final Option<LineSearch> LINE_SEARCH_FN = Option.choice("lineSearchFn", LineSearch.class,
            LineSearch.NONE);

    private static final List<Option<?>> OPTIONS = List.of(LR, MAX_ITER, MAX_EVAL, TOLERANCE_GRAD, TOLERANCE_CHANGE,
            HISTORY_SIZE, LINE_SEARCH_FN);

    // the strong-Wolfe constants of PyTorch's _strong_wolfe (LBFGS does not pass its own toleranceChange to it)
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final double LINE_SEARCH_TOLERANCE_CHANGE = 1e-9;
    private static final int MAX_LINE_SEARCH = 25;

    private final List<Tensor> params;
    private final DType dtype;

    // the algorithm's state, kept flat (all parameters concatenated) as PyTorch does
    private int funcEvals;
    private int nIter;
    private Tensor d;
    private double t;
    private final List<Tensor> oldDirs = new ArrayList<>();
    private final List<Tensor> oldStps = new ArrayList<>();
    private final List<Double> ro = new ArrayList<>();
    private double hDiag;
    private Tensor prevFlatGrad;
    private double prevLoss;
    private boolean hasState;

    /** L-BFGS with PyTorch's defaults (no line search). */
    public LBFGS(Iterable<Tensor> params) {
        this(params, options());
    }

    /** L-BFGS over the given parameters. */
    public LBFGS(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /** L-BFGS over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public LBFGS(Map<String, Tensor> namedParams, Options options) {
        this(single(namedParams), options);
    }

    private LBFGS(List<ParamGroup> groups, Options options) {
        super("LBFGS", OPTIONS, withMaxEval(options), groups);
        this.params = paramGroups().get(0).params();
        DType first = params.get(0).dtype();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.dtype() != first || (first != DType.FLOAT32 && first != DType.FLOAT64)) {
                throw new IllegalArgumentException("LBFGS: every parameter must have the same floating dtype"
                        + " (float32 or float64); parameter 0 is " + first + " and parameter " + i + " is "
                        + p.dtype() + "; convert them with to(dtype)");
            }
        }
        this.dtype = first;
    }

    private static Options withMaxEval(Options options) {
        if (options == null || options.isSet(MAX_EVAL)) {
            return options;
        }
        int maxIter = options.isSet(MAX_ITER) ? (Integer) options.values().get(MAX_ITER) : MAX_ITER.defaultValue();
        return options.copy().maxEval(maxIter * 5 / 4);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** L-BFGS's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        Options copy() {
            Options c = new Options();
            values().forEach(c::putUnchecked);
            return c;
        }

        @SuppressWarnings("unchecked")
        private void putUnchecked(Option<?> option, Object value) {
            put((Option<Object>) option, value);
        }

        /** The learning rate (the step length tried first). */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** Iterations per step ({@code >= 1}). */
        public Options maxIter(int maxIter) {
            return put(MAX_ITER, maxIter);
        }

        /** Closure evaluations per step ({@code >= 1}; default {@code maxIter * 5 / 4}). */
        public Options maxEval(int maxEval) {
            return put(MAX_EVAL, maxEval);
        }

        /** Stop when the largest gradient element is at most this. */
        public Options toleranceGrad(double toleranceGrad) {
            return put(TOLERANCE_GRAD, toleranceGrad);
        }

        /** Stop when the loss or the parameters change by less than this. */
        public Options toleranceChange(double toleranceChange) {
            return put(TOLERANCE_CHANGE, toleranceChange);
        }

        /** How many curvature pairs to keep ({@code >= 1}). */
        public Options historySize(int historySize) {
            return put(HISTORY_SIZE, historySize);
        }

        /** The line search. */
        public Options lineSearchFn(LineSearch lineSearchFn) {
            return put(LINE_SEARCH_FN, lineSearchFn);
        }
    }

    /** Rejects a second group: L-BFGS has exactly one, as PyTorch's. */
    @Override
    public void addParamGroup(ParamGroup group) {
        if (!paramGroups().isEmpty()) {
            throw new IllegalArgumentException("LBFGS doesn't support per-parameter options (parameter groups);"
                    + " put all parameters into one group");
        }
        super.addParamGroup(group);
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        requireNonNegative(g, TOLERANCE_GRAD);
        requireNonNegative(g, TOLERANCE_CHANGE);
        for (Option<Integer> o : List.of(MAX_ITER, MAX_EVAL, HISTORY_SIZE)) {
            int v = g.get(o);
            if (v < 1) {
                throw invalid(g, o, v, o.name() + " >= 1");
            }
        }
        if (g.get(LINE_SEARCH_FN) == null) {
            throw invalid(g, LINE_SEARCH_FN, null, "one of " + Arrays.toString(LineSearch.values()));
        }
    }

    /** Always throws: L-BFGS re-evaluates the objective, so it needs {@link #step(Supplier)}. */
    @Override
    public void step() {
        throw new IllegalStateException("LBFGS.step: L-BFGS re-evaluates the loss several times per step; call"
                + " step(closure) with a closure that zeroes the grads, computes the loss, calls backward() and"
                + " returns the loss");
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
        throw new IllegalStateException("LBFGS updates all parameters together in step(closure)");
    }

    /**
     * Runs up to {@code maxIter} L-BFGS iterations, evaluating {@code closure} (with grad enabled) as often as needed
     * (at most {@code maxEval} times), and returns the loss of the first evaluation, as PyTorch's {@code step}.
     */
    @Override
    public Tensor step(Supplier<Tensor> closure) {
        if (closure == null) {
            throw new IllegalArgumentException("LBFGS.step: closure is null; pass a closure that zeroes the grads,"
                    + " computes the loss, calls backward() and returns the loss");
        }
        ParamGroup group = paramGroups().get(0);
        double lr = group.get(LR);
        int maxIter = group.get(MAX_ITER);
        int maxEval = group.get(MAX_EVAL);
        double toleranceGrad = group.get(TOLERANCE_GRAD);
        double toleranceChange = group.get(TOLERANCE_CHANGE);
        int historySize = group.get(HISTORY_SIZE);
        boolean strongWolfe = group.get(LINE_SEARCH_FN) == LineSearch.STRONG_WOLFE;

        try (Grad.Scope off = Grad.disabled()) {
            hasState = true;
            Tensor origLoss = evaluate(closure);
            double loss = origLoss.item();
            int currentEvals = 1;
            funcEvals++;
            Tensor flatGrad = gatherFlatGrad();
            boolean optCond = maxAbs(flatGrad) <= toleranceGrad;
            if (optCond) {
                return origLoss;
            }
            int n = 0;
            while (n < maxIter) {
                n++;
                nIter++;
                // the direction: steepest descent first, then the two-loop recursion over the history
                if (nIter == 1) {
                    d = flatGrad.neg();
                    oldDirs.clear();
                    oldStps.clear();
                    ro.clear();
                    hDiag = 1;
                } else {
                    Tensor y = flatGrad.sub(prevFlatGrad);
                    Tensor s = d.mul(t);
                    double ys = dot(y, s);
                    if (ys > 1e-10) {
                        while (oldDirs.size() >= historySize) {
                            oldDirs.remove(0);
                            oldStps.remove(0);
                            ro.remove(0);
                        }
                        oldDirs.add(y);
                        oldStps.add(s);
                        ro.add(1.0 / ys);
                        hDiag = ys / dot(y, y);
                    }
                    int numOld = oldDirs.size();
                    double[] al = new double[numOld];
                    Tensor q = flatGrad.neg();
                    for (int i = numOld - 1; i >= 0; i--) {
                        al[i] = dot(oldStps.get(i), q) * ro.get(i);
                        q.addInPlace(oldDirs.get(i), -al[i]);
                    }
                    d = q.mulInPlace(hDiag);
                    for (int i = 0; i < numOld; i++) {
                        double be = dot(oldDirs.get(i), d) * ro.get(i);
                        d.addInPlace(oldStps.get(i), al[i] - be);
                    }
                }
                if (prevFlatGrad == null) {
                    prevFlatGrad = flatGrad.copy();
                } else {
                    prevFlatGrad.copyFrom(flatGrad);
                }
                prevLoss = loss;

                // the step length
                t = nIter == 1 ? Math.min(1.0, 1.0 / flatGrad.abs().sum().item()) * lr : lr;
                double gtd = dot(flatGrad, d);
                if (gtd > -toleranceChange) {
                    break;                                     // the directional derivative is too small
                }
                int lineSearchEvals = 0;
                if (strongWolfe) {
                    List<Tensor> start = new ArrayList<>(params.size());
                    for (Tensor p : params) {
                        start.add(p.copy());
                    }
                    LineSearchResult r = strongWolfe(closure, start, t, d, loss, flatGrad, gtd);
                    loss = r.loss;
                    flatGrad = r.grad;
                    t = r.t;
                    lineSearchEvals = r.evals;
                    addToParams(t, d);
                    optCond = maxAbs(flatGrad) <= toleranceGrad;
                } else {
                    addToParams(t, d);
                    if (n != maxIter) {                       // no need to re-evaluate after the last iteration
                        loss = evaluate(closure).item();
                        flatGrad = gatherFlatGrad();
                        optCond = maxAbs(flatGrad) <= toleranceGrad;
                        lineSearchEvals = 1;
                    }
                }
                currentEvals += lineSearchEvals;
                funcEvals += lineSearchEvals;

                if (n == maxIter || currentEvals >= maxEval || optCond) {
                    break;
                }
                if (maxAbs(d.mul(t)) <= toleranceChange || Math.abs(loss - prevLoss) < toleranceChange) {
                    break;                                     // lack of progress
                }
            }
            return origLoss;
        }
    }

    // ---------------------------------------------------------------------------------- flat-vector helpers

    private Tensor evaluate(Supplier<Tensor> closure) {
        Tensor loss;
        try (Grad.Scope on = Grad.enabled()) {
            loss = closure.get();
        }
        if (loss == null || loss.numel() != 1) {
            throw new IllegalArgumentException("LBFGS.step: the closure must return the loss as a one-element tensor,"
                    + " got " + (loss == null ? "null" : "shape " + Arrays.toString(loss.shape())));
        }
        return loss;
    }

    /** All gradients concatenated into a new 1-d tensor (zeros for a parameter without a gradient). */
    private Tensor gatherFlatGrad() {
        List<Tensor> views = new ArrayList<>(params.size());
        for (Tensor p : params) {
            Tensor g = p.grad();
            views.add(g == null ? Tensor.zeros(dtype, p.numel()) : g.detach().reshape(p.numel()));
        }
        return views.size() == 1 ? views.get(0).copy() : Tensor.concat(views, 0);
    }

    /** {@code p += step * update} for each parameter's slice of the flat {@code update}. */
    private void addToParams(double step, Tensor update) {
        int offset = 0;
        for (Tensor p : params) {
            int n = p.numel();
            p.addInPlace(update.narrow(0, offset, n).reshape(p.shape()), step);
            offset += n;
        }
    }

    private record Probe(double loss, Tensor grad) {
    }

    /** Loss and flat gradient at {@code x + t * d}; the parameters are {@code x} again afterwards. */
    private Probe directionalEvaluate(Supplier<Tensor> closure, List<Tensor> x, double t, Tensor d) {
        addToParams(t, d);
        double loss = evaluate(closure).item();
        Tensor grad = gatherFlatGrad();
        for (int i = 0; i < params.size(); i++) {
            params.get(i).copyFrom(x.get(i));
        }
        return new Probe(loss, grad);
    }

    private static double dot(Tensor a, Tensor b) {
        return a.mul(b).sum().item();
    }

    private static double maxAbs(Tensor a) {
        return a.abs().max().item();
    }

    // ---------------------------------------------------------------------------------- strong-Wolfe line search

    private record LineSearchResult(double loss, Tensor grad, double t, int evals) {
    }

    /**
     * The minimizer of the cubic through {@code (x1, f1)} and {@code (x2, f2)} with slopes {@code g1}, {@code g2},
     * clamped to {@code [lo, hi]}; the middle of the bounds when the cubic has no minimum (PyTorch's
     * {@code _cubic_interpolate}).
     */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo,
            double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    /** {@link #cubicInterpolate} bounded by the two points themselves. */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
        return cubicInterpolate(x1, f1, g1, x2, f2, g2, Math.min(x1, x2), Math.max(x1, x2));
    }

    private LineSearchResult strongWolfe(Supplier<Tensor> closure, List<Tensor> x, double t, Tensor d, double f,
            Tensor g, double gtd) {
        double dNorm = maxAbs(d);
        g = g.copy();
        Probe probe = directionalEvaluate(closure, x, t, d);
        double fNew = probe.loss;
        Tensor gNew = probe.grad;
        int evals = 1;
        double gtdNew = dot(gNew, d);

        // bracket an interval containing a point satisfying the strong Wolfe conditions
        double tPrev = 0;
        double fPrev = f;
        Tensor gPrev = g;
        double gtdPrev = gtd;
        boolean done = false;
        int iter = 0;
        double[] bracket = null;
        double[] bracketF = null;
        double[] bracketGtd = null;
        Tensor[] bracketG = null;
        while (iter < MAX_LINE_SEARCH) {
            if (fNew > f + C1 * t * gtd || (iter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew.copy()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -C2 * gtd) {
                bracket = new double[] {t, t};
                bracketF = new double[] {fNew, fNew};
                bracketG = new Tensor[] {gNew, gNew};
                bracketGtd = new double[] {gtdNew, gtdNew};
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew.copy()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double previous = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = previous;
            fPrev = fNew;
            gPrev = gNew.copy();
            gtdPrev = gtdNew;
            probe = directionalEvaluate(closure, x, t, d);
            fNew = probe.loss;
            gNew = probe.grad;
            evals++;
            gtdNew = dot(gNew, d);
            iter++;
        }
        if (iter == MAX_LINE_SEARCH) {
            bracket = new double[] {0, t};
            bracketF = new double[] {f, fNew};
            bracketG = new Tensor[] {g, gNew};
            bracketGtd = new double[] {gtd, gtdNew};             // unused: the zoom below does not run
        }

        // zoom: refine the bracket until a point satisfies the conditions
        boolean insufficientProgress = false;
        int low = bracketF[0] <= bracketF[1] ? 0 : 1;
        int high = 1 - low;
        while (!done && iter < MAX_LINE_SEARCH) {
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < LINE_SEARCH_TOLERANCE_CHANGE) {
                break;
            }
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
            double hi = Math.max(bracket[0], bracket[1]);
            double lo = Math.min(bracket[0], bracket[1]);
            double eps = 0.1 * (hi - lo);
            if (Math.min(hi - t, t - lo) < eps) {
                // close to a boundary: move 10% of the bracket inside if progress was already insufficient
                if (insufficientProgress || t >= hi || t <= lo) {
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                } else {
                    insufficientProgress = true;
                }
            } else {
                insufficientProgress = false;
            }
            probe = directionalEvaluate(closure, x, t, d);
            fNew = probe.loss;
            gNew = probe.grad;
            evals++;
            gtdNew = dot(gNew, d);
            iter++;
            if (fNew > f + C1 * t * gtd || fNew >= bracketF[low]) {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = gNew.copy();
                bracketGtd[high] = gtdNew;
                low = bracketF[0] <= bracketF[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(gtdNew) <= -C2 * gtd) {
                    done = true;
                } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = gNew.copy();
                bracketGtd[low] = gtdNew;
            }
        }
        return new LineSearchResult(bracketF[low], bracketG[low], bracket[low], evals);
    }

    // ---------------------------------------------------------------------------------- state dict

    /** The state in the usual layout: numbers on parameter 0, per-parameter slices of the flat vectors. */
    @Override
    public OptimizerStateDict stateDict() {
        for (Tensor p : params) {
            ParamState s = state(p);
            if (s != null) {
                s.tensors.clear();
                s.scalars.clear();
            }
        }
        if (hasState) {
            ParamState first = stateOf(params.get(0));
            first.putScalar("funcEvals", funcEvals);
            first.putScalar("nIter", nIter);
            if (d != null) {
                first.putScalar("t", t);
                first.putScalar("hDiag", hDiag);
                first.putScalar("prevLoss", prevLoss);
                for (int k = 0; k < ro.size(); k++) {
                    first.putScalar("ro." + k, ro.get(k));
                }
            }
            int offset = 0;
            for (Tensor p : params) {
                ParamState s = stateOf(p);
                s.step = nIter;
                int n = p.numel();
                if (d != null) {
                    s.put("d", slice(d, offset, p));
                    s.put("prevFlatGrad", slice(prevFlatGrad, offset, p));
                    for (int k = 0; k < oldDirs.size(); k++) {
                        s.put("oldDirs." + k, slice(oldDirs.get(k), offset, p));
                        s.put("oldStps." + k, slice(oldStps.get(k), offset, p));
                    }
                }
                offset += n;
            }
        }
        return super.stateDict();
    }

    private static Tensor slice(Tensor flat, int offset, Tensor p) {
        return flat.narrow(0, offset, p.numel()).reshape(p.shape());
    }

    /** Loads a state saved by {@link #stateDict()}; nothing changes if it is rejected. */
    @Override
    public void loadStateDict(OptimizerStateDict dict) {
        OptimizerStateDict before = stateDict();
        super.loadStateDict(dict);
        try {
            restoreFlatState();
        } catch (RuntimeException e) {
            super.loadStateDict(before);
            restoreFlatState();
            throw e;
        }
    }

    private void restoreFlatState() {
        String where = "LBFGS.loadStateDict: ";
        ParamState first = state(params.get(0));
        funcEvals = 0;
        nIter = 0;
        d = null;
        prevFlatGrad = null;
        oldDirs.clear();
        oldStps.clear();
        ro.clear();
        hasState = first != null;
        if (first == null) {
            return;
        }
        funcEvals = count(where, "funcEvals", first.scalar("funcEvals", Double.NaN));
        nIter = count(where, "nIter", first.scalar("nIter", Double.NaN));
        if (first.tensor("d") == null) {
            return;
        }
        t = first.scalar("t", Double.NaN);
        hDiag = first.scalar("hDiag", Double.NaN);
        prevLoss = first.scalar("prevLoss", Double.NaN);
        d = flat(where, "d");
        prevFlatGrad = flat(where, "prevFlatGrad");
        for (int k = 0; first.tensor("oldDirs." + k) != null; k++) {
            oldDirs.add(flat(where, "oldDirs." + k));
            oldStps.add(flat(where, "oldStps." + k));
            double r = first.scalar("ro." + k, Double.NaN);
            if (Double.isNaN(r)) {
                throw new IllegalArgumentException(where + "the curvature pair " + k + " has no ro." + k);
            }
            ro.add(r);
        }
        for (Tensor p : params) {
            state(p).tensors.clear();                         // the flat copies above are the working state
        }
    }

    private static int count(String where, String name, double v) {
        if (!(v >= 0 && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
            throw new IllegalArgumentException(where + "the state number " + name + " should be a count, got " + v);
        }
        return (int) v;
    }

    private Tensor flat(String where, String name) {
        List<Tensor> parts = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            ParamState s = state(params.get(i));
            Tensor part = s == null ? null : s.tensor(name);
            if (part == null) {
                throw new IllegalArgumentException(where + "parameter " + i + " has no state tensor '" + name
                        + "' but parameter 0 has; the state dict is incomplete");
            }
            parts.add(part.reshape(part.numel()));
        }
        return parts.size() == 1 ? parts.get(0).copy() : Tensor.concat(parts, 0);
    }

}
