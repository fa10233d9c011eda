package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Checks a function's analytical gradients (from backward) against central finite differences in float64, as
 * {@code torch.autograd.gradcheck}, with its default tolerances: an element passes when
 * {@code |analytical - numerical| <= atol + rtol * |numerical|}.
 * <pre>{@code
 * Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 3, 4).requiresGrad(true);
 * GradCheck.assertGradients(in -> myLayer(in[0]).sum(), x);   // throws with the worst element on failure
 * }</pre>
 * Every input that requires grad is checked; inputs must be float64 (finite differences in float32 are noise).
 * The function must be deterministic and must not modify its inputs; inputs are perturbed in place (their
 * storage, so inputs that are views of one another move together) and restored exactly.
 */
public final class GradCheck {
    /** Finite-difference step, as PyTorch's default. */
    public static final double EPS = 1e-6;
    /** Absolute tolerance, as PyTorch's default. */
    public static final double ATOL = 1e-5;
    /** Relative tolerance, as PyTorch's default. */
    public static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /** A differentiable function of several tensors. */
    @FunctionalInterface
    public interface Fn {
        /** The function under test, on the given inputs. */
        Tensor apply(Tensor[] inputs);
    }

    /**
     * Outcome of a check: whether it passed, and a report of the worst element.
     *
     * @param passed whether every checked element was within the tolerance
     * @param worstError the worst element's excess over the tolerance, {@code |analytical - numerical| - (atol + rtol
     *     |numerical|)}: negative when every element passed, infinite for a NaN mismatch
     * @param report a readable account of the worst element (input, indices, analytical and numerical values)
     */
    public record Result(boolean passed, double worstError, String report) {
        @Override
        public String toString() {
            return report;
        }
    }

    /** Full Jacobian check with PyTorch's default tolerances. */
    public static Result check(Fn f, Tensor... inputs) {
        return check(f, EPS, ATOL, RTOL, inputs);
    }

    /** Like {@link #check(Fn, Tensor...)}, throwing an {@link AssertionError} with the report on failure. */
    public static void assertGradients(Fn f, Tensor... inputs) {
        Result r = check(f, inputs);
        if (!r.passed()) {
            throw new AssertionError(r.report());
        }
    }

    /** Full Jacobian check: one backward per output element, two evaluations per input element. */
    public static Result check(Fn f, double eps, double atol, double rtol, Tensor... inputs) {
        List<Integer> checked = checkedInputs("GradCheck", inputs);
        Tensor y = f.apply(inputs);
        requireFloat64("output", y);
        int outN = y.numel();
        double[][][] analytical = new double[inputs.length][][];
        for (int i : checked) {
            analytical[i] = new double[outN][inputs[i].numel()];
        }
        List<Tensor> wrt = new ArrayList<>();
        for (int i : checked) wrt.add(inputs[i]);
        if (y.requiresGrad()) {
            for (int k = 0; k < outN; k++) {
                Tensor seed = Tensor.zeros(DType.FLOAT64, y.shape);
                seed.storage.set(k, 1);
                List<Tensor> grads = Autograd.grad(List.of(y), wrt, List.of(seed), true, false, true);
                for (int c = 0; c < checked.size(); c++) {
                    if (grads.get(c) != null) {
                        analytical[checked.get(c)][k] = grads.get(c).toDoubleArray();
                    }
                }
            }
        }
        double worst = 0;
        String worstReport = null;
        boolean passed = true;
        for (int i : checked) {
            Tensor x = inputs[i];
            int n = x.numel();
            int[] shape = x.shape;
            for (int j = 0; j < n; j++) {
                int[] index = unflatten(j, shape);
                double[] numerical = numericalColumn(f, inputs, x, index, eps);
                for (int k = 0; k < outN; k++) {
                    double a = analytical[i][k][j];
                    double num = numerical[k];
                    double err = Math.abs(a - num);
                    boolean ok = err <= atol + rtol * Math.abs(num) || (Double.isNaN(a) && Double.isNaN(num));
                    double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err - (atol + rtol * Math.abs(num));
                    if (!ok) {
                        passed = false;
                    }
                    if (worstReport == null || excess > worst) {
                        worst = excess;
                        worstReport = "input " + i + " " + Shapes.str(shape) + " element " + Arrays.toString(index)
                                + ", output element " + Arrays.toString(unflatten(k, y.shape)) + ": analytical "
                                + a + ", numerical " + num + ", |difference| " + err;
                    }
                }
            }
        }
        String report = (passed ? "GradCheck passed" : "GradCheck FAILED (eps=" + eps + ", atol=" + atol + ", rtol="
                + rtol + ")") + "; worst element: " + (worstReport == null ? "none (no elements)" : worstReport);
        return new Result(passed, worst, report);
    }

