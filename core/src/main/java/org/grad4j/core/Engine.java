package org.grad4j.core;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Reverse-mode autodiff. Walks the graph from the roots in reverse topological order without recursion (so very
 * long chains cannot overflow the stack), sums each node's gradient over all its consumers before running its rule,
 * reduces broadcast gradients to each input's shape (the only place that does so), and either accumulates the
 * results into leaves' {@code grad()} or hands them back to {@link Autograd#grad}.
 */
final class Engine {
    private Engine() {
    }

    /** Nesting depth of derivative rules running on this thread; anomaly checks blame the rule, not its inner ops. */
    private static final ThreadLocal<int[]> RULE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    static boolean isRunningRule() {
        return RULE_DEPTH.get()[0] > 0;
    }

    /**
     * @param captureInputs null to accumulate into leaves' grad fields; otherwise the tensors whose gradients are
     *                      returned (and no grad field is touched)
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                        Tensor[] captureInputs) {
        long firstPrivateStorage = Storage.lastSerial() + 1;
        Map<Tensor, Tensor> leafGrads = new IdentityHashMap<>();
        Map<Node, Integer> pendingConsumers = countConsumers(roots);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        Map<Node, Integer> captureNode = new IdentityHashMap<>();
        Map<Tensor, Integer> captureLeaf = new IdentityHashMap<>();
        Tensor[] captured = captureInputs == null ? null : new Tensor[captureInputs.length];
        if (captureInputs != null) {
            for (int i = 0; i < captureInputs.length; i++) {
                Tensor t = captureInputs[i];
                if (t.gradFn != null) {
                    captureNode.put(t.gradFn, i);
                } else {
                    captureLeaf.put(t, i);
                }
            }
        }
        ArrayDeque<Node> ready = new ArrayDeque<>();
        try (Grad.Scope mode = Grad.set(createGraph)) {
            for (int i = 0; i < roots.length; i++) {
                Tensor root = roots[i];
                Tensor g = rootGrads[i];
                if (root.gradFn == null) {
                    deliverToLeaf(root, g, createGraph, captured, captureLeaf, leafGrads);
                } else {
                    pending.merge(root.gradFn, g, Tensor::add);
                }
            }
            for (Tensor root : roots) {
                Node node = root.gradFn;
                if (node != null && pendingConsumers.getOrDefault(node, 0) == 0 && !ready.contains(node)) {
                    ready.push(node);
                }
            }
            while (!ready.isEmpty()) {
                Node node = ready.pop();
                Tensor g = pending.remove(node);
                if (g != null) {
                    runNode(node, g, createGraph, captured, captureNode, captureLeaf, pending, leafGrads);
                }
                for (Node input : node.inputNodes) {
                    if (input != null && pendingConsumers.merge(input, -1, Integer::sum) == 0) {
                        ready.push(input);
                    }
                }
                if (!retainGraph) {
                    node.release();
                }
            }
            storeLeafGradients(leafGrads, firstPrivateStorage, createGraph);
            if (captured != null) {
                Hooks.applyToCapturedLeaves(captureLeaf, captured);
            }
        }
        return captured;
    }

    private static void runNode(Node node, Tensor g, boolean createGraph, Tensor[] captured,
                                Map<Node, Integer> captureNode, Map<Tensor, Integer> captureLeaf,
                                Map<Node, Tensor> pending, Map<Tensor, Tensor> leafGrads) {
        if (node.hooks != null) {
            g = node.hooks.apply(g);
        }
        if (node.retained != null) {
            accumulateInto(node.retained, g, createGraph);
        }
        Integer slot = captureNode.get(node);
        if (slot != null) {
            captured[slot] = g;
        }
        node.checkNotReleased();
        Tensor[] inputGrads;
        int[] depth = RULE_DEPTH.get();
        depth[0]++;
        try {
            inputGrads = node.rule.apply(g, node);
        } finally {
            depth[0]--;
        }
        if (inputGrads.length != node.inputCount()) {
            throw new AutogradException("backward of '" + node.op + "' returned " + inputGrads.length
                    + " gradients for " + node.inputCount() + " inputs");
        }
        for (int i = 0; i < inputGrads.length; i++) {
            Tensor gi = inputGrads[i];
            if (!node.needsGrad(i) || gi == null) {
                continue;
            }
            gi = reduceToShape(node, i, gi);
            if (node.forwardTrace != null) {
                checkBackward(node, i, g, gi);
            }
            if (node.inputNodes[i] != null) {
                pending.merge(node.inputNodes[i], gi, Tensor::add);
            } else {
                deliverToLeaf(node.inputLeaves[i], gi, createGraph, captured, captureLeaf, leafGrads);
            }
        }
    }

    /**
     * Sums a gradient over the dims its input was broadcast along and converts it to the input's dtype, so it
     * matches the input: the one place where broadcasting and type promotion are undone.
     */
    private static Tensor reduceToShape(Node node, int input, Tensor grad) {
        int[] shape = node.inputShapes[input];
        if (grad.dtype() != node.dtype && grad.dtype() != inputDtype(node, input)) {
            throw new AutogradException("backward of '" + node.op + "' returned a " + grad.dtype()
                    + " gradient for input " + input + " of dtype " + inputDtype(node, input));
        }
        Tensor reduced;
        if (java.util.Arrays.equals(grad.shape, shape)) {
            reduced = grad;
        } else {
            try {
                reduced = grad.sumToShape(shape);
            } catch (ShapeMismatchException e) {
                throw new AutogradException("backward of '" + node.op + "' returned a gradient of shape "
                        + Shapes.str(grad.shape) + " for input " + input + " of shape " + Shapes.str(shape)
                        + ", which is not a broadcast of it", e);
            }
        }
        // Undoing type promotion: an input promoted by the op (float32 + float64) gets its gradient in its own dtype.
        return reduced.to(inputDtype(node, input));
    }

