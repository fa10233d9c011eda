package org.grad4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import org.grad4j.core.DType;

/** The flat parameter vector cut into nearly equal contiguous slices, one per owner. */
record SliceLayout(int size, int slices, DType dtype) implements Serializable {

    int start(int s) {
        return (int) ((long) size * s / slices);
    }

    int length(int s) {
        return start(s + 1) - start(s);
    }

    double[] cut(double[] whole, int s) {
        return Arrays.copyOfRange(whole, start(s), start(s + 1));
    }

    void paste(double[] slice, double[] whole, int s) {
        System.arraycopy(slice, 0, whole, start(s), length(s));
    }
}
