package org.grad4j.spark;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that Spark can ship to executors, e.g. the optimizer factory
 * {@code params -> new Adam(params, Adam.options().lr(1e-3))}.
 *
 * @param <A> the argument
 * @param <R> the result
 */
@FunctionalInterface
public interface SerializableFunction<A, R> extends Function<A, R>, Serializable {
}
