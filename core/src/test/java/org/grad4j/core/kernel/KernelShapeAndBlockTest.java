package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Two small helpers that the kernel tests reach only through class initialisers or from outside the package:
 * {@link VectorShapes#species} gives the species of the chosen width for each element type, and
 * {@link Kernels#gemmKBlock} (the k block the convolutions cut their sums by) is {@link GemmOrder}'s balanced block,
 * checked against hand-derived values.
 */
class KernelShapeAndBlockTest {
    @Test
    void theSpeciesHaveTheChosenWidth() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with --add-modules jdk.incubator.vector (the build's surefire configuration does)");
        assertEquals(VectorShapes.BITS, VectorShapes.species(float.class).vectorBitSize());
        assertEquals(VectorShapes.BITS / 32, VectorShapes.species(float.class).length());
        assertEquals(VectorShapes.BITS / 64, VectorShapes.species(double.class).length());
    }

    @Test
    void theConvolutionsKBlockIsTheGemmsBalancedBlock() {
        // k <= 256: one block of k; above, ceil(k / 256) blocks of equal length (the last shorter by the remainder).
        assertEquals(1, Kernels.gemmKBlock(1));
        assertEquals(256, Kernels.gemmKBlock(256));
        assertEquals(129, Kernels.gemmKBlock(257));   // 2 blocks: 129 + 128
        assertEquals(196, Kernels.gemmKBlock(784));   // 4 blocks of 196
        assertEquals(250, Kernels.gemmKBlock(1000));  // 4 blocks of 250
        assertEquals(221, Kernels.gemmKBlock(1101));  // 5 blocks: 4 x 221 + 217
    }
}
