package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Rows that drive introsort and introselect to their depth limit, so that their heap-sort and heap-select fallbacks
 * run (random rows never reach them). The rows are built by McIlroy's adversary ("A Killer Adversary for
 * Quicksort", 1999): the ordering is run once with a comparison that fixes each element's value only when it must,
 * always so that the pivot turns out nearly smallest; the values it fixed are an input on which the same steps
 * degrade. The values are distinct, so the sorted values and indices are determined; expected results come from
 * {@link Arrays#sort} and naive loops.
 */
class TieOrderAdversaryTest {

    /** The adversary's state: values fixed so far ({@code GAS} while not yet fixed). */
    private static final class Adversary implements TieOrder.Less {
        private final int[] value;
        private final int gas;
        private int fixed;
        private int candidate = -1;
        int comparisons;

        Adversary(int n) {
            gas = n;
            value = new int[n];
            Arrays.fill(value, gas);
        }

        @Override
        public boolean less(int a, int b) {
            comparisons++;
            if (value[a] == gas && value[b] == gas) {
                if (a == candidate) {
                    value[a] = fixed++;
                } else {
                    value[b] = fixed++;
                }
            }
            if (value[a] == gas) {
                candidate = a;
            } else if (value[b] == gas) {
                candidate = b;
            }
            return value[a] < value[b];
        }

        /** The values, the ones never fixed given the largest values in position order. */
        double[] values() {
            double[] out = new double[value.length];
            int next = fixed;
            for (int i = 0; i < value.length; i++) {
                out[i] = value[i] == gas ? next++ : value[i];
            }
            return out;
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static int comparisonsOf(double[] values, java.util.function.Consumer<TieOrder.Less> ordering) {
        int[] count = new int[1];
        ordering.accept((a, b) -> {
            count[0]++;
            return values[a] < values[b];
        });
        return count[0];
    }

    /** Positions of the values in ascending order (the values are distinct). */
    private static long[] argsortNaive(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        long[] out = new long[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }

    @Test
    void sortOfAnAdversarialRowFallsBackToHeapSortAndStaysCorrect() {
        int n = 600;
        Adversary adversary = new Adversary(n);
        TieOrder.sort(identity(n), 0, n, adversary);
        double[] values = adversary.values();
        // the same input costs quadratically many comparisons without the depth limit: at least check that the
        // limit was needed, i.e. that the row is far from random (a random row takes about 1.4 n log2 n)
        int sortComparisons = comparisonsOf(values, less -> TieOrder.sort(identity(n), 0, n, less));
        assertTrue(sortComparisons > 2 * n * 10, "not adversarial: " + sortComparisons + " comparisons");

        Tensor row = Tensor.of(values, n);
        ValuesAndIndices sorted = row.sort(0, false);
        double[] expected = values.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, sorted.values().toDoubleArray());
        assertArrayEquals(argsortNaive(values), sorted.indices().toLongArray());
        // the same row negated sorts descending through the same steps
        ValuesAndIndices descending = row.neg().sort(0, true);
        double[] negated = new double[n];
        for (int i = 0; i < n; i++) negated[i] = -expected[i];
        assertArrayEquals(negated, descending.values().toDoubleArray());
        assertArrayEquals(argsortNaive(values), descending.indices().toLongArray());
    }

    @Test
    void topkOfAnAdversarialRowFallsBackToHeapSelectAndStaysCorrect() {
        int n = 600;
        for (int k : new int[] {20, 300, 599}) {
            Adversary adversary = new Adversary(n);
            TieOrder.nthElement(identity(n), 0, k - 1, n, adversary);
            double[] values = adversary.values();
            Tensor row = Tensor.of(values, n);
            ValuesAndIndices smallest = row.topk(k, 0, false, true);
            long[] order = argsortNaive(values);
            double[] expected = new double[k];
            long[] expectedIndices = new long[k];
            for (int i = 0; i < k; i++) {
                expectedIndices[i] = order[i];
                expected[i] = values[(int) order[i]];
            }
            assertArrayEquals(expected, smallest.values().toDoubleArray(), "k = " + k);
            assertArrayEquals(expectedIndices, smallest.indices().toLongArray(), "k = " + k);
        }
    }

    @Test
    void medianOfAnAdversarialRowStaysCorrect() {
        int n = 601;
        Adversary adversary = new Adversary(n);
        TieOrder.nthElement(identity(n), 0, (n - 1) / 2, n, adversary);
        double[] values = adversary.values();
        double[] expected = values.clone();
        Arrays.sort(expected);
        Tensor row = Tensor.of(values, n);
        assertEquals(expected[(n - 1) / 2], row.median().item());
        ValuesAndIndices byDim = row.median(0);
        assertEquals(expected[(n - 1) / 2], byDim.values().item());
        assertEquals(expected[(n - 1) / 2], values[(int) byDim.indices().itemLong()]);
    }

    @Test
    void partialSortSelectsAndSortsTheSmallestOfEveryPrefixLength() {
        // topk with k * 64 <= n takes the heap-based partial sort: every k from 1 to n / 64, rows with ties broken
        // by a second key so that the order is total
        int n = 64 * 9;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = rng.nextInt(1_000_000) + i * 1e-7;
        Tensor row = Tensor.of(values, n);
        long[] order = argsortNaive(values);
        for (int k = 1; k <= n / 64; k++) {
            ValuesAndIndices top = row.topk(k, 0, false, true);
            for (int i = 0; i < k; i++) {
                assertEquals(order[i], top.indices().getLong(i), "k = " + k + ", i = " + i);
            }
        }
    }
}
