package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Rprop, resilient backpropagation, exactly as {@code torch.optim.Rprop}: each element keeps its own step size,
 * grown by {@code etaPlus} while the gradient keeps its sign and shrunk by {@code etaMinus} when it flips. With
 * {@code d = grad} (negated if maximize) and the previous step's {@code prev}:
 * <pre>
 * f = etaPlus where d * prev &gt; 0, etaMinus where d * prev &lt; 0, else 1
 * stepSize = clamp(stepSize * f, stepSizeMin, stepSizeMax)        (starts at lr)
 * d = 0 where f = etaMinus                                        (skip the update after a sign flip)
 * p = p - sign(d) * stepSize;   prev = d
 * </pre>
 *
 * <pre>{@code
 * var rprop = new Rprop(params);                                    // lr 1e-2, etas (0.5, 1.2), steps [1e-6, 50]
 * var tuned = new Rprop(params, Rprop.options().lr(0.1).etas(0.4, 1.5).stepSizes(1e-5, 1.0));
 * }</pre>
 *
 * <p>Options: {@code lr} (1e-2, the initial step size), {@code etaMinus} (0.5) and {@code etaPlus} (1.2) with
 * {@code 0 < etaMinus < 1 < etaPlus}, {@code stepSizeMin} (1e-6) and {@code stepSizeMax} (50) with
 * {@code 0 <= stepSizeMin <= stepSizeMax}, {@code maximize} (false). State: {@code prev}, {@code stepSize} and the
 * step count. Rprop is meant for full-batch training: it uses only the signs of the gradient. Unlike the other
 * optimizers here, a step allocates a few temporaries the size of the parameter (the sign masks and factors).
 */
public final class Rprop extends Optimizer {
    /** The learning rate: every element's initial step size (default 1e-2). */
    public static final Option<Double> LR = Option.number("lr", 1e-2);
    /** Factor that shrinks a step size after a sign change (default 0.5). */
    public static final Option<Double> ETA_MINUS = Option.number("etaMinus", 0.5);
    /** Factor that grows a step size while the sign holds (default 1.2). */
    public static final Option<Double> ETA_PLUS = Option.number("etaPlus", 1.2);
    /** The smallest step size (default 1e-6). */
    public static final Option<Double> STEP_SIZE_MIN = Option.number("stepSizeMin", 1e-6);
    /** The largest step size (default 50). */
    public static final Option<Double> STEP_SIZE_MAX = Option.number("stepSizeMax", 50.0);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    private static final List<Option<?>> OPTIONS = List.of(LR, ETA_MINUS, ETA_PLUS, STEP_SIZE_MIN, STEP_SIZE_MAX,
            MAXIMIZE);

    /** Rprop with PyTorch's defaults. */
    public Rprop(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Rprop over one group of parameters. */
    public Rprop(Iterable<Tensor> params, Options options) {
        super("Rprop", OPTIONS, options, single(params));
    }

    /** Rprop over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public Rprop(Map<String, Tensor> namedParams, Options options) {
        super("Rprop", OPTIONS, options, single(namedParams));
    }

    /** Rprop over several groups; options a group does not set come from {@code defaults}. */
    public Rprop(List<ParamGroup> groups, Options defaults) {
        super("Rprop", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** Rprop's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** The learning rate (the initial step size). */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** The shrink and grow factors ({@code 0 < etaMinus < 1 < etaPlus}). */
        public Options etas(double etaMinus, double etaPlus) {
            put(ETA_MINUS, etaMinus);
            return put(ETA_PLUS, etaPlus);
        }

        /** The smallest and largest step sizes. */
        public Options stepSizes(double min, double max) {
            put(STEP_SIZE_MIN, min);
            return put(STEP_SIZE_MAX, max);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put(MAXIMIZE, maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        double etaMinus = g.get(ETA_MINUS);
        double etaPlus = g.get(ETA_PLUS);
        if (!(etaMinus > 0 && etaMinus < 1)) {
            throw invalid(g, ETA_MINUS, etaMinus, "0 < etaMinus < 1");
        }
        if (!(etaPlus > 1 && etaPlus < Double.POSITIVE_INFINITY)) {
            throw invalid(g, ETA_PLUS, etaPlus, "a finite etaPlus > 1");
        }
        requireNonNegative(g, STEP_SIZE_MIN);
        double min = g.get(STEP_SIZE_MIN);
        double max = g.get(STEP_SIZE_MAX);
        if (!(max >= min)) {
            throw invalid(g, STEP_SIZE_MAX, max, "stepSizeMax >= stepSizeMin (" + min + ")");
        }
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double etaMinus = g.get(ETA_MINUS);
        Tensor d = Updates.effectiveGrad(grad, p, 0, g.get(MAXIMIZE), s);
        Tensor prev = s.zerosIfAbsent("prev", p);
        Tensor stepSize = s.tensor("stepSize");
        if (stepSize == null) {
            stepSize = p.zerosLike().fill(g.get(LR));
            s.put("stepSize", stepSize);
        }
        Tensor product = d.mul(prev);
        Tensor flipped = product.lt(0);
        Tensor factor = Tensor.where(product.gt(0), Tensor.scalar(g.get(ETA_PLUS), p.dtype()),
                Tensor.where(flipped, Tensor.scalar(etaMinus, p.dtype()), Tensor.scalar(1, p.dtype())));
        stepSize.mulInPlace(factor).clampInPlace(g.get(STEP_SIZE_MIN), g.get(STEP_SIZE_MAX));
        Tensor kept = Tensor.where(flipped, Tensor.scalar(0, p.dtype()), d);
        p.addcmulInPlace(kept.sign(), stepSize, -1);
        prev.copyFrom(kept);
    }
}
