package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Random;
import org.apache.spark.broadcast.Broadcast;
import org.grad4j.core.DType;
import org.grad4j.nn.Linear;
import org.grad4j.nn.MSELoss;
import org.grad4j.nn.Module;
import org.grad4j.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * The closures shipped with every task carry handles and settings, never a parameter-sized value: their serialized
 * size (Spark's closure serializer is Java serialization) does not grow with the model.
 */
class TaskSizeTest {

    static Module linear(int in, int out) {
        return new Linear(in, out, true, DType.FLOAT64, new Random(0));
    }

    static int serializedSize(Object closure) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(closure);
        }
        return bytes.size();
    }

    @Test
    void taskClosuresStaySmallFromAThousandToAMillionParameters() throws IOException {
        int[] small = closureSizes(10, 100);      // 1,100 parameters
        int[] large = closureSizes(1000, 1000);   // 1,001,000 parameters
        System.out.println("serialized task closures (bytes) at 1,100 / 1,001,000 parameters: "
                + java.util.Arrays.toString(small) + " / " + java.util.Arrays.toString(large));
        for (int i = 0; i < small.length; i++) {
            assertTrue(large[i] < 16_384, "closure " + i + " is " + large[i] + " bytes");
            assertTrue(large[i] - small[i] < 64, "closure " + i + " grew from " + small[i] + " to " + large[i]);
        }
    }

    private static int[] closureSizes(int in, int out) throws IOException {
        SerializableSupplier<Module> model = () -> linear(in, out);
        TrainingSpec spec = new TrainingSpec(model, MSELoss::new, params -> new SGD(params, 0.1), Labels.VALUES, 0);
        int n = FlatParameters.count(model.get().parameters());
        BatchPlan plan = new BatchPlan(new long[] {1000, 1000}, 64, 1);
        Broadcast<double[]> weights = SparkTestSupport.jsc().broadcast(new double[n]);
        try {
            SliceLayout layout = new SliceLayout(n, 2, DType.FLOAT64);
            HyperParameters hyper = HyperParameters.of(new SGD(model.get().parameters(), 0.1));
            return new int[] {
                serializedSize(new DriverSync.GradientTask("run", spec, plan, 12_345, weights)),
                serializedSize(new DriverSync.LocalStepsTask("run", spec, plan, hyper, 12_345, 4, weights)),
                serializedSize(new SlicedSync.SliceGradientTask("run", spec, plan, layout, 12_345)),
                serializedSize(new SlicedSync.SliceUpdateTask("run", spec, layout, 2, 12_345, true, hyper)),
                serializedSize(List.of(new PartialGradient(null, 0, 0)))};
        } finally {
            weights.destroy();
        }
    }
}
