package org.grad4j.nn;

import org.grad4j.core.Tensor;

/**
 * {@link Losses#gaussianNll} as a module, as {@code nn.GaussianNLLLoss}: three inputs, {@code forward(input, target,
 * var)}; defaults not full, eps 1e-6.
 */
public class GaussianNLLLoss extends Loss {
    private final boolean full;
    private final double eps;

    /** PyTorch's defaults. */
    public GaussianNLLLoss() {
        this(false, 1e-6, Reduction.MEAN);
    }

    /** Every option. */
    public GaussianNLLLoss(boolean full, double eps, Reduction reduction) {
        super(reduction);
        this.full = full;
        this.eps = eps;
    }

    /** {@code forward(input, target, var)}. */
    public Tensor forward(Tensor input, Tensor target, Tensor var) {
        Args.notNull(input, "GaussianNLLLoss.forward", "input");
        Args.notNull(target, "GaussianNLLLoss.forward", "target");
        Args.notNull(var, "GaussianNLLLoss.forward", "var");
        return Losses.gaussianNll(input, target, var, full, eps, reduction());
    }

    /** Needs the variance too: always throws; call {@link #forward(Tensor, Tensor, Tensor)}. */
    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "GaussianNLLLoss.forward", "input");
        Args.notNull(target, "GaussianNLLLoss.forward", "target");
        throw new IllegalArgumentException(name() + " takes (input, target, var): call forward(input, target, var)");
    }

    /** {@code forward(input, target, var)} from three inputs. */
    @Override
    public Tensor forward(Tensor... inputs) {
        Args.notNull(inputs, "GaussianNLLLoss.forward", "inputs");
        if (inputs.length != 3) {
            throw new IllegalArgumentException(name() + ".forward takes (input, target, var), got " + inputs.length
                    + " tensors");
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }

    @Override
    protected String extraRepr() {
        return "full=" + full + ", eps=" + eps + ", " + super.extraRepr();
    }
}
