package org.grad4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/** State dicts: collecting a module tree's parameters and buffers by name, and loading them back all-or-nothing. */
final class ModuleState {
    private ModuleState() {
    }

    /** See {@link Module#stateDict()}. */
    static Map<String, Tensor> stateDict(Module root) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ModuleTree.Visit m : ModuleTree.preOrder(root, false)) {
            List<ModuleFields.Entry> entries = m.module().ownEntries();
            for (ModuleFields.Kind kind : new ModuleFields.Kind[] {ModuleFields.Kind.PARAMETER,
                    ModuleFields.Kind.BUFFER}) {
                for (ModuleFields.Entry e : entries) {
                    if (e.kind() == kind) {
                        out.put(m.qualify(e.name()), ((Tensor) e.value()).detach());
                    }
                }
            }
        }
        return out;
    }

    /** See {@link Module#loadStateDict(Map, boolean)}; {@code source} names the dict (a file) in messages. */
    static Module.LoadResult load(Module root, Map<String, Tensor> state, boolean strict, String source) {
        if (state == null) {
            throw new IllegalArgumentException(source + ": the state dict is null");
        }
        Map<String, Tensor> target = stateDict(root);
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : target.entrySet()) {
            String key = e.getKey();
            if (!state.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Tensor src = state.get(key);
            Tensor dst = e.getValue();
            if (src == null) {
                mismatches.add(key + ": the value is null");
            } else if (!Arrays.equals(src.shape(), dst.shape())) {
                mismatches.add(key + ": shape " + Arrays.toString(src.shape()) + " in the state dict, "
                        + Arrays.toString(dst.shape()) + " in the model");
            } else if (src.dtype() != dst.dtype()) {
                mismatches.add(key + ": dtype " + src.dtype() + " in the state dict, " + dst.dtype()
                        + " in the model (convert with .to(DType." + dst.dtype().name() + "))");
            } else if (hasOverlap(dst)) {
                mismatches.add(key + ": the model's tensor is an expanded view (strides "
                        + Arrays.toString(dst.strides()) + ") and cannot be written");
            }
        }
        for (String key : state.keySet()) {
            if (!target.containsKey(key)) {
                unexpected.add(String.valueOf(key));
            }
        }
        boolean keyProblem = strict && (!missing.isEmpty() || !unexpected.isEmpty());
        if (keyProblem || !mismatches.isEmpty()) {
            StringBuilder msg = new StringBuilder(source).append(": the state dict does not fit ").append(root.name())
                    .append("; nothing was loaded");
            if (strict && !missing.isEmpty()) {
                msg.append("\n  missing keys (in the model, not in the state dict): ")
                        .append(String.join(", ", missing));
            }
            if (strict && !unexpected.isEmpty()) {
                msg.append("\n  unexpected keys (in the state dict, not in the model): ")
                        .append(String.join(", ", unexpected));
            }
            for (String m : mismatches) {
                msg.append("\n  ").append(m);
            }
            if (keyProblem) {
                msg.append("\n  (load with strict = false to skip missing and unexpected keys)");
            }
            throw new StateDictException(msg.toString(), strict ? missing : List.of(),
                    strict ? unexpected : List.of(), mismatches);
        }
        try (Grad.Scope off = Grad.disabled()) {
            for (Map.Entry<String, Tensor> e : target.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copyFrom(src);
                }
            }
        }
        return new Module.LoadResult(missing, unexpected);
    }

    private static boolean hasOverlap(Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                return true;
            }
        }
        return false;
    }
}
