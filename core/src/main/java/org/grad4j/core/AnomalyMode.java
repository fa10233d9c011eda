package org.grad4j.core;

/**
 * Debugging aid, as {@code torch.autograd.detect_anomaly()}: while enabled on a thread, each op records where it was
 * created, and the first op whose forward output or backward gradient holds NaN or infinity (from finite inputs)
 * throws an {@link AutogradException} naming the op, with the forward call's stack trace as the cause. Slow: for
 * debugging only.
 * <pre>{@code
 * try (var debug = AnomalyMode.enable()) {
 *     loss.backward();
 * }
 * }</pre>
 */
public final class AnomalyMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {false});
    /** Threads with anomaly detection on: while 0, every op skips the thread-local lookup (asked once per op). */
    private static final java.util.concurrent.atomic.AtomicInteger THREADS_ON =
            new java.util.concurrent.atomic.AtomicInteger();

    private AnomalyMode() {
    }

    /** Whether anomaly detection is on for this thread. */
    public static boolean isEnabled() {
        return THREADS_ON.get() != 0 && ENABLED.get()[0];
    }

    /** Enables anomaly detection on this thread until the returned scope is closed. */
    public static Scope enable() {
        boolean[] state = ENABLED.get();
        boolean previous = state[0];
        switchTo(state, true);
        return new Scope(state, previous);
    }

    private static void switchTo(boolean[] state, boolean on) {
        if (state[0] != on) {
            state[0] = on;
            THREADS_ON.addAndGet(on ? 1 : -1);
        }
    }

    /** Restores the previous anomaly mode when closed. */
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
            if (!closed) {                  // a second close must not switch an outer scope's mode
                closed = true;
                switchTo(state, previous);
            }
        }
    }

    /** Thrown away as a {@code cause}: it carries the stack trace of the forward call that created an op. */
    static final class ForwardTrace extends Throwable {
        private static final long serialVersionUID = 1L;

        ForwardTrace(String op) {
            super("forward call of '" + op + "' that created the failing node");
        }
    }
}
