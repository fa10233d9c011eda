package org.grad4j.core.kernel;

/**
 * Element-wise functions of two arguments. Comparisons return 1 or 0 in the operands' dtype (grad4j has no bool
 * dtype). MAX and MIN propagate NaN, as {@code torch.maximum} does.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, GT, GE, LT, LE, EQ, NE
}
