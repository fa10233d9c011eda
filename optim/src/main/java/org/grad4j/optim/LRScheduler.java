package org.grad4j.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the epoch-based learning-rate schedulers, with {@code torch.optim.lr_scheduler} semantics: construction
 * performs the first step (epoch 0), each {@link #step()} advances one epoch and writes the new learning rate into
 * every param group, {@link #lastLr()} reads what was written. Call {@code optimizer.step()} before
 * {@code scheduler.step()}.
 *
 * <pre>{@code
 * var opt = new SGD(params, SGD.options(0.1).momentum(0.9));
 * LRScheduler sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 90; epoch++) {
 *     train(opt);
 *     sched.step();
 * }
 * }</pre>
 *
 * <p>The base learning rates are each group's {@code initialLr}, set to its current lr by the first scheduler
 * attached to the optimizer (as PyTorch's {@code initial_lr}), so schedulers created one after the other (for
 * {@link SequentialLR}) agree on them. A subclass computes the rates in {@link #computeLr()} and calls
 * {@link #initialStep()} at the end of its constructor.
 */
public abstract class LRScheduler {
    /** The optimizer whose groups this scheduler drives. */
    protected final Optimizer optimizer;
    /** Each group's initial learning rate. */
    protected final double[] baseLrs;
    /** The current epoch: -1 before the initial step, then 0, 1, ... */
    protected int lastEpoch = -1;
    private double[] lastLr;

    /** Attaches to {@code optimizer}; the subclass constructor must end with {@link #initialStep()}. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Args.notNull(optimizer, getClass().getSimpleName(), "optimizer");
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (Double.isNaN(g.initialLr)) {
                g.initialLr = g.lr();
            }
            baseLrs[i] = g.initialLr;
        }
        lastLr = currentLrs();
    }

    /** Performs the step to epoch 0; subclass constructors call it last. */
    protected final void initialStep() {
        step();
    }

    /** Advances one epoch and sets each group's learning rate. */
    public void step() {
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to {@code epoch} using the closed form (what {@link SequentialLR} does at a milestone). */
    void stepTo(int epoch) {
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    /**
     * The learning rates for {@link #lastEpoch}, one per group; may read the groups' current rates (the chainable
     * form PyTorch's {@code get_lr} uses).
     */
    protected abstract double[] computeLr();

    /** The learning rates for {@link #lastEpoch} from the base rates alone; defaults to {@link #computeLr()}. */
    protected double[] closedFormLr() {
        return computeLr();
    }

    /** The groups' current learning rates. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = groups.get(i).lr();
        }
        return lrs;
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (groups.size() != baseLrs.length) {
            throw new IllegalStateException(getClass().getSimpleName() + ": the optimizer now has " + groups.size()
                    + " param groups but had " + baseLrs.length + " when the scheduler was created;"
                    + " create the scheduler after adding all groups");
        }
        for (int i = 0; i < lrs.length; i++) {
            groups.get(i).setLr(lrs[i]);
        }
        lastLr = currentLrs();
    }

    /** The learning rates this scheduler last set, one per group (PyTorch's {@code get_last_lr()}). */
    public double[] lastLr() {
        return lastLr.clone();
    }

    void setLastLr(double[] lrs) {
        lastLr = lrs.clone();
    }

    /** The current epoch (0 after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer this scheduler drives. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The scheduler's progress as strings (epoch and last rates), to save next to the optimizer's state. */
    public Map<String, String> stateDict() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lastEpoch", Integer.toString(lastEpoch));
        m.put("baseLrs", join(baseLrs));
        m.put("lastLr", join(lastLr));
        return m;
    }

    /**
     * Restores progress saved by {@link #stateDict()}: epoch, base rates and last rates. The groups' current rates
     * come from the optimizer's own state dict: load that after constructing the scheduler.
     */
    public void loadStateDict(Map<String, String> state) {
        String who = getClass().getSimpleName() + ".loadStateDict: ";
        Args.notNull(state, getClass().getSimpleName() + ".loadStateDict", "state");
        String epoch = state.get("lastEpoch");
        if (epoch == null || state.get("lastLr") == null || state.get("baseLrs") == null) {
            throw new IllegalArgumentException(who + "expected keys lastEpoch, baseLrs and lastLr, got " + state.keySet());
        }
        double[] last = parse(who, state.get("lastLr"));
        double[] base = parse(who, state.get("baseLrs"));
        if (last.length != baseLrs.length || base.length != baseLrs.length) {
            throw new IllegalArgumentException(who + "saved " + base.length + " base and " + last.length
                    + " last learning rates for " + baseLrs.length + " param groups");
        }
        try {
            lastEpoch = Integer.parseInt(epoch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(who + "lastEpoch = '" + epoch + "' is not an integer");
        }
        System.arraycopy(base, 0, baseLrs, 0, base.length);
        lastLr = last;
    }

    private static double[] parse(String who, String text) {
        try {
            return text.isEmpty() ? new double[0] : Arrays.stream(text.split(",")).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(who + "'" + text + "' is not a comma-separated list of numbers");
        }
    }

    static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.isEmpty() ? "" : ",").append(v);
        }
        return sb.toString();
    }

    /** Throws the standard message for a bad scheduler argument. */
    static IllegalArgumentException invalid(String scheduler, String option, Object value, String expected) {
        return new IllegalArgumentException(scheduler + ": invalid " + option + " = " + value + "; expected " + expected);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(epoch " + lastEpoch + ", lr " + Arrays.toString(lastLr) + ")";
    }
}
