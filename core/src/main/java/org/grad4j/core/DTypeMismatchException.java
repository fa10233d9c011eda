package org.grad4j.core;

/** An op got tensors of different dtypes; grad4j never promotes silently. The message names op and dtypes. */
public class DTypeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error naming the op and the dtypes involved. */
    public DTypeMismatchException(String message) {
        super(message);
    }
}
