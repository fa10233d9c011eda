package org.grad4j.core.kernel;

/**
 * Element-wise functions of two arguments. In {@code binary}, comparisons return 1 or 0 in the operands' dtype; the
 * tensor ops use {@code compare}, which writes bool bytes. MAX and MIN propagate NaN, as {@code torch.maximum} does.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, LT, LE, EQ, NE
}
