package org.grad4j.core;

/**
 * What {@link Tensor#unique(boolean, boolean, boolean)} returns, as the tuple of {@code torch.unique}.
 *
 * @param values the distinct values (or slices along the chosen dim)
 * @param inverse for each input element (or slice), the int64 position of its value in {@code values}; null unless
 *     asked for
 * @param counts how often each of {@code values} occurs (int64); null unless asked for
 */
public record Unique(Tensor values, Tensor inverse, Tensor counts) {
}
