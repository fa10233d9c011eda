package org.grad4j.core;

import java.util.Arrays;

/**
 * One-pass forms of derivative rules, for a backward that records no graph (no createGraph): the rule's formula
 * evaluated per element in the same float operations and order as its tensor-op form, so the bits are the same
 * (Java never contracts {@code a * b + c} into an fma), without the intermediate tensors and without the tensor
 * ops' dispatch, which is most of the cost of a rule on a few elements (a scalar graph's). Each rule keeps its
 * tensor-op form for createGraph, where it must be differentiable. Each method takes the node whose rule calls it
 * and returns null when it does not apply (the node's walk records a graph, which the engine tells through
 * {@link Node#unrecordedWalk} without a thread-local lookup of the grad mode, or the operands are not of one float
 * dtype and the gradient's shape, all contiguous, or for mul and div single broadcast elements, or they are larger
 * than {@link #MAX_ELEMENTS}); the rule then runs its tensor ops. One-element operands take a short form without shape checks or loops. This class
 * checks, allocates and picks the dtype; the arithmetic and loops are written once for float and double in
 * FusedLoops.java.template ({@link FusedLoopsF}, {@link FusedLoopsD}).
 */
final class FusedBackward {
    private FusedBackward() {
    }

    /**
     * Largest operand the one-pass forms take. They pay off where an op's fixed cost dominates (per-sample layers,
     * scalar graphs); on large tensors the SIMD kernels of the tensor-op forms are faster, and relu's select, written
     * as a scalar branch, mispredicts on every other element (a CNN step took 20% longer with it). Above it, relu's
     * rule runs the SIMD kernel {@code reluBackward} ({@link #reluLarge}).
     */
    static final int MAX_ELEMENTS = 4096;

    /** Whether a rule may run fused on these operands (see the class comment). */
    private static boolean applies(Node node, Tensor g, Tensor x) {
        return node.unrecordedWalk != null && g.numel() <= MAX_ELEMENTS && g.dtype() == x.dtype()
                && g.dtype().isFloatingPoint()
                && (g.shape == x.shape || Arrays.equals(g.shape, x.shape)) && g.isContiguous() && x.isContiguous();
    }

    /**
     * Whether a rule may take its one-element form: g a single element laid out as a new one would be (0-d, or
     * [1]), the operands single elements, and no graph being recorded. Each form reads the values at the offsets
     * and, when the storages are not all float32 or all float64, falls through to the general form.
     */
    private static boolean scalars(Node node, Tensor g, Tensor a, Tensor b) {
        return node.unrecordedWalk != null && Pointwise.isSingle(g) && (a == g || a.numel() == 1)
                && (b == a || b.numel() == 1);
    }

    /*
     * A one-element gradient of g's shape, which is the node's output shape: it takes the node's array, so that
     * where the input's shape is the output's (every op of a scalar graph) the engine finds the very array it
     * expects and does not compare shapes (the root gradient's array is a copy, and g's is the root's or derived
     * from it). A 0-d tensor's empty shape array serves as its strides too.
     */
    private static Tensor scalarLike(Node node, Tensor g, float v) {
        int[] shape = node.outputShape;
        return new Tensor(new Storage.F32(new float[] {v}), shape, shape.length == 0 ? shape : g.strides, 0);
    }

    private static Tensor scalarLike(Node node, Tensor g, double v) {
        int[] shape = node.outputShape;
        return new Tensor(new Storage.F64(new double[] {v}), shape, shape.length == 0 ? shape : g.strides, 0);
    }

    private static Tensor newLike(Tensor g) {
        if (Pointwise.rowMajor(g)) {
            return new Tensor(Storage.allocate(g.dtype(), g.numel()), g.shape, g.strides, 0);   // arrays shared
        }
        return new Tensor(Storage.allocate(g.dtype(), g.numel()), g.shape, Shapes.contiguousStrides(g.shape), 0);
    }

    /**
     * How a binary rule reads operand x over g's elements: 1 when x has g's shape and is contiguous, 0 when x is
     * a single element (a broadcast constant such as the 0.1 of {@code t.mul(0.1)}), -1 when neither (or when x
     * is not of g's dtype): the rule then runs its tensor ops.
     */
    private static int step(Tensor g, Tensor x) {
        if (x.dtype() != g.dtype()) {
            return -1;
        }
        if (x.shape == g.shape || Arrays.equals(x.shape, g.shape)) {
            return x.isContiguous() ? 1 : -1;
        }
        return x.numel() == 1 ? 0 : -1;
    }

    /** Whether a binary rule may run fused for a gradient g (see the class comment). */
    private static boolean appliesTo(Node node, Tensor g) {
        return node.unrecordedWalk != null && g.dtype().isFloatingPoint() && g.isContiguous()
                && g.numel() <= MAX_ELEMENTS;
    }