    /**
     * Second-order check, as {@code gradgradcheck}: the gradient function {@code x -> J(x)^T v} (with a fixed
     * random {@code v}, built with createGraph) is itself checked against finite differences.
     */
    public static Result checkSecondOrder(Fn f, long seed, Tensor... inputs) {
        List<Integer> checked = checkedInputs("GradCheck.checkSecondOrder", inputs);
        Tensor y0 = f.apply(inputs);
        Tensor v = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, y0.shape);
        Fn gradientFn = in -> {
            Tensor y = f.apply(in);
            List<Tensor> wrt = new ArrayList<>();
            for (int i : checked) wrt.add(in[i]);
            List<Tensor> grads = Autograd.grad(List.of(y), wrt, List.of(v), true, true, true);
            Tensor[] flat = new Tensor[grads.size()];
            for (int c = 0; c < flat.length; c++) {
                Tensor g = grads.get(c);
                flat[c] = (g == null ? wrt.get(c).zerosLike().detach() : g).reshape(-1);
            }
            return Tensor.concat(0, flat);
        };
        return check(gradientFn, inputs);
    }

    /**
     * A cheap check along one random direction (the JAX test suite's idea): compares {@code <u, J t>} from finite
     * differences with {@code <J^T u, t>} from backward, for random {@code t} and {@code u}. Two evaluations and
     * one backward, whatever the size, so it suits large inputs.
     */
    public static Result checkDirectional(Fn f, long seed, Tensor... inputs) {
        List<Integer> checked = checkedInputs("GradCheck.checkDirectional", inputs);
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor y = f.apply(inputs);
        requireFloat64("output", y);
        Tensor u = Tensor.randn(rng, DType.FLOAT64, y.shape);
        Tensor[] t = new Tensor[inputs.length];
        for (int i : checked) t[i] = Tensor.randn(rng, DType.FLOAT64, inputs[i].shape);
        double analytical = 0;
        if (y.requiresGrad()) {
            List<Tensor> wrt = new ArrayList<>();
            for (int i : checked) wrt.add(inputs[i]);
            List<Tensor> grads = Autograd.grad(List.of(y), wrt, List.of(u), false, false, true);
            for (int c = 0; c < checked.size(); c++) {
                if (grads.get(c) != null) {
                    analytical += dot(grads.get(c).toDoubleArray(), t[checked.get(c)].toDoubleArray());
                }
            }
        }
        double[] plus = evaluateShifted(f, inputs, checked, t, EPS);
        double[] minus = evaluateShifted(f, inputs, checked, t, -EPS);
        double[] uv = u.toDoubleArray();
        double numerical = 0;
        for (int k = 0; k < uv.length; k++) numerical += uv[k] * (plus[k] - minus[k]) / (2 * EPS);
        double err = Math.abs(analytical - numerical);
        boolean passed = err <= ATOL + RTOL * Math.abs(numerical);
        return new Result(passed, err, (passed ? "directional GradCheck passed" : "directional GradCheck FAILED")
                + ": <J^T u, t> = " + analytical + " (backward), <u, J t> = " + numerical
                + " (finite differences), |difference| " + err);
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private static List<Integer> checkedInputs(String op, Tensor[] inputs) {
        Args.noNulls(inputs, op, "inputs");
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            requireFloat64("input " + i, inputs[i]);
            if (inputs[i].requiresGrad()) {
                checked.add(i);
            }
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException(op + ": no input requires grad; call requiresGrad(true) on the inputs"
                    + " to check");
        }
        return checked;
    }

    private static void requireFloat64(String what, Tensor t) {
        if (t.dtype() != DType.FLOAT64) {
            throw new DTypeMismatchException("GradCheck: " + what + " is " + t.dtype() + "; finite differences need"
                    + " float64 (convert with .to(DType.FLOAT64) and build the function in float64)");
        }
    }

    /** Column of the Jacobian for one input element, by central differences; restores the element exactly. */
    private static double[] numericalColumn(Fn f, Tensor[] inputs, Tensor x, int[] index, double eps) {
        int pos = x.flatIndex("GradCheck", index);
        double original = x.storage.get(pos);
        try {
            x.storage.set(pos, original + eps);
            double[] plus = f.apply(inputs).toDoubleArray();
            x.storage.set(pos, original - eps);
            double[] minus = f.apply(inputs).toDoubleArray();
            double[] column = new double[plus.length];
            for (int k = 0; k < plus.length; k++) column[k] = (plus[k] - minus[k]) / (2 * eps);
            return column;
        } finally {
            x.storage.set(pos, original);
        }
    }

    private static double[] evaluateShifted(Fn f, Tensor[] inputs, List<Integer> checked, Tensor[] t, double h) {
        List<double[]> saved = new ArrayList<>();
        try {
            for (int i : checked) {
                Tensor x = inputs[i];
                double[] dir = t[i].toDoubleArray();
                double[] original = new double[dir.length];
                for (int j = 0; j < dir.length; j++) {
                    int pos = x.flatIndex("GradCheck", unflatten(j, x.shape));
                    original[j] = x.storage.get(pos);
                    x.storage.set(pos, original[j] + h * dir[j]);
                }
                saved.add(original);
            }
            return f.apply(inputs).toDoubleArray();
        } finally {
            for (int c = 0; c < saved.size(); c++) {
                Tensor x = inputs[checked.get(c)];
                double[] original = saved.get(c);
                for (int j = 0; j < original.length; j++) {
                    x.storage.set(x.flatIndex("GradCheck", unflatten(j, x.shape)), original[j]);
                }
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
