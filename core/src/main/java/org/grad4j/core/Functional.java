package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Function transforms beside {@link Autograd#grad}, as {@code torch.autograd.functional}: vector-Jacobian and
 * Jacobian-vector products, full Jacobians and Hessians of a Java function of tensors.
 * <pre>{@code
 * Function<Tensor, Tensor> f = x -> x.pow(3).sum();
 * Tensor x = Tensor.of(new double[] {1, 2});
 * Tensor h = Functional.hessian(f, x);                          // diag(6x) = [[6, 0], [0, 12]]
 * Tensor j = Functional.jacobian(v -> v.exp(), x);               // diag(e^x)
 * Tensor jt = Functional.jvp(v -> v.exp(), x, x.onesLike()).product();   // e^x
 * }</pre>
 * The inputs are detached copies that require grad, so the results do not join the caller's graph, unless
 * {@code createGraph} is true: then inputs that already require grad are used as they are and the results are
 * differentiable (a Hessian of a Jacobian, a gradient penalty). Functions run with recording on, whatever the
 * caller's grad mode. An output that does not depend on an input gets zeros for it.
 *
 * <p>{@code jvp} is forward mode computed by the double-backward trick: {@code J t = d/du <J^T u, t>} for a dummy
 * {@code u}, so it costs two backward passes and works for every op with a differentiable derivative rule.
 *
 * <p>{@code vectorize = true} replaces the loop of one backward per output element by a single forward and
 * backward over a batch: the input is repeated along a new leading dim, one copy per output element, and each copy
 * gets one unit seed. It requires {@code f} to treat a leading batch dim independently (element-wise ops, matmul
 * with the batch on the left, reductions over the last dims...), mapping {@code [N, in...]} to {@code [N, out...]};
 * an output of another shape is reported.
 */
public final class Functional {
    private Functional() {
    }

    /**
     * The result of a product transform.
     *
     * @param output   the function's value at the inputs (detached unless {@code createGraph})
     * @param products one per input for vjp; a single one for jvp and hvp
     */
    public record Product(Tensor output, List<Tensor> products) {
        /** The first (for single-input transforms, the only) product. */
        public Tensor product() {
            return products.get(0);
        }
    }

    // ---------------------------------------------------------------------------------------------------- vjp

    /** {@code v^T J} of {@code f} at {@code x} (v may be null for a scalar output), as {@code torch...vjp}. */
    public static Product vjp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        Args.notNull(f, "vjp", "f");
        Args.notNull(x, "vjp", "x");
        return vjp(xs -> f.apply(xs.get(0)), List.of(x), v, false);
    }

    /** {@code v^T J_i} for every input; v may be null for a scalar output. */
    public static Product vjp(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tensor v, boolean createGraph) {
        Args.notNull(f, "vjp", "f");
        try (Grad.Scope on = Grad.enabled()) {
            List<Tensor> ins = prepare("vjp", inputs, createGraph);
            Tensor y = call("vjp", f, ins);
            if (v != null && !Arrays.equals(v.shape, y.shape)) {
                throw new ShapeMismatchException("vjp: v has shape " + Shapes.str(v.shape) + " but the function's"
                        + " output has shape " + Shapes.str(y.shape));
            }
            if (v == null && y.numel() != 1) {
                throw new ShapeMismatchException("vjp: the function's output has shape " + Shapes.str(y.shape)
                        + "; pass v (of that shape) for a non-scalar output");
            }
            List<Tensor> grads = grads(List.of(y), ins, v == null ? null : List.of(v), createGraph);
            return new Product(createGraph ? y : y.detach(), grads);
        }
    }

    // ---------------------------------------------------------------------------------------------------- jvp

    /** {@code J t} of {@code f} at {@code x} (forward mode through double backward). */
    public static Product jvp(Function<Tensor, Tensor> f, Tensor x, Tensor t) {
        Args.notNull(f, "jvp", "f");
        Args.notNull(x, "jvp", "x");
        Args.notNull(t, "jvp", "t");
        return jvp(xs -> f.apply(xs.get(0)), List.of(x), List.of(t), false);
    }

    /** {@code sum_i J_i t_i}: the directional derivative of {@code f} at the inputs along the tangents. */
    public static Product jvp(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, List<Tensor> tangents,
                              boolean createGraph) {
        Args.notNull(f, "jvp", "f");
        Args.noNulls(inputs, "jvp", "inputs");
        Args.noNulls(tangents, "jvp", "tangents");
        if (tangents.size() != inputs.size()) {
            throw new IllegalArgumentException("jvp: got " + tangents.size() + " tangents for " + inputs.size()
                    + " inputs");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!Arrays.equals(tangents.get(i).shape, inputs.get(i).shape)) {
                throw new ShapeMismatchException("jvp: tangent " + i + " has shape "
                        + Shapes.str(tangents.get(i).shape) + " but input " + i + " has shape "
                        + Shapes.str(inputs.get(i).shape));
            }
            Pointwise.checkDtypes("jvp", inputs.get(i), tangents.get(i));
        }
        try (Grad.Scope on = Grad.enabled()) {
            List<Tensor> ins = prepare("jvp", inputs, createGraph);
            Tensor y = call("jvp", f, ins);
            Tensor out = createGraph ? y : y.detach();
            if (!y.requiresGrad()) {
                return new Product(out, List.of(y.detach().zerosLike()));
            }
            Tensor u = y.detach().zerosLike().requiresGrad(true);
            List<Tensor> vjps = Autograd.grad(List.of(y), ins, List.of(u), true, true, true);
            List<Tensor> roots = new ArrayList<>();
            List<Tensor> seeds = new ArrayList<>();
            for (int i = 0; i < vjps.size(); i++) {
                Tensor g = vjps.get(i);
                if (g != null && g.requiresGrad()) {
                    roots.add(g);
                    seeds.add(tangents.get(i));
                }
            }
            if (roots.isEmpty()) {
                return new Product(out, List.of(y.detach().zerosLike()));
            }
            Tensor jt = Autograd.grad(roots, List.of(u), seeds, createGraph, createGraph, true).get(0);
            return new Product(out, List.of(jt == null ? y.detach().zerosLike() : jt));
        }
    }

    // ----------------------------------------------------------------------------------------------- jacobian

    /** The Jacobian of {@code f} at {@code x}, of shape {@code out.shape ++ x.shape}. */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x) {
        Args.notNull(f, "jacobian", "f");
        Args.notNull(x, "jacobian", "x");
        return jacobian(f, x, false, false);
    }

    /** The Jacobian, with the options described in the class comment. */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x, boolean createGraph, boolean vectorize) {
        Args.notNull(f, "jacobian", "f");
        Args.notNull(x, "jacobian", "x");
        if (vectorize) {
            return vectorizedJacobian("jacobian", f, x, createGraph);
        }
        return jacobian(xs -> f.apply(xs.get(0)), List.of(x), createGraph).get(0);
    }

    /** The Jacobian with respect to each input, {@code out.shape ++ inputs[i].shape}. */
    public static List<Tensor> jacobian(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, boolean createGraph) {
        Args.notNull(f, "jacobian", "f");
        try (Grad.Scope on = Grad.enabled()) {
            List<Tensor> ins = prepare("jacobian", inputs, createGraph);
            Tensor y = call("jacobian", f, ins);
            return jacobianRows(y, ins, createGraph);
        }
    }

    /** One backward per element of y; row k of each input's Jacobian is the gradient of y[k]. */
    private static List<Tensor> jacobianRows(Tensor y, List<Tensor> ins, boolean createGraph) {
        int n = y.numel();
        List<List<Tensor>> rows = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) rows.add(new ArrayList<>());
        for (int k = 0; k < n; k++) {
            Tensor seed = Tensor.zeros(y.dtype(), y.shape);
            seed.storage.set(k, 1);
            List<Tensor> g = grads(List.of(y), ins, List.of(seed), createGraph);
            for (int i = 0; i < ins.size(); i++) rows.get(i).add(g.get(i));
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < ins.size(); i++) {
            Tensor x = ins.get(i);
            int[] shape = concat(y.shape, x.shape);
            out.add(n == 0 ? Tensor.zeros(x.dtype(), shape) : Tensor.stack(rows.get(i), 0).reshape(shape));
        }
        return out;
    }

    private static Tensor vectorizedJacobian(String op, Function<Tensor, Tensor> f, Tensor x, boolean createGraph) {
        try (Grad.Scope on = Grad.enabled()) {
            Tensor in = prepare(op, List.of(x), createGraph).get(0);
            Tensor y0 = call(op, xs -> f.apply(xs.get(0)), List.of(in));
            int n = y0.numel();
            if (n == 0) {
                return Tensor.zeros(x.dtype(), concat(y0.shape, x.shape));
            }
            Tensor batch = in.unsqueeze(0).expand(concat(new int[] {n}, in.shape)).copy();
            Tensor ys = f.apply(batch);
            int[] expected = concat(new int[] {n}, y0.shape);
            if (ys == null || !Arrays.equals(ys.shape, expected)) {
                throw new ShapeMismatchException(op + ": with vectorize = true the function must map a batch of " + n
                        + " inputs " + Shapes.str(batch.shape) + " to " + Shapes.str(expected) + " (one output per"
                        + " batch row), but it returned " + (ys == null ? "null" : Shapes.str(ys.shape))
                        + "; make it treat a leading batch dim independently, or use vectorize = false");
            }
            Tensor seeds = Tensor.eye(n, y0.dtype()).reshape(expected);
            Tensor g = grads(List.of(ys), List.of(batch), List.of(seeds), createGraph).get(0);
            return g.reshape(concat(y0.shape, x.shape));
        }
    }

    // ------------------------------------------------------------------------------------------------ hessian

    /** The Hessian of a scalar-valued {@code f} at {@code x}, of shape {@code x.shape ++ x.shape}. */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        Args.notNull(f, "hessian", "f");
        Args.notNull(x, "hessian", "x");
        return hessian(f, x, false, false);
    }

    /**
     * The Hessian with the options of the class comment; with {@code vectorize}, {@code f} maps a batch
     * {@code [N, x...]} to N scalars {@code [N]}.
     */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x, boolean createGraph, boolean vectorize) {
        Args.notNull(f, "hessian", "f");
        Args.notNull(x, "hessian", "x");
        Function<Tensor, Tensor> gradient = z -> {
            Tensor y = f.apply(z);
            if (y == null) {
                throw new IllegalArgumentException("hessian: the function returned null");
            }
            if (!vectorize && y.numel() != 1) {
                throw new ShapeMismatchException("hessian: the function must return a single value, got shape "
                        + Shapes.str(y.shape));
            }
            return grads(List.of(y.sum()), List.of(z), null, true).get(0);
        };
        if (vectorize) {
            return vectorizedJacobian("hessian", gradient, x, createGraph);
        }
        try (Grad.Scope on = Grad.enabled()) {
            Tensor in = prepare("hessian", List.of(x), createGraph).get(0);
            return jacobianRows(gradient.apply(in), List.of(in), createGraph).get(0);
        }
    }

    /** Hessian blocks {@code H[i][j] = d^2 f / dx_i dx_j}, of shape {@code inputs[i].shape ++ inputs[j].shape}. */
    public static List<List<Tensor>> hessian(Function<List<Tensor>, Tensor> f, List<Tensor> inputs,
                                             boolean createGraph) {
        Args.notNull(f, "hessian", "f");
        try (Grad.Scope on = Grad.enabled()) {
            List<Tensor> ins = prepare("hessian", inputs, createGraph);
            Tensor y = call("hessian", f, ins);
            if (y.numel() != 1) {
                throw new ShapeMismatchException("hessian: the function must return a single value, got shape "
                        + Shapes.str(y.shape));
            }
            List<Tensor> g = grads(List.of(y), ins, null, true);
            List<List<Tensor>> blocks = new ArrayList<>();
            for (Tensor gi : g) {
                blocks.add(jacobianRows(gi, ins, createGraph));
            }
            return blocks;
        }
    }

    /** The Hessian-vector product {@code H v} of a scalar-valued {@code f} at {@code x}, by double backward. */
    public static Product hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        Args.notNull(f, "hvp", "f");
        Args.notNull(x, "hvp", "x");
        if (x == null || v == null) {
            throw new IllegalArgumentException("hvp: x and v must not be null");
        }
        if (!Arrays.equals(v.shape, x.shape)) {
            throw new ShapeMismatchException("hvp: v has shape " + Shapes.str(v.shape) + " but x has shape "
                    + Shapes.str(x.shape));
        }
        try (Grad.Scope on = Grad.enabled()) {
            Tensor in = prepare("hvp", List.of(x), false).get(0);
            Tensor y = call("hvp", xs -> f.apply(xs.get(0)), List.of(in));
            if (y.numel() != 1) {
                throw new ShapeMismatchException("hvp: the function must return a single value, got shape "
                        + Shapes.str(y.shape));
            }
            Tensor g = grads(List.of(y), List.of(in), null, true).get(0);
            Tensor hv = grads(List.of(g), List.of(in), List.of(v), false).get(0);
            return new Product(y.detach(), List.of(hv));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static List<Tensor> prepare(String op, List<Tensor> inputs, boolean createGraph) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException(op + ": needs at least one input");
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            if (x == null) {
                throw new IllegalArgumentException(op + ": input " + i + " is null");
            }
            if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) {
                throw new DTypeMismatchException(op + ": input " + i + " has dtype " + x.dtype()
                        + "; derivatives need float32 or float64");
            }
            out.add(createGraph && x.requiresGrad() ? x : x.detach().requiresGrad(true));
        }
        return out;
    }

    private static Tensor call(String op, Function<List<Tensor>, Tensor> f, List<Tensor> ins) {
        Tensor y = f.apply(ins);
        if (y == null) {
            throw new IllegalArgumentException(op + ": the function returned null");
        }
        return y;
    }

    /** Autograd.grad that gives zeros for inputs the outputs do not depend on (or do not depend on at all). */
    private static List<Tensor> grads(List<Tensor> outputs, List<Tensor> ins, List<Tensor> seeds, boolean createGraph) {
        List<Tensor> result;
        boolean any = false;
        for (Tensor y : outputs) any |= y.requiresGrad();
        if (!any) {
            result = new ArrayList<>();
            for (int i = 0; i < ins.size(); i++) result.add(null);
        } else {
            result = new ArrayList<>(Autograd.grad(outputs, ins, seeds, true, createGraph, true));
        }
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i) == null) {
                result.set(i, ins.get(i).detach().zerosLike());
            }
        }
        return result;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] s = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }
}
