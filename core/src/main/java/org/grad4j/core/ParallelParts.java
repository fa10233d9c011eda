package org.grad4j.core;

import java.util.concurrent.ForkJoinPool;
import org.grad4j.core.kernel.Workers;

/**
 * Splits a dense element-wise kernel call, or a reduction along its independent outputs, across threads:
 * {@code body(from, to)} over contiguous ranges of {@code [0, count)}, claimed in order by the calling thread and
 * grad4j's helper threads ({@code Workers}). Each range writes only its own elements of the result and computes each of
 * them in the same operations and order as one call over everything would, so the bits never depend on the thread
 * count (the README's reproducibility promise; {@code ParallelPartsTest} compares 1, 2 and 3 threads).
 *
 * <p>Work below {@link #minElements} runs on the caller, in one call: handing a part to another thread costs
 * microseconds (tens when the helper has parked: see {@code Workers}), more than a small op takes. Convolutions and pooling split their images
 * with {@link #split} too, at their own threshold ({@code Convolution.forEachPart}).
 */
final class ParallelParts {
    private ParallelParts() {
    }

    /**
     * Threads a split may use: as many as the GEMM may ({@code -Dgrad4j.gemm.threads}, default the common pool's
     * parallelism plus the caller, at most the processor count). Not final only so that tests can compare thread
     * counts in one JVM.
     */
    static int threads = Math.max(1, Integer.getInteger("grad4j.gemm.threads",
            Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1)));

    /**
     * Elements (read plus written, summed over the operands) from which a call is split:
     * {@code -Dgrad4j.parallel.minElements}, default 2^20 (2^21 while splits went to the common ForkJoinPool, whose
     * parked workers took tens of microseconds to wake). Measured then on the idle 2-vCPU machine
     * ({@code ParallelPartsTimes}, every call split against none): at 2^20 elements a split was level or slower for
     * the memory-bound ops (relu of 2^19 floats 161 -> 175 us, an add 187 -> 192 us; Adam of 2^18 parameters, 1.8 M
     * elements, 101 -> 98 us), from 2^21 it paid (relu of 2^20 floats 372 -> 305 us, Adam of 2^19 parameters 212 ->
     * 149 us). With {@code Workers}' helpers, which spin a while before they park, a split that follows another
     * within tens of microseconds is handed over without a wake-up, so the threshold is 2^20: in an MLP step the
     * Adam update of a 784 x 256 layer (1.4 M elements) splits, its ReLUs and bias adds (at most 2^18) do not. The
     * two vCPUs share the memory bandwidth (and may be SMT siblings of one core), so memory-bound work gains 1.2-2x,
     * not 2x. Not final only for tests.
     */
    static long minElements = Long.getLong("grad4j.parallel.minElements", 1L << 20);

    /** Range boundaries fall on multiples of this many elements: whole cache lines and whole vectors per part. */
    static final int ALIGN = 64;

    /** A part of a split: elements, rows or outputs {@code [from, to)}. */
    @FunctionalInterface
    interface Body {
        void run(int from, int to);
    }

    /**
     * How many parts a call over {@code count} units touching {@code elements} elements in all is split into: 1
     * below {@link #minElements}, else up to {@link #threads}, at most one per unit.
     */
    static int parts(int count, long elements) {
        return elements < minElements ? 1 : Math.min(threads, count);
    }

    /**
     * {@code body(from, to)} over the elements {@code [0, n)} of an element-wise op that touches
     * {@code elementsPerIndex} array elements per index (2 for a unary op, 3 for a binary one...), in ranges whose
     * boundaries are multiples of {@link #ALIGN}.
     */
    static void elements(int n, int elementsPerIndex, Body body) {
        int blocks = (n + ALIGN - 1) / ALIGN;
        int parts = parts(blocks, (long) n * elementsPerIndex);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        split(blocks, parts, (b0, b1) -> body.run(b0 * ALIGN, (int) Math.min((long) b1 * ALIGN, n)));
    }

    /**
     * {@code body(from, to)} over {@code count} independent units (the outputs of a reduction, the rows of a
     * broadcast op) that touch {@code elements} array elements in all, in contiguous ranges of units.
     */
    static void units(int count, long elements, Body body) {
        split(count, parts(count, elements), body);
    }

    /**
     * {@code body(from, to)} over {@code [0, count)} in {@code parts} contiguous ranges (range t is
     * {@code [count t / parts, count (t + 1) / parts)}), claimed in order by the calling thread and grad4j's helper
     * threads ({@link Workers}); returns when all are done. One part, or fewer units than two, runs on the caller
     * alone.
     */
    static void split(int count, int parts, Body body) {
        if (parts <= 1 || count < 2) {
            body.run(0, count);
            return;
        }
        int n = Math.min(parts, count);
        Workers.run(n, n, t -> body.run((int) ((long) count * t / n), (int) ((long) count * (t + 1) / n)));
    }
}
