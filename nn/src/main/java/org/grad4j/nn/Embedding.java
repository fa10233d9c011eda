package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.DTypeMismatchException;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, as {@code nn.Embedding}: parameter
 * {@code weight [numEmbeddings, embeddingDim]} initialised {@code N(0, 1)} (the {@code paddingIdx} row zeroed).
 * {@code forward(indices)} maps an int64 (or int32) index tensor of any shape to {@code [..., dim]}; the
 * gradient is added to the looked-up rows (never to the padding row). With {@code maxNorm}, looked-up rows whose
 * norm exceeds it are rescaled in place first, as PyTorch.
 * <pre>{@code
 * Embedding emb = new Embedding(1000, 64);
 * Tensor vectors = emb.forward(tokens);            // tokens [N, L] -> [N, L, 64]
 * }</pre>
 * Functional form: {@link #embedding}.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;
    private final double maxNorm;
    private final Tensor weight;

    /** No padding index, no max norm, float32. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, -1, Double.NaN, DType.FLOAT32, null);
    }

    /**
     * Every option: {@code paddingIdx < 0} for none (negative values other than -1 count from the end, as PyTorch,
     * pass {@code numEmbeddings + i} to be explicit), {@code maxNorm} NaN for none, a null generator for
     * {@link Init#generator()}.
     */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx, double maxNorm, DType dtype,
            RandomGenerator rng) {
        Args.notNull(dtype, "Embedding", "dtype");
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be positive, got "
                    + numEmbeddings + " and " + embeddingDim);
        }
        if (paddingIdx >= numEmbeddings) {
            throw new IllegalArgumentException("Embedding: paddingIdx " + paddingIdx + " must be < numEmbeddings "
                    + numEmbeddings);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        this.maxNorm = maxNorm;
        Tensor w = Tensor.randn(rng == null ? Init.generator() : rng, dtype, numEmbeddings, embeddingDim);
        if (paddingIdx >= 0) {
            w.select(0, paddingIdx).zero();
        }
        this.weight = w.requiresGrad(true);
    }

    @Override
    public Tensor forward(Tensor indices) {
        Args.notNull(indices, "Embedding.forward", "indices");
        return embedding(indices, weight, paddingIdx, maxNorm);
    }

    /**
     * The functional form, as {@code F.embedding}: rows of {@code weight} at {@code indices}; {@code paddingIdx < 0}
     * and {@code maxNorm} NaN for none.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx, double maxNorm) {
        Args.notNull(indices, "Embedding.embedding", "indices");
        Args.notNull(weight, "Embedding.embedding", "weight");
        int[] idx = indices(indices, weight.size(0), "embedding");
        if (!Double.isNaN(maxNorm)) {
            renorm(weight, idx, maxNorm);
        }
        int[] shape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        shape[indices.dim()] = weight.size(1);
        Tensor rows = weight.indexSelect(0, idx);
        if (paddingIdx >= 0) {
            long[] at = new long[idx.length];
            boolean any = false;
            for (int i = 0; i < idx.length; i++) {
                at[i] = idx[i];
                any |= idx[i] == paddingIdx;
            }
            if (any) {
                Tensor isPadding = Tensor.of(at, idx.length, 1).eq(paddingIdx);
                rows = Tensor.where(isPadding, rows.detach(), rows);
            }
        }
        return rows.reshape(shape);
    }

    /** The values of an int64 or int32 index tensor, each checked to lie in {@code [0, size)}. */
    static int[] indices(Tensor indices, int size, String op) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new DTypeMismatchException(op + ": indices must be int64 or int32, as PyTorch's, got "
                    + indices.dtype() + " of shape " + Arrays.toString(indices.shape())
                    + "; convert them with .to(DType.INT64)");
        }
        long[] v = indices.toLongArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= size) {
                throw new IllegalArgumentException(op + ": index " + v[i] + " at flat position " + i + " is not in"
                        + " [0, " + size + ")");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** Rescales, in place and without recording, the referenced rows whose 2-norm exceeds {@code maxNorm}. */
    private static void renorm(Tensor weight, int[] idx, double maxNorm) {
        try (Grad.Scope off = Grad.disabled()) {
            for (int i : Arrays.stream(idx).distinct().toArray()) {
                Tensor row = weight.select(0, i);
                double norm = Math.sqrt(row.square().sum().item());
                if (norm > maxNorm) {
                    row.mulInPlace(maxNorm / (norm + 1e-7));
                }
            }
        }
    }

    /** The table, {@code [numEmbeddings, embeddingDim]}. */
    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", paddingIdx=" + paddingIdx : "")
                + (Double.isNaN(maxNorm) ? "" : ", maxNorm=" + maxNorm);
    }
}
