package org.grad4j.spark;

/** One way of running a synchronous step across the partitions; see {@link Strategy}. */
interface Synchronizer extends AutoCloseable {

    /** Runs the step(s) starting at {@code step}; returns the mean loss over the global batch and the examples used. */
    PartialGradient step(long step);

    /** How many steps one call of {@link #step} advances (more than 1 with local steps). */
    int stepsPerCall();

    /** Makes the driver's model and optimizer hold the state reached after {@code step} steps. */
    void pull(long step);

    /** Releases what the strategy keeps on the cluster. */
    @Override
    void close();
}
