package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.MSELoss;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

/** Bad settings and data that does not fit the model fail on the driver with the reason, before any step. */
class ValidationTest {

    static DistributedTrainer.Builder base() {
        return DistributedTrainer.builder()
                .model(SparkTestSupport::mlp)
                .loss(CrossEntropyLoss::new)
                .optimizer(params -> new SGD(params, 0.1))
                .labels(Labels.CLASS_INDEX)
                .batchSize(8);
    }

    @Test
    void examplesOfTheWrongWidthAreRejectedOnTheDriverWithBothShapes() {
        List<Example> wide = List.of(Example.of(new double[5], 0), Example.of(new double[5], 1),
                Example.of(new double[5], 2), Example.of(new double[5], 0), Example.of(new double[5], 1),
                Example.of(new double[5], 2), Example.of(new double[5], 0), Example.of(new double[5], 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base().build().start(SparkTestSupport.rdd(wide, 2)));
        assertTrue(e.getMessage().contains("5 features") && e.getMessage().contains("last dim is 4"), e.getMessage());
    }

    @Test
    void vectorLabelsWithClassIndicesAndFractionalClassesAreExplained() {
        List<Example> vectors = java.util.Collections.nCopies(8, new Example(new double[4], new double[] {0, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base().build().start(SparkTestSupport.rdd(vectors, 2)));
        assertTrue(e.getMessage().contains("Labels.VALUES"), e.getMessage());
        IllegalArgumentException fractional = assertThrows(IllegalArgumentException.class,
                () -> Labels.CLASS_INDEX.toTensor(new double[] {0.5}, 1, 1, org.grad4j.core.DType.FLOAT64));
        assertTrue(fractional.getMessage().contains("not a class index"), fractional.getMessage());
    }

    @Test
    void contradictorySettingsFailAtBuild() {
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class,
                () -> base().strategy(Strategy.SLICED).clipGradNorm(1).build());
        assertTrue(clip.getMessage().contains("Strategy.DRIVER"), clip.getMessage());
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class,
                () -> base().strategy(Strategy.SLICED).localSteps(4).build());
        assertTrue(local.getMessage().contains("local steps"), local.getMessage());
        assertThrows(NullPointerException.class, () -> DistributedTrainer.builder().loss(MSELoss::new).build());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> new BatchPlan(new long[] {3, 4}, 8, 0));
        assertTrue(batch.getMessage().contains("number of examples, 7"), batch.getMessage());
    }
}
