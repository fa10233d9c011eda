package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.anyValues;
import static org.grad4j.core.TensorArbitraries.dims;
import static org.grad4j.core.TensorArbitraries.distinctTensors;
import static org.grad4j.core.TensorArbitraries.nonZeroValues;
import static org.grad4j.core.TensorArbitraries.numel;
import static org.grad4j.core.TensorArbitraries.shapes;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * First and second derivatives of the indexing and shape ops against float64 finite differences
 * ({@link GradCheck#check}, {@link GradCheck#checkSecondOrder}). The linear ops are followed by a non-linear one in
 * the second-order checks (their own second derivative is zero and would prove little), so those check that the
 * rules' own rules (diagonal / diagonalBackward, unfold / unfoldBackward, indexSelect / indexAdd...) are right.
 * scatterReduce's amax and amin use tie-free values (ties are checked against PyTorch in
 * {@code ShapeOpsTorchReferenceTest}), prod non-zero ones.
 */
class ShapeOpsGradientProperties {
    private static final int TRIES = 30;

    private static void assertFirst(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, inputs);
        assertTrue(r.passed(), r::report);
    }

    private static void assertSecond(long seed, GradCheck.Fn f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.checkSecondOrder(f, seed, inputs);
        assertTrue(r.passed(), r::report);
    }

    /** Both orders; the second order of {@code f(x)^2 / 2 + f(x)}, non-linear so its second derivative is not 0. */
    private static void assertBothOrders(long seed, GradCheck.Fn f, Tensor... inputs) {
        assertFirst(f, inputs);
        assertSecond(seed, in -> {
            Tensor y = f.apply(in);
            return y.mul(y).mul(0.5).add(y);
        }, inputs);
    }

    @Provide
    Arbitrary<TensorData> small() {
        return tensors(shapes(1, 3, 4, 16), anyValues());
    }

    @Provide
    Arbitrary<TensorData> matrices() {
        return tensors(shapes(2, 3, 4, 16), anyValues());
    }

    @Provide
    Arbitrary<TensorData> distinct() {
        return distinctTensors(shapes(1, 3, 4, 12));
    }

    @Provide
    Arbitrary<TensorData> nonZero() {
        return tensors(shapes(1, 3, 4, 12), nonZeroValues(0.3, 1.5));
    }

    @Property(tries = TRIES)
    void flipRollRepeatTile(@ForAll("small") TensorData x, @ForAll long seed,
            @ForAll @IntRange(min = -5, max = 5) int shift) {
        int d = dims(x.rank()).sample();
        assertBothOrders(seed, in -> in[0].flip(d), x.leaf());
        assertBothOrders(seed, in -> in[0].roll(new int[] {shift}, d), x.leaf());
        assertBothOrders(seed, in -> in[0].roll(shift), x.leaf());
        int[] reps = new int[x.rank() + 1];
        java.util.Arrays.fill(reps, 1);
        reps[0] = 2;
        reps[1 + Math.floorMod(d, x.rank())] = 2;
        assertBothOrders(seed, in -> in[0].repeat(reps), x.leaf());
        assertBothOrders(seed, in -> in[0].tile(2), x.leaf());
    }

    @Property(tries = TRIES)
    void repeatInterleave(@ForAll("small") TensorData x, @ForAll long seed) {
        int d = dims(x.rank()).sample();
        int size = x.shape()[Math.floorMod(d, x.rank())];
        long[] counts = new long[size];
        Random rng = new Random(seed);
        for (int i = 0; i < size; i++) counts[i] = rng.nextInt(3);
        assertBothOrders(seed, in -> in[0].repeatInterleave(2, d), x.leaf());
        assertBothOrders(seed, in -> in[0].repeatInterleave(Tensor.of(counts), d), x.leaf());
        assertBothOrders(seed, in -> in[0].repeatInterleave(2), x.leaf());
    }

    @Property(tries = TRIES)
    void trianglesDiagonalsAndTrace(@ForAll("matrices") TensorData x, @ForAll long seed,
            @ForAll @IntRange(min = -3, max = 3) int k) {
        assertBothOrders(seed, in -> in[0].tril(k), x.leaf());
        assertBothOrders(seed, in -> in[0].triu(k), x.leaf());
        assertBothOrders(seed, in -> in[0].diagonal(k, -1, 0), x.leaf());
        assertBothOrders(seed, in -> in[0].diagonal(k, 1, 0).exp(), x.leaf());
        if (x.rank() == 2) {
            assertBothOrders(seed, in -> in[0].diag(k), x.leaf());
            assertBothOrders(seed, in -> in[0].trace(), x.leaf());
            assertBothOrders(seed, in -> in[0].flatten().diag(k), x.leaf());
        }
    }

    @Property(tries = TRIES)
    void unfoldMovedimChunkUnbind(@ForAll("small") TensorData x, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3) int step) {
        int d = dims(x.rank()).sample();
        int size = Math.min(2, x.shape()[Math.floorMod(d, x.rank())]);
        assertBothOrders(seed, in -> in[0].unfold(d, size, step), x.leaf());
        assertBothOrders(seed, in -> in[0].movedim(d, 0), x.leaf());
        assertBothOrders(seed, in -> {
            List<Tensor> pieces = in[0].chunk(2, d);
            return pieces.get(pieces.size() - 1).exp().sum().add(pieces.get(0).sum());
        }, x.leaf());
        assertBothOrders(seed, in -> {
            List<Tensor> slices = in[0].unbind(d);
            return slices.get(0).mul(slices.get(slices.size() - 1));
        }, x.leaf());
    }

    @Property(tries = TRIES)
    void padInEveryMode(@ForAll("small") TensorData x, @ForAll long seed) {
        int last = x.shape()[x.rank() - 1];
        assertBothOrders(seed, in -> in[0].pad(new int[] {2, 1}, "constant", 0.5), x.leaf());
        assertBothOrders(seed, in -> in[0].pad(new int[] {-Math.min(1, last - 1), 2}, "constant", 0), x.leaf());
        assertBothOrders(seed, in -> in[0].pad(new int[] {last - 1, Math.min(1, last - 1)}, "reflect", 0), x.leaf());
        assertBothOrders(seed, in -> in[0].pad(new int[] {2, 3}, "replicate", 0), x.leaf());
        assertBothOrders(seed, in -> in[0].pad(new int[] {last, 1}, "circular", 0), x.leaf());
    }

    @Property(tries = TRIES)
    void indexCopyAndTakeAlongDim(@ForAll("small") TensorData x, @ForAll long seed) {
        Random rng = new Random(seed);
        int d = Math.floorMod(dims(x.rank()).sample(), x.rank());
        int size = x.shape()[d];
        long[] index = new long[rng.nextInt(size + 2) + 1];   // repeats too: the last slice wins, the others get 0
        for (int i = 0; i < index.length; i++) index[i] = rng.nextInt(size);
        int[] sourceShape = x.shape().clone();
        sourceShape[d] = index.length;
        Tensor source = Tensor.randn(seed, sourceShape).to(DType.FLOAT64).requiresGrad(true);
        assertBothOrders(seed, in -> in[0].indexCopy(d, Tensor.of(index), in[1]), x.leaf(), source);
        int[] takeShape = x.shape().clone();
        takeShape[d] = 3;
        long[] take = new long[numel(takeShape)];
        for (int i = 0; i < take.length; i++) take[i] = rng.nextInt(size);
        assertBothOrders(seed, in -> in[0].takeAlongDim(Tensor.ofShape(take, takeShape), d), x.leaf());
        assertBothOrders(seed, in -> in[0].takeAlongDim(Tensor.of(new long[] {0, x.numel() - 1, 0})), x.leaf());
        int[] wideShape = new int[x.rank() + 1];   // x broadcast along a new leading dim of the indices
        wideShape[0] = 2;
        System.arraycopy(takeShape, 0, wideShape, 1, x.rank());
        long[] wide = new long[numel(wideShape)];
        for (int i = 0; i < wide.length; i++) wide[i] = rng.nextInt(size);
        assertBothOrders(seed, in -> in[0].unsqueeze(0).takeAlongDim(Tensor.ofShape(wide, wideShape), d + 1),
                x.leaf());
    }

    private static void scatterReduceCase(TensorData x, long seed, String reduce, boolean includeSelf) {
        Random rng = new Random(seed);
        int rank = x.rank();
        int d = Math.floorMod(dims(rank).sample(), rank);
        int[] indexShape = new int[rank];
        for (int i = 0; i < rank; i++) indexShape[i] = i == d ? 1 + rng.nextInt(3) : 1 + rng.nextInt(x.shape()[i]);
        long[] idx = new long[numel(indexShape)];
        for (int i = 0; i < idx.length; i++) idx[i] = rng.nextInt(x.shape()[d]);
        Tensor index = Tensor.ofShape(idx, indexShape);
        double[] src = new double[idx.length];
        for (int i = 0; i < src.length; i++) {   // |src| >= 1.5 > |x|, magnitudes 0.13 apart: no ties, no zeros
            src[i] = (rng.nextBoolean() ? 1 : -1) * (1.5 + 0.13 * i);
        }
        Tensor srcTensor = Tensor.ofShape(src, indexShape).requiresGrad(true);
        assertBothOrders(seed, in -> in[0].scatterReduce(d - rank, index, in[1], reduce, includeSelf), x.leaf(),
                srcTensor);
    }

    @Property(tries = TRIES)
    void scatterReduceSumAndMean(@ForAll("small") TensorData x, @ForAll long seed, @ForAll boolean includeSelf) {
        scatterReduceCase(x, seed, "sum", includeSelf);
        scatterReduceCase(x, seed, "mean", includeSelf);
    }

    @Property(tries = TRIES)
    void scatterReduceAmaxAmin(@ForAll("distinct") TensorData x, @ForAll long seed, @ForAll boolean includeSelf) {
        scatterReduceCase(x, seed, "amax", includeSelf);
        scatterReduceCase(x, seed, "amin", includeSelf);
    }

    @Property(tries = TRIES)
    void scatterReduceProd(@ForAll("nonZero") TensorData x, @ForAll long seed, @ForAll boolean includeSelf) {
        scatterReduceCase(x, seed, "prod", includeSelf);
    }
}
