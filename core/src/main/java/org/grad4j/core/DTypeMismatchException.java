package org.grad4j.core;

/**
 * An op got a dtype it cannot take: float indices, a non-bool mask, an integer tensor where a floating-point one is
 * needed ({@code mean}, {@code requiresGrad}...), two dtypes where one is required ({@code matmul}), or a result
 * that cannot be written back in place. The message names the op, the dtypes and the fix (usually a {@code .to}).
 * Ordinary binary ops do not throw it: they promote as PyTorch does ({@link Promotion}).
 */
public class DTypeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error naming the op and the dtypes involved. */
    public DTypeMismatchException(String message) {
        super(message);
    }
}