    /**
     * mul's rule, {@code {g * b, g * a}} (an entry null where its input needs no gradient), in one pass: the
     * products of the tensor-op form {@code g.mul(b)}, {@code g.mul(a)}, in g's (broadcast) shape.
     */
    static Tensor[] mul(Node node, Tensor g, Tensor a, Tensor b, boolean needA, boolean needB) {
        if (scalars(node, g, a, b)) {
            if (g.storage instanceof Storage.F32 gs && a.storage instanceof Storage.F32 as
                    && b.storage instanceof Storage.F32 bs) {
                float v = gs.data[g.offset];
                return new Tensor[] {needA ? scalarLike(node, g, v * bs.data[b.offset]) : null,
                    needB ? scalarLike(node, g, v * as.data[a.offset]) : null};
            }
            if (g.storage instanceof Storage.F64 gs && a.storage instanceof Storage.F64 as
                    && b.storage instanceof Storage.F64 bs) {
                double v = gs.data[g.offset];
                return new Tensor[] {needA ? scalarLike(node, g, v * bs.data[b.offset]) : null,
                    needB ? scalarLike(node, g, v * as.data[a.offset]) : null};
            }
        }
        return products(node, g, a, b, needA, needB, false);
    }

    /**
     * div's rule, {@code {g / b, -((g * a) / (b * b))}} (an entry null where its input needs no gradient), in one
     * pass: the tensor-op forms {@code g.div(b)} and {@code g.mul(a).div(b.square()).neg()}, in g's shape.
     */
    static Tensor[] div(Node node, Tensor g, Tensor a, Tensor b, boolean needA, boolean needB) {
        if (scalars(node, g, a, b)) {
            if (g.storage instanceof Storage.F32 gs && a.storage instanceof Storage.F32 as
                    && b.storage instanceof Storage.F32 bs) {
                float v = gs.data[g.offset];
                float d = bs.data[b.offset];
                return new Tensor[] {needA ? scalarLike(node, g, v / d) : null,
                    needB ? scalarLike(node, g, FusedLoopsF.divisor(v, as.data[a.offset], d)) : null};
            }
            if (g.storage instanceof Storage.F64 gs && a.storage instanceof Storage.F64 as
                    && b.storage instanceof Storage.F64 bs) {
                double v = gs.data[g.offset];
                double d = bs.data[b.offset];
                return new Tensor[] {needA ? scalarLike(node, g, v / d) : null,
                    needB ? scalarLike(node, g, FusedLoopsD.divisor(v, as.data[a.offset], d)) : null};
            }
        }
        return products(node, g, a, b, needA, needB, true);
    }

    /** The array forms of mul's and div's rules (div's when {@code quotient}), or null where they do not apply. */
    private static Tensor[] products(Node node, Tensor g, Tensor a, Tensor b, boolean needA, boolean needB,
                                     boolean quotient) {
        int aStep = step(g, a);
        int bStep = step(g, b);
        if (aStep < 0 || bStep < 0 || !appliesTo(node, g)) {
            return null;
        }
        Tensor ga = needA ? newLike(g) : null;
        Tensor gb = needB ? newLike(g) : null;
        int n = g.numel();
        if (g.storage instanceof Storage.F32) {
            float[] gs = g.storage.floats();
            float[] as = a.storage.floats();
            float[] bs = b.storage.floats();
            float[] outA = ga == null ? null : ga.storage.floats();
            float[] outB = gb == null ? null : gb.storage.floats();
            if (quotient) {
                FusedLoopsF.div(gs, g.offset, as, a.offset, aStep, bs, b.offset, bStep, outA, outB, n);
            } else {
                FusedLoopsF.mul(gs, g.offset, as, a.offset, aStep, bs, b.offset, bStep, outA, outB, n);
            }
        } else {
            double[] gs = g.storage.doubles();
            double[] as = a.storage.doubles();
            double[] bs = b.storage.doubles();
            double[] outA = ga == null ? null : ga.storage.doubles();
            double[] outB = gb == null ? null : gb.storage.doubles();
            if (quotient) {
                FusedLoopsD.div(gs, g.offset, as, a.offset, aStep, bs, b.offset, bStep, outA, outB, n);
            } else {
                FusedLoopsD.mul(gs, g.offset, as, a.offset, aStep, bs, b.offset, bStep, outA, outB, n);
            }
        }
        return new Tensor[] {ga, gb};
    }

    /** {@code -g}: neg's rule and the subtrahend's part of sub's rule, {@code g.neg()}. */
    static Tensor neg(Node node, Tensor g) {
        if (scalars(node, g, g, g)) {
            if (g.storage instanceof Storage.F32 gs) {
                return scalarLike(node, g, -gs.data[g.offset]);
            }
            if (g.storage instanceof Storage.F64 gs) {
                return scalarLike(node, g, -gs.data[g.offset]);
            }
        }
        if (!appliesTo(node, g)) {
            return null;
        }
        Tensor out = newLike(g);
        if (out.storage instanceof Storage.F32 o) {
            FusedLoopsF.neg(g.storage.floats(), g.offset, o.data, out.numel());
        } else {
            FusedLoopsD.neg(g.storage.doubles(), g.offset, out.storage.doubles(), out.numel());
        }
        return out;
    }

