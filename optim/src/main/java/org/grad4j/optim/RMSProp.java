package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * RMSProp with optional momentum, centering and L2 weight decay, exactly as {@code torch.optim.RMSprop}. With
 * {@code d = grad (negated if maximize) + weightDecay * p}:
 * <pre>
 * v = alpha * v + (1 - alpha) * d * d
 * gAvg = alpha * gAvg + (1 - alpha) * d                 (centered)
 * avg = sqrt(centered ? v - gAvg * gAvg : v) + eps
 * b = momentum * b + d / avg;  p = p - lr * b           (momentum > 0)
 * p = p - lr * d / avg                                  (otherwise)
 * </pre>
 *
 * <pre>{@code
 * var rms = new RMSProp(params);                                   // lr 1e-2, alpha 0.99, eps 1e-8
 * var tuned = new RMSProp(params, RMSProp.options().lr(1e-3).momentum(0.9).centered(true));
 * }</pre>
 *
 * <p>Options: {@code lr} (1e-2), {@code alpha} (0.99, in [0, 1]), {@code eps} (1e-8), {@code weightDecay} (0),
 * {@code momentum} (0), {@code centered} (false), {@code maximize} (false). State: {@code squareAvg},
 * {@code momentumBuffer} (momentum > 0), {@code gradAvg} (centered) and the step count.
 */
public final class RMSProp extends Optimizer {
    /** The learning rate (default 1e-2). */
    public static final Option<Double> LR = Option.number("lr", 1e-2);
    /** Smoothing constant of the squared-gradient average (default 0.99). */
    public static final Option<Double> ALPHA = Option.number("alpha", 0.99);
    /** Term added to the denominator (default 1e-8). */
    public static final Option<Double> EPS = Option.number("eps", 1e-8);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** The momentum factor (default 0). */
    public static final Option<Double> MOMENTUM = Option.number("momentum", 0.0);
    /** Normalise by the estimated variance of the gradient (default false). */
    public static final Option<Boolean> CENTERED = Option.flag("centered", false);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    private static final List<Option<?>> OPTIONS = List.of(LR, ALPHA, EPS, WEIGHT_DECAY, MOMENTUM, CENTERED, MAXIMIZE);

    /** RMSProp with PyTorch's defaults. */
    public RMSProp(Iterable<Tensor> params) {
        this(params, options());
    }

    /** RMSProp over one group of parameters. */
    public RMSProp(Iterable<Tensor> params, Options options) {
        super("RMSProp", OPTIONS, options, single(params));
    }

    /** RMSProp over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public RMSProp(Map<String, Tensor> namedParams, Options options) {
        super("RMSProp", OPTIONS, options, single(namedParams));
    }

    /** RMSProp over several groups; options a group does not set come from {@code defaults}. */
    public RMSProp(List<ParamGroup> groups, Options defaults) {
        super("RMSProp", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** RMSProp's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** The learning rate. */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** The smoothing constant of the squared-gradient average. */
        public Options alpha(double alpha) {
            return put(ALPHA, alpha);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return put(EPS, eps);
        }

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put(WEIGHT_DECAY, weightDecay);
        }

        /** The momentum factor. */
        public Options momentum(double momentum) {
            return put(MOMENTUM, momentum);
        }

        /** Normalise by an estimate of the gradient's variance instead of its second moment. */
        public Options centered(boolean centered) {
            return put(CENTERED, centered);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put(MAXIMIZE, maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        requireNonNegative(g, EPS);
        requireNonNegative(g, MOMENTUM);
        requireNonNegative(g, WEIGHT_DECAY);
        requireFraction(g, ALPHA, true);
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double lr = g.get(LR);
        double alpha = g.get(ALPHA);
        double momentum = g.get(MOMENTUM);
        boolean centered = g.get(CENTERED);
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), g.get(MAXIMIZE), s);
        Tensor squareAvg = s.zerosIfAbsent("squareAvg", p);
        Tensor buf = momentum > 0 ? s.zerosIfAbsent("momentumBuffer", p) : null;
        Tensor gradAvg = centered ? s.zerosIfAbsent("gradAvg", p) : null;
        Tensor tmp = s.scratch("tmp", p);
        Tensor avg = s.scratch("denom", p);

        squareAvg.mulInPlace(alpha);
        squareAvg.addInPlace(tmp.copyFrom(d).mulInPlace(1 - alpha).mulInPlace(d));
        if (centered) {
            gradAvg.mulInPlace(alpha);
            gradAvg.addInPlace(d, 1 - alpha);
            avg.copyFrom(gradAvg).mulInPlace(-1.0).mulInPlace(gradAvg).addInPlace(squareAvg).sqrtInPlace();
        } else {
            avg.copyFrom(squareAvg).sqrtInPlace();
        }
        avg.addInPlace(g.get(EPS));
        if (momentum > 0) {
            buf.mulInPlace(momentum);
            buf.addInPlace(tmp.copyFrom(d).divInPlace(avg));
            p.addInPlace(buf, -lr);
        } else {
            p.addInPlace(tmp.copyFrom(d).mulInPlace(-lr).divInPlace(avg));
        }
    }
}
