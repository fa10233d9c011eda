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

    /**
     * float32 pow's log2 in float lanes (|y| <= 32), for the sixteen pieces of m in [sqrt(1/2), sqrt(2)) cut at equal
     * steps of its bits: 1/c as K 2^-q, so that r = m/c - 1 is exact in float by one fma (1 for the piece holding 1).
     */
    static final float[] POWF16_INV_C = {
        0x1.6p+0f, 0x1.5p+0f, 0x1.48p+0f, 0x1.38p+0f, 0x1.3p+0f, 0x1.2p+0f, 0x1.18p+0f, 0x1.1p+0f,
        0x1.08p+0f, 0x1.0p+0f, 0x1.ep-1f, 0x1.cp-1f, 0x1.bp-1f, 0x1.98p-1f, 0x1.8p-1f, 0x1.7p-1f};

    /** -log2 of {@link #POWF16_INV_C}'s entries, the part that is a multiple of 2^-16. */
    static final float[] POWF16_LOG2_C_HI = {
        -0x1.d674p-2f, -0x1.91bcp-2f, -0x1.6e24p-2f, -0x1.244p-2f, -0x1.fbcp-3f, -0x1.5cp-3f, -0x1.08c8p-3f,
        -0x1.664p-4f, -0x1.6bap-5f, 0x0.0p+0f, 0x1.7d6p-4f, 0x1.8a88p-3f, 0x1.f6p-3f, 0x1.4f7p-2f, 0x1.a9p-2f,
        0x1.e7ep-2f};

    /** The rest of -log2 of {@link #POWF16_INV_C}'s entries, rounded to float. */
    static final float[] POWF16_LOG2_C_LO = {
        -0x1.3e032ep-18f, 0x1.5db83ap-20f, 0x1.e3263p-18f, -0x1.eac382p-20f, -0x1.6b9026p-19f, -0x1.a39fbep-19f,
        0x1.3b992cp-18f, 0x1.20a6dep-21f, -0x1.a6eb1ep-18f, 0x0.0p+0f, 0x1.25b3eep-22f, 0x1.80abfcp-19f,
        -0x1.3ab7cep-18f, -0x1.134c4ep-20f, -0x1.a39fbep-20f, -0x1.40358ep-19f};

    /**
     * float32 pow's exp2 in float lanes: the floats whose bits are those of 2^(j/16) rounded to float minus j << 19,
     * so that adding n << 19 to entry n & 15 gives the bits of 2^(n/16) rounded (while that is a normal float).
     */
    static final float[] POWF16_EXP2_T = {
        0x1.0p+0f, 0x1.fb5586p-1f, 0x1.f72b84p-1f, 0x1.f387a6p-1f, 0x1.f06fep-1f, 0x1.edea64p-1f, 0x1.ebfdaep-1f,
        0x1.eab07ep-1f, 0x1.ea09e6p-1f, 0x1.ea1148p-1f, 0x1.eace54p-1f, 0x1.ec4918p-1f, 0x1.ee89fap-1f,
        0x1.f199bep-1f, 0x1.f5818ep-1f, 0x1.fa4afap-1f};

    /** (2^(j/16) - T) / T rounded to float, T = 2^(j/16) rounded to float. */
    static final float[] POWF16_EXP2_TAIL = {
        0x0.0p+0f, 0x1.8d96d4p-25f, -0x1.9c0c22p-27f, 0x1.964904p-25f, 0x1.125002p-25f, 0x1.370be4p-25f,
        -0x1.0a355p-25f, -0x1.00d8acp-27f, 0x1.26055cp-26f, -0x1.05cb44p-25f, 0x1.67a1cap-28f, 0x1.a3b5e4p-28f,
        -0x1.f9c304p-27f, -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f};

    static final long[] POWF_INV_C_BITS = bits(POWF_INV_C);
    static final long[] POWF_LOG2_C_BITS = bits(POWF_LOG2_C);
    static final long[] POW_INV_C_BITS = bits(POW_INV_C);
    static final long[] POW_LOG_C_HI_BITS = bits(POW_LOG_C_HI);
    static final long[] POW_LOG_C_LO_BITS = bits(POW_LOG_C_LO);
    static final long[] POW_EXP_T_BITS = bits(POW_EXP_T);
    static final long[] POW_EXP_TAIL_BITS = bits(POW_EXP_TAIL);

    static final int[] POWF16_INV_C_BITS = bits(POWF16_INV_C);
    static final int[] POWF16_LOG2_C_HI_BITS = bits(POWF16_LOG2_C_HI);
    static final int[] POWF16_LOG2_C_LO_BITS = bits(POWF16_LOG2_C_LO);
    static final int[] POWF16_EXP2_T_BITS = bits(POWF16_EXP2_T);
    static final int[] POWF16_EXP2_TAIL_BITS = bits(POWF16_EXP2_TAIL);

    private static int[] bits(float[] table) {
        int[] bits = new int[table.length];
        for (int i = 0; i < table.length; i++) {
            bits[i] = Float.floatToRawIntBits(table[i]);
        }
        return bits;
    }

    private static long[] bits(double[] table) {
        long[] bits = new long[table.length];
        for (int i = 0; i < table.length; i++) {
            bits[i] = Double.doubleToRawLongBits(table[i]);
        }
        return bits;
    }
}
