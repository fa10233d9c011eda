package org.grad4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Sums, averages or element-wise maxima of embedding vectors per bag, as {@code nn.EmbeddingBag} (modes sum, mean and
 * max): parameter {@code weight [numEmbeddings, embeddingDim]}, {@code N(0, 1)}. Bags are the rows of a 2-d index
 * tensor, or segments of a 1-d one starting at {@code offsets}; an empty bag gives zeros. Optional per-sample weights
 * (sum mode). In max mode each output element's gradient goes to the row that holds the maximum, on exact ties to
 * the first of them in the bag, as PyTorch.
 */
public class EmbeddingBag extends Module {
    /** How a bag's vectors are combined. */
    public enum Mode { SUM, MEAN, MAX }

    private final Mode mode;
    private final Tensor weight;

    /** Mean bags (PyTorch's default), float32. */
    public EmbeddingBag(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Mode.MEAN, DType.FLOAT32, null);
    }

    /** Every option; a null generator means {@link Init#generator()}. */
    public EmbeddingBag(int numEmbeddings, int embeddingDim, Mode mode, DType dtype, RandomGenerator rng) {
        Args.notNull(mode, "EmbeddingBag", "mode");
        Args.notNull(dtype, "EmbeddingBag", "dtype");
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("EmbeddingBag: numEmbeddings and embeddingDim must be positive");
        }
        this.mode = mode;
        this.weight = Tensor.randn(rng == null ? Init.generator() : rng, dtype, numEmbeddings, embeddingDim)
                .requiresGrad(true);
    }

    /** Bags as the rows of a 2-d index tensor {@code [B, L]} -> {@code [B, dim]}. */
    @Override
    public Tensor forward(Tensor input) {
        Args.notNull(input, "EmbeddingBag.forward", "input");
        if (input.dim() != 2) {
            throw new IllegalArgumentException(name() + ": forward(input) takes 2-d bags [B, L]; for a 1-d input"
                    + " pass offsets: forward(input, offsets, null), got shape " + Arrays.toString(input.shape()));
        }
        Tensor rows = Embedding.embedding(input, weight, -1, Double.NaN);
        return reduce(rows, 1);
    }

    /**
     * Bags of a 1-d int64 (or int32) index tensor starting at {@code offsets} (1-d int64 or int32, increasing, first
     * 0), optionally weighted per index ({@code perSampleWeights}, same shape as {@code input}, sum mode only) ->
     * {@code [bags, dim]}.
     */
    public Tensor forward(Tensor input, Tensor offsets, Tensor perSampleWeights) {
        Args.notNull(input, "EmbeddingBag.forward", "input");
        Args.notNull(offsets, "EmbeddingBag.forward", "offsets");
        if (input.dim() != 1 || offsets.dim() != 1) {
            throw new IllegalArgumentException(name() + ": expects a 1-d input and 1-d offsets, got "
                    + Arrays.toString(input.shape()) + " and " + Arrays.toString(offsets.shape()));
        }
        if (perSampleWeights != null && (mode != Mode.SUM
                || !Arrays.equals(perSampleWeights.shape(), input.shape()))) {
            throw new IllegalArgumentException(name() + ": perSampleWeights need mode SUM and the input's shape "
                    + Arrays.toString(input.shape()));
        }
        int n = input.size(0);
        int[] starts = Embedding.indices(offsets, n + 1, "EmbeddingBag offsets");
        Tensor rows = Embedding.embedding(input, weight, -1, Double.NaN);
        if (perSampleWeights != null) {
            rows = rows.mul(perSampleWeights.unsqueeze(1));
        }
        List<Tensor> bags = new ArrayList<>();
        for (int b = 0; b < starts.length; b++) {
            int start = starts[b];
            int end = b + 1 < starts.length ? starts[b + 1] : n;
            if (end < start) {
                throw new IllegalArgumentException(name() + ": offsets must not decrease, got "
                        + Arrays.toString(starts));
            }
            if (end == start) {
                bags.add(Tensor.zeros(weight.dtype(), weight.size(1)));
            } else {
                Tensor bag = rows.narrow(0, start, end - start);
                bags.add(reduce(bag, 0));
            }
        }
        return Tensor.stack(bags, 0);
    }

    private Tensor reduce(Tensor rows, int dim) {
        return switch (mode) {
            case SUM -> rows.sum(dim);
            case MEAN -> rows.mean(dim);
            case MAX -> rows.max(dim).values();
        };
    }

    /** The table. */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return weight.size(0) + ", " + weight.size(1) + ", mode=" + mode;
    }
}
