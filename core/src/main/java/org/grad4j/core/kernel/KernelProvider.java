package org.grad4j.core.kernel;

import java.lang.System.Logger.Level;

/**
 * Chooses the {@link Kernels} implementation once, when first used, and logs which one and why on the
 * {@code org.grad4j.core} {@link System.Logger}: at DEBUG when the SIMD kernels were chosen, and as a WARNING, once,
 * when they are unavailable or forced off, naming the reason and the flag to add for Maven, Gradle, an IDE and
 * plain {@code java} (the text is {@link #fallbackWarning(String)}). {@link #description()} returns the one-line
 * summary either way.
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

    /**
     * The WARNING logged once when the scalar kernels are chosen: what was chosen, why, and how to get the SIMD
     * kernels in each build tool. The scalar kernels give the same results bit for bit, so this is a warning,
     * never an error.
     */
    public static String fallbackWarning(String reason) {
        String flag = "--add-modules " + VECTOR_MODULE;
        String n = System.lineSeparator();
        return "grad4j uses its portable scalar kernels, which are slower than its SIMD kernels (about 1.2-3x"
                + " for matrix products and training steps, more for exp, log and tanh; the same results bit for"
                + " bit)." + n
                + "  Why: " + reason + "." + n
                + "  Fix: start the JVM with " + flag + ":" + n
                + "    java:   java " + flag + " -cp ... your.Main" + n
                + "    Maven:  tests: maven-surefire-plugin <argLine>" + flag + "</argLine>;" + n
                + "            exec:exec: <argument>--add-modules</argument><argument>" + VECTOR_MODULE
                + "</argument> before -classpath;" + n
                + "            exec:java runs inside Maven's JVM: use MAVEN_OPTS=\"" + flag + "\"" + n
                + "    Gradle: application { applicationDefaultJvmArgs = ['" + flag + "'] } and"
                + " tasks.withType(Test) { jvmArgs '" + flag + "' }" + n
                + "    IDE:    Run configuration > VM options: " + flag + n
                + "  The JVM then prints \"WARNING: Using incubator modules: " + VECTOR_MODULE + "\", which is expected."
                + " -Dgrad4j.kernels=scalar chooses the scalar kernels on purpose.";
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
            System.Logger logger = System.getLogger("org.grad4j.core");
            if (chosen == ScalarKernels.INSTANCE) {
                logger.log(Level.WARNING, fallbackWarning(reason.toString()));
            } else {
                logger.log(Level.DEBUG, "grad4j kernels: " + DESCRIPTION);
            }
        }
    }
}
