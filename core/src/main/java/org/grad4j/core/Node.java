package org.grad4j.core;

import java.util.Arrays;

/**
 * One recorded op in the define-by-run graph: it produced one tensor, knows its inputs (as their nodes, or as the
 * leaf tensors themselves), keeps the tensors its backward rule needs, and holds the rule. Created by
 * {@link #record}; consumed by {@link Engine}.
 */
final class Node {

    /** A derivative rule: the gradients of the op's inputs, given the gradient of its output. */
    @FunctionalInterface
    interface Rule {
        /** Entries for inputs that need no gradient may be null. Shapes may be broadcast; the engine reduces them. */
        Tensor[] apply(Tensor grad, Node node);
    }

    final String op;
    final Rule rule;
    final Node[] inputNodes;
    final Tensor[] inputLeaves;
    final int[][] inputShapes;
    final boolean[] needsGrad;
    final int[] outputShape;
    final DType dtype;
    final Throwable forwardTrace;
    private Tensor[] saved;
    private int[] savedVersions;
    private boolean released;
    /** How many tensors the node saved for backward (0: a second backward needs nothing freed). */
    private final int savedCount;
    /** The output tensor, kept only when the user asked for its gradient with {@link Tensor#retainGrad()}. */
    Tensor retained;
    /** Hooks registered on the output tensor ({@link Tensor#registerHook}); null when there are none. */
    Hooks hooks;
    /** The engine's bookkeeping for this node during a backward walk (see {@link Engine.Visit}). */
    Engine.Visit visit;

    private Node(String op, Tensor out, Tensor[] inputs, Tensor[] saved, Rule rule) {
        this.op = op;
        this.rule = rule;
        this.outputShape = out.shape;
        this.dtype = out.dtype();
        int n = inputs.length;
        this.inputNodes = new Node[n];
        this.inputLeaves = new Tensor[n];
        this.inputShapes = new int[n][];
        this.needsGrad = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            inputShapes[i] = in.shape;
            if (in.requiresGrad()) {
                needsGrad[i] = true;
                if (in.gradFn != null) {
                    inputNodes[i] = in.gradFn;
                } else {
                    inputLeaves[i] = in;
                }
            }
        }
        this.saved = saved;
        this.savedCount = saved.length;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) {
            savedVersions[i] = saved[i].storage.version();
        }
        this.forwardTrace = AnomalyMode.isEnabled() ? new AnomalyMode.ForwardTrace(op) : null;
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
        if (AnomalyMode.isEnabled() && !Engine.isRunningRule()) {
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
        out.attach(new Node(op, out, inputs, saved, rule));
        return out;
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
        if (now != savedVersions[i]) {
            throw new AutogradException("one of the tensors needed for gradient computation has been modified by"
                    + " an in-place operation: the " + t.dtype() + " tensor of shape " + Shapes.str(t.shape)
                    + " saved by '" + op + "' is at version " + now + "; expected version " + savedVersions[i]
                    + " instead. Hint: use the out-of-place op, or clone() the tensor before modifying it;"
                    + " AnomalyMode.enable() shows where the op was created.");
        }
        return t;
    }

    boolean needsGrad(int i) {
        return needsGrad[i];
    }

    boolean isReleased() {
        return released;
    }

    /**
     * Refuses a second backward through this node after its saved tensors were freed. A node that saved nothing
     * lost nothing, so it may be walked again without retainGraph, as in PyTorch.
     */
    void checkNotReleased() {
        if (released && savedCount > 0) {
            saved(0);
        }
    }

    void release() {
        released = true;
        saved = null;
        savedVersions = null;
    }

    int inputCount() {
        return inputShapes.length;
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
