package org.grad4j.core;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Library-wide settings. {@link #manualSeed(long)} is the one call that makes a run reproducible, as
 * {@code torch.manual_seed}: layer initialisers ({@code Init}, {@code new Linear(...)}), dropout masks and the
 * shuffling, splits and random transforms of {@code org.grad4j.nn.data} all draw from {@link #generator()} unless
 * given a generator or seed of their own.
 * <pre>{@code
 * Grad4j.manualSeed(42);
 * var model = new Sequential(new Linear(784, 128), new ReLU(), new Dropout(0.2), new Linear(128, 10));
 * var loader = new DataLoader(train, 64, true);   // its shuffling seed is drawn from the same generator
 * }</pre>
 * Without the call the generator is seeded randomly, so every run differs.
 *
 * <p>Each thread gets its own generator, split from a seeded root the first time the thread asks after a
 * {@code manualSeed}; the thread that called {@code manualSeed} therefore sees the same sequence on every run, and
 * other threads do too as long as they first ask in the same order. No locking happens per draw.
 */
public final class Grad4j {
    private static final Object LOCK = new Object();
    private static SplittableRandom root = new SplittableRandom();
    private static long generation;
    private static final ThreadLocal<ThreadGenerator> LOCAL = new ThreadLocal<>();

    private record ThreadGenerator(long generation, SplittableRandom rng) {
    }

    private Grad4j() {
    }

    /**
     * Re-seeds the default generator of every thread (each thread's next draw starts a new sequence derived from
     * {@code seed}). Call it once at the start of a program, before building the model.
     */
    public static void manualSeed(long seed) {
        synchronized (LOCK) {
            root = new SplittableRandom(seed);
            generation++;
            LOCAL.set(new ThreadGenerator(generation, root.split()));
        }
    }

    /**
     * This thread's default generator. Ask for it each time it is needed rather than keeping it: after a
     * {@link #manualSeed(long)} the thread gets a new one. Not to be shared with other threads.
     */
    public static RandomGenerator generator() {
        ThreadGenerator local = LOCAL.get();
        synchronized (LOCK) {
            if (local != null && local.generation == generation) {
                return local.rng;
            }
            local = new ThreadGenerator(generation, root.split());
        }
        LOCAL.set(local);
        return local.rng;
    }
}
