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

    /**
     * float64 pow's log (|y| <= 32), for the eight pieces of m in [0x1.6aaaaaaaaaaabp-1, 2 of that) cut at equal
     * steps of its bits, 1 in the middle of piece 4: 1/c as K 2^-q, so that r = m/c - 1 is exact by one fma.
     */
    static final double[] POW_INV_C = {
        0x1.6p+0, 0x1.4p+0, 0x1.2p+0, 0x1.1p+0, 0x1.0p+0, 0x1.dp-1, 0x1.ap-1, 0x1.8p-1};

    /** -log of {@link #POW_INV_C}'s entries, the part that is a multiple of 2^-42. */
    static final double[] POW_LOG_C_HI = {
        -0x1.4618bc21c6000p-2, -0x1.c8ff7c79aa000p-3, -0x1.e27076e2b0000p-4, -0x1.f0a30c0118000p-5,
        0x0.0p+0, 0x1.9335e5d594000p-4, 0x1.a93ed3c8ae000p-3, 0x1.269621134e000p-2};

    /** The rest of -log of {@link #POW_INV_C}'s entries, rounded. */
    static final double[] POW_LOG_C_LO = {
        0x1.3d82f484c84ccp-46, 0x1.7794f689f8434p-45, 0x1.a342c2af0003cp-45, 0x1.d599e83368e91p-45,
        0x0.0p+0, 0x1.3115c3abd47dap-45, -0x1.8724350562169p-45, -0x1.1b61f10522625p-44};

    /**
     * float64 pow's exp: the doubles whose bits are those of 2^(j/8) rounded minus j << 49, so that adding k << 49 to
     * entry k & 7 gives the bits of 2^(k/8) rounded.
     */
    static final double[] POW_EXP_T = {
        0x1.0000000000000p+0, 0x1.f72b83c7d517bp-1, 0x1.f06fe0a31b715p-1, 0x1.ebfdad5362a27p-1,
        0x1.ea09e667f3bcdp-1, 0x1.eace5422aa0dbp-1, 0x1.ee89f995ad3adp-1, 0x1.f5818dcfba487p-1};

    /** (2^(j/8) - its rounded value) / the rounded value. */
    static final double[] POW_EXP_TAIL = {
        0x0.0p+0, -0x1.01b15eaa59348p-55, 0x1.34d754db0abb6p-55, 0x1.690cebb7aafb0p-56,
        -0x1.3b3efbf5e2228p-54, 0x1.db72fc1f0eab4p-55, 0x1.c1a7792cb3387p-55, 0x1.4a385a63d07a7p-56};

    static final long[] POWF_INV_C_BITS = bits(POWF_INV_C);
    static final long[] POWF_LOG2_C_BITS = bits(POWF_LOG2_C);
    static final long[] POW_INV_C_BITS = bits(POW_INV_C);
    static final long[] POW_LOG_C_HI_BITS = bits(POW_LOG_C_HI);
    static final long[] POW_LOG_C_LO_BITS = bits(POW_LOG_C_LO);
    static final long[] POW_EXP_T_BITS = bits(POW_EXP_T);
    static final long[] POW_EXP_TAIL_BITS = bits(POW_EXP_TAIL);

    private static long[] bits(double[] table) {
        long[] bits = new long[table.length];
        for (int i = 0; i < table.length; i++) {
            bits[i] = Double.doubleToRawLongBits(table[i]);
        }
        return bits;
    }
}
