package org.grad4j.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * grad4j's helper threads for work split across cores (large GEMMs, element-wise ops, convolutions): daemon threads
 * made on first use, one fewer than the threads a split asks for. A split is a number of parts, each a function of
 * its index only; the calling thread and the idle helpers claim parts in order from a counter until none is left, so
 * a helper that wakes late takes fewer parts (or none) instead of making the caller wait, and which thread runs a
 * part never changes what the part computes: the results do not depend on the thread count.
 *
 * <p>Why not the common ForkJoinPool (used before): its workers park as soon as they find no task, and waking a
 * parked worker took tens of microseconds on the 2-vCPU machine this was tuned on, so a split only paid from about
 * 2^21 elements (element-wise) or 2^24 multiply-adds (GEMM), and every large product of a training step paid the
 * wake-up again. A helper here spins for {@link #SPIN_NANOS} after its last part before it parks
 * ({@code -Dgrad4j.threads.spinMicros}, default 50; 0 parks at once), so the next split of the same step usually
 * finds it awake: handing it a part is then a store and a load of one cache line. The spin is bounded because a
 * helper spinning without end slowed the caller's memory-bound work when the hypervisor placed the two vCPUs on SMT
 * siblings of one core (see {@code GemmThreads}); while no split comes for longer it is parked and costs nothing.
 *
 * <p>Internal to grad4j (public only so that {@code org.grad4j.core} can reach it); a call from a helper thread
 * (a part that splits again) runs all its parts on that thread.
 */
public final class Workers {
    private Workers() {
    }

    /** How long an idle helper spins before it parks: {@code -Dgrad4j.threads.spinMicros}, default 50. */
    static final long SPIN_NANOS = Math.max(0, Long.getLong("grad4j.threads.spinMicros", 50)) * 1000;

    /** One part of a split, identified by its index. */
    @FunctionalInterface
    public interface Part {
        /** Computes part {@code index}. */
        void run(int index);
    }

    private static volatile Helper[] helpers = new Helper[0];

    /**
     * Runs {@code part.run(i)} for every i in {@code [0, parts)}, on the calling thread and on up to
     * {@code threads - 1} idle helpers; returns when every part is done. The first exception a part throws is
     * rethrown here (after all parts have finished or failed). Fewer than two parts or threads, or a call from a
     * helper, run every part on the caller, in order.
     */
    public static void run(int parts, int threads, Part part) {
        if (parts < 2 || threads < 2 || Thread.currentThread() instanceof Helper) {
            for (int i = 0; i < parts; i++) part.run(i);
            return;
        }
        Job job = new Job(part, parts);
        Helper[] pool = helpers(Math.min(threads, parts) - 1);
        for (int h = 0, posted = 0; h < pool.length && posted < Math.min(threads, parts) - 1; h++) {
            if (pool[h].offer(job)) posted++;
        }
        job.work(null);
        job.awaitDone();
        Throwable failure = job.failure;
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** At least {@code count} helpers (all there are if more), made on first need. */
    private static Helper[] helpers(int count) {
        Helper[] pool = helpers;
        if (pool.length >= count) {
            return pool;
        }
        synchronized (Workers.class) {
            pool = helpers;
            if (pool.length < count) {
                Helper[] grown = java.util.Arrays.copyOf(pool, count);
                for (int i = pool.length; i < count; i++) {
                    grown[i] = new Helper(i + 1);
                    grown[i].start();
                }
                helpers = grown;
                pool = grown;
            }
            return pool;
        }
    }

    /** The parts of one split: claimed in index order, counted when done. */
    private static final class Job {
        private final Part part;
        private final int parts;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Job(Part part, int parts) {
            this.part = part;
            this.parts = parts;
        }

        /**
         * Claims and runs parts until none is left; {@code helper} (null on the caller) is marked idle as soon as it
         * finds no part left, before its last part is counted done, so that when the caller returns the helper can
         * already be handed the caller's next split (marked idle after the count, a helper could miss a split that
         * follows at once, and the caller then ran all of that one alone).
         */
        void work(Helper helper) {
            int i = next.getAndIncrement();
            if (i >= parts) {
                if (helper != null) helper.becomeIdle();
                return;
            }
            while (i < parts) {
                try {
                    part.run(i);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                int following = next.getAndIncrement();
                if (following >= parts && helper != null) helper.becomeIdle();
                done.incrementAndGet();
                i = following;
            }
        }

        /**
         * Waits for the parts helpers are still running (the caller has claimed every other one); spins, then
         * yields, so that a helper descheduled on a busy machine gets the CPU back.
         */
        void awaitDone() {
            for (int spins = 0; done.get() < parts; spins++) {
                if (spins < 1 << 12) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** A helper thread: runs the job it is handed, spins for the next one a while, then parks. */
    private static final class Helper extends Thread {
        private static final int IDLE = 0;
        private static final int TAKEN = 1;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile Job job;
        private volatile boolean parked;

        Helper(int index) {
            super("grad4j-worker-" + index);
            setDaemon(true);
        }

        /** Hands this helper {@code j} if it is idle; false if it is busy with another caller's split. */
        boolean offer(Job j) {
            if (!state.compareAndSet(IDLE, TAKEN)) {
                return false;
            }
            job = j;
            if (parked) {
                LockSupport.unpark(this);
            }
            return true;
        }

        @Override
        public void run() {
            while (true) {
                Job j = job;
                if (j == null) {
                    long deadline = System.nanoTime() + SPIN_NANOS;
                    while ((j = job) == null && System.nanoTime() - deadline < 0) {
                        Thread.onSpinWait();
                    }
                    if (j == null) {
                        parked = true;
                        while ((j = job) == null) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                j.work(this);
            }
        }

        /** Called by this helper when its job has no part left to claim: it may be offered the next one. */
        void becomeIdle() {
            job = null;
            state.set(IDLE);
        }
    }
}
