package org.grad4j.core;

/**
 * A linear-algebra routine cannot complete for this input: a singular matrix for {@link Linalg#inv} or
 * {@link Linalg#solve}, a matrix that is not positive-definite for {@link Linalg#cholesky}. The message names the
 * op, the batch element and the shape, as PyTorch's {@code torch.linalg.LinAlgError} does.
 */
public class LinalgException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error with its message. */
    public LinalgException(String message) {
        super(message);
    }

    /** An error with its message and the error it wraps. */
    public LinalgException(String message, Throwable cause) {
        super(message, cause);
    }
}
