package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The strided copies of ints (int32 storage) and bytes (uint8 and bool storage), on the scalar and the SIMD kernels
 * (which hand them to the scalar loop): every element of the strided source lands at its strided place and nothing
 * else changes, for input strides 0 (a broadcast), 1 and 3, output strides 1 and 2, lengths 0 to 40, at offsets.
 */
class IntAndByteCopyTest {
    private static final Kernels SCALAR = KernelProvider.scalar();
    private static Kernels vector;

    @BeforeAll
    static void loadVectorKernels() {
        vector = SimdKernelsForTests.loadOrSkip();
    }

    @Test
    void stridedCopiesMoveEveryElementAndNothingElse() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int n : new int[] {0, 1, 2, 7, 16, 17, 40}) {
            for (int xStride : new int[] {0, 1, 3}) {
                for (int outStride : new int[] {1, 2}) {
                    int xOff = rng.nextInt(3);
                    int outOff = rng.nextInt(3);
                    int xLen = xOff + Math.max(0, n - 1) * xStride + 1;
                    int outLen = outOff + Math.max(0, n - 1) * outStride + 2;
                    int[] x = new int[xLen];
                    byte[] xb = new byte[xLen];
                    for (int i = 0; i < xLen; i++) {
                        x[i] = rng.nextInt();
                        xb[i] = (byte) rng.nextInt(256);
                    }
                    int[] expected = new int[outLen];
                    byte[] expectedB = new byte[outLen];
                    java.util.Arrays.fill(expected, -7);
                    java.util.Arrays.fill(expectedB, (byte) -7);
                    for (int i = 0; i < n; i++) {
                        expected[outOff + i * outStride] = x[xOff + i * xStride];
                        expectedB[outOff + i * outStride] = xb[xOff + i * xStride];
                    }
                    for (Kernels k : new Kernels[] {SCALAR, vector}) {
                        int[] out = new int[outLen];
                        byte[] outB = new byte[outLen];
                        java.util.Arrays.fill(out, -7);
                        java.util.Arrays.fill(outB, (byte) -7);
                        k.copy(x, xOff, xStride, out, outOff, outStride, n);
                        k.copy(xb, xOff, xStride, outB, outOff, outStride, n);
                        String where = k.name() + " n " + n + " strides " + xStride + ", " + outStride;
                        assertArrayEquals(expected, out, where);
                        assertArrayEquals(expectedB, outB, where + " (bytes)");
                    }
                }
            }
        }
    }
}
