package org.grad4j.spark;

import java.io.Serializable;
import java.util.List;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Loss;
import org.grad4j.nn.Module;
import org.grad4j.optim.Optimizer;

/** What the tasks need to rebuild a model replica and to step an optimizer: small, shipped with every task. */
record TrainingSpec(
        SerializableSupplier<? extends Module> modelFactory,
        SerializableSupplier<? extends Loss> lossFactory,
        SerializableFunction<List<Tensor>, ? extends Optimizer> optimizerFactory,
        Labels labels,
        double clipGradValue) implements Serializable {
}
