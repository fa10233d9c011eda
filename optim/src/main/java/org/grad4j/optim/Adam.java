package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.FusedUpdates;
import org.grad4j.core.Tensor;

/**
 * Adam with L2 weight decay (added to the gradient) and the AMSGrad variant, exactly as {@code torch.optim.Adam}.
 * With {@code d = grad (negated if maximize) + weightDecay * p} and the step count {@code t}:
 * <pre>
 * m = beta1 * m + (1 - beta1) * d
 * v = beta2 * v + (1 - beta2) * d * d
 * vMax = max(vMax, v)                                   (amsgrad; then used in place of v below)
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps
 * p = p - lr / (1 - beta1^t) * m / denom
 * </pre>
 *
 * <pre>{@code
 * var adam = new Adam(params);                                     // lr 1e-3, betas (0.9, 0.999), eps 1e-8
 * var tuned = new Adam(params, Adam.options().lr(3e-4).betas(0.9, 0.98).amsgrad(true));
 * }</pre>
 *
 * <p>Options: {@code lr} (1e-3), {@code beta1} (0.9) and {@code beta2} (0.999) in [0, 1), {@code eps} (1e-8),
 * {@code weightDecay} (0), {@code amsgrad} (false), {@code maximize} (false). State: {@code expAvg},
 * {@code expAvgSq}, {@code maxExpAvgSq} (amsgrad) and the step count. For decoupled weight decay use
 * {@link AdamW}.
 */
public class Adam extends Optimizer {
    /** The learning rate (default 1e-3). */
    public static final Option<Double> LR = Option.number("lr", 1e-3);
    /** Decay rate of the first moment (default 0.9). */
    public static final Option<Double> BETA1 = Option.number("beta1", 0.9);
    /** Decay rate of the second moment (default 0.999). */
    public static final Option<Double> BETA2 = Option.number("beta2", 0.999);
    /** Term added to the denominator (default 1e-8). */
    public static final Option<Double> EPS = Option.number("eps", 1e-8);
    /** Weight decay (default 0 for Adam, 1e-2 for AdamW). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** The AMSGrad variant (default false). */
    public static final Option<Boolean> AMSGRAD = Option.flag("amsgrad", false);
    /** Maximize instead of minimize (default false). */
    public static final Option<Boolean> MAXIMIZE = Option.flag("maximize", false);

    static final List<Option<?>> OPTIONS = List.of(LR, BETA1, BETA2, EPS, WEIGHT_DECAY, AMSGRAD, MAXIMIZE);

    private final boolean decoupled;

    /** Adam with PyTorch's defaults. */
    public Adam(Iterable<Tensor> params) {
        this(params, options());
    }

    /** Adam over one group of parameters. */
    public Adam(Iterable<Tensor> params, Options options) {
        this(single(params), options);
    }

    /**
     * Adam over named parameters ({@code model.namedParameters()}): the names are saved in the state dict and
     * checked when it is loaded.
     */
    public Adam(Map<String, Tensor> namedParams, Options options) {
        this(single(namedParams), options);
    }

    /** Adam over several groups; options a group does not set come from {@code defaults}. */
    public Adam(List<ParamGroup> groups, Options defaults) {
        this("Adam", defaults, groups, false);
    }

    Adam(String name, Options defaults, List<ParamGroup> groups, boolean decoupled) {
        super(name, OPTIONS, defaults, groups);
        this.decoupled = decoupled;
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** The hyper-parameters of {@link Adam} and {@link AdamW}; see the class comments for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
        }

        /** A copy of these options. */
        Options copy() {
            Options c = new Options();
            c.copyFrom(this);
            return c;
        }

        private void copyFrom(Options other) {
            other.values().forEach(this::putUnchecked);
        }

        @SuppressWarnings("unchecked")
        private void putUnchecked(Option<?> option, Object value) {
            put((Option<Object>) option, value);
        }

        /** The learning rate. */
        public Options lr(double lr) {
            return put(LR, lr);
        }

        /** The decay rates of the first and second moment averages. */
        public Options betas(double beta1, double beta2) {
            put(BETA1, beta1);
            return put(BETA2, beta2);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return put(EPS, eps);
        }

        /** Weight decay: an L2 penalty added to the gradient (Adam), or the decoupled decay rate (AdamW). */
        public Options weightDecay(double weightDecay) {
            return put(WEIGHT_DECAY, weightDecay);
        }

        /** Use the AMSGrad variant (the running maximum of the second moment). */
        public Options amsgrad(boolean amsgrad) {
            return put(AMSGRAD, amsgrad);
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
        double lr = g.get(LR);
        double beta1 = g.get(BETA1);
        double beta2 = g.get(BETA2);
        double weightDecay = g.get(WEIGHT_DECAY);
        boolean maximize = g.get(MAXIMIZE);
        Tensor m = s.zerosIfAbsent("expAvg", p);
        Tensor v = s.zerosIfAbsent("expAvgSq", p);
        if (!g.get(AMSGRAD) && (weightDecay == 0 || decoupled) && !maximize && FusedUpdates.canFuse(p, grad, m, v)) {
            // The common case in one pass over p, grad, m and v: the same arithmetic as the in-place ops below.
            double decay = lr * weightDecay != 0 ? 1 - lr * weightDecay : 1;
            FusedUpdates.adam(p, grad, m, v, beta1, beta2, lr / (1 - Math.pow(beta1, s.step)),
                    Math.sqrt(1 - Math.pow(beta2, s.step)), g.get(EPS), decay);
            return;
        }
        Tensor d;
        if (decoupled) {
            if (lr * weightDecay != 0) {
                p.mulInPlace(1 - lr * weightDecay);
            }
            d = Updates.effectiveGrad(grad, p, 0, maximize, s);
        } else {
            d = Updates.effectiveGrad(grad, p, weightDecay, maximize, s);
        }
        Tensor tmp = s.scratch("tmp", p);
        m.mulInPlace(beta1);
        m.addInPlace(d, 1 - beta1);
        v.mulInPlace(beta2);
        v.addInPlace(tmp.copyFrom(d).mulInPlace(1 - beta2).mulInPlace(d));

        double biasCorrection1 = 1 - Math.pow(beta1, s.step);
        double biasCorrection2 = 1 - Math.pow(beta2, s.step);
        double stepSize = lr / biasCorrection1;
        Tensor second = v;
        if (g.get(AMSGRAD)) {
            second = s.zerosIfAbsent("maxExpAvgSq", p).maximumInPlace(v);
        }
        Tensor denom = s.scratch("denom", p);
        denom.copyFrom(second).sqrtInPlace().divInPlace(Math.sqrt(biasCorrection2)).addInPlace(g.get(EPS));
        p.addInPlace(tmp.copyFrom(m).mulInPlace(-stepSize).divInPlace(denom));
    }
}
