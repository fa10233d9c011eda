package org.grad4j.core.kernel;

/**
 * The accumulation order of every matrix product, shared by the SIMD and the scalar GEMM so that both give the same
 * bits: k is cut into {@link #kBlock balanced blocks} of at most {@link #KC}; within a block each element of C is
 * {@code fma(a[i][p], b[p][j], s)} for p in order, starting from s = +0.0; the first block's sum is stored, each
 * later block's sum is added to C. The order does not depend on the vector width, the tile sizes or the number of
 * threads (threads take whole tiles of C).
 */
final class GemmOrder {
    private GemmOrder() {
    }

    /** k block: a micro-tile's {@code 8 x KC} slice of A (8 KB of floats) stays in L1 while it sweeps B's panels. */
    static final int KC = 256;

    /** The k block length for a product with inner dimension k: k = 784 runs as 4 x 196, not 3 x 256 + 16. */
    static int kBlock(int k) {
        int blocks = (k + KC - 1) / KC;
        return (k + blocks - 1) / blocks;
    }
}
