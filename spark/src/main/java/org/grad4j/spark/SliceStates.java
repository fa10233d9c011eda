package org.grad4j.spark;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.JsonText;
import org.grad4j.optim.OptimizerStateDict;

/**
 * Cuts the state dict of the driver's optimizer (over the model's parameters) into the state dicts of the slice
 * optimizers (one parameter each: a slice of the flat parameter vector) and joins them back.
 *
 * <p>State tensors are concatenated in parameter order and cut like the parameters. The step count and the
 * per-parameter scalars (NAdam's {@code muProduct}, for instance) live in the JSON metadata entry
 * {@link OptimizerStateDict#METADATA_KEY} under {@code "steps"} and {@code "scalars"}, keyed by parameter index; a
 * slice holds one step count and one set of scalars, so they must be the same for every parameter (they are, when
 * every parameter has been updated at every step). Anything else is rejected with a message naming what differs:
 * state is never dropped.
 */
final class SliceStates {
    static final String FORMAT = "grad4j.optim/2";

    private SliceStates() {
    }

    /**
     * The driver's state cut into one slice state per slice, or null when the optimizer has no state yet.
     *
     * @param dict       the driver optimizer's state dict
     * @param params     the model's parameters, in the optimizer's order
     * @param layout     how the flat parameter vector is cut
     * @param sliceDicts a fresh state dict of each slice's optimizer (its groups and options are kept)
     */
    static SliceState[] cut(OptimizerStateDict dict, List<Tensor> params, SliceLayout layout,
            List<OptimizerStateDict> sliceDicts) {
        Map<String, Object> meta = metadata(dict, "the driver optimizer's state");
        Map<String, Object> steps = object(meta.get("steps"), "'steps' of the driver optimizer's state");
        Map<String, Object> scalars = meta.get("scalars") == null ? Map.of()
                : object(meta.get("scalars"), "'scalars' of the driver optimizer's state");
        if (steps.isEmpty() && dict.tensors().isEmpty() && scalars.isEmpty()) {
            return null;
        }
        Long step = null;
        Object sharedScalars = null;
        for (int i = 0; i < params.size(); i++) {
            String key = Integer.toString(i);
            if (steps.get(key) == null) {
                throw new IllegalStateException("SlicedSync: parameter " + i + " has no optimizer state (no step"
                        + " count) but others have; the sliced strategy needs state for all parameters or none"
                        + " (use Strategy.DRIVER)");
            }
            long s = count(steps.get(key), "the step count of parameter " + i + " in the driver optimizer's state");
            if (step != null && s != step) {
                throw new IllegalStateException("SlicedSync: parameter " + i + " has taken " + s + " optimizer steps"
                        + " but parameter 0 has taken " + step + "; the sliced strategy keeps one step count for"
                        + " all parameters (use Strategy.DRIVER)");
            }
            step = s;
            Object sc = scalars.get(key);
            if (i > 0 && !Objects.equals(sc, sharedScalars)) {
                throw new IllegalStateException("SlicedSync: parameter " + i + " has optimizer scalars " + sc
                        + " but parameter 0 has " + sharedScalars + "; the sliced strategy keeps one set for all"
                        + " parameters (use Strategy.DRIVER)");
            }
            sharedScalars = sc;
        }
        for (String key : steps.keySet()) {
            index(key, params.size(), "steps");
        }
        for (String key : scalars.keySet()) {
            index(key, params.size(), "scalars");
        }

        List<String> names = null;
        List<List<String>> namesOf = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            namesOf.add(new ArrayList<>());
        }
        Map<String, double[]> flat = new LinkedHashMap<>();
        int[] offsets = offsets(params);
        for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state")) {
                throw new IllegalStateException("SlicedSync: unexpected tensor '" + e.getKey() + "' in the driver"
                        + " optimizer's state; expected state.<param index>.<name>");
            }
            int i = index(parts[1], params.size(), e.getKey());
            double[] v = e.getValue().toDoubleArray();
            if (v.length != params.get(i).numel()) {
                throw new IllegalStateException("SlicedSync: state tensor '" + e.getKey() + "' has " + v.length
                        + " elements but parameter " + i + " has " + params.get(i).numel());
            }
            namesOf.get(i).add(parts[2]);
            System.arraycopy(v, 0, flat.computeIfAbsent(parts[2], k -> new double[layout.size()]), offsets[i],
                    v.length);
        }
        for (int i = 0; i < params.size(); i++) {
            List<String> mine = namesOf.get(i).stream().sorted().toList();
            if (names != null && !mine.equals(names)) {
                throw new IllegalStateException("SlicedSync: parameter " + i + " has optimizer state " + mine
                        + " but parameter 0 has " + names + "; the sliced strategy needs the same state for all"
                        + " parameters (use Strategy.DRIVER)");
            }
            names = mine;
        }

        SliceState[] out = new SliceState[layout.slices()];
        for (int s = 0; s < layout.slices(); s++) {
            LinkedHashMap<String, double[]> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : flat.entrySet()) {
                tensors.put("state.0." + e.getKey(), layout.cut(e.getValue(), s));
            }
            LinkedHashMap<String, String> sliceMeta = new LinkedHashMap<>();
            sliceMeta.put(OptimizerStateDict.METADATA_KEY, withState(
                    metadata(sliceDicts.get(s), "the state of slice " + s + "'s optimizer"), 1, step, sharedScalars));
            out[s] = new SliceState(tensors, sliceMeta);
        }
        return out;
    }

    /**
     * The slices' states joined into a state dict of the driver's optimizer.
     *
     * @param states     each slice's state, as its optimizer saved it
     * @param params     the model's parameters, in the optimizer's order
     * @param layout     how the flat parameter vector is cut
     * @param driverDict a state dict of the driver's optimizer (its groups and options are kept)
     * @param pilotDict  a state dict of the one-element optimizer that schedulers drive: each group's
     *                   {@code initialLr}, where a scheduler set one, is carried over, so the joined state says what a
     *                   driver-strategy run's would
     */
    static OptimizerStateDict join(SliceState[] states, List<Tensor> params, SliceLayout layout,
            OptimizerStateDict driverDict, OptimizerStateDict pilotDict) {
        long step = -1;
        Object sharedScalars = null;
        for (int s = 0; s < states.length; s++) {
            String what = "the state of slice " + s;
            Map<String, Object> meta = metadata(states[s].metadata(), what);
            Map<String, Object> steps = object(meta.get("steps"), "'steps' of " + what);
            Map<String, Object> scalars = meta.get("scalars") == null ? Map.of()
                    : object(meta.get("scalars"), "'scalars' of " + what);
            if (!steps.keySet().equals(Set.of("0")) || !Set.of("0").containsAll(scalars.keySet())) {
                throw new IllegalStateException("SlicedSync: " + what + " should describe one parameter '0', got"
                        + " steps " + steps + " and scalars " + scalars);
            }
            long mine = count(steps.get("0"), "the step count of " + what);
            if (s > 0 && mine != step) {
                throw new IllegalStateException("SlicedSync: slice " + s + " has taken " + mine + " steps but slice 0"
                        + " has taken " + step);
            }
            step = mine;
            if (s > 0 && !Objects.equals(scalars.get("0"), sharedScalars)) {
                throw new IllegalStateException("SlicedSync: slice " + s + " has optimizer scalars "
                        + scalars.get("0") + " but slice 0 has " + sharedScalars);
            }
            sharedScalars = scalars.get("0");
            if (!states[s].tensors().keySet().equals(states[0].tensors().keySet())) {
                throw new IllegalStateException("SlicedSync: slice " + s + " has optimizer state "
                        + states[s].tensors().keySet() + " but slice 0 has " + states[0].tensors().keySet());
            }
        }
        int[] offsets = offsets(params);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String key : states[0].tensors().keySet()) {
            if (!key.startsWith("state.0.")) {
                throw new IllegalStateException("SlicedSync: unexpected tensor '" + key + "' in the state of a slice;"
                        + " expected state.0.<name>");
            }
            String name = key.substring("state.0.".length());
            double[] flat = new double[layout.size()];
            for (int s = 0; s < states.length; s++) {
                double[] part = states[s].tensors().get(key);
                if (part.length != layout.length(s)) {
                    throw new IllegalStateException("SlicedSync: state tensor '" + key + "' of slice " + s + " has "
                            + part.length + " elements but the slice has " + layout.length(s));
                }
                layout.paste(part, flat, s);
            }
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                double[] part = Arrays.copyOfRange(flat, offsets[i], offsets[i] + p.numel());
                Tensor t = Tensor.ofShape(part, p.shape());
                tensors.put("state." + i + "." + name, p.dtype() == DType.FLOAT64 ? t : t.to(p.dtype()));
            }
        }
        Map<String, Object> driverMeta = metadata(driverDict, "the driver optimizer's state");
        List<Object> groups = list(driverMeta.get("groups"), "'groups' of the driver optimizer's state");
        List<Object> pilotGroups = list(metadata(pilotDict, "the pilot optimizer's state").get("groups"),
                "'groups' of the pilot optimizer's state");
        if (groups.size() != pilotGroups.size()) {
            throw new IllegalStateException("SlicedSync: the driver's optimizer has " + groups.size() + " param groups"
                    + " but the pilot optimizer has " + pilotGroups.size());
        }
        for (int g = 0; g < groups.size(); g++) {
            Object initialLr = object(pilotGroups.get(g), "param group " + g + " of the pilot optimizer's state")
                    .get("initialLr");
            if (initialLr != null) {
                object(groups.get(g), "param group " + g + " of the driver optimizer's state").put("initialLr",
                        initialLr);
            }
        }
        Map<String, String> meta = Map.of(OptimizerStateDict.METADATA_KEY,
                withState(driverMeta, params.size(), step, sharedScalars));
        return new OptimizerStateDict(tensors, meta);
    }

    /** The metadata with every parameter {@code 0..parameters-1} given this step count and these scalars. */
    private static String withState(Map<String, Object> meta, int parameters, long step, Object scalars) {
        Map<String, Object> steps = new LinkedHashMap<>();
        Map<String, Object> allScalars = new LinkedHashMap<>();
        for (int i = 0; i < parameters; i++) {
            steps.put(Integer.toString(i), step);
            if (scalars != null) {
                allScalars.put(Integer.toString(i), scalars);
            }
        }
        meta.put("steps", steps);
        meta.remove("scalars");
        if (!allScalars.isEmpty()) {
            meta.put("scalars", allScalars);
        }
        return JsonText.write(meta);
    }

    private static Map<String, Object> metadata(OptimizerStateDict dict, String what) {
        return metadata(dict.metadata(), what);
    }

    private static Map<String, Object> metadata(Map<String, String> metadata, String what) {
        String text = metadata.get(OptimizerStateDict.METADATA_KEY);
        if (text == null || metadata.size() != 1) {
            throw new IllegalStateException("SlicedSync: " + what + " should have one metadata entry '"
                    + OptimizerStateDict.METADATA_KEY + "', got " + metadata.keySet());
        }
        Map<String, Object> meta = object(JsonText.parse(text), "metadata '" + OptimizerStateDict.METADATA_KEY
                + "' of " + what);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalStateException("SlicedSync: " + what + " has format " + meta.get("format") + ", the"
                    + " sliced strategy reads " + FORMAT);
        }
        return meta;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalStateException("SlicedSync: " + what + " should be a JSON object, got " + value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IllegalStateException("SlicedSync: " + what + " should be a JSON array, got " + value);
    }

    private static long count(Object value, String what) {
        if (value instanceof BigDecimal d) {
            try {
                long n = d.longValueExact();
                if (n >= 0) {
                    return n;
                }
            } catch (ArithmeticException e) {
                // reported below
            }
        }
        throw new IllegalStateException("SlicedSync: " + what + " should be a non-negative integer, got " + value);
    }

    private static int index(String text, int count, String where) {
        try {
            int i = Integer.parseInt(text);
            if (i >= 0 && i < count) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("SlicedSync: '" + where + "' names parameter " + text + " but the model has "
                + count + " parameters");
    }

    private static int[] offsets(List<Tensor> params) {
        int[] out = new int[params.size()];
        int at = 0;
        for (int i = 0; i < params.size(); i++) {
            out[i] = at;
            at += params.get(i).numel();
        }
        return out;
    }
}
