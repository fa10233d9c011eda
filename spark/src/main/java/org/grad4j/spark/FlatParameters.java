package org.grad4j.spark;

import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * Parameters and gradients of a model as one flat {@code double[]}: the parameters' elements in the order of
 * {@code Module.parameters()}, each tensor in row-major order. What travels between the driver and the tasks.
 */
public final class FlatParameters {
    private FlatParameters() {
    }

    /** The total number of elements of {@code params}; fails if it does not fit one Java array. */
    public static int count(List<Tensor> params) {
        long n = 0;
        for (Tensor p : params) {
            n += p.numel();
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FlatParameters: " + n + " parameters do not fit one Java array"
                    + " (at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        return (int) n;
    }

    /** The parameters' values, concatenated. */
    public static double[] values(List<Tensor> params) {
        double[] flat = new double[count(params)];
        int at = 0;
        for (Tensor p : params) {
            double[] v = p.toDoubleArray();
            System.arraycopy(v, 0, flat, at, v.length);
            at += v.length;
        }
        return flat;
    }

    /** The parameters' gradients, concatenated; a parameter without a gradient contributes zeros. */
    public static double[] gradients(List<Tensor> params) {
        double[] flat = new double[count(params)];
        int at = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g != null) {
                double[] v = g.toDoubleArray();
                System.arraycopy(v, 0, flat, at, v.length);
            }
            at += p.numel();
        }
        return flat;
    }

    /** Overwrites the parameters in place with {@code flat} (converted to each parameter's dtype). */
    public static void copyInto(double[] flat, List<Tensor> params) {
        requireLength("copyInto", flat, params);
        int at = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (Tensor p : params) {
                p.copyFrom(slice(flat, at, p));
                at += p.numel();
            }
        }
    }

    /** Sets each parameter's gradient to its part of {@code flat} (a fresh tensor in the parameter's dtype). */
    public static void setGradients(double[] flat, List<Tensor> params) {
        requireLength("setGradients", flat, params);
        int at = 0;
        for (Tensor p : params) {
            p.setGrad(slice(flat, at, p));
            at += p.numel();
        }
    }

    private static Tensor slice(double[] flat, int at, Tensor like) {
        double[] part = new double[like.numel()];
        System.arraycopy(flat, at, part, 0, part.length);
        Tensor t = Tensor.ofShape(part, like.shape());
        return like.dtype() == DType.FLOAT64 ? t : t.to(like.dtype());
    }

    private static void requireLength(String op, double[] flat, List<Tensor> params) {
        int n = count(params);
        if (flat.length != n) {
            throw new IllegalArgumentException("FlatParameters." + op + ": the vector has " + flat.length
                    + " elements but the parameters have " + n);
        }
    }
}
