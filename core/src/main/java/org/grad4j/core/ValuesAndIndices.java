package org.grad4j.core;

/**
 * The two results of an op that selects elements along a dim, as PyTorch's {@code (values, indices)} named tuples
 * ({@code torch.max(x, dim)}, {@code sort}, {@code topk}, {@code kthvalue}, {@code median(x, dim)}, {@code mode}).
 * The gradient of {@code values} flows to the selected elements only, through the indices.
 *
 * @param values  the selected elements, in the input's dtype
 * @param indices their positions along the dim, int64, the same shape as {@code values}
 */
public record ValuesAndIndices(Tensor values, Tensor indices) {
}
