package org.grad4j.core;

import java.util.function.Supplier;

/**
 * Per-thread switch for graph recording, as {@code torch.no_grad()}:
 * <pre>{@code
 * Grad.noGrad(() -> w.subInPlace(w.grad().mul(lr)));      // recorded nowhere
 * Tensor prediction = Grad.noGrad(() -> model.forward(x)); // with a result
 * }</pre>
 * or, for a block with several statements or checked exceptions, a scope:
 * <pre>{@code
 * try (Grad.Scope off = Grad.disabled()) {
 *     ...
 * }
 * }</pre>
 * ({@code javac -Xlint:try} warns that {@code off} is never referenced in such a block; {@code noGrad} avoids that.)
 * Scopes nest; closing one restores the state it found.
 */
public final class Grad {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    /**
     * Threads with recording off: while 0 (no thread inside a no-grad scope or a backward), ops skip the
     * thread-local lookup, which was a fifth of a small op's cost.
     */
    private static final java.util.concurrent.atomic.AtomicInteger THREADS_OFF =
            new java.util.concurrent.atomic.AtomicInteger();

    private Grad() {
    }

    /** Whether ops on this thread record the graph. */
    public static boolean isEnabled() {
        return THREADS_OFF.get() == 0 || ENABLED.get()[0];
    }

    private static void switchTo(boolean[] state, boolean enabled) {
        if (state[0] != enabled) {
            state[0] = enabled;
            THREADS_OFF.addAndGet(enabled ? -1 : 1);
        }
    }

    /** Stops recording on this thread until the returned scope is closed. */
    public static Scope disabled() {
        return set(false);
    }

    /** Runs {@code body} with recording off on this thread and returns its result; the previous mode is restored. */
    public static <T> T noGrad(Supplier<T> body) {
        Args.notNull(body, "Grad.noGrad", "body");
        Scope off = disabled();
        try {
            return body.get();
        } finally {
            off.close();
        }
    }

    /** Runs {@code body} with recording off on this thread; the previous mode is restored even if it throws. */
    public static void noGrad(Runnable body) {
        Args.notNull(body, "Grad.noGrad", "body");
        Scope off = disabled();
        try {
            body.run();
        } finally {
            off.close();
        }
    }

    /** Records again on this thread (inside a disabled scope) until the returned scope is closed. */
    public static Scope enabled() {
        return set(true);
    }

    static Scope set(boolean enabled) {
        boolean[] state = ENABLED.get();
        boolean previous = state[0];
        switchTo(state, enabled);
        return new Scope(state, previous);
    }

    /** Restores the previous grad mode when closed. Not shareable across threads. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] state;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] state, boolean previous) {
            this.state = state;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                switchTo(state, previous);
            }
        }
    }
}
