package org.grad4j.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@link Supplier} that Spark can ship to executors: write it as a lambda or a static method reference that
 * captures only serializable values, e.g. {@code () -> new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3))}.
 *
 * @param <T> what it supplies
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
