package org.grad4j.spark;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.JsonText;
import org.grad4j.optim.OptimizerStateDict;

/**
 * The JSON metadata of an optimizer state dict as a mutable map (numbers as {@code Long} or {@code Double}), for
 * moving per-parameter step counts and scalars between the model's parameters and the flat slices.
 */
final class StateDictJson {
    private StateDictJson() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(OptimizerStateDict dict) {
        String text = dict.metadata().get(OptimizerStateDict.METADATA_KEY);
        if (text == null) {
            throw new IllegalArgumentException("DistributedTrainer: an optimizer state dict without its '"
                    + OptimizerStateDict.METADATA_KEY + "' metadata");
        }
        return (Map<String, Object>) normalize(JsonText.parse(text));
    }

    static OptimizerStateDict write(Map<String, Tensor> tensors, Map<String, Object> meta) {
        return new OptimizerStateDict(tensors, Map.of(OptimizerStateDict.METADATA_KEY, JsonText.write(meta)));
    }

    /** The entry of {@code key} (a map keyed by parameter index) for parameter 0, or null. */
    @SuppressWarnings("unchecked")
    static Object firstOf(Map<String, Object> meta, String key) {
        Object byParam = meta.get(key);
        return byParam instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("0") : null;
    }

    /** Gives parameters {@code 0 .. count-1} the same step count and scalars (those of one slice or parameter). */
    static void setForAll(Map<String, Object> meta, int count, Object step, Object scalars) {
        Map<String, Object> steps = new LinkedHashMap<>();
        Map<String, Object> allScalars = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (step != null) {
                steps.put(Integer.toString(i), step);
            }
            if (scalars != null) {
                allScalars.put(Integer.toString(i), scalars);
            }
        }
        meta.put("steps", steps);
        if (allScalars.isEmpty()) {
            meta.remove("scalars");
        } else {
            meta.put("scalars", allScalars);
        }
    }

    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) e.getKey(), normalize(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(normalize(o));
            }
            return out;
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException notIntegral) {
                return d.doubleValue();
            }
        }
        return value;
    }
}
