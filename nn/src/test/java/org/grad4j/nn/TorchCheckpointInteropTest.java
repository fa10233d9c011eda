package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint made by PyTorch loads into the same architecture here and computes what PyTorch computed.
 * {@code torch_mlp.safetensors} and the expected outputs come from {@code make_torch_checkpoint.py} (beside the
 * file in test resources), run once with PyTorch 1.13: a {@code Sequential(Linear(4, 3), Tanh(), Linear(3, 2))} in
 * float64, evaluated on {@code linspace(-1, 1, 8).reshape(2, 4)}. It checks the naming ({@code 0.weight}), the
 * weight layout ({@code [out, in]}) and the byte order that make the file exchangeable.
 */
class TorchCheckpointInteropTest {

    private static final double[] TORCH_OUTPUT = {
        0.34609770957923025, 0.07532477073619417, 0.36280015521015463, 0.08846815532628527};

    private static Sequential architecture() {
        SplittableRandom rng = new SplittableRandom(99);
        return new Sequential(new Linear(4, 3, true, DType.FLOAT64, rng), new Tanh(),
                new Linear(3, 2, true, DType.FLOAT64, rng));
    }

    @Test
    void aTorchCheckpointLoadsAndComputesTorchsOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("torch_mlp.safetensors");
        try (var in = getClass().getResourceAsStream("torch_mlp.safetensors")) {
            Files.copy(in, file);
        }
        Sequential model = architecture();
        model.load(file);
        Tensor x = Tensor.arange(0, 8, 1, DType.FLOAT64).mul(2.0 / 7).sub(1).reshape(2, 4);
        assertArrayEquals(TORCH_OUTPUT, model.forward(x).toDoubleArray(), 1e-15);

        Path again = dir.resolve("written-here.safetensors");
        model.save(again);
        Sequential reloaded = architecture();
        reloaded.load(again);
        assertArrayEquals(TORCH_OUTPUT, reloaded.forward(x).toDoubleArray(), 1e-15);
    }
}
