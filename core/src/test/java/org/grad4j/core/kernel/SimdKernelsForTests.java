package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The SIMD kernels for a test class's {@code @BeforeAll}, or the class skipped with the reason they cannot load. */
final class SimdKernelsForTests {
    private SimdKernelsForTests() {
    }

    /**
     * Loads the SIMD kernels; skips the calling test class (a JUnit assumption) when the Vector API module is absent
     * or the kernels cannot run here, naming why. {@code KernelSelectionTest} fails instead where they must load.
     */
    static Kernels loadOrSkip() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with --add-modules jdk.incubator.vector (the build's surefire configuration does)");
        StringBuilder why = new StringBuilder();
        Kernels vector = KernelProvider.vector(why);
        assumeTrue(vector != null, why::toString);
        return vector;
    }
}
