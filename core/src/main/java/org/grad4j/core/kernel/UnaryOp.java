package org.grad4j.core.kernel;

/** Element-wise functions of one argument that every {@link Kernels} implementation provides. */
public enum UnaryOp {
    /** {@code x} (a copy). */
    IDENTITY,
    /** {@code -x}. */
    NEG,
    /** {@code e^x}. */
    EXP,
    /** Natural logarithm. */
    LOG,
    /** {@code log(1 + x)}, accurate for small x. */
    LOG1P,
    /** {@code e^x - 1}, accurate for small x. */
    EXPM1,
    /** Square root. */
    SQRT,
    /** Absolute value. */
    ABS,
    /** -1, 0 or 1 (NaN for NaN; keeps the sign of zero). */
    SIGN,
    /** Hyperbolic tangent. */
    TANH,
    /** {@code 1 / (1 + e^-x)}. */
    SIGMOID,
    /** {@code max(x, 0)}; NaN stays NaN. */
    RELU,
    /** {@code 1 / x}. */
    RECIPROCAL,
    /** Sine (radians). */
    SIN,
    /** Cosine (radians). */
    COS,
    /** The Gauss error function. */
    ERF
}
