package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Adagrad with learning-rate decay and L2 weight decay, exactly as {@code torch.optim.Adagrad} (dense gradients).
 * With {@code d = grad (negated if maximize) + weightDecay * p} and the step count {@code t}:
 * <pre>
 * clr = lr / (1 + (t - 1) * lrDecay)
 * sum = sum + d * d                                     (sum starts at initialAccumulatorValue)
 * p = p - clr * d / (sqrt(sum) + eps)
 * </pre>
 *
 * <pre>{@code
 * var adagrad = new Adagrad(params);                                // lr 1e-2, eps 1e-10
 * var tuned = new Adagrad(params, Adagrad.options().lr(0.1).lrDecay(1e-4).initialAccumulatorValue(0.1));
 * }</pre>
 *
 * <p>Options: {@code lr} (1e-2), {@code lrDecay} (0), {@code weightDecay} (0), {@code initialAccumulatorValue}
 * (0), {@code eps} (1e-10), {@code maximize} (false), all numbers {@code >= 0}. State: {@code sum} and the step
 * count. (PyTorch creates {@code sum} when the optimizer is built; here it is created on a parameter's first
 * update, from the group's {@code initialAccumulatorValue} at that time.)
 */
public final class Adagrad extends Optimizer {
    /** The learning rate (default 1e-2). */
    public static final Option<Double> LR = Option.number("lr", 1e-2);
    /** Learning-rate decay per step (default 0). */
    public static final Option<Double> LR_DECAY = Option.number("lrDecay", 0.0);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** The starting value of the sum of squared gradients (default 0). */
    public static final Option<Double> INITIAL_ACCUMULATOR_VALUE = Option.number("initialAccumulatorValue", 0.0);
    /** Term added to the denominator (default 1e-10). */
    public static final Option<Double> EPS = Option.number("eps", 1e-10);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    private static final List<Option<?>> OPTIONS = List.of(LR, LR_DECAY, WEIGHT_DECAY, INITIAL_ACCUMULATOR_VALUE,
            EPS, MAXIMIZE);

    /** Adagrad with PyTorch's defaults. */
    public Adagrad(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Adagrad over one group of parameters. */
    public Adagrad(Iterable<Tensor> params, Options options) {
        super("Adagrad", OPTIONS, options, single(params));
    }

    /** Adagrad over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public Adagrad(Map<String, Tensor> namedParams, Options options) {
        super("Adagrad", OPTIONS, options, single(namedParams));
    }

    /** Adagrad over several groups; options a group does not set come from {@code defaults}. */
    public Adagrad(List<ParamGroup> groups, Options defaults) {
        super("Adagrad", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** Adagrad's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** The learning rate. */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** Learning-rate decay: step {@code t} uses {@code lr / (1 + (t - 1) * lrDecay)}. */
        public Options lrDecay(double lrDecay) {
            return put(LR_DECAY, lrDecay);
        }

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put(WEIGHT_DECAY, weightDecay);
        }

        /** The starting value of the sum of squared gradients. */
        public Options initialAccumulatorValue(double value) {
            return put(INITIAL_ACCUMULATOR_VALUE, value);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return put(EPS, eps);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put(MAXIMIZE, maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        requireNonNegative(g, LR_DECAY);
        requireNonNegative(g, WEIGHT_DECAY);
        requireNonNegative(g, INITIAL_ACCUMULATOR_VALUE);
        requireNonNegative(g, EPS);
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), g.get(MAXIMIZE), s);
        double clr = g.get(LR) / (1 + (s.step - 1) * g.get(LR_DECAY));
        Tensor sum = s.tensor("sum");
        if (sum == null) {
            sum = p.zerosLike().fill(g.get(INITIAL_ACCUMULATOR_VALUE));
            s.put("sum", sum);
        }
        Tensor tmp = s.scratch("tmp", p);
        sum.addInPlace(tmp.copyFrom(d).mulInPlace(d));
        Tensor std = s.scratch("denom", p).copyFrom(sum).sqrtInPlace().addInPlace(g.get(EPS));
        p.addInPlace(tmp.copyFrom(d).mulInPlace(-clr).divInPlace(std));
    }
}
