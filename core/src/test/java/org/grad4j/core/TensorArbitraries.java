package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators shared by the property tests: small shapes, shapes that broadcast together, values inside each
 * op's smooth domain, tie-free values, dim subsets, tensors laid out contiguously or as strided views, and the
 * inputs of ops that more than one property class checks (reductions, matmul, views, joining, gather), each
 * parameterised by the sizes its caller can afford.
 *
 * <p>Sizes are kept small (at most {@value #MAX_SIZE} per dim and {@value #MAX_NUMEL} elements) because a full
 * finite-difference Jacobian costs two evaluations per input element and one backward per output element.
 */
final class TensorArbitraries {
    static final int MAX_RANK = 4;
    static final int MAX_SIZE = 7;
    static final int MAX_NUMEL = 64;

    private TensorArbitraries() {
    }

    /** How a generated tensor sits in memory; every layout holds the same logical values. */
    enum Layout {
        /** Row-major, offset 0. */
        CONTIGUOUS,
        /** A permuted view of a buffer laid out with the dims reversed (a transpose for matrices). */
        PERMUTED,
        /** Every other element of a larger buffer along the last dim, starting at offset 1. */
        STRIDED
    }

    /** A generated tensor: its shape, its values in row-major order, and the layout to build it with. */
    record TensorData(int[] shape, double[] values, Layout layout) {
        int rank() {
            return shape.length;
        }

        int numel() {
            return values.length;
        }

        /** A float64 leaf that does not require grad. */
        Tensor tensor() {
            return tensor(DType.FLOAT64);
        }

        /** A float64 leaf that requires grad, for GradCheck. */
        Tensor leaf() {
            return tensor().requiresGrad(true);
        }

        /** A leaf of the given dtype in this layout, filled element by element (no tensor op is trusted here). */
        Tensor tensor(DType dtype) {
            Tensor t = switch (layout) {
                case CONTIGUOUS -> Tensor.zeros(dtype, shape);
                case PERMUTED -> {
                    int[] reversedOrder = IntStream.range(0, rank()).map(i -> rank() - 1 - i).toArray();
                    int[] reversedShape = Arrays.stream(reversedOrder).map(i -> shape[i]).toArray();
                    yield Tensor.zeros(dtype, reversedShape).permute(reversedOrder);
                }
                case STRIDED -> {
                    if (rank() == 0) {
                        yield Tensor.zeros(dtype, shape);
                    }
                    int[] wide = shape.clone();
                    int last = shape[rank() - 1];
                    wide[rank() - 1] = 2 * last + 1;
                    yield Tensor.zeros(dtype, wide).slice(-1, 1, 2 * last + 1, 2);
                }
            };
            for (int i = 0; i < values.length; i++) {
                t.set(values[i], unflatten(i, shape));
            }
            return t;
        }

        /** The value at a multi-index, read from the generated array (the reference side of a comparison). */
        double at(int[] index) {
            return values[flatten(index, shape)];
        }

        /** The same values in another layout. */
        TensorData withLayout(Layout newLayout) {
            return new TensorData(shape, values, newLayout);
        }

        @Override
        public String toString() {
            return "TensorData" + Arrays.toString(shape) + " " + layout + " " + Arrays.toString(values);
        }
    }

    // ------------------------------------------------------------------------------------------------ values

    /** Anywhere the smooth ops are well conditioned. */
    static Arbitrary<Double> anyValues() {
        return Arbitraries.doubles().between(-2, 2).ofScale(4);
    }

    /** The domain of log, sqrt, rsqrt, reciprocal and non-integer powers, kept away from the pole at 0. */
    static Arbitrary<Double> positiveValues() {
        return Arbitraries.doubles().between(0.2, 3).ofScale(4);
    }

    /** {@code 0.1 <= |x| <= 2}: away from the kink of abs and relu and the pole of 1/x. */
    static Arbitrary<Double> nonZeroValues() {
        return nonZeroValues(0.1, 2);
    }

    /** {@code min <= |x| <= max}, either sign. */
    static Arbitrary<Double> nonZeroValues(double min, double max) {
        Arbitrary<Double> magnitude = Arbitraries.doubles().between(min, max).ofScale(4);
        return Combinators.combine(magnitude, Arbitraries.of(1.0, -1.0)).as((m, sign) -> m * sign);
    }

    /** Values in {@code [lo, hi]} at least 0.1 from every kink (clamp bounds, for instance). */
    static Arbitrary<Double> valuesAwayFrom(double lo, double hi, double... kinks) {
        return Arbitraries.doubles().between(lo, hi).ofScale(4)
                .filter(x -> Arrays.stream(kinks).allMatch(k -> Math.abs(x - k) >= 0.1));
    }

    /**
     * {@code n} values that differ pairwise by at least 0.15, in random order: no ties for amax/amin/maximum, and
     * a finite-difference step can never reorder them.
     */
    static Arbitrary<double[]> distinctValues(int n) {
        List<Integer> ranks = IntStream.range(0, n).boxed().toList();
        Arbitrary<List<Double>> jitter = Arbitraries.doubles().between(0, 0.05).ofScale(4).list().ofSize(n);
        return Combinators.combine(Arbitraries.shuffle(ranks), jitter).as((order, noise) -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = (order.get(i) - (n - 1) / 2.0) * 0.2 + noise.get(i);
            }
            return v;
        });
    }

    // ------------------------------------------------------------------------------------------------ shapes

    /** Shapes of rank in {@code [minRank, maxRank]}, sizes 1..7, at most {@value #MAX_NUMEL} elements. */
    static Arbitrary<int[]> shapes(int minRank, int maxRank) {
        return shapes(minRank, maxRank, MAX_SIZE, MAX_NUMEL);
    }

    /**
     * Shapes with sizes in {@code 1..maxSize} and at most {@code maxNumel} elements. A size that would break the
     * element budget is cut down to what remains of it, so nothing is filtered away.
     */
    static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxSize, int maxNumel) {
        return Arbitraries.integers().between(minRank, maxRank).flatMap(rank ->
                Arbitraries.integers().between(1, maxSize).list().ofSize(rank).map(sizes -> {
                    int[] shape = new int[rank];
                    int budget = maxNumel;
                    for (int d = 0; d < rank; d++) {
                        shape[d] = Math.max(1, Math.min(sizes.get(d), budget));
                        budget /= shape[d];
                    }
                    return shape;
                }));
    }

    /** Shapes in which each dim may have been set to 1, for squeeze and expand. */
    static Arbitrary<int[]> shapesWithOnes(int minRank, int maxRank, int maxSize, int maxNumel) {
        return Combinators.combine(shapes(minRank, maxRank, maxSize, maxNumel),
                Arbitraries.integers().between(0, (1 << maxRank) - 1)).as((shape, onesMask) -> {
                    int[] out = shape.clone();
                    for (int d = 0; d < out.length; d++) {
                        if ((onesMask >> d & 1) != 0) out[d] = 1;
                    }
                    return out;
                });
    }

    /**
     * Targets for reshape: a random factorisation of {@code numel} into 0..4 dims (0 only for one element), with
     * one entry sometimes written as -1.
     */
    static Arbitrary<int[]> reshapeTargets(int numel) {
        Arbitrary<List<Integer>> choices = Arbitraries.integers().between(0, 60).list().ofSize(MAX_RANK + 2);
        return choices.map(c -> {
            int rank = c.get(0) % (MAX_RANK + 1);
            if (rank == 0 && numel != 1) {
                rank = 1;
            }
            int[] shape = new int[rank];
            int remaining = numel;
            for (int d = 0; d < rank - 1; d++) {
                List<Integer> divisors = new ArrayList<>();
                for (int v = 1; v <= remaining; v++) {
                    if (remaining % v == 0) divisors.add(v);
                }
                shape[d] = divisors.get(c.get(d + 1) % divisors.size());
                remaining /= shape[d];
            }
            if (rank > 0) {
                shape[rank - 1] = remaining;
                int inferred = c.get(MAX_RANK + 1) % (rank + 1);
                if (inferred < rank) {
                    shape[inferred] = -1;
                }
            }
            return shape;
        });
    }

    /**
     * {@code count} shapes that broadcast together: each is a full shape with some leading dims dropped and some
     * dims set to 1.
     */
    static Arbitrary<int[][]> broadcastShapes(int count) {
        return broadcastShapes(count, MAX_RANK, MAX_SIZE, MAX_NUMEL);
    }

    /** {@link #broadcastShapes(int)} drawn from full shapes with the given limits. */
    static Arbitrary<int[][]> broadcastShapes(int count, int maxRank, int maxSize, int maxNumel) {
        return shapes(0, maxRank, maxSize, maxNumel).flatMap(full -> {
            Arbitrary<int[]> operand = Combinators.combine(
                    Arbitraries.integers().between(0, full.length),
                    Arbitraries.integers().between(0, (1 << full.length) - 1))
                    .as((dropped, onesMask) -> {
                        int[] shape = Arrays.copyOfRange(full, dropped, full.length);
                        for (int d = 0; d < shape.length; d++) {
                            if ((onesMask >> d & 1) != 0) shape[d] = 1;
                        }
                        return shape;
                    });
            return operand.list().ofSize(count).map(list -> list.toArray(new int[0][]));
        });
    }

    /** Batch dims for the two operands of a batched matmul: they broadcast, and at least one is non-empty. */
    static Arbitrary<int[][]> batchShapes(int maxRank, int maxSize, int maxNumel) {
        return broadcastShapes(2, maxRank, maxSize, maxNumel).filter(s -> s[0].length + s[1].length > 0);
    }

    /**
     * A dim subset for a reduction: distinct dims in random order, each possibly written negatively. Empty means
     * "all dims" to the API and is generated too. For rank 0 the only dims are 0 and -1 (as in PyTorch).
     */
    static Arbitrary<int[]> dimSubsets(int rank) {
        if (rank == 0) {
            return Arbitraries.of(new int[0], new int[] {0}, new int[] {-1});
        }
        int all = (1 << rank) - 1;
        Arbitrary<int[]> any = Combinators.combine(
                Arbitraries.integers().between(0, all),
                Arbitraries.integers().between(0, all),
                Arbitraries.of(false, true))
                .as((members, negatives, reversed) -> {
                    List<Integer> dims = new ArrayList<>();
                    for (int d = 0; d < rank; d++) {
                        if ((members >> d & 1) != 0) {
                            dims.add((negatives >> d & 1) != 0 ? d - rank : d);
                        }
                    }
                    if (reversed) {
                        Collections.reverse(dims);
                    }
                    return dims.stream().mapToInt(Integer::intValue).toArray();
                });
        // Leading dims of a contiguous tensor take the reductions' row-streaming path, so they come up often.
        Arbitrary<int[]> leading = Arbitraries.integers().between(1, rank).map(k -> IntStream.range(0, k).toArray());
        return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(1, leading));
    }

    /** One dim of a tensor of the given rank, in {@code [-rank, rank)} (rank 0 accepts 0 and -1). */
    static Arbitrary<Integer> dims(int rank) {
        int r = Math.max(rank, 1);
        return Arbitraries.integers().between(-r, r - 1);
    }

    // ------------------------------------------------------------------------------------------------ tensors

    static Arbitrary<Layout> layouts() {
        return Arbitraries.of(Layout.class);
    }

    static Arbitrary<TensorData> tensors(Arbitrary<int[]> shapes, Arbitrary<Double> values) {
        return shapes.flatMap(shape -> tensors(shape, values));
    }

    static Arbitrary<TensorData> tensors(int[] shape, Arbitrary<Double> values) {
        int n = numel(shape);
        return Combinators.combine(values.list().ofSize(n), layouts()).as((list, layout) ->
                new TensorData(shape.clone(), list.stream().mapToDouble(Double::doubleValue).toArray(), layout));
    }

    /** Tensors whose values are pairwise distinct by at least 0.15 (see {@link #distinctValues}). */
    static Arbitrary<TensorData> distinctTensors(Arbitrary<int[]> shapes) {
        return shapes.flatMap(shape -> Combinators.combine(distinctValues(numel(shape)), layouts())
                .as((values, layout) -> new TensorData(shape.clone(), values, layout)));
    }

    /** Tensors with the given shapes, each with values from its own domain (one domain per shape). */
    static Arbitrary<List<TensorData>> tensors(int[][] shapes, List<Arbitrary<Double>> domains) {
        List<Arbitrary<TensorData>> each = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            each.add(tensors(shapes[i], domains.get(i)));
        }
        return Combinators.combine(each).as(list -> list);
    }

    /** Tensors with the given shapes whose values, all together, are pairwise distinct (no ties between them). */
    static Arbitrary<List<TensorData>> distinctTensors(int[][] shapes) {
        int total = Arrays.stream(shapes).mapToInt(TensorArbitraries::numel).sum();
        Arbitrary<List<Layout>> layouts = layouts().list().ofSize(shapes.length);
        return Combinators.combine(distinctValues(total), layouts).as((pool, layoutList) -> {
            List<TensorData> out = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < shapes.length; i++) {
                int n = numel(shapes[i]);
                out.add(new TensorData(shapes[i].clone(), Arrays.copyOfRange(pool, at, at + n), layoutList.get(i)));
                at += n;
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------ op cases
    // Inputs for one op, shared by the property classes; each class picks the sizes it can afford.

    /** A reduction over a dim subset ({@link #dimSubsets}), the kept dims kept or dropped. */
    record ReductionCase(TensorData x, int[] dims, boolean keepDim) {
        /** How many elements each output element reduces over. */
        int count() {
            int[] shape = x.shape();
            if (dims.length == 0 || shape.length == 0) {
                return x.numel();
            }
            int n = 1;
            for (int d : dims) n *= shape[d < 0 ? d + shape.length : d];
            return n;
        }

        @Override
        public String toString() {
            return x + " dims " + Arrays.toString(dims) + " keepDim " + keepDim;
        }
    }

    static Arbitrary<ReductionCase> reductions(Arbitrary<TensorData> tensors) {
        return tensors.flatMap(x -> Combinators.combine(dimSubsets(x.rank()), Arbitraries.of(false, true))
                .as((dims, keepDim) -> new ReductionCase(x, dims, keepDim)));
    }

    /** An op along one dim, the dim kept or dropped. */
    record DimCase(TensorData x, int dim, boolean keepDim) {
    }

    static Arbitrary<DimCase> dimCases(Arbitrary<TensorData> tensors) {
        return tensors.flatMap(x -> Combinators.combine(dims(x.rank()), Arbitraries.of(false, true))
                .as((dim, keepDim) -> new DimCase(x, dim, keepDim)));
    }

    record MatMulCase(TensorData a, TensorData b) {
    }

    /** Two operands of the given shapes, values anywhere. */
    static Arbitrary<MatMulCase> matmulOf(int[] aShape, int[] bShape) {
        return tensors(new int[][] {aShape, bShape}, List.of(anyValues(), anyValues()))
                .map(t -> new MatMulCase(t.get(0), t.get(1)));
    }

    /** Turns batch dims (that broadcast together), the sizes m, k and n, and a form number into operand shapes. */
    @FunctionalInterface
    interface MatMulForm {
        int[][] shapes(int[][] batch, int m, int k, int n, int form);
    }

    /**
     * Operands for matmul: batch dims from {@link #batchShapes} with the given limits, m, k and n in
     * {@code 1..maxSize}, and a form in {@code 0..maxForm} that {@code forms} turns into the two operand shapes.
     */
    static Arbitrary<MatMulCase> matmulCases(int maxBatchRank, int maxBatchSize, int maxBatches, int maxSize,
                                             int maxForm, MatMulForm forms) {
        Arbitrary<Integer> size = Arbitraries.integers().between(1, maxSize);
        return Combinators.combine(batchShapes(maxBatchRank, maxBatchSize, maxBatches), size, size, size,
                        Arbitraries.integers().between(0, maxForm))
                .as(forms::shapes)
                .flatMap(s -> matmulOf(s[0], s[1]));
    }

    /** The batch dims followed by two more. */
    static int[] append(int[] batch, int rows, int cols) {
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = rows;
        shape[batch.length + 1] = cols;
        return shape;
    }

    record PermuteCase(TensorData x, int[] order) {
        @Override
        public String toString() {
            return x + " order " + Arrays.toString(order);
        }
    }

    /** Each tensor with a random order of its dims. */
    static Arbitrary<PermuteCase> permuteCases(Arbitrary<TensorData> tensors) {
        return tensors.flatMap(x -> {
            List<Integer> identity = new ArrayList<>();
            for (int d = 0; d < x.rank(); d++) identity.add(d);
            return Arbitraries.shuffle(identity).map(order ->
                    new PermuteCase(x, order.stream().mapToInt(Integer::intValue).toArray()));
        });
    }

    /** A tensor and a target shape for reshape or expand, possibly with -1 entries. */
    record TargetCase(TensorData x, int[] target) {
        @Override
        public String toString() {
            return x + " -> " + Arrays.toString(target);
        }
    }

    /** Each tensor with a target from {@link #reshapeTargets}. */
    static Arbitrary<TargetCase> reshapeCases(Arbitrary<TensorData> tensors) {
        return tensors.flatMap(x -> reshapeTargets(x.numel()).map(t -> new TargetCase(x, t)));
    }

    /**
     * Sources from {@link #shapesWithOnes} with the given limits and expand targets for them: size-1 dims grow to
     * {@code 1..maxGrown}, others stay (written as their size or -1), 0..2 new leading dims of {@code 1..maxGrown}.
     */
    static Arbitrary<TargetCase> expandCases(int maxRank, int maxSize, int maxNumel, int maxGrown) {
        int maxLead = 2;
        Arbitrary<TensorData> source = tensors(shapesWithOnes(0, maxRank, maxSize, maxNumel), anyValues());
        Arbitrary<List<Integer>> sizes = Arbitraries.integers().between(1, maxGrown).list().ofSize(maxLead + maxRank);
        return source.flatMap(x -> Combinators.combine(Arbitraries.integers().between(0, maxLead), sizes,
                Arbitraries.integers().between(0, (1 << maxRank) - 1)).as((lead, grown, minusOnes) -> {
                    int[] shape = x.shape();
                    int[] target = new int[lead + shape.length];
                    for (int i = 0; i < lead; i++) target[i] = grown.get(i);
                    for (int d = 0; d < shape.length; d++) {
                        int size = shape[d] == 1 ? grown.get(lead + d) : shape[d];
                        target[lead + d] = (minusOnes >> d & 1) != 0 && size == shape[d] ? -1 : size;
                    }
                    return new TargetCase(x, target);
                }));
    }

    /** Tensors to concatenate or stack along dim. */
    record JoinCase(List<TensorData> parts, int dim) {
    }

    /**
     * 1..{@code maxParts} tensors of one of the given shapes, except along dim, where each has a size in
     * {@code minPartSize..maxPartSize}.
     */
    static Arbitrary<JoinCase> concatCases(Arbitrary<int[]> shapes, int minPartSize, int maxPartSize,
                                           int maxParts) {
        return shapes.flatMap(shape -> dims(shape.length).flatMap(dim -> {
            int d = dim < 0 ? dim + shape.length : dim;
            return Arbitraries.integers().between(minPartSize, maxPartSize).list().ofMinSize(1).ofMaxSize(maxParts)
                    .flatMap(sizes -> {
                        int[][] partShapes = new int[sizes.size()][];
                        for (int i = 0; i < partShapes.length; i++) {
                            partShapes[i] = shape.clone();
                            partShapes[i][d] = sizes.get(i);
                        }
                        return anyTensors(partShapes).map(parts -> new JoinCase(parts, dim));
                    });
        }));
    }

    /** 1..{@code maxParts} tensors of one of the given shapes, and a dim for stack (in {@code [-rank-1, rank]}). */
    static Arbitrary<JoinCase> stackCases(Arbitrary<int[]> shapes, int maxParts) {
        return shapes.flatMap(shape -> Arbitraries.integers().between(1, maxParts).flatMap(count -> {
            int[][] partShapes = new int[count][];
            Arrays.fill(partShapes, shape);
            return Combinators.combine(Arbitraries.integers().between(-shape.length - 1, shape.length),
                    anyTensors(partShapes)).as((dim, parts) -> new JoinCase(parts, dim));
        }));
    }

    /** Tensors of the given shapes, values anywhere. */
    private static Arbitrary<List<TensorData>> anyTensors(int[][] shapes) {
        return tensors(shapes, Collections.nCopies(shapes.length, anyValues()));
    }

    record GatherCase(TensorData x, int dim, int[] indexShape, double[] index) {
        /** The int64 index tensor of exactly {@code indexShape} (possibly 0-d). */
        Tensor indexTensor() {
            return Tensor.ofShape(Arrays.stream(index).mapToLong(v -> (long) v).toArray(), indexShape);
        }

        @Override
        public String toString() {
            return x + " dim " + dim + " index " + Arrays.toString(indexShape) + " " + Arrays.toString(index);
        }
    }

    /**
     * Index sizes up to the input's outside dim, up to {@code maxAlongDim} along dim; repeated indices are common.
     * A 0-d input takes a 0-d index.
     */
    static Arbitrary<GatherCase> gatherCases(Arbitrary<TensorData> tensors, int maxAlongDim) {
        return tensors.flatMap(x -> dims(x.rank()).flatMap(dim -> {
            int rank = x.rank();
            int d = rank == 0 ? 0 : (dim < 0 ? dim + rank : dim);
            int[] shape = x.shape();
            List<Arbitrary<Integer>> sizes = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                sizes.add(Arbitraries.integers().between(1, i == d ? maxAlongDim : shape[i]));
            }
            int range = rank == 0 ? 1 : shape[d];
            return Combinators.combine(sizes).as(list -> list.stream().mapToInt(Integer::intValue).toArray())
                    .flatMap(indexShape -> Arbitraries.integers().between(0, range - 1)
                            .list().ofSize(numel(indexShape))
                            .map(values -> new GatherCase(x, dim, indexShape,
                                    values.stream().mapToDouble(Integer::doubleValue).toArray())));
        }));
    }

    // ------------------------------------------------------------------------------------------------ index math

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** The row-major multi-index of a flat position. */
    static int[] unflatten(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    /** The row-major flat position of a multi-index. */
    static int flatten(int[] index, int[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }
}
