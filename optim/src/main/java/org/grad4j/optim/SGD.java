package org.grad4j.optim;

import java.util.LinkedHashMap;
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
    private static final Map<String, Object> DEFAULTS = builtinDefaults();

    private static Map<String, Object> builtinDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", Double.NaN);
        d.put("momentum", 0.0);
        d.put("dampening", 0.0);
        d.put("weightDecay", 0.0);
        d.put("nesterov", false);
        d.put("maximize", false);
        return d;
    }

    /** Plain SGD with the given learning rate. */
    public SGD(Iterable<Tensor> params, double lr) {
        this(params, options(lr));
    }

    /** SGD over one group of parameters. */
    public SGD(Iterable<Tensor> params, Options options) {
        super("SGD", DEFAULTS, options, single(params));
    }

    /** SGD over several groups; options a group does not set come from {@code defaults}. */
    public SGD(List<ParamGroup> groups, Options defaults) {
        super("SGD", DEFAULTS, defaults, groups);
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
            return put("lr", lr);
        }

        /** The momentum factor. */
        public Options momentum(double momentum) {
            return put("momentum", momentum);
        }

        /** Dampening applied to the gradient in the momentum update. */
        public Options dampening(double dampening) {
            return put("dampening", dampening);
        }

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put("weightDecay", weightDecay);
        }

        /** Use Nesterov momentum. */
        public Options nesterov(boolean nesterov) {
            return put("nesterov", nesterov);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put("maximize", maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireNonNegative(g, "momentum");
        requireFraction(g, "dampening", true);
        requireNonNegative(g, "weightDecay");
        if (g.flag("nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw invalid(g, "nesterov", true, "momentum > 0 and dampening = 0 for Nesterov momentum, got momentum = "
                    + g.get("momentum") + " and dampening = " + g.get("dampening"));
        }
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double lr = g.get("lr");
        double momentum = g.get("momentum");
        Tensor d = Updates.effectiveGrad(grad, p, g.get("weightDecay"), g.flag("maximize"), s);
        Tensor tmp = s.scratch("tmp", p);
        if (momentum != 0) {
            Tensor buf = s.tensor("momentumBuffer");
            if (buf == null) {
                buf = d.copy();
                s.put("momentumBuffer", buf);
            } else {
                buf.mulInPlace(momentum);
                Updates.addScaled(buf, d, 1 - g.get("dampening"), tmp);
            }
            if (g.flag("nesterov")) {
                d = tmp.copyFrom(buf).mulInPlace(momentum).addInPlace(d);
            } else {
                d = buf;
            }
        }
        Updates.addScaled(p, d, -lr, tmp);
    }
}
