package org.grad4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training example: a feature vector and a label vector (one value for a class index or a scalar target).
 * The arrays are not copied; do not change them after handing the example to Spark.
 *
 * <pre>{@code
 * Example e = Example.of(new double[] {0.5, 1.2}, 3);   // features, class 3
 * }</pre>
 */
public record Example(double[] features, double[] label) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The order in which a partition's examples are numbered for {@link BatchPlan}: by features, then label,
     * comparing element by element. It makes the draw independent of the order in which Spark delivers a
     * partition's examples (which varies between runs after a shuffle, e.g. a {@code repartition}).
     */
    public static final java.util.Comparator<Example> CONTENT_ORDER = (a, b) -> {
        int c = Arrays.compare(a.features, b.features);
        return c != 0 ? c : Arrays.compare(a.label, b.label);
    };

    /** Checks that both arrays are present and non-empty. */
    public Example {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(label, "label");
        if (features.length == 0) {
            throw new IllegalArgumentException("Example: the feature vector is empty; an example needs at least one feature");
        }
        if (label.length == 0) {
            throw new IllegalArgumentException("Example: the label is empty; give a class index or a target value");
        }
    }

    /** An example with a single label value (a class index, or a scalar regression target). */
    public static Example of(double[] features, double label) {
        return new Example(features, new double[] {label});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && Arrays.equals(features, e.features) && Arrays.equals(label, e.label);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(label);
    }

    @Override
    public String toString() {
        return "Example(features=" + Arrays.toString(features) + ", label=" + Arrays.toString(label) + ")";
    }
}
