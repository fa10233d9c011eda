package org.grad4j.spark;

/**
 * How gradients and parameters travel each step. Both give the same trajectory (up to the order in which floats are
 * summed); they differ in where the traffic and the optimizer's work go.
 */
public enum Strategy {
    /**
     * {@link #SLICED} for models of at least {@code DistributedTrainer.Builder#slicedThreshold} parameters trained on
     * two or more partitions with a single-group optimizer (and no local steps or norm clipping), else {@link #DRIVER}.
     */
    AUTO,
    /**
     * The driver holds the model and the optimizer: each step it broadcasts the parameters, every partition returns
     * its weighted gradient, {@code treeAggregate} sums them, and the driver steps the optimizer. Every optimizer
     * feature works (param groups, norm clipping, local steps); the driver sends and receives the whole vector once
     * per step.
     */
    DRIVER,
    /**
     * BigDL's scheme: the flat parameter vector is cut into one slice per partition, and the owner of a slice keeps its
     * parameters and optimizer state in Spark's block manager. Each step is two jobs: every partition fetches all
     * slices, computes its gradient and stores it sliced (reduce-scatter through the block manager); then every
     * owner sums its slice's gradients, steps the optimizer on that slice and stores the new slice (all-gather at the
     * next step). The driver moves no vectors. The optimizer must treat elements independently and have one param
     * group: SGD, RMSProp, Adam and AdamW do; norm clipping (which needs the whole gradient) and local steps need
     * {@link #DRIVER}.
     */
    SLICED
}
