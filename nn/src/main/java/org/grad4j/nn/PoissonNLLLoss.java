package org.grad4j.nn;

import org.grad4j.core.Tensor;

/** {@link Losses#poissonNll} as a module, as {@code nn.PoissonNLLLoss} (defaults: log input, not full, eps 1e-8). */
public class PoissonNLLLoss extends Loss {
    private final boolean logInput;
    private final boolean full;
    private final double eps;

    /** PyTorch's defaults. */
    public PoissonNLLLoss() {
        this(true, false, 1e-8, Reduction.MEAN);
    }

    /** Every option. */
    public PoissonNLLLoss(boolean logInput, boolean full, double eps, Reduction reduction) {
        super(reduction);
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Args.notNull(input, "PoissonNLLLoss.forward", "input");
        Args.notNull(target, "PoissonNLLLoss.forward", "target");
        return Losses.poissonNll(input, target, logInput, full, eps, reduction());
    }

    @Override
    protected String extraRepr() {
        return "logInput=" + logInput + ", full=" + full + ", " + super.extraRepr();
    }
}
