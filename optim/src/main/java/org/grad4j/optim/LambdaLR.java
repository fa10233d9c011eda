package org.grad4j.optim;

import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's learning rate to its base rate times a function of the epoch, as
 * {@code torch.optim.lr_scheduler.LambdaLR}: {@code lr = baseLr * lambda(epoch)}, one function for all groups or one
 * per group.
 *
 * <pre>{@code
 * var sched = new LambdaLR(opt, epoch -> Math.pow(0.95, epoch));
 * var perGroup = new LambdaLR(opt, List.of(epoch -> 1.0 / (epoch + 1), epoch -> 1.0));
 * }</pre>
 *
 * <p>The functions are code, so the state dict holds only the epoch and the rates (PyTorch saves a lambda's fields
 * when it is an object; a Java function's captured state is the caller's to restore). A function must return a
 * finite factor {@code >= 0}.
 */
public final class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** One factor function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, nCopies(optimizer, lrLambda));
    }

    /** One factor function per param group, in order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lrLambdas) {
        super(optimizer);
        if (lrLambdas == null || lrLambdas.stream().anyMatch(java.util.Objects::isNull)) {
            throw invalid("LambdaLR", "lrLambdas", lrLambdas, "a function per param group, none null");
        }
        if (lrLambdas.size() != baseLrs.length) {
            throw invalid("LambdaLR", "lrLambdas", lrLambdas.size() + " functions", baseLrs.length
                    + " functions, one per param group");
        }
        this.lambdas = List.copyOf(lrLambdas);
        initialStep();
    }

    private static List<IntToDoubleFunction> nCopies(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        if (lrLambda == null) {
            throw invalid("LambdaLR", "lrLambda", null, "a function of the epoch");
        }
        return java.util.Collections.nCopies(optimizer == null ? 1 : optimizer.paramGroups().size(), lrLambda);
    }

    /** Advances one epoch; if a function returns a bad factor, throws and stays at the current epoch. */
    @Override
    public void step() {
        try {
            super.step();
        } catch (IllegalStateException e) {
            lastEpoch--;
            throw e;
        }
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            double factor = lambdas.get(i).applyAsDouble(lastEpoch);
            if (!(factor >= 0 && factor < Double.POSITIVE_INFINITY)) {
                throw new IllegalStateException("LambdaLR: the function of param group " + i + " returned " + factor
                        + " at epoch " + lastEpoch + "; it must return a finite factor >= 0");
            }
            lrs[i] = baseLrs[i] * factor;
        }
        return lrs;
    }
}
