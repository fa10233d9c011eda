package org.grad4j.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after the other, switching at the given epochs, as
 * {@code torch.optim.lr_scheduler.SequentialLR}: scheduler {@code k} drives epochs
 * {@code [milestones[k-1], milestones[k])} and restarts from its own epoch 0 at its milestone. The typical use is a
 * warm-up followed by a decay.
 *
 * <pre>{@code
 * var opt = new AdamW(params, AdamW.options().lr(1e-3));
 * var warm = new LinearWarmup(opt, 0.01, 5);
 * var cosine = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warm, cosine), 5);   // epochs 0-4 warm up, 5-99 anneal
 * }</pre>
 *
 * <p>The schedulers must drive the given optimizer and must not be stepped directly afterwards. Construction resets
 * each group's rate to its initial rate and restarts the first scheduler at epoch 0.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /** @param milestones the epochs at which the next scheduler takes over: one fewer than the schedulers, increasing */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int... milestones) {
        super(optimizer);
        Args.notNull(schedulers, "SequentialLR", "schedulers");
        Args.notNull(milestones, "SequentialLR", "milestones");
        for (int i = 0; i < schedulers.size(); i++) {
            Args.notNull(schedulers.get(i), "SequentialLR", "scheduler " + i);
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        if (this.schedulers.isEmpty()) {
            throw invalid("SequentialLR", "schedulers", "[]", "at least one scheduler");
        }
        for (int i = 0; i < this.schedulers.size(); i++) {
            if (this.schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i + " ("
                        + this.schedulers.get(i).getClass().getSimpleName()
                        + ") drives a different optimizer; all schedulers must drive the one given");
            }
            if (this.schedulers.get(i) instanceof SequentialLR) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i + " is itself a SequentialLR");
            }
        }
        if (milestones.length != this.schedulers.size() - 1) {
            throw invalid("SequentialLR", "milestones", Arrays.toString(milestones), "one fewer milestone than the "
                    + this.schedulers.size() + " schedulers");
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw invalid("SequentialLR", "milestones", Arrays.toString(milestones),
                        "strictly increasing epochs >= 1");
            }
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(groups.get(i).initialLr);
        }
        for (LRScheduler s : this.schedulers) {
            s.lastEpoch -= 1;
        }
        this.schedulers.get(0).initialStep();
        lastEpoch = 0;
        copyLastLr(this.schedulers.get(0));
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) {
            idx++;
        }
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) {
            s.stepTo(0);
        } else {
            s.step();
        }
        copyLastLr(s);
    }

    private void copyLastLr(LRScheduler s) {
        setLastLr(s.lastLr());
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("SequentialLR delegates to its schedulers");
    }

    /** Its own epoch and rates, plus each scheduler's entries prefixed {@code scheduler.<k>.}. */
    @Override
    public Map<String, String> stateDict() {
        Map<String, String> m = super.stateDict();
        for (int k = 0; k < schedulers.size(); k++) {
            for (Map.Entry<String, String> e : schedulers.get(k).stateDict().entrySet()) {
                m.put("scheduler." + k + "." + e.getKey(), e.getValue());
            }
        }
        return m;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        for (int k = 0; k < schedulers.size(); k++) {
            String prefix = "scheduler." + k + ".";
            Map<String, String> sub = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, String> e : state.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    sub.put(e.getKey().substring(prefix.length()), e.getValue());
                }
            }
            schedulers.get(k).loadStateDict(sub);
        }
        super.loadStateDict(state);
    }
}
