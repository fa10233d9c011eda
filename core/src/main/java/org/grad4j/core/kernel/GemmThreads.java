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
     * Multiply-adds (m n k) from which a product is split across threads: 2^24, about 130 us single-threaded at
     * ~240 GFLOPS. Waking a parked common-pool worker costs tens of microseconds (measured on a 2-vCPU KVM guest: a
     * fork/join of two 48 us halves took 80 us instead of 48), and each part packs its own copy of the operand it
     * does not split. Measured (AVX-512, idle machine, 1 thread -> 2): 64x128x784 57 -> 67-77 us (worse),
     * 256^3 137 -> 124 us, 256x784x128 218 -> 166 us, 384^3 463 -> 298 us, 1024^3 8.8 -> 4.7 ms.
     *
     * <p>Tried and rejected: a dedicated helper that spins (yielding) between products, as OpenMP runtimes do, with
     * a 2^20 threshold. With the vCPUs on separate cores it took 64x128x784 from 58 to 38 us and an MLP training step
     * from 220 to 180 us; but when the hypervisor placed them on SMT siblings of one core (a cache-line hand-off of
     * 22 ns instead of 200 ns; it changes from minute to minute) the spinning sibling slowed the caller's memory-bound
     * work up to 3x and the step took 285 us. Parked pool workers cost nothing while idle, whatever the placement.
     *
     * <p>Products split along m share one packed B and hand out row chunks (VectorGemm's {@code sharedRowSplit}),
     * so a split no longer packs B twice and a late worker takes fewer chunks; the threshold stayed: the MLP's
     * 4.2 M-multiply-add products (batch 128) split from 2^22 took 10-20% more CPU time over the threads under load,
     * where the parked worker mostly woke after the caller had done every chunk.
     */
    static final long MIN_WORK = Long.getLong("grad4j.gemm.parallelThreshold", 1L << 24);
}
