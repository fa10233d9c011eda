package org.grad4j.optim;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.grad4j.core.Tensor;

/**
 * What an optimizer keeps for one parameter: a step count and named state tensors (PyTorch's {@code state[p]},
 * e.g. {@code expAvg} for {@code exp_avg}), which {@link Optimizer#stateDict()} saves, plus scratch buffers that
 * let an update run without allocating, which it does not save. Created on the parameter's first update.
 *
 * <pre>{@code
 * adam.step();
 * ParamState s = adam.state(w);
 * long t = s.step();                 // 1
 * Tensor m = s.tensor("expAvg");     // first moment, same shape and dtype as w
 * }</pre>
 */
public final class ParamState {
    long step;
    final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    /** Named numbers (e.g. NAdam's {@code muProduct}), saved with the tensors. */
    final LinkedHashMap<String, Double> scalars = new LinkedHashMap<>();
    private final Map<String, Tensor> scratch = new HashMap<>(4);

    ParamState() {
    }

    /** How many updates this parameter has had. */
    public long step() {
        return step;
    }

    /** The named state tensor, or null if this optimizer keeps none of that name (yet). */
    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    /** The names of the state tensors, in creation order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** The named state tensor, created as zeros shaped like {@code param} on first use. For optimizer code. */
    public Tensor zerosIfAbsent(String name, Tensor param) {
        Tensor t = tensors.get(name);
        if (t == null) {
            t = param.zerosLike();
            tensors.put(name, t);
        }
        return t;
    }

    /** Stores a state tensor (saved by {@link Optimizer#stateDict()}). For optimizer code. */
    public void put(String name, Tensor value) {
        tensors.put(name, value);
    }

    /** The named number ({@code NaN} allowed), or {@code defaultValue} if none was stored. For optimizer code. */
    public double scalar(String name, double defaultValue) {
        Double v = scalars.get(name);
        return v == null ? defaultValue : v;
    }

    /** The names of the stored numbers, in creation order. */
    public Set<String> scalarNames() {
        return Collections.unmodifiableSet(scalars.keySet());
    }

    /** Stores a named number (saved by {@link Optimizer#stateDict()}, bit-exactly). For optimizer code. */
    public void putScalar(String name, double value) {
        scalars.put(name, value);
    }

    /** Removes a state tensor or number of that name, if any. For optimizer code. */
    public void remove(String name) {
        tensors.remove(name);
        scalars.remove(name);
    }

    /**
     * A buffer shaped like {@code param} that an update may overwrite freely, created once and reused by every later
     * step; not part of the saved state. For optimizer code.
     */
    public Tensor scratch(String name, Tensor param) {
        Tensor t = scratch.get(name);
        if (t == null) {
            t = param.zerosLike();
            scratch.put(name, t);
        }
        return t;
    }

    @Override
    public String toString() {
        return "ParamState(step=" + step + ", " + tensors.keySet() + (scalars.isEmpty() ? "" : ", " + scalars) + ")";
    }
}
