package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.broadcastShapes;
import static org.grad4j.core.TensorArbitraries.flatten;
import static org.grad4j.core.TensorArbitraries.layouts;
import static org.grad4j.core.TensorArbitraries.numel;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.unflatten;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.LongBinaryOperator;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.grad4j.core.TensorArbitraries.Layout;

/**
 * Integer and bool ops against naive loops over Java longs: values near the ends of every range (so wrapping is
 * exercised), every layout (contiguous, permuted, strided), broadcasting, every integer dtype and bool.
 */
class IntegerProperties {
    private static final int TRIES = 200;

    static final DType[] INTEGER_DTYPES = {DType.INT64, DType.INT32, DType.UINT8, DType.BOOL};

    /** Values of a tensor as longs, in a layout; {@link #tensor} narrows them to a dtype as {@code to} would. */
    record LongData(int[] shape, long[] values, Layout layout) {
        Tensor tensor(DType dtype) {
            int rank = shape.length;
            Tensor t = switch (layout) {
                case CONTIGUOUS -> Tensor.zeros(dtype, shape);
                case PERMUTED -> {
                    int[] order = IntStream.range(0, rank).map(i -> rank - 1 - i).toArray();
                    yield Tensor.zeros(dtype, Arrays.stream(order).map(i -> shape[i]).toArray()).permute(order);
                }
                case STRIDED -> {
                    if (rank == 0) {
                        yield Tensor.zeros(dtype, shape);
                    }
                    int[] wide = shape.clone();
                    wide[rank - 1] = 2 * shape[rank - 1] + 1;
                    yield Tensor.zeros(dtype, wide).slice(-1, 1, 2 * shape[rank - 1] + 1, 2);
                }
            };
            for (int i = 0; i < values.length; i++) {
                t.set(values[i], unflatten(i, shape));
            }
            return t;
        }

        /** The value at a flat row-major position as the dtype holds it. */
        long at(int flat, DType dtype) {
            return narrow(values[flat], dtype);
        }

        @Override
        public String toString() {
            return "LongData" + Arrays.toString(shape) + " " + layout + " " + Arrays.toString(values);
        }
    }

    /** What a dtype keeps of a long: int64 all of it, int32 the low 32 bits, uint8 the low 8, bool {@code != 0}. */
    static long narrow(long v, DType dtype) {
        return switch (dtype) {
            case INT64 -> v;
            case INT32 -> (int) v;
            case UINT8 -> v & 0xFF;
            case BOOL -> v != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(dtype.toString());
        };
    }

