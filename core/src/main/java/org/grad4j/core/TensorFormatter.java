package org.grad4j.core;

/**
 * {@code toString()} in PyTorch's style: {@code tensor([[1.0000, 2.5000], ...], dtype=float64, grad_fn=<mul>)},
 * {@code tensor([1, 2], dtype=int32)}, {@code tensor([ True, False])}.
 * One format for all elements (integers as {@code 3.}, fixed decimals (4 by default), or scientific when magnitudes span more
 * than 1000x or leave [1e-4, 1e8)); tensors of more than 1000 elements show 3 items at each edge of every dim.
 */
final class TensorFormatter {
    private TensorFormatter() {
    }

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    static String format(Tensor t) {
        return format(t, 4);
    }

    static String format(Tensor t, int precision) {
        boolean summarise = t.numel() > THRESHOLD;
        String[] formatted = switch (t.dtype()) {
            case FLOAT32, FLOAT64 -> formatAll(t.toDoubleArray(), precision);
            case BOOL -> formatBools(t.toBooleanArray());
            default -> formatIntegers(t.toLongArray());
        };
        int width = 0;
        for (String s : formatted) width = Math.max(width, s.length());
        StringBuilder sb = new StringBuilder("tensor(");
        int[] strides = Shapes.contiguousStrides(t.shape);
        appendDim(sb, t.shape, strides, 0, 0, formatted, width, summarise, "tensor(".length());
        if (showsDtype(t)) {
            sb.append(", dtype=").append(t.dtype());
        }
        if (summarise) {
            sb.append(", shape=").append(Shapes.str(t.shape));
        }
        if (t.gradFn != null) {
            sb.append(", grad_fn=<").append(t.gradFn.op).append('>');
        } else if (t.requiresGrad()) {
            sb.append(", requires_grad=true");
        }
        return sb.append(')').toString();
    }

    /** As PyTorch: the dtype is left out when the values imply it (float32, int64, bool), unless there are none. */
    private static boolean showsDtype(Tensor t) {
        DType d = t.dtype();
        return d == DType.FLOAT64 || d == DType.INT32 || d == DType.UINT8 || (t.numel() == 0 && d != DType.FLOAT32);
    }

    private static String[] formatIntegers(long[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Long.toString(values[i]);
        return out;
    }

    private static String[] formatBools(boolean[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] ? "True" : "False";
        return out;
    }

    private static void appendDim(StringBuilder sb, int[] shape, int[] strides, int dim, int base, String[] values,
                                  int width, boolean summarise, int indent) {
        if (dim == shape.length) {
            sb.append(pad(values[base], width));
            return;
        }
        sb.append('[');
        int n = shape[dim];
        boolean last = dim == shape.length - 1;
        String separator = last ? ", " : "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + dim + 1);
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                sb.append("...").append(separator);
                i = n - EDGE - 1;
                continue;
            }
            appendDim(sb, shape, strides, dim + 1, base + i * strides[dim], values, width, summarise, indent);
            if (i < n - 1) {
                sb.append(separator);
            }
        }
        sb.append(']');
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String[] formatAll(double[] values, int precision) {
        boolean allIntegral = true;
        double maxAbs = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            allIntegral &= v == Math.rint(v);
            double a = Math.abs(v);
            if (a != 0) {
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
        }
        boolean scientific;
        if (allIntegral) {
            scientific = maxAbs > 1e8;
        } else {
            scientific = maxAbs != 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
        }
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                out[i] = "nan";
            } else if (Double.isInfinite(v)) {
                out[i] = v > 0 ? "inf" : "-inf";
            } else if (scientific) {
                out[i] = String.format(java.util.Locale.ROOT, "%." + precision + "e", v);
            } else if (allIntegral) {
                out[i] = String.format(java.util.Locale.ROOT, "%.0f.", v);
            } else {
                out[i] = String.format(java.util.Locale.ROOT, "%." + precision + "f", v);
            }
        }
        return out;
    }
}
