package org.grad4j.core;

/**
 * Autograd cannot do what was asked: backward through a released graph, a saved tensor modified in place, backward
 * from a tensor that does not require grad, an in-place op on a leaf that requires grad, or (as
 * {@link AnomalyMode}'s report) a NaN or infinity produced by an op. The message says which and how to fix it.
 */
public class AutogradException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An error with a message that says what went wrong and how to fix it. */
    public AutogradException(String message) {
        super(message);
    }

    /** An error with a message and the exception that caused it. */
    public AutogradException(String message, Throwable cause) {
        super(message, cause);
    }
}