    static Arbitrary<Long> longValues() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 5),
                Arbitraries.longs(),
                Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 255L, 256L, -1L,
                        (1L << 53) + 1));
    }

    static Arbitrary<LongData> longTensors(int[] shape) {
        return Combinators.combine(longValues().array(long[].class).ofSize(numel(shape)), layouts())
                .as((v, layout) -> new LongData(shape, v, layout));
    }

    @Provide
    Arbitrary<List<LongData>> longPair() {
        return broadcastShapes(2).flatMap(s -> Combinators.combine(longTensors(s[0]), longTensors(s[1])).as(List::of));
    }

    @Provide
    Arbitrary<DType> integerDtypes() {
        return Arbitraries.of(INTEGER_DTYPES);
    }

    @Provide
    Arbitrary<LongData> longTensor() {
        return shapes(0, 4).flatMap(IntegerProperties::longTensors);
    }

    private static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** The flat position in {@code shape} that output index {@code out} of a broadcast reads. */
    private static int source(int[] out, int[] shape) {
        int[] index = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            index[i] = shape[i] == 1 ? 0 : out[out.length - shape.length + i];
        }
        return flatten(index, shape);
    }

    enum IntegerBinary {
        ADD(Tensor::add, (x, y) -> x + y),
        SUB(Tensor::sub, (x, y) -> x - y),
        MUL(Tensor::mul, (x, y) -> x * y),
        MAXIMUM(Tensor::maximum, Math::max),
        MINIMUM(Tensor::minimum, Math::min),
        GT(Tensor::gt, (x, y) -> x > y ? 1 : 0),
        GE(Tensor::ge, (x, y) -> x >= y ? 1 : 0),
        LT(Tensor::lt, (x, y) -> x < y ? 1 : 0),
        LE(Tensor::le, (x, y) -> x <= y ? 1 : 0),
        EQ(Tensor::eq, (x, y) -> x == y ? 1 : 0),
        NE(Tensor::ne, (x, y) -> x != y ? 1 : 0),
        LOGICAL_AND(Tensor::logicalAnd, (x, y) -> x != 0 && y != 0 ? 1 : 0),
        LOGICAL_OR(Tensor::logicalOr, (x, y) -> x != 0 || y != 0 ? 1 : 0),
        LOGICAL_XOR(Tensor::logicalXor, (x, y) -> (x != 0) != (y != 0) ? 1 : 0);

        final BiFunction<Tensor, Tensor, Tensor> op;
        final LongBinaryOperator reference;

        IntegerBinary(BiFunction<Tensor, Tensor, Tensor> op, LongBinaryOperator reference) {
            this.op = op;
            this.reference = reference;
        }

        boolean returnsBool() {
            return ordinal() >= GT.ordinal();
        }
    }

    /** Arithmetic is computed on the promoted dtype's values and wraps to it; comparisons and logic give bool. */
    @Property(tries = TRIES)
    void binaryOpsMatchNaiveLoops(@ForAll("longPair") List<LongData> p, @ForAll IntegerBinary op,
                                  @ForAll("integerDtypes") DType da, @ForAll("integerDtypes") DType db) {
        Tensor a = p.get(0).tensor(da);
        Tensor b = p.get(1).tensor(db);
        if (op == IntegerBinary.SUB && (da == DType.BOOL || db == DType.BOOL)) {
            return;   // refused, as in PyTorch (DTypesTest)
        }
        DType result = op.returnsBool() ? DType.BOOL : Promotion.resultType(a, b);
        int[] shape = broadcastShape(p.get(0).shape(), p.get(1).shape());
        long[] expected = new long[numel(shape)];
        for (int i = 0; i < expected.length; i++) {
            int[] index = unflatten(i, shape);
            long x = p.get(0).at(source(index, p.get(0).shape()), da);
            long y = p.get(1).at(source(index, p.get(1).shape()), db);
            expected[i] = narrow(op.reference.applyAsLong(x, y), result);
        }
        Tensor actual = op.op.apply(a, b);
        assertEquals(result, actual.dtype(), op + " " + da + " " + db);
        assertArrayEquals(shape, actual.shape());
        assertArrayEquals(expected, actual.toLongArray(), op + " " + da + " " + db);
    }

    /** Sums of any dims give int64 and wrap; amax/amin keep the dtype. */
    @Property(tries = TRIES)
    void reductionsMatchNaiveLoops(@ForAll("longTensor") LongData x, @ForAll("integerDtypes") DType dtype,
                                   @ForAll("subsetSeed") int seed) {
        Tensor t = x.tensor(dtype);
        int rank = x.shape().length;
        int[] chosen = IntStream.range(0, rank).filter(d -> (seed >> d & 1) != 0).toArray();
        int[] dims = chosen.length == 0 ? IntStream.range(0, rank).toArray() : chosen;   // no dims means all of them
        boolean[] reduced = new boolean[Math.max(rank, 1)];
        for (int d : dims) reduced[d] = true;
        int[] kept = x.shape().clone();
        for (int d : dims) kept[d] = 1;
        long[] sums = new long[numel(kept)];
        long[] maxs = new long[sums.length];
        long[] mins = new long[sums.length];
        Arrays.fill(maxs, Long.MIN_VALUE);
        Arrays.fill(mins, Long.MAX_VALUE);
        for (int i = 0; i < x.values().length; i++) {
            int[] index = unflatten(i, x.shape());
            for (int d : dims) index[d] = 0;
            int o = flatten(index, kept);
            long v = x.at(i, dtype);
            sums[o] += v;
            maxs[o] = Math.max(maxs[o], v);
            mins[o] = Math.min(mins[o], v);
        }
        Tensor sum = t.sum(chosen, true);
        assertEquals(DType.INT64, sum.dtype());
        assertArrayEquals(sums, sum.toLongArray(), "sum " + Arrays.toString(dims));
        if (x.values().length > 0) {
            Tensor max = t.amax(chosen, true);
            assertEquals(dtype, max.dtype());
            assertArrayEquals(maxs, max.toLongArray(), "amax " + Arrays.toString(dims));
            assertArrayEquals(mins, t.amin(chosen, true).toLongArray(), "amin " + Arrays.toString(dims));
        }
    }

    @Provide
    Arbitrary<Integer> subsetSeed() {
        return Arbitraries.integers().between(0, 15);
    }

    /** The first position of the extremum along a dim, as int64. */
    @Property(tries = TRIES)
    void argExtremaMatchNaiveLoops(@ForAll("nonEmptyLongTensor") LongData x, @ForAll("integerDtypes") DType dtype,
                                   @ForAll("dimSeed") int dimSeed, @ForAll boolean max) {
        int rank = x.shape().length;
        int d = rank == 0 ? 0 : Math.floorMod(dimSeed, rank);
        Tensor t = x.tensor(dtype);
        Tensor actual = max ? t.argmax(d, false) : t.argmin(d, false);
        assertEquals(DType.INT64, actual.dtype());
        int[] outShape = rank == 0 ? new int[0] : IntStream.range(0, rank).filter(i -> i != d)
                .map(i -> x.shape()[i]).toArray();
        long[] expected = new long[numel(outShape)];
        for (int o = 0; o < expected.length; o++) {
            int[] outIndex = unflatten(o, outShape);
            int[] index = new int[rank];
            for (int i = 0, j = 0; i < rank; i++) index[i] = i == d ? 0 : outIndex[j++];
            int size = rank == 0 ? 1 : x.shape()[d];
            long best = 0;
            long bestValue = x.at(flatten(index, x.shape()), dtype);
            for (int k = 1; k < size; k++) {
                index[d] = k;
                long v = x.at(flatten(index, x.shape()), dtype);
                if (max ? v > bestValue : v < bestValue) {
                    best = k;
                    bestValue = v;
                }
            }
            expected[o] = best;
        }
        assertArrayEquals(expected, actual.toLongArray());
    }

    @Provide
    Arbitrary<LongData> nonEmptyLongTensor() {
        return TensorArbitraries.shapes(0, 4, 5, 64).filter(s -> numel(s) > 0).flatMap(IntegerProperties::longTensors);
    }

    @Provide
    Arbitrary<Integer> dimSeed() {
        return Arbitraries.integers().between(-8, 8);
    }

    /** Every integer dtype to every other and to the floats, element by element as Java converts. */
    @Property(tries = TRIES)
    void conversionsMatchJava(@ForAll("longTensor") LongData x, @ForAll("integerDtypes") DType from,
                              @ForAll("integerDtypes") DType to) {
        Tensor t = x.tensor(from);
        long[] expected = new long[x.values().length];
        double[] asDouble = new double[expected.length];
        float[] asFloat = new float[expected.length];
        for (int i = 0; i < expected.length; i++) {
            long v = x.at(i, from);
            expected[i] = narrow(v, to);
            asDouble[i] = v;
            asFloat[i] = v;
        }
        assertArrayEquals(expected, t.to(to).toLongArray(), from + " -> " + to);
        assertArrayEquals(asDouble, t.to(DType.FLOAT64).toDoubleArray(), from + " -> float64");
        assertArrayEquals(asFloat, t.to(DType.FLOAT32).toFloatArray(), from + " -> float32");
        assertArrayEquals(expected, t.to(DType.INT64).to(to).toLongArray(), "via int64");
    }

    /** where, maskedFill, maskedSelect and logicalNot with a bool mask, against loops. */
    @Property(tries = TRIES)
    void masksMatchNaiveLoops(@ForAll("longPair") List<LongData> p, @ForAll("integerDtypes") DType dtype) {
        LongData values = p.get(0);
        LongData mask = p.get(1);
        Tensor x = values.tensor(dtype);
        Tensor m = mask.tensor(DType.BOOL);
        int[] shape = broadcastShape(values.shape(), mask.shape());
        long[] where = new long[numel(shape)];
        long[] selected = new long[where.length];
        int count = 0;
        for (int i = 0; i < where.length; i++) {
            int[] index = unflatten(i, shape);
            long v = values.at(source(index, values.shape()), dtype);
            boolean on = mask.at(source(index, mask.shape()), DType.BOOL) != 0;
            where[i] = on ? v : narrow(7, dtype);
            if (on) selected[count++] = v;
        }
        assertArrayEquals(where, Tensor.where(m, x, Tensor.scalar(7L, dtype)).toLongArray());
        assertArrayEquals(Arrays.copyOf(selected, count), x.maskedSelect(m).toLongArray());
        if (Arrays.equals(shape, values.shape())) {
            assertArrayEquals(where, x.maskedFill(m.logicalNot(), 7L).toLongArray());
        }
    }

    /** gather and indexSelect with int64 and int32 indices read integer tensors exactly. */
    @Property(tries = TRIES)
    void indexSelectOfIntegersIsExact(@ForAll("nonEmptyLongTensor") LongData x, @ForAll("dimSeed") int dimSeed,
                                      @ForAll boolean int32) {
        int rank = x.shape().length;
        if (rank == 0) {
            return;
        }
        int d = Math.floorMod(dimSeed, rank);
        int size = x.shape()[d];
        int[] picks = {size - 1, 0, size / 2, size - 1};
        Tensor index = int32 ? Tensor.of(picks) : Tensor.of(Arrays.stream(picks).asLongStream().toArray());
        Tensor t = x.tensor(DType.INT64);
        Tensor out = t.indexSelect(d, index);
        for (int o = 0; o < out.numel(); o++) {
            int[] oi = unflatten(o, out.shape());
            int[] si = oi.clone();
            si[d] = picks[oi[d]];
            assertEquals(x.values()[flatten(si, x.shape())], out.getLong(oi));
        }
    }
}
