package org.grad4j.core;

import java.util.Arrays;

/**
 * One recorded op in the define-by-run graph: it produced one tensor, knows its inputs (as their nodes, or as the
 * leaf tensors themselves), keeps the tensors its backward rule needs, and holds the rule. Created by
 * {@link #record}; consumed by {@link Engine}, whose per-walk bookkeeping it carries (it is an {@link Engine.Visit}).
 */
final class Node extends Engine.Visit {

    /** A derivative rule: the gradients of the op's inputs, given the gradient of its output. */
    @FunctionalInterface
    interface Rule {
        /** Entries for inputs that need no gradient may be null. Shapes may be broadcast; the engine reduces them. */
        Tensor[] apply(Tensor grad, Node node);
    }

    final String op;
    final Rule rule;
    /*
     * Inputs, kept lean because a small op's cost is mostly allocation: the edges (the input's node, or the leaf
     * tensor itself, or null for an input that needs no gradient) of the first two inputs in fields, and the
     * versions of the first two saved tensors; everything a common op does not have (a third input, input shapes
     * that differ from the output's, anomaly mode's trace, hooks, a retained gradient) in one lazily made Rare.
     */
    private final Object edge0;
    private final Object edge1;
    /** The number of inputs when at most two (a byte: a node of 72 bytes, not 80); else 3, see {@link #inputCount}. */
    private final byte fewInputs;
    final int[] outputShape;
    final DType dtype;
    /**
     * One more than the deepest input node's level (1 when every input is a leaf): every node is deeper than its
     * inputs, so walking the deepest first is a reverse topological order (see {@link Engine}).
     */
    final int level;
    /** The saved tensors; null once released (a node that saved nothing keeps its empty array). */
    private Tensor[] saved;
    private final int savedVersion0;
    private final int savedVersion1;
    private boolean released;
    /** What few nodes have; null for most (see {@link Rare}). */
    private Rare rare;
    /**
     * Set by the engine while this node's rule runs in a walk that records no graph (no createGraph), else null:
     * the rule may then take {@link FusedBackward}'s one-pass forms, and may write into leaves' gradient buffers
     * ({@link #gradBuffer}) when the walk also captures nothing.
     */
    Object unrecordedWalk;

    /** The parts of a node that most nodes do not need, in one object made only for those that do. */
    private static final class Rare {
        /** Edges of inputs 2 and up (see {@link #edge}). */
        Object[] moreEdges;
        /** Every input's shape, when some input's differs from the output's. */
        int[][] inputShapes;
        /** Versions of saved tensors 2 and up. */
        int[] moreSavedVersions;
        /** Where the op was created, in anomaly mode. */
        Throwable forwardTrace;
        /** The output tensor, kept only when the user asked for its gradient with {@link Tensor#retainGrad()}. */
        Tensor retained;
        /** Hooks registered on the output tensor ({@link Tensor#registerHook}). */
        Hooks hooks;
    }

    /* The rare cases (more than two inputs or saved tensors, shapes that differ) are in helpers, so that the
     * constructor stays small enough for the JIT to inline it into each op's record. */
    private Node(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Rule rule, boolean anomaly) {
        this.op = op;
        this.rule = rule;
        this.outputShape = out.shape;
        this.dtype = out.dtype();
        int n = inputs.length;
        this.fewInputs = (byte) Math.min(n, 3);
        this.edge0 = n > 0 ? edgeTo(inputs[0]) : null;
        this.edge1 = n > 1 ? edgeTo(inputs[1]) : null;
        this.saved = saved;
        this.savedVersion0 = saved.length > 0 ? saved[0].storage.version() : 0;
        this.savedVersion1 = saved.length > 1 ? saved[1].storage.version() : 0;
        int deepest = Math.max(levelOf(edge0), levelOf(edge1));
        if (n > 2 || saved.length > 2 || anomaly || !sameShapes(inputs, outputShape)) {
            this.rare = rareParts(op, inputs, saved, anomaly);
            if (rare.moreEdges != null) {
                for (Object edge : rare.moreEdges) {
                    deepest = Math.max(deepest, levelOf(edge));
                }
            }
        }
        this.level = deepest + 1;
    }

