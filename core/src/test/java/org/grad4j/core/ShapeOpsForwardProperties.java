package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.dimSubsets;
import static org.grad4j.core.TensorArbitraries.dims;
import static org.grad4j.core.TensorArbitraries.flatten;
import static org.grad4j.core.TensorArbitraries.numel;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.grad4j.core.TensorArbitraries.unflatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * Forward values of the indexing and shape ops against naive loops over every output position, for generated
 * shapes, dims (negative too), offsets and memory layouts, in float64 and the integer and bool dtypes. The reference
 * reads the input element by element ({@code get}) and builds the expected position by hand; no op under test is
 * used to compute it.
 */
class ShapeOpsForwardProperties {
    private static final int TRIES = 60;
    private static final DType[] DTYPES = {DType.FLOAT64, DType.FLOAT32, DType.INT64, DType.INT32, DType.UINT8,
        DType.BOOL};

    /** Small integer values: exact in every dtype (uint8 and bool convert them as PyTorch does). */
    private static Arbitrary<Double> smallInts() {
        return Arbitraries.integers().between(-4, 9).map(Integer::doubleValue);
    }

    @Provide
    Arbitrary<TensorData> anyTensor() {
        return tensors(shapes(0, 4, 5, 48), smallInts());
    }

    @Provide
    Arbitrary<TensorData> nonScalar() {
        return tensors(shapes(1, 4, 5, 48), smallInts());
    }

