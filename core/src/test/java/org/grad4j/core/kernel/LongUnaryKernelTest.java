package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The integer (int64) unary kernel, on the scalar kernels and the selected ones (the SIMD kernels hand it to the
 * scalar loop): identity, negation, absolute value, sign and ReLU against Java's operators, contiguous and strided,
 * with Long.MIN_VALUE (whose negation and absolute value wrap to itself), and nothing written between the strided
 * outputs.
 */
class LongUnaryKernelTest {
    private static final long SENTINEL = 0x5a5a5a5aL;

    private static List<Kernels> kernels() {
        List<Kernels> all = new ArrayList<>();
        all.add(KernelProvider.scalar());
        if (KernelProvider.get() != KernelProvider.scalar()) all.add(KernelProvider.get());
        return all;
    }

    private static long expected(UnaryOp op, long v) {
        return switch (op) {
            case IDENTITY -> v;
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Long.signum(v);
            case RELU -> Math.max(v, 0);
            default -> throw new AssertionError(op);
        };
    }

    @Test
    void integerUnaryOpsMatchJavasOperatorsAtAnyStride() {
        long[] values = {0, 1, -1, 7, -7, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 40, -(1L << 40)};
        UnaryOp[] ops = {UnaryOp.IDENTITY, UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU};
        for (Kernels k : kernels()) {
            for (UnaryOp op : ops) {
                for (int n : new int[] {0, 1, 10, 37}) {
                    for (int[] s : new int[][] {{1, 1}, {2, 1}, {1, 3}, {0, 2}}) {
                        int xOff = 1;
                        int outOff = 2;
                        long[] x = new long[xOff + Math.max(1, n * Math.max(s[0], 1)) + 1];
                        for (int i = 0; i < x.length; i++) x[i] = values[i % values.length];
                        long[] out = new long[outOff + n * s[1] + 1];
                        java.util.Arrays.fill(out, SENTINEL);
                        long[] want = out.clone();
                        for (int i = 0; i < n; i++) want[outOff + i * s[1]] = expected(op, x[xOff + i * s[0]]);
                        k.unary(op, x, xOff, s[0], out, outOff, s[1], n);
                        assertArrayEquals(want, out, k.name() + " " + op + " n=" + n + " strides " + s[0] + ", " + s[1]);
                    }
                }
            }
            long[] one = {3};
            assertThrows(IllegalArgumentException.class, () -> k.unary(UnaryOp.EXP, one, 0, 1, new long[1], 0, 1, 1),
                    k.name() + ": exp has no integer kernel");
        }
    }
}
