package org.grad4j.optim;

import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Adam with decoupled weight decay, exactly as {@code torch.optim.AdamW}: each step first shrinks the parameter,
 * {@code p = p * (1 - lr * weightDecay)}, then applies the {@link Adam} update to the raw gradient (negated if
 * maximize), with no decay term in the gradient.
 *
 * <pre>{@code
 * var adamw = new AdamW(params);                                   // weight decay 1e-2
 * var tuned = new AdamW(params, AdamW.options().lr(1e-3).weightDecay(0.1));
 * }</pre>
 *
 * <p>Options as {@link Adam} ({@link Adam.Options}), except that {@code weightDecay} defaults to 1e-2. State:
 * {@code expAvg}, {@code expAvgSq}, {@code maxExpAvgSq} (amsgrad) and the step count.
 */
public final class AdamW extends Adam {
    /** AdamW with PyTorch's defaults. */
    public AdamW(Iterable<Tensor> params) {
        this(params, options());
    }

    /** AdamW over one group of parameters. */
    public AdamW(Iterable<Tensor> params, Adam.Options options) {
        this(single(params), options);
    }

    /** AdamW over named parameters ({@code model.namedParameters()}), names checked on state-dict load. */
    public AdamW(Map<String, Tensor> namedParams, Adam.Options options) {
        this(single(namedParams), options);
    }

    /** AdamW over several groups; options a group does not set come from {@code defaults}. */
    public AdamW(List<ParamGroup> groups, Adam.Options defaults) {
        super("AdamW", withDecayDefault(defaults), groups, true);
    }

    /** AdamW's weight decay defaults to 1e-2 (Adam's to 0). */
    private static Adam.Options withDecayDefault(Adam.Options defaults) {
        if (defaults == null || defaults.isSet(WEIGHT_DECAY)) {
            return defaults;
        }
        return defaults.copy().weightDecay(1e-2);
    }

    /** Options with nothing set (all AdamW defaults). */
    public static Adam.Options options() {
        return Adam.options();
    }
}
