package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Adamax, Adam with the infinity norm, exactly as {@code torch.optim.Adamax}. With
 * {@code d = grad (negated if maximize) + weightDecay * p} and the step count {@code t}:
 * <pre>
 * m = beta1 * m + (1 - beta1) * d
 * u = max(beta2 * u, |d| + eps)
 * p = p - lr / (1 - beta1^t) * m / u
 * </pre>
 *
 * <pre>{@code
 * var adamax = new Adamax(params);                                  // lr 2e-3, betas (0.9, 0.999), eps 1e-8
 * var tuned = new Adamax(params, Adamax.options().lr(1e-2).betas(0.8, 0.99));
 * }</pre>
 *
 * <p>Options: {@code lr} (2e-3), {@code beta1} (0.9) and {@code beta2} (0.999) in [0, 1), {@code eps} (1e-8),
 * {@code weightDecay} (0), {@code maximize} (false). State: {@code expAvg} ({@code m}), {@code expInf}
 * ({@code u}) and the step count.
 */
public final class Adamax extends Optimizer {
    /** The learning rate (default 2e-3). */
    public static final Option<Double> LR = Option.number("lr", 2e-3);
    /** Decay rate of the first moment (default 0.9). */
    public static final Option<Double> BETA1 = Option.number("beta1", 0.9);
    /** Decay rate of the infinity norm (default 0.999). */
    public static final Option<Double> BETA2 = Option.number("beta2", 0.999);
    /** Term added to the gradient's magnitude (default 1e-8). */
    public static final Option<Double> EPS = Option.number("eps", 1e-8);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    private static final List<Option<?>> OPTIONS = List.of(LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MAXIMIZE);

    /** Adamax with PyTorch's defaults. */
    public Adamax(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Adamax over one group of parameters. */
    public Adamax(Iterable<Tensor> params, Options options) {
        super("Adamax", OPTIONS, options, single(params));
    }

    /** Adamax over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public Adamax(Map<String, Tensor> namedParams, Options options) {
        super("Adamax", OPTIONS, options, single(namedParams));
    }

    /** Adamax over several groups; options a group does not set come from {@code defaults}. */
    public Adamax(List<ParamGroup> groups, Options defaults) {
        super("Adamax", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** Adamax's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** The learning rate. */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** The decay rates of the first moment and of the infinity norm. */
        public Options betas(double beta1, double beta2) {
            put(BETA1, beta1);
            return put(BETA2, beta2);
        }

        /** Term added to the gradient's magnitude for numerical stability. */
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
        requireNonNegative(g, EPS);
        requireFraction(g, BETA1, false);
        requireFraction(g, BETA2, false);
        requireNonNegative(g, WEIGHT_DECAY);
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double beta1 = g.get(BETA1);
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), g.get(MAXIMIZE), s);
        Tensor m = s.zerosIfAbsent("expAvg", p);
        Tensor u = s.zerosIfAbsent("expInf", p);
        Tensor tmp = s.scratch("tmp", p);
        m.mulInPlace(beta1);
        m.addInPlace(d, 1 - beta1);
        Tensor magnitude = tmp.copyFrom(d).mulInPlace(-1.0).maximumInPlace(d);      // |d| without allocating
        u.mulInPlace(g.get(BETA2)).maximumInPlace(magnitude.addInPlace(g.get(EPS)));
        double clr = g.get(LR) / (1 - Math.pow(beta1, s.step));
        p.addInPlace(tmp.copyFrom(m).mulInPlace(-clr).divInPlace(u));
    }
}
