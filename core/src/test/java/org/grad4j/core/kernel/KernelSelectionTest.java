package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels must load wherever the Vector API is present and offers at least 4 float lanes: every test that
 * holds them to the scalar kernels skips itself when they do not load, so a SIMD class that failed to initialise
 * would otherwise pass unnoticed. Their names say which width they run at.
 */
class KernelSelectionTest {
    @Test
    void theScalarKernelsNameThemselves() {
        assertEquals("scalar", KernelProvider.scalar().name());
    }

    @Test
    void theSimdKernelsLoadWhereverTheVectorApiOffersFourFloatLanes() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with --add-modules jdk.incubator.vector (the build's surefire configuration does)");
        String requested = System.getProperty("grad4j.vectorBits");
        int bits = requested == null ? VectorShape.preferredShape().vectorBitSize() : Integer.parseInt(requested);
        assumeTrue(bits >= 128, "this machine's vectors hold fewer than 4 floats");

        StringBuilder why = new StringBuilder();
        Kernels vector = KernelProvider.vector(why);
        assertNotNull(vector, why::toString);
        assertEquals("vector(" + bits + "-bit, " + bits / 32 + " floats)", vector.name());
        assertEquals("jdk.incubator.vector is available (" + bits + "-bit vectors: " + bits / 32 + " float / "
                + bits / 64 + " double lanes)", why.toString());
        if (!"scalar".equals(System.getProperty("grad4j.kernels"))) {
            assertEquals(vector.name(), KernelProvider.get().name());
            assertTrue(KernelProvider.description().startsWith(vector.name() + ": "), KernelProvider.description());
        }
    }
}
