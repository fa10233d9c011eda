package org.grad4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.ParamGroup;

/**
 * The options of an optimizer's param groups (learning rate, betas, ...) as the driver's optimizer holds them at a
 * step, after schedulers have run; shipped to the tasks that step optimizers of their own.
 */
record HyperParameters(List<LinkedHashMap<String, Object>> groups) implements Serializable {

    static HyperParameters of(Optimizer optimizer) {
        List<LinkedHashMap<String, Object>> groups = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            groups.add(new LinkedHashMap<>(g.options()));
        }
        return new HyperParameters(groups);
    }

    /** Writes these options into {@code optimizer}'s groups, group by group. */
    void applyTo(Optimizer optimizer) {
        List<ParamGroup> target = optimizer.paramGroups();
        if (target.size() != groups.size()) {
            throw new IllegalStateException("DistributedTrainer: the optimizer factory made " + target.size()
                    + " param groups here but " + groups.size() + " on the driver; it must build the same groups"
                    + " every time");
        }
        for (int i = 0; i < groups.size(); i++) {
            for (Map.Entry<String, Object> e : groups.get(i).entrySet()) {
                if (e.getValue() instanceof Boolean b) {
                    target.get(i).set(e.getKey(), b);
                } else {
                    target.get(i).set(e.getKey(), ((Number) e.getValue()).doubleValue());
                }
            }
        }
    }
}
