package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Element-wise ops and reductions split across threads ({@link ParallelParts}) give the same bits with 1, 2 and 3
 * threads, for sizes around the split threshold and around the range alignment, offsets into a larger storage,
 * broadcast scalars and rows, both float dtypes; the split ranges cover every element once; the values match naive
 * loops.
 */
@ExtendWith(SplitSettingsRestored.class)
class ParallelPartsTest {
    private static final int[] SIZES = {1, 2, 63, 64, 65, 127, 128, 129, 191, 1000, 4097, 20_011};

    private static long[] bits(Tensor t) {
        double[] values = t.toDoubleArray();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Double.doubleToRawLongBits(values[i]);
        return out;
    }

    /** {@code op} computed with 1 thread, then with 2 and 3 threads and every call split: the same bits. */
    private static void sameBitsForEveryThreadCount(String what, Function<Integer, Tensor> op) {
        ParallelParts.minElements = 0;
        ParallelParts.threads = 1;
        long[] one = bits(op.apply(1));
        for (int threads : new int[] {2, 3}) {
            ParallelParts.threads = threads;
            assertArrayEquals(one, bits(op.apply(threads)), what + ", " + threads + " threads");
        }
    }

    /** Values with awkward members: signed zeros, NaN, infinities, subnormals, large and small magnitudes. */
    private static Tensor values(DType dtype, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n + 3];
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-40, -3e38,
            1e5, -1e-3};
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(16) == 0 ? special[rng.nextInt(special.length)] : rng.nextGaussian() * 3;
        }
        // Three leading elements so that the operand starts at an offset into its storage.
        Tensor all = Tensor.of(v, v.length).to(dtype);
        return all.narrow(0, 3, n);
    }

    @Test
    void elementWiseOpsGiveTheSameBitsWithOneTwoAndThreeThreads() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : SIZES) {
                Tensor a = values(dtype, n, n);
                Tensor b = values(dtype, n, n + 1000L);
                String what = dtype + " n=" + n;
                sameBitsForEveryThreadCount("relu " + what, t -> a.relu());
                sameBitsForEveryThreadCount("exp " + what, t -> a.exp());
                sameBitsForEveryThreadCount("tanh " + what, t -> a.tanh());
                sameBitsForEveryThreadCount("add " + what, t -> a.add(b));
                sameBitsForEveryThreadCount("mul " + what, t -> a.mul(b));
                sameBitsForEveryThreadCount("div " + what, t -> a.div(b));
                sameBitsForEveryThreadCount("maximum " + what, t -> a.maximum(b));
                sameBitsForEveryThreadCount("mul scalar " + what, t -> a.mul(0.1));
                sameBitsForEveryThreadCount("gt " + what, t -> a.gt(b).to(dtype));
                sameBitsForEveryThreadCount("where " + what, t -> Tensor.where(a.gt(0), b, Tensor.scalar(0, dtype)));
            }
        }
    }

    @Test
    void rowsOfABroadcastOperandGiveTheSameBits() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][] {{1, 5}, {3, 7}, {65, 3}, {200, 129}, {1000, 10}}) {
                Tensor a = values(dtype, shape[0] * shape[1], shape[0]).reshape(shape);
                Tensor row = values(dtype, shape[1], shape[1]);
                sameBitsForEveryThreadCount("rows " + dtype + " " + shape[0] + "x" + shape[1], t -> a.sub(row));
            }
        }
    }

    @Test
    void reductionsGiveTheSameBitsWithOneTwoAndThreeThreads() {
        int[][] shapes = {{1, 1, 1, 1}, {2, 3, 4, 5}, {7, 16, 9, 9}, {64, 4, 10, 10}, {3, 33, 1, 70}};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                int n = shape[0] * shape[1] * shape[2] * shape[3];
                Tensor x = values(dtype, n, n + 7L).reshape(shape);
                Tensor finite = Tensor.randn(new SplittableRandom(n), dtype, shape);
                String what = dtype + " " + java.util.Arrays.toString(shape);
                sameBitsForEveryThreadCount("sum(0,2,3) " + what, t -> finite.sum(new int[] {0, 2, 3}, false));
                sameBitsForEveryThreadCount("sum(0) " + what, t -> finite.sum(new int[] {0}, false));
                sameBitsForEveryThreadCount("sum(0,1) " + what, t -> finite.sum(new int[] {0, 1}, true));
                sameBitsForEveryThreadCount("sum(3) " + what, t -> finite.sum(new int[] {3}, false));
                sameBitsForEveryThreadCount("amax(0,2,3) " + what, t -> x.amax(new int[] {0, 2, 3}, false));
                sameBitsForEveryThreadCount("amin(0) " + what, t -> x.amin(new int[] {0}, false));
            }
        }
        Tensor longs = Tensor.of(new long[] {5, -3, Long.MAX_VALUE, 7, 1, 2, 3, 4, 9, 8, 7, 6}, 3, 2, 2);
        sameBitsForEveryThreadCount("int64 sum", t -> longs.sum(new int[] {0, 2}, false));
        sameBitsForEveryThreadCount("int64 sum(0)", t -> longs.sum(new int[] {0}, false));
    }

    @Test
    void reluBackwardAndGradientSumsGiveTheSameBits() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][] {{2, 3, 5, 5}, {8, 16, 12, 12}, {33, 2, 7, 9}}) {
                Tensor x0 = Tensor.randn(new SplittableRandom(shape[0]), dtype, shape);
                Tensor g = Tensor.randn(new SplittableRandom(shape[1]), dtype, shape);
                Tensor bias = Tensor.randn(new SplittableRandom(shape[2]), dtype, shape[1], 1, 1);
                for (int which = 0; which < 2; which++) {
                    int w = which;
                    sameBitsForEveryThreadCount("backward " + dtype + " " + java.util.Arrays.toString(shape), t -> {
                        Tensor x = x0.detach().requiresGrad(true);
                        Tensor b = bias.detach().requiresGrad(true);
                        // x used twice: the engine adds the two gradients into one buffer.
                        Tensor y = x.add(b).relu().mul(x);
                        y.backward(g);
                        return w == 0 ? x.grad() : b.grad();
                    });
                }
            }
        }
    }

    @Test
    void adamUpdatesGiveTheSameBitsWithOneTwoAndThreeThreads() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : SIZES) {
                Tensor p0 = values(dtype, n, n).mul(0.5);
                Tensor g0 = Tensor.randn(new SplittableRandom(n + 1L), dtype, n);
                Tensor m0 = Tensor.randn(new SplittableRandom(n + 2L), dtype, n).mul(0.1);
                Tensor v0 = Tensor.randn(new SplittableRandom(n + 3L), dtype, n).square();
                for (boolean aligned : new boolean[] {true, false}) {
                    for (double decay : new double[] {1.0, 0.99}) {
                        sameBitsForEveryThreadCount("adam " + dtype + " n=" + n + " aligned=" + aligned, t -> {
                            // Unaligned: the parameter is a view at offset 3 of a larger storage.
                            Tensor p = aligned ? p0.copy()
                                    : Tensor.concat(0, Tensor.zeros(dtype, 3), p0).narrow(0, 3, n);
                            Tensor m = m0.copy();
                            Tensor v = v0.copy();
                            try (Grad.Scope off = Grad.disabled()) {
                                FusedUpdates.adam(p, g0, m, v, 0.9, 0.999, 1e-3, 0.7, 1e-8, decay);
                            }
                            return Tensor.concat(0, p.contiguous(), m, v);
                        });
                    }
                }
            }
        }
    }

    @Test
    void splitValuesMatchNaiveLoops() {
        ParallelParts.threads = 3;
        ParallelParts.minElements = 0;
        for (int n : SIZES) {
            Tensor a = values(DType.FLOAT64, n, n);
            Tensor b = values(DType.FLOAT64, n, n + 1L);
            double[] x = a.toDoubleArray();
            double[] y = b.toDoubleArray();
            double[] sum = a.add(b).toDoubleArray();
            double[] relu = a.relu().toDoubleArray();
            double[] sel = Tensor.where(a.gt(0), b, Tensor.scalar(0, DType.FLOAT64)).toDoubleArray();
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToLongBits(x[i] + y[i]), Double.doubleToLongBits(sum[i]), "add " + i);
                assertEquals(Double.doubleToLongBits(Math.max(x[i], 0.0)), Double.doubleToLongBits(relu[i]),
                        "relu " + i);
                assertEquals(Double.doubleToLongBits(x[i] > 0 ? y[i] : 0.0), Double.doubleToLongBits(sel[i]),
                        "where " + i);
            }
        }
        Tensor t = Tensor.randn(new SplittableRandom(3), DType.FLOAT64, 9, 5, 4, 3);
        double[] data = t.toDoubleArray();
        double[] channels = t.sum(new int[] {0, 2, 3}, false).toDoubleArray();
        double[] columns = t.reshape(9, 60).sum(new int[] {0}, false).toDoubleArray();
        for (int c = 0; c < 5; c++) {
            double expected = 0;
            for (int i = 0; i < 9; i++) for (int j = 0; j < 12; j++) expected += data[i * 60 + c * 12 + j];
            assertEquals(expected, channels[c], 1e-12, "channel " + c);
        }
        for (int c = 0; c < 60; c++) {
            double expected = 0;
            for (int i = 0; i < 9; i++) expected += data[i * 60 + c];
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(columns[c]), "column " + c);
        }
    }

    @Test
    void rangesCoverEveryElementOnceOnAlignedBoundaries() {
        for (int threads : new int[] {1, 2, 3, 4}) {
            ParallelParts.threads = threads;
            ParallelParts.minElements = 0;
            for (int n : SIZES) {
                List<int[]> ranges = new ArrayList<>();
                ParallelParts.elements(n, 1, (from, to) -> {
                    synchronized (ranges) {
                        ranges.add(new int[] {from, to});
                    }
                });
                ranges.sort((p, q) -> Integer.compare(p[0], q[0]));
                int blocks = (n + ParallelParts.ALIGN - 1) / ParallelParts.ALIGN;
                assertEquals(Math.min(threads, blocks), ranges.size(), "parts of " + n);
                int next = 0;
                for (int[] r : ranges) {
                    assertEquals(next, r[0], "n=" + n);
                    assertTrue(r[1] > r[0], "empty part of " + n);
                    assertTrue(r[1] == n || r[1] % ParallelParts.ALIGN == 0, "unaligned end " + r[1] + " of " + n);
                    next = r[1];
                }
                assertEquals(n, next, "n=" + n);
            }
        }
    }

    @Test
    void callsBelowTheThresholdStayOnTheCaller() {
        ParallelParts.threads = 2;
        ParallelParts.minElements = 1000;
        assertEquals(1, ParallelParts.parts(100, 999));
        assertEquals(2, ParallelParts.parts(100, 1000));
        assertEquals(1, ParallelParts.parts(1, 1_000_000));
        Thread caller = Thread.currentThread();
        ParallelParts.elements(499, 2, (from, to) -> {
            assertEquals(caller, Thread.currentThread());
            assertEquals(0, from);
            assertEquals(499, to);
        });
    }
}
