package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * Base of loss modules: {@link #forward(Tensor, Tensor)} takes a prediction and a target. A loss is a
 * {@link Module}, so it can hold buffers (class weights) and be printed; it has no parameters. A custom loss is
 * written the same way:
 * <pre>{@code
 * class LogCosh extends Loss {
 *     LogCosh() { super(Reduction.MEAN); }
 *     public Tensor forward(Tensor input, Tensor target) {
 *         Tensor d = input.sub(target);
 *         return Losses.reduce(d.add(Activations.softplus(d.mul(-2))).sub(Math.log(2)), reduction());
 *     }
 * }
 * }</pre>
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    /** A loss with the given reduction. */
    protected Loss(Reduction reduction) {
        this.reduction = Args.notNull(reduction, getClass().getSimpleName(), "reduction");
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: this always throws; call {@link #forward(Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input) {
        throw new IllegalArgumentException(name() + " needs a target: call forward(input, target)");
    }

    /** {@code forward(inputs[0], inputs[1])}; exactly two inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        if (inputs == null || inputs.length != 2) {
            throw new IllegalArgumentException(name() + ".forward takes (input, target), got " + (inputs == null ? "null" : inputs.length)
                    + " tensors");
        }
        return forward(inputs[0], inputs[1]);
    }

    /** How this loss reduces its per-element values. */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    protected String extraRepr() {
        return "reduction=" + reduction;
    }
}
