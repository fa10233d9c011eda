package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * NAdam, Adam with Nesterov momentum and a momentum schedule, exactly as {@code torch.optim.NAdam} 1.13. With
 * {@code d = grad + weightDecay * p}, the step count {@code t} and {@code mu_k = beta1 (1 - 0.96^(k psi) / 2)}
 * ({@code psi} the momentum decay):
 * <pre>
 * muProduct = muProduct * mu_t                          (starts at 1)
 * m = beta1 * m + (1 - beta1) * d
 * v = beta2 * v + (1 - beta2) * d * d
 * denom = sqrt(v / (1 - beta2^t)) + eps
 * p = p - lr (1 - mu_t) / (1 - muProduct) * d / denom
 *       - lr mu_{t+1} / (1 - muProduct mu_t mu_{t+1}) * m / denom
 * </pre>
 * (The last product is what PyTorch 1.13's code computes; its documentation writes {@code muProduct mu_{t+1}}.)
 *
 * <pre>{@code
 * var nadam = new NAdam(params);                                    // lr 2e-3, betas (0.9, 0.999)
 * var tuned = new NAdam(params, NAdam.options().lr(1e-2).momentumDecay(8e-3));
 * }</pre>
 *
 * <p>Options: {@code lr} (2e-3), {@code beta1} (0.9) and {@code beta2} (0.999) in [0, 1), {@code eps} (1e-8),
 * {@code weightDecay} (0), {@code momentumDecay} (4e-3); PyTorch 1.13's NAdam has no {@code maximize}. State:
 * {@code expAvg}, {@code expAvgSq}, the number {@code muProduct} and the step count.
 */
public final class NAdam extends Optimizer {
    /** The learning rate (default 2e-3). */
    public static final Option<Double> LR = Option.number("lr", 2e-3);
    /** Decay rate of the first moment (default 0.9). */
    public static final Option<Double> BETA1 = Option.number("beta1", 0.9);
    /** Decay rate of the second moment (default 0.999). */
    public static final Option<Double> BETA2 = Option.number("beta2", 0.999);
    /** Term added to the denominator (default 1e-8). */
    public static final Option<Double> EPS = Option.number("eps", 1e-8);
    /** L2 penalty added to the gradient (default 0). */
    public static final Option<Double> WEIGHT_DECAY = Option.number("weightDecay", 0.0);
    /** The momentum decay {@code psi} of the momentum schedule (default 4e-3). */
    public static final Option<Double> MOMENTUM_DECAY = Option.number("momentumDecay", 4e-3);

    private static final List<Option<?>> OPTIONS = List.of(LR, BETA1, BETA2, EPS, WEIGHT_DECAY, MOMENTUM_DECAY);

    /** NAdam with PyTorch's defaults. */
    public NAdam(Iterable<Tensor> params) {
        this(params, options());
    }

    /** NAdam over one group of parameters. */
    public NAdam(Iterable<Tensor> params, Options options) {
        super("NAdam", OPTIONS, options, single(params));
    }

    /** NAdam over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public NAdam(Map<String, Tensor> namedParams, Options options) {
        super("NAdam", OPTIONS, options, single(namedParams));
    }

    /** NAdam over several groups; options a group does not set come from {@code defaults}. */
    public NAdam(List<ParamGroup> groups, Options defaults) {
        super("NAdam", OPTIONS, defaults, groups);
    }

    /** Options with nothing set (all defaults). */
    public static Options options() {
        return new Options();
    }

    /** NAdam's hyper-parameters; see the class comment for defaults and ranges. */
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

        /** The momentum decay of the momentum schedule. */
        public Options momentumDecay(double momentumDecay) {
            return put(MOMENTUM_DECAY, momentumDecay);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, LR);
        requireNonNegative(g, EPS);
        requireFraction(g, BETA1, false);
        requireFraction(g, BETA2, false);
        requireNonNegative(g, WEIGHT_DECAY);
        requireNonNegative(g, MOMENTUM_DECAY);
    }

    @Override
    protected void update(ParamGroup g, Tensor p, Tensor grad, ParamState s) {
        double lr = g.get(LR);
        double beta1 = g.get(BETA1);
        double beta2 = g.get(BETA2);
        double momentumDecay = g.get(MOMENTUM_DECAY);
        double t = s.step;
        Tensor d = Updates.effectiveGrad(grad, p, g.get(WEIGHT_DECAY), false, s);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
        double muProduct = s.scalar("muProduct", 1.0) * mu;
        s.putScalar("muProduct", muProduct);
        double muProductNext = muProduct * mu * muNext;

        Tensor m = s.zerosIfAbsent("expAvg", p);
        Tensor v = s.zerosIfAbsent("expAvgSq", p);
        Tensor tmp = s.scratch("tmp", p);
        m.mulInPlace(beta1);
        m.addInPlace(d, 1 - beta1);
        v.mulInPlace(beta2).addInPlace(tmp.copyFrom(d).mulInPlace(1 - beta2).mulInPlace(d));
        Tensor denom = s.scratch("denom", p).copyFrom(v).divInPlace(biasCorrection2).sqrtInPlace()
                .addInPlace(g.get(EPS));
        // addcdiv_(a, b, value) rounds as (value * a) / b
        p.addInPlace(tmp.copyFrom(d).mulInPlace(-lr * (1 - mu) / (1 - muProduct)).divInPlace(denom));
        p.addInPlace(tmp.copyFrom(m).mulInPlace(-lr * muNext / (1 - muProductNext)).divInPlace(denom));
    }
}
