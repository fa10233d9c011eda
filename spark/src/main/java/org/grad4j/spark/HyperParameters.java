package org.grad4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.optim.Optimizer;
import org.grad4j.optim.Option;
import org.grad4j.optim.ParamGroup;

/**
 * The options of an optimizer's param groups (learning rate, betas, ...) as the driver's optimizer holds them at a
 * step, after schedulers have run; shipped to the tasks that step optimizers of their own, keyed by option name.
 */
record HyperParameters(List<LinkedHashMap<String, Object>> groups) implements Serializable {

    static HyperParameters of(Optimizer optimizer) {
        List<LinkedHashMap<String, Object>> groups = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            LinkedHashMap<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<Option<?>, Object> e : g.options().entrySet()) {
                values.put(e.getKey().name(), e.getValue());
            }
            groups.add(values);
        }
        return new HyperParameters(groups);
    }

    /** Writes these options into {@code optimizer}'s groups, group by group, option by option (by name). */
    void applyTo(Optimizer optimizer) {
        List<ParamGroup> target = optimizer.paramGroups();
        if (target.size() != groups.size()) {
            throw new IllegalStateException("DistributedTrainer: the optimizer factory made " + target.size()
                    + " param groups here but " + groups.size() + " on the driver; it must build the same groups"
                    + " every time");
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup group = target.get(i);
            for (Option<?> option : List.copyOf(group.options().keySet())) {
                if (groups.get(i).containsKey(option.name())) {
                    set(group, option, groups.get(i).get(option.name()));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(ParamGroup group, Option<T> option, Object value) {
        group.set(option, (T) value);
    }
}
