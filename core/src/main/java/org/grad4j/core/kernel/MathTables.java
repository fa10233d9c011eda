package org.grad4j.core.kernel;

/**
 * The lookup tables of Math.snippets (snippet helper {@code lookup(MathTables.NAME, index)}): ScalarKernels reads
 * an entry of the double array, VectorKernels picks the same entries per lane from the bit patterns ({@code _BITS})
 * by a permutation within vector registers, so both paths see the same values. Values printed by
 * core/src/build/math_constants.py.
 */
final class MathTables {
    private MathTables() {
    }

    /**
     * float32 pow's log2, for the eight pieces of m in [sqrt(1/2), sqrt(2)) cut at equal steps of its bits:
     * 1/c rounded, c the middle of the piece (1 for the piece holding 1).
     */
    static final double[] POWF_INV_C = {
        0x1.5ab74208f838ep+0, 0x1.3fa85c060f005p+0, 0x1.28845cf1c1b20p+0, 0x1.14802a787b901p+0,
        0x1.0000000000000p+0, 0x1.d0bb084fd9e04p-1, 0x1.a16016ce955cfp-1, 0x1.7ac74a0cfa39ep-1};

    /** -log2 of {@link #POWF_INV_C}'s entries, rounded. */
    static final double[] POWF_LOG2_C = {
        -0x1.c01cd5061cad0p-2, -0x1.4812b2d2940f2p-2, -0x1.b21df7940983ep-3, -0x1.c739bdfc8cd51p-4,
        0x0.0p+0, 0x1.1e34d1bcc85cbp-3, 0x1.2ddfa3026b17ap-2, 0x1.bd39733196e13p-2};

    static final long[] POWF_INV_C_BITS = bits(POWF_INV_C);
    static final long[] POWF_LOG2_C_BITS = bits(POWF_LOG2_C);

    private static long[] bits(double[] table) {
        long[] bits = new long[table.length];
        for (int i = 0; i < table.length; i++) {
            bits[i] = Double.doubleToRawLongBits(table[i]);
        }
        return bits;
    }
}
