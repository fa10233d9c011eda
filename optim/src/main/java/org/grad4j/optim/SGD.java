package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight decay and
 * maximization, exactly as {@code torch.optim.SGD}. With {@code d = grad (negated if maximize) + weightDecay * p}:
 * <pre>
 * b = d                                         on the first step (no dampening)
 * b = momentum * b + (1 - dampening) * d        afterwards
 * d = nesterov ? d + momentum * b : b           (when momentum != 0)
 * p = p - lr * d
 * </pre>
 *
 * <pre>{@code
 * var sgd = new SGD(params, SGD.options(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4));
 * loss.backward();
 * sgd.step();
 * }</pre>
 *
 * <p>Options ({@link ParamGroup} keys): {@code lr} (required, {@code >= 0}), {@code momentum} (0, {@code >= 0}),
 * {@code dampening} (0, in [0, 1]), {@code weightDecay} (0, {@code >= 0}), {@code nesterov} (false; needs
 * momentum {@code > 0} and dampening 0), {@code maximize} (false). State: {@code momentumBuffer} when momentum is
 * non-zero.
 */
public final class SGD extends Optimizer {
    /** The learning rate (required). */
    public static final Option<Double> LR = Option.requiredNumber("lr");
    /** The momentum factor (default 0). */
    public static final Option<Double> MOMENTUM = Option.number("momentum", 0.0);
    /** Dampening of the momentum (default 0). */
    public static final Option<Double> DAMPENING = Option.number("dampening", 0.0);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** Nesterov momentum (default false). */
    public static final Option<Boolean> NESTEROV = Option.flag("nesterov", false);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    private static final List<Option<?>> OPTIONS = List.of(LR, MOMENTUM, DAMPENING, WEIGHT_DECAY, NESTEROV, MAXIMIZE);

    /** Plain SGD with the given learning rate. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(params, options(lr));
    }

    /** SGD over one group of parameters. */
    public SGD(Iterable<Tensor> params, Options options) {
        super("SGD", OPTIONS, options, single(params));
    }

    /**
     * SGD over named parameters ({@code model.namedParameters()}): the names are saved in the state dict and
     * checked when it is loaded.
     */
    public SGD(Map<String, Tensor> namedParams, Options options) {
        super("SGD", OPTIONS, options, single(namedParams));
    }

    /** Plain SGD over named parameters with the given learning rate. */
    public SGD(Map<String, Tensor> namedParams, double lr) {
        this(namedParams, options(lr));
    }

    /** SGD over several groups; options a group does not set come from {@code defaults}. */
    public SGD(List<ParamGroup> groups, Options defaults) {
        super("SGD", OPTIONS, defaults, groups);
    }

    /** Options with no learning rate yet (every group must then set one). */
    public static Options options() {
        return new Options();
    }

    /** Options with the given learning rate. */
    public static Options options(double lr) {
        return new Options().lr(lr);
    }

    /** SGD's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** The learning rate. */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** The momentum factor. */
        public Options momentum(double momentum) {
            return put(MOMENTUM, momentum);
        }

        /** Dampening applied to the gradient in the momentum update. */
        public Options dampening(double dampening) {
            return put(DAMPENING, dampening);
        }

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put(WEIGHT_DECAY, weightDecay);
        }

        /** Use Nesterov momentum. */
        public Options nesterov(boolean nesterov) {
            return put(NESTEROV, nesterov);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put(MAXIMIZE, maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        requireNonNegative(g, MOMENTUM);
        requireFraction(g, DAMPENING, true);
        requireNonNegative(g, WEIGHT_DECAY);
        if (g.get(NESTEROV) && (g.get(MOMENTUM) <= 0 || g.get(DAMPENING) != 0)) {
            throw invalid(g, NESTEROV, true, "momentum > 0 and dampening = 0 for Nesterov momentum, got momentum = "
                    + g.get(MOMENTUM) + " and dampening = " + g.get(DAMPENING));
        }
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double lr = g.get(LR);
        double momentum = g.get(MOMENTUM);
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), g.get(MAXIMIZE), s);
        if (momentum != 0) {
            Tensor buf = s.tensor("momentumBuffer");
            if (buf == null) {
                buf = d.copy();
                s.put("momentumBuffer", buf);
            } else {
                buf.mulInPlace(momentum);
                buf.addInPlace(d, 1 - g.get(DAMPENING));
            }
            if (g.get(NESTEROV)) {
                d = s.scratch("tmp", p).copyFrom(buf).mulInPlace(momentum).addInPlace(d);
            } else {
                d = buf;
            }
        }
        p.addInPlace(d, -lr);
    }
}
