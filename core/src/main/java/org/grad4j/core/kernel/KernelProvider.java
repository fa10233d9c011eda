package org.grad4j.core.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses the {@link Kernels} implementation once, when first used, and logs which one and why (at DEBUG on the
 * {@code org.grad4j.core} logger; {@link #description()} returns the same line).
 *
 * <p>The SIMD implementation ({@code VectorKernels}, on the incubating Vector API) is chosen when the module
 * {@code jdk.incubator.vector} is in the boot layer, i.e. when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, and the machine's preferred vector shape holds at least 4 floats.
 * Without the flag grad4j still works, on the portable scalar kernels ({@code ScalarKernels}): the same results
 * bit for bit (both follow one order for every sum and product and share grad4j's own elementary functions), but
 * 35-100x slower matrix products (64^3 to 1024^3 on AVX-512) and 5-30x slower element-wise ops on long runs; an
 * MLP training step was 28x slower. The build passes the flag to core's tests, the examples and the benchmarks. Set
 * the system property {@code grad4j.kernels=scalar} to force the scalar kernels (e.g. to compare results), and
 * {@code grad4j.vectorBits=128|256} for narrower SIMD vectors (see {@code VectorShapes}).
 *
 * <p>The SIMD class is loaded reflectively, so no class here refers to incubator types: were the module absent,
 * any such reference would fail with {@code NoClassDefFoundError} at link time.
 */
public final class KernelProvider {
    private KernelProvider() {
    }

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "org.grad4j.core.kernel.VectorKernels";

    /** The implementation every op uses. */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /** The portable implementation, always available; tests hold other implementations to it. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** Which implementation was chosen and why, e.g. {@code "vector(512-bit, 16 floats): jdk.incubator.vector ..."}. */
    public static String description() {
        return Holder.DESCRIPTION;
    }

    /**
     * The Vector API implementation if it can run here, else null; {@code why} receives the reason either way.
     * Tests use it to hold the SIMD kernels to the scalar ones whatever {@code grad4j.kernels} says.
     */
    public static Kernels vector(StringBuilder why) {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            why.append("module " + VECTOR_MODULE + " is not in the boot layer; start the JVM with --add-modules "
                    + VECTOR_MODULE + " for the SIMD kernels");
            return null;
        }
        try {
            Class<?> type = Class.forName(VECTOR_CLASS);
            Kernels kernels = (Kernels) type.getDeclaredConstructor().newInstance();
            why.append(VECTOR_MODULE + " is available (" + type.getDeclaredMethod("shape").invoke(null) + ")");
            return kernels;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            why.append(cause instanceof UnsupportedOperationException u ? u.getMessage() : cause.toString());
        } catch (ReflectiveOperationException | LinkageError e) {
            why.append("the Vector API implementation could not be loaded: " + e);
        }
        return null;
    }

    private static final class Holder {
        static final String DESCRIPTION;
        static final Kernels INSTANCE;

        static {
            String requested = System.getProperty("grad4j.kernels", "auto");
            StringBuilder reason = new StringBuilder();
            Kernels chosen = null;
            if ("scalar".equals(requested)) {
                reason.append("requested by -Dgrad4j.kernels=scalar");
            } else {
                chosen = vector(reason);
            }
            if (chosen == null) {
                chosen = ScalarKernels.INSTANCE;
            }
            INSTANCE = chosen;
            DESCRIPTION = chosen.name() + ": " + reason;
            System.getLogger("org.grad4j.core").log(Level.DEBUG, "grad4j kernels: " + DESCRIPTION);
        }
    }
}
