package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link GemmOrder#kBlock}, the one choice both GEMMs take their k blocks from (so the GEMM tests, which hold the
 * kernels to each other and to a transcription of the order, cannot see it change): the fewest blocks of at most
 * {@link GemmOrder#KC}, as equal as possible, the last one possibly shorter. Held to hand values and, for every k up
 * to 3000, to a search for the smallest block count and block length.
 */
class GemmOrderTest {
    @Test
    void handValues() {
        assertEquals(1, GemmOrder.kBlock(1));
        assertEquals(255, GemmOrder.kBlock(255));
        assertEquals(256, GemmOrder.kBlock(256));
        assertEquals(129, GemmOrder.kBlock(257));   // 129 + 128, not 256 + 1
        assertEquals(256, GemmOrder.kBlock(512));
        assertEquals(171, GemmOrder.kBlock(513));   // 171 + 171 + 171
        assertEquals(196, GemmOrder.kBlock(784));   // 4 x 196, not 3 x 256 + 16
        assertEquals(197, GemmOrder.kBlock(785));   // 197 x 3 + 194
    }

    @Test
    void fewestBlocksOfAtMostKcAsEqualAsPossible() {
        for (int k = 1; k <= 3000; k++) {
            int blocks = 1;
            while (blocks * GemmOrder.KC < k) blocks++;
            int length = 1;
            while (length * blocks < k) length++;
            int kc = GemmOrder.kBlock(k);
            assertEquals(length, kc, "k = " + k + ": " + blocks + " blocks");
            // the blocks the GEMMs walk (pc += kc) are exactly that many, the last one non-empty
            assertEquals(blocks, (k + kc - 1) / kc, "k = " + k);
        }
    }
}
