package org.grad4j.core.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses the {@link Kernels} implementation once, when first used, and logs which one and why. Set the system
 * property {@code grad4j.kernels=scalar} to force the portable implementation.
 */
public final class KernelProvider {
    private KernelProvider() {
    }

    /** The implementation every op uses. */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /** The portable implementation, always available; tests hold other implementations to it. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    private static final class Holder {
        static final Kernels INSTANCE = choose();

        private static Kernels choose() {
            String requested = System.getProperty("grad4j.kernels", "auto");
            Kernels chosen = ScalarKernels.INSTANCE;
            String reason = "scalar".equals(requested)
                    ? "requested by -Dgrad4j.kernels=scalar"
                    : "no SIMD implementation is available in this build";
            System.getLogger("org.grad4j.core").log(Level.DEBUG,
                    "grad4j kernels: " + chosen.name() + " (" + reason + ")");
            return chosen;
        }
    }
}
