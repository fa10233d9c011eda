package org.grad4j.core;

/**
 * Returned by {@link Tensor#registerHook}: {@link #remove()} unregisters the hook (as PyTorch's
 * {@code RemovableHandle}); usable in try-with-resources to keep a hook for one block.
 */
@FunctionalInterface
public interface RemovableHandle extends AutoCloseable {
    /** Unregisters the hook; calling it again does nothing. */
    void remove();

    /** Same as {@link #remove()}. */
    @Override
    default void close() {
        remove();
    }
}
