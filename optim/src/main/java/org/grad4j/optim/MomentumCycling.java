package org.grad4j.optim;

/** Finding the option that {@link CyclicLR} and {@link OneCycleLR} cycle inversely to the learning rate. */
final class MomentumCycling {
    private MomentumCycling() {
    }

    /** The optimizer's numeric option called {@code name} ({@code "momentum"} or {@code "beta1"}), or null. */
    @SuppressWarnings("unchecked")
    static Option<Double> find(Optimizer optimizer, String name) {
        for (Option<?> o : optimizer.optionKeys()) {
            if (o.name().equals(name) && o.type() == Double.class) {
                return (Option<Double>) o;
            }
        }
        return null;
    }

    /** Returns {@code value}, or an {@link IllegalArgumentException} naming the operation and the parameter. */
    static <T> T notNull(T value, String operation, String parameter) {
        if (value == null) {
            throw new IllegalArgumentException(operation + ": " + parameter + " is null");
        }
        return value;
    }

    /** One value per group: {@code values} itself, or its single value repeated. */
    static double[] perGroup(String scheduler, String name, double[] values, int groups) {
        if (values == null || (values.length != 1 && values.length != groups)) {
            throw LRScheduler.invalid(scheduler, name, values == null ? null : java.util.Arrays.toString(values),
                    "one value, or one per param group (" + groups + ")");
        }
        if (values.length == groups) {
            return values.clone();
        }
        double[] out = new double[groups];
        java.util.Arrays.fill(out, values[0]);
        return out;
    }
}
