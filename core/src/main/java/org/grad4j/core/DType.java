package org.grad4j.core;

/**
 * Element type of a {@link Tensor}, with PyTorch's names and semantics. Ops on operands of different dtypes promote
 * as {@code torch.result_type} does (see {@link Promotion}); convert explicitly with {@link Tensor#to(DType)}.
 *
 * <p>Only floating-point tensors can require gradients. Integer arithmetic wraps around on overflow (two's
 * complement, as in PyTorch); {@code UINT8} is unsigned (0..255); {@code BOOL} holds {@code false}/{@code true}.
 */
public enum DType {
    /** 32-bit IEEE float, the default (as in PyTorch). */
    FLOAT32("float32", 4, 4),
    /** 64-bit IEEE double: what {@link GradCheck} and precise references use. */
    FLOAT64("float64", 8, 5),
    /** 64-bit signed integer: indices, class labels, counts (PyTorch's default integer dtype, {@code torch.long}). */
    INT64("int64", 8, 3),
    /** 32-bit signed integer. */
    INT32("int32", 4, 2),
    /** 8-bit unsigned integer (0..255), e.g. image bytes. */
    UINT8("uint8", 1, 1),
    /** Boolean: what comparisons and logical ops return, and what masks must be. */
    BOOL("bool", 1, 0);

    private final String displayName;
    private final int byteSize;
    /** Position in the promotion order bool < uint8 < int32 < int64 < float32 < float64. */
    private final int rank;

    DType(String displayName, int byteSize, int rank) {
        this.displayName = displayName;
        this.byteSize = byteSize;
        this.rank = rank;
    }

    /** Size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this is float32 or float64 (the only dtypes that can require grad). */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Whether this is an integer dtype (int64, int32, uint8); {@code BOOL} is not. */
    public boolean isIntegral() {
        return this == INT64 || this == INT32 || this == UINT8;
    }

    /**
     * The smallest dtype that holds both, as {@code torch.promote_types}: for grad4j's dtypes the order
     * {@code bool < uint8 < int32 < int64 < float32 < float64}, and the larger wins.
     */
    public static DType promote(DType a, DType b) {
        Args.notNull(a, "DType.promote", "a");
        Args.notNull(b, "DType.promote", "b");
        return a.rank >= b.rank ? a : b;
    }

    /** PyTorch-style name, e.g. {@code float32}, {@code int64}, {@code bool}. */
    @Override
    public String toString() {
        return displayName;
    }
}
