package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reductions' one-run path (a block that merges into one strided run is reduced by one kernel call): which blocks
 * qualify, and sums and extrema over every dim set of views with gaps, permutations, offsets and size-1 dims against
 * naive loops (small integers in float64 and float32, so every summation order gives the same exact value).
 */
class ReductionSingleRunTest {
    private static final int NOT_ONE_RUN = Integer.MIN_VALUE;

    @Test
    void singleRunStrideMergesAsTheStridedLoopDoes() {
        assertEquals(1, Reductions.singleRunStride(new int[] {4, 1, 3}, new int[] {3, 99, 1}));
        assertEquals(2, Reductions.singleRunStride(new int[] {2, 3}, new int[] {6, 2}));
        assertEquals(5, Reductions.singleRunStride(new int[] {7}, new int[] {5}));
        assertEquals(0, Reductions.singleRunStride(new int[] {1, 1}, new int[] {4, 1}));
        assertEquals(0, Reductions.singleRunStride(new int[] {}, new int[] {}));
        assertEquals(NOT_ONE_RUN, Reductions.singleRunStride(new int[] {2, 3}, new int[] {1, 2}));
        assertEquals(NOT_ONE_RUN, Reductions.singleRunStride(new int[] {2, 3}, new int[] {4, 1}));
    }

    @Test
    void sumsAndExtremaOfViewsMatchNaiveLoops() {
        SplittableRandom rng = new SplittableRandom(12);
        int[][] dimSets = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] data = new double[5 * 6 * 7];
            for (int i = 0; i < data.length; i++) data[i] = rng.nextInt(-50, 51);
            Tensor base = Tensor.of(data, 5, 6, 7).to(dtype);
            Tensor[] views = {
                base,
                base.permute(2, 0, 1),
                base.narrow(2, 1, 4),
                base.narrow(0, 2, 1).narrow(1, 1, 5),
                base.permute(1, 2, 0).narrow(0, 3, 2),
            };
            for (Tensor view : views) {
                for (int[] dims : dimSets) {
                    for (boolean keepDim : new boolean[] {true, false}) {
                        String what = dtype + " view " + Shapes.str(view.shape()) + " dims "
                                + java.util.Arrays.toString(dims) + " keepDim " + keepDim;
                        assertArrayEquals(naive(view, dims, 0), view.sum(dims, keepDim).toDoubleArray(), what);
                        assertArrayEquals(naive(view, dims, 1), view.amax(dims, keepDim).toDoubleArray(), what);
                        assertArrayEquals(naive(view, dims, 2), view.amin(dims, keepDim).toDoubleArray(), what);
                    }
                }
            }
        }
    }

    @Test
    void rowWiseExtremaPropagateNaNAndKeepSignedZeros() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 3, -0.0, -0.0, -0.0, 2, 5, -1}, 3, 3);
        for (Tensor t : new Tensor[] {x, x.to(DType.FLOAT32)}) {
            double[] max = t.amax(new int[] {1}, false).toDoubleArray();
            assertTrue(Double.isNaN(max[0]));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(max[1]));
            assertEquals(5, max[2]);
            double[] sum = t.sum(new int[] {1}, false).toDoubleArray();
            assertTrue(Double.isNaN(sum[0]));
            assertEquals(6, sum[2]);
            // two calls give the same values: nothing is carried over from one reduction to the next
            assertArrayEquals(max, t.amax(new int[] {1}, false).toDoubleArray());
        }
    }

    /** kind 0 sum, 1 max, 2 min over dims of a rank-3 tensor, outputs in row-major order of the kept dims. */
    private static double[] naive(Tensor t, int[] dims, int kind) {
        int[] shape = t.shape();
        double[] values = t.contiguous().toDoubleArray();
        boolean[] reduced = new boolean[3];
        for (int d : dims) reduced[d] = true;
        int[] outShape = new int[3];
        int outCount = 1;
        for (int d = 0; d < 3; d++) {
            outShape[d] = reduced[d] ? 1 : shape[d];
            outCount *= outShape[d];
        }
        double[] out = new double[outCount];
        java.util.Arrays.fill(out, kind == 0 ? 0 : kind == 1 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                for (int k = 0; k < shape[2]; k++) {
                    double v = values[(i * shape[1] + j) * shape[2] + k];
                    int o = ((reduced[0] ? 0 : i) * outShape[1] + (reduced[1] ? 0 : j)) * outShape[2]
                            + (reduced[2] ? 0 : k);
                    out[o] = kind == 0 ? out[o] + v : kind == 1 ? Math.max(out[o], v) : Math.min(out[o], v);
                }
            }
        }
        return out;
    }
}
