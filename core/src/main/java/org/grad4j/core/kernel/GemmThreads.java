package org.grad4j.core.kernel;

import java.util.concurrent.ForkJoinPool;

/**
 * How many threads a large GEMM may use: the caller plus the common pool's workers, at most the processor count.
 * {@code -Dgrad4j.gemm.threads=1} keeps every product on the calling thread. Results never depend on the count:
 * each thread computes whole tiles of C from the same operands in the same order.
 */
final class GemmThreads {
    private GemmThreads() {
    }

    static final int COUNT = Math.max(1, Integer.getInteger("grad4j.gemm.threads",
            Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1)));

    /**
     * Multiply-adds (m n k) from which a product is split across threads: 2^22, about 40 us single-threaded at
     * ~100 GFLOPS (2^24 while splits went to the common ForkJoinPool). Waking a parked common-pool worker cost tens
     * of microseconds (measured on a 2-vCPU KVM guest: a fork/join of two 48 us halves took 80 us instead of 48),
     * and each part packed its own copy of the operand it does not split. Measured then (AVX-512, idle machine, 1
     * thread -> 2): 64x128x784 57 -> 67-77 us (worse), 256^3 137 -> 124 us, 256x784x128 218 -> 166 us, 384^3 463 ->
     * 298 us, 1024^3 8.8 -> 4.7 ms.
     *
     * <p>Tried and rejected then: a dedicated helper that spins (yielding) between products without end, as OpenMP
     * runtimes do, with a 2^20 threshold. With the vCPUs on separate cores it took 64x128x784 from 58 to 38 us and
     * an MLP training step from 220 to 180 us; but when the hypervisor placed them on SMT siblings of one core (a
     * cache-line hand-off of 22 ns instead of 200 ns; it changes from minute to minute) the spinning sibling slowed
     * the caller's memory-bound work up to 3x and the step took 285 us.
     *
     * <p>Now: products split along m share one packed B and hand out row chunks (VectorGemm's
     * {@code sharedRowSplit}), so a split no longer packs B twice and a late helper takes fewer chunks; and the
     * helpers ({@link Workers}) spin a bounded 50 us after each split before they park, so the products of one
     * training step, tens of microseconds apart, find the helper awake. With both, the MLP's 4.2 M-multiply-add
     * products (batch 128: {@code h1 W2^T}, {@code g2 W2}, {@code g2^T h1}) split too.
     * {@code -Dgrad4j.gemm.parallelThreshold} overrides.
     */
    static final long MIN_WORK = Long.getLong("grad4j.gemm.parallelThreshold", 1L << 22);
}
