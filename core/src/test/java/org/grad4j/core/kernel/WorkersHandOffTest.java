package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How {@link Workers} hands a split to its helpers, which no test of values can see (the caller alone computes the
 * same results): one helper fewer than the threads asked for is made, and no more; a split never runs on more threads
 * than it asked for; a helper busy with another caller's split is skipped for the next idle one, and when every
 * helper is busy the caller runs every part itself; helpers are daemon threads named {@code grad4j-worker-1},
 * {@code -2}...; an {@link Error} from a part reaches the caller as itself; one thread runs every part in order.
 *
 * <p>A check that needs a helper to take a part waits for it up to {@link #WAIT_MILLIS} per attempt, in up to
 * {@link #ATTEMPTS} attempts 20 ms apart: a helper offered a split wakes in microseconds, but right after a burst of
 * splits every helper can still be waking for an earlier split that its caller has already finished alone (it counts
 * as busy until it has looked), and the next split then finds none idle and runs on its caller. A mutant that leaves
 * the helpers idle costs the attempts (10 s); a check that a helper does not take part only counts threads.
 */
class WorkersHandOffTest {
    private static final long WAIT_MILLIS = 2000;
    private static final int ATTEMPTS = 5;
    private static final Pattern HELPER_NAME = Pattern.compile("grad4j-worker-([1-9][0-9]*)");

    /** The helper threads alive now, by index (helpers never end, so this is every helper made so far). */
    private static List<Thread> helperThreads() {
        List<Thread> helpers = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("grad4j-worker-")) helpers.add(t);
        }
        return helpers;
    }

    /**
     * Runs a split of two parts with {@code threads} threads in which whichever thread takes part 0 waits for part
     * 1, so only a second thread can finish it; returns the thread other than the caller that ran a part, or null
     * when part 0 waited in vain.
     */
    private static Thread helperOfTwoPartSplit(int threads) throws InterruptedException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Thread.sleep(20);
            Thread helper = helperOfOneTwoPartSplit(threads);
            if (helper != null) return helper;
        }
        return null;
    }

    private static Thread helperOfOneTwoPartSplit(int threads) {
        CountDownLatch secondDone = new CountDownLatch(1);
        AtomicReference<Thread> helper = new AtomicReference<>();
        AtomicBoolean waitedInVain = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        Workers.run(2, threads, i -> {
            if (Thread.currentThread() != caller) helper.set(Thread.currentThread());
            if (i == 0) {
                try {
                    waitedInVain.set(!secondDone.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    waitedInVain.set(true);
                }
            } else {
                secondDone.countDown();
            }
        });
        return waitedInVain.get() ? null : helper.get();
    }

    @Test
    void helpersAreDaemonThreadsNumberedFromOne() throws InterruptedException {
        Thread helper = helperOfTwoPartSplit(2);
        assertTrue(helper != null, "no helper ran part 1 while part 0 waited for it");
        assertTrue(HELPER_NAME.matcher(helper.getName()).matches(), helper.getName());
        assertTrue(helper.isDaemon(), helper.getName() + " must not keep the JVM alive");
        Set<Integer> indices = new TreeSet<>();
        for (Thread t : helperThreads()) {
            var m = HELPER_NAME.matcher(t.getName());
            assertTrue(m.matches(), t.getName());
            assertTrue(t.isDaemon(), t.getName());
            assertTrue(indices.add(Integer.parseInt(m.group(1))), "two helpers named " + t.getName());
        }
        int count = indices.size();
        assertEquals(count, indices.stream().mapToInt(Integer::intValue).max().orElse(0),
                "helpers are numbered 1.." + count + ": " + indices);
    }

    @Test
    void aSplitMakesOneHelperFewerThanItsThreadsAndNoMore() {
        Workers.run(2, 2, i -> { });
        int before = helperThreads().size();
        assertTrue(before >= 1, "a split of two threads made no helper");
        // Fewer parts than threads: the parts bound the helpers, nothing is made.
        Workers.run(2, before + 5, i -> { });
        assertEquals(before, helperThreads().size(), "a split of 2 parts needs at most 1 helper");
        // One more thread than there are helpers plus the caller: exactly one more helper, started (a thread that
        // was never started is not among the live threads), a daemon, named after its position.
        Workers.run(before + 2, before + 2, i -> { });
        List<Thread> after = helperThreads();
        assertEquals(before + 1, after.size(), "a split of " + (before + 2) + " threads");
        Thread newest = null;
        for (Thread t : after) {
            if (t.getName().equals("grad4j-worker-" + (before + 1))) newest = t;
        }
        assertTrue(newest != null, "no helper named grad4j-worker-" + (before + 1) + " among " + after);
        assertTrue(newest.isDaemon(), newest.getName() + " must not keep the JVM alive");
    }

    /** The first split that needs a helper makes it: started, a daemon, named {@code grad4j-worker-1}. */
    @Test
    void theFirstHelperIsAStartedDaemonNamedWorker1() {
        Workers.run(3, 3, i -> { });
        Thread first = null;
        for (Thread t : helperThreads()) {
            if (t.getName().equals("grad4j-worker-1")) first = t;
        }
        assertTrue(first != null, "no live helper named grad4j-worker-1: " + helperThreads());
        assertTrue(first.isDaemon(), "grad4j-worker-1 must not keep the JVM alive");
        assertTrue(first.isAlive());
    }

    /**
     * Parts of 1 ms, long enough for every helper handed the split to wake and claim some even on a busy machine
     * (with parts of 50 us the caller often finishes before any helper has woken).
     */
    @Test
    void aSplitNeverRunsOnMoreThreadsThanItAskedFor() {
        Workers.run(4, 4, i -> { });   // at least three helpers, so that two are always left over
        for (int threads = 1; threads <= 3; threads++) {
            for (int round = 0; round < 10; round++) {
                Set<Thread> ran = ConcurrentHashMap.newKeySet();
                Workers.run(12, threads, i -> {
                    ran.add(Thread.currentThread());
                    long end = System.nanoTime() + 1_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                });
                assertTrue(ran.size() <= threads, "a split of " + threads + " threads ran on " + ran);
            }
        }
    }

    /**
     * Occupies helper {@code grad4j-worker-1} (the first one offered a job) with a part that waits for
     * {@code release}, from another thread; returns that thread once the helper is in the part, or null when
     * another helper took the part (try again).
     */
    private static Thread occupyFirstHelper(CountDownLatch release, AtomicInteger occupied, List<Throwable> errors)
            throws InterruptedException {
        CountDownLatch inPart = new CountDownLatch(1);
        AtomicReference<String> taker = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                Workers.run(2, 2, i -> {
                    if (Thread.currentThread().getName().startsWith("grad4j-worker-")) {
                        taker.set(Thread.currentThread().getName());
                        occupied.incrementAndGet();
                        inPart.countDown();
                        await(release, 30_000);
                    } else {
                        await(inPart, WAIT_MILLIS);   // the caller's part: let the helper take the other part
                    }
                });
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        caller.start();
        if (!inPart.await(WAIT_MILLIS, TimeUnit.MILLISECONDS) || !"grad4j-worker-1".equals(taker.get())) {
            release.countDown();
            caller.join();
            return null;
        }
        return caller;
    }

    /** Waits for {@code latch} at most {@code millis} (a part must end even when a test fails before the release). */
    private static void await(CountDownLatch latch, long millis) {
        try {
            latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBusyHelperIsSkippedForTheNextIdleOne() throws InterruptedException {
        Workers.run(3, 3, i -> { });   // at least two helpers
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Thread.sleep(20);   // let the helpers go idle after their last split
            CountDownLatch release = new CountDownLatch(1);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Thread occupier = occupyFirstHelper(release, new AtomicInteger(), errors);
            if (occupier == null) continue;
            try {
                Thread helper = helperOfTwoPartSplit(2);
                assertTrue(helper != null, "worker 1 busy: no other helper ran part 1 while part 0 waited for it");
                assertFalse(helper.getName().equals("grad4j-worker-1"), "the busy helper ran a part of another split");
            } finally {
                release.countDown();
                occupier.join();
            }
            assertTrue(errors.isEmpty(), errors.toString());
            return;
        }
        throw new AssertionError("worker 1 never took the blocking part in " + ATTEMPTS + " attempts");
    }

    @Test
    void withEveryHelperBusyTheCallerRunsEveryPartInOrder() throws InterruptedException {
        Workers.run(3, 3, i -> { });
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Thread.sleep(20);
            int helpers = helperThreads().size();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger occupied = new AtomicInteger();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            // One caller per helper, each holding one helper in a part until released.
            List<Thread> occupiers = new ArrayList<>();
            for (int h = 0; h < helpers; h++) {
                CountDownLatch inPart = new CountDownLatch(1);
                Thread caller = new Thread(() -> {
                    try {
                        Workers.run(2, 2, i -> {
                            if (Thread.currentThread().getName().startsWith("grad4j-worker-")) {
                                occupied.incrementAndGet();
                                inPart.countDown();
                                await(release, 30_000);
                            } else {
                                await(inPart, WAIT_MILLIS);
                            }
                        });
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                });
                caller.start();
                occupiers.add(caller);
                inPart.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            try {
                if (occupied.get() != helpers) continue;   // a caller found its helpers busy: try again
                Thread self = Thread.currentThread();
                List<Integer> order = new ArrayList<>();
                AtomicBoolean elsewhere = new AtomicBoolean();
                Workers.run(5, 3, i -> {
                    if (Thread.currentThread() != self) elsewhere.set(true);
                    synchronized (order) {
                        order.add(i);
                    }
                });
                assertFalse(elsewhere.get(), "a part ran on a helper that was busy");
                assertEquals(List.of(0, 1, 2, 3, 4), order);
            } finally {
                release.countDown();
                for (Thread t : occupiers) t.join();
            }
            assertTrue(errors.isEmpty(), errors.toString());
            return;
        }
        throw new AssertionError("could not occupy every helper in " + ATTEMPTS + " attempts");
    }

    /**
     * The caller returns only when the parts helpers took are done too: the part a helper runs is still busy for 50
     * ms after the caller's own part has returned (that part waits until the other one has started elsewhere).
     */
    @Test
    void theCallerReturnsOnlyAfterTheHelpersPartsAreDone() throws InterruptedException {
        Thread caller = Thread.currentThread();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Thread.sleep(20);
            CountDownLatch helperStarted = new CountDownLatch(1);
            AtomicBoolean helperDone = new AtomicBoolean();
            AtomicBoolean helped = new AtomicBoolean();
            Workers.run(2, 2, i -> {
                if (Thread.currentThread() != caller) {
                    helped.set(true);
                    helperStarted.countDown();
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    helperDone.set(true);
                } else {
                    await(helperStarted, WAIT_MILLIS);
                }
            });
            if (!helped.get()) continue;   // every helper was still waking for an earlier split: try again
            assertTrue(helperDone.get(), "Workers.run returned while a helper's part was still running");
            return;
        }
        throw new AssertionError("no helper took a part in " + ATTEMPTS + " attempts");
    }

    @Test
    void oneThreadRunsEveryPartOnTheCallerInOrder() {
        Thread self = Thread.currentThread();
        for (int parts = 0; parts <= 5; parts++) {
            List<Integer> order = new ArrayList<>();
            Workers.run(parts, 1, i -> {
                assertSame(self, Thread.currentThread());
                order.add(i);
            });
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < parts; i++) expected.add(i);
            assertEquals(expected, order, parts + " parts");
        }
    }

    @Test
    void anErrorFromAPartReachesTheCallerAsItself() {
        StackOverflowError error = new StackOverflowError("part 2");
        AtomicInteger ran = new AtomicInteger();
        StackOverflowError caught = assertThrows(StackOverflowError.class, () -> Workers.run(4, 2, i -> {
            ran.incrementAndGet();
            if (i == 2) throw error;
        }));
        assertSame(error, caught);
        assertEquals(4, ran.get(), "the other parts still run");
    }
}
