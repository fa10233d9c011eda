package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Adadelta with L2 weight decay, exactly as {@code torch.optim.Adadelta}. With
 * {@code d = grad (negated if maximize) + weightDecay * p}:
 * <pre>
 * v = rho * v + (1 - rho) * d * d
 * delta = sqrt(u + eps) / sqrt(v + eps) * d
 * u = rho * u + (1 - rho) * delta * delta
 * p = p - lr * delta
 * </pre>
 *
 * <pre>{@code
 * var adadelta = new Adadelta(params);                              // lr 1, rho 0.9, eps 1e-6
 * var tuned = new Adadelta(params, Adadelta.options().rho(0.95).weightDecay(1e-4));
 * }</pre>
 *
 * <p>Options: {@code lr} (1.0), {@code rho} (0.9, in [0, 1]), {@code eps} (1e-6), {@code weightDecay} (0),
 * {@code maximize} (false). State: {@code squareAvg} ({@code v}), {@code accDelta} ({@code u}) and the step count.
 */
public final class Adadelta extends Optimizer {
    /** The learning rate, a factor on the computed step (default 1.0). */
    public static final Option<Double> LR = Option.number("lr", 1.0);
    /** Decay rate of both running averages (default 0.9). */
    public static final Option<Double> RHO = Option.number("rho", 0.9);
    /** Term added inside both square roots (default 1e-6). */
    public static final Option<Double> EPS = Option.number("eps", 1e-6);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    private static final List<Option<?>> OPTIONS = List.of(LR, RHO, EPS, WEIGHT_DECAY, MAXIMIZE);

    /** Adadelta with PyTorch's defaults. */
    public Adadelta(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Adadelta over one group of parameters. */
    public Adadelta(Iterable<Tensor> params, Options options) {
        super("Adadelta", OPTIONS, options, single(params));
    }

    /** Adadelta over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public Adadelta(Map<String, Tensor> namedParams, Options options) {
        super("Adadelta", OPTIONS, options, single(namedParams));
    }

    /** Adadelta over several groups; options a group does not set come from {@code defaults}. */
    public Adadelta(List<ParamGroup> groups, Options defaults) {
        super("Adadelta", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** Adadelta's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** The learning rate. */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** The decay rate of the running averages of squared gradients and squared updates. */
        public Options rho(double rho) {
            return put(RHO, rho);
        }

        /** Term added inside the square roots for numerical stability. */
        public Options eps(double eps) {
            return put(EPS, eps);
        }

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put(WEIGHT_DECAY, weightDecay);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put(MAXIMIZE, maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        requireFraction(g, RHO, true);
        requireNonNegative(g, EPS);
        requireNonNegative(g, WEIGHT_DECAY);
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double rho = g.get(RHO);
        double eps = g.get(EPS);
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), g.get(MAXIMIZE), s);
        Tensor squareAvg = s.zerosIfAbsent("squareAvg", p);
        Tensor accDelta = s.zerosIfAbsent("accDelta", p);
        Tensor tmp = s.scratch("tmp", p);
        Tensor delta = s.scratch("delta", p);
        // addcmul_(a, b, value) rounds as (value * a) * b, so the products are formed in that order
        squareAvg.mulInPlace(rho).addInPlace(tmp.copyFrom(d).mulInPlace(1 - rho).mulInPlace(d));
        Tensor std = tmp.copyFrom(squareAvg).addInPlace(eps).sqrtInPlace();
        delta.copyFrom(accDelta).addInPlace(eps).sqrtInPlace().divInPlace(std).mulInPlace(d);
        accDelta.mulInPlace(rho).addInPlace(tmp.copyFrom(delta).mulInPlace(1 - rho).mulInPlace(delta));
        p.addInPlace(delta, -g.get(LR));
    }
}