    private static int levelOf(Object edge) {
        return edge instanceof Node node ? node.level : 0;
    }

    private Rare rareParts(String op, Tensor[] inputs, Tensor[] saved, boolean anomaly) {
        Rare r = new Rare();
        r.moreEdges = inputs.length > 2 ? edgesFrom2(inputs) : null;
        r.inputShapes = sameShapes(inputs, outputShape) ? null : shapesOf(inputs);
        r.moreSavedVersions = saved.length > 2 ? versionsFrom2(saved) : null;
        r.forwardTrace = anomaly ? new AnomalyMode.ForwardTrace(op) : null;
        return r;
    }

    private Rare rare() {
        if (rare == null) {
            rare = new Rare();
        }
        return rare;
    }

    /** Anomaly mode's trace of the forward call that created this op, or null. */
    Throwable forwardTrace() {
        return rare == null ? null : rare.forwardTrace;
    }

    /** The output tensor whose gradient the user asked to keep ({@link Tensor#retainGrad()}), or null. */
    Tensor retained() {
        return rare == null ? null : rare.retained;
    }

    /** The output's hooks, or null when none were registered. */
    Hooks hooks() {
        return rare == null ? null : rare.hooks;
    }

    /** Keeps {@code out}'s gradient in its {@code grad()} at the next backward. */
    void retain(Tensor out) {
        rare().retained = out;
    }

    /** Registers a hook on the output {@code out} of this node. */
    RemovableHandle addHook(Tensor out, java.util.function.UnaryOperator<Tensor> hook) {
        Rare r = rare();
        if (r.hooks == null) {
            r.hooks = new Hooks(out);
        }
        return r.hooks.add(hook);
    }

    private static Object[] edgesFrom2(Tensor[] inputs) {
        Object[] edges = new Object[inputs.length - 2];
        for (int i = 2; i < inputs.length; i++) {
            edges[i - 2] = edgeTo(inputs[i]);
        }
        return edges;
    }

    private static boolean sameShapes(Tensor[] inputs, int[] shape) {
        for (Tensor in : inputs) {
            if (in.shape != shape && !Arrays.equals(in.shape, shape)) {
                return false;
            }
        }
        return true;
    }

    private static int[][] shapesOf(Tensor[] inputs) {
        int[][] shapes = new int[inputs.length][];
        for (int j = 0; j < inputs.length; j++) {
            shapes[j] = inputs[j].shape;
        }
        return shapes;
    }

    private static int[] versionsFrom2(Tensor[] saved) {
        int[] versions = new int[saved.length - 2];
        for (int i = 2; i < saved.length; i++) {
            versions[i - 2] = saved[i].storage.version();
        }
        return versions;
    }

    private static Object edgeTo(Tensor in) {
        return !in.requiresGrad() ? null : in.gradFn != null ? in.gradFn : in;
    }

    /** The edge of input i: its node, the leaf itself, or null when it needs no gradient. */
    Object edge(int i) {
        return i == 0 ? edge0 : i == 1 ? edge1 : rare.moreEdges[i - 2];
    }

    /** The node that produced input i, or null when the input is a leaf or needs no gradient. */
    Node inputNode(int i) {
        return edge(i) instanceof Node node ? node : null;
    }

    /** Input i when it is a leaf that requires grad, else null. */
    Tensor inputLeaf(int i) {
        return edge(i) instanceof Tensor leaf ? leaf : null;
    }

    /** The shape of input i when the op ran. */
    int[] inputShape(int i) {
        return rare == null || rare.inputShapes == null ? outputShape : rare.inputShapes[i];
    }

    private int savedVersion(int i) {
        return i == 0 ? savedVersion0 : i == 1 ? savedVersion1 : rare.moreSavedVersions[i - 2];
    }

    static Tensor[] in(Tensor... tensors) {
        return tensors;
    }

