package org.grad4j.core.kernel;

import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape every SIMD kernel uses: the machine's preferred shape, or a narrower one requested with
 * {@code -Dgrad4j.vectorBits=128|256|512}. Narrower vectors are slower but give the same bits (grad4j's kernels do
 * not let the lane count change a result), which {@code -Dgrad4j.vectorBits=256} lets an AVX-512 machine test.
 * Loaded only with the Vector API module, like {@link VectorKernels}.
 */
final class VectorShapes {
    private VectorShapes() {
    }

    private static final String PROPERTY = "grad4j.vectorBits";
    private static final int PREFERRED_BITS = VectorShape.preferredShape().vectorBitSize();

    /** Why the requested shape cannot be used, or null when it can (or none was requested). */
    static final String PROBLEM;
    /** The bit size the kernels use. */
    static final int BITS;

    static {
        String requested = System.getProperty(PROPERTY);
        int bits = PREFERRED_BITS;
        String problem = null;
        if (requested != null && !requested.isBlank()) {
            try {
                bits = Integer.parseInt(requested.trim());
                if (bits != 128 && bits != 256 && bits != 512) {
                    problem = "-D" + PROPERTY + "=" + requested + " is not one of 128, 256, 512";
                } else if (bits > PREFERRED_BITS) {
                    problem = "-D" + PROPERTY + "=" + requested + " exceeds this machine's " + PREFERRED_BITS
                            + "-bit vectors; use at most " + PREFERRED_BITS;
                }
            } catch (NumberFormatException e) {
                problem = "-D" + PROPERTY + "=" + requested + " is not a number of bits (128, 256 or 512)";
            }
            if (problem != null) {
                bits = PREFERRED_BITS;
            }
        }
        PROBLEM = problem;
        BITS = bits;
    }

    /** The species of {@link #BITS} bits for an element type, e.g. {@code species(float.class)}. */
    static <E> VectorSpecies<E> species(Class<E> elementType) {
        return VectorSpecies.of(elementType, VectorShape.forBitSize(BITS));
    }
}
