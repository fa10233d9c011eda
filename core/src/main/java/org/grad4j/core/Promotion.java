package org.grad4j.core;

/**
 * The one place that decides the dtype of an op's result from its operands, exactly as {@code torch.result_type}:
 * <ul>
 *   <li>operands are ranked by category, bool &lt; integer &lt; floating point, and within a category by
 *       {@link DType#promote} ({@code uint8 < int32 < int64}, {@code float32 < float64});</li>
 *   <li>tensors with at least one dim decide; a 0-d tensor takes part only when its category is higher than theirs
 *       (so {@code float32 [3] + float64 0-d} is float32, {@code int64 [3] + float32 0-d} is float32);</li>
 *   <li>a Java number (the {@code double} or {@code long} argument of {@code add}, {@code mul}, {@code gt}...) is
 *       like a Python number in PyTorch: it takes part only when its category is higher, a {@code double} then
 *       standing for the default float dtype float32 and a {@code long} for int64. So {@code x.mul(2.0)} keeps a
 *       float64 {@code x} float64, {@code labels.add(1)} keeps int32 labels int32, and {@code labels.mul(0.5)}
 *       is float32;</li>
 *   <li>true division ({@code div}) and float functions ({@code exp}, {@code sqrt}, {@code sigmoid}...) of integer
 *       or bool operands give float32.</li>
 * </ul>
 */
public final class Promotion {
    private Promotion() {
    }

    /** The default floating-point dtype, what integer true division and a Java {@code double} scalar give. */
    public static final DType DEFAULT_FLOAT = DType.FLOAT32;

    /** The result dtype of a binary op on two tensors. */
    public static DType resultType(Tensor a, Tensor b) {
        Args.notNull(a, "Promotion.resultType", "a");
        Args.notNull(b, "Promotion.resultType", "b");
        DType x = a.dtype();
        DType y = b.dtype();
        if (x == y) {
            return x;   // the common case, decided without allocating
        }
        boolean aDims = a.dim() > 0;
        boolean bDims = b.dim() > 0;
        if (aDims == bDims) {
            return DType.promote(x, y);
        }
        return aDims ? combine(x, y) : combine(y, x);
    }

    /** The result dtype of several tensors (e.g. {@code concat}'s inputs). */
    public static DType resultType(Tensor... tensors) {
        Args.noNulls(tensors, "Promotion.resultType", "tensors");
        DType dims = null;
        DType zeroDims = null;
        for (Tensor t : tensors) {
            if (t.dim() == 0) {
                zeroDims = zeroDims == null ? t.dtype() : DType.promote(zeroDims, t.dtype());
            } else {
                dims = dims == null ? t.dtype() : DType.promote(dims, t.dtype());
            }
        }
        return combine(dims, zeroDims);
    }

    /** The result dtype of an op between a tensor of dtype {@code tensor} and a Java {@code double}. */
    public static DType withDouble(DType tensor) {
        return combine(tensor, DEFAULT_FLOAT);
    }

    /** The result dtype of an op between a tensor of dtype {@code tensor} and a Java {@code long}. */
    public static DType withLong(DType tensor) {
        return combine(tensor, DType.INT64);
    }

    /** What true division and float-only functions compute in: the dtype itself if floating, else float32. */
    public static DType floatOf(DType dtype) {
        Args.notNull(dtype, "Promotion.floatOf", "dtype");
        return dtype.isFloatingPoint() ? dtype : DEFAULT_FLOAT;
    }

    /** Whether a result of dtype {@code from} may be written into a tensor of dtype {@code to} (in-place ops). */
    public static boolean canCast(DType from, DType to) {
        Args.notNull(from, "Promotion.canCast", "from");
        Args.notNull(to, "Promotion.canCast", "to");
        if (from.isFloatingPoint() && !to.isFloatingPoint()) {
            return false;
        }
        return !(from != DType.BOOL && to == DType.BOOL);
    }

    private static int category(DType d) {
        return d == DType.BOOL ? 0 : d.isFloatingPoint() ? 2 : 1;
    }

    /** {@code higher} (may be null) wins unless {@code lower} is of a higher category. */
    private static DType combine(DType higher, DType lower) {
        if (higher == null) {
            return lower;
        }
        if (lower == null) {
            return higher;
        }
        return category(lower) > category(higher) ? DType.promote(higher, lower) : higher;
    }
}
