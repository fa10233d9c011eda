package org.grad4j.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Traversal: every module below a root, in pre-order, with the dotted path to it. The walk keeps its own stack, so
 * a model nested tens of thousands of levels deep is walked without a {@link StackOverflowError}; a module that
 * contains one of its ancestors is reported as a cycle.
 */
final class ModuleTree {
    private ModuleTree() {
    }

    /**
     * A module reached from the root. The path is built on demand from the parent chain, so a deep walk does not
     * build a long string for every level.
     */
    record Visit(Module module, Visit parent, String name, int depth) {
        /** The dotted path from the root ({@code ""} for the root itself). */
        String path() {
            if (parent == null) {
                return "";
            }
            ArrayDeque<String> parts = new ArrayDeque<>();
            for (Visit v = this; v.parent != null; v = v.parent) {
                parts.addFirst(v.name);
            }
            return String.join(".", parts);
        }

        /** {@code path.entryName}, or {@code entryName} at the root. */
        String qualify(String entryName) {
            return parent == null ? entryName : path() + "." + entryName;
        }
    }

    private static final class Frame {
        final Visit visit;
        final List<ModuleFields.Entry> entries;
        int next;

        Frame(Visit visit) {
            this.visit = visit;
            this.entries = visit.module.ownEntries();
        }
    }

    /**
     * All modules under {@code root} (itself first) in pre-order. With {@code dedupe} a module reachable on several
     * paths is listed once, under its first path; without it, once per path (as a state dict needs).
     *
     * @throws IllegalStateException on a cycle, naming its path
     */
    static List<Visit> preOrder(Module root, boolean dedupe) {
        List<Visit> out = new ArrayList<>();
        Set<Module> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        Visit top = new Visit(root, null, "", 0);
        out.add(top);
        seen.add(root);
        ancestors.add(root);
        stack.push(new Frame(top));
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            if (frame.next == frame.entries.size()) {
                stack.pop();
                ancestors.remove(frame.visit.module);
                continue;
            }
            ModuleFields.Entry e = frame.entries.get(frame.next++);
            if (e.kind() != ModuleFields.Kind.MODULE) {
                continue;
            }
            Module child = (Module) e.value();
            Visit visit = new Visit(child, frame.visit, e.name(), frame.visit.depth + 1);
            if (ancestors.contains(child)) {
                throw new IllegalStateException("module cycle: '" + visit.path() + "' (" + child.name() + ") contains"
                        + " itself; a module must not hold a reference to one of its ancestors (mark such a field"
                        + " transient)");
            }
            if (!seen.add(child) && dedupe) {
                continue;
            }
            out.add(visit);
            ancestors.add(child);
            stack.push(new Frame(visit));
        }
        return out;
    }
}
