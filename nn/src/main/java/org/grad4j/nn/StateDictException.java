package org.grad4j.nn;

import java.util.List;

/**
 * A state dict (or checkpoint file) that does not fit a module: keys missing or unexpected, shapes or dtypes that
 * differ. Thrown before anything is copied, so the module is left exactly as it was. The message lists every
 * problem; the accessors give them one by one.
 */
public class StateDictException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Names the module expects but the state lacks. */
    private final List<String> missingKeys;
    /** Names in the state the module does not have. */
    private final List<String> unexpectedKeys;
    /** Names present on both sides with a different shape or dtype, described. */
    private final List<String> mismatches;

    /**
     * @param message        the full explanation
     * @param missingKeys    keys the module has and the state dict lacks
     * @param unexpectedKeys keys the state dict has and the module lacks
     * @param mismatches     one line per key present in both whose shape or dtype differs
     */
    public StateDictException(String message, List<String> missingKeys, List<String> unexpectedKeys,
                              List<String> mismatches) {
        super(message);
        this.missingKeys = copy(missingKeys);
        this.unexpectedKeys = copy(unexpectedKeys);
        this.mismatches = copy(mismatches);
    }

    /** An unmodifiable copy; an exception being built must not fail, so null stands for an empty list. */
    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(list));
    }

    /** Keys the module has and the state dict lacks (reported only when loading strictly). */
    public List<String> missingKeys() {
        return missingKeys;
    }

    /** Keys the state dict has and the module lacks (reported only when loading strictly). */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    /** One line per shared key whose shape or dtype differs, e.g. {@code 0.weight: shape [8, 3] ... [8, 2] ...}. */
    public List<String> mismatches() {
        return mismatches;
    }
}
