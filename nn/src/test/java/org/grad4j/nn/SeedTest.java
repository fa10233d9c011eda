package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Grad4j;
import org.grad4j.core.Tensor;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.TensorDataset;
import org.junit.jupiter.api.Test;

/** One call to Grad4j.manualSeed fixes initial weights, dropout masks and the loader's shuffling. */
class SeedTest {

    private static List<double[]> run(long seed) {
        Grad4j.manualSeed(seed);
        Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.5), new Linear(8, 2));
        Tensor ids = Tensor.arange(0, 20, 1, DType.FLOAT32);
        DataLoader loader = new DataLoader(new TensorDataset(ids.reshape(20, 1).expand(20, 4).contiguous(), ids), 5,
                true);
        List<double[]> observed = new ArrayList<>();
        for (Tensor p : model.parameters()) observed.add(p.toDoubleArray());
        for (TensorDataset.Batch batch : loader) {
            observed.add(batch.targets().toDoubleArray());
            observed.add(model.forward(batch.features()).toDoubleArray());   // dropout is on: train mode
        }
        return observed;
    }

    @Test
    void sameSeedSameWeightsMasksAndOrder() {
        List<double[]> a = run(42);
        List<double[]> b = run(42);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0, "item " + i);
    }

    @Test
    void differentSeedsDiffer() {
        List<double[]> a = run(1);
        List<double[]> b = run(2);
        assertFalse(Arrays.equals(a.get(0), b.get(0)));
    }
}
