package org.grad4j.core;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Reverse-mode autodiff. Walks the graph from the roots in reverse topological order without recursion (so very
 * long chains cannot overflow the stack): the nodes reached wait in a heap ordered by {@link Node#level}, deepest
 * first, and since every consumer of a node is deeper than the node, all the consumers that the walk reaches have
 * run when the node comes out of the heap. This needs no pass over the graph to count each node's consumers before
 * the walk (which PyTorch's engine makes, and which was a tenth of a scalar graph's backward). It sums each node's
 * gradient over all its consumers before running its rule, reduces broadcast gradients to each input's shape (the
 * only place that does so), and either accumulates the results into leaves' {@code grad()} or hands them back to
 * {@link Autograd#grad}.
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
     * One node's bookkeeping during a walk: the sum of the gradients its consumers sent.
     * The outermost walk keeps it on the node itself (a node is a Visit, valid while {@code owner} is the walk's
     * token), which saves a hash lookup per edge and an object per node.
     */
    static class Visit {
        Object owner;
        Tensor grad;
        /** Whether {@code grad} is a sum the walk itself made (no one else holds it): later adds go in place. */
        boolean ownsGrad;
    }

    /** What a leaf's pending gradient in a walk is, which decides how a later gradient is added to it. */
    private static final byte SHARED = 0;
    /** A sum the walk made itself (see {@link Walk#send}): later gradients are added into it in place. */
    private static final byte OWNED_SUM = 1;

    /** The state of one backward walk. */
    private static final class Walk {
        /** What a node's visit points to: a bare token, so a graph kept alive after backward holds no gradients. */
        final Object token = new Object();
        final boolean createGraph;
        /** Null on the fast path (the outermost walk of this thread): visits live on the nodes. */
        final Map<Node, Visit> nested;
        /*
         * The leaves reached, in order of first arrival, each with its pending gradient (null until one arrives),
         * the kind of that gradient, and the gradient buffer a rule was handed for it (gradBuffer) or null. Looked
         * up by a scan while there are few (a hash lookup per delivery was a tenth of a scalar graph's backward),
         * through leafSlots beyond that.
         */
        Tensor[] leaves = new Tensor[4];
        Tensor[] leafGrads = new Tensor[4];
        byte[] leafKinds = new byte[4];
        Tensor[] leafBuffers;
        int leafCount;
        Map<Tensor, Integer> leafSlots;
        final Tensor[] captured;
        final Map<Node, Integer> captureNode;
        final Map<Tensor, Integer> captureLeaf;
        /**
         * Whether user code made a gradient of this walk (a node's hook replaced one, or a custom {@link Function}'s
         * backward returned them): the user may hold it, so no leaf adopts a gradient as its own.
         */
        boolean userMayHoldGradients;

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

        /** The leaf's slot, or -1 when the walk has not reached it. */
        int slotOf(Tensor leaf) {
            if (leafSlots != null) {
                Integer slot = leafSlots.get(leaf);
                return slot == null ? -1 : slot;
            }
            for (int i = 0; i < leafCount; i++) {
                if (leaves[i] == leaf) {
                    return i;
                }
            }
            return -1;
        }

        /** A new slot for the leaf, with no gradient yet. */
        int addSlot(Tensor leaf) {
            int slot = leafCount;
            if (slot == leaves.length) {
                leaves = java.util.Arrays.copyOf(leaves, slot * 2);
                leafGrads = java.util.Arrays.copyOf(leafGrads, slot * 2);
                leafKinds = java.util.Arrays.copyOf(leafKinds, slot * 2);
                if (leafBuffers != null) {
                    leafBuffers = java.util.Arrays.copyOf(leafBuffers, slot * 2);
                }
            }
            leaves[slot] = leaf;
            leafCount++;
            if (leafSlots != null) {
                leafSlots.put(leaf, slot);
            } else if (leafCount > 8) {
                leafSlots = new IdentityHashMap<>();
                for (int i = 0; i < leafCount; i++) {
                    leafSlots.put(leaves[i], i);
                }
            }
            return slot;
        }

        /** The gradient buffer handed to a rule for the leaf in this slot, or null. */
        Tensor bufferOf(int slot) {
            return leafBuffers == null ? null : leafBuffers[slot];
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
            Node[] heap = new Node[16];
            int size = 0;
            for (int i = 0; i < roots.length; i++) {
                Tensor root = roots[i];
                Tensor g = rootGrads[i];
                Node node = root.gradFn;
                if (node == null) {
                    deliverToLeaf(root, g, walk);
                    continue;
                }
                if (walk.find(node) == null) {
                    heap = offer(heap, size++, node);
                }
                walk.send(node, g);
            }
            while (size > 0) {
                Node node = heap[0];
                size--;
                siftDown(heap, size, heap[size]);
                heap[size] = null;
                Visit visit = walk.find(node);
                Tensor g = visit.grad;
                visit.grad = null;
                Tensor[] inputGrads = g == null ? null : runRule(node, g, walk, depth);
                for (int i = 0, n = node.inputCount(); i < n; i++) {
                    Object edge = node.edge(i);
                    if (edge == null) {
                        continue;
                    }
                    Tensor gi = inputGrads == null ? null : inputGrads[i];
                    if (edge instanceof Node input) {
                        if (walk.find(input) == null) {
                            walk.reach(input);
                            heap = offer(heap, size++, input);
                        }
                        if (gi != null) {
                            walk.send(input, checked(node, i, input.dtype, gi, g));
                        }
                    } else if (gi != null) {
                        Tensor leaf = (Tensor) edge;
                        deliverToLeaf(leaf, checked(node, i, leaf.dtype(), gi, g), walk);
                    }
                }
                if (!retainGraph) {
                    node.release();
                }
            }
            storeLeafGradients(walk, firstPrivateStorage, createGraph);
            if (walk.captured != null) {
                Hooks.applyToCapturedLeaves(walk.captureLeaf, walk.captured);
            }
        } finally {
            depth[1]--;
        }
        return walk.captured;
    }

    /** Adds a node to the heap of {@code size} nodes (deepest level at the top); returns the heap, grown if full. */
    private static Node[] offer(Node[] heap, int size, Node node) {
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        int level = node.level;
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Node above = heap[parent];
            if (above.level >= level) {
                break;
            }
            heap[i] = above;
            i = parent;
        }
        heap[i] = node;
        return heap;
    }

    /** Puts {@code node} in the emptied top of a heap of {@code size} nodes and sinks it to its place. */
    private static void siftDown(Node[] heap, int size, Node node) {
        int level = node.level;
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Node deeper = heap[child];
            if (child + 1 < size && heap[child + 1].level > deeper.level) {
                deeper = heap[++child];
            }
            if (level >= deeper.level) {
                break;
            }
            heap[i] = deeper;
            i = child;
        }
        if (size > 0) {
            heap[i] = node;
        }
    }

    /**
     * Notes that the rule of {@code node}, running now in a walk that records no graph, is user code (a custom
     * {@link Function}'s backward), which may keep the tensors it returns: no leaf of the walk adopts a gradient then.
     */
    static void userRuleRan(Node node) {
        if (node.unrecordedWalk instanceof Walk walk) {
            walk.userMayHoldGradients = true;
        }
    }

    /** Runs the node's hooks and rule on its gradient g; returns the rule's gradients, one entry per input. */
    private static Tensor[] runRule(Node node, Tensor g, Walk walk, int[] depth) {
        Hooks hooks = node.hooks();
        if (hooks != null) {
            Tensor hooked = hooks.apply(g);
            walk.userMayHoldGradients |= hooked != g;
            g = hooked;
        }
        Tensor retained = node.retained();
        if (retained != null) {
            accumulateInto(retained, g, walk.createGraph);
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
        if (!walk.createGraph) {
            node.unrecordedWalk = walk;
        }
        try {
            inputGrads = node.rule.apply(g, node);
        } finally {
            depth[0]--;
            node.unrecordedWalk = null;
        }
        if (inputGrads.length != node.inputCount()) {
            throw new AutogradException("backward of '" + node.op + "' returned " + inputGrads.length
                    + " gradients for " + node.inputCount() + " inputs");
        }
        return inputGrads;
    }

    /**
     * Input i's gradient gi from the node's rule (run on the output gradient g), reduced to the input's shape and
     * dtype, and checked in anomaly mode. A gradient already of the input's shape array and dtype, as every one of
     * a scalar graph is, passes without a look at its shape.
     */
    private static Tensor checked(Node node, int i, DType inputDtype, Tensor gi, Tensor g) {
        int[] shape = node.inputShape(i);
        if (gi.shape != shape || gi.dtype() != inputDtype) {
            gi = reduceToShape(node, i, shape, inputDtype, gi);
        }
        if (node.forwardTrace() != null) {
            checkBackward(node, i, g, gi);
        }
        return gi;
    }

    /**
     * Sums a gradient over the dims its input was broadcast along and converts it to the input's dtype, so it
     * matches the input: the one place where broadcasting and type promotion are undone.
     */
    private static Tensor reduceToShape(Node node, int input, int[] shape, DType dtype, Tensor grad) {
        if (grad.dtype() != node.dtype && grad.dtype() != dtype) {
            throw new AutogradException("backward of '" + node.op + "' returned a " + grad.dtype()
                    + " gradient for input " + input + " of dtype " + dtype);
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
        return reduced.dtype() == dtype ? reduced : reduced.to(dtype);
    }

    private static void deliverToLeaf(Tensor leaf, Tensor g, Walk walk) {
        if (walk.captured != null) {
            Integer slot = walk.captureLeaf.get(leaf);
            if (slot != null) {
                walk.captured[slot] = walk.captured[slot] == null ? g : walk.captured[slot].add(g);
            }
            return;
        }
        int slot = walk.slotOf(leaf);
        if (slot < 0) {
            slot = walk.addSlot(leaf);
        }
        Tensor pending = walk.leafGrads[slot];
        if (pending == null) {
            walk.leafGrads[slot] = g;
        } else if (walk.leafKinds[slot] == OWNED_SUM || pending == walk.bufferOf(slot)) {
            addInPlace(pending, g);   // a sum this walk made (see Walk.send), or the leaf's own buffer
        } else if (walk.createGraph) {
            walk.leafGrads[slot] = pending.add(g);
        } else {
            walk.leafGrads[slot] = Pointwise.sumUnrecorded(pending, g);
            walk.leafKinds[slot] = OWNED_SUM;
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
        if (!(node.unrecordedWalk instanceof Walk walk) || walk.captured != null) {
            return null;
        }
        Tensor leaf = node.inputLeaf(input);
        if (leaf == null || (leaf.hooks != null && !leaf.hooks.isEmpty())) {
            return null;
        }
        int slot = walk.slotOf(leaf);
        if (slot >= 0 && walk.leafGrads[slot] != null) {
            return null;
        }
        Tensor buffer = leaf.grad();
        if (buffer == null || buffer.requiresGrad() || !buffer.storage.isKnownZero() || buffer.dtype() != leaf.dtype()
                || !java.util.Arrays.equals(buffer.shape, leaf.shape)) {
            return null;   // known zero implies dense over its whole storage (see Storage.markZeroed)
        }
        if (slot < 0) {
            slot = walk.addSlot(leaf);
        }
        if (walk.leafBuffers == null) {
            walk.leafBuffers = new Tensor[walk.leaves.length];
        }
        walk.leafBuffers[slot] = buffer;
        return buffer;
    }

    /**
     * Stores the gradients collected for leaves once the walk is over. A leaf's first gradient is adopted without
     * a copy when nothing else can reach its storage: created during this backward (so neither the user's nor the
     * graph's), in a walk where no hook replaced a gradient and no custom {@link Function} ran (the user may keep what
     * either returns), dense, and not also handed to another leaf.
     * Deciding this earlier would be unsafe: mid-walk a pending gradient may still share the storage that a later
     * in-place accumulation would overwrite. The leaves'
     * hooks run first (each sees its leaf's complete gradient once); with createGraph gradients are added out of place.
     */
    private static void storeLeafGradients(Walk walk, long firstPrivateStorage, boolean createGraph) {
        int count = walk.leafCount;
        Tensor[] leaves = walk.leaves;
        Tensor[] grads = walk.leafGrads;
        Hooks.applyToLeaves(leaves, grads, count);
        if (createGraph) {
            for (int i = 0; i < count; i++) {
                if (grads[i] != null) {
                    accumulateInto(leaves[i], grads[i], true);
                }
            }
            return;
        }
        Map<Storage, Integer> holders = null;
        if (count > 8) {
            holders = new IdentityHashMap<>();
            for (int i = 0; i < count; i++) {
                if (grads[i] != null) {
                    holders.merge(grads[i].storage, 1, Integer::sum);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            Tensor leaf = leaves[i];
            Tensor g = grads[i];
            if (g == null || g == walk.bufferOf(i)) {
                continue;   // no gradient arrived, or it was written into the leaf's grad by a rule already
            }
            boolean privateDense = !walk.userMayHoldGradients && g.storage.epoch >= firstPrivateStorage
                    && (holders != null ? holders.get(g.storage) == 1 : holdsAlone(grads, count, g))
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
    private static boolean holdsAlone(Tensor[] grads, int count, Tensor g) {
        int holders = 0;
        for (int i = 0; i < count; i++) {
            if (grads[i] != null && grads[i].storage == g.storage) {
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
                    node.forwardTrace());
        }
    }
}
