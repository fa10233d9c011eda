package org.grad4j.core;

import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link Function}'s forward leaves for its backward: saved tensors (checked against in-place changes, freed
 * after backward unless the graph is retained), plain values, and which inputs need a gradient.
 */
public final class FunctionContext {
    private Tensor[] saved = Node.NONE;
    private final Map<String, Object> values = new HashMap<>();
    boolean[] needsInputGrad;
    Node node;

    FunctionContext() {
    }

    /** Keeps tensors for backward (inputs or the output); call once in forward. */
    public void saveForBackward(Tensor... tensors) {
        this.saved = Args.noNulls(tensors, "FunctionContext.saveForBackward", "tensors").clone();
    }

    /** The tensors passed to {@link #saveForBackward}, in order. In backward only. */
    public Tensor[] savedTensors() {
        if (node == null) {
            return saved.clone();
        }
        Tensor[] out = new Tensor[saved.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.saved(i);
        }
        return out;
    }

    Tensor[] savedForNode() {
        return saved;
    }

    /** Stores a non-tensor value (a shape, a flag) for backward. */
    public void put(String key, Object value) {
        values.put(key, value);
    }

    /** A value stored by {@code put} in forward, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("FunctionContext.get: nothing was put under '" + key + "'");
        }
        return (T) values.get(key);
    }

    /** Whether input {@code i} needs a gradient; backward may return null for those that do not. */
    public boolean needsInputGrad(int i) {
        if (i < 0 || i >= needsInputGrad.length) {
            throw new IllegalArgumentException("FunctionContext.needsInputGrad: input " + i + " does not exist;"
                    + " the function was applied to " + needsInputGrad.length + " input"
                    + (needsInputGrad.length == 1 ? "" : "s"));
        }
        return needsInputGrad[i];
    }
}
