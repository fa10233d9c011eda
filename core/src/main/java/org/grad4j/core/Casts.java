package org.grad4j.core;

/**
 * Dtype conversion of dense data, as {@code Tensor.to} does it (and PyTorch's casts): float to integer truncates
 * toward zero (NaN becomes 0 and out-of-range values saturate in Java, where C leaves them undefined), wider
 * integers wrap to narrower ones (two's complement; uint8 keeps the low 8 bits), and anything to bool is
 * {@code value != 0} (NaN is true). Dispatch happens once per call, on the target and the source storage; each
 * pair is one plain loop.
 */
final class Casts {
    private Casts() {
    }

    /** {@code x} itself if it already has {@code dtype}, else a new contiguous converted copy; records nothing. */
    static Tensor convert(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        Tensor dense = x.isContiguous() ? x : Pointwise.map(org.grad4j.core.kernel.UnaryOp.IDENTITY, x);
        Tensor out = Tensor.empty(dtype, x.shape);
        convert(dense.storage, dense.offset, out.storage, out.numel());
        return out;
    }

    /** Converts {@code n} elements of {@code src} from {@code srcOff} into {@code dst} from 0. */
    static void convert(Storage src, int srcOff, Storage dst, int n) {
        switch (dst) {
            case Storage.F32 d -> toFloats(src, srcOff, d.data, n);
            case Storage.F64 d -> toDoubles(src, srcOff, d.data, n);
            case Storage.I64 d -> toLongs(src, srcOff, d.data, n);
            case Storage.I32 d -> toInts(src, srcOff, d.data, n);
            case Storage.Bytes d -> {
                if (d.dtype == DType.BOOL) {
                    toBools(src, srcOff, d.data, n);
                } else {
                    toUint8(src, srcOff, d.data, n);
                }
            }
        }
    }

    private static void toFloats(Storage src, int o, float[] out, int n) {
        switch (src) {
            case Storage.F32 s -> System.arraycopy(s.data, o, out, 0, n);
            case Storage.F64 s -> { for (int i = 0; i < n; i++) out[i] = (float) s.data[o + i]; }
            case Storage.I64 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i]; }
            case Storage.I32 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i]; }
            case Storage.Bytes s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] & 0xFF; }
        }
    }

    private static void toDoubles(Storage src, int o, double[] out, int n) {
        switch (src) {
            case Storage.F32 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i]; }
            case Storage.F64 s -> System.arraycopy(s.data, o, out, 0, n);
            case Storage.I64 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i]; }
            case Storage.I32 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i]; }
            case Storage.Bytes s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] & 0xFF; }
        }
    }

    private static void toLongs(Storage src, int o, long[] out, int n) {
        switch (src) {
            case Storage.F32 s -> { for (int i = 0; i < n; i++) out[i] = (long) s.data[o + i]; }
            case Storage.F64 s -> { for (int i = 0; i < n; i++) out[i] = (long) s.data[o + i]; }
            case Storage.I64 s -> System.arraycopy(s.data, o, out, 0, n);
            case Storage.I32 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i]; }
            case Storage.Bytes s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] & 0xFF; }
        }
    }

    private static void toInts(Storage src, int o, int[] out, int n) {
        switch (src) {
            case Storage.F32 s -> { for (int i = 0; i < n; i++) out[i] = (int) (long) s.data[o + i]; }
            case Storage.F64 s -> { for (int i = 0; i < n; i++) out[i] = (int) (long) s.data[o + i]; }
            case Storage.I64 s -> { for (int i = 0; i < n; i++) out[i] = (int) s.data[o + i]; }
            case Storage.I32 s -> System.arraycopy(s.data, o, out, 0, n);
            case Storage.Bytes s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] & 0xFF; }
        }
    }

    private static void toUint8(Storage src, int o, byte[] out, int n) {
        switch (src) {
            case Storage.F32 s -> { for (int i = 0; i < n; i++) out[i] = (byte) (long) s.data[o + i]; }
            case Storage.F64 s -> { for (int i = 0; i < n; i++) out[i] = (byte) (long) s.data[o + i]; }
            case Storage.I64 s -> { for (int i = 0; i < n; i++) out[i] = (byte) s.data[o + i]; }
            case Storage.I32 s -> { for (int i = 0; i < n; i++) out[i] = (byte) s.data[o + i]; }
            case Storage.Bytes s -> System.arraycopy(s.data, o, out, 0, n);
        }
    }

    private static void toBools(Storage src, int o, byte[] out, int n) {
        switch (src) {
            case Storage.F32 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] != 0 ? (byte) 1 : 0; }
            case Storage.F64 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] != 0 ? (byte) 1 : 0; }
            case Storage.I64 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] != 0 ? (byte) 1 : 0; }
            case Storage.I32 s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] != 0 ? (byte) 1 : 0; }
            case Storage.Bytes s -> { for (int i = 0; i < n; i++) out[i] = s.data[o + i] != 0 ? (byte) 1 : 0; }
        }
    }
}
