package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * grad4j's helper threads ({@link Workers}): every part of a split runs exactly once whatever the thread count,
 * including splits posted back to back (a helper still spinning) and after a pause (a helper parked); a part's
 * exception reaches the caller after the other parts have run; a split started from a helper runs on that helper;
 * callers on several threads at once share the helpers without losing or repeating parts.
 */
class WorkersTest {

    /**
     * The helpers really work: whichever thread takes part 0 waits for part 1, which only another thread can then
     * run, so a split that left every part to its caller (a helper never started, never woken from park, never handed
     * the job, or left marked busy after its last split) fails here after the wait instead of passing unnoticed.
     * Rounds back to back (the helper still spinning) and after pauses far longer than the spin (the helper parked).
     */
    @Test
    void aHelperRunsOnePartWhileTheCallerWaitsInTheOther() throws InterruptedException {
        for (int round = 0; round < 6; round++) {
            // A split right after others can find every helper still waking for an earlier one (busy until it has
            // looked), and then runs on its caller alone: such a round is tried again, up to 5 times in all.
            boolean helped = false;
            for (int attempt = 0; attempt < 5 && !helped; attempt++) {
                if (attempt > 0) {
                    Thread.sleep(20);
                }
                CountDownLatch secondDone = new CountDownLatch(1);
                AtomicBoolean firstSawSecond = new AtomicBoolean();
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                Workers.run(2, 2, i -> {
                    threads.add(Thread.currentThread());
                    if (i == 0) {
                        try {
                            firstSawSecond.set(secondDone.await(2, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else {
                        secondDone.countDown();
                    }
                });
                helped = firstSawSecond.get() && threads.size() == 2;
            }
            assertTrue(helped, "round " + round + ": no helper ran part 1 while part 0 waited for it, 5 times");
            if (round % 2 == 1) {
                Thread.sleep(20);
            }
        }
    }

    /**
     * A helper that ran a part of one split can be handed the next split as soon as the caller has returned: it is
     * marked idle before its last part counts as done. Each split here needs a second thread (part 0 waits for part
     * 1), so the helper ran part 1 of the previous one; 200 splits back to back, none tried again. (Marked idle only
     * after the count, a helper descheduled between the two still looked busy to the next split, which then ran on
     * its caller alone and, here, waited in vain; no test can force that descheduling, so this one checks the
     * hand-off over many splits, and fails outright if a helper is never marked idle again.)
     */
    @Test
    void aHelperThatRanAPartTakesTheNextSplitPostedAtOnce() throws InterruptedException {
        Workers.run(2, 2, i -> { });   // the helper exists
        Thread.sleep(20);
        for (int split = 0; split < 200; split++) {
            CountDownLatch secondDone = new CountDownLatch(1);
            AtomicBoolean firstSawSecond = new AtomicBoolean();
            Workers.run(2, 2, i -> {
                if (i == 0) {
                    try {
                        firstSawSecond.set(secondDone.await(5, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    secondDone.countDown();
                }
            });
            assertTrue(firstSawSecond.get(), "split " + split + " (back to back): no helper ran part 1 while part 0"
                    + " waited for it");
        }
    }

    @Test
    void everyPartRunsExactlyOnceWithAnyThreadCount() throws InterruptedException {
        for (int threads = 1; threads <= 4; threads++) {
            for (int parts : new int[] {0, 1, 2, 3, 7, 64}) {
                for (int round = 0; round < 20; round++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                    Workers.run(parts, threads, runs::incrementAndGet);
                    for (int i = 0; i < parts; i++) {
                        assertEquals(1, runs.get(i), "part " + i + " of " + parts + ", " + threads + " threads");
                    }
                }
                Thread.sleep(1);   // let the helpers park between some of the splits
            }
        }
    }

    @Test
    void aPartsExceptionReachesTheCallerAfterTheOtherParts() {
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        IllegalStateException thrown = new IllegalStateException("part 5 failed");
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> Workers.run(8, 3, i -> {
            runs.incrementAndGet(i);
            if (i == 5) throw thrown;
        }));
        assertSame(thrown, caught);
        for (int i = 0; i < 8; i++) assertEquals(1, runs.get(i), "part " + i);
    }

    @Test
    void aSplitInsideAPartRunsOnThatPartsThread() {
        List<String> outer = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> sameThread = Collections.synchronizedList(new ArrayList<>());
        Workers.run(4, 2, i -> {
            Thread self = Thread.currentThread();
            outer.add(self.getName());
            Workers.run(3, 2, j -> sameThread.add(Thread.currentThread() == self
                    || !self.getName().startsWith("grad4j-worker-")));
        });
        assertEquals(4, outer.size());
        assertEquals(12, sameThread.size());
        assertTrue(sameThread.stream().allMatch(b -> b), "a nested split on a helper stays on it");
    }

    @Test
    void concurrentCallersEachGetAllTheirParts() throws InterruptedException {
        int callers = 4;
        long[][] sums = new long[callers][];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                long[] sum = new long[64];
                for (int round = 0; round < 200; round++) {
                    Workers.run(64, 3, i -> sum[i] += i + id);
                }
                sums[id] = sum;
            });
            threads[c].start();
        }
        start.countDown();
        for (Thread t : threads) t.join();
        for (int c = 0; c < callers; c++) {
            long[] expected = new long[64];
            for (int i = 0; i < 64; i++) expected[i] = 200L * (i + c);
            assertArrayEquals(expected, sums[c], "caller " + c);
        }
    }
}
