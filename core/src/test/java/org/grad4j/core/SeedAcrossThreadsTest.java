package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * {@link Grad4j#manualSeed} reseeds every thread: a worker that already drew from its generator before the seed
 * draws the same numbers after it whatever it drew before, and a thread's generator is kept between calls.
 */
class SeedAcrossThreadsTest {

    /** A worker draws {@code before} numbers, the main thread seeds, the worker draws three: those three. */
    private static double[] workerDrawsAfterSeed(ExecutorService worker, long seed, int before) throws Exception {
        CompletableFuture.runAsync(() -> {
            for (int i = 0; i < before; i++) Grad4j.generator().nextDouble();
        }, worker).get();
        Grad4j.manualSeed(seed);
        Grad4j.generator().nextDouble();   // the seeding thread's own draws do not move the worker's generator
        return CompletableFuture.supplyAsync(() -> new double[] {Grad4j.generator().nextDouble(),
            Grad4j.generator().nextDouble(), Grad4j.generator().nextDouble()}, worker).get();
    }

    @Test
    void aReseedReachesAThreadThatAlreadyHadAGenerator() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            double[] first = workerDrawsAfterSeed(worker, 42, 1);
            double[] second = workerDrawsAfterSeed(worker, 42, 5);
            assertArrayEquals(first, second);
            double[] other = workerDrawsAfterSeed(worker, 43, 1);
            assertEquals(3, other.length);
            assertNotEquals(first[0], other[0]);
            assertEquals(Boolean.TRUE, CompletableFuture.supplyAsync(() -> Grad4j.generator() == Grad4j.generator(),
                    worker).get(), "a thread keeps its generator between calls");
        } finally {
            worker.shutdown();
        }
    }

    @Test
    void theSeedingThreadDrawsTheSameSequenceAfterEachSeed() {
        Grad4j.manualSeed(7);
        double a = Grad4j.generator().nextDouble();
        double b = Grad4j.generator().nextDouble();
        Grad4j.manualSeed(7);
        assertEquals(a, Grad4j.generator().nextDouble());
        assertEquals(b, Grad4j.generator().nextDouble());
    }

    private static void assertNotEquals(double a, double b) {
        org.junit.jupiter.api.Assertions.assertNotEquals(a, b);
    }
}