    static final Tensor[] NONE = new Tensor[0];

    /**
     * Attaches a node to {@code out} when grad mode is on and some input requires grad; otherwise returns
     * {@code out} untouched. Every differentiable op ends with this call, next to its rule.
     */
    static Tensor record(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Rule rule) {
        boolean anomaly = AnomalyMode.isEnabled();
        if (anomaly && !Engine.isRunningRule()) {
            checkForward(op, out, inputs);
        }
        if (!Grad.isEnabled() || !out.dtype().isFloatingPoint()) {
            return out;   // integer and bool results (masks, indices, casts to them) carry no gradient
        }
        boolean any = false;
        for (Tensor in : inputs) {
            any |= in.requiresGrad();
        }
        if (!any) {
            return out;
        }
        out.attach(new Node(op, out, inputs, saved, rule, anomaly));
        return out;
    }

    /** {@link #record} for an op that saves its inputs: one array serves both. */
    static Tensor recordSavingInputs(String op, Tensor out, Tensor[] inputs, Rule rule) {
        return record(op, out, inputs, inputs, rule);
    }

    /** The i-th saved tensor, after checking that it was not modified in place since it was saved. */
    Tensor saved(int i) {
        if (released) {
            throw new AutogradException("Trying to backward through the graph a second time (op '" + op
                    + "'): its saved tensors were freed by the first backward. Pass retainGraph = true to the"
                    + " first backward (loss.backward(null, true, false)) or Autograd.grad if you need to"
                    + " backward twice.");
        }
        Tensor t = saved[i];
        int now = t.storage.version();
        if (now != savedVersion(i)) {
            throw new AutogradException("one of the tensors needed for gradient computation has been modified by"
                    + " an in-place operation: the " + t.dtype() + " tensor of shape " + Shapes.str(t.shape)
                    + " saved by '" + op + "' is at version " + now + "; expected version " + savedVersion(i)
                    + " instead. Hint: use the out-of-place op, or clone() the tensor before modifying it;"
                    + " AnomalyMode.enable() shows where the op was created.");
        }
        return t;
    }

    /**
     * Where a rule may write input i's gradient instead of allocating it, or null: the existing {@code grad()} of a
     * leaf input when it is known to hold only zeros (zeroed in place, e.g. {@code zeroGrad(false)}, and not
     * written since), outside createGraph and {@link Autograd#grad}, for a leaf without hooks that has received no
     * other gradient yet in this backward. A rule that takes it must overwrite all of it with the gradient (the
     * bits of a fresh gradient), bump its version, and return it as input i's gradient; the engine then adds any
     * later gradient of that leaf into it in place.
     */
    Tensor gradBuffer(int i) {
        return Engine.gradBuffer(this, i);
    }

    boolean needsGrad(int i) {
        return edge(i) != null;
    }

    /**
     * Refuses a second backward through this node after its saved tensors were freed. A node that saved nothing
     * lost nothing, so it may be walked again without retainGraph, as in PyTorch.
     */
    void checkNotReleased() {
        if (saved == null) {
            saved(0);
        }
    }

    void release() {
        released = true;
        if (saved != null && saved.length > 0) {
            saved = null;
        }
    }

    int inputCount() {
        return fewInputs <= 2 ? fewInputs : 2 + rare.moreEdges.length;
    }

    private static void checkForward(String op, Tensor out, Tensor[] inputs) {
        if (!out.hasNonFinite()) {
            return;
        }
        for (Tensor in : inputs) {
            if (in.hasNonFinite()) {
                return;
            }
        }
        throw new AutogradException("AnomalyMode: forward of '" + op + "' produced NaN or infinity in its output of"
                + " shape " + Shapes.str(out.shape) + " from finite inputs " + shapes(inputs)
                + ". The cause's stack trace shows the call.", new AnomalyMode.ForwardTrace(op));
    }

    static String shapes(Tensor[] tensors) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < tensors.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Arrays.toString(tensors[i].shape));
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return op;
    }
}
