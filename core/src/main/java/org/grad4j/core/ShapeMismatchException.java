package org.grad4j.core;

/** A shape, dimension or index argument does not fit the op; the message names the op and the shapes. */
public class ShapeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error naming the op and the shapes involved. */
    public ShapeMismatchException(String message) {
        super(message);
    }
}
