package org.grad4j.spark;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * How an {@link Example}'s label becomes the loss's target tensor; the one place that knows the target layout.
 */
public enum Labels {
    /**
     * One class index per example, an int64 target of shape {@code [batch]} (for {@code CrossEntropyLoss},
     * {@code NLLLoss});
     * evaluation also reports accuracy (arg-max of the model's output).
     */
    CLASS_INDEX,
    /** The label vector itself, a target of shape {@code [batch, labelWidth]} (for {@code MSELoss} and friends). */
    VALUES;

    /**
     * The target tensor of {@code rows} labels of {@code width} values each, stored row after row in {@code flat}:
     * int64 class indices, or values in the model's {@code dtype}.
     */
    Tensor toTensor(double[] flat, int rows, int width, DType dtype) {
        if (this == CLASS_INDEX) {
            if (width != 1) {
                throw new IllegalArgumentException("Labels.CLASS_INDEX: each example needs exactly one label value"
                        + " (a class index) but has " + width + "; use Labels.VALUES for vector targets");
            }
            for (int i = 0; i < rows; i++) {
                double v = flat[i];
                if (!(v >= 0) || v != Math.rint(v)) {
                    throw new IllegalArgumentException("Labels.CLASS_INDEX: label " + v
                            + " is not a class index (an integer >= 0)");
                }
            }
            return Tensor.of(flat, rows).to(DType.INT64); // class-index targets are int64 tensors
        }
        Tensor t = Tensor.of(flat, rows, width);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    /** The features of {@code rows} examples as a {@code [rows, width]} tensor in the model's dtype. */
    static Tensor features(double[] flat, int rows, int width, DType dtype) {
        Tensor t = Tensor.of(flat, rows, width);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }
}
