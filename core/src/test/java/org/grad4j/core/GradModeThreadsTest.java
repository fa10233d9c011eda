package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Grad and anomaly modes stay per thread now that a shared count lets threads skip their thread-local lookup
 * while no thread has changed its mode: another thread's no-grad scope or anomaly mode never leaks into this one,
 * and nested, reopened and twice-closed scopes restore what they found.
 */
class GradModeThreadsTest {

    private static boolean records() {
        Tensor x = Tensor.scalar(2.0, DType.FLOAT64).requiresGrad(true);
        return x.mul(x).requiresGrad();
    }

    @Test
    void anotherThreadsNoGradScopeDoesNotStopThisThreadRecording() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean otherRecorded = new AtomicBoolean(true);
        Thread other = new Thread(() -> {
            try (Grad.Scope off = Grad.disabled()) {
                otherRecorded.set(records());
                inside.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        assertTrue(Grad.isEnabled());
        assertTrue(records(), "this thread records while another is inside a no-grad scope");
        assertFalse(otherRecorded.get(), "the other thread's scope stops its own recording");
        release.countDown();
        other.join();
        assertTrue(records());
    }

    @Test
    void nestedAndTwiceClosedScopesRestoreTheirState() {
        Grad.Scope off = Grad.disabled();
        assertFalse(records());
        Grad.Scope on = Grad.enabled();
        assertTrue(records());
        on.close();
        on.close();   // a second close must not switch the outer scope's mode
        assertFalse(Grad.isEnabled());
        off.close();
        off.close();
        assertTrue(Grad.isEnabled());
        assertTrue(records());
    }

    @Test
    void anomalyModeOnAnotherThreadDoesNotSlowOrChangeThisOne() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (AnomalyMode.Scope debug = AnomalyMode.enable()) {
                inside.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        assertFalse(AnomalyMode.isEnabled());
        Tensor x = Tensor.scalar(0.0, DType.FLOAT64).requiresGrad(true);
        Tensor y = x.log();   // -inf from a finite input: only an error where anomaly mode is on
        assertNull(x.grad());
        release.countDown();
        other.join();
        try (AnomalyMode.Scope debug = AnomalyMode.enable()) {
            assertTrue(AnomalyMode.isEnabled());
            boolean threw = false;
            try {
                x.log();
            } catch (AutogradException expected) {
                threw = true;
            }
            assertTrue(threw, "anomaly mode on this thread reports the non-finite forward");
        }
        assertFalse(AnomalyMode.isEnabled());
        assertTrue(y.requiresGrad());
    }
}
