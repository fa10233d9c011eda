/**
 * Synchronous data-parallel training of grad4j models on Apache Spark: {@link org.grad4j.spark.DistributedTrainer}.
 */
package org.grad4j.spark;
