package org.grad4j.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.Tensor;

/**
 * Sub-modules by name, in insertion order, as {@code nn.ModuleDict}: each is a child under its key, so a
 * {@code heads} dict with key {@code "age"} gives parameters {@code heads.age.weight}. Keys must be non-empty and
 * contain no {@code '.'}. It has no forward of its own.
 * <pre>{@code
 * var heads = new ModuleDict().put("age", new Linear(16, 1)).put("label", new Linear(16, 10));
 * Tensor age = heads.get("age").call(features);
 * }</pre>
 */
public class ModuleDict extends Module {
    private final transient LinkedHashMap<String, Module> modules = new LinkedHashMap<>();

    /** An empty dict. */
    public ModuleDict() {
    }

    /** The entries of {@code modules}, in its iteration order. */
    public ModuleDict(Map<String, ? extends Module> modules) {
        if (modules == null) {
            throw new IllegalArgumentException("ModuleDict: the map of modules is null");
        }
        modules.forEach(this::put);
    }

    /**
     * Adds {@code module} under {@code key}, or replaces the module already there (keeping the key's position, as
     * a Python dict does); returns this.
     */
    public ModuleDict put(String key, Module module) {
        if (key == null || module == null) {
            throw new IllegalArgumentException("ModuleDict.put: " + (key == null ? "key" : "module for '" + key + "'")
                    + " is null");
        }
        if (modules.containsKey(key)) {
            // re-register every entry so the replaced one keeps its position
            modules.put(key, module);
            modules.keySet().forEach(this::unregister);
            modules.forEach(this::registerModule);
        } else {
            registerModule(key, module);
            modules.put(key, module);
        }
        return this;
    }

    /** The module under {@code key}. */
    public Module get(String key) {
        Module m = modules.get(key);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict.get: no module under '" + key + "'; keys: "
                    + modules.keySet());
        }
        return m;
    }

    /** Whether a module is stored under {@code key}. */
    public boolean containsKey(String key) {
        return modules.containsKey(key);
    }

    /** Removes and returns the module under {@code key}, or null if there is none. */
    public Module remove(String key) {
        Module m = modules.remove(key);
        if (m != null) {
            unregister(key);
        }
        return m;
    }

    /** Number of modules. */
    public int size() {
        return modules.size();
    }

    /** The modules by key, in order (read-only view). */
    public Map<String, Module> asMap() {
        return Collections.unmodifiableMap(modules);
    }

    /** A ModuleDict has no forward of its own (as in PyTorch): pick its modules in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleDict has no forward; call its modules (get(key)) in the"
                + " owning module's forward");
    }
}
