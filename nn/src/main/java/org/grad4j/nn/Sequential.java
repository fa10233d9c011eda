package org.grad4j.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.grad4j.core.Tensor;

/**
 * Modules applied one after the other, as {@code nn.Sequential}. Children are named {@code 0, 1, 2, ...}, so
 * parameters are named {@code 0.weight}, {@code 2.bias}, ...
 * <pre>{@code
 * Sequential mlp = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 1));
 * Tensor y = mlp.forward(x);
 * Linear first = (Linear) mlp.get(0);
 * mlp.namedParameters().keySet();   // [0.weight, 0.bias, 2.weight, 2.bias]
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    private final transient List<Module> layers = new ArrayList<>();

    /** The modules in order (none gives an identity). */
    public Sequential(Module... modules) {
        if (modules == null) {
            throw new IllegalArgumentException("Sequential: modules is null (pass no argument for an empty one)");
        }
        for (Module m : modules) {
            add(m);
        }
    }

    /** The modules of a list, in order. */
    public Sequential(List<? extends Module> modules) {
        if (modules == null) {
            throw new IllegalArgumentException("Sequential: the list of modules is null");
        }
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module (named by its position); returns this. */
    public Sequential add(Module module) {
        if (module == null) {
            throw new IllegalArgumentException("Sequential.add: module " + layers.size() + " is null");
        }
        registerModule(String.valueOf(layers.size()), module);
        layers.add(module);
        return this;
    }

    /** The module at {@code index} (negative counts from the end, as in Python). */
    public Module get(int index) {
        int i = index < 0 ? index + layers.size() : index;
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential.get: index " + index + " is out of range for "
                    + layers.size() + " modules");
        }
        return layers.get(i);
    }

    /** Number of modules. */
    public int size() {
        return layers.size();
    }

    /** The modules in order (a snapshot). */
    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(layers).iterator();
    }

    /**
     * Feeds {@code x} through each module in order, each through {@link Module#call} so its hooks run; an empty
     * Sequential returns {@code x}.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        // Nested plain Sequentials without hooks are walked in place rather than called, so depth costs no stack.
        ArrayDeque<Iterator<Module>> work = new ArrayDeque<>();
        work.push(layers.iterator());
        while (!work.isEmpty()) {
            Iterator<Module> level = work.peek();
            if (!level.hasNext()) {
                work.pop();
                continue;
            }
            Module m = level.next();
            if (m.getClass() == Sequential.class && !m.hasHooks()) {
                work.push(((Sequential) m).layers.iterator());
            } else {
                y = m.call(y);
            }
        }
        return y;
    }
}
