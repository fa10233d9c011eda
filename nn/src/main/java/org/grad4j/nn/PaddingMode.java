package org.grad4j.nn;

/** How a convolution or {@link Functional#pad} fills the border, as PyTorch's {@code padding_mode} / {@code mode}. */
public enum PaddingMode {
    /** A constant (zero for convolutions): {@code 0 0 | a b c | 0 0}. */
    ZEROS,
    /** The mirror image without repeating the edge: {@code c b | a b c | b a}. */
    REFLECT,
    /** The edge value repeated: {@code a a | a b c | c c}. */
    REPLICATE,
    /** Wrapped around: {@code b c | a b c | a b}. */
    CIRCULAR
}