    private static DType inputDtype(Node node, int input) {
        if (node.inputLeaves[input] != null) {
            return node.inputLeaves[input].dtype();
        }
        return node.inputNodes[input] != null ? node.inputNodes[input].dtype : node.dtype;
    }

    private static void deliverToLeaf(Tensor leaf, Tensor g, boolean createGraph, Tensor[] captured,
                                      Map<Tensor, Integer> captureLeaf, Map<Tensor, Tensor> leafGrads) {
        if (captured != null) {
            Integer slot = captureLeaf.get(leaf);
            if (slot != null) {
                captured[slot] = captured[slot] == null ? g : captured[slot].add(g);
            }
            return;
        }
        leafGrads.merge(leaf, g, Tensor::add);
    }

    /**
     * Stores the gradients collected for leaves once the walk is over. A leaf's first gradient is adopted without
     * a copy when nothing else can reach its storage: created during this backward (so neither the user's nor the
     * graph's), dense, and not also handed to another leaf. Deciding this earlier would be unsafe: mid-walk a
     * pending gradient may still share the storage that a later in-place accumulation would overwrite. The leaves'
     * hooks run first (each sees its leaf's complete gradient once); with createGraph gradients are added out of place.
     */
    private static void storeLeafGradients(Map<Tensor, Tensor> leafGrads, long firstPrivateStorage,
                                           boolean createGraph) {
        Hooks.applyToLeaves(leafGrads);
        if (createGraph) {
            leafGrads.forEach((leaf, g) -> accumulateInto(leaf, g, true));
            return;
        }
        Map<Storage, Integer> holders = new IdentityHashMap<>();
        for (Tensor g : leafGrads.values()) {
            holders.merge(g.storage, 1, Integer::sum);
        }
        for (Map.Entry<Tensor, Tensor> e : leafGrads.entrySet()) {
            Tensor leaf = e.getKey();
            Tensor g = e.getValue();
            boolean privateDense = g.storage.serial >= firstPrivateStorage && holders.get(g.storage) == 1
                    && (leaf.hooks == null || leaf.hooks.isEmpty())
                    && g.offset == 0 && g.isContiguous() && g.numel() == g.storage.length();
            if (leaf.grad() == null && privateDense) {
                leaf.setGradInternal(g.detach());
            } else {
                accumulateInto(leaf, g, false);
            }
        }
    }

    /** Adds a gradient to {@code t.grad()}: out of place when building a graph, else into a private copy. */
    private static void accumulateInto(Tensor t, Tensor g, boolean createGraph) {
        Tensor old = t.grad();
        if (createGraph) {
            t.setGradInternal(old == null ? g : old.add(g));
            return;
        }
        if (old == null) {
            t.setGradInternal(g.detach().copy());
        } else if (old.requiresGrad()) {
            t.setGradInternal(old.detach().add(g.detach()));
        } else {
            old.addInPlaceUnchecked(g);
        }
    }

    private static void checkBackward(Node node, int input, Tensor gradOut, Tensor gradIn) {
        if (gradIn.hasNonFinite() && !gradOut.hasNonFinite()) {
            throw new AutogradException("AnomalyMode: backward of '" + node.op + "' returned NaN or infinity in"
                    + " the gradient of input " + input + " (shape " + Shapes.str(gradIn.shape) + ") from a finite"
                    + " output gradient. The cause's stack trace shows the forward call that created the op.",
                    node.forwardTrace);
        }
    }

    /** For each reachable node, the number of edges into it from other reachable nodes. */
    private static Map<Node, Integer> countConsumers(Tensor[] roots) {
        Map<Node, Integer> consumers = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Tensor root : roots) {
            if (root.gradFn != null && seen.put(root.gradFn, Boolean.TRUE) == null) {
                stack.push(root.gradFn);
            }
        }
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            for (Node input : node.inputNodes) {
                if (input == null) {
                    continue;
                }
                consumers.merge(input, 1, Integer::sum);
                if (seen.put(input, Boolean.TRUE) == null) {
                    stack.push(input);
                }
            }
        }
        return consumers;
    }
}
