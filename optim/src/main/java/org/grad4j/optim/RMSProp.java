package org.grad4j.optim;

import java.util.LinkedHashMap;
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
    private static final Map<String, Object> DEFAULTS = builtinDefaults();

    private static Map<String, Object> builtinDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", 1e-2);
        d.put("alpha", 0.99);
        d.put("eps", 1e-8);
        d.put("weightDecay", 0.0);
        d.put("momentum", 0.0);
        d.put("centered", false);
        d.put("maximize", false);
        return d;
    }

    /** RMSProp with PyTorch's defaults. */
    public RMSProp(Iterable<Tensor> params) {
        this(params, options());
    }

    /** RMSProp over one group of parameters. */
    public RMSProp(Iterable<Tensor> params, Options options) {
        super("RMSProp", DEFAULTS, options, single(params));
    }

    /** RMSProp over several groups; options a group does not set come from {@code defaults}. */
    public RMSProp(List<ParamGroup> groups, Options defaults) {
        super("RMSProp", DEFAULTS, defaults, groups);
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
            return put("lr", lr);
        }

        /** The smoothing constant of the squared-gradient average. */
        public Options alpha(double alpha) {
            return put("alpha", alpha);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return put("eps", eps);
        }

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put("weightDecay", weightDecay);
        }

        /** The momentum factor. */
        public Options momentum(double momentum) {
            return put("momentum", momentum);
        }

        /** Normalise by an estimate of the gradient's variance instead of its second moment. */
        public Options centered(boolean centered) {
            return put("centered", centered);
        }

        /** Maximize the objective instead of minimizing it. */
        public Options maximize(boolean maximize) {
            return put("maximize", maximize);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr");
        requireNonNegative(g, "eps");
        requireNonNegative(g, "momentum");
        requireNonNegative(g, "weightDecay");
        requireFraction(g, "alpha", true);
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double lr = g.get("lr");
        double alpha = g.get("alpha");
        double momentum = g.get("momentum");
        boolean centered = g.flag("centered");
        Tensor d = Updates.effectiveGrad(grad, p, g.get("weightDecay"), g.flag("maximize"), s);
        Tensor squareAvg = s.zerosIfAbsent("squareAvg", p);
        Tensor buf = momentum > 0 ? s.zerosIfAbsent("momentumBuffer", p) : null;
        Tensor gradAvg = centered ? s.zerosIfAbsent("gradAvg", p) : null;
        Tensor tmp = s.scratch("tmp", p);
        Tensor avg = s.scratch("denom", p);

        squareAvg.mulInPlace(alpha);
        squareAvg.addInPlace(tmp.copyFrom(d).mulInPlace(1 - alpha).mulInPlace(d));
        if (centered) {
            gradAvg.mulInPlace(alpha);
            Updates.addScaled(gradAvg, d, 1 - alpha, tmp);
            avg.copyFrom(gradAvg).mulInPlace(-1.0).mulInPlace(gradAvg).addInPlace(squareAvg).sqrtInPlace();
        } else {
            avg.copyFrom(squareAvg).sqrtInPlace();
        }
        avg.addInPlace(g.get("eps"));
        if (momentum > 0) {
            buf.mulInPlace(momentum);
            buf.addInPlace(tmp.copyFrom(d).divInPlace(avg));
            Updates.addScaled(p, buf, -lr, tmp);
        } else {
            p.addInPlace(tmp.copyFrom(d).mulInPlace(-lr).divInPlace(avg));
        }
    }
}
