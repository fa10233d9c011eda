package org.grad4j.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.grad4j.core.Tensor;

/**
 * A list of sub-modules, as {@code nn.ModuleList}: its modules are children named {@code 0, 1, 2, ...}, so their
 * parameters are found, saved and printed; unlike {@link Sequential} it has no forward of its own, the owner
 * decides how to use them.
 * <pre>{@code
 * class Tower extends Module {
 *     final ModuleList blocks = new ModuleList();
 *     Tower(int depth) { for (int i = 0; i < depth; i++) blocks.add(new Linear(8, 8)); }
 *     public Tensor forward(Tensor x) {
 *         for (Module b : blocks) x = b.call(x).relu();
 *         return x;
 *     }
 * }
 * new Tower(3).namedParameters().keySet();   // [blocks.0.weight, blocks.0.bias, blocks.1.weight, ...]
 * }</pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    private final transient List<Module> modules = new ArrayList<>();

    /** The given modules, in order. */
    public ModuleList(Module... modules) {
        if (modules == null) {
            throw new IllegalArgumentException("ModuleList: modules is null (pass no argument for an empty list)");
        }
        for (Module m : modules) {
            add(m);
        }
    }

    /** The modules of a list, in order. */
    public ModuleList(List<? extends Module> modules) {
        if (modules == null) {
            throw new IllegalArgumentException("ModuleList: the list of modules is null");
        }
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module (named by its position); returns this. */
    public ModuleList add(Module module) {
        if (module == null) {
            throw new IllegalArgumentException("ModuleList.add: module " + modules.size() + " is null");
        }
        registerModule(String.valueOf(modules.size()), module);
        modules.add(module);
        return this;
    }

    /** The module at {@code index} (negative counts from the end, as in Python). */
    public Module get(int index) {
        int i = index < 0 ? index + modules.size() : index;
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList.get: index " + index + " is out of range for "
                    + modules.size() + " modules");
        }
        return modules.get(i);
    }

    /** Number of modules. */
    public int size() {
        return modules.size();
    }

    /** The modules in order (a snapshot). */
    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(modules).iterator();
    }

    /** A ModuleList has no forward of its own (as in PyTorch): iterate over it in the owner's forward. */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward; iterate over its modules in the owning"
                + " module's forward, or use Sequential to chain them");
    }
}
