package org.grad4j.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Printing: the module tree in PyTorch's style (see {@link Module#toString()}). Written without recursion; modules
 * deeper than {@link #MAX_DEPTH} levels are summarised as {@code Name(...)} with their parameter count, so printing
 * a very deep model stays short.
 */
final class ModulePrinter {
    private ModulePrinter() {
    }

    /** Levels printed in full; deeper modules with children print as {@code Name(...)}. */
    static final int MAX_DEPTH = 64;

    private static final class Frame {
        final Module module;
        final String indent;
        final List<ModuleFields.Entry> entries;
        int next;

        Frame(Module module, String indent, List<ModuleFields.Entry> entries) {
            this.module = module;
            this.indent = indent;
            this.entries = entries;
        }
    }

    static String print(Module root) {
        StringBuilder sb = new StringBuilder();
        Set<Module> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        open(root, "", sb, stack, ancestors);
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.next == f.entries.size()) {
                stack.pop();
                sb.append(f.indent).append(')').append(countSuffix(f.module));
                ancestors.remove(f.module);
                if (!stack.isEmpty()) {
                    sb.append('\n');
                }
                continue;
            }
            ModuleFields.Entry e = f.entries.get(f.next++);
            String inner = f.indent + "  ";
            sb.append(inner).append('(').append(e.name()).append("): ");
            if (e.kind() == ModuleFields.Kind.MODULE) {
                if (open((Module) e.value(), inner, sb, stack, ancestors)) {
                    continue; // its lines and its closing newline come from its own frame
                }
            } else {
                sb.append(e.kind() == ModuleFields.Kind.PARAMETER ? "Parameter" : "Buffer").append(' ')
                        .append(describe(e).substring(e.name().length() + 1).replace(" (buffer)", ""));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Prints a module's first line; returns true if it pushed a frame whose children follow. */
    private static boolean open(Module m, String indent, StringBuilder sb, ArrayDeque<Frame> stack,
                                Set<Module> ancestors) {
        if (ancestors.contains(m)) {
            sb.append(m.name()).append("(<cycle>)");
            return false;
        }
        List<ModuleFields.Entry> entries = m.ownEntries();
        boolean hasChildren = entries.stream().anyMatch(e -> e.kind() == ModuleFields.Kind.MODULE);
        String extra = m.extraRepr();
        if (!hasChildren) {
            sb.append(m.name()).append('(').append(extra).append(')');
            List<String> tensors = new ArrayList<>();
            for (ModuleFields.Entry e : entries) {
                tensors.add(describe(e));
            }
            if (!tensors.isEmpty()) {
                sb.append("  ").append(String.join(", ", tensors));
            }
            sb.append(countSuffix(m));
            return false;
        }
        if (stack.size() >= MAX_DEPTH) {
            sb.append(m.name()).append("(...)").append(countSuffix(m));
            return false;
        }
        sb.append(m.name()).append("(\n");
        if (!extra.isEmpty()) {
            sb.append(indent).append("  ").append(extra).append('\n');
        }
        ancestors.add(m);
        stack.push(new Frame(m, indent, entries));
        return true;
    }

    private static String describe(ModuleFields.Entry e) {
        Tensor t = (Tensor) e.value();
        StringBuilder s = new StringBuilder(e.name()).append(' ').append(Arrays.toString(t.shape()));
        if (t.dtype() != DType.FLOAT32) {
            s.append(' ').append(t.dtype());
        }
        if (e.kind() == ModuleFields.Kind.BUFFER) {
            s.append(" (buffer)");
        } else if (!t.requiresGrad()) {
            s.append(" (frozen)");
        }
        return s.toString();
    }

    private static String countSuffix(Module m) {
        long total = 0;
        long trainable = 0;
        List<Tensor> params;
        try {
            params = m.parameters();
        } catch (IllegalStateException cycle) {
            return "";
        }
        for (Tensor p : params) {
            total += p.numel();
            if (p.requiresGrad()) trainable += p.numel();
        }
        if (params.isEmpty()) {
            return "";
        }
        return "  (" + total + (total == 1 ? " param" : " params")
                + (trainable == total ? "" : ", " + trainable + " trainable") + ")";
    }
}
