package org.grad4j.core;

/**
 * Element type of a {@link Tensor}. Chosen at creation and kept by every op; ops never promote silently, so mixing
 * dtypes is an error that names the op. Convert explicitly with {@link Tensor#to(DType)}.
 */
public enum DType {
    /** 32-bit IEEE float, the default (as in PyTorch). */
    FLOAT32("float32", 4),
    /** 64-bit IEEE double: what {@link GradCheck} and precise references use. */
    FLOAT64("float64", 8);

    private final String displayName;
    private final int byteSize;

    DType(String displayName, int byteSize) {
        this.displayName = displayName;
        this.byteSize = byteSize;
    }

    /** Size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
