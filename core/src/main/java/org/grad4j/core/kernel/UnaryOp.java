package org.grad4j.core.kernel;

/** Element-wise functions of one argument that every {@link Kernels} implementation provides. */
public enum UnaryOp {
    IDENTITY, NEG, EXP, LOG, LOG1P, EXPM1, SQRT, ABS, SIGN, TANH, SIGMOID, RELU, RECIPROCAL, SIN, COS, ERF
}
