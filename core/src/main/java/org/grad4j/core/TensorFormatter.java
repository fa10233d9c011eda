package org.grad4j.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code toString()} as PyTorch 1.13 prints: {@code tensor([[1.0000, 2.5000], ...], dtype=float64, grad_fn=<mul>)},
 * {@code tensor([1, 2], dtype=int32)}, {@code tensor([ True, False])}. One format for all elements, chosen from the
 * finite non-zero values shown (integers as {@code 3.}, fixed decimals (4 by default), or scientific when
 * magnitudes span more than 1000x or leave [1e-4, 1e8)), every element right-aligned to the widest of those values
 * (so {@code inf} and {@code nan} do not widen the columns), rows wrapped at 80 characters, and tensors of more than
 * 1000 elements summarised to 3 items at each edge of every dim. Numbers are rounded from their exact binary value,
 * half to even, as Python's formatting does. A summary adds {@code , shape=[...]}, which PyTorch leaves out.
 */
final class TensorFormatter {
    private TensorFormatter() {
    }

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;

    static String format(Tensor t) {
        return format(t, 4);
    }

    static String format(Tensor t, int precision) {
        boolean summarise = t.numel() > THRESHOLD;
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.numel() == 0) {
            // as PyTorch: no brackets per row (zeros(1_000_000, 0) would print a million of them), the size instead
            sb.append("[]");
            if (t.shape.length != 1) {
                sb.append(", size=(");
                for (int i = 0; i < t.shape.length; i++) {
                    sb.append(i == 0 ? "" : ", ").append(t.shape[i]);
                }
                sb.append(t.shape.length == 1 ? ",)" : ")");
            }
        } else {
            // only the elements shown are read and formatted: a summary of 30 million elements costs a few hundred
            Tensor shown = summarise ? edges(t) : t;
            Column column = switch (t.dtype()) {
                case FLOAT32, FLOAT64 -> floats(shown.toDoubleArray(), precision);
                case BOOL -> words(bools(shown.toBooleanArray()));
                default -> words(integers(shown.toLongArray()));
            };
            int[] strides = Shapes.contiguousStrides(shown.shape);
            sb.append(block(t.shape, strides, 0, 0, column, summarise, "tensor(".length()));
        }
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

    /** The shown elements' texts in row-major order and the width every one of them is right-aligned to. */
    private record Column(String[] texts, int width) {
        String at(int i) {
            String s = texts[i];
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }
    }

    private static String[] integers(long[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Long.toString(values[i]);
        return out;
    }

    private static String[] bools(boolean[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] ? "True" : "False";
        return out;
    }

    private static Column words(String[] texts) {
        int width = 1;
        for (String s : texts) width = Math.max(width, s.length());
        return new Column(texts, width);
    }

    /** A dim's text: a 1-d row wrapped at the line width, or its sub-blocks one per line, blank lines between blocks. */
    private static String block(int[] shape, int[] strides, int dim, int base, Column column, boolean summarise,
                                int indent) {
        if (dim == shape.length) {
            return column.at(base);
        }
        int n = shape[dim];
        boolean elided = summarise && n > 2 * EDGE;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (elided && i == EDGE) {
                parts.add(dim == shape.length - 1 ? " ..." : "...");
                i = n - EDGE - 1;
                continue;
            }
            int position = elided && i >= n - EDGE ? i - (n - 2 * EDGE) : i;   // index among the shown edges
            parts.add(block(shape, strides, dim + 1, base + position * strides[dim], column, summarise, indent + 1));
        }
        if (dim < shape.length - 1) {
            return "[" + String.join("," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1), parts) + "]";
        }
        int perLine = Math.max(1, (LINE_WIDTH - indent) / (column.width() + 2));
        StringBuilder row = new StringBuilder("[");
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                row.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
            }
            row.append(parts.get(i));
        }
        return row.append(']').toString();
    }

    /** The first and last {@link #EDGE} entries of every dim longer than {@code 2 * EDGE}: what a summary shows. */
    private static Tensor edges(Tensor t) {
        try (Grad.Scope off = Grad.disabled()) {
            Tensor shown = t.detach();
            for (int d = 0; d < shown.shape.length; d++) {
                int n = shown.shape[d];
                if (n > 2 * EDGE) {
                    shown = Tensor.concat(d, shown.narrow(d, 0, EDGE), shown.narrow(d, n - EDGE, EDGE));
                }
            }
            return shown;
        }
    }

    /**
     * PyTorch's float format: chosen from the finite non-zero values only (none: whole numbers, width 1), which also
     * set the column width.
     */
    private static Column floats(double[] values, int precision) {
        boolean whole = true;
        double maxAbs = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v) || v == 0) continue;
            whole &= v == Math.ceil(v);
            maxAbs = Math.max(maxAbs, Math.abs(v));
            minAbs = Math.min(minAbs, Math.abs(v));
        }
        boolean any = maxAbs != 0;
        boolean scientific = any && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!whole && minAbs < 1e-4));
        String[] texts = new String[values.length];
        int width = 1;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            String s;
            if (Double.isNaN(v)) {
                s = "nan";
            } else if (Double.isInfinite(v)) {
                s = v > 0 ? "inf" : "-inf";
            } else if (scientific) {
                s = scientific(v, precision);
            } else if (whole) {
                s = fixed(v, 0) + ".";
            } else {
                s = fixed(v, precision);
            }
            texts[i] = s;
            if (Double.isFinite(v) && v != 0) width = Math.max(width, s.length());
        }
        return new Column(texts, width);
    }

    /** {@code %.{p}f} of the exact binary value, half to even (Java's Formatter rounds the shortest decimal half up). */
    private static String fixed(double v, int precision) {
        String s = new BigDecimal(v).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return isNegative(v) && !s.startsWith("-") ? "-" + s : s;
    }

    /** {@code %.{p}e} of the exact binary value, half to even, with an exponent of at least two digits. */
    private static String scientific(double v, int precision) {
        if (v == 0) {
            return (isNegative(v) ? "-" : "") + fixed(0, precision) + "e+00";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String digits = rounded.unscaledValue().abs().toString();
        digits = digits + "0".repeat(Math.max(0, precision + 1 - digits.length()));
        String mantissa = precision == 0 ? digits.substring(0, 1) : digits.charAt(0) + "." + digits.substring(1,
                precision + 1);
        String exp = Integer.toString(Math.abs(exponent));
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
    }

    private static boolean isNegative(double v) {
        return v < 0 || (v == 0 && 1 / v < 0);
    }
}
