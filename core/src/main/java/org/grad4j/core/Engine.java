package org.grad4j.core;

import java.util.ArrayList;
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

    /**
     * Per thread: [0] the nesting depth of derivative rules running (anomaly checks blame the rule, not its inner
     * ops), [1] the number of backward walks running (a walk started inside another one keeps its bookkeeping in
     * maps, so that it cannot disturb the outer walk's state on shared nodes).
     */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[2]);

    static boolean isRunningRule() {
        return DEPTH.get()[0] > 0;
    }

    /**
     * One node's bookkeeping during a walk: its consumers not yet run, and the sum of the gradients they sent.
     * The outermost walk keeps it on the node itself (a node is a Visit, valid while {@code owner} is the walk's
     * token), which saves a hash lookup per edge and an object per node.
     */
    static class Visit {
        Object owner;
        int consumers;
        Tensor grad;
        /** Whether {@code grad} is a sum the walk itself made (no one else holds it): later adds go in place. */
        boolean ownsGrad;
    }

    /** The state of one backward walk. */
    private static final class Walk {
        /** What a node's visit points to: a bare token, so a graph kept alive after backward holds no gradients. */
        final Object token = new Object();
        final boolean createGraph;
        /** Null on the fast path (the outermost walk of this thread): visits live on the nodes. */
        final Map<Node, Visit> nested;
        /** Sized for a few leaves (the default table of 32 would be most of a small backward's allocation). */
        final Map<Tensor, Tensor> leafGrads = new IdentityHashMap<>(4);
        /** Leaves whose gradient buffer was handed to a rule ({@link #gradBuffer}), with the buffer; lazily made. */
        Map<Tensor, Tensor> buffers;
        /** Leaves whose pending gradient is a sum made by this walk (see {@link #send}), with it; lazily made. */
        Map<Tensor, Tensor> ownedSums;
        final Tensor[] captured;
        final Map<Node, Integer> captureNode;
        final Map<Tensor, Integer> captureLeaf;

        Walk(boolean createGraph, boolean outermost, Tensor[] captureInputs) {
            this.createGraph = createGraph;
            this.nested = outermost ? null : new IdentityHashMap<>();
            if (captureInputs == null) {
                captured = null;
                captureNode = null;
                captureLeaf = null;
            } else {
                captured = new Tensor[captureInputs.length];
                captureNode = new IdentityHashMap<>();
                captureLeaf = new IdentityHashMap<>();
                for (int i = 0; i < captureInputs.length; i++) {
                    Tensor t = captureInputs[i];
                    if (t.gradFn != null) {
                        captureNode.put(t.gradFn, i);
                    } else {
                        captureLeaf.put(t, i);
                    }
                }
            }
        }

        /** The node's visit in this walk, or null if the walk has not reached it. */
        Visit find(Node node) {
            if (nested != null) {
                return nested.get(node);
            }
            return node.owner == token ? node : null;
        }

        /** The node's visit in this walk, created (reset) when the walk first reaches it. */
        Visit reach(Node node) {
            if (nested != null) {
                return nested.computeIfAbsent(node, k -> newVisit());
            }
            if (node.owner != token) {
                node.owner = token;
                node.consumers = 0;
                node.grad = null;
                node.ownsGrad = false;
            }
            return node;
        }

        private Visit newVisit() {
            Visit v = new Visit();
            v.owner = token;
            return v;
        }

        /**
         * Adds g to the node's pending gradient: the first is kept as it is (it may be shared, e.g. add's rule
         * passes one tensor to both inputs), the second makes a new sum, and without createGraph later ones are
         * added into that sum in place (same bits as adding out of place, one tensor fewer each).
         */
        void send(Node node, Tensor g) {
            Visit v = reach(node);
            if (v.grad == null) {
                v.grad = g;
            } else if (v.ownsGrad) {
                addInPlace(v.grad, g);
            } else if (createGraph) {
                v.grad = v.grad.add(g);
            } else {
                v.grad = Pointwise.sumUnrecorded(v.grad, g);
                v.ownsGrad = true;
            }
        }
    }

    /**
     * @param captureInputs null to accumulate into leaves' grad fields; otherwise the tensors whose gradients are
     *                      returned (and no grad field is touched)
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                        Tensor[] captureInputs) {
        long firstPrivateStorage = Storage.newEpoch();
        int[] depth = DEPTH.get();
        Walk walk = new Walk(createGraph, depth[1] == 0, captureInputs);
        depth[1]++;
        try (Grad.Scope mode = Grad.set(createGraph)) {
            countConsumers(roots, walk);
            for (int i = 0; i < roots.length; i++) {
                Tensor root = roots[i];
                Tensor g = rootGrads[i];
                if (root.gradFn == null) {
                    deliverToLeaf(root, g, walk);
                } else {
                    walk.send(root.gradFn, g);
                }
            }
            ArrayList<Node> ready = new ArrayList<>();
            for (Tensor root : roots) {
                Node node = root.gradFn;
                if (node != null && walk.reach(node).consumers == 0 && !ready.contains(node)) {
                    ready.add(node);
                }
            }
            while (!ready.isEmpty()) {
                Node node = ready.remove(ready.size() - 1);
                Visit visit = walk.reach(node);
                Tensor g = visit.grad;
                visit.grad = null;
                if (g != null) {
                    runNode(node, g, walk, depth);
                }
                for (int i = 0; i < node.inputCount(); i++) {
                    Node input = node.inputNode(i);
                    if (input != null && --walk.reach(input).consumers == 0) {
                        ready.add(input);
                    }
                }
                if (!retainGraph) {
                    node.release();
                }
            }
            storeLeafGradients(walk.leafGrads, walk.buffers, firstPrivateStorage, createGraph);
            if (walk.captured != null) {
                Hooks.applyToCapturedLeaves(walk.captureLeaf, walk.captured);
            }
        } finally {
            depth[1]--;
        }
        return walk.captured;
    }

    private static void runNode(Node node, Tensor g, Walk walk, int[] depth) {
        if (node.hooks != null) {
            g = node.hooks.apply(g);
        }
        if (node.retained != null) {
            accumulateInto(node.retained, g, walk.createGraph);
        }
        if (walk.captureNode != null) {
            Integer slot = walk.captureNode.get(node);
            if (slot != null) {
                walk.captured[slot] = g;
            }
        }
        node.checkNotReleased();
        Tensor[] inputGrads;
        depth[0]++;
        if (!walk.createGraph && walk.captured == null) {
            node.bufferWalk = walk;
        }
        try {
            inputGrads = node.rule.apply(g, node);
        } finally {
            depth[0]--;
            node.bufferWalk = null;
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
            Node inputNode = node.inputNode(i);
            if (inputNode != null) {
                walk.send(inputNode, gi);
            } else {
                deliverToLeaf(node.inputLeaf(i), gi, walk);
            }
        }
    }

    /**
     * Sums a gradient over the dims its input was broadcast along and converts it to the input's dtype, so it
     * matches the input: the one place where broadcasting and type promotion are undone.
     */
    private static Tensor reduceToShape(Node node, int input, Tensor grad) {
        int[] shape = node.inputShape(input);
        if (grad.dtype() != node.dtype && grad.dtype() != inputDtype(node, input)) {
            throw new AutogradException("backward of '" + node.op + "' returned a " + grad.dtype()
                    + " gradient for input " + input + " of dtype " + inputDtype(node, input));
        }
        Tensor reduced;
        if (grad.shape == shape || java.util.Arrays.equals(grad.shape, shape)) {
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
        DType dtype = inputDtype(node, input);
        return reduced.dtype() == dtype ? reduced : reduced.to(dtype);
    }

    private static DType inputDtype(Node node, int input) {
        Tensor leaf = node.inputLeaf(input);
        if (leaf != null) {
            return leaf.dtype();
        }
        Node inputNode = node.inputNode(input);
        return inputNode != null ? inputNode.dtype : node.dtype;
    }

    private static void deliverToLeaf(Tensor leaf, Tensor g, Walk walk) {
        if (walk.captured != null) {
            Integer slot = walk.captureLeaf.get(leaf);
            if (slot != null) {
                walk.captured[slot] = walk.captured[slot] == null ? g : walk.captured[slot].add(g);
            }
            return;
        }
        Tensor pending = walk.leafGrads.putIfAbsent(leaf, g);
        if (pending == null) {
            return;
        }
        if ((walk.buffers != null && pending == walk.buffers.get(leaf))
                || (walk.ownedSums != null && pending == walk.ownedSums.get(leaf))) {
            addInPlace(pending, g);   // the leaf's own buffer, or a sum this walk made (see Walk.send)
        } else {
            Tensor sum = walk.createGraph ? pending.add(g) : Pointwise.sumUnrecorded(pending, g);
            walk.leafGrads.put(leaf, sum);
            if (!walk.createGraph) {
                if (walk.ownedSums == null) {
                    walk.ownedSums = new IdentityHashMap<>(4);
                }
                walk.ownedSums.put(leaf, sum);
            }
        }
    }

    /** {@code sum += g} for a buffer the walk owns, in one kernel call when the two are dense alike. */
    private static void addInPlace(Tensor sum, Tensor g) {
        if (Pointwise.addIntoDense(sum, g)) {
            sum.storage.bumpVersion();
        } else {
            sum.addInPlaceUnchecked(g);
        }
    }

    /** See {@link Node#gradBuffer}. */
    static Tensor gradBuffer(Node node, int input) {
        if (!(node.bufferWalk instanceof Walk walk)) {
            return null;
        }
        Tensor leaf = node.inputLeaf(input);
        if (leaf == null || (leaf.hooks != null && !leaf.hooks.isEmpty()) || walk.leafGrads.containsKey(leaf)) {
            return null;
        }
        Tensor buffer = leaf.grad();
        if (buffer == null || buffer.requiresGrad() || !buffer.storage.isKnownZero() || buffer.dtype() != leaf.dtype()
                || !java.util.Arrays.equals(buffer.shape, leaf.shape)) {
            return null;   // known zero implies dense over its whole storage (see Storage.markZeroed)
        }
        if (walk.buffers == null) {
            walk.buffers = new IdentityHashMap<>();
        }
        walk.buffers.put(leaf, buffer);
        return buffer;
    }

    /**
     * Stores the gradients collected for leaves once the walk is over. A leaf's first gradient is adopted without
     * a copy when nothing else can reach its storage: created during this backward (so neither the user's nor the
     * graph's), dense, and not also handed to another leaf. Deciding this earlier would be unsafe: mid-walk a
     * pending gradient may still share the storage that a later in-place accumulation would overwrite. The leaves'
     * hooks run first (each sees its leaf's complete gradient once); with createGraph gradients are added out of place.
     */
    private static void storeLeafGradients(Map<Tensor, Tensor> leafGrads, Map<Tensor, Tensor> buffers,
                                           long firstPrivateStorage, boolean createGraph) {
        Hooks.applyToLeaves(leafGrads);
        if (createGraph) {
            leafGrads.forEach((leaf, g) -> accumulateInto(leaf, g, true));
            return;
        }
        Map<Storage, Integer> holders = null;
        Tensor[] grads = null;
        if (leafGrads.size() > 8) {
            holders = new IdentityHashMap<>();
            for (Tensor g : leafGrads.values()) {
                holders.merge(g.storage, 1, Integer::sum);
            }
        } else {
            grads = leafGrads.values().toArray(new Tensor[0]);   // few leaves: compare storages pairwise
        }
        for (Map.Entry<Tensor, Tensor> e : leafGrads.entrySet()) {
            Tensor leaf = e.getKey();
            Tensor g = e.getValue();
            if (buffers != null && g == buffers.get(leaf)) {
                continue;   // written into the leaf's grad by a rule already
            }
            boolean privateDense = g.storage.epoch >= firstPrivateStorage
                    && (holders != null ? holders.get(g.storage) == 1 : holdsAlone(grads, g))
                    && (leaf.hooks == null || leaf.hooks.isEmpty())
                    && g.offset == 0 && g.isContiguous() && g.numel() == g.storage.length();
            if (leaf.grad() == null && privateDense) {
                leaf.setGradInternal(g.detach());
            } else {
                accumulateInto(leaf, g, false);
            }
        }
    }

    /** Counts entries, not tensors: one gradient tensor handed to two leaves (add's rule does) is held twice. */
    private static boolean holdsAlone(Tensor[] grads, Tensor g) {
        int holders = 0;
        for (Tensor other : grads) {
            if (other.storage == g.storage) {
                holders++;
            }
        }
        return holders == 1;
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
        } else if (old.storage.isKnownZero() && old.dtype() == g.dtype()) {
            // A zeroed buffer takes the gradient's own bits, as if the grad had been null (0 + -0 would give +0).
            Pointwise.copyInto(old, g);
            old.storage.bumpVersion();
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

    /** Counts, for each reachable node, the edges into it from other reachable nodes. */
    private static void countConsumers(Tensor[] roots, Walk walk) {
        ArrayList<Node> stack = new ArrayList<>();
        for (Tensor root : roots) {
            if (root.gradFn != null && walk.find(root.gradFn) == null) {
                walk.reach(root.gradFn);
                stack.add(root.gradFn);
            }
        }
        while (!stack.isEmpty()) {
            Node node = stack.remove(stack.size() - 1);
            for (int i = 0; i < node.inputCount(); i++) {
                Node input = node.inputNode(i);
                if (input == null) {
                    continue;
                }
                boolean first = walk.find(input) == null;
                walk.reach(input).consumers++;
                if (first) {
                    stack.add(input);
                }
            }
        }
    }
}
