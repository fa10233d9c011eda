package org.grad4j.core.kernel;

/**
 * Element-wise functions of two arguments. In {@code binary}, comparisons return 1 or 0 in the operands' dtype; the
 * tensor ops use {@code compare}, which writes bool bytes. MAX and MIN propagate NaN, as {@code torch.maximum} does.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD,
    /** {@code a - b}. */
    SUB,
    /** {@code a * b}. */
    MUL,
    /** {@code a / b}. */
    DIV,
    /** {@code a^b} (StrictMath's; {@code b = 2} as {@code a * a}). */
    POW,
    /** The larger of a and b; NaN if either is NaN. */
    MAX,
    /** The smaller of a and b; NaN if either is NaN. */
    MIN,
    /** {@code a > b}. */
    GT,
    /** {@code a >= b}. */
    GE,
    /** {@code a < b}. */
    LT,
    /** {@code a <= b}. */
    LE,
    /** {@code a == b} (NaN equals nothing). */
    EQ,
    /** {@code a != b} (NaN differs from everything). */
    NE
}
