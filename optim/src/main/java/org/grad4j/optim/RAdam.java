package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * RAdam, Adam with a rectified adaptive learning rate, exactly as {@code torch.optim.RAdam} 1.13. With
 * {@code d = grad + weightDecay * p} and the step count {@code t}:
 * <pre>
 * m = beta1 * m + (1 - beta1) * d
 * v = beta2 * v + (1 - beta2) * d * d
 * mHat = m / (1 - beta1^t)
 * rhoInf = 2 / (1 - beta2) - 1;   rhoT = rhoInf - 2 t beta2^t / (1 - beta2^t)
 * if rhoT > 5:  r = sqrt((rhoT - 4)(rhoT - 2) rhoInf / ((rhoInf - 4)(rhoInf - 2) rhoT))
 *               p = p - lr * mHat * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r
 * else:         p = p - lr * mHat
 * </pre>
 *
 * <pre>{@code
 * var radam = new RAdam(params);                                    // lr 1e-3, betas (0.9, 0.999)
 * var tuned = new RAdam(params, RAdam.options().lr(1e-2).weightDecay(1e-4));
 * }</pre>
 *
 * <p>Options: {@code lr} (1e-3), {@code beta1} (0.9) and {@code beta2} (0.999) in [0, 1), {@code eps} (1e-8),
 * {@code weightDecay} (0); PyTorch 1.13's RAdam has no {@code maximize}. State: {@code expAvg}, {@code expAvgSq}
 * and the step count.
 */
public final class RAdam extends Optimizer {
    /** The learning rate (default 1e-3). */
    public static final Option<Double> LR = Option.number("lr", 1e-3);
    /** Decay rate of the first moment (default 0.9). */
    public static final Option<Double> BETA1 = Option.number("beta1", 0.9);
    /** Decay rate of the second moment (default 0.999). */
    public static final Option<Double> BETA2 = Option.number("beta2", 0.999);
    /** Term added to the denominator (default 1e-8). */
    public static final Option<Double> EPS = Option.number("eps", 1e-8);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);

    private static final List<Option<?>> OPTIONS = List.of(LR, BETA1, BETA2, EPS, WEIGHT_DECAY);

    /** RAdam with PyTorch's defaults. */
    public RAdam(Iterable<Tensor> params) {
        this(params, options());
    }

    /** RAdam over one group of parameters. */
    public RAdam(Iterable<Tensor> params, Options options) {
        super("RAdam", OPTIONS, options, single(params));
    }

    /** RAdam over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public RAdam(Map<String, Tensor> namedParams, Options options) {
        super("RAdam", OPTIONS, options, single(namedParams));
    }

    /** RAdam over several groups; options a group does not set come from {@code defaults}. */
    public RAdam(List<ParamGroup> groups, Options defaults) {
        super("RAdam", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** RAdam's hyper-parameters; see the class comment for defaults and ranges. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
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

        /** L2 penalty added to the gradient. */
        public Options weightDecay(double weightDecay) {
            return put(WEIGHT_DECAY, weightDecay);
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
        double t = s.step;
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), false, s);
        Tensor m = s.zerosIfAbsent("expAvg", p);
        Tensor v = s.zerosIfAbsent("expAvgSq", p);
        Tensor tmp = s.scratch("tmp", p);
        m.mulInPlace(beta1);
        m.addInPlace(d, 1 - beta1);
        v.mulInPlace(beta2).addInPlace(tmp.copyFrom(d).mulInPlace(1 - beta2).mulInPlace(d));

        Tensor step = tmp.copyFrom(m).divInPlace(biasCorrection1).mulInPlace(lr);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / biasCorrection2;
        if (rhoT > 5) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            Tensor denom = s.scratch("denom", p).copyFrom(v).sqrtInPlace().addInPlace(g.get(EPS));
            Tensor adaptiveLr = s.scratch("adaptiveLr", p).fill(Math.sqrt(biasCorrection2)).divInPlace(denom);
            step.mulInPlace(adaptiveLr).mulInPlace(rect);
        }
        p.subInPlace(step);
    }
}