    /** {@code g * (1 - y * y)} for {@code y = tanh(x)}: tanh's rule {@code g.mul(y.square().rsub(1))}. */
    static Tensor tanh(Node node, Tensor g, Tensor y) {
        if (scalars(node, g, y, y)) {
            if (g.storage instanceof Storage.F32 gs && y.storage instanceof Storage.F32 ys) {
                return scalarLike(node, g, FusedLoopsF.tanh(gs.data[g.offset], ys.data[y.offset]));
            }
            if (g.storage instanceof Storage.F64 gs && y.storage instanceof Storage.F64 ys) {
                return scalarLike(node, g, FusedLoopsD.tanh(gs.data[g.offset], ys.data[y.offset]));
            }
        }
        if (!applies(node, g, y)) {
            return null;
        }
        Tensor out = newLike(g);
        if (out.storage instanceof Storage.F32 o) {
            FusedLoopsF.tanh(g.storage.floats(), g.offset, y.storage.floats(), y.offset, o.data, out.numel());
        } else {
            FusedLoopsD.tanh(g.storage.doubles(), g.offset, y.storage.doubles(), y.offset, out.storage.doubles(),
                    out.numel());
        }
        return out;
    }

    /** {@code g * (s * (1 - s))} for {@code s = sigmoid(x)}: sigmoid's rule {@code g.mul(s.mul(s.rsub(1)))}. */
    static Tensor sigmoid(Node node, Tensor g, Tensor s) {
        if (scalars(node, g, s, s)) {
            if (g.storage instanceof Storage.F32 gs && s.storage instanceof Storage.F32 ss) {
                return scalarLike(node, g, FusedLoopsF.sigmoid(gs.data[g.offset], ss.data[s.offset]));
            }
            if (g.storage instanceof Storage.F64 gs && s.storage instanceof Storage.F64 ss) {
                return scalarLike(node, g, FusedLoopsD.sigmoid(gs.data[g.offset], ss.data[s.offset]));
            }
        }
        if (!applies(node, g, s)) {
            return null;
        }
        Tensor out = newLike(g);
        if (out.storage instanceof Storage.F32 o) {
            FusedLoopsF.sigmoid(g.storage.floats(), g.offset, s.storage.floats(), s.offset, o.data, out.numel());
        } else {
            FusedLoopsD.sigmoid(g.storage.doubles(), g.offset, s.storage.doubles(), s.offset, out.storage.doubles(),
                    out.numel());
        }
        return out;
    }

    /**
     * relu's rule above {@link #MAX_ELEMENTS}: the SIMD kernel's one pass (a compare and a blend per vector) rather
     * than the tensor-op form's two (a bool mask written, then read by where), split across threads as where's call
     * would be (3 elements per index); the same bits. Null where the one-pass forms' other conditions fail.
     */
    private static Tensor reluLarge(Node node, Tensor g, Tensor y) {
        if (node.unrecordedWalk == null || g.dtype() != y.dtype() || !g.dtype().isFloatingPoint()
                || !(g.shape == y.shape || Arrays.equals(g.shape, y.shape)) || !g.isContiguous() || !y.isContiguous()) {
            return null;
        }
        Tensor out = newLike(g);
        int n = out.numel();
        if (out.storage instanceof Storage.F32 o) {
            float[] gs = g.storage.floats();
            float[] ys = y.storage.floats();
            ParallelParts.elements(n, 3, (from, to) -> Pointwise.KERNELS.reluBackward(gs, g.offset + from, ys,
                    y.offset + from, o.data, from, to - from));
        } else {
            double[] gs = g.storage.doubles();
            double[] ys = y.storage.doubles();
            double[] os = out.storage.doubles();
            ParallelParts.elements(n, 3, (from, to) -> Pointwise.KERNELS.reluBackward(gs, g.offset + from, ys,
                    y.offset + from, os, from, to - from));
        }
        return out;
    }

    /** {@code y > 0 ? g : 0} for {@code y = relu(x)}: relu's rule {@code where(y.gt(0), g, 0)}. */
    static Tensor relu(Node node, Tensor g, Tensor y) {
        if (scalars(node, g, y, y)) {
            if (g.storage instanceof Storage.F32 gs && y.storage instanceof Storage.F32 ys) {
                return scalarLike(node, g, FusedLoopsF.relu(gs.data[g.offset], ys.data[y.offset]));
            }
            if (g.storage instanceof Storage.F64 gs && y.storage instanceof Storage.F64 ys) {
                return scalarLike(node, g, FusedLoopsD.relu(gs.data[g.offset], ys.data[y.offset]));
            }
        }
        if (!applies(node, g, y)) {
            return reluLarge(node, g, y);
        }
        Tensor out = newLike(g);
        if (out.storage instanceof Storage.F32 o) {
            FusedLoopsF.relu(g.storage.floats(), g.offset, y.storage.floats(), y.offset, o.data, out.numel());
        } else {
            FusedLoopsD.relu(g.storage.doubles(), g.offset, y.storage.doubles(), y.offset, out.storage.doubles(),
                    out.numel());
        }
        return out;
    }
}