    @Provide
    Arbitrary<TensorData> matrices() {
        return tensors(shapes(2, 4, 5, 48), smallInts());
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DTYPES);
    }

    /** The element of {@code x} at {@code index}, as a double (the trusted accessor). */
    private static double at(Tensor x, int[] index) {
        return x.get(index);
    }

    /** Every position of {@code out}: its value must be {@code x} at {@code source(position)}, or fill when null. */
    private static void assertMapped(Tensor x, Tensor out, int[] expectedShape, Function<int[], int[]> source,
            double fill) {
        assertArrayEquals(expectedShape, out.shape(), "shape");
        assertEquals(x.dtype(), out.dtype(), "dtype");
        for (int i = 0; i < numel(expectedShape); i++) {
            int[] position = unflatten(i, expectedShape);
            int[] from = source.apply(position);
            double expected = from == null ? Tensor.scalar(fill, x.dtype()).item() : at(x, from);
            assertEquals(expected, out.get(position), "at " + Arrays.toString(position));
        }
    }

    // ============================================================================================ rearrangements

    @Property(tries = TRIES)
    void flipReversesTheChosenDims(@ForAll("anyTensor") TensorData data, @ForAll("dtypes") DType dtype) {
        Tensor x = data.tensor(dtype);
        int[] dims = dimSubsets(data.rank()).sample();
        Tensor out = x.flip(dims);
        boolean[] flipped = new boolean[Math.max(data.rank(), 1)];
        for (int d : dims) flipped[d < 0 ? d + Math.max(data.rank(), 1) : d] = true;
        assertMapped(x, out, data.shape(), p -> {
            int[] s = p.clone();
            for (int d = 0; d < s.length; d++) if (flipped[d]) s[d] = data.shape()[d] - 1 - p[d];
            return s;
        }, 0);
        assertFalse(out.sharesStorageWith(x), "flip copies, as torch.flip");
    }

    @Property(tries = TRIES)
    void rollShiftsAndWraps(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = -12, max = 12) int shift, @ForAll @IntRange(min = -12, max = 12) int shift2) {
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        int d1 = dims(rank).sample();
        int d2 = dims(rank).sample();
        Tensor out = x.roll(new int[] {shift, shift2}, d1, d2);
        int n1 = Math.floorMod(d1, rank);
        int n2 = Math.floorMod(d2, rank);
        assertMapped(x, out, data.shape(), p -> {
            int[] s = p.clone();
            s[n2] = Math.floorMod(s[n2] - shift2, data.shape()[n2]);
            s[n1] = Math.floorMod(s[n1] - shift, data.shape()[n1]);
            return s;
        }, 0);
        Tensor flat = x.roll(shift);
        int n = data.numel();
        assertMapped(x, flat, data.shape(), p -> unflatten(Math.floorMod(flatten(p, data.shape()) - shift, n),
                data.shape()), 0);
    }

    @Property(tries = TRIES)
    void repeatAndTileCycleThroughTheInput(@ForAll("anyTensor") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = 0, max = 2) int extra) {
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        int[] reps = Arbitraries.integers().between(0, 3).array(int[].class).ofSize(rank + extra).sample();
        int[] shape = new int[reps.length];
        for (int i = 0; i < reps.length; i++) shape[i] = reps[i] * (i < extra ? 1 : data.shape()[i - extra]);
        Function<int[], int[]> cycle = p -> {
            int[] s = new int[rank];
            for (int d = 0; d < rank; d++) s[d] = p[d + extra] % data.shape()[d];
            return s;
        };
        assertMapped(x, x.repeat(reps), shape, cycle, 0);
        assertMapped(x, x.tile(reps), shape, cycle, 0);
        if (rank > 0) {   // tile pads missing leading repeats with 1
            int[] short1 = Arrays.copyOfRange(reps, reps.length - 1, reps.length);
            int[] tileShape = data.shape().clone();
            tileShape[rank - 1] *= short1[0];
            assertMapped(x, x.tile(short1), tileShape, p -> {
                int[] s = p.clone();
                s[rank - 1] %= data.shape()[rank - 1];
                return s;
            }, 0);
        }
    }

    @Property(tries = TRIES)
    void repeatInterleaveRepeatsEachSliceInPlace(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = 0, max = 3) int repeats, @ForAll boolean int32) {
        Tensor x = data.tensor(dtype);
        int d = Math.floorMod(dims(data.rank()).sample(), data.rank());
        int[] shape = data.shape().clone();
        shape[d] *= repeats;
        assertMapped(x, x.repeatInterleave(repeats, d - (d % 2) * data.rank()), shape, p -> {
            int[] s = p.clone();
            s[d] = p[d] / repeats;
            return s;
        }, 0);
        int size = data.shape()[d];
        long[] counts = Arbitraries.longs().between(0, 3).array(long[].class).ofSize(size).sample();
        Tensor countTensor = int32 ? Tensor.of(counts).to(DType.INT32) : Tensor.of(counts);
        List<Integer> source = new ArrayList<>();
        for (int i = 0; i < size; i++) for (long r = 0; r < counts[i]; r++) source.add(i);
        int[] shape2 = data.shape().clone();
        shape2[d] = source.size();
        assertMapped(x, x.repeatInterleave(countTensor, d), shape2, p -> {
            int[] s = p.clone();
            s[d] = source.get(p[d]);
            return s;
        }, 0);
        int n = data.numel();
        assertMapped(x, x.repeatInterleave(repeats), new int[] {n * repeats},
                p -> unflatten(p[0] / repeats, data.shape()), 0);
    }

    @Property(tries = TRIES)
    void trilAndTriuKeepTheirTriangleInEveryMatrix(@ForAll("matrices") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = -6, max = 6) int diagonal) {
        Tensor x = data.tensor(dtype);
        int r = data.rank();
        assertMapped(x, x.tril(diagonal), data.shape(), p -> p[r - 1] - p[r - 2] <= diagonal ? p : null, 0);
        assertMapped(x, x.triu(diagonal), data.shape(), p -> p[r - 1] - p[r - 2] >= diagonal ? p : null, 0);
    }

    @Property(tries = TRIES)
    void diagonalIsAViewOfTheOffsetDiagonal(@ForAll("matrices") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = -6, max = 6) int offset) {
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        int dim1 = dims(rank).sample();
        int dim2 = dims(rank).filter(v -> Math.floorMod(v, rank) != Math.floorMod(dim1, rank)).sample();
        int d1 = Math.floorMod(dim1, rank);
        int d2 = Math.floorMod(dim2, rank);
        int s1 = data.shape()[d1];
        int s2 = data.shape()[d2];
        int length = Math.max(0, offset >= 0 ? Math.min(s1, s2 - offset) : Math.min(s1 + offset, s2));
        int[] rest = new int[rank - 2];
        int[] shape = new int[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) if (i != d1 && i != d2) rest[k++] = i;
        for (int k = 0; k < rest.length; k++) shape[k] = data.shape()[rest[k]];
        shape[rank - 2] = length;
        Tensor out = x.diagonal(offset, dim1, dim2);
        assertMapped(x, out, shape, p -> {
            int[] s = new int[rank];
            for (int k = 0; k < rest.length; k++) s[rest[k]] = p[k];
            int i = p[rank - 2];
            s[d1] = offset >= 0 ? i : i - offset;
            s[d2] = offset >= 0 ? i + offset : i;
            return s;
        }, 0);
        assertTrue(out.sharesStorageWith(x), "diagonal is a view");
    }

    @Property(tries = TRIES)
    void diagBuildsAndReadsDiagonals(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = -4, max = 4) int k) {
        Tensor v = data.tensor(dtype).flatten();
        int n = data.numel();
        int m = n + Math.abs(k);
        Tensor built = v.diag(k);
        assertMapped(v, built, new int[] {m, m}, p -> p[1] - p[0] == k && (k >= 0 ? p[0] : p[1]) < n
                ? new int[] {k >= 0 ? p[0] : p[1]} : null, 0);
        assertMapped(built, built.diag(k), new int[] {n}, p -> new int[] {k >= 0 ? p[0] : p[0] - k,
            k >= 0 ? p[0] + k : p[0]}, 0);
        if (dtype != DType.BOOL) {
            Tensor square = data.tensor(dtype).reshape(-1, 1).expand(n, n);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += at(square, new int[] {i, i});
            Tensor trace = square.trace();
            assertEquals(dtype.isFloatingPoint() ? dtype : DType.INT64, trace.dtype());
            assertEquals(sum, trace.item(), 1e-4);
        }
    }

    @Property(tries = TRIES)
    void unfoldIsAViewOfSlidingWindows(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll @IntRange(min = 1, max = 3) int step) {
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        int dim = dims(rank).sample();
        int d = Math.floorMod(dim, rank);
        int size = Arbitraries.integers().between(0, data.shape()[d]).sample();
        int[] shape = Arrays.copyOf(data.shape(), rank + 1);
        shape[d] = (data.shape()[d] - size) / step + 1;
        shape[rank] = size;
        Tensor out = x.unfold(dim, size, step);
        assertMapped(x, out, shape, p -> {
            int[] s = Arrays.copyOf(p, rank);
            s[d] = p[d] * step + p[rank];
            return s;
        }, 0);
        assertTrue(out.sharesStorageWith(x), "unfold is a view");
    }

    @Property(tries = TRIES)
    void movedimPlacesTheMovedDims(@ForAll("anyTensor") TensorData data, @ForAll long seed) {
        Tensor x = data.tensor();
        int rank = data.rank();
        java.util.Random rng = new java.util.Random(seed);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < rank; i++) all.add(i);
        java.util.Collections.shuffle(all, rng);
        int count = rank == 0 ? 0 : rng.nextInt(rank + 1);
        List<Integer> dst = new ArrayList<>(all.subList(0, count));
        java.util.Collections.shuffle(all, rng);
        List<Integer> src = new ArrayList<>(all.subList(0, count));
        int[] order = new int[rank];
        Arrays.fill(order, -1);
        for (int i = 0; i < count; i++) order[dst.get(i)] = src.get(i);
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < rank; i++) if (!src.contains(i)) left.add(i);
        for (int i = 0, k = 0; i < rank; i++) if (order[i] < 0) order[i] = left.get(k++);
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) shape[i] = data.shape()[order[i]];
        Tensor out = x.movedim(src.stream().mapToInt(i -> i - (rng.nextBoolean() ? rank : 0)).toArray(),
                dst.stream().mapToInt(Integer::intValue).toArray());
        assertMapped(x, out, shape, p -> {
            int[] s = new int[rank];
            for (int i = 0; i < rank; i++) s[order[i]] = p[i];
            return s;
        }, 0);
    }

    @Property(tries = TRIES)
    void chunkAndUnbindCoverTheDimInOrder(@ForAll("nonScalar") TensorData data,
            @ForAll @IntRange(min = 1, max = 8) int chunks) {
        Tensor x = data.tensor();
        int d = Math.floorMod(dims(data.rank()).sample(), data.rank());
        int size = data.shape()[d];
        List<Tensor> pieces = x.chunk(chunks, d);
        int each = (size + chunks - 1) / chunks;
        assertEquals((size + each - 1) / each, pieces.size());
        int start = 0;
        for (Tensor piece : pieces) {
            int from = start;
            int[] shape = data.shape().clone();
            shape[d] = Math.min(each, size - start);
            assertMapped(x, piece, shape, p -> {
                int[] s = p.clone();
                s[d] += from;
                return s;
            }, 0);
            start += shape[d];
        }
        List<Tensor> slices = x.unbind(d);
        assertEquals(size, slices.size());
        for (int i = 0; i < size; i++) {
            int at = i;
            int[] shape = new int[data.rank() - 1];
            for (int j = 0, k = 0; j < data.rank(); j++) if (j != d) shape[k++] = data.shape()[j];
            assertMapped(x, slices.get(i), shape, p -> {
                int[] s = new int[data.rank()];
                for (int j = 0, k = 0; j < data.rank(); j++) s[j] = j == d ? at : p[k++];
                return s;
            }, 0);
        }
    }

    // ============================================================================================ pad

    @Property(tries = TRIES)
    void padInEveryModeReadsTheRightSource(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll long seed) {
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        java.util.Random rng = new java.util.Random(seed);
        int padded = 1 + rng.nextInt(rank);
        String mode = new String[] {"constant", "reflect", "replicate", "circular"}[rng.nextInt(4)];
        int[] pads = new int[2 * padded];
        for (int p = 0; p < padded; p++) {
            int size = data.shape()[rank - 1 - p];
            int limit = switch (mode) {
                case "reflect" -> size - 1;
                case "circular" -> size;
                default -> 4;
            };
            pads[2 * p] = rng.nextInt(limit + 1) - (mode.equals("constant") ? rng.nextInt(size + 1) / 2 : 0);
            pads[2 * p + 1] = rng.nextInt(limit + 1);
        }
        double value = mode.equals("constant") ? 3 : 0;
        int[] shape = data.shape().clone();
        for (int p = 0; p < padded; p++) shape[rank - 1 - p] += pads[2 * p] + pads[2 * p + 1];
        Tensor out = x.pad(pads, mode, value);
        assertMapped(x, out, shape, pos -> {
            int[] s = pos.clone();
            for (int p = 0; p < padded; p++) {
                int d = rank - 1 - p;
                int size = data.shape()[d];
                int i = pos[d] - pads[2 * p];
                if (i < 0 || i >= size) {
                    switch (mode) {
                        case "constant" -> {
                            return null;
                        }
                        case "reflect" -> i = i < 0 ? -i : 2 * (size - 1) - i;
                        case "replicate" -> i = i < 0 ? 0 : size - 1;
                        default -> i = Math.floorMod(i, size);
                    }
                }
                s[d] = i;
            }
            return s;
        }, value);
    }

    // ============================================================================================ indexed copies

    @Property(tries = TRIES)
    void indexCopyWritesTheIndexedSlices(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll long seed, @ForAll boolean int32) {
        Tensor x = data.tensor(dtype);
        int d = Math.floorMod(dims(data.rank()).sample(), data.rank());
        int size = data.shape()[d];
        java.util.Random rng = new java.util.Random(seed);
        int count = rng.nextInt(size + 1);
        long[] index = new long[count];
        for (int i = 0; i < count; i++) index[i] = rng.nextInt(size);
        int[] sourceShape = data.shape().clone();
        sourceShape[d] = count;
        Tensor source = Tensor.arange(0, numel(sourceShape), 1, DType.INT64).add(100).to(dtype).reshape(sourceShape);
        Tensor indexTensor = int32 ? Tensor.of(index).to(DType.INT32) : Tensor.of(index);
        Tensor out = x.indexCopy(d, indexTensor, source);
        assertArrayEquals(data.shape(), out.shape());
        for (int i = 0; i < data.numel(); i++) {
            int[] p = unflatten(i, data.shape());
            int last = -1;
            for (int j = 0; j < count; j++) if (index[j] == p[d]) last = j;
            int[] s = p.clone();
            s[d] = last;
            double expected = last < 0 ? at(x, p) : at(source, s);
            assertEquals(expected, out.get(p), "at " + Arrays.toString(p));
        }
    }

    @Property(tries = TRIES)
    void takeAlongDimBroadcastsAndGathers(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll long seed) {
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        int d = Math.floorMod(dims(rank).sample(), rank);
        java.util.Random rng = new java.util.Random(seed);
        int[] indexShape = new int[rank];
        int[] outShape = new int[rank];
        boolean[] xBroadcast = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            if (i == d) {
                indexShape[i] = 1 + rng.nextInt(4);
            } else if (data.shape()[i] == 1) {
                indexShape[i] = 1 + rng.nextInt(3);
                xBroadcast[i] = true;
            } else {
                indexShape[i] = rng.nextBoolean() ? 1 : data.shape()[i];
            }
            outShape[i] = i == d ? indexShape[i] : Math.max(indexShape[i], data.shape()[i]);
        }
        long[] idx = new long[numel(indexShape)];
        for (int i = 0; i < idx.length; i++) idx[i] = rng.nextInt(data.shape()[d]);
        Tensor index = Tensor.ofShape(idx, indexShape);
        assertMapped(x, x.takeAlongDim(index, d - rank), outShape, p -> {
            int[] ip = new int[rank];
            int[] s = new int[rank];
            for (int i = 0; i < rank; i++) {
                ip[i] = indexShape[i] == 1 ? 0 : p[i];
                s[i] = xBroadcast[i] ? 0 : p[i];
            }
            s[d] = (int) idx[flatten(ip, indexShape)];
            return s;
        }, 0);
        long[] flatIdx = new long[3];
        for (int i = 0; i < 3; i++) flatIdx[i] = rng.nextInt(data.numel());
        assertMapped(x, x.takeAlongDim(Tensor.of(flatIdx)), new int[] {3},
                p -> unflatten((int) flatIdx[p[0]], data.shape()), 0);
    }

    // ============================================================================================ scatterReduce

    @Property(tries = TRIES)
    void scatterReduceMatchesALoop(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll long seed, @ForAll boolean includeSelf) {
        java.util.Random rng = new java.util.Random(seed);
        String reduce = new String[] {"sum", "prod", "mean", "amax", "amin"}[rng.nextInt(5)];
        if (dtype == DType.BOOL && reduce.equals("mean")) {
            dtype = DType.INT32;
        }
        Tensor x = data.tensor(dtype);
        int rank = data.rank();
        int d = Math.floorMod(dims(rank).sample(), rank);
        int[] indexShape = new int[rank];
        for (int i = 0; i < rank; i++) indexShape[i] = i == d ? 1 + rng.nextInt(4) : 1 + rng.nextInt(data.shape()[i]);
        long[] idx = new long[numel(indexShape)];
        double[] src = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(data.shape()[d]);
            src[i] = rng.nextInt(7) - 2;
        }
        Tensor srcTensor = Tensor.ofShape(src, indexShape).to(dtype);
        Tensor out = x.scatterReduce(d - rank, Tensor.ofShape(idx, indexShape), srcTensor, reduce, includeSelf);
        // the loop, in double (values are small integers, so float and integer arithmetic agree)
        int n = data.numel();
        List<List<Double>> received = new ArrayList<>();
        for (int i = 0; i < n; i++) received.add(new ArrayList<>());
        for (int i = 0; i < idx.length; i++) {
            int[] p = unflatten(i, indexShape);
            p[d] = (int) idx[i];
            received.get(flatten(p, data.shape())).add(srcTensor.get(unflatten(i, indexShape)));
        }
        boolean floating = dtype.isFloatingPoint();
        for (int i = 0; i < n; i++) {
            int[] p = unflatten(i, data.shape());
            List<Double> values = new ArrayList<>(received.get(i));
            double expected = at(x, p);
            if (!values.isEmpty()) {
                if (includeSelf) values.add(0, expected);
                expected = switch (reduce) {
                    case "sum" -> values.stream().mapToDouble(v -> v).sum();
                    case "prod" -> values.stream().mapToDouble(v -> v).reduce(1, (a, b) -> a * b);
                    case "amax" -> values.stream().mapToDouble(v -> v).max().orElseThrow();
                    case "amin" -> values.stream().mapToDouble(v -> v).min().orElseThrow();
                    default -> floating ? values.stream().mapToDouble(v -> v).average().orElseThrow()
                            : Math.floor(values.stream().mapToDouble(v -> v).sum() / values.size());
                };
                expected = floating ? Tensor.scalar(expected, DType.FLOAT64).to(dtype).item()
                        : Tensor.scalar((long) expected, DType.INT64).to(dtype).item();   // integers wrap
            }
            assertEquals(expected, out.get(p), 1e-5, reduce + " includeSelf " + includeSelf + " at "
                    + Arrays.toString(p));
        }
    }

    // ============================================================================================ sets

    @Property(tries = TRIES)
    void nonzeroListsTheNonZeroPositionsInOrder(@ForAll("anyTensor") TensorData data, @ForAll("dtypes") DType dtype) {
        Tensor x = data.tensor(dtype);
        List<int[]> expected = new ArrayList<>();
        for (int i = 0; i < data.numel(); i++) {
            int[] p = unflatten(i, data.shape());
            if (at(x, p) != 0) expected.add(p);
        }
        Tensor nz = x.nonzero();
        assertEquals(DType.INT64, nz.dtype());
        assertArrayEquals(new int[] {expected.size(), data.rank()}, nz.shape());
        for (int i = 0; i < expected.size(); i++) {
            for (int d = 0; d < data.rank(); d++) assertEquals(expected.get(i)[d], nz.getLong(i, d));
        }
        List<Tensor> tuple = x.nonzeroAsTuple();
        assertEquals(Math.max(1, data.rank()), tuple.size());
        for (int d = 0; d < data.rank(); d++) {
            for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i)[d], tuple.get(d).getLong(i));
        }
    }

    @Property(tries = TRIES)
    void uniqueSortsCountsAndInverts(@ForAll("anyTensor") TensorData data, @ForAll("dtypes") DType dtype,
            @ForAll boolean sorted) {
        Tensor x = data.tensor(dtype);
        TreeMap<Double, Integer> counts = new TreeMap<>();
        List<Double> firstSeen = new ArrayList<>();
        for (int i = 0; i < data.numel(); i++) {
            double v = at(x, unflatten(i, data.shape()));
            if (!counts.containsKey(v)) firstSeen.add(v);
            counts.merge(v, 1, Integer::sum);
        }
        List<Double> order = sorted ? new ArrayList<>(counts.keySet()) : firstSeen;
        Unique u = x.unique(sorted, true, true);
        assertEquals(dtype, u.values().dtype());
        assertArrayEquals(new int[] {order.size()}, u.values().shape());
        for (int i = 0; i < order.size(); i++) {
            assertEquals(order.get(i), u.values().get(i));
            assertEquals((long) counts.get(order.get(i)), u.counts().getLong(i));
        }
        assertArrayEquals(data.shape(), u.inverse().shape());
        for (int i = 0; i < data.numel(); i++) {
            int[] p = unflatten(i, data.shape());
            assertEquals(order.indexOf(at(x, p)), u.inverse().getLong(p));
        }
        Unique valuesOnly = x.unique(true, false, false);
        assertNull(valuesOnly.inverse());
        assertNull(valuesOnly.counts());
    }

    @Property(tries = TRIES)
    void uniqueAlongADimFindsDistinctSlices(@ForAll("nonScalar") TensorData data, @ForAll("dtypes") DType dtype) {
        Tensor x = data.tensor(dtype);
        int d = Math.floorMod(dims(data.rank()).sample(), data.rank());
        List<Tensor> slices = x.unbind(d);
        TreeMap<String, Integer> counts = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (Tensor s : slices) {
            keys.add(Arrays.toString(s.toDoubleArray()));
            counts.merge(keys.get(keys.size() - 1), 1, Integer::sum);
        }
        Unique u = x.unique(false, true, true, d);
        List<String> distinct = keys.stream().distinct().toList();
        assertEquals(distinct.size(), u.values().size(d));
        for (int i = 0; i < distinct.size(); i++) {
            assertEquals(distinct.get(i), Arrays.toString(u.values().select(d, i).toDoubleArray()));
            assertEquals((long) counts.get(distinct.get(i)), u.counts().getLong(i));
        }
        for (int i = 0; i < keys.size(); i++) assertEquals(distinct.indexOf(keys.get(i)), u.inverse().getLong(i));
    }

    @Property(tries = TRIES)
    void searchsortedCountsWhatLiesBefore(@ForAll("nonScalar") TensorData values, @ForAll long seed,
            @ForAll boolean right, @ForAll("dtypes") DType dtype) {
        java.util.Random rng = new java.util.Random(seed);
        double[] seq = new double[rng.nextInt(7)];
        for (int i = 0; i < seq.length; i++) seq[i] = rng.nextInt(10) - 3;
        Arrays.sort(seq);
        DType seqType = dtype == DType.BOOL || dtype == DType.UINT8 ? DType.INT64 : dtype;
        Tensor sequence = Tensor.of(seq).to(seqType);
        Tensor v = values.tensor(DType.FLOAT64);
        Tensor out = Tensor.searchsorted(sequence, v, right);
        Tensor buckets = v.bucketize(sequence, right);
        for (int i = 0; i < values.numel(); i++) {
            int[] p = unflatten(i, values.shape());
            double value = at(v, p);
            long expected = Arrays.stream(sequence.toDoubleArray()).filter(s -> right ? s <= value : s < value)
                    .count();
            assertEquals(expected, out.getLong(p));
            assertEquals(expected, buckets.getLong(p));
        }
    }
}
