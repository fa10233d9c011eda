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
     * Sequential returns {@code x}. A {@link Conv2d} directly followed by a {@link ReLU} (both of exactly those
     * classes, neither with hooks) runs as one fused op, {@link Tensor#conv2dRelu}: the same values and gradients
     * as the two modules one after the other, without the pre-activation array or a second pass over it; followed
     * by a {@link MaxPool2d} (exactly that class, without hooks), the three run as one op,
     * {@link Tensor#conv2dReluMaxPool2d}, without the activation array between ReLU and pooling. A {@link Linear}
     * directly followed by a {@link ReLU} (same conditions) runs as {@link Tensor#linearRelu}.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        // Nested plain Sequentials without hooks are walked in place rather than called, so depth costs no stack.
        ArrayDeque<List<Module>> levels = new ArrayDeque<>();
        ArrayDeque<int[]> positions = new ArrayDeque<>();
        levels.push(layers);
        positions.push(new int[] {0});
        while (!levels.isEmpty()) {
            List<Module> level = levels.peek();
            int[] at = positions.peek();
            if (at[0] == level.size()) {
                levels.pop();
                positions.pop();
                continue;
            }
            Module m = level.get(at[0]++);
            if (m.getClass() == Sequential.class && !m.hasHooks()) {
                levels.push(((Sequential) m).layers);
                positions.push(new int[] {0});
            } else if (at[0] + 1 < level.size() && m.getClass() == Conv2d.class && fusesWithRelu(m, level.get(at[0]))
                    && level.get(at[0] + 1).getClass() == MaxPool2d.class && !level.get(at[0] + 1).hasHooks()) {
                y = ((Conv2d) m).forwardReluMaxPool(y, (MaxPool2d) level.get(at[0] + 1));
                at[0] += 2;
            } else if (at[0] < level.size() && fusesWithRelu(m, level.get(at[0]))) {
                y = m instanceof Linear linear ? linear.forwardRelu(y) : ((Conv2d) m).forwardRelu(y);
                at[0]++;
            } else {
                y = m.call(y);
            }
        }
        return y;
    }

    private static boolean fusesWithRelu(Module m, Module next) {
        return (m.getClass() == Conv2d.class || m.getClass() == Linear.class) && next.getClass() == ReLU.class
                && !m.hasHooks() && !next.hasHooks();
    }
}
