package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one-kernel-call paths of {@link Pointwise} at their edges: {@link Pointwise#addIntoDense}'s contract (which
 * pairs it adds, which it declines with nothing written), dense {@code where} and gradient sums split across
 * threads with every operand at an offset into its storage, and shapes that look like a bias row but are not.
 * Expected values are naive loops over the operands' elements.
 */
@ExtendWith(SplitSettingsRestored.class)
class PointwiseFastPathsTest {
    /** n values at offset {@code lead} into a storage of n + lead + 2 elements, whose other entries are 1000 + i. */
    private static Tensor atOffset(DType dtype, int lead, long seed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] all = new double[n + lead + 2];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < all.length; i++) {
            all[i] = i < lead || i >= lead + n ? 1000 + i : Math.round(rng.nextGaussian() * 64) / 16.0;
        }
        return Tensor.of(all, all.length).to(dtype).narrow(0, lead, n).reshape(shape);
    }

    private static double[] storageValues(Tensor t) {
        return new Tensor(t.storage, new int[] {t.storage.length()}, new int[] {1}, 0).toDoubleArray();
    }

    @Test
    void addIntoDenseAddsDenseSameShapedPairsInPlaceEvenSplitAcrossThreads() {
        ParallelParts.minElements = 0;
        for (int threads : new int[] {1, 3}) {
            ParallelParts.threads = threads;
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] shape : new int[][] {{}, {1}, {1, 1}, {5}, {3, 70}, {1000}}) {
                    Tensor self = atOffset(dtype, 3, 1, shape);
                    Tensor other = atOffset(dtype, 5, 2, shape);
                    double[] before = storageValues(self);
                    double[] a = self.toDoubleArray();
                    double[] b = other.toDoubleArray();
                    String what = dtype + " " + java.util.Arrays.toString(shape) + " threads " + threads;
                    assertTrue(Pointwise.addIntoDense(self, other), what);
                    double[] sum = self.toDoubleArray();
                    for (int i = 0; i < a.length; i++) {
                        assertEquals(a[i] + b[i], sum[i], 0.0, what + " element " + i);
                    }
                    double[] after = storageValues(self);
                    for (int i = 0; i < after.length; i++) {
                        if (i < 3 || i >= 3 + a.length) {
                            assertEquals(before[i], after[i], 0.0, what + ": storage entry " + i + " outside the view");
                        }
                    }
                }
            }
        }
    }

    private static void declined(String what, Tensor self, Tensor other) {
        double[] before = storageValues(self);
        assertFalse(Pointwise.addIntoDense(self, other), what);
        assertArrayEquals(before, storageValues(self), 0.0, what + ": nothing written");
    }

    @Test
    void addIntoDenseDeclinesEveryOtherPairWithNothingWritten() {
        Tensor f = atOffset(DType.FLOAT32, 0, 3, 2, 3);
        Tensor d = atOffset(DType.FLOAT64, 0, 4, 2, 3);
        declined("float32 += float64", f, d);
        declined("float64 += float32", d, f);
        declined("int64", Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3),
                Tensor.of(new long[] {1, 1, 1, 1, 1, 1}, 2, 3));
        declined("other shape", d, atOffset(DType.FLOAT64, 0, 5, 3, 2));
        declined("broadcast row", d, atOffset(DType.FLOAT64, 0, 5, 3));
        declined("transposed self", atOffset(DType.FLOAT64, 0, 6, 3, 3).mT(), atOffset(DType.FLOAT64, 0, 7, 3, 3));
        declined("transposed other", atOffset(DType.FLOAT64, 0, 6, 3, 3), atOffset(DType.FLOAT64, 0, 7, 3, 3).mT());
        Tensor shared = atOffset(DType.FLOAT64, 0, 8, 8);
        declined("one storage", shared.narrow(0, 0, 4), shared.narrow(0, 4, 4));
        declined("one element of one storage", shared.narrow(0, 0, 1), shared.narrow(0, 5, 1));
        declined("one element, two dtypes", Tensor.scalar(1.5, DType.FLOAT32), Tensor.scalar(2.5, DType.FLOAT64));
        declined("one element, two dtypes", Tensor.scalar(1.5, DType.FLOAT64), Tensor.scalar(2.5, DType.FLOAT32));
        declined("0-d and [1]", Tensor.scalar(1.5, DType.FLOAT64), Tensor.of(new double[] {2.5}, 1));
        declined("[3] and [1]", atOffset(DType.FLOAT64, 0, 9, 3), Tensor.of(new double[] {2.5}, 1));
        declined("[1] and [3]", Tensor.of(new double[] {2.5}, 1), atOffset(DType.FLOAT64, 0, 9, 3));
        declined("[3] and [1], float32", atOffset(DType.FLOAT32, 0, 9, 3),
                Tensor.of(new double[] {2.5}, 1).to(DType.FLOAT32));
    }

    @Test
    void aLeafReachedThreeTimesSumsItsGradientsAtEveryShapeAndThreadCount() {
        ParallelParts.minElements = 0;
        for (int threads : new int[] {1, 3}) {
            ParallelParts.threads = threads;
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] shape : new int[][] {{}, {1}, {1, 1}, {4}, {200, 7}}) {
                    Tensor x = atOffset(dtype, 0, 9, shape).requiresGrad(true);
                    // Three gradients for x: the third is added into the sum of the first two, in place.
                    x.mul(2).add(x.mul(3)).add(x.mul(-0.5)).add(x.mul(0.25)).sum().backward();
                    for (double v : x.grad().toDoubleArray()) {
                        assertEquals(4.75, v, 0.0, dtype + " " + java.util.Arrays.toString(shape));
                    }
                }
            }
        }
    }

    @Test
    void denseWhereSplitAcrossThreadsReadsEveryOperandAtItsOffset() {
        ParallelParts.minElements = 0;
        for (int threads : new int[] {1, 2, 3}) {
            ParallelParts.threads = threads;
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int n : new int[] {1, 65, 1000}) {
                    Tensor c = atOffset(DType.FLOAT64, 7, 10, n);
                    Tensor condition = c.gt(0);
                    Tensor conditionAtOffset = Tensor.concat(0, Tensor.zeros(DType.BOOL, 2), condition).narrow(0, 2, n);
                    Tensor a = atOffset(dtype, 3, 11, n);
                    Tensor b = atOffset(dtype, 5, 12, n);
                    double[] cv = c.toDoubleArray();
                    double[] av = a.toDoubleArray();
                    double[] bv = b.toDoubleArray();
                    for (Tensor cond : new Tensor[] {condition, conditionAtOffset}) {
                        double[] out = Tensor.where(cond, a, b).toDoubleArray();
                        for (int i = 0; i < n; i++) {
                            assertEquals(cv[i] > 0 ? av[i] : bv[i], out[i], 0.0, dtype + " n=" + n + " at " + i);
                        }
                        double[] gt = a.gt(b).toDoubleArray();
                        for (int i = 0; i < n; i++) {
                            assertEquals(av[i] > bv[i] ? 1 : 0, gt[i], 0.0, dtype + " n=" + n + " gt at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aTrailingShapeThatIsNotABiasRowIsRefusedOrBroadcast() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = atOffset(dtype, 0, 13, 2, 3);
            assertThrows(ShapeMismatchException.class, () -> a.add(atOffset(dtype, 0, 14, 2)));
            assertThrows(ShapeMismatchException.class, () -> a.add(atOffset(dtype, 0, 14, 4)));
            assertThrows(ShapeMismatchException.class, () -> atOffset(dtype, 0, 15, 4, 2, 3).add(
                    atOffset(dtype, 0, 16, 3, 3)));
            // [2, 1] against [2, 3]: a column, broadcast along the rows.
            Tensor column = atOffset(dtype, 1, 17, 2, 1);
            double[] av = a.toDoubleArray();
            double[] cv = column.toDoubleArray();
            double[] out = a.sub(column).toDoubleArray();
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(av[3 * i + j] - cv[i], out[3 * i + j], 0.0, dtype + " " + i + "," + j);
                }
            }
        }
    }

    @Test
    void aStridedRowIsReadAtItsStride() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = atOffset(dtype, 0, 20, 3, 4);
            Tensor row = atOffset(dtype, 1, 21, 8).slice(0, 0, 8, 2);   // [4], stride 2
            double[] av = a.toDoubleArray();
            double[] rv = row.toDoubleArray();
            double[] out = a.add(row).toDoubleArray();
            for (int i = 0; i < av.length; i++) {
                assertEquals(av[i] + rv[i % 4], out[i], 0.0, dtype + " at " + i);
            }
        }
    }

    @Test
    void biasRowsSplitAcrossThreadsStartEachRowAtItsOffset() {
        ParallelParts.minElements = 0;
        for (int threads : new int[] {1, 2, 3}) {
            ParallelParts.threads = threads;
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] shape : new int[][] {{7, 3}, {5, 2, 4}, {130, 9}}) {
                    Tensor a = atOffset(dtype, 2, 18, shape);
                    int[] rowShape = java.util.Arrays.copyOfRange(shape, 1, shape.length);
                    Tensor row = atOffset(dtype, 4, 19, rowShape);
                    double[] av = a.toDoubleArray();
                    double[] rv = row.toDoubleArray();
                    double[] out = a.mul(row).toDoubleArray();
                    for (int i = 0; i < av.length; i++) {
                        assertEquals(av[i] * rv[i % rv.length], out[i], 0.0,
                                dtype + " threads " + threads + " at " + i);
                    }
                }
            }
        }
    }
}
